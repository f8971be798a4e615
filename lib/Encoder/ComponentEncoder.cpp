//===- ComponentEncoder.cpp - Modules to a component ----------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// ComponentEncoder::encode as its list of phases (Encoding.h), and the
/// phases from the imports to the instantiations. Item order, instance
/// numbering and debug names follow wit-component, whose printed output is
/// the reference: aliases are created lazily at first use and cached per
/// (instance, export), and the first use also names them.
///
//===----------------------------------------------------------------------===//

#include "wcl/Encoder/ComponentEncoder.h"
#include "Encoding.h"
#include "Metadata.h"
#include "Shims.h"
#include "TypeEncoders.h"
#include "wcl/Support/Error.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::encoder;
using wasm::ExternType;

Expected<std::vector<uint8_t>> ComponentEncoder::encode(FixupHook fixupHook) {
  return Encoding(*this, options, fixupHook).run();
}

Encoding::Encoding(const ComponentEncoder &inputs,
                   const EncoderOptions &options,
                   ComponentEncoder::FixupHook fixupHook)
    : inputs(inputs), options(options), fixupHook(fixupHook), state(options),
      builder(state.builder) {
  state.resolve = &resolve;
}

Expected<std::vector<uint8_t>> Encoding::run() {
  using Phase = Error (Encoding::*)();
  static constexpr std::pair<StringLiteral, Phase> Phases[] = {
      {"readModules", &Encoding::readModules},
      {"decodeWorlds", &Encoding::decodeWorlds},
      {"findLiveTypes", &Encoding::findLiveTypes},
      {"encodeImports", &Encoding::encodeImports},
      {"classifyImports", &Encoding::classifyImports},
      {"encodeCoreModules", &Encoding::encodeCoreModules},
      {"defineExportedTypes", &Encoding::defineExportedTypes},
      {"instantiate", &Encoding::instantiate},
      {"encodeFixup", &Encoding::encodeFixup},
      {"encodeExports", &Encoding::encodeExports},
  };
  for (const auto &[name, phase] : Phases) {
    log("-- " + name);
    if (Error e = (this->*phase)())
      return std::move(e);
    if (state.missing)
      return createError("cannot encode the component (" + name +
                         "): " + *state.missing);
  }

  addProcessedByWcl(builder.producers());
  SmallVector<char, 0> out;
  raw_svector_ostream os(out);
  builder.finish(os);
  return std::vector<uint8_t>(out.begin(), out.end());
}

/// The merged world's interfaces, each imported if some module uses it, with
/// only the functions modules use (and the types those need); then its
/// types and functions, likewise.
Error Encoding::encodeImports() {
  const wit::World &world = resolve.get(merged);
  for (const auto &[key, item] : world.imports)
    if (item.kind == wit::WorldItem::Kind::Interface)
      importInterface(key, item);
  for (const auto &[key, item] : world.imports) {
    if (item.kind != wit::WorldItem::Kind::Type)
      continue;
    RootTypeEncoder(state, std::nullopt, /*importTypes=*/true)
        .encodeValType(wit::Type::of(item.type));
  }
  for (const auto &[key, item] : world.imports) {
    if (item.kind != wit::WorldItem::Kind::Function)
      continue;
    const wit::Function &f = item.function;
    if (!importedFields.lookup("$root").contains(f.name))
      continue;
    uint32_t t = RootTypeEncoder(state, std::nullopt, /*importTypes=*/true)
                     .encodeFuncType(f);
    state.importedSignatures[{"$root", f.name}] = {std::nullopt, &f};
    state.importedFuncs[f.name] = builder.addImport(
        StringRef(f.name), component::ComponentTypeRef::func(t));
  }
  return Error::success();
}

