//===- World.cpp - The modules and their merged world ---------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The first phases of an encoding (Encoding.h): every input is parsed once,
/// each module's world is decoded into one wit::Resolve (an interface several
/// modules name is one interface), checked against the module and merged
/// into the component's world, and the types the component's imports need
/// are found in the order wit-component finds them. After these phases the
/// world does not change, except for the unit future and stream types that
/// payload intrinsics add to the Resolve.
///
//===----------------------------------------------------------------------===//

#include "Adapters.h"
#include "CheckWorld.h"
#include "Encoding.h"
#include "Metadata.h"
#include "wcl/Support/Error.h"
#include "wcl/WIT/Decode.h"
#include "llvm/ADT/STLExtras.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::encoder;
using wasm::ExternType;

Expected<const wasm::CoreModule *> Encoding::parse(ArrayRef<uint8_t> bytes,
                                                   const Twine &what) {
  log("parse " + what);
  Expected<wasm::CoreModule> mod = wasm::readCoreModule(bytes, 0);
  if (!mod)
    return addContext(mod.takeError(), what);
  parsed.push_back(std::move(*mod));
  return &parsed.back();
}

Error Encoding::readModules() {
  const wasm::CoreModule *mainMod = inputs.mainParsed;
  if (!mainMod) {
    Expected<const wasm::CoreModule *> mod = parse(inputs.main, "main module");
    if (!mod)
      return mod.takeError();
    mainMod = *mod;
  }
  if (std::optional<std::vector<uint8_t>> renamed =
          renameDuplicateImports(*mainMod)) {
    buffers.push_back(std::move(*renamed));
    Expected<const wasm::CoreModule *> mod =
        parse(buffers.back(), "main module");
    if (!mod)
      return mod.takeError();
    mainMod = *mod;
  }
  modules.push_back({"main", mainMod});

  // The modules instantiated after main: the adapters main or the world
  // needs, garbage-collected, then the linked libraries.
  for (const ComponentEncoder::Input &adapter : inputs.adapters) {
    std::string what = "adapter " + adapter.name;
    Expected<const wasm::CoreModule *> mod = parse(adapter.bytes, what);
    if (!mod)
      return mod.takeError();
    Expected<std::optional<PreparedAdapter>> prepared =
        prepareAdapter(adapter.name, **mod, *mainMod, options, buffers, parsed,
                       adapterOnlyImports);
    if (!prepared)
      return addContext(prepared.takeError(), what);
    if (*prepared)
      modules.push_back({adapter.name, (*prepared)->module,
                         std::move((*prepared)->args), /*isAdapter=*/true});
  }
  for (const ComponentEncoder::Input &lib : inputs.libraries) {
    const wasm::CoreModule *mod = lib.parsed;
    if (!mod) {
      Expected<const wasm::CoreModule *> read = parse(lib.bytes, lib.name);
      if (!read)
        return read.takeError();
      mod = *read;
    }
    modules.push_back({lib.name, mod, lib.args});
  }
  for (const ModuleInfo &m : drop_begin(modules)) {
    libraryNames.insert(m.name);
    if (m.isAdapter)
      adapterNames.insert(m.name);
  }
  return Error::success();
}

Error Encoding::decodeWorlds() {
  // Main first: its errors are worded as wit-component's `component new`.
  ModuleInfo &main = modules[MainIndex];
  Expected<ModuleWorld> mainWorld =
      decodeModuleWorld(resolve, *main.mod, options.mergeImportsBySemver);
  if (!mainWorld)
    return mainWorld.takeError();
  main.world = mainWorld->world;
  main.producers = std::move(mainWorld->producers);
  Expected<CoreNames> mainNames =
      CoreNames::get(*main.mod, resolve, main.world, options.rejectLegacyNames,
                     [&](const wasm::ImportEntry &imp) {
                       return libraryNames.contains(imp.module);
                     });
  if (!mainNames)
    return addContext(mainNames.takeError(),
                      "failed to decode world from module: module was not "
                      "valid");
  main.names = std::move(*mainNames);
  if (main.world)
    if (Error e =
            validateAgainstWorld(*main.mod, main.names, resolve, *main.world,
                                 false, libraryNames, adapterOnlyImports))
      return e;

  for (ModuleInfo &m : drop_begin(modules)) {
    Expected<ModuleWorld> w =
        decodeModuleWorld(resolve, *m.mod, options.mergeImportsBySemver);
    if (!w)
      return addContext(w.takeError(), m.name);
    m.world = w->world;
    m.producers = std::move(w->producers);
    // A library's imports the linker satisfies are not the world's.
    StringSet<> provided;
    for (const auto &entry : m.args.modules)
      provided.insert(entry.first);
    Expected<CoreNames> names =
        CoreNames::get(*m.mod, resolve, m.world, options.rejectLegacyNames,
                       [&](const wasm::ImportEntry &imp) {
                         return provided.contains(imp.module);
                       });
    if (!names)
      return addContext(names.takeError(), m.name);
    m.names = std::move(*names);
    if (m.world)
      if (Error e = validateAgainstWorld(*m.mod, m.names, resolve, *m.world,
                                         /*isLibrary=*/true))
        return addContext(std::move(e), m.name);
  }

  // The component's world: every module's, merged in instantiation order.
  merged = resolve.addWorld(wit::World());
  for (const ModuleInfo &m : modules)
    if (m.world)
      if (Error e = wit::mergeWorlds(resolve, merged, *m.world,
                                     options.mergeImportsBySemver))
        return addContext(std::move(e), &m == &modules[MainIndex]
                                            ? StringRef("main module")
                                            : StringRef(m.name));
  return Error::success();
}

