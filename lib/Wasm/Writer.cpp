//===- Writer.cpp - Core module writer ------------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Encoders for core modules: binary primitives, sections that buffer their
/// encoded entries, the instruction emitter and CoreModuleBuilder. Sections
/// encode each entry as it is added, so a module is written by copying
/// buffers and every size prefix is known without a second pass.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/Writer.h"
#include "wcl/Wasm/Binary.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/LEB128.h"
#include <cassert>

using namespace llvm;
using namespace wcl;
using namespace wcl::wasm;

//===----------------------------------------------------------------------===//
// Primitives
//===----------------------------------------------------------------------===//

void wcl::wasm::writeU8(raw_ostream &os, uint8_t byte) { os << char(byte); }

void wcl::wasm::writeUleb128(raw_ostream &os, uint64_t value) {
  encodeULEB128(value, os);
}

void wcl::wasm::writeSleb128(raw_ostream &os, int64_t value) {
  encodeSLEB128(value, os);
}

void wcl::wasm::writeBytes(raw_ostream &os, ArrayRef<uint8_t> bytes) {
  os.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
}

void wcl::wasm::writeName(raw_ostream &os, StringRef name) {
  writeUleb128(os, name.size());
  os << name;
}

void wcl::wasm::writeHeapType(raw_ostream &os, const RefType &type) {
  if (type.shared)
    writeU8(os, 0x65);
  // Concrete indices and abstract codes are both an s33: an abstract code
  // such as -0x10 (func) is the single byte 0x70.
  writeSleb128(os, type.heapType);
}

void wcl::wasm::writeRefType(raw_ostream &os, const RefType &type) {
  if (type.nullable && type.heapType < 0) {
    writeHeapType(os, type);
    return;
  }
  writeU8(os, type.nullable ? 0x63 : 0x64);
  writeHeapType(os, type);
}

void wcl::wasm::writeValType(raw_ostream &os, const ValType &type) {
  if (type.isRef()) {
    // The code is authoritative for nullability: ValType keeps 0x63/0x64
    // even when the reader normalised a shorthand.
    RefType ref = type.ref;
    ref.nullable = type.code == 0x63;
    writeRefType(os, ref);
    return;
  }
  writeU8(os, type.code);
}

bool wcl::wasm::isSameValType(const ValType &a, const ValType &b) {
  if (a.code != b.code)
    return false;
  if (!a.isRef())
    return true;
  return a.ref.heapType == b.ref.heapType && a.ref.shared == b.ref.shared;
}

void wcl::wasm::writeFieldType(raw_ostream &os, const FieldType &type) {
  if (type.packed)
    writeU8(os, type.packed);
  else
    writeValType(os, type.type);
  writeU8(os, type.mutable_ ? 1 : 0);
}

void wcl::wasm::writeFuncType(raw_ostream &os, const FuncType &type) {
  writeU8(os, 0x60);
  writeUleb128(os, type.params.size());
  for (const ValType &param : type.params)
    writeValType(os, param);
  writeUleb128(os, type.results.size());
  for (const ValType &result : type.results)
    writeValType(os, result);
}

void wcl::wasm::writeCompositeType(raw_ostream &os, const CompositeType &type) {
  if (type.shared)
    writeU8(os, 0x65);
  switch (type.kind) {
  case CompositeType::Kind::Func:
    writeFuncType(os, type.func);
    return;
  case CompositeType::Kind::Struct:
    writeU8(os, 0x5f);
    writeUleb128(os, type.fields.size());
    for (const FieldType &field : type.fields)
      writeFieldType(os, field);
    return;
  case CompositeType::Kind::Array:
    assert(type.fields.size() == 1 && "an array type has one element type");
    writeU8(os, 0x5e);
    writeFieldType(os, type.fields.front());
    return;
  case CompositeType::Kind::Cont:
    writeU8(os, 0x5d);
    writeSleb128(os, type.contType);
    return;
  }
}

void wcl::wasm::writeSubType(raw_ostream &os, const SubType &type,
                             bool inComponentCoreType) {
  if (!type.isFinal || !type.supertypes.empty()) {
    if (type.isFinal) {
      writeU8(os, 0x4f);
    } else {
      if (inComponentCoreType)
        writeU8(os, 0x00);
      writeU8(os, 0x50);
    }
    writeUleb128(os, type.supertypes.size());
    for (uint32_t super : type.supertypes)
      writeUleb128(os, super);
  }
  writeCompositeType(os, type.composite);
}

