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
  return readHeapType(reader, ref, false);
}

Error wcl::wasm::readHeapType(BinaryReader &reader, RefType &ref,
                              bool sharedConsumed) {
  uint64_t start = reader.offset() - (sharedConsumed ? 1 : 0);
  uint8_t lead = SharedLead;
  if (!sharedConsumed)
    if (Error e = reader.peekU8().moveInto(lead))
      return e;
  ref.shared = false;
  if (lead == SharedLead) {
    // Only abstract heap types can be marked shared; a concrete type is
    // shared through its definition.
    if (!sharedConsumed)
      consumeError(reader.readU8().takeError());
    ref.shared = true;
    uint8_t b;
    if (Error e = reader.readU8().moveInto(b))
      return e;
    int64_t ht = int64_t(b) - 0x80;
    if (abstractHeapTypeName(ht).empty())
      return BinaryReader::errorAt(start + 1,
                                   "invalid abstract heap type 0x" +
                                       utohexstr(b, /*LowerCase=*/true));
    ref.heapType = ht;
    return Error::success();
  }
  int64_t ht;
  if (Error e = reader.readVarS33().moveInto(ht))
    return e;
  if (ht < 0 && abstractHeapTypeName(ht).empty())
    return BinaryReader::errorAt(
        start, "invalid heap type 0x" + utohexstr(lead, /*LowerCase=*/true));
  if (ht > int64_t(UINT32_MAX))
    return BinaryReader::errorAt(start, "type index " + Twine(ht) +
                                            " in heap type is out of range");
  ref.heapType = ht;
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
  if (lead == SharedLead) {
    // `0x65 ht`: the shorthand of a nullable shared abstract reference
    // (shared-everything-threads), as wasmparser reads it.
    ref.nullable = true;
    return readHeapType(reader, ref, /*sharedConsumed=*/true);
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
  uint8_t b;
  if (Error e = reader.readU8().moveInto(b))
    return std::move(e);
  ValType type;
  switch (b) {
  case 0x7f: // i32
  case 0x7e: // i64
  case 0x7d: // f32
  case 0x7c: // f64
  case 0x7b: // v128
    type.code = b;
    return type;
  default:
    break;
  }
  bool isRef = false;
  if (Error e = readRefTypeAfter(b, reader, type.ref, isRef))
    return std::move(e);
  if (!isRef)
    return BinaryReader::errorAt(start, "invalid value type 0x" +
                                            utohexstr(b, /*LowerCase=*/true));
  type.code = type.ref.nullable ? RefNullLead : RefLead;
  return type;
}

Expected<RefType> wcl::wasm::readRefType(BinaryReader &reader) {
  uint64_t start = reader.offset();
  uint8_t b;
  if (Error e = reader.readU8().moveInto(b))
    return std::move(e);
  RefType ref;
  bool isRef = false;
  if (Error e = readRefTypeAfter(b, reader, ref, isRef))
    return std::move(e);
  if (!isRef)
    return BinaryReader::errorAt(start, "invalid reference type 0x" +
                                            utohexstr(b, /*LowerCase=*/true));
  return ref;
}

/// A limit of \p limits: a u64 for 64-bit tables and memories, else a u32.
static Error readLimitBound(BinaryReader &reader, const Limits &limits,
                            uint64_t &out) {
  if (limits.is64)
    return reader.readVarU64().moveInto(out);
  return reader.readVarU32().moveInto(out);
}

Expected<Limits> wcl::wasm::readLimits(BinaryReader &reader) {
  uint64_t start = reader.offset();
  uint8_t flags;
  if (Error e = reader.readU8().moveInto(flags))
    return std::move(e);
  // Bit 0: has max; 1: shared (threads); 2: 64-bit addresses (memory64,
  // table64); 3: custom page size follows.
  if (flags & ~0x0fu)
    return BinaryReader::errorAt(start,
                                 "invalid limits flags 0x" +
                                     utohexstr(flags, /*LowerCase=*/true));
  Limits limits;
  limits.shared = flags & 0x02;
  limits.is64 = flags & 0x04;
  if (Error e = readLimitBound(reader, limits, limits.min))
    return std::move(e);
  if (flags & 0x01)
    if (Error e = readLimitBound(reader, limits, limits.max.emplace()))
      return std::move(e);
  if (flags & 0x08)
    if (Error e = reader.readVarU32().moveInto(limits.pageSizeLog2))
      return std::move(e);
  return limits;
}

Expected<TableType> wcl::wasm::readTableType(BinaryReader &reader) {
  TableType type;
  if (Error e = readRefType(reader).moveInto(type.elemType))
    return std::move(e);
  if (Error e = readLimits(reader).moveInto(type.limits))
    return std::move(e);
  return type;
}

Expected<MemoryType> wcl::wasm::readMemoryType(BinaryReader &reader) {
  MemoryType type;
  if (Error e = readLimits(reader).moveInto(type.limits))
    return std::move(e);
  return type;
}

/// A mutability byte at most \p allowed (bit 0 mutable; bit 1 shared, where
/// allowed).
static Error readMutability(BinaryReader &reader, uint8_t allowed,
                            uint8_t &mut) {
  uint64_t at = reader.offset();
  if (Error e = reader.readU8().moveInto(mut))
    return e;
  if (mut & ~allowed)
    return BinaryReader::errorAt(at, "malformed mutability 0x" +
                                         utohexstr(mut, /*LowerCase=*/true));
  return Error::success();
}

Expected<GlobalType> wcl::wasm::readGlobalType(BinaryReader &reader) {
  GlobalType type;
  if (Error e = readValType(reader).moveInto(type.type))
    return std::move(e);
  // Bit 0: mutable; bit 1: shared (shared-everything-threads).
  uint8_t mut;
  if (Error e = readMutability(reader, 0x03, mut))
    return std::move(e);
  type.mutable_ = mut & 0x01;
  type.shared = mut & 0x02;
  return type;
}

Expected<TagType> wcl::wasm::readTagType(BinaryReader &reader) {
  uint64_t at = reader.offset();
  TagType type;
  if (Error e = reader.readU8().moveInto(type.attribute))
    return std::move(e);
  if (type.attribute != 0)
    return BinaryReader::errorAt(at, "invalid tag attribute 0x" +
                                         utohexstr(type.attribute,
                                                   /*LowerCase=*/true));
  if (Error e = reader.readVarU32().moveInto(type.typeIndex))
    return std::move(e);
  return type;
}

Expected<FieldType> wcl::wasm::readFieldType(BinaryReader &reader) {
  FieldType field;
  uint8_t lead;
  if (Error e = reader.peekU8().moveInto(lead))
    return std::move(e);
  if (lead == PackedI8 || lead == PackedI16) {
    consumeError(reader.readU8().takeError());
    field.packed = lead;
  } else if (Error e = readValType(reader).moveInto(field.type)) {
    return std::move(e);
  }
  uint8_t mut;
  if (Error e = readMutability(reader, 0x01, mut))
    return std::move(e);
  field.mutable_ = mut;
  return field;
}

/// Reads a vector of value types (function parameters or results).
template <typename VecT>
static Error readValTypes(BinaryReader &reader, VecT &out) {
  return reader.readVector(
      1, [&] { return readValType(reader).moveInto(out.emplace_back()); });
}

/// A composite type whose first byte \p lead (at \p leadAt) was consumed.
static Expected<CompositeType> readCompositeAfter(uint8_t lead, uint64_t leadAt,
                                                  BinaryReader &reader) {
  CompositeType comp;
  if (lead == SharedLead) {
    comp.shared = true;
    leadAt = reader.offset();
    if (Error e = reader.readU8().moveInto(lead))
      return std::move(e);
  }
  switch (lead) {
  case FuncLead:
    comp.kind = CompositeType::Kind::Func;
    if (Error e = readValTypes(reader, comp.func.params))
      return std::move(e);
    if (Error e = readValTypes(reader, comp.func.results))
      return std::move(e);
    return comp;
  case StructLead:
    comp.kind = CompositeType::Kind::Struct;
    if (Error e = reader.readVector(2, [&] {
          return readFieldType(reader).moveInto(comp.fields.emplace_back());
        }))
      return std::move(e);
    return comp;
  case ArrayLead:
    comp.kind = CompositeType::Kind::Array;
    if (Error e = readFieldType(reader).moveInto(comp.fields.emplace_back()))
      return std::move(e);
    return comp;
  case ContLead:
    comp.kind = CompositeType::Kind::Cont;
    if (Error e = reader.readVarU32().moveInto(comp.contType))
      return std::move(e);
    return comp;
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
    if (Error e = reader.readVector(1, [&] {
          return reader.readVarU32().moveInto(sub.supertypes.emplace_back());
        }))
      return std::move(e);
    leadAt = reader.offset();
    if (Error e = reader.readU8().moveInto(lead))
      return std::move(e);
  }
  if (Error e =
          readCompositeAfter(lead, leadAt, reader).moveInto(sub.composite))
    return std::move(e);
  return sub;
}

/// A subtype with its lead byte, as a rec group lists them.
static Error readSubType(BinaryReader &reader, SubType &sub) {
  uint8_t lead;
  if (Error e = reader.readU8().moveInto(lead))
    return e;
  return readSubTypeAfter(lead, reader).moveInto(sub);
}

Expected<RecGroup> wcl::wasm::readRecGroup(BinaryReader &reader) {
  RecGroup group;
  uint8_t lead;
  if (Error e = reader.readU8().moveInto(lead))
    return std::move(e);
  if (lead != RecLead) {
    if (Error e =
            readSubTypeAfter(lead, reader).moveInto(group.types.emplace_back()))
      return std::move(e);
    return group;
  }
  group.explicitRec = true;
  if (Error e = reader.readVector(
          1, [&] { return readSubType(reader, group.types.emplace_back()); }))
    return std::move(e);
  return group;
}

Expected<ExternType> wcl::wasm::readExternType(BinaryReader &reader) {
  uint64_t at = reader.offset();
  uint8_t kind;
  if (Error e = reader.readU8().moveInto(kind))
    return std::move(e);
  ExternType type;
  switch (kind) {
  case 0x00:
    type.kind = ExternType::Kind::Func;
    if (Error e = reader.readVarU32().moveInto(type.funcType))
      return std::move(e);
    return type;
  case 0x01:
    type.kind = ExternType::Kind::Table;
    if (Error e = readTableType(reader).moveInto(type.table))
      return std::move(e);
    return type;
  case 0x02:
    type.kind = ExternType::Kind::Memory;
    if (Error e = readMemoryType(reader).moveInto(type.memory))
      return std::move(e);
    return type;
  case 0x03:
    type.kind = ExternType::Kind::Global;
    if (Error e = readGlobalType(reader).moveInto(type.global))
      return std::move(e);
    return type;
  case 0x04:
    type.kind = ExternType::Kind::Tag;
    if (Error e = readTagType(reader).moveInto(type.tag))
      return std::move(e);
    return type;
  default:
    return BinaryReader::errorAt(at, "invalid external kind 0x" +
                                         utohexstr(kind, /*LowerCase=*/true));
  }
}

Expected<Import> wcl::wasm::readImport(BinaryReader &reader) {
  Import imp;
  if (Error e = reader.readName().moveInto(imp.module))
    return std::move(e);
  if (Error e = reader.readName().moveInto(imp.field))
    return std::move(e);
  if (Error e = readExternType(reader).moveInto(imp.type))
    return std::move(e);
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
