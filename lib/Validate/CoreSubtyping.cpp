//===- CoreSubtyping.cpp - Matching of core types
//--------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Core subtyping over arena ids: value and reference types, declared
/// supertypes, and the matching of extern types that module instantiation
/// checks, with wasm-tools' messages for each kind of mismatch.
///
//===----------------------------------------------------------------------===//

#include "Types.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::validate;
using namespace wcl::wasm;

/// The abstract heap type a concrete type belongs under.
static int64_t concreteTop(const TypeArena &arena, int64_t id) {
  if (id < 0 || size_t(id) >= arena.core.size())
    return heaptype::Any;
  switch (arena.core[id].composite.kind) {
  case CompositeType::Kind::Func:
    return heaptype::Func;
  case CompositeType::Kind::Cont:
    return heaptype::Cont;
  default:
    return heaptype::Any;
  }
}

int64_t validate::topHeapType(const TypeArena &arena, int64_t ht) {
  if (ht >= 0)
    return concreteTop(arena, ht);
  switch (ht) {
  case heaptype::Func:
  case heaptype::NoFunc:
    return heaptype::Func;
  case heaptype::Extern:
  case heaptype::NoExtern:
    return heaptype::Extern;
  case heaptype::Exn:
  case heaptype::NoExn:
    return heaptype::Exn;
  case heaptype::Cont:
  case heaptype::NoCont:
    return heaptype::Cont;
  default:
    return heaptype::Any;
  }
}

static bool isBottom(int64_t ht) {
  return ht == heaptype::None || ht == heaptype::NoFunc ||
         ht == heaptype::NoExtern || ht == heaptype::NoExn ||
         ht == heaptype::NoCont;
}

static bool heapSubtype(const TypeArena &arena, int64_t a, int64_t b) {
  if (a == b)
    return true;
  if (a >= 0 && b >= 0)
    return coreTypeSubtype(arena, TypeId(a), TypeId(b));
  if (topHeapType(arena, a) != topHeapType(arena, b))
    return false;
  if (isBottom(a))
    return true;
  if (b == topHeapType(arena, b))
    return !isBottom(b);
  if (a >= 0) {
    // A concrete type is under the abstract kind of its composite.
    CompositeType::Kind k = arena.core[a].composite.kind;
    if (b == heaptype::Eq)
      return k == CompositeType::Kind::Struct ||
             k == CompositeType::Kind::Array;
    if (b == heaptype::Struct)
      return k == CompositeType::Kind::Struct;
    if (b == heaptype::Array)
      return k == CompositeType::Kind::Array;
    return false;
  }
  if (b == heaptype::Eq)
    return a == heaptype::I31 || a == heaptype::Struct || a == heaptype::Array;
  return false;
}

bool validate::coreRefSubtype(const TypeArena &arena, const RefType &a,
                              const RefType &b) {
  if (a.nullable && !b.nullable)
    return false;
  if (a.shared != b.shared && a.heapType < 0 && b.heapType < 0)
    return false;
  return heapSubtype(arena, a.heapType, b.heapType);
}

bool validate::coreValSubtype(const TypeArena &arena, const ValType &a,
                              const ValType &b) {
  if (a.isRef() != b.isRef())
    return false;
  if (!a.isRef())
    return a.code == b.code;
  return coreRefSubtype(arena, a.ref, b.ref);
}

static bool valEqual(const TypeArena &arena, const ValType &a, const ValType &b,
                     unsigned depth);

static bool typesEqual(const TypeArena &arena, TypeId a, TypeId b,
                       unsigned depth) {
  if (a == b)
    return true;
  if (a >= arena.core.size() || b >= arena.core.size())
    return false;
  // Recursive references are assumed equal once deep enough (coinduction),
  // which is what the iso-recursive equivalence gives for well-formed
  // groups.
  if (depth > 32)
    return true;
  const SubType &x = arena.core[a], &y = arena.core[b];
  // Members of rec groups are the same only at the same place in groups of
  // the same size.
  if (arena.coreGroup[a].second != arena.coreGroup[b].second ||
      a - arena.coreGroup[a].first != b - arena.coreGroup[b].first)
    return false;
  if (x.isFinal != y.isFinal || x.supertypes.size() != y.supertypes.size())
    return false;
  for (size_t i = 0; i < x.supertypes.size(); ++i)
    if (!typesEqual(arena, x.supertypes[i], y.supertypes[i], depth + 1))
      return false;
  const CompositeType &c = x.composite, &d = y.composite;
  if (c.kind != d.kind || c.shared != d.shared)
    return false;
  switch (c.kind) {
  case CompositeType::Kind::Func:
    if (c.func.params.size() != d.func.params.size() ||
        c.func.results.size() != d.func.results.size())
      return false;
    for (size_t i = 0; i < c.func.params.size(); ++i)
      if (!valEqual(arena, c.func.params[i], d.func.params[i], depth + 1))
        return false;
    for (size_t i = 0; i < c.func.results.size(); ++i)
      if (!valEqual(arena, c.func.results[i], d.func.results[i], depth + 1))
        return false;
    return true;
  case CompositeType::Kind::Struct:
  case CompositeType::Kind::Array:
    if (c.fields.size() != d.fields.size())
      return false;
    for (size_t i = 0; i < c.fields.size(); ++i)
      if (c.fields[i].packed != d.fields[i].packed ||
          c.fields[i].mutable_ != d.fields[i].mutable_ ||
          !valEqual(arena, c.fields[i].type, d.fields[i].type, depth + 1))
        return false;
    return true;
  case CompositeType::Kind::Cont:
    return typesEqual(arena, c.contType, d.contType, depth + 1);
  }
  return false;
}

