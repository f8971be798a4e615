//===- Classify.cpp - What satisfies each core import ---------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The classifiers of Classify.h, one per kind of import, tried in the order
/// wit-component tries them; the first that recognizes an import decides.
/// Classifying also registers the shims an import needs, so shims are
/// numbered in the order modules import them.
///
//===----------------------------------------------------------------------===//

#include "Classify.h"
#include "Shims.h"
#include "wcl/Support/Error.h"
#include "wcl/WIT/CanonicalABI.h"
#include "llvm/ADT/STLExtras.h"
#include <functional>

using namespace llvm;
using namespace wcl;
using namespace wcl::encoder;
using wasm::ExternType;

/// How \p importer's import \p imp of WIT function \p module.\p field
/// (its legacy spelling) is satisfied: a direct lowering, or (when the
/// lowering needs memory or realloc, which exist only after main) an
/// indirect shim. std::nullopt when the import is not one of the world's.
static std::optional<Intrinsic>
classifyWitImport(EncodingState &state, StringRef importer,
                  const wasm::ImportEntry &imp, StringRef module,
                  StringRef field,
                  const std::optional<ReallocSource> &realloc) {
  // `[async-lower]f` asks for an async lowering of `f`.
  bool async = field.starts_with("[async-lower]");
  auto sig = state.importedSignatures.find(
      {module.str(), withoutAsyncLower(field).str()});
  if (sig == state.importedSignatures.end())
    return std::nullopt;
  const wit::Function &f = *sig->second.function;
  wit::FunctionAbi abi = wit::functionAbi(*state.resolve, f,
                                          async ? wit::AbiVariant::LowerAsync
                                                : wit::AbiVariant::Lower);
  std::optional<uint32_t> instance;
  if (sig->second.interface)
    instance = state.lookup(
        state.interfaceInstances, sig->second.interface->index, [&] {
          return "interface '" +
                 state.resolve->idOf(*sig->second.interface)
                     .value_or("<inline>") +
                 "' of import '" + f.name + "' is not imported";
        });
  // With main's memory imported, the memory exists before any module and
  // the lowering is direct; only the realloc needs a shim.
  if (state.importedMemory) {
    Intrinsic in{Intrinsic::Kind::Lower,         {}, 0, 0, instance, f.name,
                 (importer + "|" + module).str()};
    in.memory = abi.options.memory;
    in.utf8 = abi.options.stringEncoding;
    in.async = async;
    if (abi.options.realloc && realloc)
      in.reallocShim = state.addShim(reallocShim(*realloc));
    return in;
  }
  if (abi.options.memory || abi.options.realloc || abi.options.stringEncoding) {
    Shim shim{
        Shim::Kind::IndirectLowering,
        ("indirect-" + imp.module + "-" + imp.field).str(), abi.core,
        importer.str(),
        // Keyed by the (merged) interface, so that imports of one
        // function under semver-compatible names share a shim.
        (sig->second.interface ? state.resolve->idOf(*sig->second.interface)
                                     .value_or(module.str())
                               : std::string("$root")) +
            "." + (async ? "[async-lower]" : "") + f.name,
        instance, &f};
    shim.async = async;
    unsigned index = state.addShim(std::move(shim));
    // With a task hook the realloc is the fixup's wrapper, which exists
    // only after the fixup: the lowering reaches it through a shim.
    if (state.hasTaskHook && abi.options.realloc && realloc)
      state.shims[index].reallocShim = state.addShim(reallocShim(*realloc));
    return Intrinsic{Intrinsic::Kind::Shim, {}, 0, index};
  }
  Intrinsic in{Intrinsic::Kind::Lower,         {}, 0, 0, instance, f.name,
               (importer + "|" + module).str()};
  in.async = async;
  return in;
}

