//===- ComponentValidator.cpp - The walk over a component -----------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The section-order walk of a component, and the definitions that are not
/// types or canonical functions: embedded modules, core instances,
/// aliases, instances, imports, exports, values and the start function.
///
//===----------------------------------------------------------------------===//

#include "ComponentValidator.h"
#include "ModuleValidator.h"
#include "wcl/Support/Error.h"
#include "wcl/Wasm/ModuleReader.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::validate;
using namespace wcl::component;
using wasm::ComponentSectionId;
using wasm::CoreSort;
using wasm::Sort;

Error validate::mismatchError(uint64_t offset, const Twine &head,
                              const std::string &detail) {
  return createErrorAt(offset, head + "\n" + detail);
}

static StringRef spaceName(IndexSpace s) {
  switch (s) {
  case IndexSpace::CoreFunc:
    return "core function";
  case IndexSpace::CoreTable:
    return "table";
  case IndexSpace::CoreMemory:
    return "memory";
  case IndexSpace::CoreGlobal:
    return "global";
  case IndexSpace::CoreTag:
    return "tag";
  case IndexSpace::CoreType:
    return "core type";
  case IndexSpace::CoreModule:
    return "module";
  case IndexSpace::CoreInstance:
    return "core instance";
  case IndexSpace::Func:
    return "function";
  case IndexSpace::Value:
    return "value";
  case IndexSpace::Type:
    return "type";
  case IndexSpace::Component:
    return "component";
  case IndexSpace::Instance:
    return "instance";
  }
  return "item";
}

static Error outOfBounds(uint64_t offset, IndexSpace s, uint32_t index) {
  StringRef name = spaceName(s);
  // wasmparser names core functions "function" in this message too.
  if (s == IndexSpace::CoreFunc)
    name = "function";
  StringRef noun = name;
  if (s == IndexSpace::CoreInstance)
    noun = "instance";
  return createErrorAt(offset, "unknown " + name + " " + Twine(index) + ": " +
                                   noun + " index out of bounds");
}

Expected<TypeId> ComponentValidator::typeAt(uint32_t index, uint64_t offset) {
  if (index >= cur().types.size())
    return outOfBounds(offset, IndexSpace::Type, index);
  return cur().types[index];
}

Expected<TypeId> ComponentValidator::funcTypeAt(uint32_t index,
                                                uint64_t offset) {
  TypeId id;
  if (Error e = typeAt(index, offset).moveInto(id))
    return std::move(e);
  if (arena.types[id].kind != CType::Kind::Func)
    return createErrorAt(offset, "type index " + Twine(index) +
                                     " is not a function type");
  return id;
}

Expected<ResourceId> ComponentValidator::resourceAt(uint32_t index,
                                                    uint64_t offset) {
  TypeId id;
  if (Error e = typeAt(index, offset).moveInto(id))
    return std::move(e);
  if (arena.types[id].kind != CType::Kind::Resource)
    return createErrorAt(offset, "type index " + Twine(index) +
                                     " is not a resource type");
  return arena.types[id].resource;
}

Expected<CoreExtern> ComponentValidator::coreEntityOf(CoreSort sort,
                                                      uint32_t index,
                                                      uint64_t offset) {
  Scope &s = cur();
  CoreExtern ce;
  auto check = [&](size_t size, IndexSpace space) -> Error {
    if (index >= size)
      return outOfBounds(offset, space, index);
    return Error::success();
  };
  switch (sort) {
  case CoreSort::Func:
    if (Error e = check(s.coreFuncs.size(), IndexSpace::CoreFunc))
      return std::move(e);
    ce.kind = wasm::ExternType::Kind::Func;
    ce.func = s.coreFuncs[index];
    return ce;
  case CoreSort::Table:
    if (Error e = check(s.coreTables.size(), IndexSpace::CoreTable))
      return std::move(e);
    ce.kind = wasm::ExternType::Kind::Table;
    ce.table = s.coreTables[index];
    return ce;
  case CoreSort::Memory:
    if (Error e = check(s.coreMemories.size(), IndexSpace::CoreMemory))
      return std::move(e);
    ce.kind = wasm::ExternType::Kind::Memory;
    ce.memory = s.coreMemories[index];
    return ce;
  case CoreSort::Global:
    if (Error e = check(s.coreGlobals.size(), IndexSpace::CoreGlobal))
      return std::move(e);
    ce.kind = wasm::ExternType::Kind::Global;
    ce.global = s.coreGlobals[index];
    return ce;
  case CoreSort::Tag:
    if (Error e = check(s.coreTags.size(), IndexSpace::CoreTag))
      return std::move(e);
    ce.kind = wasm::ExternType::Kind::Tag;
    ce.func = s.coreTags[index];
    return ce;
  default:
    return createErrorAt(offset, "core " + wasm::toString(sort) +
                                     " is not a valid core export kind");
  }
}

