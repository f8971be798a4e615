//===- TextResolver.cpp - WIT syntax trees into a Resolve -----------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Resolves one package: its interfaces and worlds in dependency order
/// (an item's local `use`s, imports and includes first), each interface's
/// types in dependency order after its `use`s, then functions; a world's
/// includes are merged in and its imports elaborated with the interfaces
/// its items depend on, as wit-parser does, so printing and encoding see
/// the same order. Items gated off by a feature that is not enabled are
/// left out, and a reference to one is an error.
///
//===----------------------------------------------------------------------===//

#include "PackageResolver.h"
#include "TopoSort.h"
#include "wcl/WIT/Parser.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include <map>
#include <set>

using namespace llvm;
using namespace wcl;
using namespace wcl::wit;

bool PackageResolver::gatedOff(const ast::Attributes &attrs) const {
  for (const ast::Attribute &a : attrs)
    if (a.kind == ast::Attribute::Kind::Unstable && !features.has(a.value))
      return true;
  return false;
}

/// -1, 0, 1 as semver orders \p a and \p b (prereleases before releases).
static int compareVersions(StringRef a, StringRef b) {
  auto split = [](StringRef v) {
    StringRef core = v.split('+').first;
    StringRef pre;
    if (size_t d = core.find('-'); d != StringRef::npos) {
      pre = core.substr(d + 1);
      core = core.substr(0, d);
    }
    SmallVector<uint64_t, 3> nums;
    SmallVector<StringRef, 3> parts;
    core.split(parts, '.');
    for (StringRef p : parts) {
      uint64_t n = 0;
      p.getAsInteger(10, n);
      nums.push_back(n);
    }
    return std::make_pair(nums, pre);
  };
  auto [na, pa] = split(a);
  auto [nb, pb] = split(b);
  if (na != nb)
    return na < nb ? -1 : 1;
  if (pa == pb)
    return 0;
  if (pa.empty())
    return 1;
  if (pb.empty())
    return -1;
  return pa < pb ? -1 : 1;
}

Error PackageResolver::checkSince(const ast::Attributes &attrs, Span span) {
  const std::optional<std::string> &version = pkg.name.version;
  for (const ast::Attribute &a : attrs) {
    if (a.kind != ast::Attribute::Kind::Since || !version)
      continue;
    if (compareVersions(a.value, *version) > 0)
      return spanError(span, "feature gate cannot reference unreleased "
                             "version " +
                                 a.value + " of package [" +
                                 pkg.name.toName().toString() +
                                 "] (current version " + *version + ")");
  }
  return Error::success();
}

Expected<Stability> PackageResolver::stability(const ast::Attributes &attrs) {
  Stability s;
  const ast::Attribute *since = nullptr, *deprecated = nullptr,
                       *unstable = nullptr;
  for (const ast::Attribute &a : attrs) {
    const ast::Attribute **slot =
        a.kind == ast::Attribute::Kind::Since        ? &since
        : a.kind == ast::Attribute::Kind::Deprecated ? &deprecated
        : a.kind == ast::Attribute::Kind::Unstable   ? &unstable
                                                     : nullptr;
    if (!slot)
      continue;
    if (*slot) {
      StringRef what = slot == &since        ? "@since"
                       : slot == &deprecated ? "@deprecated"
                                             : "@unstable";
      return spanError(a.span, "cannot specify " + what + " twice");
    }
    *slot = &a;
  }
  if (since && unstable)
    return spanError(since->span, "cannot specify both @since and @unstable");
  if (deprecated && !since && !unstable)
    return spanError(deprecated->span, "cannot specify both @deprecated "
                                       "without @since or @unstable");
  if (since) {
    s.kind = Stability::Kind::Stable;
    s.value = since->value;
  } else if (unstable) {
    s.kind = Stability::Kind::Unstable;
    s.value = unstable->value;
  }
  if (deprecated)
    s.deprecated = deprecated->value;
  return s;
}

