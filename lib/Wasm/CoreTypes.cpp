//===- CoreTypes.cpp - Core types and their decoding ----------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Decoders and text renderings of core types. The decoders follow the core
/// binary format with the GC, function-references, exception-handling,
/// memory64, threads, shared-everything-threads, stack-switching and
/// custom-page-sizes encodings, because wasm-tools accepts all of them and a
/// dump that rejected a module wasm-tools prints would be useless for
/// debugging. Validation (are indices in range, are features enabled) is left
/// to the consumers: these functions only reject what cannot be decoded.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/CoreTypes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::wasm;

namespace {
// Type-section lead bytes (GC proposal).
constexpr uint8_t RecLead = 0x4e;
constexpr uint8_t SubLead = 0x50;
constexpr uint8_t SubFinalLead = 0x4f;
constexpr uint8_t SharedLead = 0x65;
constexpr uint8_t FuncLead = 0x60;
constexpr uint8_t StructLead = 0x5f;
constexpr uint8_t ArrayLead = 0x5e;
constexpr uint8_t ContLead = 0x5d;
// Reference type constructors.
constexpr uint8_t RefLead = 0x64;
constexpr uint8_t RefNullLead = 0x63;
// Packed storage types.
constexpr uint8_t PackedI8 = 0x78;
constexpr uint8_t PackedI16 = 0x77;
} // namespace

StringRef wcl::wasm::abstractHeapTypeName(int64_t heapType) {
  switch (heapType) {
  case heaptype::Exn:
    return "exn";
  case heaptype::Array:
    return "array";
  case heaptype::Struct:
    return "struct";
  case heaptype::I31:
    return "i31";
  case heaptype::Eq:
    return "eq";
  case heaptype::Any:
    return "any";
  case heaptype::Extern:
    return "extern";
  case heaptype::Func:
    return "func";
  case heaptype::None:
    return "none";
  case heaptype::NoExtern:
    return "noextern";
  case heaptype::NoFunc:
    return "nofunc";
  case heaptype::NoExn:
    return "noexn";
  case heaptype::NoCont:
    return "nocont";
  case heaptype::Cont:
    return "cont";
  default:
    return "";
  }
}

Error wcl::wasm::readHeapType(BinaryReader &reader, RefType &ref) {
  uint64_t start = reader.offset();
  Expected<uint8_t> lead = reader.peekU8();
  if (!lead)
    return lead.takeError();
  ref.shared = false;
  if (*lead == SharedLead) {
    // Only abstract heap types can be marked shared; a concrete type is
    // shared through its definition.
    consumeError(reader.readU8().takeError());
    ref.shared = true;
    Expected<uint8_t> b = reader.readU8();
    if (!b)
      return b.takeError();
    int64_t ht = int64_t(*b) - 0x80;
    if (abstractHeapTypeName(ht).empty())
      return BinaryReader::errorAt(start + 1,
                                   "invalid abstract heap type 0x" +
                                       utohexstr(*b, /*LowerCase=*/true));
    ref.heapType = ht;
    return Error::success();
  }
  Expected<int64_t> ht = reader.readVarS33();
  if (!ht)
    return ht.takeError();
  if (*ht < 0 && abstractHeapTypeName(*ht).empty())
    return BinaryReader::errorAt(
        start, "invalid heap type 0x" + utohexstr(*lead, /*LowerCase=*/true));
  if (*ht > int64_t(UINT32_MAX))
    return BinaryReader::errorAt(start, "type index " + Twine(*ht) +
                                            " in heap type is out of range");
  ref.heapType = *ht;
  return Error::success();
}

/// Reads the rest of a reference type whose first byte \p lead was consumed.
/// Returns false in \p isRef when \p lead starts no reference type.
static Error readRefTypeAfter(uint8_t lead, BinaryReader &reader, RefType &ref,
                              bool &isRef) {
  isRef = true;
  if (lead == RefLead || lead == RefNullLead) {
    ref.nullable = lead == RefNullLead;
    return readHeapType(reader, ref);
  }
  int64_t ht = int64_t(lead) - 0x80;
  if (lead >= 0x40 && !abstractHeapTypeName(ht).empty()) {
    // Shorthands: funcref, externref, anyref, ... are nullable.
    ref.nullable = true;
    ref.shared = false;
    ref.heapType = ht;
    return Error::success();
  }
  isRef = false;
  return Error::success();
}