/// The instance import of one interface, with the functions modules use and
/// the live types it owns; nothing if that is nothing.
void Encoding::importInterface(const wit::WorldKey &key,
                               const wit::WorldItem &item) {
  std::string name = resolve.nameOf(key);
  std::vector<std::string> modNames =
      key.interface ? moduleNamesOf(item.interface)
                    : std::vector<std::string>{name};
  const wit::Interface &iface = resolve.get(item.interface);
  std::vector<const wit::Function *> used;
  for (const auto &[fname, f] : iface.functions) {
    bool isUsed = any_of(modNames, [&](const std::string &module) {
      return !adapterNames.contains(module) &&
             importedFields.lookup(module).contains(fname);
    });
    if (isUsed)
      used.push_back(&f);
  }
  std::vector<wit::TypeId> owned;
  for (wit::TypeId t : live.types()) {
    const wit::TypeOwner &owner = resolve.get(t).owner;
    if (owner.kind == wit::TypeOwner::Kind::Interface &&
        owner.interfaceId() == item.interface)
      owned.push_back(t);
  }
  if (used.empty() && owned.empty())
    return;
  InstanceTypeEncoder enc(state, item.interface);
  for (wit::TypeId t : owned)
    enc.encodeValType(wit::Type::of(t));
  for (const wit::Function *f : used) {
    uint32_t t = enc.encodeFuncType(*f);
    enc.encoder().addExport(StringRef(f->name),
                            component::ComponentTypeRef::func(t));
    for (const std::string &m : modNames)
      state.importedSignatures[{m, f->name}] = {item.interface, f};
  }
  if (enc.encoder().empty())
    return;
  // --import-name OLD=NEW renames the instance import (and its type).
  for (const auto &[from, to] : options.importNames)
    if (from == name)
      name = to;
  uint32_t t =
      builder.defineInstanceType(enc.encoder(), state.name("ty-" + name));
  component::ComponentExternName externName{StringRef(name)};
  if (const std::optional<std::string> &impl =
          resolve.get(item.interface).implements)
    externName.implements = StringRef(*impl);
  state.interfaceInstances[item.interface.index] =
      builder.addImport(externName, component::ComponentTypeRef::instance(t));
}

/// Exported resources are defined before anything is instantiated (their
/// intrinsics are imports of the modules that export them), each with a
/// destructor shim if its module exports a destructor.
void Encoding::findExportedResources() {
  for (unsigned li = 0; li < modules.size(); ++li) {
    if (!modules[li].world)
      continue;
    for (const auto &[key, item] : resolve.get(*modules[li].world).exports) {
      if (item.kind != wit::WorldItem::Kind::Interface)
        continue;
      std::string name = resolve.nameOf(key);
      for (const auto &[tname, t] : resolve.get(item.interface).types) {
        if (resolve.get(t).kind != wit::TypeDefKind::Resource)
          continue;
        resourceByDtor[{li, name + "#[dtor]" + tname}] =
            pendingResources.size();
        pendingResources.push_back({t, std::nullopt});
      }
    }
  }
}

/// Destructor shims follow a module's import shims, in the order the module
/// exports them (as wit-component numbers them).
void Encoding::addDtorShims(unsigned li) {
  for (const auto &[legacy, e] : modules[li].names.orderedExports()) {
    auto it = resourceByDtor.find({li, legacy});
    if (it == resourceByDtor.end() || e->kind != ExternType::Kind::Func)
      continue;
    wasm::FuncType sig;
    sig.params.push_back(wasm::i32Type());
    StringRef tname = StringRef(legacy).rsplit("#[dtor]").second;
    pendingResources[it->second].dtorShim =
        state.addShim(Shim{Shim::Kind::ResourceDtor, ("dtor-" + tname).str(),
                           sig, modules[li].name, e->name.str()});
  }
}