Error PackageResolver::collectItems() {
  for (auto [fi, f] : enumerate(pkg.files)) {
    StringMap<FileName> names;
    for (const ast::Item &item : f->items) {
      if (item.kind != ast::Item::Kind::Interface &&
          item.kind != ast::Item::Kind::World)
        continue;
      bool isWorld = item.kind == ast::Item::Kind::World;
      const ast::Id &name = isWorld ? item.world.name : item.interface.name;
      const ast::Attributes &attrs =
          isWorld ? item.world.attributes : item.interface.attributes;
      if (items.count(name.name))
        return spanError(name.span, "duplicate item named `" + name.name + "`");
      PkgItem p;
      p.isWorld = isWorld;
      p.iface = isWorld ? nullptr : &item.interface;
      p.world = isWorld ? &item.world : nullptr;
      p.file = fi;
      p.span = name.span;
      p.excluded = gatedOff(attrs);
      items.insert({name.name, p});
    }
    fileScopes.emplace_back();
  }
  // File scopes: the package's items, and the file's own `use`s.
  for (auto [fi, f] : enumerate(pkg.files)) {
    StringMap<FileName> &names = fileScopes[fi];
    for (auto [i, kv] : enumerate(items))
      names[kv.first] = FileName{i, {}};
    for (const ast::Item &item : f->items) {
      if (item.kind != ast::Item::Kind::Use)
        continue;
      const ast::ToplevelUse &u = item.use;
      const ast::Id &alias = u.as ? *u.as : u.item.name;
      auto clash = items.find(alias.name);
      if (clash != items.end() && clash->second.file == fi) {
        // A `use` may not shadow an item of the package.
        return spanError(clash->second.span,
                         "duplicate name `" + alias.name + "` in this file");
      }
      if (!u.item.package) {
        auto it = names.find(u.item.name.name);
        if (it == names.end())
          return spanError(
              u.item.name.span,
              errorPrefixNotFound("interface or world", u.item.name.name));
        names[alias.name] = it->second;
        continue;
      }
      file = fi;
      WIT_TRY(t, interfacePath(u.item));
      if (names.count(alias.name))
        return spanError(alias.span,
                         "duplicate name `" + alias.name + "` in this file");
      names[alias.name] = FileName{std::nullopt, t};
    }
  }
  return Error::success();
}

void PackageResolver::localDeps(const ast::UsePath &path,
                                std::vector<TopoDep> &deps, bool wantWorld) {
  if (path.package)
    return;
  const StringMap<FileName> &names = fileScopes[file];
  auto it = names.find(path.name.name);
  if (it == names.end()) {
    deps.push_back({~size_t(0), path.name.span, path.name.name});
    return;
  }
  // A reference to the wrong kind of item is reported when it is resolved.
  if (it->second.local &&
      items.begin()[*it->second.local].second.isWorld == wantWorld)
    deps.push_back({*it->second.local, path.name.span, path.name.name});
}

void PackageResolver::interfaceDeps(const std::vector<ast::InterfaceItem> &its,
                                    std::vector<TopoDep> &deps) {
  for (const ast::InterfaceItem &i : its)
    if (i.kind == ast::InterfaceItem::Kind::Use)
      localDeps(i.use.from, deps);
}

Expected<std::vector<size_t>> PackageResolver::itemOrder() {
  std::vector<std::vector<TopoDep>> deps(items.size());
  for (auto [i, kv] : enumerate(items)) {
    const PkgItem &p = kv.second;
    file = p.file;
    if (!p.isWorld) {
      interfaceDeps(p.iface->items, deps[i]);
      continue;
    }
    for (const ast::WorldItem &w : p.world->items) {
      switch (w.kind) {
      case ast::WorldItem::Kind::Use:
        localDeps(w.use.from, deps[i]);
        break;
      case ast::WorldItem::Kind::Include:
        localDeps(w.include.from, deps[i], true);
        break;
      case ast::WorldItem::Kind::Import:
      case ast::WorldItem::Kind::Export:
        if (w.ext.kind == ast::Extern::Kind::Interface)
          interfaceDeps(w.ext.items, deps[i]);
        else if (w.ext.kind != ast::Extern::Kind::Func)
          localDeps(w.ext.path, deps[i]);
        break;
      default:
        break;
      }
    }
  }
  return topoSort(
      "interface or world", deps,
      [&](size_t i) { return items.begin()[i].first; },
      [&](size_t i) { return items.begin()[i].second.span; });
}

Expected<Target> PackageResolver::resolvePath(const ast::UsePath &path,
                                              bool wantWorld) {
  if (!path.package) {
    const StringMap<FileName> &names = fileScopes[file];
    auto it = names.find(path.name.name);
    if (it == names.end())
      return spanError(path.name.span, errorPrefixNotFound("interface or world",
                                                           path.name.name));
    Target t;
    if (!it->second.local) {
      t.interfaceId = it->second.foreign;
      return t;
    }
    const PkgItem &p = items.begin()[*it->second.local].second;
    t.isWorld = p.isWorld;
    t.excluded = p.excluded;
    t.interfaceId = p.interfaceId;
    t.worldId = p.worldId;
    return t;
  }
  PackageName want = path.package->toName();
  std::optional<PackageId> found;
  for (auto [i, p] : enumerate(r.packages))
    if (p.name == want)
      found = PackageId{uint32_t(i)};
  if (!found) {
    std::vector<std::string> known;
    for (const Package &p : r.packages)
      known.push_back(p.name.toString());
    llvm::sort(known);
    std::string msg =
        "package '" + want.toString() + "' not found. known packages:";
    for (const std::string &k : known)
      msg += "\n    " + k;
    return spanError(path.package->span, msg);
  }
  const Package &p = r.get(*found);
  Target t;
  if (wantWorld) {
    auto it = p.worlds.find(path.name.name);
    if (it == p.worlds.end())
      return spanError(path.name.span, "world '" + path.name.name +
                                           "' not found in package '" +
                                           want.toString() + "'");
    t.isWorld = true;
    t.worldId = it->second;
    return t;
  }
  auto it = p.interfaces.find(path.name.name);
  if (it == p.interfaces.end())
    return spanError(path.name.span, "interface '" + path.name.name +
                                         "' not found in package '" +
                                         want.toString() + "'");
  t.interfaceId = it->second;
  return t;
}

