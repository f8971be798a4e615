//===- TextTypes.cpp - WIT types and functions into a Resolve ---===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Types of an interface or world: `use`d names first, then the definitions
/// in dependency order; anonymous types shared by structure as wit-parser
/// shares them, a resource used as a value an owned handle; functions with
/// their `self` borrows, constructor results and the checks on both.
///
//===----------------------------------------------------------------------===//

#include "PackageResolver.h"
#include "wcl/WIT/Parser.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include <set>

using namespace llvm;
using namespace wcl;
using namespace wcl::wit;

static void collectDeps(const ast::Type &t, std::vector<const ast::Id *> &out) {
  using K = ast::Type::Kind;
  switch (t.kind) {
  case K::Name:
  case K::Own:
  case K::Borrow:
    out.push_back(&t.name);
    return;
  case K::Record:
  case K::Variant:
    for (const ast::Member &m : t.members)
      if (m.type)
        collectDeps(*m.type, out);
    return;
  case K::Tuple:
    for (const ast::TypePtr &x : t.items)
      collectDeps(*x, out);
    return;
  default:
    if (t.a)
      collectDeps(*t.a, out);
    if (t.b)
      collectDeps(*t.b, out);
    return;
  }
}

Error PackageResolver::resolveTypes(
    TypeOwner owner, const std::vector<const ast::Use *> &uses,
    const std::vector<const ast::TypeDef *> &defs) {
  for (const ast::Use *u : uses)
    WIT_CHECK(resolveUse(owner, *u));
  // Nodes: the used names (no dependencies), then the definitions.
  std::vector<std::string> names;
  StringMap<size_t> index;
  for (const auto &kv : scope) {
    index[kv.first] = names.size();
    names.push_back(kv.first);
  }
  size_t firstDef = names.size();
  for (const ast::TypeDef *d : defs) {
    if (index.count(d->name.name))
      return spanError(d->name.span,
                       "name `" + d->name.name + "` is defined more than once");
    index[d->name.name] = names.size();
    names.push_back(d->name.name);
  }
  std::vector<std::vector<TopoDep>> deps(names.size());
  for (auto [i, d] : enumerate(defs)) {
    std::vector<const ast::Id *> refs;
    collectDeps(*d->type, refs);
    for (const ast::Id *ref : refs) {
      auto it = index.find(ref->name);
      deps[firstDef + i].push_back(
          {it == index.end() ? ~size_t(0) : it->second, ref->span, ref->name});
    }
  }
  WIT_TRY(order, topoSort("type", deps, [&](size_t i) { return names[i]; }));
  for (size_t i : order) {
    if (i < firstDef)
      continue;
    const ast::TypeDef &d = *defs[i - firstDef];
    if (gatedOff(d.attributes)) {
      WIT_CHECK(defineName(d.name, {ScopeEntry::Kind::ExcludedType, {}}));
      continue;
    }
    WIT_CHECK(checkSince(d.attributes, d.name.span));
    WIT_TRY(id, resolveTypeDef(d, owner));
    WIT_CHECK(defineName(d.name, {ScopeEntry::Kind::Type, id}));
  }
  return Error::success();
}

Expected<TypeId> PackageResolver::resolveName(const ast::Id &name) {
  auto it = scope.find(name.name);
  if (it == scope.end())
    return spanError(name.span, errorPrefixNotFound("name", name.name));
  switch (it->second.kind) {
  case ScopeEntry::Kind::Function:
    return spanError(name.span,
                     "cannot use function `" + name.name + "` as a type");
  case ScopeEntry::Kind::ExcludedType:
    sawExcluded = true;
    return TypeId{};
  case ScopeEntry::Kind::InterfaceGated:
    sawGatedInterface = true;
    return TypeId{};
  case ScopeEntry::Kind::Type:
    return it->second.type;
  }
  return TypeId{};
}

Expected<TypeId> PackageResolver::resourceName(const ast::Id &name) {
  WIT_TRY(id, resolveName(name));
  if (!id.valid())
    return id;
  for (TypeId cur = id;;) {
    const TypeDef &def = r.get(cur);
    if (def.kind == TypeDefKind::Resource)
      return id;
    if (def.kind == TypeDefKind::Alias && def.element && def.element->isId) {
      cur = def.element->id;
      continue;
    }
    return spanError(name.span, "type `" + name.name +
                                    "` used in a handle must be a resource");
  }
}

