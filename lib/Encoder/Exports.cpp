//===- Exports.cpp - Lifts and exported interfaces ------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The last phase, module by module: functions are lifted from the core
/// export of the same name (`iface#f` for interface functions) with the
/// post-return the module provides as `cabi_post_{name}`; an exported
/// interface is an instance of a small shim component that re-exports the
/// lifted functions with the interface's own types, as wit-component does.
///
//===----------------------------------------------------------------------===//

#include "CheckWorld.h"
#include "Encoding.h"
#include "TypeEncoders.h"
#include "wcl/Support/Error.h"
#include "wcl/WIT/CanonicalABI.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::encoder;
using wasm::ExternType;

/// A core function of module \p from, or its task-hook wrapper.
uint32_t Encoding::coreExport(unsigned from, StringRef name) {
  auto hookedFunc = hookFuncs.find({from, name.str()});
  if (hookedFunc != hookFuncs.end())
    return hookedFunc->second;
  return state.aliasCore(state.instances.lookup(modules[from].name), name,
                         ExternType::Kind::Func);
}

Expected<uint32_t> Encoding::lift(unsigned li, const wit::Function &f,
                                  StringRef coreName, uint32_t type) {
  const CoreNames &names = modules[li].names;
  StringRef moduleName = modules[li].name;
  Expected<std::optional<LiftTarget>> target = findLiftTarget(names, coreName);
  if (!target)
    return addContext(target.takeError(), moduleName);
  if (!*target)
    return createError(moduleName + ": its world exports " + coreName +
                       " but the module has no function export of that "
                       "name");
  uint32_t coreFunc = coreExport(li, (*target)->core->name);
  std::vector<component::CanonicalOption> opts;
  wit::FunctionAbi abi = wit::functionAbi(resolve, f, (*target)->variant);
  if (abi.options.memory && !haveMemory)
    return createError("failed to lift " + coreName +
                       ": module does not export a memory named `memory`");
  if (abi.options.memory)
    opts.push_back(memoryOption());
  if (abi.options.realloc) {
    // The module's own export realloc, else main's.
    const wasm::Export *own = names.findFunc("cabi_export_realloc");
    if (!own)
      own = names.findFunc("cabi_realloc");
    opts.push_back(component::CanonicalOption::realloc(
        own ? coreExport(li, own->name) : coreExport(MainIndex, mainRealloc)));
  }
  if (abi.options.stringEncoding)
    opts.push_back(component::CanonicalOption::utf8());
  if (abi.options.async)
    opts.push_back(component::CanonicalOption::async());
  if ((*target)->callback)
    opts.push_back(component::CanonicalOption::callback(
        coreExport(li, (*target)->callback->name)));
  if (const wasm::Export *post =
          names.findFunc(("cabi_post_" + coreName).str()))
    opts.push_back(
        component::CanonicalOption::postReturn(coreExport(li, post->name)));
  return builder.canonLift(coreFunc, type, opts, state.name(f.name));
}

Error Encoding::encodeExports() {
  for (unsigned li = 0; li < modules.size(); ++li) {
    if (!modules[li].world)
      continue;
    for (const auto &[key, item] : resolve.get(*modules[li].world).exports) {
      std::string exportName = resolve.nameOf(key);
      if (item.kind == wit::WorldItem::Kind::Interface) {
        if (Error e = exportInterface(li, exportName, item.interface))
          return e;
        continue;
      }
      if (item.kind != wit::WorldItem::Kind::Function)
        continue;
      uint32_t type = RootTypeEncoder(state, std::nullopt, true)
                          .encodeFuncType(item.function);
      Expected<uint32_t> func =
          lift(li, item.function, item.function.name, type);
      if (!func)
        return func.takeError();
      builder.addExport(StringRef(exportName),
                        component::ComponentExportKind::Func, *func);
    }
  }
  return Error::success();
}