void wcl::wasm::writeRecGroup(raw_ostream &os, const RecGroup &group,
                              bool inComponentCoreType) {
  if (!group.explicitRec) {
    assert(group.types.size() == 1 && "an implicit rec group has one type");
    writeSubType(os, group.types.front(), inComponentCoreType);
    return;
  }
  // Inside `rec` a non-final `sub` cannot be mistaken for a module type, so
  // it never takes the component prefix.
  writeU8(os, 0x4e);
  writeUleb128(os, group.types.size());
  for (const SubType &type : group.types)
    writeSubType(os, type, /*inComponentCoreType=*/false);
}

void wcl::wasm::writeLimits(raw_ostream &os, const Limits &limits) {
  uint8_t flags = 0;
  if (limits.max)
    flags |= 0x01;
  if (limits.shared)
    flags |= 0x02;
  if (limits.is64)
    flags |= 0x04;
  if (limits.pageSizeLog2)
    flags |= 0x08;
  writeU8(os, flags);
  writeUleb128(os, limits.min);
  if (limits.max)
    writeUleb128(os, *limits.max);
  if (limits.pageSizeLog2)
    writeUleb128(os, *limits.pageSizeLog2);
}

void wcl::wasm::writeTableType(raw_ostream &os, const TableType &type) {
  writeRefType(os, type.elemType);
  writeLimits(os, type.limits);
}

void wcl::wasm::writeMemoryType(raw_ostream &os, const MemoryType &type) {
  writeLimits(os, type.limits);
}

void wcl::wasm::writeGlobalType(raw_ostream &os, const GlobalType &type) {
  writeValType(os, type.type);
  writeU8(os, (type.mutable_ ? 0x01 : 0x00) | (type.shared ? 0x02 : 0x00));
}

void wcl::wasm::writeTagType(raw_ostream &os, const TagType &type) {
  writeU8(os, type.attribute);
  writeUleb128(os, type.typeIndex);
}

void wcl::wasm::writeExternType(raw_ostream &os, const ExternType &type) {
  writeU8(os, static_cast<uint8_t>(type.kind));
  switch (type.kind) {
  case ExternType::Kind::Func:
    writeUleb128(os, type.funcType);
    return;
  case ExternType::Kind::Table:
    writeTableType(os, type.table);
    return;
  case ExternType::Kind::Memory:
    writeMemoryType(os, type.memory);
    return;
  case ExternType::Kind::Global:
    writeGlobalType(os, type.global);
    return;
  case ExternType::Kind::Tag:
    writeTagType(os, type.tag);
    return;
  }
}

void wcl::wasm::writeImport(raw_ostream &os, StringRef module, StringRef field,
                            const ExternType &type) {
  writeName(os, module);
  writeName(os, field);
  writeExternType(os, type);
}

void wcl::wasm::writeSection(raw_ostream &os, uint8_t id, StringRef body) {
  writeU8(os, id);
  writeUleb128(os, body.size());
  os << body;
}

void wcl::wasm::writeSection(raw_ostream &os, uint8_t id,
                             ArrayRef<uint8_t> body) {
  writeSection(os, id, toStringRef(body));
}

void wcl::wasm::writeCustomSection(raw_ostream &os, StringRef name,
                                   StringRef payload) {
  SmallString<64> body;
  raw_svector_ostream bodyOS(body);
  writeName(bodyOS, name);
  bodyOS << payload;
  writeSection(os, 0, body.str());
}

void wcl::wasm::writeCustomSection(raw_ostream &os, StringRef name,
                                   ArrayRef<uint8_t> payload) {
  writeCustomSection(os, name, toStringRef(payload));
}

//===----------------------------------------------------------------------===//
// InitExpr
//===----------------------------------------------------------------------===//

InitExpr InitExpr::i32Const(int32_t value) {
  InitExpr e;
  raw_svector_ostream os(e.code);
  InstrEmitter(os).i32Const(value);
  return e;
}

InitExpr InitExpr::i64Const(int64_t value) {
  InitExpr e;
  raw_svector_ostream os(e.code);
  InstrEmitter(os).i64Const(value);
  return e;
}