std::vector<std::string> Encoding::moduleNamesOf(wit::InterfaceId id) const {
  // Its own name and, merged by semver, older versions' names.
  std::vector<std::string> names{*resolve.idOf(id)};
  if (!options.mergeImportsBySemver)
    return names;
  for (uint32_t i = 0; i < resolve.interfaces.size(); ++i)
    if (i != id.index && wit::semverMatch(resolve, {i}, id) == id)
      names.push_back(*resolve.idOf({i}));
  return names;
}

Error Encoding::findLiveTypes() {
  for (const ModuleInfo &m : modules)
    for (const wasm::ImportEntry &imp : m.mod->imports)
      importedFields[m.names.importModule(imp)].insert(
          withoutAsyncLower(m.names.importField(imp)));
  const wit::World &world = resolve.get(merged);
  for (const auto &exported : world.exports) {
    const wit::WorldItem &item = exported.second;
    if (item.kind == wit::WorldItem::Kind::Interface &&
        any_of(world.imports, [&](const auto &imp) {
          return imp.second.kind == wit::WorldItem::Kind::Interface &&
                 imp.second.interface == item.interface;
        }))
      state.importedAndExported.insert(item.interface.index);
  }
  // The interface of the merged world each core import module names.
  for (const auto &[key, item] : world.imports)
    if (item.kind == wit::WorldItem::Kind::Interface)
      for (const std::string &m :
           key.interface ? moduleNamesOf(item.interface)
                         : std::vector<std::string>{resolve.nameOf(key)})
        state.importedByModule.try_emplace(m, item.interface);
  // The live types, as wit-component orders them: the world's type imports,
  // then what each module's imports need, then what exports need. Each
  // imported interface's instance type declares the live types it owns, in
  // this order; anonymous types are declared where functions use them.
  for (const auto &[key, item] : world.imports)
    if (item.kind == wit::WorldItem::Kind::Type)
      live.addTypeId(resolve, item.type);
  for (const ModuleInfo &m : modules)
    addLiveImports(m);
  addLiveExportTypes();
  return Error::success();
}

/// What \p info's imports need, its imports grouped by core module name in
/// order of first appearance.
void Encoding::addLiveImports(const ModuleInfo &info) {
  const wit::World &world = resolve.get(merged);
  std::vector<StringRef> moduleOrder;
  std::map<StringRef, std::vector<StringRef>> fields;
  StringSet<> seen; // "module\0field": a library imports thousands
  for (const wasm::ImportEntry &imp : info.mod->imports) {
    if (imp.type.kind != ExternType::Kind::Func)
      continue;
    StringRef m = info.names.importModule(imp);
    StringRef field = info.names.importField(imp);
    auto [it, isNew] = fields.try_emplace(m);
    if (isNew)
      moduleOrder.push_back(m);
    if (seen.insert((m + Twine('\0') + field).str()).second)
      it->second.push_back(field);
  }
  for (StringRef m : moduleOrder) {
    if (adapterNames.contains(m))
      continue;
    for (StringRef field : fields[m]) {
      StringRef r = field;
      // A future or stream intrinsic needs its payload type.
      if (!field.contains("-unit]"))
        if (std::optional<BuiltinSpec> payload =
                classifyPayload(resolve, merged, m, field, std::nullopt)) {
          live.addTypeId(resolve, payload->payload);
          continue;
        }
      if (m == "$root") {
        for (const auto &[key, item] : world.imports)
          if (item.kind == wit::WorldItem::Kind::Function &&
              item.function.name == withoutAsyncLower(field))
            live.addFunction(resolve, item.function);
      } else if (StringRef exported = m; exported.consume_front("[export]")) {
        if (!(r.consume_front("[resource-new]") ||
              r.consume_front("[resource-rep]") ||
              r.consume_front("[resource-drop]")))
          continue;
        for (const auto &[key, item] : world.exports)
          if (item.kind == wit::WorldItem::Kind::Interface &&
              resolve.nameOf(key) == exported)
            if (std::optional<wit::TypeId> res =
                    findResource(resolve, item.interface, r))
              live.addTypeId(resolve, *res);
      } else if (auto it = state.importedByModule.find(m);
                 it != state.importedByModule.end()) {
        if (r.consume_front("[resource-drop]")) {
          if (std::optional<wit::TypeId> res =
                  findResource(resolve, it->second, r))
            live.addTypeId(resolve, *res);
        } else {
          const wit::Interface &iface = resolve.get(it->second);
          auto f = iface.functions.find(withoutAsyncLower(field).str());
          if (f != iface.functions.end())
            live.addFunction(resolve, f->second);
        }
      }
    }
  }
}

/// Types of imported interfaces that exported interfaces use must be
/// imported too, whether or not a module calls into their interface.
void Encoding::addLiveExportTypes() {
  const wit::World &world = resolve.get(merged);
  for (const ModuleInfo &m : modules) {
    if (!m.world)
      continue;
    for (const auto &[key, item] : resolve.get(*m.world).exports) {
      if (item.kind == wit::WorldItem::Kind::Function) {
        live.addFunction(resolve, item.function);
        continue;
      }
      if (item.kind != wit::WorldItem::Kind::Interface)
        continue;
      wit::LiveTypes fromExport;
      fromExport.addInterface(resolve, item.interface);
      for (wit::TypeId t : fromExport.types()) {
        const wit::TypeOwner &owner = resolve.get(t).owner;
        // Types of another interface the world also exports come from that
        // export, not from an import.
        if (owner.kind == wit::TypeOwner::Kind::Interface &&
            owner.interfaceId() != item.interface &&
            !any_of(world.exports, [&](const auto &e) {
              return e.second.kind == wit::WorldItem::Kind::Interface &&
                     e.second.interface == owner.interfaceId();
            }))
          live.addTypeId(resolve, t);
      }
    }
  }
}
