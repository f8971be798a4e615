//===- ModuleReader.cpp - Section-level core module reader ----------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Walks a core module section by section and decodes each into CoreModule.
/// Structural rules are those of wasmparser's Parser (section order,
/// function/code and data-count/data consistency, sizes), so that a module
/// this reader accepts is one wasm-tools would at least parse, and a module it
/// rejects gets an error pointing at the offending byte. Every section is read
/// through a sub-reader bounded by its size, so a corrupt item can never read
/// into the next section.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/ModuleReader.h"
#include "wcl/Support/Error.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/Wasm.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <cstring>

using namespace llvm;
using namespace wcl;
using namespace wcl::wasm;

//===----------------------------------------------------------------------===//
// Constant expressions
//===----------------------------------------------------------------------===//

std::optional<int64_t> ConstExpr::getIntConstant() const {
  if (instrs.size() == 1 && (instrs[0].op == ConstInstr::Op::I32Const ||
                             instrs[0].op == ConstInstr::Op::I64Const))
    return int64_t(instrs[0].imm);
  return std::nullopt;
}

std::optional<uint32_t> ConstExpr::getGlobalGet() const {
  if (instrs.size() == 1 && instrs[0].op == ConstInstr::Op::GlobalGet)
    return uint32_t(instrs[0].imm);
  return std::nullopt;
}

/// Reads one instruction of a constant expression after its opcode \p op
/// (at \p at). Only instructions a constant expression may hold are known:
/// without a full opcode table an unknown instruction's length is unknown,
/// so the `end` could not be found anyway.
static Error readConstInstr(uint8_t op, uint64_t at, BinaryReader &reader,
                            ConstInstr &instr) {
  using Op = ConstInstr::Op;
  auto u32Imm = [&]() -> Error {
    Expected<uint32_t> v = reader.readVarU32();
    if (!v)
      return v.takeError();
    instr.imm = *v;
    return Error::success();
  };
  switch (op) {
  case llvm::wasm::WASM_OPCODE_I32_CONST: {
    instr.op = Op::I32Const;
    Expected<int32_t> v = reader.readVarS32();
    if (!v)
      return v.takeError();
    instr.imm = uint64_t(int64_t(*v));
    return Error::success();
  }
  case llvm::wasm::WASM_OPCODE_I64_CONST: {
    instr.op = Op::I64Const;
    Expected<int64_t> v = reader.readVarS64();
    if (!v)
      return v.takeError();
    instr.imm = uint64_t(*v);
    return Error::success();
  }
  case llvm::wasm::WASM_OPCODE_F32_CONST: {
    instr.op = Op::F32Const;
    Expected<uint32_t> v = reader.readU32LE();
    if (!v)
      return v.takeError();
    instr.imm = *v;
    return Error::success();
  }
  case llvm::wasm::WASM_OPCODE_F64_CONST: {
    instr.op = Op::F64Const;
    Expected<uint64_t> v = reader.readU64LE();
    if (!v)
      return v.takeError();
    instr.imm = *v;
    return Error::success();
  }
  case llvm::wasm::WASM_OPCODE_GLOBAL_GET:
    instr.op = Op::GlobalGet;
    return u32Imm();
  case llvm::wasm::WASM_OPCODE_REF_NULL:
    instr.op = Op::RefNull;
    instr.refType.nullable = true;
    return readHeapType(reader, instr.refType);
  case llvm::wasm::WASM_OPCODE_REF_FUNC:
    instr.op = Op::RefFunc;
    return u32Imm();
  case llvm::wasm::WASM_OPCODE_I32_ADD:
    instr.op = Op::I32Add;
    return Error::success();
  case llvm::wasm::WASM_OPCODE_I32_SUB:
    instr.op = Op::I32Sub;
    return Error::success();
  case llvm::wasm::WASM_OPCODE_I32_MUL:
    instr.op = Op::I32Mul;
    return Error::success();
  case llvm::wasm::WASM_OPCODE_I64_ADD:
    instr.op = Op::I64Add;
    return Error::success();
  case llvm::wasm::WASM_OPCODE_I64_SUB:
    instr.op = Op::I64Sub;
    return Error::success();
  case llvm::wasm::WASM_OPCODE_I64_MUL:
    instr.op = Op::I64Mul;
    return Error::success();
  case llvm::wasm::WASM_OPCODE_GC_PREFIX: {
    Expected<uint32_t> sub = reader.readVarU32();
    if (!sub)
      return sub.takeError();
    switch (*sub) {
    case llvm::wasm::WASM_OPCODE_STRUCT_NEW:
      instr.op = Op::StructNew;
      return u32Imm();
    case llvm::wasm::WASM_OPCODE_STRUCT_NEW_DEFAULT:
      instr.op = Op::StructNewDefault;
      return u32Imm();
    case llvm::wasm::WASM_OPCODE_ARRAY_NEW:
      instr.op = Op::ArrayNew;
      return u32Imm();
    case llvm::wasm::WASM_OPCODE_ARRAY_NEW_DEFAULT:
      instr.op = Op::ArrayNewDefault;
      return u32Imm();
    case llvm::wasm::WASM_OPCODE_ARRAY_NEW_FIXED: {
      instr.op = Op::ArrayNewFixed;
      if (Error e = u32Imm())
        return e;
      Expected<uint32_t> n = reader.readVarU32();
      if (!n)
        return n.takeError();
      instr.imm2 = *n;
      return Error::success();
    }
    case llvm::wasm::WASM_OPCODE_REF_I31:
      instr.op = Op::RefI31;
      return Error::success();
    case 0x1a:
      instr.op = Op::AnyConvertExtern;
      return Error::success();
    case 0x1b:
      instr.op = Op::ExternConvertAny;
      return Error::success();
    default:
      return BinaryReader::errorAt(at, "unsupported instruction 0xfb " +
                                           Twine(*sub) +
                                           " in constant expression");
    }
  }
  case 0xfd: { // SIMD prefix
    Expected<uint32_t> sub = reader.readVarU32();
    if (!sub)
      return sub.takeError();
    if (*sub != 12) // v128.const
      return BinaryReader::errorAt(at, "unsupported instruction 0xfd " +
                                           Twine(*sub) +
                                           " in constant expression");
    instr.op = Op::V128Const;
    return reader.skip(16);
  }
  default:
    return BinaryReader::errorAt(at, "unsupported instruction 0x" +
                                         utohexstr(op, /*LowerCase=*/true) +
                                         " in constant expression");
  }
}

