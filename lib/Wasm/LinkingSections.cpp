//===- LinkingSections.cpp - Checks for wasm-ld's inputs ------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Walks the custom sections WasmObjectFile decodes, in file order, the way
/// it decodes them (tool-conventions Linking.md and DynamicLinking.md), so
/// that whatever passes here cannot make it read past a section, allocate
/// by an absurd count or index out of range. Symbols of the `linking`
/// section are remembered by kind because relocations refer to them.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/LinkingSections.h"
#include "wcl/Support/Error.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/BinaryFormat/Wasm.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::wasm;

namespace {

/// One pass over a module's custom sections.
class LinkingChecker {
public:
  explicit LinkingChecker(const CoreModule &mod) : mod(mod) {}
  Error run();

private:
  Error checkSection(const Section &sec);
  Error checkLegacyDylink(BinaryReader &r);
  Error checkNames(BinaryReader &r);
  Error checkLinking(BinaryReader &r);
  Error checkSymbolTable(BinaryReader &r);
  Error checkSymbol(BinaryReader &r, StringSet<> &names);
  Error checkSegmentInfo(BinaryReader &r);
  Error checkInitFuncs(BinaryReader &r);
  Error checkComdats(BinaryReader &r);
  Error checkRelocs(BinaryReader &r);

  bool isSymbol(uint32_t index, uint8_t kind) const {
    return index < symbolKinds.size() && symbolKinds[index] == kind;
  }

  const CoreModule &mod;
  /// Sections before the one being checked, as WasmObjectFile counts them
  /// when a section symbol or a relocation names one.
  size_t sectionsBefore = 0;
  SmallVector<uint8_t, 0> symbolKinds;
};

} // namespace

/// The string WasmObjectFile's readString takes; wcl's readName also wants
/// UTF-8, which a linker's names are.
static Expected<StringRef> readString(BinaryReader &r) { return r.readName(); }

Error LinkingChecker::run() {
  for (const Section &sec : mod.sections) {
    if (sec.isCustom())
      if (Error e = checkSection(sec))
        return e;
    ++sectionsBefore;
  }
  return Error::success();
}

Error LinkingChecker::checkSection(const Section &sec) {
  BinaryReader r(sec.content, sec.contentOffset);
  StringRef name = sec.name;
  Error e = Error::success();
  if (name == "dylink") {
    e = checkLegacyDylink(r);
  } else if (name == DylinkSectionName) {
    e = readDylinkSection(r).takeError();
  } else if (name == NameSectionName) {
    e = checkNames(r);
  } else if (name == "linking") {
    e = checkLinking(r);
  } else if (name.starts_with("reloc.")) {
    e = checkRelocs(r);
  } else if (name == ProducersSectionName) {
    e = readProducersSection(r).takeError();
  } else if (name == TargetFeaturesSectionName) {
    e = readTargetFeaturesSection(r).takeError();
  } else {
    return Error::success();
  }
  if (e)
    return addContext(std::move(e), "section '" + name + "'");
  return r.expectEnd(("section '" + name + "'").str());
}

/// The pre-dylink.0 `dylink` section: four sizes and the needed libraries.
Error LinkingChecker::checkLegacyDylink(BinaryReader &r) {
  for (int i = 0; i < 4; ++i)
    if (Error e = r.readVarU32().takeError())
      return e;
  return r.readVector(1, [&]() { return readString(r).takeError(); });
}

/// The name maps WasmObjectFile keeps (functions, globals, data segments)
/// must name items that exist, once each, with a name; other subsections
/// it skips.
Error LinkingChecker::checkNames(BinaryReader &r) {
  while (!r.atEnd()) {
    uint8_t id;
    BinaryReader body({});
    if (Error e = r.readSubsection(id, body))
      return e;
    uint64_t limit;
    StringRef what;
    switch (id) {
    case llvm::wasm::WASM_NAMES_FUNCTION:
      limit = mod.numFunctions(), what = "function";
      break;
    case llvm::wasm::WASM_NAMES_GLOBAL:
      limit = mod.numGlobals(), what = "global";
      break;
    case llvm::wasm::WASM_NAMES_DATA_SEGMENT:
      limit = mod.dataSegments.size(), what = "data segment";
      break;
    default:
      continue;
    }
    DenseSet<uint32_t> seen;
    Error e = body.readVector(2, [&]() -> Error {
      uint64_t at = body.offset();
      uint32_t index;
      StringRef name;
      if (Error e = body.readVarU32().moveInto(index))
        return e;
      if (Error e = readString(body).moveInto(name))
        return e;
      if (index >= limit)
        return createErrorAt(at, "name of " + what + " " + Twine(index) +
                                     " out of range (" + Twine(limit) + " " +
                                     what + "s)");
      if (!seen.insert(index).second)
        return createErrorAt(at, what + " " + Twine(index) +
                                     " named more than once");
      if (name.empty() && id != llvm::wasm::WASM_NAMES_DATA_SEGMENT)
        return createErrorAt(at, "empty name for " + what + " " + Twine(index));
      return Error::success();
    });
    if (e)
      return e;
    if (Error e = body.expectEnd("name subsection " + utostr(id)))
      return e;
  }
  return Error::success();
}