/// The resource \p name of interface \p iface, if it has one.
std::optional<wit::TypeId> encoder::findResource(const wit::Resolve &resolve,
                                                 wit::InterfaceId iface,
                                                 StringRef name) {
  const wit::Interface &i = resolve.get(iface);
  auto it = i.types.find(name.str());
  if (it == i.types.end() ||
      resolve.get(it->second).kind != wit::TypeDefKind::Resource)
    return std::nullopt;
  return it->second;
}

/// The resource intrinsics a module imports: `[export]IFACE` gives
/// `[resource-new]R`, `[resource-rep]R` and `[resource-drop]R` of a resource
/// the module's world exports; an imported interface gives
/// `[resource-drop]R` of its resources.
static std::optional<Intrinsic>
classifyResourceImport(EncodingState &state, std::optional<wit::WorldId> world,
                       StringRef module, StringRef field) {
  const wit::Resolve &resolve = *state.resolve;
  StringRef ifaceName = module;
  if (ifaceName.consume_front("[export]")) {
    if (!world)
      return std::nullopt;
    for (const auto &[key, item] : resolve.get(*world).exports) {
      if (item.kind != wit::WorldItem::Kind::Interface ||
          resolve.nameOf(key) != ifaceName)
        continue;
      StringRef r = field;
      Intrinsic::Kind kind;
      if (r.consume_front("[resource-new]"))
        kind = Intrinsic::Kind::ResourceNew;
      else if (r.consume_front("[resource-rep]"))
        kind = Intrinsic::Kind::ResourceRep;
      else if (r.consume_front("[resource-drop]"))
        kind = Intrinsic::Kind::ResourceDrop;
      else
        return std::nullopt;
      std::optional<wit::TypeId> res = findResource(resolve, item.interface, r);
      if (!res)
        return std::nullopt;
      Intrinsic in{kind, {}, 0, 0, std::nullopt, ""};
      in.resource = *res;
      return in;
    }
    return std::nullopt;
  }
  StringRef r = field;
  if (!r.consume_front("[resource-drop]"))
    return std::nullopt;
  // A resource the world itself imports (`world w { resource r; }`).
  if (module == "$root") {
    if (!world)
      return std::nullopt;
    for (const auto &[key, item] : resolve.get(*world).imports)
      if (item.kind == wit::WorldItem::Kind::Type && key.name == r &&
          resolve.get(item.type).kind == wit::TypeDefKind::Resource) {
        Intrinsic in{Intrinsic::Kind::RootResourceDrop, {}, 0, 0};
        in.resource = item.type;
        return in;
      }
    return std::nullopt;
  }
  // An interface the world imports under a plain name (`import j:
  // interface {...}`) has no id to match.
  std::optional<wit::InterfaceId> named;
  if (world)
    for (const auto &[key, item] : resolve.get(*world).imports)
      if (item.kind == wit::WorldItem::Kind::Interface && !key.interface &&
          key.name == module)
        named = item.interface;
  if (!named) {
    auto it = state.importedByModule.find(module);
    if (it != state.importedByModule.end())
      named = it->second;
  }
  for (const auto &[ifaceIndex, instance] : state.interfaceInstances) {
    wit::InterfaceId iface{ifaceIndex};
    if (!named || named->index != ifaceIndex)
      continue;
    std::optional<wit::TypeId> res = findResource(resolve, iface, r);
    if (!res)
      return std::nullopt;
    Intrinsic in{Intrinsic::Kind::ImportedResourceDrop, {}, 0, 0, instance, ""};
    in.resource = *res;
    return in;
  }
  return std::nullopt;
}

