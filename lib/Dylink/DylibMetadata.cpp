//===- DylibMetadata.cpp - One pass over a dylib
//---------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Builds DylibMetadata with llvm::object::WasmObjectFile, which already
/// decodes imports, exports, types and dylink.0. One gap is filled by hand:
/// WasmObjectFile does not say whether dylink.0 had a MEM_INFO subsection
/// (its fields are simply left alone), and wit-component's defaults differ
/// from zero, so the subsection list is scanned here. The same scan rejects
/// unknown subsections as wasm-tools does.
///
//===----------------------------------------------------------------------===//

#include "wcl/Dylink/DylibMetadata.h"
#include "wcl/Component/ComponentReader.h"
#include "wcl/Dylink/Names.h"
#include "wcl/Support/Error.h"
#include "wcl/WIT/Decode.h"
#include "wcl/Wasm/Binary.h"
#include "wcl/Wasm/BinaryReader.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/BinaryFormat/Wasm.h"
#include "llvm/Object/Wasm.h"
#include <algorithm>
#include <map>
#include <tuple>

using namespace llvm;
using namespace wcl;
using namespace wcl::dylink;
namespace lw = llvm::wasm;

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
  MetadataReader(DylibMetadata &meta, const object::WasmObjectFile &obj,
                 ArrayRef<StringRef> adapterNames)
      : meta(meta), obj(obj), adapterNames(adapterNames) {}

  Error run(bool requireDylink);

private:
  Error readDylinkSection(ArrayRef<uint8_t> payload, uint64_t base);
  Error readImports();
  Error readExports();
  Expected<ValueType> valueType(lw::ValType type, const Twine &what);
  Expected<FunctionType> signature(uint32_t sigIndex, const Twine &what);
  Error unexpectedType(const lw::WasmImport &imp, StringRef expected);

  DylibMetadata &meta;
  const object::WasmObjectFile &obj;
  ArrayRef<StringRef> adapterNames;
  bool hasDylink = false;
  std::map<std::pair<StringRef, StringRef>, uint32_t> importFlags;
  StringMap<uint32_t> exportFlags;
};

} // namespace

Expected<ValueType> MetadataReader::valueType(lw::ValType type,
                                              const Twine &what) {
  switch (type) {
  case lw::ValType::I32:
    return ValueType::I32;
  case lw::ValType::I64:
    return ValueType::I64;
  case lw::ValType::F32:
    return ValueType::F32;
  case lw::ValType::F64:
    return ValueType::F64;
  default:
    return createError(what +
                       " uses a value type other than i32, i64, f32 or f64, "
                       "which shared-everything linking does not support");
  }
}

Expected<FunctionType> MetadataReader::signature(uint32_t sigIndex,
                                                 const Twine &what) {
  ArrayRef<lw::WasmSignature> types = obj.types();
  if (sigIndex >= types.size() ||
      types[sigIndex].Kind == lw::WasmSignature::Placeholder)
    return createError(what + " refers to type " + Twine(sigIndex) +
                       ", which is not a function type");
  FunctionType ft;
  for (lw::ValType v : types[sigIndex].Params) {
    Expected<ValueType> t = valueType(v, what);
    if (!t)
      return t.takeError();
    ft.params.push_back(*t);
  }
  for (lw::ValType v : types[sigIndex].Returns) {
    Expected<ValueType> t = valueType(v, what);
    if (!t)
      return t.takeError();
    ft.results.push_back(*t);
  }
  return ft;
}