Expected<InterfaceId> PackageResolver::interfacePath(const ast::UsePath &path) {
  WIT_TRY(t, resolvePath(path, false));
  if (t.isWorld)
    return spanError(path.name.span, "name `" + path.name.name +
                                         "` is defined as a world, not an "
                                         "interface");
  if (t.excluded)
    return spanError(path.name.span,
                     "found a reference to a interface which is excluded due "
                     "to its feature not being activated");
  return t.interfaceId;
}

Expected<WorldId> PackageResolver::worldPath(const ast::UsePath &path) {
  WIT_TRY(t, resolvePath(path, true));
  if (!t.isWorld)
    return spanError(path.name.span, "name `" + path.name.name +
                                         "` is defined as an interface, not "
                                         "a world");
  if (t.excluded)
    return spanError(path.name.span,
                     "found a reference to a world which is excluded due to "
                     "its feature not being activated");
  return t.worldId;
}

Error PackageResolver::defineName(const ast::Id &name, ScopeEntry e) {
  if (scope.count(name.name))
    return spanError(name.span,
                     "name `" + name.name + "` is defined more than once");
  scope.insert({name.name, e});
  return Error::success();
}

Error PackageResolver::resolveUse(TypeOwner owner, const ast::Use &u) {
  WIT_TRY(t, resolvePath(u.from, false));
  if (t.isWorld)
    return spanError(u.from.name.span, "name `" + u.from.name.name +
                                           "` is defined as a world, not an "
                                           "interface");
  WIT_TRY(st, stability(u.attributes));
  bool gated = gatedOff(u.attributes);
  for (const ast::UseName &n : u.names) {
    const ast::Id &local = n.as ? *n.as : n.name;
    if (gated) {
      WIT_CHECK(defineName(local, {ScopeEntry::Kind::ExcludedType, {}}));
      continue;
    }
    if (t.excluded) {
      // Everything in a gated-off interface is gone; using it is only an
      // error where something live refers to it.
      WIT_CHECK(defineName(local, {ScopeEntry::Kind::InterfaceGated, {}}));
      continue;
    }
    bool foreign = !interfaceScopes.count(t.interfaceId.index);
    Scope &from = interfaceScopes[t.interfaceId.index];
    if (foreign) {
      // An interface of another package: its scope is what it exports.
      const Interface &iface = r.get(t.interfaceId);
      for (const auto &[name, id] : iface.types)
        from.insert({name, {ScopeEntry::Kind::Type, id}});
    }
    auto it = from.find(n.name.name);
    if (it == from.end())
      return spanError(n.name.span,
                       foreign ? "type `" + n.name.name +
                                     "` not defined in interface"
                               : errorPrefixNotFound("name", n.name.name));
    if (it->second.kind == ScopeEntry::Kind::Function)
      return spanError(n.name.span,
                       "cannot import function `" + n.name.name + "`");
    if (it->second.kind != ScopeEntry::Kind::Type || gated) {
      WIT_CHECK(defineName(local, {ScopeEntry::Kind::ExcludedType, {}}));
      continue;
    }
    TypeDef def;
    def.name = local.name;
    def.kind = TypeDefKind::Alias;
    def.owner = owner;
    def.element = Type::of(it->second.type);
    def.stability = st;
    WIT_CHECK(defineName(local, {ScopeEntry::Kind::Type, r.addType(def)}));
  }
  return Error::success();
}