Expected<ValType> wcl::wasm::readValType(BinaryReader &reader) {
  uint64_t start = reader.offset();
  Expected<uint8_t> b = reader.readU8();
  if (!b)
    return b.takeError();
  ValType type;
  switch (*b) {
  case 0x7f: // i32
  case 0x7e: // i64
  case 0x7d: // f32
  case 0x7c: // f64
  case 0x7b: // v128
    type.code = *b;
    return type;
  default:
    break;
  }
  bool isRef = false;
  if (Error e = readRefTypeAfter(*b, reader, type.ref, isRef))
    return std::move(e);
  if (!isRef)
    return BinaryReader::errorAt(start, "invalid value type 0x" +
                                            utohexstr(*b, /*LowerCase=*/true));
  type.code = type.ref.nullable ? RefNullLead : RefLead;
  return type;
}

Expected<RefType> wcl::wasm::readRefType(BinaryReader &reader) {
  uint64_t start = reader.offset();
  Expected<uint8_t> b = reader.readU8();
  if (!b)
    return b.takeError();
  RefType ref;
  bool isRef = false;
  if (Error e = readRefTypeAfter(*b, reader, ref, isRef))
    return std::move(e);
  if (!isRef)
    return BinaryReader::errorAt(start, "invalid reference type 0x" +
                                            utohexstr(*b, /*LowerCase=*/true));
  return ref;
}

Expected<Limits> wcl::wasm::readLimits(BinaryReader &reader) {
  uint64_t start = reader.offset();
  Expected<uint8_t> flags = reader.readU8();
  if (!flags)
    return flags.takeError();
  // Bit 0: has max; 1: shared (threads); 2: 64-bit addresses (memory64,
  // table64); 3: custom page size follows.
  if (*flags & ~0x0fu)
    return BinaryReader::errorAt(start,
                                 "invalid limits flags 0x" +
                                     utohexstr(*flags, /*LowerCase=*/true));
  Limits limits;
  limits.shared = *flags & 0x02;
  limits.is64 = *flags & 0x04;
  auto readBound = [&]() -> Expected<uint64_t> {
    if (limits.is64)
      return reader.readVarU64();
    Expected<uint32_t> v = reader.readVarU32();
    if (!v)
      return v.takeError();
    return uint64_t(*v);
  };
  Expected<uint64_t> min = readBound();
  if (!min)
    return min.takeError();
  limits.min = *min;
  if (*flags & 0x01) {
    Expected<uint64_t> max = readBound();
    if (!max)
      return max.takeError();
    limits.max = *max;
  }
  if (*flags & 0x08) {
    Expected<uint32_t> log2 = reader.readVarU32();
    if (!log2)
      return log2.takeError();
    limits.pageSizeLog2 = *log2;
  }
  return limits;
}

Expected<TableType> wcl::wasm::readTableType(BinaryReader &reader) {
  TableType type;
  Expected<RefType> ref = readRefType(reader);
  if (!ref)
    return ref.takeError();
  type.elemType = *ref;
  Expected<Limits> limits = readLimits(reader);
  if (!limits)
    return limits.takeError();
  type.limits = *limits;
  return type;
}

Expected<MemoryType> wcl::wasm::readMemoryType(BinaryReader &reader) {
  Expected<Limits> limits = readLimits(reader);
  if (!limits)
    return limits.takeError();
  return MemoryType{*limits};
}

Expected<GlobalType> wcl::wasm::readGlobalType(BinaryReader &reader) {
  GlobalType type;
  Expected<ValType> vt = readValType(reader);
  if (!vt)
    return vt.takeError();
  type.type = *vt;
  uint64_t at = reader.offset();
  Expected<uint8_t> mut = reader.readU8();
  if (!mut)
    return mut.takeError();
  // Bit 0: mutable; bit 1: shared (shared-everything-threads).
  if (*mut & ~0x03u)
    return BinaryReader::errorAt(at, "malformed mutability 0x" +
                                         utohexstr(*mut, /*LowerCase=*/true));
  type.mutable_ = *mut & 0x01;
  type.shared = *mut & 0x02;
  return type;
}

Expected<TagType> wcl::wasm::readTagType(BinaryReader &reader) {
  uint64_t at = reader.offset();
  Expected<uint8_t> attr = reader.readU8();
  if (!attr)
    return attr.takeError();
  if (*attr != 0)
    return BinaryReader::errorAt(at, "invalid tag attribute 0x" +
                                         utohexstr(*attr, /*LowerCase=*/true));
  Expected<uint32_t> idx = reader.readVarU32();
  if (!idx)
    return idx.takeError();
  return TagType{*attr, *idx};
}

