//===- CanonicalABI.cpp - Sizes, flattening, options ----------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// elem_size, alignment and flatten_type of CanonicalABI.md for wasm32, and
/// the core signatures of lifted and lowered functions. Variants (and the
/// option, result and enum types defined as variants) share one layout
/// function so their discriminant and payload rules cannot drift apart.
///
//===----------------------------------------------------------------------===//

#include "wcl/WIT/CanonicalABI.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/Support/MathExtras.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::wit;

static uint32_t alignTo32(uint32_t v, uint32_t align) {
  return uint32_t(alignTo(v, align));
}

/// The discriminant size of a variant with \p cases cases.
static uint32_t discriminantSize(size_t cases) {
  if (cases <= 256)
    return 1;
  if (cases <= 65536)
    return 2;
  return 4;
}

/// The layout of a variant whose payloads are \p payloads.
static SizeAlign variantSizeAlign(const Resolve &resolve,
                                  ArrayRef<std::optional<Type>> payloads) {
  uint32_t disc = discriminantSize(payloads.size());
  uint32_t align = disc, maxSize = 0;
  for (const std::optional<Type> &p : payloads)
    if (p) {
      SizeAlign sa = sizeAlign(resolve, *p);
      align = std::max(align, sa.align);
      maxSize = std::max(maxSize, sa.size);
    }
  uint32_t size = alignTo32(disc, align) + maxSize;
  return {alignTo32(size, align), align};
}

static SizeAlign recordSizeAlign(const Resolve &resolve, ArrayRef<Type> types) {
  uint32_t size = 0, align = 1;
  for (Type t : types) {
    SizeAlign sa = sizeAlign(resolve, t);
    size = alignTo32(size, sa.align) + sa.size;
    align = std::max(align, sa.align);
  }
  return {alignTo32(size, align), align};
}

/// The payloads of a variant-like definition, in case order.
static SmallVector<std::optional<Type>, 4> payloadsOf(const TypeDef &def) {
  SmallVector<std::optional<Type>, 4> out;
  switch (def.kind) {
  case TypeDefKind::Variant:
    for (const Case &c : def.cases)
      out.push_back(c.type);
    break;
  case TypeDefKind::Enum:
    out.resize(def.names.size());
    break;
  case TypeDefKind::Option:
    out.push_back(std::nullopt);
    out.push_back(def.element);
    break;
  case TypeDefKind::Result:
    out.push_back(def.element);
    out.push_back(def.error);
    break;
  default:
    break;
  }
  return out;
}

SizeAlign wit::sizeAlign(const Resolve &resolve, Type t) {
  t = resolve.dealias(t);
  if (!t.isId) {
    switch (t.prim) {
    case Prim::Bool:
    case Prim::S8:
    case Prim::U8:
      return {1, 1};
    case Prim::S16:
    case Prim::U16:
      return {2, 2};
    case Prim::S64:
    case Prim::U64:
    case Prim::F64:
      return {8, 8};
    case Prim::String:
      return {8, 4};
    default:
      return {4, 4};
    }
  }
  const TypeDef &def = resolve.get(t.id);
  switch (def.kind) {
  case TypeDefKind::Record: {
    SmallVector<Type, 8> types;
    for (const Field &f : def.fields)
      types.push_back(f.type);
    return recordSizeAlign(resolve, types);
  }
  case TypeDefKind::Tuple:
    return recordSizeAlign(resolve, def.types);
  case TypeDefKind::Variant:
  case TypeDefKind::Enum:
  case TypeDefKind::Option:
  case TypeDefKind::Result:
    return variantSizeAlign(resolve, payloadsOf(def));
  case TypeDefKind::Flags: {
    size_t n = def.names.size();
    if (n == 0)
      return {0, 1};
    if (n <= 8)
      return {1, 1};
    if (n <= 16)
      return {2, 2};
    return {uint32_t(4 * divideCeil(n, 32)), 4};
  }
  case TypeDefKind::List:
  case TypeDefKind::Map: // as list<tuple<K, V>>
    return {8, 4};
  case TypeDefKind::FixedList: {
    SizeAlign e = sizeAlign(resolve, *def.element);
    return {e.size * def.length, e.align};
  }
  default: // handles, futures, streams
    return {4, 4};
  }
}

/// join() of CanonicalABI.md: the core type that can carry both.
static wasm::ValType join(wasm::ValType a, wasm::ValType b) {
  if (wasm::isSameValType(a, b))
    return a;
  auto is32 = [](const wasm::ValType &v) {
    return wasm::isSameValType(v, wasm::i32Type()) ||
           wasm::isSameValType(v, wasm::f32Type());
  };
  if (is32(a) && is32(b))
    return wasm::i32Type();
  return wasm::i64Type();
}