InitExpr InitExpr::f32Const(uint32_t bits) {
  InitExpr e;
  raw_svector_ostream os(e.code);
  writeU8(os, 0x43);
  for (int i = 0; i < 4; ++i)
    writeU8(os, (bits >> (8 * i)) & 0xff);
  return e;
}

InitExpr InitExpr::f64Const(uint64_t bits) {
  InitExpr e;
  raw_svector_ostream os(e.code);
  writeU8(os, 0x44);
  for (int i = 0; i < 8; ++i)
    writeU8(os, (bits >> (8 * i)) & 0xff);
  return e;
}

InitExpr InitExpr::globalGet(uint32_t global) {
  InitExpr e;
  raw_svector_ostream os(e.code);
  InstrEmitter(os).globalGet(global);
  return e;
}

InitExpr InitExpr::refNull(const RefType &type) {
  InitExpr e;
  raw_svector_ostream os(e.code);
  InstrEmitter(os).refNull(type);
  return e;
}

InitExpr InitExpr::refFunc(uint32_t func) {
  InitExpr e;
  raw_svector_ostream os(e.code);
  InstrEmitter(os).refFunc(func);
  return e;
}

InitExpr InitExpr::raw(ArrayRef<uint8_t> bytes) {
  InitExpr e;
  e.code.assign(bytes.begin(), bytes.end());
  return e;
}

void wcl::wasm::writeInitExpr(raw_ostream &os, const InitExpr &expr) {
  writeBytes(os, expr.bytes());
  writeU8(os, 0x0b);
}

//===----------------------------------------------------------------------===//
// InstrEmitter
//===----------------------------------------------------------------------===//

InstrEmitter &InstrEmitter::op(uint8_t opcode) {
  writeU8(os, opcode);
  return *this;
}

InstrEmitter &InstrEmitter::opIdx(uint8_t opcode, uint32_t index) {
  writeU8(os, opcode);
  writeUleb128(os, index);
  return *this;
}

InstrEmitter &InstrEmitter::misc(uint32_t subop,
                                 std::initializer_list<uint32_t> immediates) {
  writeU8(os, 0xfc);
  writeUleb128(os, subop);
  for (uint32_t imm : immediates)
    writeUleb128(os, imm);
  return *this;
}

InstrEmitter &InstrEmitter::mem(uint8_t opcode, MemArg arg) {
  writeU8(os, opcode);
  if (arg.memory == 0) {
    writeUleb128(os, arg.alignLog2);
  } else {
    // Multi-memory: bit 6 of the alignment says a memory index follows.
    writeUleb128(os, arg.alignLog2 | 0x40);
    writeUleb128(os, arg.memory);
  }
  writeUleb128(os, arg.offset);
  return *this;
}

InstrEmitter &InstrEmitter::unreachable() { return op(0x00); }
InstrEmitter &InstrEmitter::nop() { return op(0x01); }
InstrEmitter &InstrEmitter::block() { return op(0x02).op(0x40); }
InstrEmitter &InstrEmitter::loop() { return op(0x03).op(0x40); }
InstrEmitter &InstrEmitter::if_() { return op(0x04).op(0x40); }
InstrEmitter &InstrEmitter::else_() { return op(0x05); }
InstrEmitter &InstrEmitter::end() { return op(0x0b); }
InstrEmitter &InstrEmitter::br(uint32_t depth) { return opIdx(0x0c, depth); }
InstrEmitter &InstrEmitter::brIf(uint32_t depth) { return opIdx(0x0d, depth); }
InstrEmitter &InstrEmitter::return_() { return op(0x0f); }
InstrEmitter &InstrEmitter::call(uint32_t func) { return opIdx(0x10, func); }

InstrEmitter &InstrEmitter::callIndirect(uint32_t type, uint32_t table) {
  opIdx(0x11, type);
  writeUleb128(os, table);
  return *this;
}

InstrEmitter &InstrEmitter::returnCall(uint32_t func) {
  return opIdx(0x12, func);
}

InstrEmitter &InstrEmitter::returnCallIndirect(uint32_t type, uint32_t table) {
  opIdx(0x13, type);
  writeUleb128(os, table);
  return *this;
}