Error MetadataReader::readDylinkSection(ArrayRef<uint8_t> payload,
                                        uint64_t base) {
  // Only the subsection framing is read here; WasmObjectFile has decoded the
  // contents. MEM_INFO presence matters because its absence means
  // wit-component's non-zero default alignments.
  wcl::wasm::BinaryReader r(payload, base);
  bool sawMemInfo = false;
  while (!r.atEnd()) {
    uint64_t at = r.offset();
    Expected<uint8_t> type = r.readU8();
    if (!type)
      return type.takeError();
    Expected<uint32_t> size = r.readVarU32();
    if (!size)
      return size.takeError();
    if (Error e = r.skip(*size))
      return e;
    switch (*type) {
    case lw::WASM_DYLINK_MEM_INFO:
      sawMemInfo = true;
      break;
    case lw::WASM_DYLINK_NEEDED:
    case lw::WASM_DYLINK_EXPORT_INFO:
    case lw::WASM_DYLINK_IMPORT_INFO:
    case lw::WASM_DYLINK_RUNTIME_PATH:
      break;
    default:
      return createErrorAt(at, "unrecognized dylink.0 subsection " +
                                   Twine(unsigned(*type)));
    }
  }
  const lw::WasmDylinkInfo &info = obj.dylinkInfo();
  if (sawMemInfo) {
    meta.memInfo.memorySize = info.MemorySize;
    meta.memInfo.memoryAlignment = info.MemoryAlignment;
    meta.memInfo.tableSize = info.TableSize;
    meta.memInfo.tableAlignment = info.TableAlignment;
  }
  meta.neededLibs.assign(info.Needed.begin(), info.Needed.end());
  meta.runtimePath.assign(info.RuntimePath.begin(), info.RuntimePath.end());
  for (const lw::WasmDylinkImportInfo &ii : info.ImportInfo)
    importFlags[{ii.Module, ii.Field}] = ii.Flags;
  for (const lw::WasmDylinkExportInfo &ei : info.ExportInfo)
    exportFlags[ei.Name] = ei.Flags;
  return Error::success();
}

Error MetadataReader::unexpectedType(const lw::WasmImport &imp,
                                     StringRef expected) {
  return createError("unexpected type for import " + imp.Module + ":" +
                     imp.Field + ": expected " + expected);
}

static bool isI32Global(const lw::WasmImport &imp) {
  return imp.Kind == lw::WASM_EXTERNAL_GLOBAL &&
         imp.Global.Type == uint8_t(lw::ValType::I32);
}

Error MetadataReader::readImports() {
  for (const lw::WasmImport &imp : obj.imports()) {
    StringRef module = imp.Module, field = imp.Field;
    Twine what = "import " + module + ":" + field;
    uint32_t flags = 0;
    auto f = importFlags.find({module, field});
    if (f != importFlags.end())
      flags = f->second;

    if (module == names::Env) {
      if (field == names::Memory) {
        if (imp.Kind != lw::WASM_EXTERNAL_MEMORY)
          return unexpectedType(imp, "a memory");
        continue;
      }
      if (field == names::AsyncifyState || field == names::AsyncifyData) {
        if (!isI32Global(imp))
          return unexpectedType(imp, "an i32 global");
        meta.isAsyncified = true;
        continue;
      }
      if (field == names::MemoryBase || field == names::TableBase ||
          field == names::StackPointer || field == names::InitStackPointer) {
        if (!isI32Global(imp))
          return unexpectedType(imp, "an i32 global");
        if (field == names::StackPointer)
          meta.needsStackPointer = true;
        if (field == names::InitStackPointer)
          meta.needsInitStackPointer = true;
        continue;
      }
      if (field == names::IndirectFunctionTable) {
        if (imp.Kind != lw::WASM_EXTERNAL_TABLE ||
            imp.Table.ElemType != lw::ValType::FUNCREF ||
            (imp.Table.Limits.Flags & lw::WASM_LIMITS_FLAG_HAS_MAX))
          return unexpectedType(imp, "a funcref table without a maximum");
        continue;
      }
      if (field == names::GetStackPointer || field == names::SetStackPointer ||
          field == names::GetTlsBase || field == names::SetTlsBase) {
        if (imp.Kind != lw::WASM_EXTERNAL_FUNCTION)
          return unexpectedType(imp, "a function");
        if (field == names::GetTlsBase)
          meta.needsGetTlsBase = true;
        if (field == names::SetTlsBase)
          meta.needsSetTlsBase = true;
        continue;
      }
      if (imp.Kind == lw::WASM_EXTERNAL_FUNCTION) {
        Expected<FunctionType> ft = signature(imp.SigIndex, what);
        if (!ft)
          return ft.takeError();
        meta.envImports.push_back({field, std::move(*ft), flags});
        continue;
      }
      if (imp.Kind == lw::WASM_EXTERNAL_TAG) {
        Expected<FunctionType> ft = signature(imp.SigIndex, what);
        if (!ft)
          return ft.takeError();
        meta.tagImports.push_back({field, std::move(*ft)});
        continue;
      }
      return createError(what +
                         " is neither a function nor a tag, and not one of "
                         "the env globals the linker provides");
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
      if (imp.Kind == lw::WASM_EXTERNAL_FUNCTION) {
        Expected<FunctionType> ft = signature(imp.SigIndex, what);
        if (!ft)
          return ft.takeError();
        meta.adapterImports.push_back(
            {module, field, SymbolType::function(std::move(*ft)), flags});
      } else if (imp.Kind == lw::WASM_EXTERNAL_GLOBAL) {
        Expected<ValueType> vt = valueType(lw::ValType(imp.Global.Type), what);
        if (!vt)
          return vt.takeError();
        meta.adapterImports.push_back(
            {module, field, SymbolType::globalOf(*vt, imp.Global.Mutable),
             flags});
      } else {
        return createError(what + " from adapter " + module +
                           " is neither a function nor a global");
      }
      continue;
    }

    // Everything else is a component-level import (a WIT interface, $root,
    // [export]...) that the encoder classifies; it must be a function or a
    // global to be expressible at all.
    if (imp.Kind != lw::WASM_EXTERNAL_FUNCTION &&
        imp.Kind != lw::WASM_EXTERNAL_GLOBAL)
      return createError(what + " must be a function or a global");
  }

  llvm::sort(meta.envImports, [](const EnvImport &a, const EnvImport &b) {
    return std::tie(a.name, a.type, a.flags) <
           std::tie(b.name, b.type, b.flags);
  });
  llvm::sort(meta.memoryAddressImports);
  meta.memoryAddressImports.erase(unique(meta.memoryAddressImports),
                                  meta.memoryAddressImports.end());
  llvm::sort(meta.tableAddressImports);
  meta.tableAddressImports.erase(unique(meta.tableAddressImports),
                                 meta.tableAddressImports.end());
  llvm::sort(meta.tagImports, [](const TagImport &a, const TagImport &b) {
    return std::tie(a.name, a.type) < std::tie(b.name, b.type);
  });
  llvm::sort(meta.adapterImports,
             [](const AdapterImport &a, const AdapterImport &b) {
               return std::tie(a.module, a.name, a.type, a.flags) <
                      std::tie(b.module, b.name, b.type, b.flags);
             });
  return Error::success();
}

