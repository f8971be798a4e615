//===- TextWorlds.cpp - WIT worlds into a Resolve ---===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A world's types, its imports and exports with wit-parser's conflict
/// rules, and its includes (with `with` renames) merged in.
///
//===----------------------------------------------------------------------===//

#include "PackageResolver.h"
#include "wcl/WIT/Parser.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include <map>
#include <set>

using namespace llvm;
using namespace wcl;
using namespace wcl::wit;

static StringRef kindName(const WorldItem &item) {
  switch (item.kind) {
  case WorldItem::Kind::Interface:
    return "interface";
  case WorldItem::Kind::Function:
    return "func";
  case WorldItem::Kind::Type:
    return "type";
  }
  return "item";
}

Expected<WorldItem> PackageResolver::resolveExtern(const ast::WorldItem &wi,
                                                   WorldKey &key) {
  const ast::Extern &e = wi.ext;
  WorldItem item;
  WIT_TRY(st, stability(wi.attributes));
  switch (e.kind) {
  case ast::Extern::Kind::Interface: {
    Interface iface;
    iface.package = pid;
    iface.docs = docsText(wi.docs);
    iface.stability = st;
    InterfaceId id = r.addInterface(std::move(iface));
    Scope saved = std::move(scope);
    WIT_CHECK(resolveInterface(id, e.items));
    scope = std::move(saved);
    item.kind = WorldItem::Kind::Interface;
    item.interface = id;
    item.stability = st;
    key.name = e.name.name;
    return item;
  }
  case ast::Extern::Kind::Path:
  case ast::Extern::Kind::NamedPath: {
    WIT_TRY(id, interfacePath(e.path));
    item.kind = WorldItem::Kind::Interface;
    item.stability = st;
    item.docs = docsText(wi.docs);
    if (e.kind == ast::Extern::Kind::Path) {
      item.interface = id;
      key.interface = id;
      key.name = r.idOf(id).value_or("");
      return item;
    }
    // A plain name implementing a package interface gets its own copy.
    Interface copy = r.get(id);
    copy.implements = r.idOf(id);
    item.interface = r.addInterface(std::move(copy));
    key.name = e.name.name;
    return item;
  }
  case ast::Extern::Kind::Func: {
    WIT_TRY(fn,
            resolveFunction(wi.docs, wi.attributes, e.name, e.func, e.name.name,
                            FunctionKind::Freestanding, TypeId{}));
    key.name = e.name.name;
    item.kind = WorldItem::Kind::Function;
    item.function = std::move(fn);
    return item;
  }
  }
  return item;
}

