//===- wcl/Wasm/Writer.h - Core module writer -------------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Encoders for core WebAssembly modules, in the style of lld's WriterUtils
/// and SyntheticSections: primitives that write one binary construct to a
/// raw_ostream (LEB128s, names, value types, limits, constant expressions),
/// sections as small objects that collect already-encoded entries and write
/// `id size body`, an InstrEmitter for the handful of instructions a linker
/// synthesizes, and a CoreModuleBuilder that assembles a whole module and
/// hands out indices (imports first in every index space). The linker uses
/// the builder for the modules it makes itself (the "env" module, init and
/// shim modules); input modules are copied, not re-encoded.
///
/// The encodings follow the core spec and, where the spec allows a choice
/// (reference type shorthands, element and data segment flags), make the same
/// choice as wasm-encoder so output matches wasm-tools byte for byte.
///
/// Misuse of the builders (an import after a definition of the same kind, a
/// start function set twice) is a bug in wcl and asserts; nothing here reads
/// untrusted input.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WASM_WRITER_H
#define WCL_WASM_WRITER_H

#include "wcl/Wasm/CoreTypes.h"
#include "wcl/Wasm/CustomSections.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace wcl {
namespace wasm {

//===----------------------------------------------------------------------===//
// Primitives
//===----------------------------------------------------------------------===//

void writeU8(llvm::raw_ostream &os, uint8_t byte);
void writeUleb128(llvm::raw_ostream &os, uint64_t value);
void writeSleb128(llvm::raw_ostream &os, int64_t value);
void writeBytes(llvm::raw_ostream &os, llvm::ArrayRef<uint8_t> bytes);
/// `len:u32 bytes`: a name, or any vec(byte).
void writeName(llvm::raw_ostream &os, llvm::StringRef name);

/// A heap type: the optional 0x65 `shared` prefix, then the s33 (a concrete
/// index, or the negative code of an abstract type).
void writeHeapType(llvm::raw_ostream &os, const RefType &type);
/// A reference type, using the one-byte shorthand (funcref, externref, ...)
/// for nullable abstract types as wasm-encoder does.
void writeRefType(llvm::raw_ostream &os, const RefType &type);
void writeValType(llvm::raw_ostream &os, const ValType &type);
void writeFieldType(llvm::raw_ostream &os, const FieldType &type);
/// `0x60 vec(param) vec(result)`.
void writeFuncType(llvm::raw_ostream &os, const FuncType &type);
void writeCompositeType(llvm::raw_ostream &os, const CompositeType &type);
/// A subtype; final subtypes without supertypes are written as their bare
/// composite type. \p inComponentCoreType adds the 0x00 prefix a non-final
/// `sub` needs at the top level of a component's core type section (there
/// 0x50 would otherwise read as a module type).
void writeSubType(llvm::raw_ostream &os, const SubType &type,
                  bool inComponentCoreType = false);
/// A type section entry: a `rec` group (0x4e) or, when !explicitRec, its one
/// subtype.
void writeRecGroup(llvm::raw_ostream &os, const RecGroup &group,
                   bool inComponentCoreType = false);
/// The flags byte (bit 0 max, 1 shared, 2 64-bit, 3 custom page size), then
/// min, max and the page size log2.
void writeLimits(llvm::raw_ostream &os, const Limits &limits);
void writeTableType(llvm::raw_ostream &os, const TableType &type);
void writeMemoryType(llvm::raw_ostream &os, const MemoryType &type);
void writeGlobalType(llvm::raw_ostream &os, const GlobalType &type);
void writeTagType(llvm::raw_ostream &os, const TagType &type);
/// The external kind byte followed by the type (an import's description).
void writeExternType(llvm::raw_ostream &os, const ExternType &type);
void writeImport(llvm::raw_ostream &os, llvm::StringRef module,
                 llvm::StringRef field, const ExternType &type);

/// `id size body` for a section whose body is already encoded.
void writeSection(llvm::raw_ostream &os, uint8_t id,
                  llvm::ArrayRef<uint8_t> body);
void writeSection(llvm::raw_ostream &os, uint8_t id, llvm::StringRef body);
/// A custom section (id 0): size, then the name and \p payload.
void writeCustomSection(llvm::raw_ostream &os, llvm::StringRef name,
                        llvm::ArrayRef<uint8_t> payload);
void writeCustomSection(llvm::raw_ostream &os, llvm::StringRef name,
                        llvm::StringRef payload);

/// Shorthands for the value types synthesized modules use.
inline ValType i32Type() { return ValType{0x7f, {}}; }
inline ValType i64Type() { return ValType{0x7e, {}}; }
inline ValType f32Type() { return ValType{0x7d, {}}; }
inline ValType f64Type() { return ValType{0x7c, {}}; }
inline ValType funcRefType() {
  return ValType{0x63, RefType{true, false, heaptype::Func}};
}
inline ValType externRefType() {
  return ValType{0x63, RefType{true, false, heaptype::Extern}};
}
inline RefType funcRef() { return RefType{true, false, heaptype::Func}; }

/// Two value types that encode the same way.
bool isSameValType(const ValType &a, const ValType &b);

//===----------------------------------------------------------------------===//
// Constant expressions and instructions
//===----------------------------------------------------------------------===//

/// A constant expression (global initialisers, segment offsets, element
/// items) held as its instruction bytes without the final `end`, which
/// writeInitExpr adds. Build one with the named constructors, or from the
/// bytes of an input expression.
class InitExpr {
public:
  static InitExpr i32Const(int32_t value);
  static InitExpr i64Const(int64_t value);
  static InitExpr f32Const(uint32_t bits);
  static InitExpr f64Const(uint64_t bits);
  static InitExpr globalGet(uint32_t global);
  static InitExpr refNull(const RefType &type);
  static InitExpr refFunc(uint32_t func);
  /// \p bytes must not include the terminating `end` (0x0b).
  static InitExpr raw(llvm::ArrayRef<uint8_t> bytes);