Error MetadataReader::readExports() {
  uint32_t numImportedFuncs = obj.getNumImportedFunctions();
  uint32_t numImportedGlobals = obj.getNumImportedGlobals();
  uint32_t numImportedTags = obj.getNumImportedTags();

  // Types of imported functions and tags, by index, for re-exports.
  SmallVector<uint32_t, 16> importedFuncSigs, importedTagSigs;
  SmallVector<lw::WasmGlobalType, 8> importedGlobalTypes;
  for (const lw::WasmImport &imp : obj.imports()) {
    if (imp.Kind == lw::WASM_EXTERNAL_FUNCTION)
      importedFuncSigs.push_back(imp.SigIndex);
    else if (imp.Kind == lw::WASM_EXTERNAL_TAG)
      importedTagSigs.push_back(imp.SigIndex);
    else if (imp.Kind == lw::WASM_EXTERNAL_GLOBAL)
      importedGlobalTypes.push_back(imp.Global);
  }

  for (const lw::WasmExport &exp : obj.exports()) {
    StringRef exportName = exp.Name;
    Twine what = "export " + exportName;
    if (exportName == names::ApplyDataRelocs) {
      meta.hasDataRelocs = true;
      continue;
    }
    if (exportName == names::CallCtors) {
      meta.hasCtors = true;
      continue;
    }
    if (exportName == names::Initialize) {
      meta.hasInitialize = true;
      continue;
    }
    if (exportName == names::Start) {
      meta.hasWasiStart = true;
      continue;
    }
    if (exportName == names::LibraryTlsInfo) {
      meta.hasLibraryTlsInfo = true;
      continue;
    }

    SymbolType type;
    switch (exp.Kind) {
    case lw::WASM_EXTERNAL_FUNCTION: {
      uint32_t sig;
      if (exp.Index < numImportedFuncs)
        sig = importedFuncSigs[exp.Index];
      else if (exp.Index - numImportedFuncs < obj.functions().size())
        sig = obj.functions()[exp.Index - numImportedFuncs].SigIndex;
      else
        return createError(what + " refers to a function that does not exist");
      Expected<FunctionType> ft = signature(sig, what);
      if (!ft)
        return ft.takeError();
      type = SymbolType::function(std::move(*ft));
      break;
    }
    case lw::WASM_EXTERNAL_TAG: {
      uint32_t sig;
      if (exp.Index < numImportedTags)
        sig = importedTagSigs[exp.Index];
      else if (exp.Index - numImportedTags < obj.tags().size())
        sig = obj.tags()[exp.Index - numImportedTags].SigIndex;
      else
        return createError(what + " refers to a tag that does not exist");
      Expected<FunctionType> ft = signature(sig, what);
      if (!ft)
        return ft.takeError();
      type = SymbolType::tag(std::move(*ft));
      break;
    }
    case lw::WASM_EXTERNAL_GLOBAL: {
      lw::WasmGlobalType gt;
      if (exp.Index < numImportedGlobals)
        gt = importedGlobalTypes[exp.Index];
      else if (exp.Index - numImportedGlobals < obj.globals().size())
        gt = obj.globals()[exp.Index - numImportedGlobals].Type;
      else
        return createError(what + " refers to a global that does not exist");
      Expected<ValueType> vt = valueType(lw::ValType(gt.Type), what);
      if (!vt)
        return vt.takeError();
      type = SymbolType::globalOf(*vt, gt.Mutable);
      break;
    }
    default:
      return createError(what +
                         " is a memory or table; a dynamic library imports "
                         "those from env instead of exporting them");
    }

    if (exportName == names::CabiRealloc &&
        type == SymbolType::function({{ValueType::I32, ValueType::I32,
                                       ValueType::I32, ValueType::I32},
                                      {ValueType::I32}}))
      meta.exportsCabiRealloc = true;
    if (exportName == names::SetLibraries &&
        type == SymbolType::function({{ValueType::I32}, {}}))
      meta.exportsSetLibraries = true;
    if (exportName == names::TaskHook &&
        type == SymbolType::function({{ValueType::I32}, {}}))
      meta.exportsTaskHook = true;

    uint32_t flags = exportFlags.lookup(exportName);
    meta.exports.push_back({{exportName, std::move(type)}, flags});
  }
  llvm::sort(meta.exports, [](const DylibExport &a, const DylibExport &b) {
    return std::tie(a.key, a.flags) < std::tie(b.key, b.flags);
  });
  return Error::success();
}