Expected<FieldType> wcl::wasm::readFieldType(BinaryReader &reader) {
  FieldType field;
  Expected<uint8_t> lead = reader.peekU8();
  if (!lead)
    return lead.takeError();
  if (*lead == PackedI8 || *lead == PackedI16) {
    consumeError(reader.readU8().takeError());
    field.packed = *lead;
  } else {
    Expected<ValType> vt = readValType(reader);
    if (!vt)
      return vt.takeError();
    field.type = *vt;
  }
  uint64_t at = reader.offset();
  Expected<uint8_t> mut = reader.readU8();
  if (!mut)
    return mut.takeError();
  if (*mut > 1)
    return BinaryReader::errorAt(at, "malformed mutability 0x" +
                                         utohexstr(*mut, /*LowerCase=*/true));
  field.mutable_ = *mut;
  return field;
}

/// Reads a vector of value types (function parameters or results).
template <typename VecT>
static Error readValTypes(BinaryReader &reader, VecT &out) {
  Expected<uint32_t> n = reader.readCount();
  if (!n)
    return n.takeError();
  out.reserve(*n);
  for (uint32_t i = 0; i < *n; ++i) {
    Expected<ValType> vt = readValType(reader);
    if (!vt)
      return vt.takeError();
    out.push_back(*vt);
  }
  return Error::success();
}

/// A composite type whose first byte \p lead (at \p leadAt) was consumed.
static Expected<CompositeType> readCompositeAfter(uint8_t lead, uint64_t leadAt,
                                                  BinaryReader &reader) {
  CompositeType comp;
  if (lead == SharedLead) {
    comp.shared = true;
    leadAt = reader.offset();
    Expected<uint8_t> b = reader.readU8();
    if (!b)
      return b.takeError();
    lead = *b;
  }
  switch (lead) {
  case FuncLead:
    comp.kind = CompositeType::Kind::Func;
    if (Error e = readValTypes(reader, comp.func.params))
      return std::move(e);
    if (Error e = readValTypes(reader, comp.func.results))
      return std::move(e);
    return comp;
  case StructLead: {
    comp.kind = CompositeType::Kind::Struct;
    Expected<uint32_t> n = reader.readCount(2);
    if (!n)
      return n.takeError();
    comp.fields.reserve(*n);
    for (uint32_t i = 0; i < *n; ++i) {
      Expected<FieldType> f = readFieldType(reader);
      if (!f)
        return f.takeError();
      comp.fields.push_back(*f);
    }
    return comp;
  }
  case ArrayLead: {
    comp.kind = CompositeType::Kind::Array;
    Expected<FieldType> f = readFieldType(reader);
    if (!f)
      return f.takeError();
    comp.fields.push_back(*f);
    return comp;
  }
  case ContLead: {
    comp.kind = CompositeType::Kind::Cont;
    Expected<uint32_t> idx = reader.readVarU32();
    if (!idx)
      return idx.takeError();
    comp.contType = *idx;
    return comp;
  }
  default:
    return BinaryReader::errorAt(leadAt,
                                 "invalid leading byte 0x" +
                                     utohexstr(lead, /*LowerCase=*/true) +
                                     " for a type definition");
  }
}

Expected<SubType> wcl::wasm::readSubTypeAfter(uint8_t lead,
                                              BinaryReader &reader) {
  // The caller consumed the lead byte just before the cursor.
  uint64_t leadAt = reader.offset() - 1;
  SubType sub;
  if (lead == SubLead || lead == SubFinalLead) {
    sub.isFinal = lead == SubFinalLead;
    Expected<uint32_t> n = reader.readCount();
    if (!n)
      return n.takeError();
    for (uint32_t i = 0; i < *n; ++i) {
      Expected<uint32_t> idx = reader.readVarU32();
      if (!idx)
        return idx.takeError();
      sub.supertypes.push_back(*idx);
    }
    leadAt = reader.offset();
    Expected<uint8_t> b = reader.readU8();
    if (!b)
      return b.takeError();
    lead = *b;
  }
  Expected<CompositeType> comp = readCompositeAfter(lead, leadAt, reader);
  if (!comp)
    return comp.takeError();
  sub.composite = std::move(*comp);
  return sub;
}