Error Encoding::classifyImports() {
  findExportedResources();
  const ModuleInfo &main = modules[MainIndex];
  // A main module that imports its memory gets it from the shim module.
  for (const wasm::ImportEntry &imp : main.mod->imports)
    if (imp.module == "env" && imp.field == "memory" &&
        imp.type.kind == ExternType::Kind::Memory)
      state.importedMemory = imp.type.memory;
  state.hasTaskHook = main.names.findFunc("__wasm_task_hook") != nullptr;
  // A payload intrinsic's type: encoded as wit-component does, on the import
  // side (without the interface) for imported functions and world-level
  // exports, else on the export side with the interface.
  state.payloadTypeIndex = [this](const BuiltinSpec &spec) {
    bool importSide = spec.imported || !spec.interface;
    return RootTypeEncoder(state, importSide ? std::nullopt : spec.interface,
                           importSide)
        .encodeValType(wit::Type::of(spec.payload))
        .index;
  };
  // Threads, or context slot 1 used directly, put the TLS base in slot 1.
  for (const ModuleInfo &m : modules)
    state.tlsInContextSlot1 |=
        any_of(m.mod->imports, [&](const wasm::ImportEntry &imp) {
          StringRef field = m.names.importField(imp);
          return m.names.importModule(imp) == "$root" &&
                 (field == "[thread-new-indirect-v0]" ||
                  field == "[context-get-1]" || field == "[context-set-1]");
        });

  Expected<std::vector<ResolvedImport>> mainImports = resolveMainImports(
      *main.mod, main.names, libraryNames, main.world, state);
  if (!mainImports)
    return mainImports.takeError();
  modules[MainIndex].imports = std::move(*mainImports);
  addDtorShims(MainIndex);
  for (unsigned li = 1; li < modules.size(); ++li) {
    ModuleInfo &m = modules[li];
    Expected<std::vector<ResolvedImport>> imports = resolveLibraryImports(
        m.name, *m.mod, m.names, &main.names, m.args, m.world, state);
    if (!imports)
      return imports.takeError();
    m.imports = std::move(*imports);
    addDtorShims(li);
  }
  return Error::success();
}

/// main (without its WIT metadata sections), every library, then the shim
/// module.
Error Encoding::encodeCoreModules() {
  // Main records wcl and the tools that generated its bindings.
  ModuleInfo &main = modules[MainIndex];
  wasm::ProducersBuilder mainProducers;
  addProcessedByWcl(mainProducers);
  mainProducers.merge(main.producers);
  buffers.push_back(rewriteModuleForComponent(*main.mod, "", &mainProducers));
  main.coreModule = builder.coreModule(buffers.back(), state.name("main"));
  for (ModuleInfo &m : drop_begin(modules)) {
    std::string moduleName =
        m.isAdapter ? "wit-component:adapter:" + m.name : m.name;
    buffers.push_back(rewriteModuleForComponent(
        *m.mod, options.debugNames ? StringRef(moduleName) : StringRef()));
    m.coreModule = builder.coreModule(buffers.back(), state.name(moduleName));
  }
  if (state.shims.empty() && !state.importedMemory && !state.tlsGlobalType)
    return Error::success();
  buffers.push_back(buildShimModule(state.shims, options.returnCallRef,
                                    state.importedMemory, state.tlsGlobalType));
  uint32_t shimModule = builder.coreModule(
      buffers.back(), state.name("wit-component-shim-module"));
  state.shimInstance = builder.coreInstantiate(
      shimModule, {}, state.name("wit-component-shim-instance"));
  if (state.importedMemory)
    state.memoryIndex = state.aliasCore(*state.shimInstance, "$memory",
                                        ExternType::Kind::Memory, "memory");
  return Error::success();
}