/// wasm-ld's accessors for the stack pointer and TLS base of a
/// multi-threaded module (`env.__wasm_{get,set}_{stack_pointer,tls_base}`):
/// the stack pointer is context slot 0; the TLS base is context slot 1 with
/// threads, else a global of the shim module. Types follow the import (i32,
/// or i64 on wasm64). std::nullopt for any other import.
static Expected<std::optional<Intrinsic>>
classifyThreadingImport(EncodingState &state, StringRef who,
                        const wasm::ImportEntry &imp,
                        const wasm::FuncType *ft) {
  if (imp.module != "env" || !ft)
    return std::nullopt;
  StringRef what = imp.field;
  bool get;
  if (what.consume_front("__wasm_get_"))
    get = true;
  else if (what.consume_front("__wasm_set_"))
    get = false;
  else
    return std::nullopt;
  bool stack = what == "stack_pointer";
  if (!stack && what != "tls_base")
    return std::nullopt;
  bool shapeOk = get ? (ft->params.empty() && ft->results.size() == 1)
                     : (ft->params.size() == 1 && ft->results.empty());
  if (!shapeOk)
    return createError(who + ": import env." + imp.field + " has type " +
                       toString(*ft) +
                       "; expected (func (result i32)) or (func (param i32)) "
                       "and their i64 forms");
  wasm::ValType vt = get ? ft->results[0] : ft->params[0];
  if (stack || state.tlsInContextSlot1)
    return Intrinsic{get ? Intrinsic::Kind::ContextGet
                         : Intrinsic::Kind::ContextSet,
                     vt, stack ? 0u : 1u};
  state.tlsGlobalType = vt;
  return Intrinsic{get ? Intrinsic::Kind::TlsGet : Intrinsic::Kind::TlsSet, vt,
                   0};
}

/// \p imports grouped by module name, modules in order of first appearance
/// (how wit-component walks a module's imports, so shims are numbered as it
/// numbers them).
static std::vector<std::reference_wrapper<const wasm::ImportEntry>>
groupedByModule(ArrayRef<wasm::ImportEntry> imports) {
  // One hash lookup per import, then a bucket per module (a stable counting
  // sort): a library imports thousands of symbols from a few modules.
  StringMap<unsigned> rank;
  std::vector<unsigned> rankOf;
  rankOf.reserve(imports.size());
  for (const wasm::ImportEntry &imp : imports)
    rankOf.push_back(rank.try_emplace(imp.module, rank.size()).first->second);
  std::vector<std::vector<unsigned>> buckets(rank.size());
  for (unsigned i = 0; i < imports.size(); ++i)
    buckets[rankOf[i]].push_back(i);
  std::vector<std::reference_wrapper<const wasm::ImportEntry>> out;
  out.reserve(imports.size());
  for (const std::vector<unsigned> &bucket : buckets)
    for (unsigned i : bucket)
      out.push_back(std::cref(imports[i]));
  return out;
}

/// `$root.[context-get-N]` / `[context-set-N]` with the i32 shape the
/// canonical ABI gives them: `canon context.get/set i32 N`.
static std::optional<Intrinsic>
classifyContextImport(StringRef module, StringRef field,
                      const wasm::FuncType &ft) {
  unsigned slot;
  StringRef f = field;
  bool get = f.consume_front("[context-get-");
  if (module != "$root" || (!get && !f.consume_front("[context-set-")) ||
      !f.consume_back("]") || f.getAsInteger(10, slot))
    return std::nullopt;
  bool shapeOk = get ? (ft.params.empty() && ft.results.size() == 1 &&
                        wasm::isSameValType(ft.results[0], wasm::i32Type()))
                     : (ft.params.size() == 1 && ft.results.empty() &&
                        wasm::isSameValType(ft.params[0], wasm::i32Type()));
  if (!shapeOk)
    return std::nullopt;
  return Intrinsic{get ? Intrinsic::Kind::ContextGet
                       : Intrinsic::Kind::ContextSet,
                   wasm::i32Type(), slot};
}

