//===- wcl/Wasm/CoreTypes.h - Core types and their decoding -----*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Core WebAssembly types (value, reference, function, GC composite types,
/// limits, table/memory/global/tag types, extern types) as plain values, with
/// their binary decoders and text renderings. Both the core module reader and
/// the component reader use these: a component's core type section and its
/// module types hold the same encodings as a module's type and import
/// sections. Renderings follow the WebAssembly text format ("i32",
/// "(ref null 3)", "funcref") so dumps read like `wasm-tools print`.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WASM_CORETYPES_H
#define WCL_WASM_CORETYPES_H

#include "wcl/Wasm/Binary.h"
#include "wcl/Wasm/BinaryReader.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace wcl {
namespace wasm {

/// A reference type. heapType >= 0 is a concrete type index; a negative value
/// is an abstract heap type, stored as the s33 the binary holds (e.g. -0x10
/// for func, -0x11 for extern).
struct RefType {
  bool nullable = true;
  bool shared = false;
  int64_t heapType = 0;
};

/// A value type: a number/vector type code (0x7f i32, 0x7e i64, 0x7d f32,
/// 0x7c f64, 0x7b v128) or a reference type (code 0x64 ref / 0x63 ref null;
/// shorthands such as 0x70 funcref are normalised to 0x63 with the abstract
/// heap type).
struct ValType {
  uint8_t code = 0x7f;
  RefType ref;
  bool isRef() const { return code == 0x63 || code == 0x64; }
};

/// Storage type of a GC struct field or array element: a value type or a
/// packed i8 (0x78) / i16 (0x77).
struct FieldType {
  ValType type;
  uint8_t packed = 0; ///< 0, 0x78 or 0x77
  bool mutable_ = false;
};

struct FuncType {
  llvm::SmallVector<ValType, 4> params;
  llvm::SmallVector<ValType, 1> results;
};

struct CompositeType {
  enum class Kind : uint8_t { Func, Struct, Array, Cont };
  Kind kind = Kind::Func;
  bool shared = false;
  FuncType func;                          ///< Kind::Func
  llvm::SmallVector<FieldType, 4> fields; ///< Kind::Struct, or one for Array
  uint32_t contType = 0;                  ///< Kind::Cont
};

struct SubType {
  bool isFinal = true;
  llvm::SmallVector<uint32_t, 1> supertypes;
  CompositeType composite;
};

/// One entry of a type section: a `rec` group, or a single subtype written
/// without `rec` (explicitRec false, one type).
struct RecGroup {
  bool explicitRec = false;
  llvm::SmallVector<SubType, 1> types;
};

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool is64 = false;
  bool shared = false;
  std::optional<uint32_t> pageSizeLog2; ///< custom-page-sizes proposal
};

struct TableType {
  RefType elemType;
  Limits limits;
};

struct MemoryType {
  Limits limits;
};

struct GlobalType {
  ValType type;
  bool mutable_ = false;
  bool shared = false;
};

struct TagType {
  uint8_t attribute = 0; ///< 0: exception
  uint32_t typeIndex = 0;
};

/// The type of an import (core externtype).
struct ExternType {
  /// Values are the binary external kind bytes.
  enum class Kind : uint8_t {
    Func = 0x00,
    Table = 0x01,
    Memory = 0x02,
    Global = 0x03,
    Tag = 0x04,
  };
  Kind kind = Kind::Func;
  uint32_t funcType = 0; ///< Kind::Func: type index
  TableType table;
  MemoryType memory;
  GlobalType global;
  TagType tag;

  static ExternType func(uint32_t typeIndex) {
    ExternType t;
    t.funcType = typeIndex;
    return t;
  }
  static ExternType of(const TableType &table) {
    ExternType t;
    t.kind = Kind::Table;
    t.table = table;
    return t;
  }
  static ExternType of(const MemoryType &memory) {
    ExternType t;
    t.kind = Kind::Memory;
    t.memory = memory;
    return t;
  }
  static ExternType of(const GlobalType &global) {
    ExternType t;
    t.kind = Kind::Global;
    t.global = global;
    return t;
  }
  static ExternType of(const TagType &tag) {
    ExternType t;
    t.kind = Kind::Tag;
    t.tag = tag;
    return t;
  }
};

