//===- CanonABI.cpp - Flattening for the validator ------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "CanonABI.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::validate;
using wasm::TypeCode;
using Kind = DefinedT::Kind;

static constexpr uint8_t I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c;

static void flattenPrim(TypeCode c, uint8_t ptr, FlatTypes &out) {
  switch (c) {
  case TypeCode::S64:
  case TypeCode::U64:
    out.push_back(I64);
    return;
  case TypeCode::F32:
    out.push_back(F32);
    return;
  case TypeCode::F64:
    out.push_back(F64);
    return;
  case TypeCode::String:
    out.push_back(ptr);
    out.push_back(ptr);
    return;
  default:
    out.push_back(I32);
    return;
  }
}

/// CanonicalABI.md `join`: the core type two cases' values share.
static uint8_t join(uint8_t a, uint8_t b) {
  if (a == b)
    return a;
  if ((a == I32 && b == F32) || (a == F32 && b == I32))
    return I32;
  return I64;
}

static void flattenCases(const TypeArena &arena,
                         ArrayRef<std::optional<CValType>> cases, uint8_t ptr,
                         FlatTypes &out) {
  out.push_back(I32);
  FlatTypes joined;
  for (const std::optional<CValType> &c : cases) {
    if (!c)
      continue;
    FlatTypes f;
    flatten(arena, *c, ptr, f);
    for (size_t i = 0; i < f.size(); ++i) {
      if (i < joined.size())
        joined[i] = join(joined[i], f[i]);
      else
        joined.push_back(f[i]);
    }
  }
  out.append(joined.begin(), joined.end());
}

void validate::flatten(const TypeArena &arena, const CValType &v, uint8_t ptr,
                       FlatTypes &out) {
  if (v.isPrim)
    return flattenPrim(v.prim, ptr, out);
  const DefinedT &d = arena.types[v.id].defined;
  switch (d.kind) {
  case Kind::Primitive:
    return flattenPrim(d.prim, ptr, out);
  case Kind::Record:
    for (const auto &f : d.fields)
      flatten(arena, f.second, ptr, out);
    return;
  case Kind::Tuple:
    for (const CValType &t : d.types)
      flatten(arena, t, ptr, out);
    return;
  case Kind::Variant: {
    SmallVector<std::optional<CValType>, 4> cases;
    for (const auto &c : d.cases)
      cases.push_back(c.second);
    return flattenCases(arena, cases, ptr, out);
  }
  case Kind::Option:
    return flattenCases(arena, {std::nullopt, d.first}, ptr, out);
  case Kind::Result:
    return flattenCases(arena, {d.first, d.second}, ptr, out);
  case Kind::FixedList:
    for (uint32_t i = 0; i < d.length && out.size() <= 64; ++i)
      flatten(arena, *d.first, ptr, out);
    return;
  case Kind::List:
  case Kind::Map:
    out.push_back(ptr);
    out.push_back(ptr);
    return;
  default:
    // enum, flags (up to 32), own, borrow, stream, future.
    out.push_back(I32);
    return;
  }
}

bool validate::needsMemory(const TypeArena &arena, const CValType &v) {
  if (v.isPrim)
    return v.prim == TypeCode::String;
  const DefinedT &d = arena.types[v.id].defined;
  switch (d.kind) {
  case Kind::Primitive:
    return d.prim == TypeCode::String;
  case Kind::List:
  case Kind::Map:
    return true;
  default:
    break;
  }
  for (const auto &f : d.fields)
    if (needsMemory(arena, f.second))
      return true;
  for (const auto &c : d.cases)
    if (c.second && needsMemory(arena, *c.second))
      return true;
  for (const CValType &t : d.types)
    if (needsMemory(arena, t))
      return true;
  return (d.first && d.kind != Kind::Stream && d.kind != Kind::Future &&
          needsMemory(arena, *d.first)) ||
         (d.second && needsMemory(arena, *d.second));
}