/// The function \p name of a world's \p items (its imports or exports)
/// that a core module names with module \p iface (`$root`, or an
/// interface's world name), and the interface it belongs to.
static std::pair<const wit::Function *, std::optional<wit::InterfaceId>>
findWorldFunction(
    const wit::Resolve &resolve,
    const std::vector<std::pair<wit::WorldKey, wit::WorldItem>> &items,
    StringRef iface, StringRef name) {
  for (const auto &[key, item] : items) {
    if (iface == "$root" && item.kind == wit::WorldItem::Kind::Function &&
        item.function.name == name)
      return {&item.function, std::nullopt};
    if (iface != "$root" && item.kind == wit::WorldItem::Kind::Interface &&
        resolve.nameOf(key) == iface) {
      const wit::Interface &i = resolve.get(item.interface);
      auto it = i.functions.find(name.str());
      if (it != i.functions.end())
        return {&it->second, item.interface};
    }
  }
  return {nullptr, std::nullopt};
}

/// The futures and streams a function's parameters and result contain, each
/// after those nested in it (how payload intrinsics number them).
static void findFuturesAndStreams(const wit::Resolve &resolve, wit::Type t,
                                  std::vector<wit::TypeId> &out) {
  if (!t.isId)
    return;
  const wit::TypeDef &def = resolve.get(t.id);
  switch (def.kind) {
  case wit::TypeDefKind::Record:
    for (const wit::Field &f : def.fields)
      findFuturesAndStreams(resolve, f.type, out);
    return;
  case wit::TypeDefKind::Tuple:
  case wit::TypeDefKind::Map:
    for (wit::Type x : def.types)
      findFuturesAndStreams(resolve, x, out);
    return;
  case wit::TypeDefKind::Variant:
    for (const wit::Case &c : def.cases)
      if (c.type)
        findFuturesAndStreams(resolve, *c.type, out);
    return;
  case wit::TypeDefKind::Option:
  case wit::TypeDefKind::List:
  case wit::TypeDefKind::FixedList:
  case wit::TypeDefKind::Alias:
    findFuturesAndStreams(resolve, *def.element, out);
    return;
  case wit::TypeDefKind::Result:
    if (def.element)
      findFuturesAndStreams(resolve, *def.element, out);
    if (def.error)
      findFuturesAndStreams(resolve, *def.error, out);
    return;
  case wit::TypeDefKind::Future:
  case wit::TypeDefKind::Stream:
    if (def.element)
      findFuturesAndStreams(resolve, *def.element, out);
    out.push_back(t.id);
    return;
  default:
    return;
  }
}

std::optional<BuiltinSpec> encoder::classifyPayload(
    wit::Resolve &resolve, std::optional<wit::WorldId> world, StringRef module,
    StringRef field, const std::optional<ReallocSource> &realloc) {
  using P = BuiltinSpec::PayloadOp;
  StringRef f = field;
  bool async = f.consume_front("[async-lower]");
  bool stream;
  if (f.consume_front("[future-"))
    stream = false;
  else if (f.consume_front("[stream-"))
    stream = true;
  else
    return std::nullopt;
  static const std::pair<StringLiteral, P> ops[] = {
      {"new-", P::New},
      {"read-", P::Read},
      {"write-", P::Write},
      {"cancel-read-", P::CancelRead},
      {"cancel-write-", P::CancelWrite},
      {"drop-readable-", P::DropReadable},
      {"drop-writable-", P::DropWritable}};
  std::optional<P> op;
  for (auto [prefix, o] : ops)
    if (f.consume_front(prefix)) {
      op = o;
      break;
    }
  auto [index, name] = f.split(']');
  if (!op || name.data() == f.data())
    return std::nullopt;
  // The function whose types are meant.
  StringRef iface = module;
  bool exported = iface.consume_front("[export]");
  const wit::Function *fn = nullptr;
  std::optional<wit::InterfaceId> owner;
  if (world)
    std::tie(fn, owner) = findWorldFunction(
        resolve,
        exported ? resolve.get(*world).exports : resolve.get(*world).imports,
        iface, name);
  // A unit future or stream needs no function (its name may be empty).
  if (!fn && index != "unit")
    return std::nullopt;
  BuiltinSpec spec{BuiltinSpec::Op::Payload,
                   async,
                   std::nullopt,
                   false,
                   std::nullopt,
                   fn,
                   owner};
  spec.payloadOp = *op;
  spec.stream = stream;
  spec.imported = !exported;
  std::optional<wit::Type> payload;
  if (index == "unit") {
    wit::TypeDef unit;
    unit.kind = stream ? wit::TypeDefKind::Stream : wit::TypeDefKind::Future;
    spec.payload = resolve.addType(unit);
  } else {
    unsigned n;
    std::vector<wit::TypeId> found;
    for (const auto &p : fn->params)
      findFuturesAndStreams(resolve, p.second, found);
    if (fn->result)
      findFuturesAndStreams(resolve, *fn->result, found);
    if (index.getAsInteger(10, n) || n >= found.size() ||
        (resolve.get(found[n]).kind == wit::TypeDefKind::Stream) != stream)
      return std::nullopt;
    spec.payload = found[n];
    payload = resolve.get(found[n]).element;
  }
  // Reading and writing go through memory: what a read lowers needs
  // realloc too, and strings their encoding.
  if (*op == P::Read || *op == P::Write) {
    spec.memory = true;
    if (payload) {
      if (resolve.hasString(*payload))
        spec.encoding = component::CanonicalOption::utf8();
      if (*op == P::Read && resolve.hasList(*payload)) {
        spec.realloc = realloc;
        spec.needsRealloc = true;
      }
    }
  }
  return spec;
}