Expected<ConstExpr> wcl::wasm::readConstExpr(BinaryReader &reader) {
  ConstExpr expr;
  expr.offset = reader.offset();
  size_t startPos = reader.position();
  for (;;) {
    uint64_t at = reader.offset();
    size_t pos = reader.position();
    Expected<uint8_t> op = reader.readU8();
    if (!op)
      return op.takeError();
    if (*op == llvm::wasm::WASM_OPCODE_END)
      break;
    ConstInstr instr;
    if (Error e = readConstInstr(*op, at, reader, instr))
      return std::move(e);
    instr.bytes = reader.data().slice(pos, reader.position() - pos);
    expr.instrs.push_back(instr);
  }
  expr.bytes = reader.data().slice(startPos, reader.position() - startPos);
  return expr;
}

static std::string floatBits(uint64_t bits, bool isDouble) {
  // Hex bits keep NaN payloads and are exact; the value is a convenience.
  double value;
  if (isDouble) {
    std::memcpy(&value, &bits, sizeof(value));
  } else {
    uint32_t b32 = uint32_t(bits);
    float f;
    std::memcpy(&f, &b32, sizeof(f));
    value = f;
  }
  std::string s;
  raw_string_ostream os(s);
  os << format("%g", value) << " (0x"
     << format_hex_no_prefix(bits, isDouble ? 16 : 8) << ")";
  return s;
}

std::string wcl::wasm::toString(const ConstInstr &instr) {
  using Op = ConstInstr::Op;
  switch (instr.op) {
  case Op::I32Const:
    return "i32.const " + itostr(int32_t(instr.imm));
  case Op::I64Const:
    return "i64.const " + itostr(int64_t(instr.imm));
  case Op::F32Const:
    return "f32.const " + floatBits(instr.imm, false);
  case Op::F64Const:
    return "f64.const " + floatBits(instr.imm, true);
  case Op::V128Const: {
    std::string s = "v128.const i8x16";
    // The value is the last 16 bytes of the instruction.
    ArrayRef<uint8_t> value =
        instr.bytes.size() >= 16 ? instr.bytes.take_back(16) : instr.bytes;
    for (uint8_t b : value)
      s += " 0x" + utohexstr(b, /*LowerCase=*/true, 2);
    return s;
  }
  case Op::GlobalGet:
    return "global.get " + utostr(instr.imm);
  case Op::RefNull: {
    StringRef abstract = abstractHeapTypeName(instr.refType.heapType);
    std::string heap = instr.refType.heapType >= 0
                           ? utostr(uint64_t(instr.refType.heapType))
                           : abstract.str();
    if (instr.refType.shared)
      heap = "(shared " + heap + ")";
    return "ref.null " + heap;
  }
  case Op::RefFunc:
    return "ref.func " + utostr(instr.imm);
  case Op::I32Add:
    return "i32.add";
  case Op::I32Sub:
    return "i32.sub";
  case Op::I32Mul:
    return "i32.mul";
  case Op::I64Add:
    return "i64.add";
  case Op::I64Sub:
    return "i64.sub";
  case Op::I64Mul:
    return "i64.mul";
  case Op::StructNew:
    return "struct.new " + utostr(instr.imm);
  case Op::StructNewDefault:
    return "struct.new_default " + utostr(instr.imm);
  case Op::ArrayNew:
    return "array.new " + utostr(instr.imm);
  case Op::ArrayNewDefault:
    return "array.new_default " + utostr(instr.imm);
  case Op::ArrayNewFixed:
    return "array.new_fixed " + utostr(instr.imm) + " " + utostr(instr.imm2);
  case Op::RefI31:
    return "ref.i31";
  case Op::AnyConvertExtern:
    return "any.convert_extern";
  case Op::ExternConvertAny:
    return "extern.convert_any";
  }
  return "<unknown>";
}

std::string wcl::wasm::toString(const ConstExpr &expr) {
  std::string s;
  for (const ConstInstr &instr : expr.instrs) {
    if (!s.empty())
      s += " ";
    s += toString(instr);
  }
  return s;
}

StringRef wcl::wasm::toString(ElemSegment::Mode mode) {
  switch (mode) {
  case ElemSegment::Mode::Active:
    return "active";
  case ElemSegment::Mode::Passive:
    return "passive";
  case ElemSegment::Mode::Declarative:
    return "declarative";
  }
  return "";
}