/// A key equal for two anonymous definitions wit-parser shares.
static std::string anonKey(const TypeDef &d) {
  auto ty = [](const std::optional<Type> &t) -> std::string {
    if (!t)
      return "_";
    return t->isId ? "#" + std::to_string(t->id.index)
                   : toString(t->prim).str();
  };
  std::string k = std::to_string(int(d.kind)) + "(" + ty(d.element) + "," +
                  ty(d.error) + "," + std::to_string(d.length) + "," +
                  std::to_string(d.resource.index);
  for (Type t : d.types)
    k += "," + ty(t);
  return k + ")";
}

TypeId PackageResolver::anon(TypeDef def) {
  std::string key = anonKey(def);
  auto it = anonTypes.find(key);
  if (it != anonTypes.end())
    return it->second;
  TypeId id = r.addType(std::move(def));
  anonTypes[key] = id;
  return id;
}

Type PackageResolver::own(TypeId resource) {
  TypeDef def;
  def.kind = TypeDefKind::Own;
  def.resource = resource;
  return Type::of(anon(std::move(def)));
}

/// Whether \p id names a resource, directly or through aliases.
static bool isResource(const Resolve &r, TypeId id) {
  for (;;) {
    const TypeDef &d = r.get(id);
    if (d.kind == TypeDefKind::Resource)
      return true;
    if (d.kind != TypeDefKind::Alias || !d.element || !d.element->isId)
      return false;
    id = d.element->id;
  }
}

Expected<Type> PackageResolver::resolveType(const ast::Type &t) {
  using K = ast::Type::Kind;
  TypeDef def;
  auto sub = [&](const ast::TypePtr &p) -> Expected<std::optional<Type>> {
    if (!p)
      return std::nullopt;
    WIT_TRY(x, resolveType(*p));
    return std::optional<Type>(x);
  };
  switch (t.kind) {
  case K::Prim:
    return Type::primitive(t.prim);
  case K::Name: {
    WIT_TRY(id, resolveName(t.name));
    if (!id.valid())
      return Type::primitive(Prim::Bool);
    // A resource used as a value is an owned handle to it.
    if (isResource(r, id))
      return own(id);
    return Type::of(id);
  }
  case K::Own:
  case K::Borrow: {
    WIT_TRY(id, resourceName(t.name));
    if (!id.valid())
      return Type::primitive(Prim::Bool);
    if (t.kind == K::Own)
      return own(id);
    def.kind = TypeDefKind::Borrow;
    def.resource = id;
    return Type::of(anon(std::move(def)));
  }
  case K::List:
  case K::FixedList:
  case K::Option:
  case K::Future:
  case K::Stream: {
    WIT_TRY(e, sub(t.a));
    def.element = e;
    def.kind = t.kind == K::List        ? TypeDefKind::List
               : t.kind == K::FixedList ? TypeDefKind::FixedList
               : t.kind == K::Option    ? TypeDefKind::Option
               : t.kind == K::Future    ? TypeDefKind::Future
                                        : TypeDefKind::Stream;
    def.length = t.size;
    return Type::of(anon(std::move(def)));
  }
  case K::Result: {
    WIT_TRY(ok, sub(t.a));
    WIT_TRY(err, sub(t.b));
    def.kind = TypeDefKind::Result;
    def.element = ok;
    def.error = err;
    return Type::of(anon(std::move(def)));
  }
  case K::Tuple: {
    def.kind = TypeDefKind::Tuple;
    for (const ast::TypePtr &x : t.items) {
      WIT_TRY(e, resolveType(*x));
      def.types.push_back(e);
    }
    return Type::of(anon(std::move(def)));
  }
  case K::Map: {
    WIT_TRY(key, sub(t.a));
    WIT_TRY(value, sub(t.b));
    if (key->isId || key->prim == Prim::F32 || key->prim == Prim::F64 ||
        key->prim == Prim::ErrorContext)
      return spanError(t.span, "invalid map key type: map keys must be bool, "
                               "u8, u16, u32, u64, s8, s16, s32, s64, char, "
                               "or string");
    def.kind = TypeDefKind::Map;
    def.types = {*key, *value};
    return Type::of(anon(std::move(def)));
  }
  default:
    return spanError(t.span, "anonymous record, variant, enum, flags or "
                             "resource types are not allowed here");
  }
}

