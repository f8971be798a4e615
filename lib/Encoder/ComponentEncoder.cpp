//===- ComponentEncoder.cpp - Modules to a component ----------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The phases of ComponentEncoder::encode. Item order, instance numbering and
/// debug names follow wit-component, whose printed output is the reference:
/// aliases are created lazily at first use and cached per (instance, export),
/// and the first use also names them.
///
//===----------------------------------------------------------------------===//

#include "wcl/Encoder/ComponentEncoder.h"
#include "wcl/Component/ComponentBuilder.h"
#include "wcl/Support/Error.h"
#include "wcl/Wasm/Binary.h"
#include "wcl/Wasm/ModuleReader.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"
#include <map>

using namespace llvm;
using namespace wcl;
using component::ComponentBuilder;
using wasm::ExternType;
using wasm::IndexSpace;

void ComponentEncoder::addLibrary(std::string name, ArrayRef<uint8_t> bytes,
                                  LibraryArgs args) {
  libraries.push_back({std::move(name), bytes, std::move(args)});
}

Expected<std::vector<uint8_t>>
wcl::rewriteModuleForComponent(ArrayRef<uint8_t> bytes, StringRef moduleName) {
  Expected<wasm::CoreModule> mod = wasm::readCoreModule(bytes, 0);
  if (!mod)
    return mod.takeError();
  SmallVector<char, 0> out;
  raw_svector_ostream os(out);
  os.write(reinterpret_cast<const char *>(bytes.data()), 8);

  // The name section with its module-name subsection replaced; the other
  // subsections are copied byte for byte.
  auto writeNames = [&](const wasm::NameSection *existing) {
    SmallVector<char, 64> payload;
    raw_svector_ostream ps(payload);
    SmallVector<char, 32> sub;
    raw_svector_ostream ss(sub);
    wasm::writeName(ss, moduleName);
    wasm::writeU8(ps, uint8_t(wasm::CoreNameKind::Module));
    wasm::writeUleb128(ps, sub.size());
    ps << sub;
    if (existing)
      for (const wasm::NameSubsection &s : existing->subsections) {
        if (s.id == uint8_t(wasm::CoreNameKind::Module))
          continue;
        wasm::writeU8(ps, s.id);
        wasm::writeUleb128(ps, s.content.size());
        wasm::writeBytes(ps, s.content);
      }
    wasm::writeCustomSection(os, wasm::NameSectionName,
                             StringRef(payload.data(), payload.size()));
  };

  bool wroteNames = false;
  for (const wasm::Section &sec : mod->sections) {
    if (sec.isCustom() &&
        sec.name.starts_with(wasm::ComponentTypeSectionPrefix))
      continue;
    if (sec.isCustom() && sec.name == wasm::NameSectionName &&
        !moduleName.empty() && !wroteNames) {
      if (!mod->names)
        return createErrorAt(sec.offset, "unreadable name section");
      writeNames(&*mod->names);
      wroteNames = true;
      continue;
    }
    wasm::writeBytes(os, sec.bytesIn(bytes, 0));
  }
  if (!moduleName.empty() && !wroteNames)
    writeNames(nullptr);
  return std::vector<uint8_t>(out.begin(), out.end());
}

namespace {

/// Per-encode state: the builder and the caches that make aliases and
/// instances appear once.
class EncodingState {
public:
  explicit EncodingState(const EncoderOptions &options) : options(options) {}

  uint32_t aliasCore(uint32_t instance, StringRef name, ExternType::Kind kind) {
    auto key = std::make_pair(instance, name.str());
    auto it = aliases.find(key);
    if (it != aliases.end())
      return it->second;
    uint32_t index =
        builder.aliasCoreExport(instance, name, kind, this->name(name));
    aliases.emplace(key, index);
    return index;
  }

  /// \p name when debug names are on, else nothing (no name section).
  StringRef name(StringRef name) const {
    return options.debugNames ? name : StringRef();
  }

  const EncoderOptions &options;
  ComponentBuilder builder;
  std::map<std::pair<uint32_t, std::string>, uint32_t> aliases;
  /// Core instance index of "main" and of each library by name.
  StringMap<uint32_t> instances;
};

} // namespace