  llvm::ArrayRef<uint8_t> bytes() const {
    return {reinterpret_cast<const uint8_t *>(code.data()), code.size()};
  }

private:
  llvm::SmallVector<char, 8> code;
};

/// The expression's instructions then `end`.
void writeInitExpr(llvm::raw_ostream &os, const InitExpr &expr);

/// A memory immediate: alignment as log2, offset, and memory index (a non-zero
/// index sets bit 6 of the alignment field, as multi-memory encodes it).
struct MemArg {
  uint32_t alignLog2 = 0;
  uint64_t offset = 0;
  uint32_t memory = 0;
};

/// Writes instructions to a raw_ostream. It covers what a linker synthesizes
/// (variable access, integer arithmetic, loads and stores, calls and tail
/// calls, table and bulk-memory operations, simple control flow); anything
/// else goes through raw(). Function bodies end with end() like any block.
class InstrEmitter {
public:
  explicit InstrEmitter(llvm::raw_ostream &os) : os(os) {}

  // Control.
  InstrEmitter &unreachable();
  InstrEmitter &nop();
  /// block/loop/if with an empty block type; blockWithType for a value type.
  InstrEmitter &block();
  InstrEmitter &loop();
  InstrEmitter &if_();
  InstrEmitter &else_();
  InstrEmitter &end();
  InstrEmitter &br(uint32_t depth);
  InstrEmitter &brIf(uint32_t depth);
  InstrEmitter &return_();
  InstrEmitter &call(uint32_t func);
  InstrEmitter &callIndirect(uint32_t type, uint32_t table);
  InstrEmitter &returnCall(uint32_t func);
  InstrEmitter &returnCallIndirect(uint32_t type, uint32_t table);
  InstrEmitter &callRef(uint32_t type);
  InstrEmitter &returnCallRef(uint32_t type);
  InstrEmitter &drop();
  InstrEmitter &select();

  // Variables.
  InstrEmitter &localGet(uint32_t local);
  InstrEmitter &localSet(uint32_t local);
  InstrEmitter &localTee(uint32_t local);
  InstrEmitter &globalGet(uint32_t global);
  InstrEmitter &globalSet(uint32_t global);

  // Memory.
  InstrEmitter &i32Load(MemArg arg);
  InstrEmitter &i64Load(MemArg arg);
  InstrEmitter &i32Store(MemArg arg);
  InstrEmitter &i64Store(MemArg arg);
  InstrEmitter &memorySize(uint32_t memory = 0);
  InstrEmitter &memoryGrow(uint32_t memory = 0);
  InstrEmitter &memoryInit(uint32_t data, uint32_t memory = 0);
  InstrEmitter &dataDrop(uint32_t data);
  InstrEmitter &memoryCopy(uint32_t dst = 0, uint32_t src = 0);
  InstrEmitter &memoryFill(uint32_t memory = 0);