Error PackageResolver::resolveWorld(WorldId id, const ast::World &w) {
  scope.clear();
  std::vector<const ast::Use *> uses;
  std::vector<const ast::TypeDef *> defs;
  std::vector<PendingInclude> includes;
  for (const ast::WorldItem &i : w.items) {
    if (i.kind == ast::WorldItem::Kind::Use)
      uses.push_back(&i.use);
    else if (i.kind == ast::WorldItem::Kind::TypeDef)
      defs.push_back(&i.typeDef);
  }
  WIT_CHECK(resolveTypes(TypeOwner::world(id), uses, defs));
  for (const ast::WorldItem &i : w.items) {
    if (i.kind != ast::WorldItem::Kind::Include ||
        gatedOff(i.include.attributes))
      continue;
    WIT_CHECK(checkSince(i.include.attributes, i.include.from.name.span));
    WIT_TRY(from, worldPath(i.include.from));
    includes.push_back({from, &i.include});
  }
  ItemList imports, exports;
  for (const auto &[name, e] : scope) {
    if (e.kind != ScopeEntry::Kind::Type)
      continue;
    WorldItem item;
    item.kind = WorldItem::Kind::Type;
    item.type = e.type;
    imports.push_back({WorldKey{name, std::nullopt}, item});
  }
  std::set<uint32_t> importedIfaces, exportedIfaces;
  for (const ast::WorldItem &i : w.items) {
    bool isImport = i.kind == ast::WorldItem::Kind::Import;
    if (i.kind == ast::WorldItem::Kind::TypeDef &&
        i.typeDef.type->kind == ast::Type::Kind::Resource) {
      std::vector<std::pair<Function, Span>> funcs;
      WIT_CHECK(resourceFuncs(i.typeDef, funcs));
      for (auto &[fn, span] : funcs) {
        WorldItem item;
        item.kind = WorldItem::Kind::Function;
        std::string name = fn.name;
        item.function = std::move(fn);
        imports.push_back({WorldKey{name, std::nullopt}, std::move(item)});
      }
      continue;
    }
    if (!isImport && i.kind != ast::WorldItem::Kind::Export)
      continue;
    if (gatedOff(i.attributes))
      continue;
    WIT_CHECK(checkSince(i.attributes, i.ext.span()));
    WorldKey key;
    WIT_TRY(item, resolveExtern(i, key));
    StringRef desc = isImport ? "import" : "export";
    if (key.interface && !(isImport ? importedIfaces : exportedIfaces)
                              .insert(key.interface->index)
                              .second)
      return spanError(i.ext.span(),
                       "interface cannot be " + desc + "ed more than once");
    ItemList &dst = isImport ? imports : exports;
    if (!key.interface) {
      if (WorldItem *prev = findItem(dst, key))
        return spanError(i.ext.span(), desc + " `" + key.name +
                                           "` conflicts with prior " +
                                           kindName(*prev) + " of same name");
      for (const auto &[k, other] : dst)
        if (!k.interface && StringRef(k.name).equals_insensitive(key.name))
          return spanError(i.ext.span(), desc + " `" + key.name +
                                             "` in world `" + w.name.name +
                                             "` conflicts with " + desc + " `" +
                                             k.name +
                                             "` (kebab-case identifiers are "
                                             "case-insensitive)");
    }
    dst.push_back({key, std::move(item)});
  }
  World &world = r.get(id);
  world.imports = std::move(imports);
  world.exports = std::move(exports);
  for (const PendingInclude &inc : includes)
    WIT_CHECK(applyInclude(r.get(id), inc));
  return Error::success();
}

namespace {
/// Deep copies of what an included world's items reach, owned by the
/// including world (wit-parser's `Cloner`): its types, the anonymous types
/// built on them and its inline interfaces, so that renaming one of them
/// (`include w with { r as s }`) renames the including world's copy only.
/// Types owned elsewhere (an interface's, reached through a `use`) are
/// shared, not copied.
class Cloner {
public:
  Cloner(Resolve &r, TypeOwner from, TypeOwner to, PackageId pkg,
         std::map<uint32_t, uint32_t> &map)
      : r(r), from(from), to(to), pkg(pkg), map(map) {}

  TypeId type(TypeId id, unsigned depth = 0) {
    auto it = map.find(id.index);
    if (it != map.end())
      return {it->second};
    TypeDef def = r.get(id);
    if (def.owner.kind != TypeOwner::Kind::None && !(def.owner == from))
      return id;
    if (def.owner.kind != TypeOwner::Kind::None)
      def.owner = to;
    if (depth > 1000)
      return id;
    auto ty = [&](Type &t) {
      if (t.isId)
        t.id = type(t.id, depth + 1);
    };
    if (def.kind == TypeDefKind::Alias && def.element && def.element->isId &&
        !(r.get(def.element->id).owner == from)) {
      // A `use`d type: the including world refers to the same one.
    } else {
      forEachType(def, ty);
      if (def.resource.valid())
        def.resource = type(def.resource, depth + 1);
    }
    TypeId copy = r.addType(std::move(def));
    map[id.index] = copy.index;
    return copy;
  }