Expected<std::vector<uint8_t>> ComponentEncoder::encode(FixupHook fixupHook) {
  EncodingState state(options);
  ComponentBuilder &b = state.builder;

  // Core modules: main, then every library.
  uint32_t mainModule = b.coreModule(main, state.name("main"));
  std::vector<uint32_t> libModules;
  std::vector<std::vector<uint8_t>> rewritten;
  for (const Library &lib : libraries) {
    Expected<std::vector<uint8_t>> bytes = rewriteModuleForComponent(
        lib.bytes, options.debugNames ? StringRef(lib.name) : StringRef());
    if (!bytes)
      return addContext(bytes.takeError(), lib.name);
    rewritten.push_back(std::move(*bytes));
    libModules.push_back(b.coreModule(rewritten.back(), state.name(lib.name)));
  }

  // Main. The linker's env module imports nothing from libraries in the
  // cases handled here; imports that need shims come with WIT support.
  Expected<wasm::CoreModule> mainMod = wasm::readCoreModule(main, 0);
  if (!mainMod)
    return addContext(mainMod.takeError(), "main module");
  if (!mainMod->imports.empty())
    return createError("the main module imports " +
                       mainMod->imports.front().module + "." +
                       mainMod->imports.front().field +
                       ", which needs a shim; shims are not implemented yet");
  uint32_t mainInstance = b.coreInstantiate(mainModule, {}, state.name("main"));
  state.instances["main"] = mainInstance;
  if (mainMod->findExport("memory"))
    state.aliasCore(mainInstance, "memory", ExternType::Kind::Memory);

  // Libraries, each with one bag instance per import module.
  for (unsigned li = 0; li < libraries.size(); ++li) {
    const Library &lib = libraries[li];
    Expected<wasm::CoreModule> mod = wasm::readCoreModule(lib.bytes, 0);
    if (!mod)
      return addContext(mod.takeError(), lib.name);

    // Group the imports by module (modules in first-appearance order), then
    // materialize each module's bag: its aliases first, then the instance.
    struct Pending {
      StringRef field;
      const LibraryItem *item;
    };
    std::vector<std::string> moduleOrder;
    std::map<std::string, std::vector<Pending>> pending;
    for (const wasm::ImportEntry &imp : mod->imports) {
      const std::vector<LibraryItem> *items = nullptr;
      for (const auto &[moduleName, list] : lib.args.modules)
        if (moduleName == imp.module)
          items = &list;
      const LibraryItem *item = nullptr;
      if (items)
        for (const LibraryItem &candidate : *items)
          if (candidate.alias == imp.field)
            item = &candidate;
      if (!item)
        return createError(
            lib.name + ": import " + imp.module + "." + imp.field +
            " is not provided by the env module or another library, and "
            "WIT imports are not implemented yet");
      if (item->kind != imp.type.kind)
        return createError(lib.name + ": import " + imp.module + "." +
                           imp.field + " is a " + toString(imp.type.kind) +
                           " but the linker provides a " +
                           toString(item->kind));
      std::string moduleName = imp.module.str();
      if (!pending.count(moduleName))
        moduleOrder.push_back(moduleName);
      pending[moduleName].push_back({imp.field, item});
    }
    std::vector<std::pair<StringRef, uint32_t>> args;
    for (const std::string &m : moduleOrder) {
      std::vector<component::CoreExportItem> bag;
      for (const Pending &p : pending[m]) {
        uint32_t source = p.item->fromLibrary.empty()
                              ? mainInstance
                              : state.instances.lookup(p.item->fromLibrary);
        bag.push_back(
            {p.field, p.item->kind,
             state.aliasCore(source, p.item->exportName, p.item->kind)});
      }
      args.push_back({m, b.coreInstanceFromExports(bag, state.name(m))});
    }
    state.instances[lib.name] =
        b.coreInstantiate(libModules[li], args, state.name(lib.name));
  }

  FixupModule fixup;
  if (Error e = fixupHook(fixup))
    return std::move(e);
  std::vector<uint8_t> fixupBytes;
  if (!fixup.empty()) {
    fixupBytes = fixup.finish();
    uint32_t fixupModule =
        b.coreModule(fixupBytes, state.name("wit-component-fixup"));
    std::vector<std::pair<StringRef, uint32_t>> args;
    for (const std::string &inst : fixup.instanceArgs()) {
      auto it = state.instances.find(inst);
      if (it == state.instances.end())
        return createError("internal error: the fixup module imports from "
                           "unknown instance " +
                           inst);
      args.push_back({inst, it->second});
    }
    b.coreInstantiate(fixupModule, args, state.name("fixup"));
  }

  b.producers().add("processed-by", "wcl", WCL_VERSION);
  SmallVector<char, 0> out;
  raw_svector_ostream os(out);
  b.finish(os);
  return std::vector<uint8_t>(out.begin(), out.end());
}