InstrEmitter &InstrEmitter::callRef(uint32_t type) { return opIdx(0x14, type); }
InstrEmitter &InstrEmitter::returnCallRef(uint32_t type) {
  return opIdx(0x15, type);
}
InstrEmitter &InstrEmitter::drop() { return op(0x1a); }
InstrEmitter &InstrEmitter::select() { return op(0x1b); }

InstrEmitter &InstrEmitter::localGet(uint32_t local) {
  return opIdx(0x20, local);
}
InstrEmitter &InstrEmitter::localSet(uint32_t local) {
  return opIdx(0x21, local);
}
InstrEmitter &InstrEmitter::localTee(uint32_t local) {
  return opIdx(0x22, local);
}
InstrEmitter &InstrEmitter::globalGet(uint32_t global) {
  return opIdx(0x23, global);
}
InstrEmitter &InstrEmitter::globalSet(uint32_t global) {
  return opIdx(0x24, global);
}

InstrEmitter &InstrEmitter::i32Load(MemArg arg) { return mem(0x28, arg); }
InstrEmitter &InstrEmitter::i64Load(MemArg arg) { return mem(0x29, arg); }
InstrEmitter &InstrEmitter::i32Store(MemArg arg) { return mem(0x36, arg); }
InstrEmitter &InstrEmitter::i64Store(MemArg arg) { return mem(0x37, arg); }
InstrEmitter &InstrEmitter::memorySize(uint32_t memory) {
  return opIdx(0x3f, memory);
}
InstrEmitter &InstrEmitter::memoryGrow(uint32_t memory) {
  return opIdx(0x40, memory);
}

InstrEmitter &InstrEmitter::memoryInit(uint32_t data, uint32_t memory) {
  return misc(8, {data, memory});
}

InstrEmitter &InstrEmitter::dataDrop(uint32_t data) { return misc(9, {data}); }

InstrEmitter &InstrEmitter::memoryCopy(uint32_t dst, uint32_t src) {
  return misc(10, {dst, src});
}

InstrEmitter &InstrEmitter::memoryFill(uint32_t memory) {
  return misc(11, {memory});
}

InstrEmitter &InstrEmitter::i32Const(int32_t value) {
  writeU8(os, 0x41);
  writeSleb128(os, value);
  return *this;
}

InstrEmitter &InstrEmitter::i64Const(int64_t value) {
  writeU8(os, 0x42);
  writeSleb128(os, value);
  return *this;
}

InstrEmitter &InstrEmitter::i32Eqz() { return op(0x45); }
InstrEmitter &InstrEmitter::i32Eq() { return op(0x46); }
InstrEmitter &InstrEmitter::i32Ne() { return op(0x47); }
InstrEmitter &InstrEmitter::i32Add() { return op(0x6a); }
InstrEmitter &InstrEmitter::i32Sub() { return op(0x6b); }
InstrEmitter &InstrEmitter::i32Mul() { return op(0x6c); }
InstrEmitter &InstrEmitter::i32And() { return op(0x71); }
InstrEmitter &InstrEmitter::i32Or() { return op(0x72); }
InstrEmitter &InstrEmitter::i32Shl() { return op(0x74); }
InstrEmitter &InstrEmitter::i64Add() { return op(0x7c); }

InstrEmitter &InstrEmitter::refNull(const RefType &type) {
  writeU8(os, 0xd0);
  writeHeapType(os, type);
  return *this;
}

InstrEmitter &InstrEmitter::refIsNull() { return op(0xd1); }
InstrEmitter &InstrEmitter::refFunc(uint32_t func) { return opIdx(0xd2, func); }
InstrEmitter &InstrEmitter::tableGet(uint32_t table) {
  return opIdx(0x25, table);
}
InstrEmitter &InstrEmitter::tableSet(uint32_t table) {
  return opIdx(0x26, table);
}

InstrEmitter &InstrEmitter::tableInit(uint32_t elem, uint32_t table) {
  return misc(12, {elem, table});
}

InstrEmitter &InstrEmitter::elemDrop(uint32_t elem) { return misc(13, {elem}); }

InstrEmitter &InstrEmitter::tableCopy(uint32_t dst, uint32_t src) {
  return misc(14, {dst, src});
}

InstrEmitter &InstrEmitter::tableGrow(uint32_t table) {
  return misc(15, {table});
}

InstrEmitter &InstrEmitter::tableSize(uint32_t table) {
  return misc(16, {table});
}