Expected<TypeId> PackageResolver::resolveTypeDef(const ast::TypeDef &d,
                                                 TypeOwner owner) {
  using K = ast::Type::Kind;
  const ast::Type &t = *d.type;
  TypeDef def;
  def.name = d.name.name;
  def.owner = owner;
  def.docs = docsText(d.docs);
  WIT_TRY(st, stability(d.attributes));
  def.stability = st;
  sawExcluded = sawGatedInterface = false;
  switch (t.kind) {
  case K::Resource: {
    def.kind = TypeDefKind::Resource;
    unsigned ctors = 0;
    StringSet<> names;
    for (const ast::NamedFunc &f : t.funcs) {
      if (f.kind == ast::NamedFunc::Kind::Constructor) {
        if (++ctors > 1)
          return spanError(f.name.span, "duplicate constructors");
      } else if (!names.insert(f.name.name).second) {
        return spanError(f.name.span,
                         "duplicate function name `" + f.name.name + "`");
      }
    }
    break;
  }
  case K::Record:
  case K::Variant:
  case K::Flags:
  case K::Enum: {
    if (t.kind == K::Variant && t.members.empty())
      return spanError(t.span, "empty variant");
    if (t.kind == K::Enum && t.members.empty())
      return spanError(t.span, "empty enum");
    def.kind = t.kind == K::Record    ? TypeDefKind::Record
               : t.kind == K::Variant ? TypeDefKind::Variant
               : t.kind == K::Flags   ? TypeDefKind::Flags
                                      : TypeDefKind::Enum;
    bool anyDocs = false;
    for (const ast::Member &m : t.members) {
      Docs docs = docsText(m.docs);
      anyDocs |= docs.has_value();
      std::optional<Type> ty;
      if (m.type) {
        WIT_TRY(x, resolveType(*m.type));
        ty = x;
        if (sawExcluded)
          return spanError(m.name.span,
                           "found a reference to a type which is excluded "
                           "due to its feature not being activated");
      }
      if (t.kind == K::Record)
        def.fields.push_back({m.name.name, *ty, docs});
      else if (t.kind == K::Variant)
        def.cases.push_back({m.name.name, ty, docs});
      else {
        def.names.push_back(m.name.name);
        def.nameDocs.push_back(docs);
      }
    }
    if (!anyDocs)
      def.nameDocs.clear();
    break;
  }
  case K::Name: {
    WIT_TRY(id, resolveName(t.name));
    def.kind = TypeDefKind::Alias;
    def.element = id.valid() ? Type::of(id) : Type::primitive(Prim::Bool);
    break;
  }
  case K::Prim:
    def.kind = TypeDefKind::Alias;
    def.element = Type::primitive(t.prim);
    break;
  case K::Own: {
    // A named `own<r>` is its own definition, unlike an anonymous one.
    WIT_TRY(id, resourceName(t.name));
    def.kind = TypeDefKind::Own;
    def.resource = id;
    break;
  }
  default: {
    WIT_TRY(x, resolveType(t));
    if (!x.isId) {
      def.kind = TypeDefKind::Alias;
      def.element = x;
      break;
    }
    TypeDef copy = r.get(x.id);
    copy.name = def.name;
    copy.owner = owner;
    copy.docs = def.docs;
    copy.stability = def.stability;
    def = std::move(copy);
    break;
  }
  }
  if (sawGatedInterface)
    return spanError(d.name.span,
                     "found a reference to a interface which is excluded due "
                     "to its feature not being activated; this type is not "
                     "gated by a feature but its interface is");
  if (sawExcluded)
    return spanError(d.name.span,
                     "found a reference to a type which is excluded due to "
                     "its feature not being activated");
  return r.addType(std::move(def));
}

/// Whether values of \p t hold a borrow handle.
static bool containsBorrow(const Resolve &r, Type t, unsigned depth = 0) {
  if (!t.isId || depth > 200)
    return false;
  const TypeDef &d = r.get(t.id);
  auto in = [&](const std::optional<Type> &x) {
    return x && containsBorrow(r, *x, depth + 1);
  };
  switch (d.kind) {
  case TypeDefKind::Borrow:
    return true;
  case TypeDefKind::Record:
    return any_of(d.fields, [&](const Field &f) { return in(f.type); });
  case TypeDefKind::Variant:
    return any_of(d.cases, [&](const Case &c) { return in(c.type); });
  case TypeDefKind::Tuple:
  case TypeDefKind::Map:
    return any_of(d.types, [&](Type x) { return in(x); });
  case TypeDefKind::Future:
  case TypeDefKind::Stream:
  case TypeDefKind::Resource:
  case TypeDefKind::Own:
    return false;
  default:
    return in(d.element) || in(d.error);
  }
}