Expected<Entity> ComponentValidator::entityOf(SortKind sort, uint32_t index,
                                              uint64_t offset) {
  Scope &s = cur();
  Entity e;
  auto get = [&](const std::vector<TypeId> &space, IndexSpace sp,
                 Entity::Kind kind) -> Expected<Entity> {
    if (index >= space.size())
      return outOfBounds(offset, sp, index);
    e.kind = kind;
    e.id = space[index];
    return e;
  };
  if (sort.isCore()) {
    if (sort.core == CoreSort::Module)
      return get(s.coreModules, IndexSpace::CoreModule, Entity::Kind::Module);
    return createErrorAt(offset, "core " + wasm::toString(sort.core) +
                                     " cannot be used here");
  }
  switch (sort.sort) {
  case Sort::Func:
    return get(s.funcs, IndexSpace::Func, Entity::Kind::Func);
  case Sort::Type:
    return get(s.types, IndexSpace::Type, Entity::Kind::Type);
  case Sort::Component:
    return get(s.components, IndexSpace::Component, Entity::Kind::Component);
  case Sort::Instance:
    return get(s.instances, IndexSpace::Instance, Entity::Kind::Instance);
  case Sort::Value:
    if (index >= s.values.size())
      return outOfBounds(offset, IndexSpace::Value, index);
    if (s.valueUsed[index])
      return createErrorAt(offset, "value " + Twine(index) +
                                       " cannot be used more than once");
    s.valueUsed[index] = true;
    e.kind = Entity::Kind::Value;
    e.value = s.values[index];
    return e;
  default:
    return createErrorAt(offset, "invalid sort");
  }
}

void ComponentValidator::push(const Entity &e) {
  Scope &s = cur();
  switch (e.kind) {
  case Entity::Kind::Module:
    s.coreModules.push_back(e.id);
    return;
  case Entity::Kind::Func:
    s.funcs.push_back(e.id);
    return;
  case Entity::Kind::Value:
    s.values.push_back(e.value);
    s.valueUsed.push_back(false);
    return;
  case Entity::Kind::Type:
    s.types.push_back(e.id);
    return;
  case Entity::Kind::Component:
    s.components.push_back(e.id);
    return;
  case Entity::Kind::Instance:
    s.instances.push_back(e.id);
    s.instanceIsBag.push_back(false);
    return;
  }
}

Error ComponentValidator::coreModule(const component::CoreModule &m) {
  wasm::CoreModule decoded;
  if (Error e = wasm::readCoreModule(m.bytes, m.offset).moveInto(decoded))
    return e;
  TypeId type;
  if (Error e = validateModule(decoded, features, arena).moveInto(type))
    return e;
  // Components name imports by (module, field) pairs, so a pair may occur
  // once.
  StringSet<> seen;
  for (const wasm::ImportEntry &imp : decoded.imports)
    if (!seen.insert((imp.module + Twine('\0') + imp.field).str()).second)
      return createErrorAt(imp.offset, "module has a duplicate import name "
                                       "`" +
                                           imp.module + ":" + imp.field +
                                           "` that is not allowed in "
                                           "components");
  cur().coreModules.push_back(type);
  return Error::success();
}