InstrEmitter &InstrEmitter::tableFill(uint32_t table) {
  return misc(17, {table});
}

InstrEmitter &InstrEmitter::raw(ArrayRef<uint8_t> bytes) {
  writeBytes(os, bytes);
  return *this;
}

//===----------------------------------------------------------------------===//
// Sections
//===----------------------------------------------------------------------===//

void OutputSection::writeTo(raw_ostream &os) const {
  SmallString<0> body;
  raw_svector_ostream bodyOS(body);
  writeBody(bodyOS);
  writeSection(os, id, body.str());
}

void VecSection::writeBody(raw_ostream &os) const {
  writeUleb128(os, count);
  os << StringRef(body.data(), body.size());
}

raw_svector_ostream VecSection::newEntry() {
  ++count;
  // raw_svector_ostream writes straight through to the vector, so a stream
  // per entry is cheap and never holds buffered bytes.
  return raw_svector_ostream(body);
}

uint32_t TypeSection::registerType(const FuncType &type) {
  SmallString<16> key;
  raw_svector_ostream keyOS(key);
  writeFuncType(keyOS, type);
  auto [it, inserted] = funcTypeIndices.try_emplace(key.str(), typeCount);
  if (!inserted)
    return it->second;
  raw_svector_ostream os = newEntry();
  os << key.str();
  return typeCount++;
}

uint32_t TypeSection::appendType(const FuncType &type) {
  SmallString<16> key;
  raw_svector_ostream keyOS(key);
  writeFuncType(keyOS, type);
  funcTypeIndices.try_emplace(key.str(), typeCount);
  raw_svector_ostream os = newEntry();
  os << key.str();
  return typeCount++;
}

uint32_t TypeSection::addRecGroup(const RecGroup &group) {
  raw_svector_ostream os = newEntry();
  writeRecGroup(os, group);
  uint32_t first = typeCount;
  typeCount += group.types.size();
  return first;
}

uint32_t ImportSection::addImport(StringRef module, StringRef field,
                                  const ExternType &type) {
  raw_svector_ostream os = newEntry();
  writeImport(os, module, field, type);
  return numByKind[static_cast<uint8_t>(type.kind)]++;
}

void FunctionSection::addFunction(uint32_t typeIndex) {
  raw_svector_ostream os = newEntry();
  writeUleb128(os, typeIndex);
}

void TableSection::addTable(const TableType &type,
                            const std::optional<InitExpr> &init) {
  raw_svector_ostream os = newEntry();
  if (init) {
    writeU8(os, 0x40);
    writeU8(os, 0x00);
    writeTableType(os, type);
    writeInitExpr(os, *init);
    return;
  }
  writeTableType(os, type);
}

void MemorySection::addMemory(const MemoryType &type) {
  raw_svector_ostream os = newEntry();
  writeMemoryType(os, type);
}

void TagSection::addTag(const TagType &type) {
  raw_svector_ostream os = newEntry();
  writeTagType(os, type);
}

void GlobalSection::addGlobal(const GlobalType &type, const InitExpr &init) {
  raw_svector_ostream os = newEntry();
  writeGlobalType(os, type);
  writeInitExpr(os, init);
}

void ExportSection::addExport(StringRef name, ExternType::Kind kind,
                              uint32_t index) {
  raw_svector_ostream os = newEntry();
  writeName(os, name);
  writeU8(os, static_cast<uint8_t>(kind));
  writeUleb128(os, index);
}

void StartSection::writeBody(raw_ostream &os) const { writeUleb128(os, *func); }

static bool isFuncRef(const RefType &type) {
  return type.nullable && !type.shared && type.heapType == heaptype::Func;
}