  // Numeric.
  InstrEmitter &i32Const(int32_t value);
  InstrEmitter &i64Const(int64_t value);
  InstrEmitter &i32Eqz();
  InstrEmitter &i32Eq();
  InstrEmitter &i32Ne();
  InstrEmitter &i32Add();
  InstrEmitter &i32Sub();
  InstrEmitter &i32Mul();
  InstrEmitter &i32And();
  InstrEmitter &i32Or();
  InstrEmitter &i32Shl();
  InstrEmitter &i64Add();

  // References and tables.
  InstrEmitter &refNull(const RefType &type);
  InstrEmitter &refIsNull();
  InstrEmitter &refFunc(uint32_t func);
  InstrEmitter &tableGet(uint32_t table);
  InstrEmitter &tableSet(uint32_t table);
  InstrEmitter &tableInit(uint32_t elem, uint32_t table);
  InstrEmitter &elemDrop(uint32_t elem);
  InstrEmitter &tableCopy(uint32_t dst, uint32_t src);
  InstrEmitter &tableGrow(uint32_t table);
  InstrEmitter &tableSize(uint32_t table);
  InstrEmitter &tableFill(uint32_t table);

  /// Already-encoded instructions.
  InstrEmitter &raw(llvm::ArrayRef<uint8_t> bytes);

private:
  InstrEmitter &op(uint8_t opcode);
  InstrEmitter &opIdx(uint8_t opcode, uint32_t index);
  /// A 0xfc-prefixed (bulk memory / table) instruction.
  /// A 0xFC-prefixed instruction with its LEB128 immediates.
  InstrEmitter &misc(uint32_t subop,
                     std::initializer_list<uint32_t> immediates = {});
  InstrEmitter &mem(uint8_t opcode, MemArg arg);

  llvm::raw_ostream &os;
};

/// The bytes \p emit writes through an InstrEmitter, for function bodies
/// and instruction sequences built in code (no `end` is added).
template <typename Fn> std::vector<uint8_t> encodeInstructions(Fn emit) {
  llvm::SmallVector<char, 32> buf;
  llvm::raw_svector_ostream os(buf);
  InstrEmitter emitter(os);
  emit(emitter);
  return std::vector<uint8_t>(buf.begin(), buf.end());
}

//===----------------------------------------------------------------------===//
// Sections
//===----------------------------------------------------------------------===//

/// One section of a module being written. Subclasses collect their entries
/// already encoded, so writing is a copy and the size is known up front.
class OutputSection {
public:
  explicit OutputSection(uint8_t id) : id(id) {}
  virtual ~OutputSection() = default;

  /// Whether the section has anything to write; empty known sections are
  /// left out of the module.
  virtual bool isNeeded() const = 0;
  virtual void writeBody(llvm::raw_ostream &os) const = 0;
  /// `id size body`.
  void writeTo(llvm::raw_ostream &os) const;

  const uint8_t id;
};

/// The common shape of most sections: `vec(entry)` built entry by entry.
class VecSection : public OutputSection {
public:
  using OutputSection::OutputSection;
  bool isNeeded() const override { return count != 0; }
  void writeBody(llvm::raw_ostream &os) const override;
  uint32_t size() const { return count; }

protected:
  /// A stream appending to the body; every call counts one entry.
  llvm::raw_svector_ostream newEntry();

