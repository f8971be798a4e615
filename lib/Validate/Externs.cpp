//===- Externs.cpp - Imports and exports of components
//---------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Imports and exports, of components and of component and instance types:
/// their names, their uniqueness, and the rule that what crosses a
/// component's boundary refers only to types that have a name there
/// (wasm-tools' "type not valid to be used as export").
///
//===----------------------------------------------------------------------===//

#include "ComponentValidator.h"
#include "wcl/Support/Error.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::validate;
using namespace wcl::component;
using Kind = DefinedT::Kind;

namespace {

/// Whether every type an item refers to has a name in the scope, or was
/// declared inside the item's own type.
class NamedCheck {
public:
  NamedCheck(const TypeArena &arena, const Scope &s, bool forImport)
      : arena(arena), names(forImport ? s.importNamed : s.named) {}

  bool val(const CValType &v) {
    if (v.isPrim)
      return true;
    return defined(v.id);
  }

  bool defined(TypeId id) {
    if (names.types.count(id) || inside(id))
      return true;
    const CType &t = arena.types[id];
    if (t.kind == CType::Kind::Resource)
      return names.resources.count(t.resource) ||
             ownResources.count(t.resource);
    if (t.kind != CType::Kind::Defined)
      return false;
    const DefinedT &d = t.defined;
    switch (d.kind) {
    case Kind::Record:
    case Kind::Variant:
    case Kind::Enum:
    case Kind::Flags:
      // Nominal in wit-parser's sense: these need a name of their own.
      return false;
    case Kind::Own:
    case Kind::Borrow:
      return handle(d);
    default:
      // Structural: named when everything it refers to is.
      return children(d);
    }
  }

  /// A handle is named when the resource type it was written with is, or
  /// the resource came in through an import or an alias.
  bool handle(const DefinedT &d) {
    return names.types.count(d.resourceType) ||
           names.resources.count(d.resource) ||
           ownResources.count(d.resource) || inside(d.resourceType);
  }

  bool func(TypeId id) {
    const FuncT &f = arena.types[id].func;
    for (const auto &p : f.params)
      if (!val(p.second))
        return false;
    return !f.result || val(*f.result);
  }

  bool entity(const Entity &e) {
    switch (e.kind) {
    case Entity::Kind::Func:
      return func(e.id);
    case Entity::Kind::Value:
      return val(e.value);
    case Entity::Kind::Type: {
      const CType &t = arena.types[e.id];
      // A type that already has a name was checked when it got it.
      if (t.kind == CType::Kind::Resource || names.types.count(e.id) ||
          inside(e.id))
        return true;
      if (t.kind == CType::Kind::Func)
        return func(e.id);
      if (t.kind == CType::Kind::Instance || t.kind == CType::Kind::Component)
        return entity({t.kind == CType::Kind::Instance
                           ? Entity::Kind::Instance
                           : Entity::Kind::Component,
                       e.id,
                       {}});
      // The type itself gets the name; what it refers to must have one.
      return children(t.defined);
    }
    case Entity::Kind::Instance:
    case Entity::Kind::Component: {
      const ComponentT &c = arena.types[e.id].comp;
      // Types the instance exports, at any depth, carry its name.
      collectOwn(c, 0);
      for (const auto &x : c.exports.items) {
        if (x.second.kind == Entity::Kind::Func && !func(x.second.id))
          return false;
        if (x.second.kind == Entity::Kind::Type) {
          const CType &t = arena.types[x.second.id];
          if (t.kind == CType::Kind::Defined && !children(t.defined))
            return false;
        }
      }
      return true;
    }
    case Entity::Kind::Module:
      return true;
    }
    return true;
  }

private:
  bool inside(TypeId id) { return ownTypes.count(id); }

  void collectOwn(const ComponentT &c, unsigned depth) {
    if (depth > 100)
      return;
    for (const auto *list : {&c.exports, &c.imports})
      for (const auto &x : list->items) {
        if (x.second.kind == Entity::Kind::Type) {
          ownTypes.insert(x.second.id);
          if (arena.types[x.second.id].kind == CType::Kind::Resource)
            ownResources.insert(arena.types[x.second.id].resource);
        } else if (x.second.kind == Entity::Kind::Instance ||
                   x.second.kind == Entity::Kind::Component) {
          collectOwn(arena.types[x.second.id].comp, depth + 1);
        }
      }
  }

  /// The types a defined type refers to are named.
  bool children(const DefinedT &d) {
    for (const auto &f : d.fields)
      if (!val(f.second))
        return false;
    for (const auto &c : d.cases)
      if (c.second && !val(*c.second))
        return false;
    for (const CValType &x : d.types)
      if (!val(x))
        return false;
    if (d.first && !val(*d.first))
      return false;
    if (d.second && !val(*d.second))
      return false;
    if (d.kind == Kind::Own || d.kind == Kind::Borrow)
      return handle(d);
    return true;
  }

  const TypeArena &arena;
  const NamedSet &names;
  DenseSet<TypeId> ownTypes;
  DenseSet<ResourceId> ownResources;
};

} // namespace