StringRef wcl::wasm::toString(DataSegment::Mode mode) {
  return mode == DataSegment::Mode::Active ? "active" : "passive";
}

StringRef wcl::wasm::sectionIdName(uint8_t id) {
  switch (id) {
  case llvm::wasm::WASM_SEC_CUSTOM:
    return "CUSTOM";
  case llvm::wasm::WASM_SEC_TYPE:
    return "TYPE";
  case llvm::wasm::WASM_SEC_IMPORT:
    return "IMPORT";
  case llvm::wasm::WASM_SEC_FUNCTION:
    return "FUNCTION";
  case llvm::wasm::WASM_SEC_TABLE:
    return "TABLE";
  case llvm::wasm::WASM_SEC_MEMORY:
    return "MEMORY";
  case llvm::wasm::WASM_SEC_GLOBAL:
    return "GLOBAL";
  case llvm::wasm::WASM_SEC_EXPORT:
    return "EXPORT";
  case llvm::wasm::WASM_SEC_START:
    return "START";
  case llvm::wasm::WASM_SEC_ELEM:
    return "ELEM";
  case llvm::wasm::WASM_SEC_CODE:
    return "CODE";
  case llvm::wasm::WASM_SEC_DATA:
    return "DATA";
  case llvm::wasm::WASM_SEC_DATACOUNT:
    return "DATACOUNT";
  case llvm::wasm::WASM_SEC_TAG:
    return "TAG";
  default:
    return "";
  }
}

//===----------------------------------------------------------------------===//
// CoreModule queries
//===----------------------------------------------------------------------===//

const FuncType *CoreModule::getFuncType(uint32_t typeIndex) const {
  if (typeIndex >= types.size())
    return nullptr;
  const CompositeType &comp = types[typeIndex].composite;
  return comp.kind == CompositeType::Kind::Func ? &comp.func : nullptr;
}

std::optional<uint32_t>
CoreModule::getFunctionTypeIndex(uint32_t funcIndex) const {
  if (funcIndex < numImportedFuncs) {
    for (const ImportEntry &imp : imports)
      if (imp.type.kind == ExternType::Kind::Func && imp.index == funcIndex)
        return imp.type.funcType;
    return std::nullopt;
  }
  uint32_t defined = funcIndex - numImportedFuncs;
  if (defined < funcTypes.size())
    return funcTypes[defined];
  return std::nullopt;
}

const Export *CoreModule::findExport(StringRef name) const {
  for (const Export &exp : exports)
    if (exp.name == name)
      return &exp;
  return nullptr;
}

const Section *CoreModule::findCustomSection(StringRef name) const {
  for (const Section &sec : sections)
    if (sec.isCustom() && sec.name == name)
      return &sec;
  return nullptr;
}

std::optional<StringRef> NameSection::getModuleName() const {
  for (const NameSubsection &sub : subsections)
    if (sub.known && sub.id == uint8_t(CoreNameKind::Module))
      return sub.moduleName;
  return std::nullopt;
}