static bool valEqual(const TypeArena &arena, const ValType &a, const ValType &b,
                     unsigned depth) {
  if (a.code != b.code)
    return false;
  if (!a.isRef())
    return true;
  if (a.ref.nullable != b.ref.nullable || a.ref.shared != b.ref.shared)
    return false;
  if (a.ref.heapType < 0 || b.ref.heapType < 0)
    return a.ref.heapType == b.ref.heapType;
  return typesEqual(arena, TypeId(a.ref.heapType), TypeId(b.ref.heapType),
                    depth);
}

bool validate::coreTypesEqual(const TypeArena &arena, TypeId a, TypeId b) {
  return typesEqual(arena, a, b, 0);
}

bool validate::coreTypeSubtype(const TypeArena &arena, TypeId a, TypeId b) {
  // Walk a's declared supertype chain; the chain is finite because a
  // supertype always has a smaller id than its subtype.
  for (unsigned steps = 0; steps < 1000 && a < arena.core.size(); ++steps) {
    if (coreTypesEqual(arena, a, b))
      return true;
    if (arena.core[a].supertypes.empty())
      return false;
    TypeId next = arena.core[a].supertypes[0];
    if (next >= a)
      return false;
    a = next;
  }
  return false;
}

static std::string valText(const TypeArena &arena, const ValType &v) {
  if (v.isRef() && v.ref.heapType >= 0)
    return std::string(v.ref.nullable ? "(ref null " : "(ref ") + "(id " +
           utostr(uint64_t(v.ref.heapType)) + "))";
  return toString(v);
}

std::string validate::funcTypeText(const TypeArena &arena, TypeId func) {
  if (func >= arena.core.size() ||
      arena.core[func].composite.kind != CompositeType::Kind::Func)
    return "(non-func)";
  const FuncType &f = arena.core[func].composite.func;
  std::string s = "(func";
  if (!f.params.empty()) {
    s += " (param";
    for (const ValType &v : f.params)
      s += " " + valText(arena, v);
    s += ")";
  }
  if (!f.results.empty()) {
    s += " (result";
    for (const ValType &v : f.results)
      s += " " + valText(arena, v);
    s += ")";
  }
  return s + ")";
}

static bool limitsMatch(const Limits &a, const Limits &b) {
  if (a.min < b.min)
    return false;
  if (!b.max)
    return true;
  return a.max && *a.max <= *b.max;
}

std::string validate::coreExternMismatch(const TypeArena &arena,
                                         const CoreExtern &actual,
                                         const CoreExtern &expected) {
  if (actual.kind != expected.kind)
    return ("expected " + wasm::toString(expected.kind) + ", found " +
            wasm::toString(actual.kind))
        .str();
  switch (actual.kind) {
  case ExternType::Kind::Func:
  case ExternType::Kind::Tag:
    if (coreTypeSubtype(arena, actual.func, expected.func))
      return "";
    if (actual.kind == ExternType::Kind::Tag)
      return "expected tag type " + funcTypeText(arena, expected.func) +
             ", found " + funcTypeText(arena, actual.func);
    return "expected: " + funcTypeText(arena, expected.func) +
           "\nfound:    " + funcTypeText(arena, actual.func);
  case ExternType::Kind::Table: {
    const TableType &a = actual.table, &b = expected.table;
    if (a.elemType.nullable != b.elemType.nullable ||
        a.elemType.heapType != b.elemType.heapType ||
        a.elemType.shared != b.elemType.shared)
      if (!(a.elemType.heapType >= 0 && b.elemType.heapType >= 0 &&
            a.elemType.nullable == b.elemType.nullable &&
            coreTypesEqual(arena, a.elemType.heapType, b.elemType.heapType)))
        return "expected table element type " + toString(b.elemType) +
               ", found " + toString(a.elemType);
    if (a.limits.is64 != b.limits.is64)
      return "mismatch in index type used for tables";
    if (a.limits.shared != b.limits.shared)
      return "mismatch in the shared flag for tables";
    if (!limitsMatch(a.limits, b.limits))
      return "mismatch in table limits";
    return "";
  }
  case ExternType::Kind::Memory: {
    const Limits &a = actual.memory.limits, &b = expected.memory.limits;
    if (a.is64 != b.is64)
      return "mismatch in index type used for memories";
    if (a.shared != b.shared)
      return "mismatch in the shared flag for memories";
    if (a.pageSizeLog2.value_or(16) != b.pageSizeLog2.value_or(16))
      return "mismatch in page size for memories";
    if (!limitsMatch(a, b))
      return "mismatch in memory limits";
    return "";
  }
  case ExternType::Kind::Global: {
    const GlobalType &a = actual.global, &b = expected.global;
    if (a.mutable_ != b.mutable_)
      return "global types differ in mutability";
    if (a.shared != b.shared)
      return "global types differ in the shared flag";
    bool ok = a.mutable_ ? coreValSubtype(arena, a.type, b.type) &&
                               coreValSubtype(arena, b.type, a.type)
                         : coreValSubtype(arena, a.type, b.type);
    if (!ok)
      return "expected global type " + valText(arena, b.type) + ", found " +
             valText(arena, a.type);
    return "";
  }
  }
  return "";
}