void wit::flatten(const Resolve &resolve, Type t,
                  SmallVectorImpl<wasm::ValType> &out) {
  t = resolve.dealias(t);
  if (!t.isId) {
    switch (t.prim) {
    case Prim::S64:
    case Prim::U64:
      out.push_back(wasm::i64Type());
      return;
    case Prim::F32:
      out.push_back(wasm::f32Type());
      return;
    case Prim::F64:
      out.push_back(wasm::f64Type());
      return;
    case Prim::String:
      out.push_back(wasm::i32Type());
      out.push_back(wasm::i32Type());
      return;
    default:
      out.push_back(wasm::i32Type());
      return;
    }
  }
  const TypeDef &def = resolve.get(t.id);
  switch (def.kind) {
  case TypeDefKind::Record:
    for (const Field &f : def.fields)
      flatten(resolve, f.type, out);
    return;
  case TypeDefKind::Tuple:
    for (Type e : def.types)
      flatten(resolve, e, out);
    return;
  case TypeDefKind::Variant:
  case TypeDefKind::Enum:
  case TypeDefKind::Option:
  case TypeDefKind::Result: {
    SmallVector<wasm::ValType, 8> joined;
    for (const std::optional<Type> &p : payloadsOf(def)) {
      if (!p)
        continue;
      SmallVector<wasm::ValType, 8> flat;
      flatten(resolve, *p, flat);
      for (size_t i = 0; i < flat.size(); ++i) {
        if (i < joined.size())
          joined[i] = join(joined[i], flat[i]);
        else
          joined.push_back(flat[i]);
      }
    }
    out.push_back(wasm::i32Type());
    out.append(joined.begin(), joined.end());
    return;
  }
  case TypeDefKind::Flags:
    for (size_t i = 0; i < divideCeil(def.names.size(), 32); ++i)
      out.push_back(wasm::i32Type());
    return;
  case TypeDefKind::List:
  case TypeDefKind::Map: // as list<tuple<K, V>>
    out.push_back(wasm::i32Type());
    out.push_back(wasm::i32Type());
    return;
  case TypeDefKind::FixedList:
    for (uint32_t i = 0; i < def.length; ++i)
      flatten(resolve, *def.element, out);
    return;
  default: // handles, futures, streams
    out.push_back(wasm::i32Type());
    return;
  }
}

FunctionAbi wit::functionAbi(const Resolve &resolve, const Function &f,
                             AbiVariant variant) {
  FunctionAbi abi;
  SmallVector<wasm::ValType, 16> params, results;
  bool paramLists = false, resultLists = false, strings = false;
  for (const auto &p : f.params) {
    flatten(resolve, p.second, params);
    paramLists |= resolve.hasList(p.second);
    strings |= resolve.hasString(p.second);
  }
  if (f.result) {
    flatten(resolve, *f.result, results);
    resultLists = resolve.hasList(*f.result);
    strings |= resolve.hasString(*f.result);
  }
  bool isLift = variant == AbiVariant::Lift ||
                variant == AbiVariant::LiftAsync ||
                variant == AbiVariant::LiftAsyncStackful;
  bool isAsync = variant != AbiVariant::Lift && variant != AbiVariant::Lower;
  unsigned maxParams =
      variant == AbiVariant::LowerAsync ? MaxFlatAsyncParams : MaxFlatParams;
  abi.paramsSpilled = params.size() > maxParams;
  if (abi.paramsSpilled)
    abi.core.params.push_back(wasm::i32Type());
  else
    abi.core.params.append(params.begin(), params.end());
  // Whether the synchronous form would return through memory; async lifts
  // hand that result to task.return, which then needs memory too.
  bool syncResultsSpilled = results.size() > MaxFlatResults;
  switch (variant) {
  case AbiVariant::Lift:
  case AbiVariant::Lower:
    abi.resultsSpilled = syncResultsSpilled;
    if (!abi.resultsSpilled)
      abi.core.results.append(results.begin(), results.end());
    else if (variant == AbiVariant::Lift)
      abi.core.results.push_back(wasm::i32Type()); // returns a pointer
    else
      abi.core.params.push_back(wasm::i32Type()); // takes a return pointer
    break;
  case AbiVariant::LowerAsync:
    // The result is written through a pointer; the call returns a status.
    abi.resultsSpilled = f.result.has_value();
    if (abi.resultsSpilled)
      abi.core.params.push_back(wasm::i32Type());
    abi.core.results.push_back(wasm::i32Type());
    break;
  case AbiVariant::LiftAsync:
    abi.core.results.push_back(wasm::i32Type()); // a status code
    break;
  case AbiVariant::LiftAsyncStackful:
    break;
  }

  RequiredOptions &o = abi.options;
  o.stringEncoding = strings;
  o.async = isAsync;
  if (!isLift) {
    o.memory =
        paramLists || resultLists || abi.paramsSpilled || abi.resultsSpilled;
    o.realloc = resultLists;
  } else if (!isAsync) {
    o.memory =
        paramLists || resultLists || abi.paramsSpilled || abi.resultsSpilled;
    o.realloc = paramLists || abi.paramsSpilled;
  } else {
    // The lift's own needs, plus task.return's (which has no realloc).
    o.memory = paramLists || resultLists || abi.paramsSpilled ||
               params.size() > MaxFlatParams || syncResultsSpilled;
    o.realloc = paramLists || abi.paramsSpilled;
  }
  return abi;
}
