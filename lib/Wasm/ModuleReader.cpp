//===- ModuleReader.cpp - Section-level core module reader ----------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Walks a core module section by section and decodes each into CoreModule,
/// with one read<Section> method per section id. Structural rules are those
/// of wasmparser's Parser (section order, function/code and data-count/data
/// consistency, sizes), so that a module this reader accepts is one
/// wasm-tools would at least parse, and a module it rejects gets an error
/// pointing at the offending byte. Every section is read through a
/// sub-reader bounded by its size, so a corrupt item can never read into the
/// next section.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/ModuleReader.h"
#include "wcl/Support/Error.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/Wasm.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::wasm;

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
  Error readSectionHeader(Section &sec, BinaryReader &body);
  Error checkOrder(const Section &sec);
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
  Error readElemSegment(BinaryReader &r);
  Error readDataCountSection(BinaryReader &r);
  Error readCodeSection(BinaryReader &r);
  Error readFunctionBody(BinaryReader &r);
  Error readDataSection(BinaryReader &r);
  Error readDataSegment(BinaryReader &r);
  Error checkCounts(uint64_t endOffset);

  BinaryReader reader;
  CoreModule mod;
  uint8_t lastId = 0;
  unsigned lastRank = 0;
  bool sawCodeSection = false;
  bool sawDataSection = false;
  uint64_t codeSectionOffset = 0;
  uint64_t dataSectionOffset = 0;
};

} // namespace

Expected<CoreModule> ModuleParser::run() {
  uint64_t start = reader.offset();
  BinaryKind kind;
  if (Error e = readPreamble(reader).moveInto(kind))
    return std::move(e);
  if (kind != BinaryKind::CoreModule)
    return BinaryReader::errorAt(start + 4,
                                 "expected a core module, found a component");
  while (!reader.atEnd()) {
    Section sec;
    BinaryReader body({});
    if (Error e = readSectionHeader(sec, body))
      return std::move(e);
    mod.sections.push_back(sec);
    if (Error e = readSection(mod.sections.back(), body))
      return std::move(e);
  }
  if (Error e = checkCounts(reader.offset()))
    return std::move(e);
  return std::move(mod);
}

/// Reads `id size`, checks the id and the order, and fills in where the
/// section's payload (and, for a custom section, its name and content) lie.
/// \p body is left at the start of the content.
Error ModuleParser::readSectionHeader(Section &sec, BinaryReader &body) {
  sec.offset = reader.offset();
  // Checked here (not after reading the size) so a garbage byte is reported
  // as what it most likely is.
  if (Error e = reader.readU8().moveInto(sec.id))
    return e;
  if (sec.id != llvm::wasm::WASM_SEC_CUSTOM && sectionRank(sec.id) == 0)
    return BinaryReader::errorAt(sec.offset, "unknown section id " +
                                                 Twine(unsigned(sec.id)));
  uint64_t sizeAt = reader.offset();
  uint32_t size;
  if (Error e = reader.readVarU32().moveInto(size))
    return e;
  if (size > reader.remaining())
    return BinaryReader::errorAt(sizeAt,
                                 "section size " + Twine(size) +
                                     " goes past the end of the input (" +
                                     byteCount(reader.remaining()) + " left)");
  if (Error e = reader.readSubReader(size).moveInto(body))
    return e;
  sec.payload = body.data();
  sec.payloadOffset = body.offset();
  if (!sec.isCustom()) {
    sec.content = sec.payload;
    sec.contentOffset = sec.payloadOffset;
    return checkOrder(sec);
  }
  if (Error e = body.readName().moveInto(sec.name))
    return e;
  sec.contentOffset = body.offset();
  sec.content = sec.payload.drop_front(body.position());
  return Error::success();
}

/// Non-custom sections come at most once each, in the order of their rank.
Error ModuleParser::checkOrder(const Section &sec) {
  unsigned rank = sectionRank(sec.id);
  if (rank == lastRank)
    return BinaryReader::errorAt(
        sec.offset, "duplicate " + sectionIdName(sec.id) + " section");
  if (rank < lastRank)
    return BinaryReader::errorAt(
        sec.offset, "section out of order: " + sectionIdName(sec.id) +
                        " section after " + sectionIdName(lastId) + " section");
  lastRank = rank;
  lastId = sec.id;
  return Error::success();
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
    // readSectionHeader rejects unknown ids before getting here.
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
    return readFn(r).moveInto(slot);
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
  return r.readVector(1, [&]() -> Error {
    RecGroup group;
    if (Error e = readRecGroup(r).moveInto(group))
      return e;
    RecGroupInfo info;
    info.firstType = mod.types.size();
    info.numTypes = group.types.size();
    info.explicitRec = group.explicitRec;
    mod.recGroups.push_back(info);
    for (SubType &t : group.types)
      mod.types.push_back(std::move(t));
    return Error::success();
  });
}