/// The built-in a module imports as \p module.\p field (legacy names) with
/// core type \p ft, if it is one: direct when it needs no memory or main
/// imports its memory, else through a shim.
static std::optional<Intrinsic>
classifyBuiltin(EncodingState &state, StringRef importer,
                std::optional<wit::WorldId> world, StringRef module,
                StringRef field, const wasm::FuncType &ft,
                const std::optional<ReallocSource> &realloc) {
  using Op = BuiltinSpec::Op;
  const wit::Resolve &resolve = *state.resolve;
  std::optional<BuiltinSpec> spec;
  std::string debugName;
  auto make = [&](Op op, bool flag = false) {
    spec = BuiltinSpec{op,           flag,    std::nullopt, false,
                       std::nullopt, nullptr, std::nullopt};
  };
  auto encodingOf =
      [](StringRef name) -> std::optional<component::CanonicalOption> {
    if (name == "utf8")
      return component::CanonicalOption::utf8();
    if (name == "utf16")
      return component::CanonicalOption::utf16();
    if (name == "latin1+utf16")
      return component::CanonicalOption::latin1Utf16();
    return std::nullopt;
  };
  StringRef f = field;
  if (std::optional<BuiltinSpec> payload =
          classifyPayload(*state.resolve, world, module, field, realloc)) {
    spec = payload;
    debugName = (module + "-" + field).str();
  } else if (module == "$root") {
    bool cancellable = f.consume_front("[cancellable]");
    bool asyncLower = !cancellable && f.consume_front("[async-lower]");
    if (f == "[backpressure-inc]" && !cancellable && !asyncLower)
      make(Op::BackpressureInc);
    else if (f == "[backpressure-dec]" && !cancellable && !asyncLower)
      make(Op::BackpressureDec);
    else if (f == "[waitable-set-new]")
      make(Op::WaitableSetNew);
    else if (f == "[waitable-set-wait]" || f == "[waitable-set-poll]") {
      bool wait = f == "[waitable-set-wait]";
      make(wait ? Op::WaitableSetWait : Op::WaitableSetPoll, cancellable);
      spec->memory = true;
      debugName = wait ? "waitable-set.wait" : "waitable-set.poll";
    } else if (f == "[waitable-set-drop]")
      make(Op::WaitableSetDrop);
    else if (f == "[waitable-join]")
      make(Op::WaitableJoin);
    else if (f == "[subtask-drop]")
      make(Op::SubtaskDrop);
    else if (f == "[subtask-cancel]")
      make(Op::SubtaskCancel, asyncLower);
    else if (f == "[error-context-drop]")
      make(Op::ErrorContextDrop);
    else if (f == "[thread-index]")
      make(Op::ThreadIndex);
    else if (f == "[thread-yield]")
      make(Op::ThreadYield, cancellable);
    else if (f == "[thread-suspend]")
      make(Op::ThreadSuspend, cancellable);
    else if (f == "[thread-resume-later]")
      make(Op::ThreadResumeLater);
    else if (f == "[thread-suspend-then-resume]")
      make(Op::ThreadSuspendThenResume, cancellable);
    else if (f == "[thread-yield-then-resume]")
      make(Op::ThreadYieldThenResume, cancellable);
    else if (f == "[thread-suspend-then-promote]")
      make(Op::ThreadSuspendThenPromote, cancellable);
    else if (f == "[thread-yield-then-promote]")
      make(Op::ThreadYieldThenPromote, cancellable);
    else if (f.consume_front("[error-context-new-") && f.consume_back("]")) {
      if (!encodingOf(f))
        return std::nullopt;
      make(Op::ErrorContextNew);
      spec->encoding = encodingOf(f);
      spec->memory = true;
      debugName = "error-new";
    } else if (f.consume_front("[error-context-debug-message-") &&
               f.consume_back("]")) {
      if (!encodingOf(f))
        return std::nullopt;
      make(Op::ErrorContextDebugMessage);
      spec->encoding = encodingOf(f);
      spec->memory = true;
      spec->realloc = realloc;
      spec->needsRealloc = true;
      debugName = "error-debug-message";
    }
  } else if (StringRef iface = module; iface.consume_front("[export]")) {
    if (f == "[task-cancel]") {
      make(Op::TaskCancel);
    } else if (f.consume_front("[task-return]") && world) {
      // The exported function the task returns for.
      auto [fn, owner] =
          findWorldFunction(resolve, resolve.get(*world).exports, iface, f);
      if (!fn)
        return std::nullopt;
      make(Op::TaskReturn);
      spec->function = fn;
      spec->interface = owner;
      // Not an option of task.return; wit-component aliases it anyway when
      // it fills the shim (see below).
      spec->realloc = realloc;
      // task.return takes what the synchronous import would need, without
      // realloc (wit-component's rule).
      wit::FunctionAbi abi =
          wit::functionAbi(resolve, *fn, wit::AbiVariant::Lower);
      spec->memory = abi.options.memory;
      if (abi.options.stringEncoding)
        spec->encoding = component::CanonicalOption::utf8();
      debugName = ("task-return-" + f).str();
    }
  }
  if (!spec)
    return std::nullopt;
  if (spec->op == Op::TaskReturn)
    state.taskReturnRequests.push_back(*spec);
  Intrinsic direct{Intrinsic::Kind::Builtin, {}, 0, 0};
  direct.builtin = spec;
  if (!spec->memory || (state.importedMemory && !spec->needsRealloc))
    return direct;
  Shim shim{Shim::Kind::Builtin, debugName, ft, importer.str(),
            (module + "." + field).str()};
  shim.builtin = spec;
  unsigned index = state.addShim(std::move(shim));
  // With a task hook the realloc is the fixup's wrapper: a shim reaches it.
  if (state.hasTaskHook && spec->needsRealloc && spec->realloc)
    state.shims[index].reallocShim = state.addShim(reallocShim(*spec->realloc));
  // Modules instantiated after main find its memory there and define the
  // built-in directly; wit-component still fills a shim for it.
  if (importer != "main")
    return direct;
  return Intrinsic{Intrinsic::Kind::Shim, {}, 0, index};
}