std::optional<StringRef> NameSection::lookup(CoreNameKind kind,
                                             uint32_t index) const {
  for (const NameSubsection &sub : subsections) {
    if (!sub.known || sub.id != uint8_t(kind))
      continue;
    for (const Naming &n : sub.names)
      if (n.index == index)
        return n.name;
  }
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Custom sections
//===----------------------------------------------------------------------===//

/// Reads `vec(name)`.
template <typename VecT>
static Error readNameVector(BinaryReader &reader, VecT &out) {
  Expected<uint32_t> n = reader.readCount();
  if (!n)
    return n.takeError();
  for (uint32_t i = 0; i < *n; ++i) {
    Expected<StringRef> s = reader.readName();
    if (!s)
      return s.takeError();
    out.push_back(*s);
  }
  return Error::success();
}

static Error readDylinkSubsection(uint8_t id, BinaryReader &sub,
                                  DylinkInfo &info) {
  switch (id) {
  case llvm::wasm::WASM_DYLINK_MEM_INFO: {
    DylinkInfo::MemInfo mem;
    for (uint32_t *field : {&mem.memorySize, &mem.memoryAlignment,
                            &mem.tableSize, &mem.tableAlignment}) {
      Expected<uint32_t> v = sub.readVarU32();
      if (!v)
        return v.takeError();
      *field = *v;
    }
    info.memInfo = mem;
    return Error::success();
  }
  case llvm::wasm::WASM_DYLINK_NEEDED:
    return readNameVector(sub, info.needed);
  case llvm::wasm::WASM_DYLINK_RUNTIME_PATH:
    return readNameVector(sub, info.runtimePath);
  case llvm::wasm::WASM_DYLINK_EXPORT_INFO: {
    Expected<uint32_t> n = sub.readCount(2);
    if (!n)
      return n.takeError();
    for (uint32_t i = 0; i < *n; ++i) {
      DylinkInfo::ExportInfo e;
      Expected<StringRef> name = sub.readName();
      if (!name)
        return name.takeError();
      e.name = *name;
      Expected<uint32_t> flags = sub.readVarU32();
      if (!flags)
        return flags.takeError();
      e.flags = *flags;
      info.exportInfo.push_back(e);
    }
    return Error::success();
  }
  case llvm::wasm::WASM_DYLINK_IMPORT_INFO: {
    Expected<uint32_t> n = sub.readCount(3);
    if (!n)
      return n.takeError();
    for (uint32_t i = 0; i < *n; ++i) {
      DylinkInfo::ImportInfo imp;
      Expected<StringRef> module = sub.readName();
      if (!module)
        return module.takeError();
      imp.module = *module;
      Expected<StringRef> field = sub.readName();
      if (!field)
        return field.takeError();
      imp.field = *field;
      Expected<uint32_t> flags = sub.readVarU32();
      if (!flags)
        return flags.takeError();
      imp.flags = *flags;
      info.importInfo.push_back(imp);
    }
    return Error::success();
  }
  default:
    info.unknown.push_back({id, sub.offset(), sub.data()});
    return sub.skip(sub.remaining());
  }
}

Expected<DylinkInfo> wcl::wasm::readDylinkSection(BinaryReader &reader) {
  DylinkInfo info;
  while (!reader.atEnd()) {
    Expected<uint8_t> id = reader.readU8();
    if (!id)
      return id.takeError();
    Expected<uint32_t> size = reader.readVarU32();
    if (!size)
      return size.takeError();
    Expected<BinaryReader> sub = reader.readSubReader(*size);
    if (!sub)
      return sub.takeError();
    if (Error e = readDylinkSubsection(*id, *sub, info))
      return std::move(e);
    if (Error e = sub->expectEnd("dylink.0 subsection " + utostr(*id)))
      return std::move(e);
  }
  return info;
}

static Error readNameMap(BinaryReader &reader, SmallVectorImpl<Naming> &names) {
  Expected<uint32_t> n = reader.readCount(2);
  if (!n)
    return n.takeError();
  names.reserve(*n);
  for (uint32_t i = 0; i < *n; ++i) {
    Expected<uint32_t> idx = reader.readVarU32();
    if (!idx)
      return idx.takeError();
    Expected<StringRef> name = reader.readName();
    if (!name)
      return name.takeError();
    names.push_back({*idx, *name});
  }
  return Error::success();
}

Expected<NameSection> wcl::wasm::readNameSection(BinaryReader &reader) {
  NameSection section;
  while (!reader.atEnd()) {
    NameSubsection sub;
    Expected<uint8_t> id = reader.readU8();
    if (!id)
      return id.takeError();
    sub.id = *id;
    Expected<uint32_t> size = reader.readVarU32();
    if (!size)
      return size.takeError();
    Expected<BinaryReader> body = reader.readSubReader(*size);
    if (!body)
      return body.takeError();
    sub.offset = body->offset();
    sub.content = body->data();
    switch (CoreNameKind(*id)) {
    case CoreNameKind::Module: {
      sub.known = true;
      Expected<StringRef> name = body->readName();
      if (!name)
        return name.takeError();
      sub.moduleName = *name;
      break;
    }
    case CoreNameKind::Local:
    case CoreNameKind::Label:
    case CoreNameKind::Field: {
      sub.known = true;
      Expected<uint32_t> n = body->readCount(2);
      if (!n)
        return n.takeError();
      for (uint32_t i = 0; i < *n; ++i) {
        IndirectNaming outer;
        Expected<uint32_t> idx = body->readVarU32();
        if (!idx)
          return idx.takeError();
        outer.index = *idx;
        if (Error e = readNameMap(*body, outer.names))
          return std::move(e);
        sub.indirectNames.push_back(std::move(outer));
      }
      break;
    }
    case CoreNameKind::Function:
    case CoreNameKind::Type:
    case CoreNameKind::Table:
    case CoreNameKind::Memory:
    case CoreNameKind::Global:
    case CoreNameKind::ElemSegment:
    case CoreNameKind::DataSegment:
    case CoreNameKind::Tag:
      sub.known = true;
      if (Error e = readNameMap(*body, sub.names))
        return std::move(e);
      break;
    default:
      // Unknown subsections are kept as bytes, as the spec asks tools to
      // tolerate them.
      consumeError(body->skip(body->remaining()));
      break;
    }
    if (Error e = body->expectEnd("name subsection " + utostr(*id)))
      return std::move(e);
    section.subsections.push_back(std::move(sub));
  }
  return section;
}

Expected<ProducersSection>
wcl::wasm::readProducersSection(BinaryReader &reader) {
  ProducersSection producers;
  Expected<uint32_t> n = reader.readCount(2);
  if (!n)
    return n.takeError();
  for (uint32_t i = 0; i < *n; ++i) {
    ProducersSection::Field field;
    Expected<StringRef> name = reader.readName();
    if (!name)
      return name.takeError();
    field.name = *name;
    Expected<uint32_t> m = reader.readCount(2);
    if (!m)
      return m.takeError();
    for (uint32_t j = 0; j < *m; ++j) {
      Expected<StringRef> vname = reader.readName();
      if (!vname)
        return vname.takeError();
      Expected<StringRef> version = reader.readName();
      if (!version)
        return version.takeError();
      field.values.push_back({*vname, *version});
    }
    producers.fields.push_back(std::move(field));
  }
  if (Error e = reader.expectEnd("producers section"))
    return std::move(e);
  return producers;
}

Expected<SmallVector<TargetFeature, 0>>
wcl::wasm::readTargetFeaturesSection(BinaryReader &reader) {
  SmallVector<TargetFeature, 0> features;
  Expected<uint32_t> n = reader.readCount(2);
  if (!n)
    return n.takeError();
  for (uint32_t i = 0; i < *n; ++i) {
    uint64_t at = reader.offset();
    Expected<uint8_t> prefix = reader.readU8();
    if (!prefix)
      return prefix.takeError();
    if (*prefix != '+' && *prefix != '-' && *prefix != '=')
      return BinaryReader::errorAt(at,
                                   "unknown feature policy prefix 0x" +
                                       utohexstr(*prefix, /*LowerCase=*/true));
    Expected<StringRef> name = reader.readName();
    if (!name)
      return name.takeError();
    features.push_back({char(*prefix), *name});
  }
  if (Error e = reader.expectEnd("target_features section"))
    return std::move(e);
  return features;
}

//===----------------------------------------------------------------------===//
// Known sections
//===----------------------------------------------------------------------===//

namespace {

/// Reads one module. Holds the counts that cross sections.
class ModuleParser {
public:
  ModuleParser(ArrayRef<uint8_t> bytes, uint64_t base) : reader(bytes, base) {
    mod.bytes = bytes;
    mod.base = base;
  }

  Expected<CoreModule> run();

private:
  Error readSection(const Section &sec, BinaryReader &r);
  Error readSectionBody(const Section &sec, BinaryReader &r);
  Error readCustomSection(const Section &sec);
  Error readTypeSection(BinaryReader &r);
  Error readImportSection(BinaryReader &r);
  Error readFunctionSection(BinaryReader &r);
  Error readTableSection(BinaryReader &r);
  Error readMemorySection(BinaryReader &r);
  Error readTagSection(BinaryReader &r);
  Error readGlobalSection(BinaryReader &r);
  Error readExportSection(BinaryReader &r);
  Error readStartSection(BinaryReader &r);
  Error readElemSection(BinaryReader &r);
  Error readDataCountSection(BinaryReader &r);
  Error readCodeSection(BinaryReader &r);
  Error readDataSection(BinaryReader &r);
  Error checkCounts(uint64_t endOffset);

  BinaryReader reader;
  CoreModule mod;
  bool sawCodeSection = false;
  bool sawDataSection = false;
  uint64_t codeSectionOffset = 0;
  uint64_t dataSectionOffset = 0;
};

} // namespace

Expected<CoreModule> ModuleParser::run() {
  uint64_t start = reader.offset();
  Expected<BinaryKind> kind = readPreamble(reader);
  if (!kind)
    return kind.takeError();
  if (*kind != BinaryKind::CoreModule)
    return BinaryReader::errorAt(start + 4,
                                 "expected a core module, found a component");

  uint8_t lastId = 0;
  unsigned lastRank = 0;
  while (!reader.atEnd()) {
    Section sec;
    sec.offset = reader.offset();
    // Checked here (not after reading the size) so a garbage byte is
    // reported as what it most likely is.
    Expected<uint8_t> id = reader.readU8();
    if (!id)
      return id.takeError();
    sec.id = *id;
    if (*id != llvm::wasm::WASM_SEC_CUSTOM && sectionRank(*id) == 0)
      return BinaryReader::errorAt(sec.offset, "unknown section id " +
                                                   Twine(unsigned(*id)));
    uint64_t sizeAt = reader.offset();
    Expected<uint32_t> size = reader.readVarU32();
    if (!size)
      return size.takeError();
    if (*size > reader.remaining())
      return BinaryReader::errorAt(
          sizeAt, "section size " + Twine(*size) +
                      " goes past the end of the input (" +
                      byteCount(reader.remaining()) + " left)");
    Expected<BinaryReader> body = reader.readSubReader(*size);
    if (!body)
      return body.takeError();
    sec.payload = body->data();
    sec.payloadOffset = body->offset();

    if (*id != llvm::wasm::WASM_SEC_CUSTOM) {
      unsigned rank = sectionRank(*id);
      if (rank == lastRank)
        return BinaryReader::errorAt(
            sec.offset, "duplicate " + sectionIdName(*id) + " section");
      if (rank < lastRank)
        return BinaryReader::errorAt(
            sec.offset, "section out of order: " + sectionIdName(*id) +
                            " section after " + sectionIdName(lastId) +
                            " section");
      lastRank = rank;
      lastId = *id;
      sec.content = sec.payload;
      sec.contentOffset = sec.payloadOffset;
    } else {
      Expected<StringRef> name = body->readName();
      if (!name)
        return name.takeError();
      sec.name = *name;
      sec.contentOffset = body->offset();
      sec.content = sec.payload.drop_front(body->position());
    }
    mod.sections.push_back(sec);
    if (Error e = readSection(mod.sections.back(), *body))
      return std::move(e);
  }
  if (Error e = checkCounts(reader.offset()))
    return std::move(e);
  return std::move(mod);
}

Error ModuleParser::readSection(const Section &sec, BinaryReader &r) {
  if (sec.isCustom())
    return readCustomSection(sec);
  if (Error e = readSectionBody(sec, r))
    return e;
  return r.expectEnd(sectionIdName(sec.id).lower() + " section");
}

Error ModuleParser::readSectionBody(const Section &sec, BinaryReader &r) {
  switch (sec.id) {
  case llvm::wasm::WASM_SEC_TYPE:
    return readTypeSection(r);
  case llvm::wasm::WASM_SEC_IMPORT:
    return readImportSection(r);
  case llvm::wasm::WASM_SEC_FUNCTION:
    return readFunctionSection(r);
  case llvm::wasm::WASM_SEC_TABLE:
    return readTableSection(r);
  case llvm::wasm::WASM_SEC_MEMORY:
    return readMemorySection(r);
  case llvm::wasm::WASM_SEC_TAG:
    return readTagSection(r);
  case llvm::wasm::WASM_SEC_GLOBAL:
    return readGlobalSection(r);
  case llvm::wasm::WASM_SEC_EXPORT:
    return readExportSection(r);
  case llvm::wasm::WASM_SEC_START:
    return readStartSection(r);
  case llvm::wasm::WASM_SEC_ELEM:
    return readElemSection(r);
  case llvm::wasm::WASM_SEC_DATACOUNT:
    return readDataCountSection(r);
  case llvm::wasm::WASM_SEC_CODE:
    codeSectionOffset = sec.offset;
    return readCodeSection(r);
  case llvm::wasm::WASM_SEC_DATA:
    dataSectionOffset = sec.offset;
    return readDataSection(r);
  default:
    // run() rejects unknown ids before getting here.
    return Error::success();
  }
}

Error ModuleParser::readCustomSection(const Section &sec) {
  // Only the first section of each name is decoded; tools read only that
  // one, and a second is most likely a linker bug worth seeing raw. Errors
  // carry their offset, which already says which section they are in.
  BinaryReader r(sec.content, sec.contentOffset);
  auto decode = [&](auto &slot, auto readFn) -> Error {
    if (slot)
      return Error::success();
    auto value = readFn(r);
    if (!value)
      return value.takeError();
    slot = std::move(*value);
    return Error::success();
  };
  if (sec.name == DylinkSectionName)
    return decode(mod.dylink, readDylinkSection);
  if (sec.name == NameSectionName)
    return decode(mod.names, readNameSection);
  if (sec.name == ProducersSectionName)
    return decode(mod.producers, readProducersSection);
  if (sec.name == TargetFeaturesSectionName)
    return decode(mod.targetFeatures, readTargetFeaturesSection);
  return Error::success();
}

Error ModuleParser::readTypeSection(BinaryReader &r) {
  Expected<uint32_t> n = r.readCount();
  if (!n)
    return n.takeError();
  for (uint32_t i = 0; i < *n; ++i) {
    Expected<RecGroup> group = readRecGroup(r);
    if (!group)
      return group.takeError();
    RecGroupInfo info;
    info.firstType = mod.types.size();
    info.numTypes = group->types.size();
    info.explicitRec = group->explicitRec;
    mod.recGroups.push_back(info);
    for (SubType &t : group->types)
      mod.types.push_back(std::move(t));
  }
  return Error::success();
}

Error ModuleParser::readImportSection(BinaryReader &r) {
  Expected<uint32_t> n = r.readCount(3);
  if (!n)
    return n.takeError();
  for (uint32_t i = 0; i < *n; ++i) {
    ImportEntry entry;
    entry.offset = r.offset();
    Expected<Import> imp = readImport(r);
    if (!imp)
      return imp.takeError();
    static_cast<Import &>(entry) = *imp;
    switch (imp->type.kind) {
    case ExternType::Kind::Func:
      entry.index = mod.numImportedFuncs++;
      break;
    case ExternType::Kind::Table:
      entry.index = mod.numImportedTables++;
      break;
    case ExternType::Kind::Memory:
      entry.index = mod.numImportedMemories++;
      break;
    case ExternType::Kind::Global:
      entry.index = mod.numImportedGlobals++;
      break;
    case ExternType::Kind::Tag:
      entry.index = mod.numImportedTags++;
      break;
    }
    mod.imports.push_back(entry);
  }
  return Error::success();
}

Error ModuleParser::readFunctionSection(BinaryReader &r) {
  Expected<uint32_t> n = r.readCount();
  if (!n)
    return n.takeError();
  mod.funcTypes.reserve(*n);
  for (uint32_t i = 0; i < *n; ++i) {
    Expected<uint32_t> idx = r.readVarU32();
    if (!idx)
      return idx.takeError();
    mod.funcTypes.push_back(*idx);
  }
  return Error::success();
}

Error ModuleParser::readTableSection(BinaryReader &r) {
  Expected<uint32_t> n = r.readCount(2);
  if (!n)
    return n.takeError();
  for (uint32_t i = 0; i < *n; ++i) {
    Table table;
    Expected<uint8_t> lead = r.peekU8();
    if (!lead)
      return lead.takeError();
    bool hasInit = *lead == 0x40;
    if (hasInit) {
      // function-references: 0x40 0x00 tabletype expr.
      consumeError(r.readU8().takeError());
      uint64_t at = r.offset();
      Expected<uint8_t> zero = r.readU8();
      if (!zero)
        return zero.takeError();
      if (*zero != 0)
        return BinaryReader::errorAt(at,
                                     "invalid table encoding 0x40 0x" +
                                         utohexstr(*zero, /*LowerCase=*/true));
    }
    Expected<TableType> type = readTableType(r);
    if (!type)
      return type.takeError();
    table.type = *type;
    if (hasInit) {
      Expected<ConstExpr> init = readConstExpr(r);
      if (!init)
        return init.takeError();
      table.init = std::move(*init);
    }
    mod.tables.push_back(std::move(table));
  }
  return Error::success();
}

Error ModuleParser::readMemorySection(BinaryReader &r) {
  Expected<uint32_t> n = r.readCount(2);
  if (!n)
    return n.takeError();
  for (uint32_t i = 0; i < *n; ++i) {
    Expected<MemoryType> type = readMemoryType(r);
    if (!type)
      return type.takeError();
    mod.memories.push_back(*type);
  }
  return Error::success();
}

Error ModuleParser::readTagSection(BinaryReader &r) {
  Expected<uint32_t> n = r.readCount(2);
  if (!n)
    return n.takeError();
  for (uint32_t i = 0; i < *n; ++i) {
    Expected<TagType> type = readTagType(r);
    if (!type)
      return type.takeError();
    mod.tags.push_back(*type);
  }
  return Error::success();
}

Error ModuleParser::readGlobalSection(BinaryReader &r) {
  Expected<uint32_t> n = r.readCount(3);
  if (!n)
    return n.takeError();
  for (uint32_t i = 0; i < *n; ++i) {
    Global global;
    Expected<GlobalType> type = readGlobalType(r);
    if (!type)
      return type.takeError();
    global.type = *type;
    Expected<ConstExpr> init = readConstExpr(r);
    if (!init)
      return init.takeError();
    global.init = std::move(*init);
    mod.globals.push_back(std::move(global));
  }
  return Error::success();
}

Error ModuleParser::readExportSection(BinaryReader &r) {
  Expected<uint32_t> n = r.readCount(3);
  if (!n)
    return n.takeError();
  for (uint32_t i = 0; i < *n; ++i) {
    Export exp;
    exp.offset = r.offset();
    Expected<StringRef> name = r.readName();
    if (!name)
      return name.takeError();
    exp.name = *name;
    uint64_t at = r.offset();
    Expected<uint8_t> kind = r.readU8();
    if (!kind)
      return kind.takeError();
    if (*kind > llvm::wasm::WASM_EXTERNAL_TAG)
      return BinaryReader::errorAt(at,
                                   "invalid external kind 0x" +
                                       utohexstr(*kind, /*LowerCase=*/true));
    exp.kind = ExternType::Kind(*kind);
    Expected<uint32_t> idx = r.readVarU32();
    if (!idx)
      return idx.takeError();
    exp.index = *idx;
    mod.exports.push_back(exp);
  }
  return Error::success();
}

Error ModuleParser::readStartSection(BinaryReader &r) {
  Expected<uint32_t> idx = r.readVarU32();
  if (!idx)
    return idx.takeError();
  mod.startFunction = *idx;
  return Error::success();
}

Error ModuleParser::readElemSection(BinaryReader &r) {
  Expected<uint32_t> n = r.readCount();
  if (!n)
    return n.takeError();
  for (uint32_t i = 0; i < *n; ++i) {
    ElemSegment seg;
    seg.offset = r.offset();
    Expected<uint32_t> flags = r.readVarU32();
    if (!flags)
      return flags.takeError();
    if (*flags > 7)
      return BinaryReader::errorAt(
          seg.offset, "invalid element segment flags " + Twine(*flags));
    seg.flags = *flags;
    // Bit 0: passive or declarative; bit 1: explicit table (active) or
    // declarative (otherwise); bit 2: items are expressions.
    bool notActive = *flags & llvm::wasm::WASM_ELEM_SEGMENT_IS_PASSIVE;
    bool bit1 = *flags & llvm::wasm::WASM_ELEM_SEGMENT_HAS_TABLE_NUMBER;
    seg.usesExprs = *flags & llvm::wasm::WASM_ELEM_SEGMENT_HAS_INIT_EXPRS;
    seg.mode = !notActive ? ElemSegment::Mode::Active
               : bit1     ? ElemSegment::Mode::Declarative
                          : ElemSegment::Mode::Passive;
    if (!notActive) {
      if (bit1) {
        Expected<uint32_t> table = r.readVarU32();
        if (!table)
          return table.takeError();
        seg.tableIndex = *table;
      }
      Expected<ConstExpr> offset = readConstExpr(r);
      if (!offset)
        return offset.takeError();
      seg.offsetExpr = std::move(*offset);
    }
    // Encodings 0 and 4 imply funcref; the others say what they hold.
    if (*flags & llvm::wasm::WASM_ELEM_SEGMENT_MASK_HAS_ELEM_DESC) {
      if (seg.usesExprs) {
        Expected<RefType> type = readRefType(r);
        if (!type)
          return type.takeError();
        seg.elemType = *type;
      } else {
        uint64_t at = r.offset();
        Expected<uint8_t> elemKind = r.readU8();
        if (!elemKind)
          return elemKind.takeError();
        if (*elemKind != 0)
          return BinaryReader::errorAt(
              at, "invalid element kind 0x" +
                      utohexstr(*elemKind, /*LowerCase=*/true));
      }
    }
    Expected<uint32_t> count = r.readCount();
    if (!count)
      return count.takeError();
    for (uint32_t j = 0; j < *count; ++j) {
      if (seg.usesExprs) {
        Expected<ConstExpr> expr = readConstExpr(r);
        if (!expr)
          return expr.takeError();
        seg.exprs.push_back(std::move(*expr));
      } else {
        Expected<uint32_t> func = r.readVarU32();
        if (!func)
          return func.takeError();
        seg.functions.push_back(*func);
      }
    }
    mod.elemSegments.push_back(std::move(seg));
  }
  return Error::success();
}

Error ModuleParser::readDataCountSection(BinaryReader &r) {
  Expected<uint32_t> count = r.readVarU32();
  if (!count)
    return count.takeError();
  mod.dataCount = *count;
  return Error::success();
}

Error ModuleParser::readCodeSection(BinaryReader &r) {
  sawCodeSection = true;
  Expected<uint32_t> n = r.readCount();
  if (!n)
    return n.takeError();
  mod.bodies.reserve(*n);
  for (uint32_t i = 0; i < *n; ++i) {
    FunctionBody fn;
    fn.offset = r.offset();
    Expected<uint32_t> size = r.readVarU32();
    if (!size)
      return size.takeError();
    Expected<BinaryReader> body = r.readSubReader(*size);
    if (!body)
      return body.takeError();
    fn.body = body->data();
    fn.bodyOffset = body->offset();
    uint64_t localsAt = body->offset();
    Expected<uint32_t> numDecls = body->readCount(2);
    if (!numDecls)
      return numDecls.takeError();
    uint64_t total = 0;
    for (uint32_t j = 0; j < *numDecls; ++j) {
      LocalDecl decl;
      Expected<uint32_t> count = body->readVarU32();
      if (!count)
        return count.takeError();
      decl.count = *count;
      // Engines bound locals per function; the sum must at least fit the
      // u32 local index space.
      total += *count;
      if (total > UINT32_MAX)
        return BinaryReader::errorAt(localsAt, "too many locals");
      Expected<ValType> type = readValType(*body);
      if (!type)
        return type.takeError();
      decl.type = *type;
      fn.locals.push_back(decl);
    }
    fn.codeOffset = body->offset();
    fn.code = fn.body.drop_front(body->position());
    mod.bodies.push_back(std::move(fn));
  }
  return Error::success();
}

Error ModuleParser::readDataSection(BinaryReader &r) {
  sawDataSection = true;
  Expected<uint32_t> n = r.readCount();
  if (!n)
    return n.takeError();
  for (uint32_t i = 0; i < *n; ++i) {
    DataSegment seg;
    seg.offset = r.offset();
    Expected<uint32_t> flags = r.readVarU32();
    if (!flags)
      return flags.takeError();
    if (*flags > 2)
      return BinaryReader::errorAt(seg.offset, "invalid data segment flags " +
                                                   Twine(*flags));
    seg.flags = *flags;
    seg.mode = *flags == llvm::wasm::WASM_DATA_SEGMENT_IS_PASSIVE
                   ? DataSegment::Mode::Passive
                   : DataSegment::Mode::Active;
    if (*flags == llvm::wasm::WASM_DATA_SEGMENT_HAS_MEMINDEX) {
      Expected<uint32_t> mem = r.readVarU32();
      if (!mem)
        return mem.takeError();
      seg.memoryIndex = *mem;
    }
    if (seg.mode == DataSegment::Mode::Active) {
      Expected<ConstExpr> offset = readConstExpr(r);
      if (!offset)
        return offset.takeError();
      seg.offsetExpr = std::move(*offset);
    }
    Expected<uint32_t> size = r.readVarU32();
    if (!size)
      return size.takeError();
    seg.contentOffset = r.offset();
    Expected<ArrayRef<uint8_t>> content = r.readBytes(*size);
    if (!content)
      return content.takeError();
    seg.content = *content;
    mod.dataSegments.push_back(std::move(seg));
  }
  return Error::success();
}

Error ModuleParser::checkCounts(uint64_t endOffset) {
  size_t numFuncs = mod.funcTypes.size(), numBodies = mod.bodies.size();
  if (sawCodeSection && numFuncs != numBodies)
    return BinaryReader::errorAt(
        codeSectionOffset,
        "function and code section have inconsistent lengths (" +
            Twine(numFuncs) + " functions, " + Twine(numBodies) + " bodies)");
  if (!sawCodeSection && numFuncs > 0)
    return BinaryReader::errorAt(endOffset,
                                 "function section has " + Twine(numFuncs) +
                                     " entries but code section is absent");
  if (mod.dataCount) {
    size_t numData = mod.dataSegments.size();
    if (sawDataSection && *mod.dataCount != numData)
      return BinaryReader::errorAt(
          dataSectionOffset,
          "data count and data section have inconsistent lengths (" +
              Twine(*mod.dataCount) + " and " + Twine(numData) + ")");
    if (!sawDataSection && *mod.dataCount > 0)
      return BinaryReader::errorAt(endOffset,
                                   "data count is " + Twine(*mod.dataCount) +
                                       " but data section is absent");
  }
  return Error::success();
}

Expected<CoreModule> wcl::wasm::readCoreModule(ArrayRef<uint8_t> bytes,
                                               uint64_t base) {
  return ModuleParser(bytes, base).run();
}

/// The position of each non-custom section in the order the spec requires.
/// The tag section sits between memory and global; datacount before code.
unsigned wcl::wasm::sectionRank(uint8_t id) {
  switch (id) {
  case llvm::wasm::WASM_SEC_TYPE:
    return 1;
  case llvm::wasm::WASM_SEC_IMPORT:
    return 2;
  case llvm::wasm::WASM_SEC_FUNCTION:
    return 3;
  case llvm::wasm::WASM_SEC_TABLE:
    return 4;
  case llvm::wasm::WASM_SEC_MEMORY:
    return 5;
  case llvm::wasm::WASM_SEC_TAG:
    return 6;
  case llvm::wasm::WASM_SEC_GLOBAL:
    return 7;
  case llvm::wasm::WASM_SEC_EXPORT:
    return 8;
  case llvm::wasm::WASM_SEC_START:
    return 9;
  case llvm::wasm::WASM_SEC_ELEM:
    return 10;
  case llvm::wasm::WASM_SEC_DATACOUNT:
    return 11;
  case llvm::wasm::WASM_SEC_CODE:
    return 12;
  case llvm::wasm::WASM_SEC_DATA:
    return 13;
  default:
    return 0;
  }
}
