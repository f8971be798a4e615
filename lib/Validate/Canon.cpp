//===- Canon.cpp - Canonical definitions of components --------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// `canon` definitions: lift and lower with their options and the core
/// signature the Canonical ABI gives them, and the built-ins (resources,
/// tasks, streams and futures, waitables, threads, error contexts) with the
/// core function type each defines and the feature each needs.
///
//===----------------------------------------------------------------------===//

#include "CanonABI.h"
#include "CanonGc.h"
#include "ComponentValidator.h"
#include "wcl/Support/Error.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::validate;
using namespace wcl::component;
using wasm::CanonOp;
using wasm::CanonOpt;

static constexpr uint8_t I32 = 0x7f, I64 = 0x7e;
static constexpr size_t MaxFlatParams = 16, MaxFlatAsyncParams = 4,
                        MaxFlatResults = 1;

static StringRef optName(CanonOpt o) {
  switch (o) {
  case CanonOpt::StringUtf8:
    return "utf8";
  case CanonOpt::StringUtf16:
    return "utf16";
  case CanonOpt::StringLatin1Utf16:
    return "latin1-utf16";
  case CanonOpt::Memory:
    return "memory";
  case CanonOpt::Realloc:
    return "realloc";
  case CanonOpt::PostReturn:
    return "post-return";
  case CanonOpt::Async:
    return "async";
  case CanonOpt::Callback:
    return "callback";
  case CanonOpt::CoreType:
    return "core-type";
  case CanonOpt::Gc:
    return "gc";
  }
  return "?";
}

static std::string flatText(ArrayRef<uint8_t> types) {
  std::string s = "[";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i)
      s += ", ";
    switch (types[i]) {
    case 0x7f:
      s += "I32";
      break;
    case 0x7e:
      s += "I64";
      break;
    case 0x7d:
      s += "F32";
      break;
    case 0x7c:
      s += "F64";
      break;
    default:
      s += "Ref";
    }
  }
  return s + "]";
}

namespace {
/// The options of one canonical definition, checked for repeats and
/// conflicts, with what they name.
struct Options {
  std::optional<CanonOpt> encoding;
  std::optional<uint32_t> memory, realloc, postReturn, callback, coreType;
  bool isAsync = false, gc = false;
  uint8_t ptr = I32;
};
} // namespace

/// Whether strings are arrays of i16 (utf16); utf8 and latin1+utf16 use
/// i8 arrays.
static bool utf16(const Options &o) {
  return o.encoding && *o.encoding == CanonOpt::StringUtf16;
}

/// Checks core function \p f of \p s has exactly the signature params ->
/// results.
static bool hasSignature(const TypeArena &arena, TypeId f,
                         ArrayRef<uint8_t> params, ArrayRef<uint8_t> results) {
  const wasm::FuncType &ft = arena.core[f].composite.func;
  if (ft.params.size() != params.size() || ft.results.size() != results.size())
    return false;
  for (size_t i = 0; i < params.size(); ++i)
    if (ft.params[i].code != params[i])
      return false;
  for (size_t i = 0; i < results.size(); ++i)
    if (ft.results[i].code != results[i])
      return false;
  return true;
}