  llvm::SmallVector<char, 0> body;
  uint32_t count = 0;
};

/// The type section. Function types are deduplicated on registration, as
/// lld's TypeSection::registerType does, so index equality is type equality
/// for the synthesized modules. Rec groups are appended as they are.
class TypeSection : public VecSection {
public:
  TypeSection() : VecSection(1) {}
  /// The index of \p type, added the first time it is seen.
  uint32_t registerType(const FuncType &type);
  /// Appends \p type even if an equal type exists (an encoder that numbers
  /// types as its input did); later registerType calls find the first.
  uint32_t appendType(const FuncType &type);
  /// Appends \p group; returns the index of its first type.
  uint32_t addRecGroup(const RecGroup &group);
  uint32_t numTypes() const { return typeCount; }

private:
  /// Encoded function type → index.
  llvm::StringMap<uint32_t> funcTypeIndices;
  uint32_t typeCount = 0;
};

class ImportSection : public VecSection {
public:
  ImportSection() : VecSection(2) {}
  /// Returns the index the import receives in its kind's index space.
  uint32_t addImport(llvm::StringRef module, llvm::StringRef field,
                     const ExternType &type);
  uint32_t numImported(ExternType::Kind kind) const {
    return numByKind[static_cast<uint8_t>(kind)];
  }

private:
  uint32_t numByKind[5] = {};
};

class FunctionSection : public VecSection {
public:
  FunctionSection() : VecSection(3) {}
  void addFunction(uint32_t typeIndex);
};

class TableSection : public VecSection {
public:
  TableSection() : VecSection(4) {}
  /// \p init gives the function-references form `0x40 0x00 type expr`.
  void addTable(const TableType &type,
                const std::optional<InitExpr> &init = std::nullopt);
};

class MemorySection : public VecSection {
public:
  MemorySection() : VecSection(5) {}
  void addMemory(const MemoryType &type);
};

class TagSection : public VecSection {
public:
  TagSection() : VecSection(13) {}
  void addTag(const TagType &type);
};

class GlobalSection : public VecSection {
public:
  GlobalSection() : VecSection(6) {}
  void addGlobal(const GlobalType &type, const InitExpr &init);
};

class ExportSection : public VecSection {
public:
  ExportSection() : VecSection(7) {}
  void addExport(llvm::StringRef name, ExternType::Kind kind, uint32_t index);
};

class StartSection : public OutputSection {
public:
  StartSection() : OutputSection(8) {}
  bool isNeeded() const override { return func.has_value(); }
  void writeBody(llvm::raw_ostream &os) const override;
  std::optional<uint32_t> func;
};

/// The element section. Segments listing function indices use encodings
/// 0..3, segments listing expressions 4..7; an active segment without an
/// explicit table uses the short form 0 (or 4 for funcref expressions), as
/// wasm-encoder chooses.
class ElemSection : public VecSection {
public:
  ElemSection() : VecSection(9) {}
  /// Each returns the new segment's index.
  uint32_t addActive(std::optional<uint32_t> table, const InitExpr &offset,
                     llvm::ArrayRef<uint32_t> funcs);
  uint32_t addActiveExprs(std::optional<uint32_t> table, const InitExpr &offset,
                          const RefType &type, llvm::ArrayRef<InitExpr> items);
  uint32_t addPassive(llvm::ArrayRef<uint32_t> funcs);
  uint32_t addPassiveExprs(const RefType &type, llvm::ArrayRef<InitExpr> items);
  uint32_t addDeclared(llvm::ArrayRef<uint32_t> funcs);
  uint32_t addDeclaredExprs(const RefType &type,
                            llvm::ArrayRef<InitExpr> items);

private:
  enum class Mode : uint8_t { Active, Passive, Declared };
  uint32_t addSegment(Mode mode, std::optional<uint32_t> table,
                      const InitExpr *offset, const RefType *exprType,
                      llvm::ArrayRef<uint32_t> funcs,
                      llvm::ArrayRef<InitExpr> items);
};

class DataCountSection : public OutputSection {
public:
  DataCountSection() : OutputSection(12) {}
  bool isNeeded() const override { return count.has_value(); }
  void writeBody(llvm::raw_ostream &os) const override;
  std::optional<uint32_t> count;
};

/// The code section. Each entry is `size locals code`; \p code is the
/// instruction stream including the final `end`.
class CodeSection : public VecSection {
public:
  CodeSection() : VecSection(10) {}
  /// \p locals lists one type per local; runs of equal types are grouped
  /// into one declaration.
  void addFunction(llvm::ArrayRef<ValType> locals,
                   llvm::ArrayRef<uint8_t> code);
  /// A body copied from an input: its local declarations and code, without
  /// the size prefix.
  void addBody(llvm::ArrayRef<uint8_t> localsAndCode);
};

class DataSection : public VecSection {
public:
  DataSection() : VecSection(11) {}
  /// Each returns the new segment's index.
  uint32_t addActive(uint32_t memory, const InitExpr &offset,
                     llvm::ArrayRef<uint8_t> data);
  uint32_t addPassive(llvm::ArrayRef<uint8_t> data);
};

class CustomSection : public OutputSection {
public:
  CustomSection(llvm::StringRef name, llvm::ArrayRef<uint8_t> payload)
      : OutputSection(0), name(name.str()),
        payload(payload.begin(), payload.end()) {}
  bool isNeeded() const override { return true; }
  void writeBody(llvm::raw_ostream &os) const override;

  std::string name;
  std::vector<uint8_t> payload;
};

//===----------------------------------------------------------------------===//
// CoreModuleBuilder
//===----------------------------------------------------------------------===//

/// Assembles a core module and numbers its index spaces. Every index space
/// starts with its imports, so all imports of a kind must be added before the
/// first definition of that kind (asserted). Sections are written in the
/// order the spec requires, empty ones left out, then the `name` section
/// (when anything was named) and the custom sections in the order added.
class CoreModuleBuilder {
public:
  /// The index of function type \p type, deduplicated.
  uint32_t addType(const FuncType &type) { return types.registerType(type); }
  uint32_t appendType(const FuncType &type) { return types.appendType(type); }
  uint32_t addRecGroup(const RecGroup &group) {
    return types.addRecGroup(group);
  }