Error LinkingChecker::checkLinking(BinaryReader &r) {
  uint64_t at = r.offset();
  uint32_t version;
  if (Error e = r.readVarU32().moveInto(version))
    return e;
  if (version != llvm::wasm::WasmMetadataVersion)
    return createErrorAt(at, "linking metadata version " + Twine(version) +
                                 " (wasm-ld reads version " +
                                 Twine(llvm::wasm::WasmMetadataVersion) + ")");
  while (!r.atEnd()) {
    uint8_t id;
    BinaryReader body({});
    if (Error e = r.readSubsection(id, body))
      return e;
    Error e = Error::success();
    switch (id) {
    case llvm::wasm::WASM_SYMBOL_TABLE:
      e = checkSymbolTable(body);
      break;
    case llvm::wasm::WASM_SEGMENT_INFO:
      e = checkSegmentInfo(body);
      break;
    case llvm::wasm::WASM_INIT_FUNCS:
      e = checkInitFuncs(body);
      break;
    case llvm::wasm::WASM_COMDAT_INFO:
      e = checkComdats(body);
      break;
    default:
      continue;
    }
    if (e)
      return e;
    if (Error e = body.expectEnd("linking subsection " + utostr(id)))
      return e;
  }
  return Error::success();
}

Error LinkingChecker::checkSymbolTable(BinaryReader &r) {
  // WasmObjectFile replaces its symbols with each table it reads.
  symbolKinds.clear();
  StringSet<> names;
  return r.readVector(2, [&]() { return checkSymbol(r, names); });
}

/// One symbol: its kind and flags, then what that kind needs. An index
/// must be in its space and defined exactly when the flags say so, because
/// WasmObjectFile indexes its imports and definitions with it unchecked.
Error LinkingChecker::checkSymbol(BinaryReader &r, StringSet<> &names) {
  uint64_t at = r.offset();
  uint8_t kind;
  uint32_t flags;
  if (Error e = r.readU8().moveInto(kind))
    return e;
  if (Error e = r.readVarU32().moveInto(flags))
    return e;
  bool defined = !(flags & llvm::wasm::WASM_SYMBOL_UNDEFINED);
  bool weak = (flags & llvm::wasm::WASM_SYMBOL_BINDING_MASK) ==
              llvm::wasm::WASM_SYMBOL_BINDING_WEAK;
  bool local = (flags & llvm::wasm::WASM_SYMBOL_BINDING_MASK) ==
               llvm::wasm::WASM_SYMBOL_BINDING_LOCAL;
  StringRef name;
  auto indexed = [&](StringRef what, uint32_t imported,
                     uint32_t total) -> Error {
    uint32_t index;
    if (Error e = r.readVarU32().moveInto(index))
      return e;
    if (index >= total || defined != (index >= imported))
      return createErrorAt(
          at, what + " symbol index " + Twine(index) + " is not " +
                  (defined ? "a defined " : "an imported ") + what + " (" +
                  Twine(imported) + " imported, " + Twine(total) + " in all)");
    if (!defined && weak && what != "function")
      return createErrorAt(at, "undefined weak " + what + " symbol");
    if (defined || (flags & llvm::wasm::WASM_SYMBOL_EXPLICIT_NAME))
      return readString(r).moveInto(name);
    return Error::success();
  };
  Error e = Error::success();
  switch (kind) {
  case llvm::wasm::WASM_SYMBOL_TYPE_FUNCTION:
    e = indexed("function", mod.numImportedFuncs, mod.numFunctions());
    break;
  case llvm::wasm::WASM_SYMBOL_TYPE_GLOBAL:
    e = indexed("global", mod.numImportedGlobals, mod.numGlobals());
    break;
  case llvm::wasm::WASM_SYMBOL_TYPE_TABLE:
    e = indexed("table", mod.numImportedTables, mod.numTables());
    break;
  case llvm::wasm::WASM_SYMBOL_TYPE_TAG:
    e = indexed("tag", mod.numImportedTags, mod.numTags());
    break;
  case llvm::wasm::WASM_SYMBOL_TYPE_DATA: {
    if ((e = readString(r).moveInto(name)) || !defined)
      break;
    uint32_t segment;
    uint64_t offset, size;
    if ((e = r.readVarU32().moveInto(segment)) ||
        (e = r.readVarU64().moveInto(offset)) ||
        (e = r.readVarU64().moveInto(size)))
      break;
    if (flags & llvm::wasm::WASM_SYMBOL_ABSOLUTE)
      break;
    if (segment >= mod.dataSegments.size())
      return createErrorAt(at, "data symbol '" + name + "' in segment " +
                                   Twine(segment) + " of " +
                                   Twine(mod.dataSegments.size()));
    if (offset > mod.dataSegments[segment].content.size())
      return createErrorAt(at, "data symbol '" + name + "' at offset " +
                                   Twine(offset) + " past its segment");
    break;
  }
  case llvm::wasm::WASM_SYMBOL_TYPE_SECTION: {
    uint32_t index;
    if (!local)
      return createErrorAt(at, "section symbol without local binding");
    if ((e = r.readVarU32().moveInto(index)))
      break;
    if (index >= sectionsBefore)
      return createErrorAt(at, "section symbol names section " + Twine(index) +
                                   " of " + Twine(sectionsBefore));
    break;
  }
  default:
    return createErrorAt(at, "unknown symbol kind " + Twine(unsigned(kind)));
  }
  if (e)
    return e;
  if (!local && !name.empty() && !names.insert(name).second)
    return createErrorAt(at, "duplicate symbol '" + name + "'");
  symbolKinds.push_back(kind);
  return Error::success();
}

