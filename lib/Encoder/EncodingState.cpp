//===- EncodingState.cpp - Aliases, built-ins and intrinsics, once --------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The caches of EncodingState: each alias, shim and built-in is created at
/// its first use and reused after, which is also what numbers and names them
/// the way wit-component does.
///
//===----------------------------------------------------------------------===//

#include "EncodingState.h"
#include "wcl/WIT/CanonicalABI.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::encoder;
using wasm::ExternType;

uint32_t EncodingState::builtin(const BuiltinSpec &spec,
                                std::optional<uint32_t> memory,
                                std::optional<uint32_t> realloc) {
  using Op = BuiltinSpec::Op;
  std::vector<component::CanonicalOption> opts;
  if (memory)
    opts.push_back(component::CanonicalOption::memory(*memory));
  if (realloc)
    opts.push_back(component::CanonicalOption::realloc(*realloc));
  if (spec.encoding)
    opts.push_back(*spec.encoding);
  switch (spec.op) {
  case Op::BackpressureInc:
    return builder.backpressureInc();
  case Op::BackpressureDec:
    return builder.backpressureDec();
  case Op::WaitableSetNew:
    return builder.waitableSetNew();
  case Op::WaitableSetWait:
    return builder.waitableSetWait(spec.flag, *memory);
  case Op::WaitableSetPoll:
    return builder.waitableSetPoll(spec.flag, *memory);
  case Op::WaitableSetDrop:
    return builder.waitableSetDrop();
  case Op::WaitableJoin:
    return builder.waitableJoin();
  case Op::SubtaskDrop:
    return builder.subtaskDrop();
  case Op::SubtaskCancel:
    return builder.subtaskCancel(spec.flag);
  case Op::ErrorContextNew:
    return builder.errorContextNew(opts);
  case Op::ErrorContextDebugMessage:
    return builder.errorContextDebugMessage(opts);
  case Op::ErrorContextDrop:
    return builder.errorContextDrop();
  case Op::TaskCancel:
    return builder.taskCancel();
  case Op::TaskReturn: {
    std::optional<component::ComponentValType> result;
    if (spec.function->result)
      result = lookup(taskReturnTypes, spec.function, [&] {
        return "no result type for task.return of '" + spec.function->name +
               "'";
      });
    return builder.taskReturn(result, opts);
  }
  case Op::ThreadIndex:
    return builder.threadIndex();
  case Op::ThreadYield:
    return builder.threadYield(spec.flag);
  case Op::ThreadSuspend:
    return builder.threadSuspend(spec.flag);
  case Op::ThreadResumeLater:
    return builder.threadResumeLater();
  case Op::ThreadSuspendThenResume:
    return builder.threadSuspendThenResume(spec.flag);
  case Op::ThreadYieldThenResume:
    return builder.threadYieldThenResume(spec.flag);
  case Op::ThreadSuspendThenPromote:
    return builder.threadSuspendThenPromote(spec.flag);
  case Op::ThreadYieldThenPromote:
    return builder.threadYieldThenPromote(spec.flag);
  case Op::Payload: {
    uint32_t type = payloadTypeIndex(spec);
    if (spec.flag)
      opts.push_back(component::CanonicalOption::async());
    using P = BuiltinSpec::PayloadOp;
    switch (spec.payloadOp) {
    case P::New:
      return spec.stream ? builder.streamNew(type) : builder.futureNew(type);
    case P::Read:
      return spec.stream ? builder.streamRead(type, opts)
                         : builder.futureRead(type, opts);
    case P::Write:
      return spec.stream ? builder.streamWrite(type, opts)
                         : builder.futureWrite(type, opts);
    case P::CancelRead:
      return spec.stream ? builder.streamCancelRead(type, spec.flag)
                         : builder.futureCancelRead(type, spec.flag);
    case P::CancelWrite:
      return spec.stream ? builder.streamCancelWrite(type, spec.flag)
                         : builder.futureCancelWrite(type, spec.flag);
    case P::DropReadable:
      return spec.stream ? builder.streamDropReadable(type)
                         : builder.futureDropReadable(type);
    case P::DropWritable:
      return spec.stream ? builder.streamDropWritable(type)
                         : builder.futureDropWritable(type);
    }
    return 0;
  }
  }
  return 0;
}

void EncodingState::forgetCopiedTypes(wit::TypeMaps &maps,
                                      wit::InterfaceId iface) {
  wit::LiveTypes live;
  live.addInterface(*resolve, iface);
  std::set<uint32_t> copied;
  for (wit::TypeId t : live.types()) {
    const wit::TypeDef &def = resolve->get(t);
    if (def.kind == wit::TypeDefKind::Resource)
      continue;
    bool own = def.owner.kind == wit::TypeOwner::Kind::Interface &&
               def.owner.interfaceId() == iface;
    if (own || def.owner.kind == wit::TypeOwner::Kind::None)
      copied.insert(t.index);
  }
  auto mentionsCopy = [&](const wit::TypeDef &def) {
    auto isCopy = [&](const std::optional<wit::Type> &x) {
      return x && x->isId && copied.count(x->id.index);
    };
    for (const wit::Field &f : def.fields)
      if (isCopy(f.type))
        return true;
    for (const wit::Case &c : def.cases)
      if (isCopy(c.type))
        return true;
    for (wit::Type x : def.types)
      if (isCopy(x))
        return true;
    return isCopy(def.element) || isCopy(def.error) ||
           ((def.kind == wit::TypeDefKind::Own ||
             def.kind == wit::TypeDefKind::Borrow) &&
            copied.count(def.resource.index));
  };
  for (uint32_t t : copied) {
    maps.idToIndex.erase(t);
    const wit::TypeDef &def = resolve->get(wit::TypeId{t});
    if (!def.name && mentionsCopy(def))
      maps.defToIndex.erase(wit::defKey(*resolve, def));
  }
}