Error MetadataReader::run(bool requireDylink) {
  for (const object::SectionRef &sec : obj.sections()) {
    const object::WasmSection &ws = obj.getWasmSection(sec);
    if (ws.Type == lw::WASM_SEC_CUSTOM) {
      if (ws.Name == wcl::wasm::DylinkSectionName) {
        hasDylink = true;
        uint64_t base = ws.Content.data() -
                        reinterpret_cast<const uint8_t *>(obj.getData().data());
        if (Error e = readDylinkSection(ws.Content, base))
          return e;
      } else if (ws.Name.starts_with(wcl::wasm::ComponentTypeSectionPrefix)) {
        uint64_t base = ws.Content.data() -
                        reinterpret_cast<const uint8_t *>(obj.getData().data());
        wcl::wit::Resolve resolve;
        Expected<wcl::wit::WorldMetadata> world =
            wcl::wit::decodeWorld(resolve, ws.Content, base);
        if (!world)
          return addContext(world.takeError(),
                            "invalid " + ws.Name + " section");
        meta.hasComponentExports |= !resolve.get(world->world).exports.empty();
      }
      continue;
    }
    if (ws.Type == lw::WASM_SEC_MEMORY && !obj.memories().empty() &&
        requireDylink)
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
                                              MemoryBufferRef buffer,
                                              ArrayRef<StringRef> adapterNames,
                                              bool requireDylink) {
  DylibMetadata meta;
  meta.name = name.str();
  meta.buffer = buffer;

  // Say what the input is when it is not a core module, before
  // WasmObjectFile gives a generic complaint.
  ArrayRef<uint8_t> bytes(
      reinterpret_cast<const uint8_t *>(buffer.getBufferStart()),
      buffer.getBufferSize());
  wcl::wasm::BinaryReader preamble(bytes);
  Expected<wcl::wasm::BinaryKind> kind = wcl::wasm::readPreamble(preamble);
  if (!kind)
    return kind.takeError();
  if (*kind == wcl::wasm::BinaryKind::Component)
    return createError("is a component, not a core module; only core "
                       "dynamic libraries can be linked");

  Error err = Error::success();
  object::WasmObjectFile obj(buffer, err);
  if (err)
    return std::move(err);
  if (obj.isRelocatableObject())
    return createError("is a relocatable object file, not a dynamic library "
                       "(link it with `wasm-ld -shared` first)");

  MetadataReader reader(meta, obj, adapterNames);
  if (Error e = reader.run(requireDylink))
    return std::move(e);
  return std::move(meta);
}