Error ComponentValidator::coreInstance(const CoreInstance &i) {
  Scope &s = cur();
  CoreInstanceType result;
  if (i.expr == wasm::InstanceExpr::FromExports) {
    for (const CoreInstance::Export &x : i.exports) {
      CoreExtern ce;
      if (Error e = coreEntityOf(x.sort, x.index, i.offset).moveInto(ce))
        return e;
      if (!result.exports.add(x.name, ce))
        return createErrorAt(i.offset, "duplicate instantiation export name "
                                       "`" +
                                           x.name + "` already defined");
    }
    s.coreInstances.push_back(arena.addCoreInstance(std::move(result)));
    return Error::success();
  }
  if (i.module >= s.coreModules.size())
    return outOfBounds(i.offset, IndexSpace::CoreModule, i.module);
  StringMap<TypeId> args;
  for (const CoreInstance::Arg &a : i.args) {
    if (a.instance >= s.coreInstances.size())
      return outOfBounds(i.offset, IndexSpace::CoreInstance, a.instance);
    if (!args.try_emplace(a.name, s.coreInstances[a.instance]).second)
      return createErrorAt(i.offset, "duplicate module instantiation "
                                     "argument named `" +
                                         a.name + "`");
  }
  const ModuleType &mt = arena.modules[s.coreModules[i.module]];
  for (const ModuleType::Import &imp : mt.imports) {
    auto it = args.find(imp.module);
    if (it == args.end())
      return createErrorAt(i.offset, "missing module instantiation argument "
                                     "named `" +
                                         imp.module + "`");
    const CoreExtern *actual = arena.coreExports(it->second).find(imp.field);
    if (!actual)
      return createErrorAt(
          i.offset, "module instantiation argument `" + imp.module +
                        "` does not export an item named `" + imp.field + "`");
    std::string why = coreExternMismatch(arena, *actual, imp.type);
    if (!why.empty())
      return mismatchError(i.offset,
                           "type mismatch for export `" + imp.field +
                               "` of module instantiation argument `" +
                               imp.module + "`",
                           why);
  }
  result.ofModule = s.coreModules[i.module];
  s.coreInstances.push_back(arena.addCoreInstance(std::move(result)));
  return Error::success();
}

Entity ComponentValidator::freshen(const Entity &e) {
  if (e.kind != Entity::Kind::Instance)
    return e;
  const ComponentT &t = arena.types[e.id].comp;
  if (t.definedResources.empty())
    return e;
  ResourceMap map;
  for (ResourceId r : t.definedResources)
    map[r] = arena.newResource();
  Entity out = substitute(arena, e, map);
  ComponentT &nt = arena.types[out.id].comp;
  nt.definedResources.clear();
  for (ResourceId r : t.definedResources)
    nt.definedResources.push_back(map[r]);
  return out;
}

Error ComponentValidator::instance(const Instance &i) {
  Scope &s = cur();
  CType result;
  result.kind = CType::Kind::Instance;
  if (i.expr == wasm::InstanceExpr::FromExports) {
    NameSet names;
    for (const Instance::Export &x : i.exports) {
      Entity e;
      if (Error err = entityOf(x.item.sort, x.item.index, i.offset).moveInto(e))
        return err;
      if (Error err = checkExportName(x.name, i.offset, e))
        return err;
      if (std::optional<std::string> prev = names.insert(x.name.name))
        return createErrorAt(i.offset, "export name `" + x.name.name +
                                           "` conflicts with previous name "
                                           "`" +
                                           *prev + "`");
      result.comp.exports.add(x.name.name, e);
    }
    s.instances.push_back(arena.add(std::move(result)));
    s.instanceIsBag.push_back(true);
    return Error::success();
  }
  if (i.component >= s.components.size())
    return outOfBounds(i.offset, IndexSpace::Component, i.component);
  StringMap<Entity> args;
  NameSet argNames;
  for (const Instance::Arg &a : i.args) {
    Entity e;
    if (Error err = entityOf(a.item.sort, a.item.index, i.offset).moveInto(e))
      return err;
    if (std::optional<std::string> prev = argNames.insert(a.name))
      return createErrorAt(i.offset, "instantiation argument `" + a.name +
                                         "` conflicts with previous argument "
                                         "`" +
                                         *prev + "`");
    args[a.name] = e;
  }
  TypeId compId = s.components[i.component];
  // The imported resources are bound by the arguments, and so are the
  // imported types.
  ResourceMap map;
  TypeMap types;
  for (ResourceId r : arena.types[compId].comp.importedResources)
    map[r] = 0;
  size_t numImports = arena.types[compId].comp.imports.items.size();
  for (size_t k = 0; k < numImports; ++k) {
    const auto &imp = arena.types[compId].comp.imports.items[k];
    auto it = args.find(imp.first);
    if (it == args.end())
      return createErrorAt(i.offset,
                           "missing import named `" + imp.first + "`");
    std::string why = entityMismatch(arena, it->second, imp.second, map);
    if (!why.empty())
      return mismatchError(i.offset,
                           "type mismatch for import `" + imp.first + "`", why);
    if (imp.second.kind == Entity::Kind::Type &&
        it->second.kind == Entity::Kind::Type &&
        is_contained(arena.types[compId].comp.importedTypes, imp.second.id))
      types[imp.second.id] = it->second.id;
  }
  // Each instantiation defines new resources for the component's own.
  for (ResourceId r : arena.types[compId].comp.definedResources)
    map[r] = arena.newResource();
  for (auto &kv : map)
    if (kv.second == 0)
      kv.second = kv.first;
  const ComponentT &ct = arena.types[compId].comp;
  std::vector<std::pair<std::string, Entity>> exports = ct.exports.items;
  std::vector<ResourceId> defined;
  for (ResourceId r : ct.definedResources)
    defined.push_back(map[r]);
  for (auto &x : exports)
    result.comp.exports.add(x.first, substitute(arena, x.second, map, types));
  result.comp.definedResources = std::move(defined);
  Entity made;
  made.kind = Entity::Kind::Instance;
  made.id = arena.add(std::move(result));
  // What the instance exports gets a name here only through an alias.
  push(made);
  return Error::success();
}

