//===- DylibMetadata.cpp - One pass over a parsed dylib -------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Builds DylibMetadata from a module wcl's own reader has decoded
/// (wasm::readCoreModule, which also decodes dylink.0), so a library is
/// parsed once however often the linker restarts, and malformed bytes give
/// an error line rather than an abort. What is checked here is what makes a
/// module linkable: a dylink.0 section without unknown subsections (as
/// wasm-tools requires), imported rather than defined memory, and symbol
/// types the shared-everything ABI can express.
///
//===----------------------------------------------------------------------===//

#include "wcl/Dylink/DylibMetadata.h"
#include "wcl/Component/ComponentReader.h"
#include "wcl/Dylink/Names.h"
#include "wcl/Support/Error.h"
#include "wcl/Support/Sort.h"
#include "wcl/WIT/Decode.h"
#include "wcl/Wasm/Binary.h"
#include "wcl/Wasm/BinaryReader.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/BinaryFormat/Wasm.h"
#include "llvm/Support/LEB128.h"
#include <algorithm>
#include <map>
#include <tuple>

using namespace llvm;
using namespace wcl;
using namespace wcl::dylink;
namespace lw = llvm::wasm;
using Kind = wcl::wasm::ExternType::Kind;

//===----------------------------------------------------------------------===//
// Types and their orders
//===----------------------------------------------------------------------===//

bool dylink::operator==(const FunctionType &a, const FunctionType &b) {
  return a.params == b.params && a.results == b.results;
}

bool dylink::operator<(const FunctionType &a, const FunctionType &b) {
  if (a.params != b.params)
    return std::lexicographical_compare(a.params.begin(), a.params.end(),
                                        b.params.begin(), b.params.end());
  return std::lexicographical_compare(a.results.begin(), a.results.end(),
                                      b.results.begin(), b.results.end());
}

SymbolType SymbolType::function(FunctionType ty) {
  SymbolType t;
  t.kind = Kind::Function;
  t.func = std::move(ty);
  return t;
}

SymbolType SymbolType::tag(FunctionType ty) {
  SymbolType t;
  t.kind = Kind::Tag;
  t.func = std::move(ty);
  return t;
}

SymbolType SymbolType::globalOf(ValueType ty, bool isMutable) {
  SymbolType t;
  t.kind = Kind::Global;
  t.global.type = ty;
  t.global.isMutable = isMutable;
  return t;
}

static auto globalTie(const GlobalSig &g) {
  return std::make_tuple(g.type, g.isMutable, g.shared);
}

bool dylink::operator==(const SymbolType &a, const SymbolType &b) {
  if (a.kind != b.kind)
    return false;
  if (a.kind == SymbolType::Kind::Global)
    return globalTie(a.global) == globalTie(b.global);
  return a.func == b.func;
}

bool dylink::operator<(const SymbolType &a, const SymbolType &b) {
  if (a.kind != b.kind)
    return a.kind < b.kind;
  if (a.kind == SymbolType::Kind::Global)
    return globalTie(a.global) < globalTie(b.global);
  return a.func < b.func;
}

bool dylink::operator==(const ExportKey &a, const ExportKey &b) {
  return a.name == b.name && a.type == b.type;
}

bool dylink::operator<(const ExportKey &a, const ExportKey &b) {
  if (a.name != b.name)
    return a.name < b.name;
  return a.type < b.type;
}

hash_code dylink::hash_value(const ExportKey &key) {
  const SymbolType &t = key.type;
  hash_code type =
      t.kind == SymbolType::Kind::Global
          ? hash_combine(t.global.type, t.global.isMutable, t.global.shared)
          : hash_combine(
                hash_combine_range(t.func.params.begin(), t.func.params.end()),
                hash_combine_range(t.func.results.begin(),
                                   t.func.results.end()));
  return hash_combine(llvm::hash_value(key.name), t.kind, type);
}

StringRef dylink::toString(ValueType type) {
  switch (type) {
  case ValueType::I32:
    return "I32";
  case ValueType::I64:
    return "I64";
  case ValueType::F32:
    return "F32";
  case ValueType::F64:
    return "F64";
  }
  return "?";
}

static std::string listToString(ArrayRef<ValueType> types) {
  std::string s = "[";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i)
      s += ", ";
    s += toString(types[i]);
  }
  return s + "]";
}

std::string dylink::toString(const FunctionType &type) {
  return listToString(type.params) + " -> " + listToString(type.results);
}