uint32_t ElemSection::addSegment(Mode mode, std::optional<uint32_t> table,
                                 const InitExpr *offset,
                                 const RefType *exprType,
                                 ArrayRef<uint32_t> funcs,
                                 ArrayRef<InitExpr> items) {
  raw_svector_ostream os = newEntry();
  // Bit 2 of the flags: the segment lists expressions, not function indices.
  uint32_t exprBit = exprType ? 0x04 : 0x00;
  bool writeKind = true;
  switch (mode) {
  case Mode::Passive:
    writeUleb128(os, 0x01 | exprBit);
    break;
  case Mode::Declared:
    writeUleb128(os, 0x03 | exprBit);
    break;
  case Mode::Active:
    // Without an explicit table the short forms 0 and 4 apply; they imply
    // table 0 and funcref, so expressions of any other type need form 6.
    if (!table && (!exprType || isFuncRef(*exprType))) {
      writeUleb128(os, exprBit);
      writeKind = false;
    } else {
      writeUleb128(os, 0x02 | exprBit);
      writeUleb128(os, table.value_or(0));
    }
    writeInitExpr(os, *offset);
    break;
  }
  if (exprType) {
    if (writeKind)
      writeRefType(os, *exprType);
    writeUleb128(os, items.size());
    for (const InitExpr &item : items)
      writeInitExpr(os, item);
  } else {
    if (writeKind)
      writeU8(os, 0x00); // elemkind funcref
    writeUleb128(os, funcs.size());
    for (uint32_t func : funcs)
      writeUleb128(os, func);
  }
  return count - 1;
}

uint32_t ElemSection::addActive(std::optional<uint32_t> table,
                                const InitExpr &offset,
                                ArrayRef<uint32_t> funcs) {
  return addSegment(Mode::Active, table, &offset, nullptr, funcs, {});
}

uint32_t ElemSection::addActiveExprs(std::optional<uint32_t> table,
                                     const InitExpr &offset,
                                     const RefType &type,
                                     ArrayRef<InitExpr> items) {
  return addSegment(Mode::Active, table, &offset, &type, {}, items);
}

uint32_t ElemSection::addPassive(ArrayRef<uint32_t> funcs) {
  return addSegment(Mode::Passive, std::nullopt, nullptr, nullptr, funcs, {});
}

uint32_t ElemSection::addPassiveExprs(const RefType &type,
                                      ArrayRef<InitExpr> items) {
  return addSegment(Mode::Passive, std::nullopt, nullptr, &type, {}, items);
}

uint32_t ElemSection::addDeclared(ArrayRef<uint32_t> funcs) {
  return addSegment(Mode::Declared, std::nullopt, nullptr, nullptr, funcs, {});
}

uint32_t ElemSection::addDeclaredExprs(const RefType &type,
                                       ArrayRef<InitExpr> items) {
  return addSegment(Mode::Declared, std::nullopt, nullptr, &type, {}, items);
}

void DataCountSection::writeBody(raw_ostream &os) const {
  writeUleb128(os, *count);
}

void CodeSection::addFunction(ArrayRef<ValType> locals,
                              ArrayRef<uint8_t> code) {
  SmallString<64> entry;
  raw_svector_ostream os(entry);
  // Group runs of equal types: `vec(count type)`.
  SmallVector<std::pair<uint32_t, ValType>, 4> groups;
  for (const ValType &local : locals) {
    if (!groups.empty() && isSameValType(groups.back().second, local))
      ++groups.back().first;
    else
      groups.push_back({1, local});
  }
  writeUleb128(os, groups.size());
  for (const auto &[n, type] : groups) {
    writeUleb128(os, n);
    writeValType(os, type);
  }
  writeBytes(os, code);
  addBody(arrayRefFromStringRef(entry.str()));
}

void CodeSection::addBody(ArrayRef<uint8_t> localsAndCode) {
  raw_svector_ostream os = newEntry();
  writeName(os, toStringRef(localsAndCode));
}

uint32_t DataSection::addActive(uint32_t memory, const InitExpr &offset,
                                ArrayRef<uint8_t> data) {
  raw_svector_ostream os = newEntry();
  if (memory == 0) {
    writeU8(os, 0x00);
  } else {
    writeU8(os, 0x02);
    writeUleb128(os, memory);
  }
  writeInitExpr(os, offset);
  writeName(os, toStringRef(data));
  return count - 1;
}

uint32_t DataSection::addPassive(ArrayRef<uint8_t> data) {
  raw_svector_ostream os = newEntry();
  writeU8(os, 0x01);
  writeName(os, toStringRef(data));
  return count - 1;
}

void CustomSection::writeBody(raw_ostream &os) const {
  writeName(os, name);
  writeBytes(os, payload);
}

//===----------------------------------------------------------------------===//
// CoreModuleBuilder
//===----------------------------------------------------------------------===//