struct Import {
  llvm::StringRef module;
  llvm::StringRef field;
  ExternType type;
};

/// Abstract heap type codes as the s33 a heap type holds (the single-byte
/// encodings 0x69..0x75 read as negative numbers).
namespace heaptype {
inline constexpr int64_t Exn = -0x17;      // 0x69
inline constexpr int64_t Array = -0x16;    // 0x6a
inline constexpr int64_t Struct = -0x15;   // 0x6b
inline constexpr int64_t I31 = -0x14;      // 0x6c
inline constexpr int64_t Eq = -0x13;       // 0x6d
inline constexpr int64_t Any = -0x12;      // 0x6e
inline constexpr int64_t Extern = -0x11;   // 0x6f
inline constexpr int64_t Func = -0x10;     // 0x70
inline constexpr int64_t None = -0x0f;     // 0x71
inline constexpr int64_t NoExtern = -0x0e; // 0x72
inline constexpr int64_t NoFunc = -0x0d;   // 0x73
inline constexpr int64_t NoExn = -0x0c;    // 0x74
inline constexpr int64_t NoCont = -0x0b;   // 0x75
inline constexpr int64_t Cont = -0x18;     // 0x68
} // namespace heaptype

/// The name of abstract heap type \p heapType ("func", "extern", ...), or an
/// empty string when it is not one.
llvm::StringRef abstractHeapTypeName(int64_t heapType);

llvm::Expected<ValType> readValType(BinaryReader &reader);
llvm::Expected<RefType> readRefType(BinaryReader &reader);
/// A heap type (s33 index or abstract code, optionally after the 0x65
/// `shared` prefix); \p ref receives heapType and shared.
llvm::Error readHeapType(BinaryReader &reader, RefType &ref);
/// The same, when the caller already consumed a 0x65 `shared` prefix
/// (\p sharedConsumed).
llvm::Error readHeapType(BinaryReader &reader, RefType &ref,
                         bool sharedConsumed);
llvm::Expected<FieldType> readFieldType(BinaryReader &reader);
llvm::Expected<Limits> readLimits(BinaryReader &reader);
llvm::Expected<TableType> readTableType(BinaryReader &reader);
llvm::Expected<MemoryType> readMemoryType(BinaryReader &reader);
llvm::Expected<GlobalType> readGlobalType(BinaryReader &reader);
llvm::Expected<TagType> readTagType(BinaryReader &reader);
/// A `rectype` (a `rec` group or a lone subtype) from a type section.
llvm::Expected<RecGroup> readRecGroup(BinaryReader &reader);
/// A lone subtype/composite type whose first byte was already read as
/// \p lead (used by the component core type section, where 0x50 and 0x00
/// prefixes are resolved by the caller).
llvm::Expected<SubType> readSubTypeAfter(uint8_t lead, BinaryReader &reader);
llvm::Expected<ExternType> readExternType(BinaryReader &reader);
llvm::Expected<Import> readImport(BinaryReader &reader);

std::string toString(const ValType &type);
std::string toString(const RefType &type);
/// "(func (param i32) (result i32))"
std::string toString(const FuncType &type);
/// "i32", "(mut i8)"
std::string toString(const FieldType &type);
std::string toString(const CompositeType &type);
std::string toString(const SubType &type);
std::string toString(const Limits &limits);
std::string toString(const TableType &type);
std::string toString(const MemoryType &type);
std::string toString(const GlobalType &type);
std::string toString(const TagType &type);
std::string toString(const ExternType &type);
llvm::StringRef toString(ExternType::Kind kind);
/// The component index space items of \p kind are numbered in
/// (core func, core table, ...).
IndexSpace coreIndexSpace(ExternType::Kind kind);

} // namespace wasm
} // namespace wcl

#endif // WCL_WASM_CORETYPES_H