Error LinkingChecker::checkSegmentInfo(BinaryReader &r) {
  uint64_t at = r.offset();
  uint32_t count;
  if (Error e = r.readCount(3).moveInto(count))
    return e;
  if (count > mod.dataSegments.size())
    return createErrorAt(at, "segment info for " + Twine(count) +
                                 " segments, but there are " +
                                 Twine(mod.dataSegments.size()));
  for (uint32_t i = 0; i < count; ++i)
    if (Error e = readString(r).takeError())
      return e;
    else if (Error e = r.readVarU32().takeError())
      return e;
    else if (Error e = r.readVarU32().takeError())
      return e;
  return Error::success();
}

Error LinkingChecker::checkInitFuncs(BinaryReader &r) {
  return r.readVector(2, [&]() -> Error {
    uint64_t at = r.offset();
    uint32_t symbol;
    if (Error e = r.readVarU32().takeError())
      return e;
    if (Error e = r.readVarU32().moveInto(symbol))
      return e;
    if (!isSymbol(symbol, llvm::wasm::WASM_SYMBOL_TYPE_FUNCTION))
      return createErrorAt(at, "init function " + Twine(symbol) +
                                   " is not a function symbol");
    return Error::success();
  });
}

Error LinkingChecker::checkComdats(BinaryReader &r) {
  DenseSet<uint64_t> dataSeen, funcSeen;
  StringSet<> comdatNames;
  return r.readVector(3, [&]() -> Error {
    uint64_t at = r.offset();
    StringRef name;
    uint32_t flags;
    if (Error e = readString(r).moveInto(name))
      return e;
    if (name.empty() || !comdatNames.insert(name).second)
      return createErrorAt(at, "empty or duplicate COMDAT name '" + name + "'");
    if (Error e = r.readVarU32().moveInto(flags))
      return e;
    if (flags != 0)
      return createErrorAt(at, "COMDAT flags " + Twine(flags));
    return r.readVector(2, [&]() -> Error {
      uint64_t at = r.offset();
      uint32_t kind, index;
      if (Error e = r.readVarU32().moveInto(kind))
        return e;
      if (Error e = r.readVarU32().moveInto(index))
        return e;
      bool ok = false;
      if (kind == llvm::wasm::WASM_COMDAT_DATA)
        ok = index < mod.dataSegments.size() && dataSeen.insert(index).second;
      else if (kind == llvm::wasm::WASM_COMDAT_FUNCTION)
        ok = index >= mod.numImportedFuncs && index < mod.numFunctions() &&
             funcSeen.insert(index).second;
      else if (kind == llvm::wasm::WASM_COMDAT_SECTION)
        ok = index < sectionsBefore && mod.sections[index].isCustom();
      if (!ok)
        return createErrorAt(at, "COMDAT entry (kind " + Twine(kind) +
                                     ", index " + Twine(index) +
                                     ") names nothing it may hold");
      return Error::success();
    });
  });
}

namespace {
/// What a relocation type refers to, and the width of the addend that
/// follows it (WasmObjectFile aborts on a 32-bit addend out of range).
struct RelocKind {
  SmallVector<uint8_t, 3> symbolKinds; // empty: a type index
  unsigned addendBits = 0;
};
} // namespace