static Expected<Options> readOptions(const Canon &c, Scope &s,
                                     const TypeArena &arena,
                                     const Features &features) {
  Options o;
  SmallVector<CanonOpt, 8> seen;
  for (const CanonOption &opt : c.options) {
    bool isEncoding = opt.kind == CanonOpt::StringUtf8 ||
                      opt.kind == CanonOpt::StringUtf16 ||
                      opt.kind == CanonOpt::StringLatin1Utf16;
    if (isEncoding && o.encoding) {
      if (*o.encoding == opt.kind)
        return createErrorAt(c.offset, "canonical encoding option `" +
                                           optName(opt.kind) +
                                           "` is specified more than once");
      return createErrorAt(
          c.offset, "canonical encoding option `" + optName(*o.encoding) +
                        "` conflicts with option `" + optName(opt.kind) + "`");
    }
    if (!isEncoding && is_contained(seen, opt.kind))
      return createErrorAt(c.offset, "canonical option `" + optName(opt.kind) +
                                         "` is specified more than once");
    seen.push_back(opt.kind);
    switch (opt.kind) {
    case CanonOpt::StringUtf8:
    case CanonOpt::StringUtf16:
    case CanonOpt::StringLatin1Utf16:
      o.encoding = opt.kind;
      break;
    case CanonOpt::Memory: {
      if (opt.index >= s.coreMemories.size())
        return createErrorAt(c.offset, "unknown memory " + Twine(opt.index) +
                                           ": memory index out of bounds");
      const wasm::Limits &l = s.coreMemories[opt.index].limits;
      // The canonical ABI does not address shared memories.
      if (l.shared)
        return createErrorAt(c.offset, "mismatch in the shared flag for "
                                       "memories");
      if (l.is64) {
        if (!features.has(Feature::Cm64))
          return createErrorAt(c.offset, "64-bit memories require the `cm64` "
                                         "feature to be enabled");
        o.ptr = I64;
      }
      o.memory = opt.index;
      break;
    }
    case CanonOpt::Realloc:
    case CanonOpt::PostReturn:
    case CanonOpt::Callback:
      if (opt.index >= s.coreFuncs.size())
        return createErrorAt(c.offset, "unknown function " + Twine(opt.index) +
                                           ": function index out of bounds");
      (opt.kind == CanonOpt::Realloc      ? o.realloc
       : opt.kind == CanonOpt::PostReturn ? o.postReturn
                                          : o.callback) = opt.index;
      break;
    case CanonOpt::Async:
      if (!features.has(Feature::CmAsync))
        return createErrorAt(c.offset, "canonical option `async` requires "
                                       "the component model async feature");
      o.isAsync = true;
      break;
    case CanonOpt::CoreType:
      if (!features.has(Feature::CmGc))
        return createErrorAt(c.offset, "canonical option `core-type` "
                                       "requires the component model gc "
                                       "feature");
      o.coreType = opt.index;
      break;
    case CanonOpt::Gc:
      if (!features.has(Feature::CmGc))
        return createErrorAt(c.offset, "canonical option `gc` requires the "
                                       "component model gc feature");
      o.gc = true;
      break;
    }
  }
  if (o.realloc) {
    if (!o.memory)
      return createErrorAt(c.offset, "canonical option `realloc` requires "
                                     "`memory` to also be specified");
    if (!hasSignature(arena, s.coreFuncs[*o.realloc],
                      {o.ptr, o.ptr, o.ptr, o.ptr}, {o.ptr}))
      return createErrorAt(c.offset, "canonical option `realloc` uses a core "
                                     "function with an incorrect signature");
  }
  if (o.coreType && !o.gc)
    return createErrorAt(c.offset, "cannot specify `core-type` without "
                                   "`gc`");
  return o;
}

/// Options a built-in or a lower may not carry.
static Error forbid(const Canon &c, const Options &o, bool lift) {
  if (!lift && o.postReturn)
    return createErrorAt(c.offset, "canonical option `post-return` cannot "
                                   "be specified for lowerings");
  if (!lift && o.callback)
    return createErrorAt(c.offset, "canonical option `callback` cannot be "
                                   "specified for lowerings");
  if (lift && o.coreType)
    return createErrorAt(c.offset, "canonical option `core-type` is not "
                                   "allowed in `canon lift`");
  return Error::success();
}