/// The shim component of exported interface \p ifaceId: it imports the
/// lifted functions (under \p importNames, which gets the names of the type
/// imports appended) and the types of other interfaces it needs, satisfied
/// from the root by \p args, and re-exports everything under the
/// interface's own names and types.
Expected<uint32_t>
Encoding::encodeShimComponent(wit::InterfaceId ifaceId, StringRef exportName,
                              std::vector<std::string> &importNames,
                              std::vector<component::ComponentItem> &args) {
  const wit::Interface &iface = resolve.get(ifaceId);
  // The shim component. First the types of other interfaces it needs,
  // as imports satisfied from the root.
  ShimComponentEncoder nested(resolve, ifaceId);
  wit::LiveTypes toImport;
  toImport.addInterface(resolve, ifaceId);
  for (wit::TypeId t : toImport.types()) {
    const wit::TypeOwner &owner = resolve.get(t).owner;
    if (owner.kind != wit::TypeOwner::Kind::Interface ||
        owner.interfaceId() == ifaceId)
      continue;
    RootTypeEncoder(state, ifaceId, false).encodeValType(wit::Type::of(t));
    nested.iface = owner.interfaceId();
    nested.encodeValType(wit::Type::of(t));
  }
  nested.iface = ifaceId;
  wit::TypeMaps importedMaps = nested.typeMaps();
  // The interface's resources, imported so the instance re-exports the
  // root's resource instead of defining a new one.
  std::map<uint32_t, uint32_t> resources;
  for (const auto &[tname, t] : iface.types)
    if (resolve.get(t).kind == wit::TypeDefKind::Resource)
      resources[t.index] = nested.encodeValType(wit::Type::of(t)).index;
  std::vector<uint32_t> importedFuncs;
  unsigned fi = 0;
  for (const auto &[fname, f] : iface.functions) {
    uint32_t t = nested.encodeFuncType(f);
    nested.component.addImport(StringRef(importNames[fi++]),
                               component::ComponentTypeRef::func(t));
  }
  // Type imports are satisfied by what the root encoded for the same
  // ids.
  std::map<uint32_t, uint32_t> reverse;
  for (auto &[id, index] : nested.typeMaps().idToIndex)
    reverse[index] = id;
  wit::TypeMaps &outer = state.mapsFor(ifaceId, /*importTypes=*/false);
  for (auto &[name, index] : nested.imports) {
    auto id = reverse.find(index);
    auto root = id == reverse.end() ? outer.idToIndex.end()
                                    : outer.idToIndex.find(id->second);
    if (root == outer.idToIndex.end())
      return createError("internal error: shim component type import " + name +
                         " has no outer type");
    importNames.push_back(name);
    args.push_back(
        {StringRef(), component::ComponentExportKind::Type, root->second});
  }
  // Then everything re-exported under its own name and type.
  nested.typeMaps() = importedMaps;
  nested.exportTypes = true;
  nested.typeMaps().funcTypes.clear();
  for (const auto &[tname, t] : iface.types) {
    if (resolve.get(t).kind == wit::TypeDefKind::Resource) {
      uint32_t idx = nested.component.addExport(
          StringRef(tname), component::ComponentExportKind::Type,
          resources[t.index]);
      nested.typeMaps().idToIndex[t.index] = idx;
    } else {
      nested.encodeValType(wit::Type::of(t));
    }
  }
  fi = 0;
  for (const auto &[fname, f] : iface.functions) {
    uint32_t t = nested.encodeFuncType(f);
    nested.component.addExport(StringRef(f.name),
                               component::ComponentExportKind::Func, fi++,
                               component::ComponentTypeRef::func(t));
  }
  SmallVector<char, 0> shimComponentBytes;
  raw_svector_ostream sos(shimComponentBytes);
  nested.component.finish(sos);
  return builder.nestedComponent(
      ArrayRef<uint8_t>(
          reinterpret_cast<const uint8_t *>(shimComponentBytes.data()),
          shimComponentBytes.size()),
      state.name((exportName + "-shim-component").str()));
}

/// Exported interface \p ifaceId of module \p li: its functions lifted, and
/// an instance of its shim component exported under \p exportName.
Error Encoding::exportInterface(unsigned li, const std::string &exportName,
                                wit::InterfaceId ifaceId) {
  const wit::Interface &iface = resolve.get(ifaceId);
  std::vector<std::string> importNames;
  std::vector<component::ComponentItem> args;
  std::vector<uint32_t> lifted;
  for (const auto &[fname, f] : iface.functions) {
    uint32_t type = RootTypeEncoder(state, ifaceId, false).encodeFuncType(f);
    Expected<uint32_t> func = lift(li, f, exportName + "#" + f.name, type);
    if (!func)
      return func.takeError();
    lifted.push_back(*func);
    importNames.push_back(importFuncName(f));
  }
  Expected<uint32_t> shimComponent =
      encodeShimComponent(ifaceId, exportName, importNames, args);
  if (!shimComponent)
    return shimComponent.takeError();
  std::vector<component::ComponentItem> instArgs;
  for (unsigned i = 0; i < lifted.size(); ++i)
    instArgs.push_back(
        {importNames[i], component::ComponentExportKind::Func, lifted[i]});
  for (unsigned i = 0; i < args.size(); ++i) {
    args[i].name = importNames[lifted.size() + i];
    instArgs.push_back(args[i]);
  }
  uint32_t instance = builder.instantiate(
      *shimComponent, instArgs, state.name(exportName + "-shim-instance"));
  component::ComponentExternName externName{StringRef(exportName)};
  if (const std::optional<std::string> &impl = iface.implements)
    externName.implements = StringRef(*impl);
  state.interfaceInstances[ifaceId.index] = builder.addExport(
      externName, component::ComponentExportKind::Instance, instance);
  // The root's copies of this interface's types were for the lifts;
  // later users take them from the exported instance.
  wit::TypeMaps &maps = state.mapsFor(ifaceId, /*importTypes=*/false);
  for (const auto &[tname, t] : iface.types) {
    maps.idToIndex.erase(t.index);
    if (!resolve.get(t).name)
      maps.defToIndex.erase(wit::defKey(resolve, resolve.get(t)));
  }
  return Error::success();
}