uint32_t CoreModuleBuilder::addImport(StringRef module, StringRef field,
                                      const ExternType &type,
                                      uint32_t numDefined) {
  // Imports come first in their index space; a definition already handed
  // out an index that this import would shift.
  assert(numDefined == 0 && "import added after a definition of its kind");
  (void)numDefined;
  return imports.addImport(module, field, type);
}

uint32_t CoreModuleBuilder::importFunc(StringRef module, StringRef field,
                                       uint32_t typeIndex) {
  return addImport(module, field, ExternType::func(typeIndex),
                   functions.size());
}

uint32_t CoreModuleBuilder::importTable(StringRef module, StringRef field,
                                        const TableType &table) {
  return addImport(module, field, ExternType::of(table), tables.size());
}

uint32_t CoreModuleBuilder::importMemory(StringRef module, StringRef field,
                                         const MemoryType &memory) {
  return addImport(module, field, ExternType::of(memory), memories.size());
}

uint32_t CoreModuleBuilder::importGlobal(StringRef module, StringRef field,
                                         const GlobalType &global) {
  return addImport(module, field, ExternType::of(global), globals.size());
}

uint32_t CoreModuleBuilder::importTag(StringRef module, StringRef field,
                                      const TagType &tag) {
  return addImport(module, field, ExternType::of(tag), tags.size());
}

uint32_t CoreModuleBuilder::addFunction(uint32_t typeIndex,
                                        ArrayRef<ValType> locals,
                                        ArrayRef<uint8_t> body) {
  assert(typeIndex < types.numTypes() && "function type not defined");
  uint32_t index = numFuncs();
  functions.addFunction(typeIndex);
  code.addFunction(locals, body);
  return index;
}

uint32_t CoreModuleBuilder::addFunctionBody(uint32_t typeIndex,
                                            ArrayRef<uint8_t> localsAndCode) {
  assert(typeIndex < types.numTypes() && "function type not defined");
  uint32_t index = numFuncs();
  functions.addFunction(typeIndex);
  code.addBody(localsAndCode);
  return index;
}

uint32_t CoreModuleBuilder::addTable(const TableType &type,
                                     const std::optional<InitExpr> &init) {
  uint32_t index = numTables();
  tables.addTable(type, init);
  return index;
}

uint32_t CoreModuleBuilder::addMemory(const MemoryType &type) {
  uint32_t index = numMemories();
  memories.addMemory(type);
  return index;
}

uint32_t CoreModuleBuilder::addGlobal(const GlobalType &type,
                                      const InitExpr &init) {
  uint32_t index = numGlobals();
  globals.addGlobal(type, init);
  return index;
}

uint32_t CoreModuleBuilder::addTag(const TagType &type) {
  uint32_t index = numTags();
  tags.addTag(type);
  return index;
}

void CoreModuleBuilder::setStart(uint32_t func) {
  assert(!start.func && "start function set twice");
  start.func = func;
}

uint32_t CoreModuleBuilder::addActiveData(uint32_t memory,
                                          const InitExpr &offset,
                                          ArrayRef<uint8_t> bytes) {
  return data.addActive(memory, offset, bytes);
}

uint32_t CoreModuleBuilder::addPassiveData(ArrayRef<uint8_t> bytes) {
  return data.addPassive(bytes);
}

void CoreModuleBuilder::addCustomSection(StringRef name,
                                         ArrayRef<uint8_t> payload) {
  customSections.emplace_back(name, payload);
}

void CoreModuleBuilder::write(raw_ostream &os) const {
  writeBytes(os, Magic);
  writeBytes(os, CoreVersion);

  DataCountSection dataCount;
  if (needsDataCount)
    dataCount.count = data.size();

  // The order the spec requires; the tag section (id 13) sits between
  // memory and global.
  const OutputSection *sections[] = {
      &types,   &imports, &functions, &tables,    &memories, &tags, &globals,
      &exports, &start,   &elems,     &dataCount, &code,     &data};
  for (const OutputSection *section : sections)
    if (section->isNeeded())
      section->writeTo(os);
  if (!nameSection.empty())
    nameSection.writeTo(os);
  for (const CustomSection &section : customSections)
    section.writeTo(os);
}

std::vector<uint8_t> CoreModuleBuilder::finish() const {
  SmallString<0> out;
  raw_svector_ostream os(out);
  write(os);
  return std::vector<uint8_t>(out.begin(), out.end());
}