/// The counter of imports of \p kind, which numbers them in their space.
static uint32_t &importCounter(CoreModule &mod, ExternType::Kind kind) {
  switch (kind) {
  case ExternType::Kind::Func:
    return mod.numImportedFuncs;
  case ExternType::Kind::Table:
    return mod.numImportedTables;
  case ExternType::Kind::Memory:
    return mod.numImportedMemories;
  case ExternType::Kind::Global:
    return mod.numImportedGlobals;
  case ExternType::Kind::Tag:
    return mod.numImportedTags;
  }
  llvm_unreachable("import kinds are only built from decoded bytes");
}

Error ModuleParser::readImportSection(BinaryReader &r) {
  return r.readVector(3, [&]() -> Error {
    ImportEntry entry;
    entry.offset = r.offset();
    if (Error e = readImport(r).moveInto(static_cast<Import &>(entry)))
      return e;
    entry.index = importCounter(mod, entry.type.kind)++;
    mod.imports.push_back(entry);
    return Error::success();
  });
}

Error ModuleParser::readFunctionSection(BinaryReader &r) {
  return r.readVector(1, [&]() -> Error {
    uint32_t type;
    if (Error e = r.readVarU32().moveInto(type))
      return e;
    mod.funcTypes.push_back(type);
    return Error::success();
  });
}

Error ModuleParser::readTableSection(BinaryReader &r) {
  return r.readVector(2, [&]() -> Error {
    Table table;
    uint8_t lead;
    if (Error e = r.peekU8().moveInto(lead))
      return e;
    bool hasInit = lead == 0x40;
    if (hasInit) {
      // function-references: 0x40 0x00 tabletype expr.
      consumeError(r.readU8().takeError());
      uint64_t at = r.offset();
      uint8_t zero;
      if (Error e = r.readU8().moveInto(zero))
        return e;
      if (zero != 0)
        return BinaryReader::errorAt(at,
                                     "invalid table encoding 0x40 0x" +
                                         utohexstr(zero, /*LowerCase=*/true));
    }
    if (Error e = readTableType(r).moveInto(table.type))
      return e;
    if (hasInit)
      if (Error e = readConstExpr(r).moveInto(table.init))
        return e;
    mod.tables.push_back(std::move(table));
    return Error::success();
  });
}

Error ModuleParser::readMemorySection(BinaryReader &r) {
  return r.readVector(2, [&]() -> Error {
    MemoryType type;
    if (Error e = readMemoryType(r).moveInto(type))
      return e;
    mod.memories.push_back(type);
    return Error::success();
  });
}

Error ModuleParser::readTagSection(BinaryReader &r) {
  return r.readVector(2, [&]() -> Error {
    TagType type;
    if (Error e = readTagType(r).moveInto(type))
      return e;
    mod.tags.push_back(type);
    return Error::success();
  });
}

Error ModuleParser::readGlobalSection(BinaryReader &r) {
  return r.readVector(3, [&]() -> Error {
    Global global;
    if (Error e = readGlobalType(r).moveInto(global.type))
      return e;
    if (Error e = readConstExpr(r).moveInto(global.init))
      return e;
    mod.globals.push_back(std::move(global));
    return Error::success();
  });
}

Error ModuleParser::readExportSection(BinaryReader &r) {
  return r.readVector(3, [&]() -> Error {
    Export exp;
    exp.offset = r.offset();
    if (Error e = r.readName().moveInto(exp.name))
      return e;
    uint64_t at = r.offset();
    uint8_t kind;
    if (Error e = r.readU8().moveInto(kind))
      return e;
    if (kind > llvm::wasm::WASM_EXTERNAL_TAG)
      return BinaryReader::errorAt(at, "invalid external kind 0x" +
                                           utohexstr(kind, /*LowerCase=*/true));
    exp.kind = ExternType::Kind(kind);
    if (Error e = r.readVarU32().moveInto(exp.index))
      return e;
    mod.exports.push_back(exp);
    return Error::success();
  });
}

Error ModuleParser::readStartSection(BinaryReader &r) {
  return r.readVarU32().moveInto(mod.startFunction);
}

Error ModuleParser::readElemSection(BinaryReader &r) {
  return r.readVector(1, [&]() { return readElemSegment(r); });
}