Expected<RecGroup> wcl::wasm::readRecGroup(BinaryReader &reader) {
  RecGroup group;
  Expected<uint8_t> lead = reader.readU8();
  if (!lead)
    return lead.takeError();
  if (*lead != RecLead) {
    Expected<SubType> sub = readSubTypeAfter(*lead, reader);
    if (!sub)
      return sub.takeError();
    group.types.push_back(std::move(*sub));
    return group;
  }
  group.explicitRec = true;
  Expected<uint32_t> n = reader.readCount();
  if (!n)
    return n.takeError();
  for (uint32_t i = 0; i < *n; ++i) {
    Expected<uint8_t> b = reader.readU8();
    if (!b)
      return b.takeError();
    Expected<SubType> sub = readSubTypeAfter(*b, reader);
    if (!sub)
      return sub.takeError();
    group.types.push_back(std::move(*sub));
  }
  return group;
}

Expected<ExternType> wcl::wasm::readExternType(BinaryReader &reader) {
  uint64_t at = reader.offset();
  Expected<uint8_t> kind = reader.readU8();
  if (!kind)
    return kind.takeError();
  ExternType type;
  switch (*kind) {
  case 0x00: {
    type.kind = ExternType::Kind::Func;
    Expected<uint32_t> idx = reader.readVarU32();
    if (!idx)
      return idx.takeError();
    type.funcType = *idx;
    return type;
  }
  case 0x01: {
    type.kind = ExternType::Kind::Table;
    Expected<TableType> t = readTableType(reader);
    if (!t)
      return t.takeError();
    type.table = *t;
    return type;
  }
  case 0x02: {
    type.kind = ExternType::Kind::Memory;
    Expected<MemoryType> m = readMemoryType(reader);
    if (!m)
      return m.takeError();
    type.memory = *m;
    return type;
  }
  case 0x03: {
    type.kind = ExternType::Kind::Global;
    Expected<GlobalType> g = readGlobalType(reader);
    if (!g)
      return g.takeError();
    type.global = *g;
    return type;
  }
  case 0x04: {
    type.kind = ExternType::Kind::Tag;
    Expected<TagType> t = readTagType(reader);
    if (!t)
      return t.takeError();
    type.tag = *t;
    return type;
  }
  default:
    return BinaryReader::errorAt(at, "invalid external kind 0x" +
                                         utohexstr(*kind, /*LowerCase=*/true));
  }
}

Expected<Import> wcl::wasm::readImport(BinaryReader &reader) {
  Import imp;
  Expected<StringRef> module = reader.readName();
  if (!module)
    return module.takeError();
  imp.module = *module;
  Expected<StringRef> field = reader.readName();
  if (!field)
    return field.takeError();
  imp.field = *field;
  Expected<ExternType> type = readExternType(reader);
  if (!type)
    return type.takeError();
  imp.type = *type;
  return imp;
}

//===----------------------------------------------------------------------===//
// Text renderings
//===----------------------------------------------------------------------===//

std::string wcl::wasm::toString(const RefType &type) {
  StringRef abstract = abstractHeapTypeName(type.heapType);
  if (type.heapType < 0 && type.nullable && !type.shared) {
    // The shorthands wasm-tools prints. Bottom types have their own names.
    switch (type.heapType) {
    case heaptype::None:
      return "nullref";
    case heaptype::NoExtern:
      return "nullexternref";
    case heaptype::NoFunc:
      return "nullfuncref";
    case heaptype::NoExn:
      return "nullexnref";
    case heaptype::NoCont:
      return "nullcontref";
    default:
      if (!abstract.empty())
        return (abstract + "ref").str();
    }
  }
  std::string heap;
  if (type.heapType >= 0)
    heap = utostr(uint64_t(type.heapType));
  else if (!abstract.empty())
    heap = abstract.str();
  else
    heap = "<invalid heap type " + itostr(type.heapType) + ">";
  if (type.shared)
    heap = "(shared " + heap + ")";
  return std::string(type.nullable ? "(ref null " : "(ref ") + heap + ")";
}

std::string wcl::wasm::toString(const ValType &type) {
  switch (type.code) {
  case 0x7f:
    return "i32";
  case 0x7e:
    return "i64";
  case 0x7d:
    return "f32";
  case 0x7c:
    return "f64";
  case 0x7b:
    return "v128";
  case RefLead:
  case RefNullLead:
    return toString(type.ref);
  default:
    return "<invalid type 0x" + utohexstr(type.code, /*LowerCase=*/true) + ">";
  }
}

std::string wcl::wasm::toString(const FieldType &type) {
  std::string storage = type.packed == PackedI8    ? std::string("i8")
                        : type.packed == PackedI16 ? std::string("i16")
                                                   : toString(type.type);
  return type.mutable_ ? "(mut " + storage + ")" : storage;
}

