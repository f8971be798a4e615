//===- ModuleDumper.cpp - Core module dumper ------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Prints a CoreModule the way llvm-readobj prints objects: one fact per line,
/// in a fixed order, every item with its explicit index in its index space
/// (imports first), so lit tests can check exactly the fact they care about.
/// Everything goes through ScopedPrinter calls (no raw stream writes), which
/// is what makes the JSONScopedPrinter output valid JSON. Lists of an empty
/// or absent section are omitted to keep dumps short.
///
//===----------------------------------------------------------------------===//

#include "wcl/Dump/Dump.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/BinaryFormat/Wasm.h"
#include "llvm/Support/ScopedPrinter.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::dump;
using namespace wcl::wasm;

namespace {

const EnumEntry<unsigned> sectionTypes[] = {
#define ENTRY(X)                                                               \
  { #X, llvm::wasm::WASM_SEC_##X }
    ENTRY(CUSTOM),    ENTRY(TYPE),   ENTRY(IMPORT), ENTRY(FUNCTION),
    ENTRY(TABLE),     ENTRY(MEMORY), ENTRY(GLOBAL), ENTRY(EXPORT),
    ENTRY(START),     ENTRY(ELEM),   ENTRY(CODE),   ENTRY(DATA),
    ENTRY(DATACOUNT), ENTRY(TAG),
#undef ENTRY
};

/// Symbol flags as dylink.0 uses them (WASM_SYMBOL_*). Binding and
/// visibility are multi-bit fields, but their only non-zero values are single
/// bits, so plain flags print them unambiguously.
const EnumEntry<unsigned> symbolFlags[] = {
    {"WEAK", llvm::wasm::WASM_SYMBOL_BINDING_WEAK},
    {"LOCAL", llvm::wasm::WASM_SYMBOL_BINDING_LOCAL},
    {"HIDDEN", llvm::wasm::WASM_SYMBOL_VISIBILITY_HIDDEN},
    {"UNDEFINED", llvm::wasm::WASM_SYMBOL_UNDEFINED},
    {"EXPORTED", llvm::wasm::WASM_SYMBOL_EXPORTED},
    {"EXPLICIT_NAME", llvm::wasm::WASM_SYMBOL_EXPLICIT_NAME},
    {"NO_STRIP", llvm::wasm::WASM_SYMBOL_NO_STRIP},
    {"TLS", llvm::wasm::WASM_SYMBOL_TLS},
    {"ABSOLUTE", llvm::wasm::WASM_SYMBOL_ABSOLUTE},
};

StringRef nameSubsectionLabel(uint8_t id) {
  switch (CoreNameKind(id)) {
  case CoreNameKind::Module:
    return "ModuleName";
  case CoreNameKind::Function:
    return "FunctionNames";
  case CoreNameKind::Local:
    return "LocalNames";
  case CoreNameKind::Label:
    return "LabelNames";
  case CoreNameKind::Type:
    return "TypeNames";
  case CoreNameKind::Table:
    return "TableNames";
  case CoreNameKind::Memory:
    return "MemoryNames";
  case CoreNameKind::Global:
    return "GlobalNames";
  case CoreNameKind::ElemSegment:
    return "ElemSegmentNames";
  case CoreNameKind::DataSegment:
    return "DataSegmentNames";
  case CoreNameKind::Field:
    return "FieldNames";
  case CoreNameKind::Tag:
    return "TagNames";
  }
  return "";
}

/// Label of the outer index of an indirect name map.
StringRef indirectOuterLabel(uint8_t id) {
  switch (CoreNameKind(id)) {
  case CoreNameKind::Field:
    return "Type";
  default:
    return "Function";
  }
}

class ModuleDumper {
public:
  ModuleDumper(ScopedPrinter &w, const CoreModule &mod, const DumpOptions &opts)
      : w(w), mod(mod), opts(opts) {}

  void dump();

private:
  void printOffset(StringRef label, uint64_t offset) {
    if (opts.offsets)
      w.printHex(label, offset);
  }
  void printName(CoreNameKind kind, uint32_t index) {
    if (!mod.names)
      return;
    if (std::optional<StringRef> name = mod.names->lookup(kind, index))
      w.printString("Name", *name);
  }
  /// An item's index in its index space, and its name if it has one.
  void printIndex(CoreNameKind kind, uint32_t index) {
    w.printNumber("Index", index);
    printName(kind, index);
  }
  void printSignature(uint32_t typeIndex) {
    if (const FuncType *type = mod.getFuncType(typeIndex))
      w.printString("Signature", toString(*type));
  }
  void printLimits(const Limits &limits);

  void dumpSections();
  void dumpTypes();
  void dumpImports();
  void dumpFunctions();
  void dumpTables();
  void dumpMemories();
  void dumpTags();
  void dumpGlobals();
  void dumpExports();
  void dumpElemSegments();
  void dumpDataSegments();
  void dumpDylink(const DylinkInfo &info);
  void dumpNames(const NameSection &names);
  void dumpProducers(const ProducersSection &producers);
  void dumpTargetFeatures(ArrayRef<TargetFeature> features);

  ScopedPrinter &w;
  const CoreModule &mod;
  const DumpOptions &opts;
};

} // namespace

void ModuleDumper::dump() {
  w.printString("Format", "core-module");
  w.printNumber("Version", 1u);
  dumpSections();
  dumpTypes();
  dumpImports();
  dumpFunctions();
  dumpTables();
  dumpMemories();
  dumpTags();
  dumpGlobals();
  dumpExports();
  if (mod.startFunction)
    w.printNumber("StartFunction", *mod.startFunction);
  dumpElemSegments();
  if (mod.dataCount)
    w.printNumber("DataCount", *mod.dataCount);
  dumpDataSegments();
  if (mod.dylink)
    dumpDylink(*mod.dylink);
  if (mod.names)
    dumpNames(*mod.names);
  if (mod.producers)
    dumpProducers(*mod.producers);
  if (mod.targetFeatures)
    dumpTargetFeatures(*mod.targetFeatures);
}

void ModuleDumper::dumpSections() {
  ListScope list(w, "Sections");
  for (auto [i, sec] : enumerate(mod.sections)) {
    DictScope d(w, "Section");
    w.printNumber("Index", uint64_t(i));
    w.printEnum("Type", unsigned(sec.id), ArrayRef(sectionTypes));
    if (sec.isCustom())
      w.printString("Name", sec.name);
    printOffset("Offset", sec.offset);
    w.printNumber("Size", uint64_t(sec.payload.size()));
    if (opts.sectionData)
      w.printBinaryBlock("SectionData", sec.content);
  }
}

void ModuleDumper::dumpTypes() {
  if (mod.types.empty())
    return;
  ListScope list(w, "Types");
  for (auto [g, group] : enumerate(mod.recGroups)) {
    for (uint32_t i = group.firstType; i < group.firstType + group.numTypes;
         ++i) {
      DictScope d(w, "Type");
      w.printNumber("Index", i);
      // Types of an explicit `rec` name their group, so the grouping (which
      // decides type identity) is visible.
      if (group.explicitRec)
        w.printNumber("RecGroup", uint64_t(g));
      printName(CoreNameKind::Type, i);
      w.printString("Type", toString(mod.types[i]));
    }
  }
}

void ModuleDumper::dumpImports() {
  if (mod.imports.empty())
    return;
  ListScope list(w, "Imports");
  for (const ImportEntry &imp : mod.imports) {
    DictScope d(w, "Import");
    w.printString("Module", imp.module);
    w.printString("Field", imp.field);
    w.printString("Kind", toString(imp.type.kind));
    w.printNumber("Index", imp.index);
    printOffset("Offset", imp.offset);
    w.printString("Type", toString(imp.type));
    switch (imp.type.kind) {
    case ExternType::Kind::Func:
      printSignature(imp.type.funcType);
      printName(CoreNameKind::Function, imp.index);
      break;
    case ExternType::Kind::Table:
      printName(CoreNameKind::Table, imp.index);
      break;
    case ExternType::Kind::Memory:
      printName(CoreNameKind::Memory, imp.index);
      break;
    case ExternType::Kind::Global:
      printName(CoreNameKind::Global, imp.index);
      break;
    case ExternType::Kind::Tag:
      printSignature(imp.type.tag.typeIndex);
      printName(CoreNameKind::Tag, imp.index);
      break;
    }
  }
}

void ModuleDumper::dumpFunctions() {
  if (mod.funcTypes.empty())
    return;
  ListScope list(w, "Functions");
  for (auto [i, typeIndex] : enumerate(mod.funcTypes)) {
    DictScope d(w, "Function");
    uint32_t index = mod.numImportedFuncs + i;
    printIndex(CoreNameKind::Function, index);
    w.printNumber("TypeIndex", typeIndex);
    printSignature(typeIndex);
    // readCoreModule guarantees one body per function.
    if (i >= mod.bodies.size())
      continue;
    const FunctionBody &body = mod.bodies[i];
    printOffset("Offset", body.bodyOffset);
    w.printNumber("Size", uint64_t(body.body.size()));
    if (!body.locals.empty()) {
      SmallVector<std::string, 4> locals;
      for (const LocalDecl &decl : body.locals)
        locals.push_back(utostr(decl.count) + " x " + toString(decl.type));
      w.printList("Locals", ArrayRef<std::string>(locals));
    }
    if (opts.sectionData)
      w.printBinaryBlock("Code", body.code);
  }
}

void ModuleDumper::printLimits(const Limits &limits) {
  w.printNumber("Min", limits.min);
  if (limits.max)
    w.printNumber("Max", *limits.max);
  if (limits.is64)
    w.printString("AddressType", "i64");
  if (limits.shared)
    w.printBoolean("Shared", true);
  if (limits.pageSizeLog2)
    w.printNumber("PageSizeLog2", *limits.pageSizeLog2);
}

void ModuleDumper::dumpTables() {
  if (mod.tables.empty())
    return;
  ListScope list(w, "Tables");
  for (auto [i, table] : enumerate(mod.tables)) {
    DictScope d(w, "Table");
    uint32_t index = mod.numImportedTables + i;
    printIndex(CoreNameKind::Table, index);
    w.printString("ElemType", toString(table.type.elemType));
    printLimits(table.type.limits);
    if (table.init)
      w.printString("Init", toString(*table.init));
  }
}

void ModuleDumper::dumpMemories() {
  if (mod.memories.empty())
    return;
  ListScope list(w, "Memories");
  for (auto [i, memory] : enumerate(mod.memories)) {
    DictScope d(w, "Memory");
    uint32_t index = mod.numImportedMemories + i;
    printIndex(CoreNameKind::Memory, index);
    printLimits(memory.limits);
  }
}

void ModuleDumper::dumpTags() {
  if (mod.tags.empty())
    return;
  ListScope list(w, "Tags");
  for (auto [i, tag] : enumerate(mod.tags)) {
    DictScope d(w, "Tag");
    uint32_t index = mod.numImportedTags + i;
    printIndex(CoreNameKind::Tag, index);
    w.printNumber("TypeIndex", tag.typeIndex);
    printSignature(tag.typeIndex);
  }
}

void ModuleDumper::dumpGlobals() {
  if (mod.globals.empty())
    return;
  ListScope list(w, "Globals");
  for (auto [i, global] : enumerate(mod.globals)) {
    DictScope d(w, "Global");
    uint32_t index = mod.numImportedGlobals + i;
    printIndex(CoreNameKind::Global, index);
    w.printString("Type", toString(global.type.type));
    w.printBoolean("Mutable", global.type.mutable_);
    if (global.type.shared)
      w.printBoolean("Shared", true);
    w.printString("Init", toString(global.init));
  }
}

void ModuleDumper::dumpExports() {
  if (mod.exports.empty())
    return;
  ListScope list(w, "Exports");
  for (const Export &exp : mod.exports) {
    DictScope d(w, "Export");
    w.printString("Name", exp.name);
    w.printString("Kind", toString(exp.kind));
    w.printNumber("Index", exp.index);
  }
}

void ModuleDumper::dumpElemSegments() {
  if (mod.elemSegments.empty())
    return;
  ListScope list(w, "ElemSegments");
  for (auto [i, seg] : enumerate(mod.elemSegments)) {
    DictScope d(w, "ElemSegment");
    w.printNumber("Index", uint64_t(i));
    printName(CoreNameKind::ElemSegment, i);
    printOffset("Offset", seg.offset);
    w.printNumber("Flags", seg.flags);
    w.printString("Mode", toString(seg.mode));
    if (seg.mode == ElemSegment::Mode::Active) {
      w.printNumber("Table", seg.tableIndex);
      if (seg.offsetExpr)
        w.printString("OffsetExpr", toString(*seg.offsetExpr));
    }
    w.printString("ElemType", toString(seg.elemType));
    if (seg.usesExprs) {
      ListScope items(w, "Exprs");
      for (const ConstExpr &expr : seg.exprs)
        w.printString(toString(expr));
    } else {
      w.printList("Functions", ArrayRef<uint32_t>(seg.functions));
    }
  }
}

void ModuleDumper::dumpDataSegments() {
  if (mod.dataSegments.empty())
    return;
  ListScope list(w, "DataSegments");
  for (auto [i, seg] : enumerate(mod.dataSegments)) {
    DictScope d(w, "DataSegment");
    w.printNumber("Index", uint64_t(i));
    printName(CoreNameKind::DataSegment, i);
    printOffset("Offset", seg.offset);
    w.printString("Mode", toString(seg.mode));
    if (seg.mode == DataSegment::Mode::Active) {
      w.printNumber("Memory", seg.memoryIndex);
      if (seg.offsetExpr)
        w.printString("OffsetExpr", toString(*seg.offsetExpr));
    }
    w.printNumber("Size", uint64_t(seg.content.size()));
    if (opts.sectionData)
      w.printBinaryBlock("Data", seg.content);
  }
}

void ModuleDumper::dumpDylink(const DylinkInfo &info) {
  DictScope d(w, "Dylink");
  if (info.memInfo) {
    DictScope mem(w, "MemInfo");
    w.printNumber("MemorySize", info.memInfo->memorySize);
    w.printNumber("MemoryAlignment", info.memInfo->memoryAlignment);
    w.printNumber("TableSize", info.memInfo->tableSize);
    w.printNumber("TableAlignment", info.memInfo->tableAlignment);
  }
  if (!info.needed.empty()) {
    ListScope list(w, "Needed");
    for (StringRef name : info.needed)
      w.printString(name);
  }
  if (!info.exportInfo.empty()) {
    ListScope list(w, "ExportInfo");
    for (const DylinkInfo::ExportInfo &e : info.exportInfo) {
      DictScope ed(w, "Export");
      w.printString("Name", e.name);
      w.printFlags("Flags", e.flags, ArrayRef(symbolFlags));
    }
  }
  if (!info.importInfo.empty()) {
    ListScope list(w, "ImportInfo");
    for (const DylinkInfo::ImportInfo &i : info.importInfo) {
      DictScope id(w, "Import");
      w.printString("Module", i.module);
      w.printString("Field", i.field);
      w.printFlags("Flags", i.flags, ArrayRef(symbolFlags));
    }
  }
  if (!info.runtimePath.empty()) {
    ListScope list(w, "RuntimePath");
    for (StringRef path : info.runtimePath)
      w.printString(path);
  }
  if (!info.unknown.empty()) {
    ListScope list(w, "UnknownSubsections");
    for (const RawSubsection &sub : info.unknown) {
      DictScope sd(w, "Subsection");
      w.printNumber("Id", sub.id);
      printOffset("Offset", sub.offset);
      w.printNumber("Size", uint64_t(sub.content.size()));
      if (opts.sectionData)
        w.printBinaryBlock("Data", sub.content);
    }
  }
}

void ModuleDumper::dumpNames(const NameSection &names) {
  ListScope list(w, "Names");
  for (const NameSubsection &sub : names.subsections) {
    if (!sub.known) {
      DictScope sd(w, "UnknownSubsection");
      w.printNumber("Id", sub.id);
      printOffset("Offset", sub.offset);
      w.printNumber("Size", uint64_t(sub.content.size()));
      if (opts.sectionData)
        w.printBinaryBlock("Data", sub.content);
      continue;
    }
    DictScope sd(w, nameSubsectionLabel(sub.id));
    if (sub.id == uint8_t(CoreNameKind::Module)) {
      w.printString("Name", sub.moduleName);
      continue;
    }
    if (sub.indirectNames.empty() && sub.names.empty())
      continue;
    ListScope entries(w, "Entries");
    for (const Naming &n : sub.names) {
      DictScope nd(w, "Name");
      w.printNumber("Index", n.index);
      w.printString("Name", n.name);
    }
    for (const IndirectNaming &outer : sub.indirectNames) {
      DictScope od(w, indirectOuterLabel(sub.id));
      w.printNumber("Index", outer.index);
      ListScope inner(w, "Names");
      for (const Naming &n : outer.names) {
        DictScope nd(w, "Name");
        w.printNumber("Index", n.index);
        w.printString("Name", n.name);
      }
    }
  }
}

void ModuleDumper::dumpProducers(const ProducersSection &producers) {
  ListScope list(w, "Producers");
  for (const ProducersSection::Field &field : producers.fields) {
    DictScope fd(w, "Field");
    w.printString("Name", field.name);
    ListScope values(w, "Values");
    for (const ProducersSection::Value &value : field.values) {
      DictScope vd(w, "Value");
      w.printString("Name", value.name);
      w.printString("Version", value.version);
    }
  }
}

void ModuleDumper::dumpTargetFeatures(ArrayRef<TargetFeature> features) {
  ListScope list(w, "TargetFeatures");
  for (const TargetFeature &f : features)
    w.printString((Twine(f.prefix) + f.name).str());
}

Error wcl::dump::dumpCoreModule(ScopedPrinter &w, ArrayRef<uint8_t> bytes,
                                uint64_t base, const DumpOptions &opts) {
  // Read everything before printing anything, so a malformed module leaves
  // the printer untouched (and JSON output balanced).
  Expected<CoreModule> mod = readCoreModule(bytes, base);
  if (!mod)
    return mod.takeError();
  ModuleDumper(w, *mod, opts).dump();
  return Error::success();
}