static std::optional<RelocKind> relocKind(uint32_t type) {
  using namespace llvm::wasm;
  switch (type) {
  case R_WASM_FUNCTION_INDEX_LEB:
  case R_WASM_FUNCTION_INDEX_I32:
  case R_WASM_TABLE_INDEX_SLEB:
  case R_WASM_TABLE_INDEX_SLEB64:
  case R_WASM_TABLE_INDEX_I32:
  case R_WASM_TABLE_INDEX_I64:
  case R_WASM_TABLE_INDEX_REL_SLEB:
  case R_WASM_TABLE_INDEX_REL_SLEB64:
    return RelocKind{{WASM_SYMBOL_TYPE_FUNCTION}, 0};
  case R_WASM_TABLE_NUMBER_LEB:
    return RelocKind{{WASM_SYMBOL_TYPE_TABLE}, 0};
  case R_WASM_TYPE_INDEX_LEB:
    return RelocKind{{}, 0};
  case R_WASM_GLOBAL_INDEX_LEB:
    return RelocKind{{WASM_SYMBOL_TYPE_GLOBAL, WASM_SYMBOL_TYPE_DATA,
                      WASM_SYMBOL_TYPE_FUNCTION},
                     0};
  case R_WASM_GLOBAL_INDEX_I32:
    return RelocKind{{WASM_SYMBOL_TYPE_GLOBAL}, 0};
  case R_WASM_TAG_INDEX_LEB:
    return RelocKind{{WASM_SYMBOL_TYPE_TAG}, 0};
  case R_WASM_MEMORY_ADDR_LEB:
  case R_WASM_MEMORY_ADDR_SLEB:
  case R_WASM_MEMORY_ADDR_I32:
  case R_WASM_MEMORY_ADDR_REL_SLEB:
  case R_WASM_MEMORY_ADDR_TLS_SLEB:
  case R_WASM_MEMORY_ADDR_LOCREL_I32:
    return RelocKind{{WASM_SYMBOL_TYPE_DATA}, 32};
  case R_WASM_MEMORY_ADDR_LEB64:
  case R_WASM_MEMORY_ADDR_SLEB64:
  case R_WASM_MEMORY_ADDR_I64:
  case R_WASM_MEMORY_ADDR_REL_SLEB64:
  case R_WASM_MEMORY_ADDR_TLS_SLEB64:
    return RelocKind{{WASM_SYMBOL_TYPE_DATA}, 64};
  case R_WASM_FUNCTION_OFFSET_I32:
    return RelocKind{{WASM_SYMBOL_TYPE_FUNCTION}, 32};
  case R_WASM_FUNCTION_OFFSET_I64:
    return RelocKind{{WASM_SYMBOL_TYPE_FUNCTION}, 64};
  case R_WASM_SECTION_OFFSET_I32:
    return RelocKind{{WASM_SYMBOL_TYPE_SECTION}, 32};
  default:
    return std::nullopt;
  }
}

Error LinkingChecker::checkRelocs(BinaryReader &r) {
  uint64_t at = r.offset();
  uint32_t target;
  if (Error e = r.readVarU32().moveInto(target))
    return e;
  if (target >= sectionsBefore)
    return createErrorAt(at, "relocations for section " + Twine(target) +
                                 " of " + Twine(sectionsBefore));
  return r.readVector(3, [&]() -> Error {
    uint64_t at = r.offset();
    uint32_t type, offset, index;
    if (Error e = r.readVarU32().moveInto(type))
      return e;
    if (Error e = r.readVarU32().moveInto(offset))
      return e;
    if (Error e = r.readVarU32().moveInto(index))
      return e;
    std::optional<RelocKind> kind = relocKind(type);
    if (!kind)
      return createErrorAt(at, "unknown relocation type " + Twine(type));
    bool ok = kind->symbolKinds.empty()
                  ? index < mod.types.size()
                  : llvm::any_of(kind->symbolKinds,
                                 [&](uint8_t k) { return isSymbol(index, k); });
    if (!ok)
      return createErrorAt(at, "relocation of type " + Twine(type) +
                                   " names no suitable symbol (" +
                                   Twine(index) + ")");
    if (kind->addendBits == 32)
      return r.readVarS32().takeError();
    if (kind->addendBits == 64)
      return r.readVarS64().takeError();
    return Error::success();
  });
}

Error wcl::wasm::checkLinkingSections(const CoreModule &mod) {
  return LinkingChecker(mod).run();
}

Error wcl::wasm::checkWasmLdInput(ArrayRef<uint8_t> bytes) {
  if (bytes.size() < 4 || std::memcmp(bytes.data(), "\0asm", 4) != 0)
    return Error::success();
  Expected<CoreModule> mod = readCoreModule(bytes);
  if (!mod)
    return mod.takeError();
  return checkLinkingSections(*mod);
}