std::string wcl::wasm::toString(const FuncType &type) {
  std::string s = "(func";
  if (!type.params.empty()) {
    s += " (param";
    for (const ValType &t : type.params)
      s += " " + toString(t);
    s += ")";
  }
  if (!type.results.empty()) {
    s += " (result";
    for (const ValType &t : type.results)
      s += " " + toString(t);
    s += ")";
  }
  return s + ")";
}

std::string wcl::wasm::toString(const CompositeType &type) {
  std::string s;
  switch (type.kind) {
  case CompositeType::Kind::Func:
    s = toString(type.func);
    break;
  case CompositeType::Kind::Struct:
    s = "(struct";
    for (const FieldType &f : type.fields)
      s += " (field " + toString(f) + ")";
    s += ")";
    break;
  case CompositeType::Kind::Array:
    s = "(array " +
        (type.fields.empty() ? std::string("?") : toString(type.fields[0])) +
        ")";
    break;
  case CompositeType::Kind::Cont:
    s = "(cont " + utostr(type.contType) + ")";
    break;
  }
  return type.shared ? "(shared " + s + ")" : s;
}

std::string wcl::wasm::toString(const SubType &type) {
  // A final type without supertypes is written without `sub`, as in the
  // binary (and as wasm-tools prints it).
  if (type.isFinal && type.supertypes.empty())
    return toString(type.composite);
  std::string s = "(sub";
  if (type.isFinal)
    s += " final";
  for (uint32_t super : type.supertypes)
    s += " " + utostr(super);
  return s + " " + toString(type.composite) + ")";
}

std::string wcl::wasm::toString(const Limits &limits) {
  std::string s;
  if (limits.is64)
    s += "i64 ";
  s += utostr(limits.min);
  if (limits.max)
    s += " " + utostr(*limits.max);
  if (limits.shared)
    s += " shared";
  if (limits.pageSizeLog2) {
    if (*limits.pageSizeLog2 < 64)
      s += " (pagesize " + utostr(uint64_t(1) << *limits.pageSizeLog2) + ")";
    else
      s += " (pagesize 2**" + utostr(*limits.pageSizeLog2) + ")";
  }
  return s;
}

std::string wcl::wasm::toString(const TableType &type) {
  return toString(type.limits) + " " + toString(type.elemType);
}

std::string wcl::wasm::toString(const MemoryType &type) {
  return toString(type.limits);
}

std::string wcl::wasm::toString(const GlobalType &type) {
  std::string s = toString(type.type);
  if (type.mutable_)
    s = "(mut " + s + ")";
  if (type.shared)
    s = "(shared " + s + ")";
  return s;
}

std::string wcl::wasm::toString(const TagType &type) {
  return "(type " + utostr(type.typeIndex) + ")";
}

StringRef wcl::wasm::toString(ExternType::Kind kind) {
  switch (kind) {
  case ExternType::Kind::Func:
    return "func";
  case ExternType::Kind::Table:
    return "table";
  case ExternType::Kind::Memory:
    return "memory";
  case ExternType::Kind::Global:
    return "global";
  case ExternType::Kind::Tag:
    return "tag";
  }
  return "<invalid kind>";
}

std::string wcl::wasm::toString(const ExternType &type) {
  std::string body;
  switch (type.kind) {
  case ExternType::Kind::Func:
    body = "(type " + utostr(type.funcType) + ")";
    break;
  case ExternType::Kind::Table:
    body = toString(type.table);
    break;
  case ExternType::Kind::Memory:
    body = toString(type.memory);
    break;
  case ExternType::Kind::Global:
    body = toString(type.global);
    break;
  case ExternType::Kind::Tag:
    body = toString(type.tag);
    break;
  }
  return "(" + toString(type.kind).str() + " " + body + ")";
}

IndexSpace wcl::wasm::coreIndexSpace(ExternType::Kind kind) {
  switch (kind) {
  case ExternType::Kind::Func:
    return IndexSpace::CoreFunc;
  case ExternType::Kind::Table:
    return IndexSpace::CoreTable;
  case ExternType::Kind::Memory:
    return IndexSpace::CoreMemory;
  case ExternType::Kind::Global:
    return IndexSpace::CoreGlobal;
  case ExternType::Kind::Tag:
    return IndexSpace::CoreTag;
  }
  return IndexSpace::CoreFunc;
}
