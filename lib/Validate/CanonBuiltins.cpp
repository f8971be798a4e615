//===- CanonBuiltins.cpp - Canonical built-ins ----------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The canonical built-ins other than lift and lower: the feature each
/// needs, the type its immediate must name, and the core function type it
/// defines (CanonicalABI.md, one `canon_*` each).
///
//===----------------------------------------------------------------------===//

#include "CanonABI.h"
#include "ComponentValidator.h"
#include "wcl/Support/Error.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::validate;
using namespace wcl::component;
using wasm::CanonOp;
using wasm::CanonOpt;
using DKind = DefinedT::Kind;

static constexpr uint8_t I32 = 0x7f, I64 = 0x7e;

static StringRef optionName(CanonOpt o) {
  switch (o) {
  case CanonOpt::Async:
    return "async";
  case CanonOpt::Callback:
    return "callback";
  case CanonOpt::PostReturn:
    return "post-return";
  case CanonOpt::Realloc:
    return "realloc";
  default:
    return "option";
  }
}

/// The feature a built-in needs, with wasm-tools' wording when it is off.
static Error needFeature(const Canon &c, const Features &f) {
  StringRef name = wasm::toString(c.op);
  auto need = [&](Feature x, StringRef what) -> Error {
    if (f.has(x))
      return Error::success();
    return createErrorAt(c.offset, "`" + name +
                                       "` requires the component "
                                       "model " +
                                       what + " feature");
  };
  switch (c.op) {
  case CanonOp::ResourceNew:
  case CanonOp::ResourceDrop:
  case CanonOp::ResourceRep:
    return Error::success();
  case CanonOp::ErrorContextNew:
  case CanonOp::ErrorContextDebugMessage:
  case CanonOp::ErrorContextDrop:
    return need(Feature::CmErrorContext, "error-context");
  case CanonOp::ThreadIndex:
  case CanonOp::ThreadNewIndirect:
  case CanonOp::ThreadResumeLater:
  case CanonOp::ThreadSuspend:
  case CanonOp::ThreadSuspendThenResume:
  case CanonOp::ThreadYieldThenResume:
  case CanonOp::ThreadSuspendThenPromote:
  case CanonOp::ThreadYieldThenPromote:
    return need(Feature::CmThreading, "threading");
  case CanonOp::ThreadSpawnRef:
  case CanonOp::ThreadSpawnIndirect:
  case CanonOp::ThreadAvailableParallelism:
    return need(Feature::SharedEverythingThreads, "shared-everything-threads");
  default:
    return need(Feature::CmAsync, "async");
  }
}

namespace {
/// One built-in being checked: its immediates against the scope, and the
/// core function type it defines.
class Builtin {
public:
  Builtin(ComponentValidator &v, const Canon &c)
      : v(v), s(v.cur()), arena(v.arena), features(v.features), c(c),
        name(wasm::toString(c.op)) {}

  Error run();

private:
  Error resource();
  Error task();
  Error context();
  Error streamFuture();
  Error errorContext();
  Error waitableThread();

  /// The stream or future type the immediate names.
  Expected<TypeId> definedOf(DKind want, StringRef what) {
    TypeId id;
    if (Error e = v.typeAt(c.type, c.offset).moveInto(id))
      return std::move(e);
    const CType &t = arena.types[id];
    if (t.kind != CType::Kind::Defined || t.defined.kind != want)
      return createErrorAt(c.offset,
                           "`" + name + "` requires a " + what + " type");
    return id;
  }
  /// The pointer type of the `memory` option (i32 without one).
  Expected<uint8_t> memPtr() {
    for (const CanonOption &o : c.options)
      if (o.kind == CanonOpt::Memory) {
        if (o.index >= s.coreMemories.size())
          return createErrorAt(c.offset, "unknown memory " + Twine(o.index) +
                                             ": memory index out of bounds");
        if (s.coreMemories[o.index].limits.is64) {
          if (!features.has(Feature::Cm64))
            return createErrorAt(c.offset, "64-bit memories require the "
                                           "`cm64` feature to be enabled");
          return I64;
        }
      }
    return I32;
  }
  bool hasOption(CanonOpt kind) const {
    return any_of(c.options,
                  [&](const CanonOption &o) { return o.kind == kind; });
  }
  Error asyncFlag() {
    if (c.flag && !features.has(Feature::CmMoreAsyncBuiltins))
      return createErrorAt(c.offset, "async `" + name +
                                         "` requires the component model "
                                         "more async builtins feature");
    return Error::success();
  }
  Error define(ArrayRef<uint8_t> p, ArrayRef<uint8_t> r) {
    s.coreFuncs.push_back(arena.addCoreFunc(p, r));
    return Error::success();
  }