/// The realloc a module's lowerings use: its `cabi_import_realloc`, else its
/// `cabi_realloc`, else (for libraries) main's.
static std::optional<ReallocSource>
importReallocOf(StringRef moduleName, const CoreNames &names,
                const CoreNames *mainNames) {
  for (StringRef legacy : {"cabi_import_realloc", "cabi_realloc"})
    if (const wasm::Export *e = names.findFunc(legacy))
      return ReallocSource{moduleName.str(), e->name.str()};
  if (mainNames)
    if (const wasm::Export *e = mainNames->findFunc("cabi_realloc"))
      return ReallocSource{"main", e->name.str()};
  return std::nullopt;
}

/// For an import of WASI preview1 that nothing provides: what provides it.
static std::string wasiAdapterHint(StringRef module, StringRef what) {
  if (module != "wasi_snapshot_preview1")
    return "";
  return ("; the " + what +
          " was built for WASI preview1 and needs an adapter "
          "(--wasi-adapter=command, reactor or a file, or --adapt "
          "wasi_snapshot_preview1=FILE)")
      .str();
}

Expected<std::vector<ResolvedImport>> encoder::resolveMainImports(
    const wasm::CoreModule &main, const CoreNames &names,
    const StringSet<> &libraries, std::optional<wit::WorldId> world,
    EncodingState &state) {
  std::vector<ResolvedImport> out;
  out.reserve(main.imports.size());
  std::optional<ReallocSource> realloc =
      importReallocOf("main", names, nullptr);
  for (const wasm::ImportEntry &imp : groupedByModule(main.imports)) {
    ResolvedImport r{imp.module, imp.field, imp.type.kind};
    if (imp.module == "env" && imp.field == "memory" &&
        imp.type.kind == ExternType::Kind::Memory) {
      r.intrinsic = Intrinsic{Intrinsic::Kind::ShimMemory, {}, 0, 0};
      out.push_back(std::move(r));
      continue;
    }
    StringRef module = names.importModule(imp), field = names.importField(imp);
    const wasm::FuncType *ft = imp.type.kind == ExternType::Kind::Func
                                   ? main.getFuncType(imp.type.funcType)
                                   : nullptr;
    Expected<std::optional<Intrinsic>> threading =
        classifyThreadingImport(state, "the main module", imp, ft);
    if (!threading)
      return threading.takeError();
    if (*threading) {
      r.intrinsic = std::move(**threading);
    } else if (std::optional<Intrinsic> context =
                   ft ? classifyContextImport(module, field, *ft)
                      : std::nullopt) {
      r.intrinsic = std::move(*context);
    } else if (std::optional<Intrinsic> builtin =
                   ft ? classifyBuiltin(state, "main", world, module, field,
                                        *ft, realloc)
                      : std::nullopt) {
      r.intrinsic = std::move(*builtin);
    } else if (module == "$root" && field == "[thread-new-indirect-v0]" && ft) {
      Shim shim{Shim::Kind::ThreadNewIndirect, "thread.new-indirect", *ft, "",
                ""};
      r.intrinsic = Intrinsic{
          Intrinsic::Kind::Shim, {}, 0, state.addShim(std::move(shim))};
    } else if (libraries.contains(imp.module) && ft) {
      StringRef original = originalImportField(imp.field);
      Shim shim{Shim::Kind::AdapterExport,
                ("adapt-" + imp.module + "-" + original).str(), *ft,
                imp.module.str(), original.str()};
      r.intrinsic = Intrinsic{
          Intrinsic::Kind::Shim, {}, 0, state.addShim(std::move(shim))};
    } else if (std::optional<Intrinsic> wit =
                   ft ? classifyWitImport(state, "main", imp, module, field,
                                          realloc)
                      : std::nullopt) {
      r.intrinsic = std::move(*wit);
    } else if (std::optional<Intrinsic> res =
                   ft ? classifyResourceImport(state, world, module, field)
                      : std::nullopt) {
      r.intrinsic = std::move(*res);
    } else {
      return createError(
          "the main module imports " + imp.module + "." + imp.field +
          ", which is neither a library export nor a supported intrinsic" +
          wasiAdapterHint(imp.module, "module"));
    }
    out.push_back(std::move(r));
  }
  return out;
}