Error ComponentValidator::canon(const Canon &c) {
  Scope &s = cur();
  if (c.op != CanonOp::Lift && c.op != CanonOp::Lower)
    return canonBuiltin(c);
  Options o;
  if (Error e = readOptions(c, s, arena, features).moveInto(o))
    return e;
  bool lift = c.op == CanonOp::Lift;
  if (Error e = forbid(c, o, lift))
    return e;
  TypeId ft;
  if (lift) {
    if (c.func >= s.coreFuncs.size())
      return createErrorAt(c.offset, "unknown function " + Twine(c.func) +
                                         ": function index out of bounds");
    if (Error e = funcTypeAt(c.type, c.offset).moveInto(ft))
      return e;
  } else {
    if (c.func >= s.funcs.size())
      return createErrorAt(c.offset, "unknown function " + Twine(c.func) +
                                         ": function index out of bounds");
    ft = s.funcs[c.func];
    if (o.gc && !o.coreType)
      return createErrorAt(c.offset, "cannot specify `gc` without also "
                                     "specifying a `core-type` for "
                                     "lowerings");
  }
  const FuncT &f = arena.types[ft].func;
  if (o.isAsync && o.postReturn)
    return createErrorAt(c.offset,
                         "cannot specify post-return function in async");
  if (o.callback && !o.isAsync)
    return createErrorAt(c.offset, "cannot specify callback without async");
  if (o.isAsync && !f.isAsync)
    return createErrorAt(c.offset, "the `async` canonical option requires "
                                   "an async function type");

  FlatTypes params, results;
  bool memParams = false, memResults = false;
  for (const auto &p : f.params) {
    flatten(arena, p.second, o.ptr, params);
    memParams |= needsMemory(arena, p.second);
  }
  if (f.result) {
    flatten(arena, *f.result, o.ptr, results);
    memResults = needsMemory(arena, *f.result);
  }
  size_t maxParams = (!lift && o.isAsync) ? MaxFlatAsyncParams : MaxFlatParams;
  bool spillParams = params.size() > maxParams;
  bool spillResults = results.size() > MaxFlatResults;
  if (o.gc) {
    // The gc ABI passes values as GC references; its rules are not checked
    // here beyond the options.
  } else {
    // Async lifts return through task.return, whose parameters spill past
    // MaxFlatParams.
    bool spillAsyncResults =
        lift && o.isAsync && results.size() > MaxFlatParams;
    bool needMem = memParams || memResults || spillParams ||
                   spillAsyncResults ||
                   (spillResults && (!lift || !o.isAsync)) ||
                   (!lift && o.isAsync && f.result);
    if (needMem && !o.memory)
      return createErrorAt(c.offset, "canonical option `memory` is required");
    bool needRealloc = lift ? memParams || spillParams : memResults;
    if (needRealloc && !o.realloc)
      return createErrorAt(c.offset, "canonical option `realloc` is required");
  }
  if (spillParams)
    params.assign(1, o.ptr);
  if (!lift) {
    if (o.isAsync) {
      if (f.result)
        params.push_back(o.ptr);
      results.assign(1, I32);
    } else if (spillResults) {
      params.push_back(o.ptr);
      results.clear();
    }
    if (o.coreType) {
      if (*o.coreType >= s.coreTypes.size() ||
          s.coreTypes[*o.coreType].isModule)
        return createErrorAt(c.offset,
                             "unknown core type " + Twine(*o.coreType));
      TypeId core = s.coreTypes[*o.coreType].id;
      std::string why = gcLowerMismatch(arena, f, core, utf16(o));
      if (!why.empty())
        return createErrorAt(c.offset, why);
      s.coreFuncs.push_back(core);
      return Error::success();
    }
    s.coreFuncs.push_back(arena.addCoreFunc(params, results));
    return Error::success();
  }
  if (o.isAsync) {
    if (o.callback) {
      if (!hasSignature(arena, s.coreFuncs[*o.callback], {I32, I32, I32},
                        {I32}))
        return createErrorAt(c.offset, "canonical option `callback` uses a "
                                       "core function with an incorrect "
                                       "signature");
      results.assign(1, I32);
    } else {
      if (!features.has(Feature::CmAsyncStackful))
        return createErrorAt(c.offset, "requires the async stackful "
                                       "feature");
      results.clear();
    }
  } else if (spillResults) {
    results.assign(1, o.ptr);
  }
  if (o.gc) {
    std::string why = gcLowerMismatch(arena, f, s.coreFuncs[c.func], utf16(o));
    if (!why.empty())
      return createErrorAt(c.offset, why);
  } else {
    const wasm::FuncType &core = arena.core[s.coreFuncs[c.func]].composite.func;
    FlatTypes have, haveResults;
    for (const wasm::ValType &v : core.params)
      have.push_back(v.code);
    for (const wasm::ValType &v : core.results)
      haveResults.push_back(v.code);
    if (have != params)
      return createErrorAt(
          c.offset, "lowered parameter types `" + flatText(params) +
                        "` do not match parameter types `" + flatText(have) +
                        "` of core function " + Twine(c.func));
    if (haveResults != results)
      return createErrorAt(c.offset, "lowered result types `" +
                                         flatText(results) +
                                         "` do not match result types `" +
                                         flatText(haveResults) +
                                         "` of core function " + Twine(c.func));
  }
  if (o.postReturn &&
      !hasSignature(arena, s.coreFuncs[*o.postReturn], results, {}))
    return createErrorAt(c.offset, "canonical option `post-return` uses a "
                                   "core function with an incorrect "
                                   "signature");
  s.funcs.push_back(ft);
  return Error::success();
}