/// The exported resources, their interfaces' other types, and the result
/// types task.return built-ins hand back, declared with the exported types
/// (before anything that uses them is instantiated).
Error Encoding::defineExportedTypes() {
  for (const PendingResource &p : pendingResources) {
    std::optional<uint32_t> dtor;
    if (p.dtorShim)
      dtor = state.aliasCore(*state.shimInstance, std::to_string(*p.dtorShim),
                             ExternType::Kind::Func,
                             state.shims[*p.dtorShim].debugName);
    state.exportedResources[p.resource.index] = builder.defineResource(
        wasm::i32Type(), dtor, state.name(*resolve.get(p.resource).name));
    state.rootMaps.idToIndex[p.resource.index] =
        state.exportedResources[p.resource.index];
  }
  for (const ModuleInfo &m : modules) {
    if (!m.world)
      continue;
    for (const auto &[key, item] : resolve.get(*m.world).exports) {
      if (item.kind != wit::WorldItem::Kind::Interface)
        continue;
      for (const auto &[tname, t] : resolve.get(item.interface).types)
        if (resolve.get(t).kind != wit::TypeDefKind::Resource)
          RootTypeEncoder(state, item.interface, false)
              .encodeValType(wit::Type::of(t));
    }
  }
  for (const BuiltinSpec &spec : state.taskReturnRequests)
    if (spec.function->result && !state.taskReturnTypes.count(spec.function))
      state.taskReturnTypes.emplace(
          spec.function, RootTypeEncoder(state, spec.interface, false)
                             .encodeValType(*spec.function->result));
  return Error::success();
}

/// The memory canonical options use: the shim module's when main imports
/// it, else main's export.
component::CanonicalOption Encoding::memoryOption() {
  return component::CanonicalOption::memory(
      state.memoryIndex ? *state.memoryIndex
                        : state.aliasCore(mainInstance, mainMemory,
                                          ExternType::Kind::Memory, "memory"));
}

/// main, then every adapter and library in order.
Error Encoding::instantiate() {
  const ModuleInfo &main = modules[MainIndex];
  std::vector<std::pair<StringRef, uint32_t>> mainArgs =
      instantiateArgs(main.imports);
  mainInstance =
      builder.coreInstantiate(main.coreModule, mainArgs, state.name("main"));
  state.instances["main"] = mainInstance;
  const wasm::Export *mainMemoryExport = main.names.findExport("memory");
  mainMemory = mainMemoryExport ? StringRef(mainMemoryExport->name) : "memory";
  const wasm::Export *mainReallocExport = main.names.findFunc("cabi_realloc");
  mainRealloc =
      mainReallocExport ? StringRef(mainReallocExport->name) : "cabi_realloc";
  haveMemory = mainMemoryExport || state.memoryIndex;
  if (mainMemoryExport && !state.memoryIndex)
    state.mainMemoryIndex = memoryOption().index;
  for (const ModuleInfo &m : drop_begin(modules)) {
    std::vector<std::pair<StringRef, uint32_t>> args =
        instantiateArgs(m.imports);
    state.instances[m.name] =
        builder.coreInstantiate(m.coreModule, args, state.name(m.name));
  }
  return Error::success();
}

/// Materializes the imports of one instantiation: one bag-of-exports core
/// instance per import module, in first-appearance order, each preceded by
/// the aliases and intrinsics it needs. Returns the `with` arguments.
std::vector<std::pair<StringRef, uint32_t>>
Encoding::instantiateArgs(ArrayRef<ResolvedImport> imports) {
  // One pass buckets the imports by module, in first-appearance order.
  StringMap<unsigned> moduleIndex;
  std::vector<std::pair<StringRef, std::vector<const ResolvedImport *>>>
      byModule;
  for (const ResolvedImport &r : imports) {
    auto [it, isNew] = moduleIndex.try_emplace(r.module, byModule.size());
    if (isNew)
      byModule.push_back({r.module, {}});
    byModule[it->second].second.push_back(&r);
  }
  std::vector<std::pair<StringRef, uint32_t>> args;
  for (const auto &[m, moduleImports] : byModule) {
    std::vector<component::CoreExportItem> bag;
    for (const ResolvedImport *ri : moduleImports) {
      const ResolvedImport &r = *ri;
      uint32_t index;
      if (r.item) {
        uint32_t source = r.item->fromLibrary.empty()
                              ? mainInstance
                              : state.instances.lookup(r.item->fromLibrary);
        index = state.aliasCore(source, r.item->exportName, r.item->kind);
      } else {
        index = state.materialize(*r.intrinsic);
      }
      bag.push_back({r.field, r.kind, index});
    }
    args.push_back({m, builder.coreInstanceFromExports(bag, state.name(m))});
  }
  return args;
}