Error ModuleParser::readElemSegment(BinaryReader &r) {
  ElemSegment seg;
  seg.offset = r.offset();
  if (Error e = r.readVarU32().moveInto(seg.flags))
    return e;
  uint32_t flags = seg.flags;
  if (flags > 7)
    return BinaryReader::errorAt(seg.offset, "invalid element segment flags " +
                                                 Twine(flags));
  // Bit 0: passive or declarative; bit 1: explicit table (active) or
  // declarative (otherwise); bit 2: items are expressions.
  bool notActive = flags & llvm::wasm::WASM_ELEM_SEGMENT_IS_PASSIVE;
  bool bit1 = flags & llvm::wasm::WASM_ELEM_SEGMENT_HAS_TABLE_NUMBER;
  seg.usesExprs = flags & llvm::wasm::WASM_ELEM_SEGMENT_HAS_INIT_EXPRS;
  seg.mode = !notActive ? ElemSegment::Mode::Active
             : bit1     ? ElemSegment::Mode::Declarative
                        : ElemSegment::Mode::Passive;
  if (!notActive) {
    if (bit1)
      if (Error e = r.readVarU32().moveInto(seg.tableIndex))
        return e;
    if (Error e = readConstExpr(r).moveInto(seg.offsetExpr))
      return e;
  }
  // Encodings 0 and 4 imply funcref; the others say what they hold.
  if (flags & llvm::wasm::WASM_ELEM_SEGMENT_MASK_HAS_ELEM_DESC) {
    if (seg.usesExprs) {
      if (Error e = readRefType(r).moveInto(seg.elemType))
        return e;
    } else {
      uint64_t at = r.offset();
      uint8_t elemKind;
      if (Error e = r.readU8().moveInto(elemKind))
        return e;
      if (elemKind != 0)
        return BinaryReader::errorAt(
            at, "invalid element kind 0x" +
                    utohexstr(elemKind, /*LowerCase=*/true));
    }
  }
  if (Error e = r.readVector(1, [&]() -> Error {
        if (seg.usesExprs)
          return readConstExpr(r).moveInto(seg.exprs.emplace_back());
        return r.readVarU32().moveInto(seg.functions.emplace_back());
      }))
    return e;
  mod.elemSegments.push_back(std::move(seg));
  return Error::success();
}

Error ModuleParser::readDataCountSection(BinaryReader &r) {
  return r.readVarU32().moveInto(mod.dataCount);
}

Error ModuleParser::readCodeSection(BinaryReader &r) {
  sawCodeSection = true;
  // One body per declared function: the function section's count, already
  // bounded by its bytes, sizes the vector once.
  mod.bodies.reserve(mod.funcTypes.size());
  return r.readVector(1, [&]() { return readFunctionBody(r); });
}

Error ModuleParser::readFunctionBody(BinaryReader &r) {
  FunctionBody fn;
  fn.offset = r.offset();
  uint32_t size;
  if (Error e = r.readVarU32().moveInto(size))
    return e;
  BinaryReader body({});
  if (Error e = r.readSubReader(size).moveInto(body))
    return e;
  fn.body = body.data();
  fn.bodyOffset = body.offset();
  uint64_t localsAt = body.offset();
  uint64_t total = 0;
  if (Error e = body.readVector(2, [&]() -> Error {
        LocalDecl decl;
        if (Error e = body.readVarU32().moveInto(decl.count))
          return e;
        // Engines bound locals per function; the sum must at least fit the
        // u32 local index space.
        total += decl.count;
        if (total > UINT32_MAX)
          return BinaryReader::errorAt(localsAt, "too many locals");
        if (Error e = readValType(body).moveInto(decl.type))
          return e;
        fn.locals.push_back(decl);
        return Error::success();
      }))
    return e;
  fn.codeOffset = body.offset();
  fn.code = fn.body.drop_front(body.position());
  mod.bodies.push_back(std::move(fn));
  return Error::success();
}

Error ModuleParser::readDataSection(BinaryReader &r) {
  sawDataSection = true;
  return r.readVector(1, [&]() { return readDataSegment(r); });
}

Error ModuleParser::readDataSegment(BinaryReader &r) {
  DataSegment seg;
  seg.offset = r.offset();
  if (Error e = r.readVarU32().moveInto(seg.flags))
    return e;
  if (seg.flags > 2)
    return BinaryReader::errorAt(seg.offset, "invalid data segment flags " +
                                                 Twine(seg.flags));
  seg.mode = seg.flags == llvm::wasm::WASM_DATA_SEGMENT_IS_PASSIVE
                 ? DataSegment::Mode::Passive
                 : DataSegment::Mode::Active;
  if (seg.flags == llvm::wasm::WASM_DATA_SEGMENT_HAS_MEMINDEX)
    if (Error e = r.readVarU32().moveInto(seg.memoryIndex))
      return e;
  if (seg.mode == DataSegment::Mode::Active)
    if (Error e = readConstExpr(r).moveInto(seg.offsetExpr))
      return e;
  uint32_t size;
  if (Error e = r.readVarU32().moveInto(size))
    return e;
  seg.contentOffset = r.offset();
  if (Error e = r.readBytes(size).moveInto(seg.content))
    return e;
  mod.dataSegments.push_back(std::move(seg));
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