  void function(Function &f) {
    if (f.resource.valid())
      f.resource = type(f.resource);
    for (auto &p : f.params)
      if (p.second.isId)
        p.second.id = type(p.second.id);
    if (f.result && f.result->isId)
      f.result->id = type(f.result->id);
  }

  /// A copy of inline interface \p id, with its own types.
  InterfaceId interface(InterfaceId id) {
    Interface copy = r.get(id);
    InterfaceId next{uint32_t(r.interfaces.size())};
    Cloner inner(r, TypeOwner::interface(id), TypeOwner::interface(next), pkg,
                 map);
    for (auto &[name, t] : copy.types)
      t = inner.type(t);
    for (auto &[name, f] : copy.functions)
      inner.function(f);
    copy.package = pkg;
    return r.addInterface(std::move(copy));
  }

private:
  Resolve &r;
  TypeOwner from, to;
  PackageId pkg;
  std::map<uint32_t, uint32_t> &map;
};
} // namespace

/// \p name as `include ... with { a as b }` renames it: `a` itself, or a
/// function of resource `a` (`[method]a.f` becomes `[method]b.f`).
static std::optional<std::string> renameItem(StringRef name,
                                             const ast::IncludeName &in) {
  if (name == in.name.name)
    return in.as.name;
  auto [kind, rest] = name.split(']');
  if (rest.empty() && !name.contains(']'))
    return std::nullopt;
  auto [resource, fn] = rest.split('.');
  if (resource == in.name.name)
    return (kind + "]" + in.as.name + (rest.contains('.') ? "." + fn : ""))
        .str();
  return std::nullopt;
}

Error PackageResolver::applyInclude(World &world, const PendingInclude &inc) {
  // Copied: `world` and the included world live in the same vector.
  World from = r.get(inc.from);
  Span span = inc.ast->from.name.span;
  auto renamed = [&](const std::string &n) -> std::string {
    for (const ast::IncludeName &in : inc.ast->names)
      if (std::optional<std::string> to = renameItem(n, in))
        return *to;
    return n;
  };
  for (const ast::IncludeName &in : inc.ast->names) {
    auto named = [&](const ItemList &l) {
      return any_of(l, [&](const auto &kv) {
        return !kv.first.interface && renameItem(kv.first.name, in);
      });
    };
    if (!named(from.imports) && !named(from.exports))
      return spanError(span, "no import or export kebab-name `" + in.name.name +
                                 "`. Note that an ID does not support "
                                 "renaming");
  }
  WorldId self{uint32_t(&world - r.worlds.data())};
  std::map<uint32_t, uint32_t> cloned;
  Cloner cloner(r, TypeOwner::world(inc.from), TypeOwner::world(self), pid,
                cloned);
  auto copyItems = [&](const ItemList &src, bool isImport) -> Error {
    for (const auto &[key, item] : src) {
      ItemList &dst = isImport ? r.get(self).imports : r.get(self).exports;
      if (key.interface) {
        if (!findItem(dst, key))
          dst.push_back({key, item});
        continue;
      }
      WorldKey newKey{renamed(key.name), std::nullopt};
      WorldItem copy = item;
      if (item.kind == WorldItem::Kind::Function) {
        cloner.function(copy.function);
        copy.function.name = newKey.name;
      } else if (item.kind == WorldItem::Kind::Type) {
        copy.type = cloner.type(item.type);
        r.get(copy.type).name = newKey.name;
      } else if (!r.get(item.interface).name) {
        copy.interface = cloner.interface(item.interface);
      }
      ItemList &out = isImport ? r.get(self).imports : r.get(self).exports;
      if (findItem(out, newKey))
        return spanError(span, std::string(isImport ? "import" : "export") +
                                   " of `" + newKey.name +
                                   "` shadows previously imported items");
      out.push_back({newKey, std::move(copy)});
    }
    return Error::success();
  };
  WIT_CHECK(copyItems(from.imports, true));
  return copyItems(from.exports, false);
}