  ComponentValidator &v;
  Scope &s;
  TypeArena &arena;
  const Features &features;
  const Canon &c;
  StringRef name;
};
} // namespace

Error Builtin::run() {
  if (Error e = needFeature(c, features))
    return e;
  switch (c.op) {
  case CanonOp::ResourceNew:
  case CanonOp::ResourceRep:
  case CanonOp::ResourceDrop:
    return resource();
  case CanonOp::TaskReturn:
  case CanonOp::BackpressureInc:
  case CanonOp::BackpressureDec:
  case CanonOp::TaskCancel:
  case CanonOp::SubtaskDrop:
  case CanonOp::SubtaskCancel:
    return task();
  case CanonOp::ContextGet:
  case CanonOp::ContextSet:
    return context();
  case CanonOp::ErrorContextNew:
  case CanonOp::ErrorContextDebugMessage:
  case CanonOp::ErrorContextDrop:
    return errorContext();
  case CanonOp::StreamNew:
  case CanonOp::StreamRead:
  case CanonOp::StreamWrite:
  case CanonOp::StreamCancelRead:
  case CanonOp::StreamCancelWrite:
  case CanonOp::StreamDropReadable:
  case CanonOp::StreamDropWritable:
  case CanonOp::FutureNew:
  case CanonOp::FutureRead:
  case CanonOp::FutureWrite:
  case CanonOp::FutureCancelRead:
  case CanonOp::FutureCancelWrite:
  case CanonOp::FutureDropReadable:
  case CanonOp::FutureDropWritable:
    return streamFuture();
  default:
    return waitableThread();
  }
}

Error Builtin::resource() {
  switch (c.op) {
  case CanonOp::ResourceNew:
  case CanonOp::ResourceRep: {
    TypeId id;
    if (Error e = v.typeAt(c.type, c.offset).moveInto(id))
      return e;
    if (arena.types[id].kind != CType::Kind::Resource)
      return createErrorAt(c.offset, "type index " + Twine(c.type) +
                                         " is not a resource type");
    if (!s.localResources.count(arena.types[id].resource))
      return createErrorAt(c.offset, "type " + Twine(c.type) +
                                         " is not a local resource");
    uint8_t rep = arena.resourceRep.lookup(arena.types[id].resource);
    if (!rep)
      rep = I32;
    if (c.op == CanonOp::ResourceNew)
      return define({rep}, {I32});
    return define({I32}, {rep});
  }
  case CanonOp::ResourceDrop:
    if (Error e = v.resourceAt(c.type, c.offset).takeError())
      return e;
    if (c.flag)
      return define({I32}, {I32});
    return define({I32}, {});
  default:
    break;
  }
  return createErrorAt(c.offset, "unknown canonical built-in");
}