Expected<std::vector<ResolvedImport>> encoder::resolveLibraryImports(
    StringRef libName, const wasm::CoreModule &mod, const CoreNames &names,
    const CoreNames *mainNames, const LibraryArgs &args,
    std::optional<wit::WorldId> world, EncodingState &state) {
  // What the linker provides, by module and field, built once: a library
  // imports thousands of symbols from env and from other libraries. A name
  // offered twice resolves to the later offer.
  StringMap<StringMap<const LibraryItem *>> provided;
  for (const auto &[moduleName, list] : args.modules) {
    StringMap<const LibraryItem *> &items = provided[moduleName];
    for (const LibraryItem &candidate : list)
      items.insert_or_assign(candidate.alias, &candidate);
  }
  std::vector<ResolvedImport> out;
  out.reserve(mod.imports.size());
  for (const wasm::ImportEntry &imp : groupedByModule(mod.imports)) {
    ResolvedImport r{imp.module, imp.field, imp.type.kind};
    StringRef module = names.importModule(imp), field = names.importField(imp);
    if (auto m = provided.find(imp.module); m != provided.end())
      r.item = m->second.lookup(imp.field);
    if (r.item) {
      if (r.item->kind != imp.type.kind)
        return createError(libName + ": import " + imp.module + "." +
                           imp.field + " is a " + toString(imp.type.kind) +
                           " but the linker provides a " +
                           toString(r.item->kind));
      out.push_back(std::move(r));
      continue;
    }
    const wasm::FuncType *ft = imp.type.kind == ExternType::Kind::Func
                                   ? mod.getFuncType(imp.type.funcType)
                                   : nullptr;
    Expected<std::optional<Intrinsic>> threading =
        classifyThreadingImport(state, libName, imp, ft);
    if (!threading)
      return threading.takeError();
    if (*threading) {
      r.intrinsic = std::move(**threading);
      out.push_back(std::move(r));
      continue;
    }
    if (std::optional<Intrinsic> context =
            ft ? classifyContextImport(module, field, *ft) : std::nullopt) {
      r.intrinsic = std::move(*context);
      out.push_back(std::move(r));
      continue;
    }
    if (module == "$root" && ft &&
        (field.starts_with("[context-get-") ||
         field.starts_with("[context-set-")))
      return createError(libName + ": import $root." + imp.field +
                         " has type " + toString(*ft) +
                         "; expected (func (result i32)) or "
                         "(func (param i32))");
    if (module == "$root" && field == "[thread-new-indirect-v0]" && ft) {
      Shim shim{Shim::Kind::ThreadNewIndirect, "thread.new-indirect", *ft, "",
                ""};
      r.intrinsic = Intrinsic{
          Intrinsic::Kind::Shim, {}, 0, state.addShim(std::move(shim))};
      out.push_back(std::move(r));
      continue;
    }
    if (ft)
      if (std::optional<Intrinsic> builtin =
              classifyBuiltin(state, libName, world, module, field, *ft,
                              importReallocOf(libName, names, mainNames))) {
        r.intrinsic = std::move(*builtin);
        out.push_back(std::move(r));
        continue;
      }
    if (ft) {
      if (std::optional<Intrinsic> wit =
              classifyWitImport(state, libName, imp, module, field,
                                importReallocOf(libName, names, mainNames))) {
        r.intrinsic = std::move(*wit);
        out.push_back(std::move(r));
        continue;
      }
      if (std::optional<Intrinsic> res =
              classifyResourceImport(state, world, module, field)) {
        r.intrinsic = std::move(*res);
        out.push_back(std::move(r));
        continue;
      }
    }
    if (imp.module == "wasi_snapshot_preview1")
      return createError(libName + ": import " + imp.module + "." + imp.field +
                         " is not provided" +
                         wasiAdapterHint(imp.module, "library"));
    return createError(libName + ": import " + imp.module + "." + imp.field +
                       " is not provided by the env module, another "
                       "library, its world or a component model intrinsic; "
                       "is a library that exports it missing, or does the "
                       "library's WIT world lack it?");
  }
  return out;
}