Expected<Function> PackageResolver::resolveFunction(
    const ast::Docs &docs, const ast::Attributes &attrs, const ast::Id &id,
    const ast::Func &func, const std::string &name, FunctionKind kind,
    TypeId resource) {
  Function fn;
  fn.name = name;
  fn.kind = kind;
  fn.isAsync = func.isAsync;
  fn.resource = resource;
  fn.docs = docsText(docs);
  WIT_TRY(st, stability(attrs));
  fn.stability = st;
  sawExcluded = sawGatedInterface = false;
  if (kind == FunctionKind::Method) {
    TypeDef borrow;
    borrow.kind = TypeDefKind::Borrow;
    borrow.resource = resource;
    fn.params.push_back({"self", Type::of(anon(std::move(borrow)))});
  }
  for (const auto &param : func.params) {
    const ast::Id &pname = param.first;
    const ast::TypePtr &pty = param.second;
    if (any_of(fn.params, [&](const auto &p) { return p.first == pname.name; }))
      return spanError(pname.span,
                       "param `" + pname.name + "` is defined more than once");
    WIT_TRY(t, resolveType(*pty));
    fn.params.push_back({pname.name, t});
  }
  if (kind == FunctionKind::Constructor && !func.result) {
    fn.result = own(resource);
  } else if (func.result) {
    WIT_TRY(t, resolveType(*func.result));
    fn.result = t;
  }
  if (kind == FunctionKind::Constructor && func.result) {
    const TypeDef *res = fn.result->isId ? &r.get(fn.result->id) : nullptr;
    if (!res || res->kind != TypeDefKind::Result)
      return spanError(func.result->span, "if a constructor return type is "
                                          "declared it must be a `result`");
    const std::optional<Type> &ok = res->element;
    bool okIsSelf = ok && ok->isId && r.get(ok->id).kind == TypeDefKind::Own &&
                    r.get(ok->id).resource == resource;
    if (!okIsSelf)
      return spanError(func.result->a ? func.result->a->span
                                      : func.result->span,
                       "the `ok` type must be the resource being "
                       "constructed");
  }
  if (sawExcluded || sawGatedInterface)
    return spanError(id.span,
                     "found a reference to a type which is excluded due to "
                     "its feature not being activated");
  if (fn.result && containsBorrow(r, *fn.result))
    return spanError(id.span, "function `" + name +
                                  "` returns a type which contains a "
                                  "`borrow<T>` which is not supported");
  return std::move(fn);
}

Error PackageResolver::resourceFuncs(
    const ast::TypeDef &def, std::vector<std::pair<Function, Span>> &out) {
  auto it = scope.find(def.name.name);
  if (it == scope.end() || it->second.kind != ScopeEntry::Kind::Type) {
    // The resource is gated off: so must its functions be.
    for (const ast::NamedFunc &f : def.type->funcs)
      if (!gatedOff(f.attributes))
        return spanError(f.name.span,
                         "found a reference to a type which is excluded due "
                         "to its feature not being activated");
    return Error::success();
  }
  TypeId resource = it->second.type;
  for (const ast::NamedFunc &f : def.type->funcs) {
    if (gatedOff(f.attributes))
      continue;
    WIT_CHECK(checkSince(f.attributes, f.name.span));
    std::string name;
    FunctionKind kind;
    switch (f.kind) {
    case ast::NamedFunc::Kind::Method:
      name = "[method]" + def.name.name + "." + f.name.name;
      kind = FunctionKind::Method;
      break;
    case ast::NamedFunc::Kind::Static:
      name = "[static]" + def.name.name + "." + f.name.name;
      kind = FunctionKind::Static;
      break;
    default:
      name = "[constructor]" + def.name.name;
      kind = FunctionKind::Constructor;
      break;
    }
    WIT_TRY(fn, resolveFunction(f.docs, f.attributes, f.name, f.func, name,
                                kind, resource));
    out.push_back({std::move(fn), f.name.span});
  }
  return Error::success();
}