Error Builtin::task() {
  switch (c.op) {
  case CanonOp::TaskReturn: {
    for (const CanonOption &o : c.options)
      if (o.kind == CanonOpt::Async || o.kind == CanonOpt::Callback ||
          o.kind == CanonOpt::PostReturn || o.kind == CanonOpt::Realloc)
        return createErrorAt(c.offset, "cannot specify `" + optionName(o.kind) +
                                           "` option on `task.return`");
    uint8_t ptr;
    if (Error e = memPtr().moveInto(ptr))
      return e;
    FlatTypes params;
    if (c.result) {
      CValType val;
      if (Error e = v.valType(*c.result, c.offset).moveInto(val))
        return e;
      flatten(arena, val, ptr, params);
      bool mem = needsMemory(arena, val) || params.size() > 16;
      if (mem && !hasOption(CanonOpt::Memory))
        return createErrorAt(c.offset, "canonical option `memory` is required");
      if (params.size() > 16)
        params.assign(1, ptr);
    }
    return define(params, {});
  }
  case CanonOp::BackpressureInc:
  case CanonOp::BackpressureDec:
  case CanonOp::TaskCancel:
    return define({}, {});
  case CanonOp::SubtaskDrop:
    return define({I32}, {});
  case CanonOp::SubtaskCancel:
    if (Error e = asyncFlag())
      return e;
    return define({I32}, {I32});
  default:
    break;
  }
  return createErrorAt(c.offset, "unknown canonical built-in");
}

Error Builtin::context() {
  switch (c.op) {
  case CanonOp::ContextGet:
  case CanonOp::ContextSet: {
    uint32_t maxSlot = features.has(Feature::CmThreading) ? 1 : 0;
    if (c.coreType.code != I32 && c.coreType.code != I64)
      return createErrorAt(c.offset,
                           "`" + name + "` only supports `i32` or `i64`");
    if (c.coreType.code == I64 && !features.has(Feature::Cm64))
      return createErrorAt(c.offset, "64-bit `" + name +
                                         "` requires the component model "
                                         "64-bit feature");
    if (c.slot > maxSlot)
      return createErrorAt(c.offset, "`" + name + "` immediate must be " +
                                         (maxSlot ? "zero or one" : "zero") +
                                         ": " + Twine(c.slot));
    // Every slot holds the same type.
    std::optional<wasm::ValType> &prev = s.contextType;
    if (prev && prev->code != c.coreType.code)
      return createErrorAt(c.offset, "`" + name +
                                         "` type must match previous context "
                                         "type");
    prev = c.coreType;
    if (c.op == CanonOp::ContextGet)
      return define({}, {c.coreType.code});
    return define({c.coreType.code}, {});
  }
  default:
    break;
  }
  return createErrorAt(c.offset, "unknown canonical built-in");
}

Error Builtin::streamFuture() {
  switch (c.op) {
  case CanonOp::StreamDropReadable:
  case CanonOp::StreamDropWritable:
  case CanonOp::FutureDropReadable:
  case CanonOp::FutureDropWritable: {
    bool stream = c.op == CanonOp::StreamDropReadable ||
                  c.op == CanonOp::StreamDropWritable;
    if (Error e = definedOf(stream ? DKind::Stream : DKind::Future,
                            stream ? "stream" : "future")
                      .takeError())
      return e;
    return define({I32}, {});
  }
  case CanonOp::StreamNew:
  case CanonOp::FutureNew: {
    bool stream = c.op == CanonOp::StreamNew;
    if (Error e = definedOf(stream ? DKind::Stream : DKind::Future,
                            stream ? "stream" : "future")
                      .takeError())
      return e;
    return define({}, {I64});
  }
  case CanonOp::StreamRead:
  case CanonOp::StreamWrite:
  case CanonOp::FutureRead:
  case CanonOp::FutureWrite: {
    bool stream = c.op == CanonOp::StreamRead || c.op == CanonOp::StreamWrite;
    TypeId id;
    if (Error e = definedOf(stream ? DKind::Stream : DKind::Future,
                            stream ? "stream" : "future")
                      .moveInto(id))
      return e;
    uint8_t ptr;
    if (Error e = memPtr().moveInto(ptr))
      return e;
    const DefinedT &d = arena.types[id].defined;
    if (d.first && !hasOption(CanonOpt::Memory))
      return createErrorAt(c.offset, "canonical option `memory` is required");
    bool isRead = c.op == CanonOp::StreamRead || c.op == CanonOp::FutureRead;
    if (isRead && d.first && needsMemory(arena, *d.first) &&
        !hasOption(CanonOpt::Realloc))
      return createErrorAt(c.offset, "canonical option `realloc` is required");
    if (stream)
      return define({I32, ptr, ptr}, {ptr});
    return define({I32, ptr}, {I32});
  }
  case CanonOp::StreamCancelRead:
  case CanonOp::StreamCancelWrite:
  case CanonOp::FutureCancelRead:
  case CanonOp::FutureCancelWrite: {
    bool stream =
        c.op == CanonOp::StreamCancelRead || c.op == CanonOp::StreamCancelWrite;
    if (Error e = definedOf(stream ? DKind::Stream : DKind::Future,
                            stream ? "stream" : "future")
                      .takeError())
      return e;
    if (Error e = asyncFlag())
      return e;
    return define({I32}, {I32});
  }
  default:
    break;
  }
  return createErrorAt(c.offset, "unknown canonical built-in");
}