Error ComponentValidator::alias(const Alias &a, bool inType) {
  if (inType) {
    bool ok = a.sort.isCore() ? a.sort.core == CoreSort::Type
                              : (a.sort.sort == Sort::Type ||
                                 a.sort.sort == Sort::Instance ||
                                 (a.target == wasm::AliasTarget::Outer &&
                                  a.sort.sort == Sort::Component));
    if (a.target == wasm::AliasTarget::Outer && a.sort.isCore() &&
        a.sort.core == CoreSort::Module)
      ok = true;
    if (!ok)
      return createErrorAt(a.offset, "aliases in a component or instance "
                                     "type may only refer to types or "
                                     "instances");
  }
  Scope &s = cur();
  switch (a.target) {
  case wasm::AliasTarget::CoreExport: {
    if (a.instance >= s.coreInstances.size())
      return outOfBounds(a.offset, IndexSpace::CoreInstance, a.instance);
    const CoreExtern *x =
        arena.coreExports(s.coreInstances[a.instance]).find(a.name);
    if (!x)
      return createErrorAt(a.offset, "core instance " + Twine(a.instance) +
                                         " has no export named `" + a.name +
                                         "`");
    if (uint8_t(x->kind) != uint8_t(a.sort.core))
      return createErrorAt(a.offset, "export `" + a.name +
                                         "` for core instance " +
                                         Twine(a.instance) + " is not a " +
                                         (a.sort.core == CoreSort::Func
                                              ? StringRef("function")
                                              : wasm::toString(a.sort.core)));
    switch (x->kind) {
    case wasm::ExternType::Kind::Func:
      s.coreFuncs.push_back(x->func);
      break;
    case wasm::ExternType::Kind::Table:
      s.coreTables.push_back(x->table);
      break;
    case wasm::ExternType::Kind::Memory:
      s.coreMemories.push_back(x->memory);
      break;
    case wasm::ExternType::Kind::Global:
      s.coreGlobals.push_back(x->global);
      break;
    case wasm::ExternType::Kind::Tag:
      s.coreTags.push_back(x->func);
      break;
    }
    return Error::success();
  }
  case wasm::AliasTarget::Export: {
    if (a.instance >= s.instances.size())
      return outOfBounds(a.offset, IndexSpace::Instance, a.instance);
    const Entity *x =
        arena.types[s.instances[a.instance]].comp.exports.find(a.name);
    if (!x)
      return createErrorAt(a.offset, "instance " + Twine(a.instance) +
                                         " has no export named `" + a.name +
                                         "`");
    Entity::Kind want;
    if (a.sort.isCore())
      want = Entity::Kind::Module;
    else
      switch (a.sort.sort) {
      case Sort::Func:
        want = Entity::Kind::Func;
        break;
      case Sort::Value:
        want = Entity::Kind::Value;
        break;
      case Sort::Type:
        want = Entity::Kind::Type;
        break;
      case Sort::Component:
        want = Entity::Kind::Component;
        break;
      default:
        want = Entity::Kind::Instance;
        break;
      }
    if (x->kind != want || (a.sort.isCore() && a.sort.core != CoreSort::Module))
      return createErrorAt(a.offset, "export `" + a.name + "` for instance " +
                                         Twine(a.instance) + " is not a " +
                                         entityKindName(want));
    push(*x);
    // A type an instance exports has that name, unless the instance is a
    // bag of local definitions.
    if (x->kind == Entity::Kind::Type && !s.instanceIsBag[a.instance]) {
      s.named.types.insert(x->id);
      s.importNamed.types.insert(x->id);
      if (arena.types[x->id].kind == CType::Kind::Resource) {
        s.named.resources.insert(arena.types[x->id].resource);
        s.importNamed.resources.insert(arena.types[x->id].resource);
      }
    }
    return Error::success();
  }
  case wasm::AliasTarget::Outer:
    break;
  }
  if (a.count >= scopes.size())
    return createErrorAt(a.offset,
                         "invalid outer alias count of " + Twine(a.count));
  Scope &outer = scopes[scopes.size() - 1 - a.count];
  bool crossesComponent = false;
  for (size_t k = scopes.size() - a.count; k < scopes.size(); ++k)
    if (scopes[k].kind == Scope::Kind::Component)
      crossesComponent = true;
  if (a.sort.isCore()) {
    if (a.sort.core == CoreSort::Type) {
      if (a.outerIndex >= outer.coreTypes.size())
        return outOfBounds(a.offset, IndexSpace::CoreType, a.outerIndex);
      s.coreTypes.push_back(outer.coreTypes[a.outerIndex]);
    } else {
      if (a.outerIndex >= outer.coreModules.size())
        return outOfBounds(a.offset, IndexSpace::CoreModule, a.outerIndex);
      s.coreModules.push_back(outer.coreModules[a.outerIndex]);
    }
    return Error::success();
  }
  if (a.sort.sort == Sort::Component) {
    if (a.outerIndex >= outer.components.size())
      return outOfBounds(a.offset, IndexSpace::Component, a.outerIndex);
    s.components.push_back(outer.components[a.outerIndex]);
    return Error::success();
  }
  if (a.outerIndex >= outer.types.size())
    return outOfBounds(a.offset, IndexSpace::Type, a.outerIndex);
  TypeId id = outer.types[a.outerIndex];
  if (crossesComponent) {
    bool foreign = false;
    Entity e;
    e.kind = Entity::Kind::Type;
    e.id = id;
    forEachResource(arena, e, [&](ResourceId, bool) { foreign = true; });
    if (foreign)
      return createErrorAt(a.offset, "cannot alias outer type which "
                                     "transitively refers to resources not "
                                     "defined in the current component");
  }
  s.types.push_back(id);
  if (arena.types[id].kind == CType::Kind::Resource) {
    s.knownResources.insert(arena.types[id].resource);
    if (outer.localResources.count(arena.types[id].resource))
      s.localResources.insert(arena.types[id].resource);
  }
  return Error::success();
}