uint32_t EncodingState::materialize(const Intrinsic &in) {
  switch (in.kind) {
  case Intrinsic::Kind::ContextGet:
    // Not cached: wit-component lowers these once per importing instance.
    return builder.contextGet(in.valType, in.slot);
  case Intrinsic::Kind::ContextSet:
    return builder.contextSet(in.valType, in.slot);
  case Intrinsic::Kind::Shim:
    return aliasCore(*shimInstance, std::to_string(in.shim),
                     ExternType::Kind::Func, shims[in.shim].debugName);
  case Intrinsic::Kind::Lower: {
    // Functions that need no canonical options, or whose options exist
    // before the importer (main imports its memory), are lowered directly.
    std::vector<component::CanonicalOption> opts;
    if (in.memory)
      opts.push_back(component::CanonicalOption::memory(*memoryIndex));
    if (in.reallocShim)
      opts.push_back(component::CanonicalOption::realloc(
          aliasCore(*shimInstance, std::to_string(*in.reallocShim),
                    ExternType::Kind::Func, shims[*in.reallocShim].debugName)));
    if (in.utf8)
      opts.push_back(component::CanonicalOption::utf8());
    if (in.async)
      opts.push_back(component::CanonicalOption::async());
    return builder.canonLower(
        importedFunc(in.instance, in.function, in.coreModule), opts,
        name(in.function));
  }
  case Intrinsic::Kind::ShimMemory:
    return *memoryIndex;
  case Intrinsic::Kind::ResourceNew:
    return builder.resourceNew(exportedResource(in.resource));
  case Intrinsic::Kind::ResourceRep:
    return builder.resourceRep(exportedResource(in.resource));
  case Intrinsic::Kind::ResourceDrop:
    return builder.resourceDrop(exportedResource(in.resource));
  case Intrinsic::Kind::TlsGet:
  case Intrinsic::Kind::TlsSet: {
    StringRef name =
        in.kind == Intrinsic::Kind::TlsGet ? "$get-tls-base" : "$set-tls-base";
    return aliasCore(*shimInstance, name, ExternType::Kind::Func);
  }
  case Intrinsic::Kind::RootResourceDrop:
    return builder.resourceDrop(
        lookup(rootMaps.idToIndex, in.resource.index, [&] {
          return "resource '" + resourceName(in.resource) +
                 "' is not imported at the root";
        }));
  case Intrinsic::Kind::Builtin:
    return builtin(*in.builtin,
                   !in.builtin->memory ? std::nullopt
                   : memoryIndex       ? memoryIndex
                                       : mainMemoryIndex,
                   std::nullopt);
  case Intrinsic::Kind::ImportedResourceDrop:
    // Not cached, as in wit-component: each use aliases the type anew.
    return builder.resourceDrop(
        builder.aliasExport(*in.instance, *resolve->get(in.resource).name,
                            component::ComponentExportKind::Type));
  }
  return 0;
}

uint32_t EncodingState::importedFunc(std::optional<uint32_t> instance,
                                     const std::string &function,
                                     StringRef coreModule) {
  if (!instance)
    return importedFuncs.lookup(function);
  auto key = std::make_tuple(*instance, coreModule.str(), function);
  auto it = funcAliases.find(key);
  if (it == funcAliases.end())
    it = funcAliases
             .emplace(key,
                      builder.aliasExport(*instance, function,
                                          component::ComponentExportKind::Func))
             .first;
  return it->second;
}

wit::TypeMaps &EncodingState::mapsFor(std::optional<wit::InterfaceId> iface,
                                      bool importTypes) {
  if (importTypes || !iface || importedAndExported.empty())
    return rootMaps;
  if (!exportSideMaps) {
    exportSideMaps = rootMaps;
    for (uint32_t i : importedAndExported)
      forgetCopiedTypes(*exportSideMaps, wit::InterfaceId{i});
  }
  return *exportSideMaps;
}

unsigned EncodingState::addShim(Shim shim) {
  for (unsigned i = 0; i < shims.size(); ++i)
    if (shims[i].kind == shim.kind && shims[i].instance == shim.instance &&
        shims[i].exportName == shim.exportName)
      return i;
  shims.push_back(std::move(shim));
  return shims.size() - 1;
}

uint32_t EncodingState::aliasCore(uint32_t instance, StringRef exportName,
                                  ExternType::Kind kind, StringRef debugName) {
  StringMap<uint32_t> &byName = aliases[instance];
  auto it = byName.find(exportName);
  if (it != byName.end())
    return it->second;
  uint32_t index =
      builder.aliasCoreExport(instance, exportName, kind,
                              name(debugName.empty() ? exportName : debugName));
  byName.try_emplace(exportName, index);
  return index;
}

uint32_t EncodingState::aliasInstanceType(wit::InterfaceId owner,
                                          wit::TypeId id) {
  const wit::TypeDef &def = resolve->get(id);
  StringRef typeName = def.name ? StringRef(*def.name) : StringRef("<anon>");
  uint32_t instance = lookup(interfaceInstances, owner.index, [&] {
    return "type '" + typeName.str() + "' of interface '" +
           resolve->idOf(owner).value_or("<inline>") +
           "' is used before that interface is imported";
  });
  return builder.aliasExport(instance, typeName,
                             component::ComponentExportKind::Type);
}

std::string EncodingState::resourceName(wit::TypeId id) const {
  const wit::TypeDef &def = resolve->get(id);
  return def.name ? *def.name : "<anon>";
}

uint32_t EncodingState::exportedResource(wit::TypeId id) {
  return lookup(exportedResources, id.index, [&] {
    return "resource '" + resourceName(id) + "' is not exported";
  });
}