std::string dylink::toString(const SymbolType &type) {
  switch (type.kind) {
  case SymbolType::Kind::Function:
    return "function " + toString(type.func);
  case SymbolType::Kind::Tag:
    return "tag " + toString(type.func);
  case SymbolType::Kind::Global:
    return std::string("global ") + (type.global.isMutable ? "mut " : "") +
           toString(type.global.type).str();
  }
  return "?";
}

const DylibExport *DylibMetadata::findExport(StringRef exportName) const {
  auto it = partition_point(
      exports, [&](const DylibExport &e) { return e.key.name < exportName; });
  if (it != exports.end() && it->key.name == exportName)
    return &*it;
  return nullptr;
}

const EnvImport *DylibMetadata::findEnvImport(StringRef importName) const {
  auto it = partition_point(
      envImports, [&](const EnvImport &e) { return e.name < importName; });
  if (it != envImports.end() && it->name == importName)
    return &*it;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Extraction
//===----------------------------------------------------------------------===//

namespace {

class MetadataReader {
public:
  MetadataReader(DylibMetadata &meta, const wcl::wasm::CoreModule &mod,
                 ArrayRef<StringRef> adapterNames)
      : meta(meta), mod(mod), adapterNames(adapterNames) {}

  Error run(bool requireDylink);

private:
  Error readDylinkSection();
  Error readImports();
  Error readEnvImport(const wcl::wasm::ImportEntry &imp, uint32_t flags);
  Error readAdapterImport(const wcl::wasm::ImportEntry &imp, uint32_t flags);
  Error readExports();
  Expected<SymbolType> exportType(const wcl::wasm::Export &exp);
  void sortImports();

  DylibMetadata &meta;
  const wcl::wasm::CoreModule &mod;
  ArrayRef<StringRef> adapterNames;
  bool hasDylink = false;
  std::map<std::pair<StringRef, StringRef>, uint32_t> importFlags;
  StringMap<uint32_t> exportFlags;
};

} // namespace

static Expected<ValueType> valueType(const wcl::wasm::ValType &type,
                                     const Twine &what) {
  switch (type.code) {
  case 0x7f:
    return ValueType::I32;
  case 0x7e:
    return ValueType::I64;
  case 0x7d:
    return ValueType::F32;
  case 0x7c:
    return ValueType::F64;
  default:
    return createError(what +
                       " uses a value type other than i32, i64, f32 or f64, "
                       "which shared-everything linking does not support");
  }
}

static Expected<FunctionType> signature(const wcl::wasm::CoreModule &mod,
                                        uint32_t typeIndex, const Twine &what) {
  const wcl::wasm::FuncType *type = mod.getFuncType(typeIndex);
  if (!type)
    return createError(what + " refers to type " + Twine(typeIndex) +
                       ", which is not a function type");
  FunctionType ft;
  for (const wcl::wasm::ValType &v : type->params) {
    Expected<ValueType> t = valueType(v, what);
    if (!t)
      return t.takeError();
    ft.params.push_back(*t);
  }
  for (const wcl::wasm::ValType &v : type->results) {
    Expected<ValueType> t = valueType(v, what);
    if (!t)
      return t.takeError();
    ft.results.push_back(*t);
  }
  return ft;
}

Error MetadataReader::readDylinkSection() {
  hasDylink = true;
  // The reader keeps unknown subsections; wasm-tools rejects them. The error
  // names the offset of the subsection's id, before its size field.
  const wcl::wasm::DylinkInfo &info = *mod.dylink;
  if (!info.unknown.empty()) {
    const wcl::wasm::RawSubsection &sub = info.unknown.front();
    return createErrorAt(sub.offset - 1 - getULEB128Size(sub.content.size()),
                         "unrecognized dylink.0 subsection " +
                             Twine(unsigned(sub.id)));
  }
  // Without MEM_INFO, wit-component's non-zero default alignments apply.
  if (info.memInfo) {
    meta.memInfo.memorySize = info.memInfo->memorySize;
    meta.memInfo.memoryAlignment = info.memInfo->memoryAlignment;
    meta.memInfo.tableSize = info.memInfo->tableSize;
    meta.memInfo.tableAlignment = info.memInfo->tableAlignment;
  }
  meta.neededLibs.assign(info.needed.begin(), info.needed.end());
  meta.runtimePath.assign(info.runtimePath.begin(), info.runtimePath.end());
  for (const wcl::wasm::DylinkInfo::ImportInfo &ii : info.importInfo)
    importFlags[{ii.module, ii.field}] = ii.flags;
  for (const wcl::wasm::DylinkInfo::ExportInfo &ei : info.exportInfo)
    exportFlags[ei.name] = ei.flags;
  return Error::success();
}

static Error unexpectedType(const wcl::wasm::ImportEntry &imp,
                            StringRef expected) {
  return createError("unexpected type for import " + imp.module + ":" +
                     imp.field + ": expected " + expected);
}

static bool isI32Global(const wcl::wasm::ImportEntry &imp) {
  return imp.type.kind == Kind::Global && imp.type.global.type.code == 0x7f;
}

/// A table of nullable funcref without a maximum, as `funcref` says it.
static bool isGrowableFuncrefTable(const wcl::wasm::ImportEntry &imp) {
  const wcl::wasm::TableType &table = imp.type.table;
  return imp.type.kind == Kind::Table && table.elemType.nullable &&
         !table.elemType.shared &&
         table.elemType.heapType == wcl::wasm::heaptype::Func &&
         !table.limits.max;
}

Error MetadataReader::readEnvImport(const wcl::wasm::ImportEntry &imp,
                                    uint32_t flags) {
  StringRef field = imp.field;
  std::string what = ("import " + imp.module + ":" + field).str();
  if (field == names::Memory)
    return imp.type.kind == Kind::Memory ? Error::success()
                                         : unexpectedType(imp, "a memory");
  if (field == names::AsyncifyState || field == names::AsyncifyData) {
    if (!isI32Global(imp))
      return unexpectedType(imp, "an i32 global");
    meta.isAsyncified = true;
    return Error::success();
  }
  if (field == names::MemoryBase || field == names::TableBase ||
      field == names::StackPointer || field == names::InitStackPointer) {
    if (!isI32Global(imp))
      return unexpectedType(imp, "an i32 global");
    if (field == names::StackPointer)
      meta.needsStackPointer = true;
    if (field == names::InitStackPointer)
      meta.needsInitStackPointer = true;
    return Error::success();
  }
  if (field == names::IndirectFunctionTable)
    return isGrowableFuncrefTable(imp)
               ? Error::success()
               : unexpectedType(imp, "a funcref table without a maximum");
  if (field == names::GetStackPointer || field == names::SetStackPointer ||
      field == names::GetTlsBase || field == names::SetTlsBase) {
    if (imp.type.kind != Kind::Func)
      return unexpectedType(imp, "a function");
    if (field == names::GetTlsBase)
      meta.needsGetTlsBase = true;
    if (field == names::SetTlsBase)
      meta.needsSetTlsBase = true;
    return Error::success();
  }
  if (imp.type.kind == Kind::Func) {
    Expected<FunctionType> ft = signature(mod, imp.type.funcType, what);
    if (!ft)
      return ft.takeError();
    meta.envImports.push_back({field, std::move(*ft), flags});
    return Error::success();
  }
  if (imp.type.kind == Kind::Tag) {
    Expected<FunctionType> ft = signature(mod, imp.type.tag.typeIndex, what);
    if (!ft)
      return ft.takeError();
    meta.tagImports.push_back({field, std::move(*ft)});
    return Error::success();
  }
  return createError(what + " is neither a function nor a tag, and not one of "
                            "the env globals the linker provides");
}

Error MetadataReader::readAdapterImport(const wcl::wasm::ImportEntry &imp,
                                        uint32_t flags) {
  std::string what = ("import " + imp.module + ":" + imp.field).str();
  if (imp.type.kind == Kind::Func) {
    Expected<FunctionType> ft = signature(mod, imp.type.funcType, what);
    if (!ft)
      return ft.takeError();
    meta.adapterImports.push_back(
        {imp.module, imp.field, SymbolType::function(std::move(*ft)), flags});
    return Error::success();
  }
  if (imp.type.kind == Kind::Global) {
    Expected<ValueType> vt = valueType(imp.type.global.type, what);
    if (!vt)
      return vt.takeError();
    meta.adapterImports.push_back(
        {imp.module, imp.field,
         SymbolType::globalOf(*vt, imp.type.global.mutable_), flags});
    return Error::success();
  }
  return createError(what + " from adapter " + imp.module +
                     " is neither a function nor a global");
}

Error MetadataReader::readImports() {
  for (const wcl::wasm::ImportEntry &imp : mod.imports) {
    StringRef module = imp.module, field = imp.field;
    uint32_t flags = 0;
    auto f = importFlags.find({module, field});
    if (f != importFlags.end())
      flags = f->second;

    if (module == names::Env) {
      if (Error e = readEnvImport(imp, flags))
        return e;
      continue;
    }

    if (module == names::GotMem || module == names::GotFunc) {
      if (!isI32Global(imp))
        return unexpectedType(imp, "an i32 global");
      if (module == names::GotFunc) {
        meta.tableAddressImports.push_back(field);
        continue;
      }
      bool *special =
          StringSwitch<bool *>(field)
              .Case(names::HeapBase, &meta.needsHeapBase)
              .Case(names::HeapEnd, &meta.needsHeapEnd)
              .Case(names::StackHigh, &meta.needsStackHigh)
              .Case(names::StackLow, &meta.needsStackLow)
              .Case(names::LibdlLibraries, &meta.needsLibdlLibraries)
              .Case(names::ProgramTlsInfo, &meta.needsProgramTlsInfo)
              .Default(nullptr);
      if (special)
        *special = true;
      else
        meta.memoryAddressImports.push_back(field);
      continue;
    }

    if (module == names::Root && field == names::ThreadNewIndirect) {
      meta.usesThreadNewIndirect = true;
      continue;
    }

    if (is_contained(adapterNames, module)) {
      if (Error e = readAdapterImport(imp, flags))
        return e;
      continue;
    }

    // Everything else is a component-level import (a WIT interface, $root,
    // [export]...) that the encoder classifies; it must be a function or a
    // global to be expressible at all.
    if (imp.type.kind != Kind::Func && imp.type.kind != Kind::Global)
      return createError("import " + module + ":" + field +
                         " must be a function or a global");
  }
  sortImports();
  return Error::success();
}

void MetadataReader::sortImports() {
  sortIndirect(meta.envImports, [](const EnvImport &a, const EnvImport &b) {
    return std::tie(a.name, a.type, a.flags) <
           std::tie(b.name, b.type, b.flags);
  });
  llvm::sort(meta.memoryAddressImports);
  meta.memoryAddressImports.erase(unique(meta.memoryAddressImports),
                                  meta.memoryAddressImports.end());
  llvm::sort(meta.tableAddressImports);
  meta.tableAddressImports.erase(unique(meta.tableAddressImports),
                                 meta.tableAddressImports.end());
  sortIndirect(meta.tagImports, [](const TagImport &a, const TagImport &b) {
    return std::tie(a.name, a.type) < std::tie(b.name, b.type);
  });
  sortIndirect(meta.adapterImports,
               [](const AdapterImport &a, const AdapterImport &b) {
                 return std::tie(a.module, a.name, a.type, a.flags) <
                        std::tie(b.module, b.name, b.type, b.flags);
               });
}

/// The type index of import \p index of kind \p kind (imports are numbered
/// per kind, in import order).
static const wcl::wasm::ImportEntry *importOf(const wcl::wasm::CoreModule &mod,
                                              Kind kind, uint32_t index) {
  for (const wcl::wasm::ImportEntry &imp : mod.imports)
    if (imp.type.kind == kind && imp.index == index)
      return &imp;
  return nullptr;
}

Expected<SymbolType> MetadataReader::exportType(const wcl::wasm::Export &exp) {
  std::string what = ("export " + exp.name).str();
  switch (exp.kind) {
  case Kind::Func: {
    uint32_t sig;
    if (exp.index < mod.numImportedFuncs)
      sig = importOf(mod, Kind::Func, exp.index)->type.funcType;
    else if (exp.index - mod.numImportedFuncs < mod.funcTypes.size())
      sig = mod.funcTypes[exp.index - mod.numImportedFuncs];
    else
      return createError(what + " refers to a function that does not exist");
    Expected<FunctionType> ft = signature(mod, sig, what);
    if (!ft)
      return ft.takeError();
    return SymbolType::function(std::move(*ft));
  }
  case Kind::Tag: {
    uint32_t sig;
    if (exp.index < mod.numImportedTags)
      sig = importOf(mod, Kind::Tag, exp.index)->type.tag.typeIndex;
    else if (exp.index - mod.numImportedTags < mod.tags.size())
      sig = mod.tags[exp.index - mod.numImportedTags].typeIndex;
    else
      return createError(what + " refers to a tag that does not exist");
    Expected<FunctionType> ft = signature(mod, sig, what);
    if (!ft)
      return ft.takeError();
    return SymbolType::tag(std::move(*ft));
  }
  case Kind::Global: {
    wcl::wasm::GlobalType gt;
    if (exp.index < mod.numImportedGlobals)
      gt = importOf(mod, Kind::Global, exp.index)->type.global;
    else if (exp.index - mod.numImportedGlobals < mod.globals.size())
      gt = mod.globals[exp.index - mod.numImportedGlobals].type;
    else
      return createError(what + " refers to a global that does not exist");
    Expected<ValueType> vt = valueType(gt.type, what);
    if (!vt)
      return vt.takeError();
    return SymbolType::globalOf(*vt, gt.mutable_);
  }
  case Kind::Memory:
  case Kind::Table:
    break;
  }
  return createError(what + " is a memory or table; a dynamic library imports "
                            "those from env instead of exporting them");
}

Error MetadataReader::readExports() {
  for (const wcl::wasm::Export &exp : mod.exports) {
    StringRef exportName = exp.name;
    bool *special = StringSwitch<bool *>(exportName)
                        .Case(names::ApplyDataRelocs, &meta.hasDataRelocs)
                        .Case(names::CallCtors, &meta.hasCtors)
                        .Case(names::Initialize, &meta.hasInitialize)
                        .Case(names::Start, &meta.hasWasiStart)
                        .Case(names::LibraryTlsInfo, &meta.hasLibraryTlsInfo)
                        .Default(nullptr);
    if (special) {
      *special = true;
      continue;
    }

    Expected<SymbolType> type = exportType(exp);
    if (!type)
      return type.takeError();
    if (exportName == names::CabiRealloc &&
        *type == SymbolType::function({{ValueType::I32, ValueType::I32,
                                        ValueType::I32, ValueType::I32},
                                       {ValueType::I32}}))
      meta.exportsCabiRealloc = true;
    if (exportName == names::SetLibraries &&
        *type == SymbolType::function({{ValueType::I32}, {}}))
      meta.exportsSetLibraries = true;
    if (exportName == names::TaskHook &&
        *type == SymbolType::function({{ValueType::I32}, {}}))
      meta.exportsTaskHook = true;

    uint32_t flags = exportFlags.lookup(exportName);
    meta.exports.push_back({{exportName, std::move(*type)}, flags});
  }
  sortIndirect(meta.exports, [](const DylibExport &a, const DylibExport &b) {
    return std::tie(a.key, a.flags) < std::tie(b.key, b.flags);
  });
  return Error::success();
}

Error MetadataReader::run(bool requireDylink) {
  // In file order, so the first problem in the file is the one reported.
  for (const wcl::wasm::Section &sec : mod.sections) {
    if (sec.isCustom()) {
      if (sec.name == wcl::wasm::DylinkSectionName) {
        if (Error e = readDylinkSection())
          return e;
      } else if (sec.name.starts_with(wcl::wasm::ComponentTypeSectionPrefix)) {
        wit::Resolve resolve;
        Expected<wit::WorldMetadata> world =
            wit::decodeWorld(resolve, sec.content, sec.contentOffset);
        if (!world)
          return addContext(world.takeError(),
                            "invalid " + sec.name + " section");
        meta.hasComponentExports |= !resolve.get(world->world).exports.empty();
      }
      continue;
    }
    if (sec.id == lw::WASM_SEC_MEMORY && !mod.memories.empty() && requireDylink)
      return createError(
          "not a dynamic library: it defines its own memory instead of "
          "importing env.memory (was it linked without -shared?)");
  }
  if (requireDylink && !hasDylink)
    return createError("not a dynamic library: it has no dylink.0 section "
                       "(link it with `wasm-ld -shared` or `clang -shared`)");
  if (Error e = readImports())
    return e;
  return readExports();
}

Expected<DylibMetadata> DylibMetadata::create(StringRef name,
                                              const wcl::wasm::CoreModule &mod,
                                              ArrayRef<StringRef> adapterNames,
                                              bool requireDylink) {
  // Relocatable objects carry a `linking` section.
  if (mod.findCustomSection("linking"))
    return createError("is a relocatable object file, not a dynamic library "
                       "(link it with `wasm-ld -shared` first)");
  DylibMetadata meta;
  meta.name = name.str();
  MetadataReader reader(meta, mod, adapterNames);
  if (Error e = reader.run(requireDylink))
    return std::move(e);
  return std::move(meta);
}