void ComponentValidator::recordNamed(StringRef name, const Entity &e,
                                     bool isImport) {
  Scope &s = cur();
  if (e.kind == Entity::Kind::Instance)
    return nameExportedTypes(e, isImport);
  if (e.kind != Entity::Kind::Type)
    return;
  s.named.types.insert(e.id);
  if (isImport)
    s.importNamed.types.insert(e.id);
  const CType &t = arena.types[e.id];
  if (t.kind != CType::Kind::Resource)
    return;
  if (isImport) {
    s.named.resources.insert(t.resource);
    s.importNamed.resources.insert(t.resource);
    s.importResourceNames[name] = t.resource;
  } else {
    s.exportResourceNames[name] = t.resource;
  }
}

void ComponentValidator::nameExportedTypes(const Entity &e, bool imported) {
  Scope &s = cur();
  SmallVector<TypeId, 8> work{e.id};
  DenseSet<TypeId> seen;
  while (!work.empty()) {
    TypeId id = work.pop_back_val();
    if (!seen.insert(id).second)
      continue;
    for (const auto &x : arena.types[id].comp.exports.items) {
      if (x.second.kind == Entity::Kind::Instance) {
        work.push_back(x.second.id);
        continue;
      }
      if (x.second.kind != Entity::Kind::Type)
        continue;
      for (NamedSet *set : {&s.named, &s.importNamed}) {
        if (set == &s.importNamed && !imported)
          continue;
        set->types.insert(x.second.id);
        if (arena.types[x.second.id].kind == CType::Kind::Resource)
          set->resources.insert(arena.types[x.second.id].resource);
      }
    }
  }
}

bool ComponentValidator::isNamed(const Entity &e, bool forImport) {
  return NamedCheck(arena, cur(), forImport).entity(e);
}

Error ComponentValidator::importItem(uint64_t offset, const ExternName &name,
                                     const ExternDesc &desc) {
  Scope &s = cur();
  Entity e;
  if (Error err = externDesc(desc, offset).moveInto(e))
    return err;
  if (e.kind == Entity::Kind::Type &&
      desc.bound == ExternDesc::Bound::SubResource)
    s.self.importedResources.push_back(arena.types[e.id].resource);
  // A type imported as `(eq T)` is a type of its own that instantiation
  // replaces by its argument.
  if (e.kind == Entity::Kind::Type && desc.bound == ExternDesc::Bound::Eq &&
      arena.types[e.id].kind != CType::Kind::Resource) {
    e.id = arena.add(CType(arena.types[e.id]));
    s.self.importedTypes.push_back(e.id);
  }
  if (e.kind == Entity::Kind::Instance) {
    e = freshen(e);
    for (ResourceId r : arena.types[e.id].comp.definedResources) {
      s.self.importedResources.push_back(r);
      s.knownResources.insert(r);
    }
  }
  if (Error err = checkImportName(name, offset, e))
    return err;
  if (std::optional<std::string> prev = s.importNames.insert(name.name))
    return createErrorAt(offset, "import name `" + name.name +
                                     "` conflicts with previous name `" +
                                     *prev + "`");
  if (s.kind != Scope::Kind::InstanceType && !isNamed(e, true))
    return createErrorAt(offset, entityKindName(e.kind) +
                                     " not valid to be used as import");
  push(e);
  recordNamed(name.name, e, true);
  s.self.imports.add(name.name, e);
  return Error::success();
}

Error ComponentValidator::exportItem(const Export &x) {
  Scope &s = cur();
  Entity e;
  if (Error err = entityOf(x.item.sort, x.item.index, x.offset).moveInto(e))
    return err;
  if (x.desc) {
    Entity ascribed;
    if (Error err = externDesc(*x.desc, x.offset).moveInto(ascribed))
      return err;
    ResourceMap map;
    if (ascribed.kind == Entity::Kind::Type &&
        x.desc->bound == ExternDesc::Bound::SubResource)
      map[arena.types[ascribed.id].resource] = 0;
    std::string why = entityMismatch(arena, e, ascribed, map);
    if (!why.empty())
      return mismatchError(x.offset,
                           "ascribed type of export is not compatible with "
                           "item's type",
                           why);
    // A resource ascribed `sub resource` stays the item's own resource.
    if (!(ascribed.kind == Entity::Kind::Type &&
          x.desc->bound == ExternDesc::Bound::SubResource))
      e = ascribed;
  }
  if (Error err = checkExportName(x.name, x.offset, e))
    return err;
  if (std::optional<std::string> prev = s.exportNames.insert(x.name.name))
    return createErrorAt(x.offset, "export name `" + x.name.name +
                                       "` conflicts with previous name `" +
                                       *prev + "`");
  if (!isNamed(e, false))
    return createErrorAt(x.offset, entityKindName(e.kind) +
                                       " not valid to be used as export");
  // An exported type is a new type index with the export's name; the
  // definition it was made from stays unnamed.
  if (e.kind == Entity::Kind::Type)
    e.id = arena.add(CType(arena.types[e.id]));
  push(e);
  // The index an exported value adds needs no further use.
  if (e.kind == Entity::Kind::Value)
    s.valueUsed.back() = true;
  recordNamed(x.name.name, e, false);
  s.self.exports.add(x.name.name, e);
  return Error::success();
}