Error Builtin::errorContext() {
  switch (c.op) {
  case CanonOp::ErrorContextNew:
  case CanonOp::ErrorContextDebugMessage: {
    uint8_t ptr;
    if (Error e = memPtr().moveInto(ptr))
      return e;
    if (!hasOption(CanonOpt::Memory))
      return createErrorAt(c.offset, "canonical option `memory` is required");
    if (c.op == CanonOp::ErrorContextNew)
      return define({ptr, ptr}, {I32});
    return define({I32, ptr}, {});
  }
  case CanonOp::ErrorContextDrop:
    return define({I32}, {});
  default:
    break;
  }
  return createErrorAt(c.offset, "unknown canonical built-in");
}

Error Builtin::waitableThread() {
  switch (c.op) {
  case CanonOp::WaitableSetDrop:
  case CanonOp::ThreadResumeLater:
    return define({I32}, {});
  case CanonOp::WaitableSetNew:
  case CanonOp::ThreadIndex:
  case CanonOp::ThreadAvailableParallelism:
    return define({}, {I32});
  case CanonOp::WaitableSetWait:
  case CanonOp::WaitableSetPoll: {
    if (c.memory >= s.coreMemories.size())
      return createErrorAt(c.offset, "unknown memory " + Twine(c.memory) +
                                         ": memory index out of bounds");
    uint8_t ptr = s.coreMemories[c.memory].limits.is64 ? I64 : I32;
    if (ptr == I64 && !features.has(Feature::Cm64))
      return createErrorAt(c.offset, "64-bit memories require the `cm64` "
                                     "feature to be enabled");
    return define({I32, ptr}, {I32});
  }
  case CanonOp::WaitableJoin:
    return define({I32, I32}, {});
  case CanonOp::ThreadYield:
  case CanonOp::ThreadSuspend:
    return define({}, {I32});
  case CanonOp::ThreadSuspendThenResume:
  case CanonOp::ThreadYieldThenResume:
  case CanonOp::ThreadSuspendThenPromote:
  case CanonOp::ThreadYieldThenPromote:
    return define({I32}, {I32});
  case CanonOp::ThreadNewIndirect:
  case CanonOp::ThreadSpawnIndirect:
  case CanonOp::ThreadSpawnRef: {
    if (c.type >= s.coreTypes.size() || s.coreTypes[c.type].isModule)
      return createErrorAt(c.offset, "unknown core type " + Twine(c.type) +
                                         ": type index out of bounds");
    const wasm::SubType &t = arena.core[s.coreTypes[c.type].id];
    if (t.composite.kind != wasm::CompositeType::Kind::Func ||
        t.composite.func.params.size() != 1 ||
        t.composite.func.params[0].code != I32 ||
        !t.composite.func.results.empty())
      return createErrorAt(c.offset, "start function must take a single "
                                     "`i32` argument (currently)");
    if (c.op != CanonOp::ThreadSpawnRef && c.table >= s.coreTables.size())
      return createErrorAt(c.offset, "unknown table " + Twine(c.table) +
                                         ": table index out of bounds");
    return define({I32, I32}, {I32});
  }
  default:
    break;
  }
  return createErrorAt(c.offset, "unknown canonical built-in");
}

Error ComponentValidator::canonBuiltin(const Canon &c) {
  return Builtin(*this, c).run();
}