Error ComponentValidator::start(const Start &st) {
  Scope &s = cur();
  if (!features.has(Feature::CmValues))
    return createErrorAt(st.offset, "support for component model `value`s "
                                    "is not enabled");
  if (s.hasStart)
    return createErrorAt(st.offset, "component cannot have more than one "
                                    "start function");
  s.hasStart = true;
  if (st.func >= s.funcs.size())
    return outOfBounds(st.offset, IndexSpace::Func, st.func);
  const FuncT &f = arena.types[s.funcs[st.func]].func;
  if (f.params.size() != st.args.size())
    return createErrorAt(st.offset, "component start function requires " +
                                        Twine(f.params.size()) +
                                        " arguments but was given " +
                                        Twine(st.args.size()));
  if (st.results != (f.result ? 1u : 0u))
    return createErrorAt(st.offset, "component start function has a result "
                                    "count of " +
                                        Twine(f.result ? 1 : 0) +
                                        " but the function type has a result "
                                        "count of " +
                                        Twine(st.results));
  for (size_t k = 0; k < st.args.size(); ++k) {
    Entity v;
    if (Error e = entityOf(SortKind::of(Sort::Value), st.args[k], st.offset)
                      .moveInto(v))
      return e;
    ResourceMap map;
    std::string why = valTypeMismatch(arena, v.value, f.params[k].second, map);
    if (!why.empty())
      return mismatchError(st.offset,
                           "value type mismatch for component start function "
                           "argument " +
                               Twine(k),
                           why);
  }
  if (f.result) {
    s.values.push_back(*f.result);
    s.valueUsed.push_back(false);
  }
  return Error::success();
}