  uint32_t importFunc(llvm::StringRef module, llvm::StringRef field,
                      uint32_t typeIndex);
  uint32_t importFunc(llvm::StringRef module, llvm::StringRef field,
                      const FuncType &type) {
    return importFunc(module, field, addType(type));
  }
  uint32_t importTable(llvm::StringRef module, llvm::StringRef field,
                       const TableType &type);
  uint32_t importMemory(llvm::StringRef module, llvm::StringRef field,
                        const MemoryType &type);
  uint32_t importGlobal(llvm::StringRef module, llvm::StringRef field,
                        const GlobalType &type);
  uint32_t importTag(llvm::StringRef module, llvm::StringRef field,
                     const TagType &type);

  /// A function of type \p typeIndex with \p locals (one type per local)
  /// and \p code (instructions including the final `end`).
  uint32_t addFunction(uint32_t typeIndex, llvm::ArrayRef<ValType> locals,
                       llvm::ArrayRef<uint8_t> code);
  uint32_t addFunction(const FuncType &type, llvm::ArrayRef<ValType> locals,
                       llvm::ArrayRef<uint8_t> code) {
    return addFunction(addType(type), locals, code);
  }
  /// A function whose body (local declarations and code, without the size
  /// prefix) is already encoded.
  uint32_t addFunctionBody(uint32_t typeIndex,
                           llvm::ArrayRef<uint8_t> localsAndCode);
  uint32_t addTable(const TableType &type,
                    const std::optional<InitExpr> &init = std::nullopt);
  uint32_t addMemory(const MemoryType &type);
  uint32_t addGlobal(const GlobalType &type, const InitExpr &init);
  uint32_t addTag(const TagType &type);

  void addExport(llvm::StringRef name, ExternType::Kind kind, uint32_t index) {
    exports.addExport(name, kind, index);
  }
  void setStart(uint32_t func);

  /// Element segments are added to the section directly.
  ElemSection &elemSection() { return elems; }
  uint32_t numElemSegments() const { return elems.size(); }
  /// Data segments; each returns the segment's index.
  uint32_t addActiveData(uint32_t memory, const InitExpr &offset,
                         llvm::ArrayRef<uint8_t> data);
  uint32_t addPassiveData(llvm::ArrayRef<uint8_t> data);
  /// Emit the datacount section, which memory.init and data.drop require.
  void setNeedsDataCount() { needsDataCount = true; }

  /// Debug names, written as the `name` section.
  NameSectionBuilder &names() { return nameSection; }
  /// A custom section written after the known ones (and after `name`).
  void addCustomSection(llvm::StringRef name, llvm::ArrayRef<uint8_t> payload);

  uint32_t numFuncs() const {
    return imports.numImported(ExternType::Kind::Func) + functions.size();
  }
  uint32_t numTables() const {
    return imports.numImported(ExternType::Kind::Table) + tables.size();
  }
  uint32_t numMemories() const {
    return imports.numImported(ExternType::Kind::Memory) + memories.size();
  }
  uint32_t numGlobals() const {
    return imports.numImported(ExternType::Kind::Global) + globals.size();
  }
  uint32_t numTags() const {
    return imports.numImported(ExternType::Kind::Tag) + tags.size();
  }
  uint32_t numTypes() const { return types.numTypes(); }
  uint32_t numImportedFuncs() const {
    return imports.numImported(ExternType::Kind::Func);
  }

  /// The module: preamble then sections.
  void write(llvm::raw_ostream &os) const;
  /// The module as bytes, e.g. to embed in a component.
  std::vector<uint8_t> finish() const;

private:
  uint32_t addImport(llvm::StringRef module, llvm::StringRef field,
                     const ExternType &type, uint32_t numDefined);

  TypeSection types;
  ImportSection imports;
  FunctionSection functions;
  TableSection tables;
  MemorySection memories;
  TagSection tags;
  GlobalSection globals;
  ExportSection exports;
  StartSection start;
  ElemSection elems;
  CodeSection code;
  DataSection data;
  bool needsDataCount = false;
  NameSectionBuilder nameSection;
  std::vector<CustomSection> customSections;
};

} // namespace wasm
} // namespace wcl

#endif // WCL_WASM_WRITER_H