Error PackageResolver::resolveInterface(
    InterfaceId id, const std::vector<ast::InterfaceItem> &its) {
  scope.clear();
  std::vector<const ast::Use *> uses;
  std::vector<const ast::TypeDef *> defs;
  for (const ast::InterfaceItem &i : its) {
    if (i.kind == ast::InterfaceItem::Kind::Use)
      uses.push_back(&i.use);
    else if (i.kind == ast::InterfaceItem::Kind::TypeDef)
      defs.push_back(&i.typeDef);
  }
  WIT_CHECK(resolveTypes(TypeOwner::interface(id), uses, defs));
  for (const auto &[name, e] : scope)
    if (e.kind == ScopeEntry::Kind::Type)
      r.get(id).types.insert({name, e.type});
  std::vector<std::pair<Function, Span>> funcs;
  for (const ast::InterfaceItem &i : its) {
    if (i.kind == ast::InterfaceItem::Kind::Func) {
      const ast::NamedFunc &f = i.func;
      bool gated = gatedOff(f.attributes);
      WIT_CHECK(defineName(f.name, {gated ? ScopeEntry::Kind::ExcludedType
                                          : ScopeEntry::Kind::Function,
                                    {}}));
      if (gated)
        continue;
      WIT_CHECK(checkSince(f.attributes, f.name.span));
      WIT_TRY(fn,
              resolveFunction(f.docs, f.attributes, f.name, f.func, f.name.name,
                              FunctionKind::Freestanding, TypeId{}));
      funcs.push_back({std::move(fn), f.name.span});
    } else if (i.kind == ast::InterfaceItem::Kind::TypeDef &&
               i.typeDef.type->kind == ast::Type::Kind::Resource) {
      WIT_CHECK(resourceFuncs(i.typeDef, funcs));
    }
  }
  for (auto &[fn, span] : funcs) {
    std::string name = fn.name;
    r.get(id).functions.insert({name, std::move(fn)});
  }
  interfaceScopes[id.index] = std::move(scope);
  scope.clear();
  return Error::success();
}

/// wit-parser rejects a type without a gate of its own in an interface
/// that is gated off: when the interface comes back, the type would come
/// back ungated.
Error PackageResolver::checkGatedInterface(const ast::Interface &iface) {
  for (const ast::InterfaceItem &i : iface.items) {
    if (i.kind != ast::InterfaceItem::Kind::TypeDef)
      continue;
    bool gated = any_of(i.typeDef.attributes, [](const ast::Attribute &a) {
      return a.kind == ast::Attribute::Kind::Unstable ||
             a.kind == ast::Attribute::Kind::Since;
    });
    if (!gated)
      return spanError(i.typeDef.name.span,
                       "found a reference to a interface which is excluded "
                       "due to its feature not being activated; this type is "
                       "not gated by a feature but its interface is");
  }
  return Error::success();
}

Expected<PackageId> PackageResolver::run() {
  pid = r.package(pkg.name.toName());
  r.get(pid).docs = docsText(pkg.name.docs);
  WIT_CHECK(collectItems());
  // Create every item up front, so that references between them resolve
  // whatever order they are filled in.
  for (auto &[name, p] : items) {
    if (p.excluded)
      continue;
    if (p.isWorld) {
      World w;
      w.name = name;
      w.package = pid;
      w.docs = docsText(p.world->docs);
      WIT_TRY(st, stability(p.world->attributes));
      w.stability = st;
      p.worldId = r.addWorld(std::move(w));
    } else {
      Interface i;
      i.name = name;
      i.package = pid;
      i.docs = docsText(p.iface->docs);
      WIT_TRY(st, stability(p.iface->attributes));
      i.stability = st;
      p.interfaceId = r.addInterface(std::move(i));
    }
  }
  WIT_TRY(order, itemOrder());
  // The package lists its items in dependency order, as wit-parser does.
  for (size_t i : order) {
    const auto &[name, p] = items.begin()[i];
    if (p.excluded)
      continue;
    if (p.isWorld)
      r.get(pid).worlds.insert({name, p.worldId});
    else
      r.get(pid).interfaces.insert({name, p.interfaceId});
  }
  for (size_t i : order) {
    PkgItem &p = items.begin()[i].second;
    if (p.excluded) {
      if (!p.isWorld)
        WIT_CHECK(checkGatedInterface(*p.iface));
      continue;
    }
    file = p.file;
    const ast::Attributes &attrs =
        p.isWorld ? p.world->attributes : p.iface->attributes;
    WIT_CHECK(checkSince(attrs, p.span));
    if (p.isWorld) {
      WIT_CHECK(resolveWorld(p.worldId, *p.world));
      WIT_CHECK(elaborateWorld(r, p.worldId, p.span));
    } else {
      WIT_CHECK(resolveInterface(p.interfaceId, p.iface->items));
    }
  }
  return pid;
}

Expected<PackageId> wit::resolvePackage(Resolve &resolve,
                                        const UnresolvedPackage &pkg,
                                        const Features &features) {
  return PackageResolver(resolve, pkg, features).run();
}