Error ComponentValidator::checkValuesUsed(uint64_t offset) {
  Scope &s = cur();
  for (size_t k = 0; k < s.values.size(); ++k)
    if (!s.valueUsed[k])
      return createErrorAt(offset, "value index " + Twine(k) +
                                       " was not used as part of an "
                                       "instantiation, start function, or "
                                       "export");
  return Error::success();
}

Expected<TypeId> ComponentValidator::run(const Component &c) {
  scopes.emplace_back();
  if (scopes.size() > 1) {
    // Resources of the enclosing components may be reached by outer
    // aliases, but a nested component cannot define their values.
    for (ResourceId r : scopes[scopes.size() - 2].knownResources)
      cur().knownResources.insert(r);
  }
  for (const Section &sec : c.sections) {
    for (uint32_t k = sec.first; k < sec.first + sec.count; ++k) {
      Error err = Error::success();
      switch (sec.id) {
      case ComponentSectionId::Custom:
        break;
      case ComponentSectionId::CoreModule:
        err = coreModule(c.coreModules[k]);
        break;
      case ComponentSectionId::CoreInstance:
        err = coreInstance(c.coreInstances[k]);
        break;
      case ComponentSectionId::CoreType:
        err = coreTypeDef(c.coreTypes[k]);
        break;
      case ComponentSectionId::Component: {
        TypeId t;
        if (Error e = run(*c.components[k]).moveInto(t))
          return std::move(e);
        cur().components.push_back(t);
        break;
      }
      case ComponentSectionId::Instance:
        err = instance(c.instances[k]);
        break;
      case ComponentSectionId::Alias:
        err = alias(c.aliases[k], false);
        break;
      case ComponentSectionId::Type:
        err = typeDef(c.types[k]);
        break;
      case ComponentSectionId::Canon:
        err = canon(c.canons[k]);
        break;
      case ComponentSectionId::Start:
        err = start(c.starts[k]);
        break;
      case ComponentSectionId::Import:
        err = importItem(c.imports[k].offset, c.imports[k].name,
                         c.imports[k].desc);
        break;
      case ComponentSectionId::Export:
        err = exportItem(c.exports[k]);
        break;
      case ComponentSectionId::Value: {
        const Value &v = c.values[k];
        if (!features.has(Feature::CmValues)) {
          err = createErrorAt(v.offset, "support for component model "
                                        "`value`s is not enabled");
          break;
        }
        CValType t;
        if (Error e = valType(v.type, v.offset).moveInto(t))
          return std::move(e);
        cur().values.push_back(t);
        cur().valueUsed.push_back(false);
        break;
      }
      }
      if (err)
        return std::move(err);
    }
  }
  if (Error e = checkValuesUsed(c.offset + c.bytes.size()))
    return std::move(e);
  CType t;
  t.kind = CType::Kind::Component;
  t.comp = std::move(cur().self);
  scopes.pop_back();
  TypeId id = arena.add(std::move(t));
  if (arena.types[id].size > MaxTypeSize)
    return createErrorAt(c.offset, "effective type size exceeds the limit "
                                   "of " +
                                       Twine(MaxTypeSize));
  return id;
}

Error validate::validateComponent(const Component &c,
                                  const Features &features) {
  TypeArena arena;
  ComponentValidator v(features, arena);
  return v.run(c).takeError();
}
