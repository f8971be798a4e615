//===- Decode.cpp - component-type sections to a Resolve ------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Walks the component type of a world the way wit-parser's decoder walks
/// its validated types: declarations in order, each index space tracked per
/// scope (the world's component type, then each instance type inside it),
/// outer aliases resolved against the enclosing scope and export aliases
/// against the instances imported so far. Interfaces take their type and
/// function order from their instance type's exports.
///
/// An interface decoded a second time (the same id in another section or
/// library) is unified with the first: its named types map onto the
/// existing ones, anything new is added, and a function present in both
/// must have the same signature.
///
//===----------------------------------------------------------------------===//

#include "wcl/WIT/Decode.h"
#include "TypeDecoder.h"
#include "wcl/Component/ComponentReader.h"
#include "wcl/Support/Error.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::wit;
namespace c = wcl::component;
using wasm::TypeCode;
using namespace wcl::wit::detail;

namespace {

/// Splits `ns:pkg/iface@ver` (or `ns:pkg/world`).
struct QualifiedName {
  PackageName package;
  std::string item;
};

std::optional<QualifiedName> parseQualified(StringRef name) {
  auto [ns, rest] = name.split(':');
  if (rest.empty() || ns.empty())
    return std::nullopt;
  auto [pkg, item] = rest.split('/');
  if (item.empty() || pkg.empty())
    return std::nullopt;
  QualifiedName q;
  q.package.ns = ns.str();
  q.package.name = pkg.str();
  auto [itemName, version] = item.split('@');
  q.item = itemName.str();
  if (!version.empty())
    q.package.version = version.str();
  return q;
}

Prim primOf(TypeCode code, bool &ok) {
  ok = true;
  switch (code) {
  case TypeCode::Bool:
    return Prim::Bool;
  case TypeCode::S8:
    return Prim::S8;
  case TypeCode::U8:
    return Prim::U8;
  case TypeCode::S16:
    return Prim::S16;
  case TypeCode::U16:
    return Prim::U16;
  case TypeCode::S32:
    return Prim::S32;
  case TypeCode::U32:
    return Prim::U32;
  case TypeCode::S64:
    return Prim::S64;
  case TypeCode::U64:
    return Prim::U64;
  case TypeCode::F32:
    return Prim::F32;
  case TypeCode::F64:
    return Prim::F64;
  case TypeCode::Char:
    return Prim::Char;
  case TypeCode::String:
    return Prim::String;
  case TypeCode::ErrorContext:
    return Prim::ErrorContext;
  default:
    ok = false;
    return Prim::Bool;
  }
}

} // namespace

Expected<Type> Decoder::valType(const c::ValType &t, const Scope &scope) {
  if (!t.isIndex) {
    bool ok;
    Prim p = primOf(t.primitive, ok);
    if (!ok)
      return createError("unknown primitive type code 0x" +
                         utohexstr(uint8_t(t.primitive)));
    return Type::primitive(p);
  }
  const TypeEntry *e = scope.type(t.index);
  if (!e || e->kind != TypeEntry::Kind::Value)
    return createError("type index " + Twine(t.index) + " is not a value type");
  return e->value;
}

Expected<TypeEntry> Decoder::defineType(const c::TypeDef &def,
                                        const Scope &scope) {
  TypeEntry entry;
  switch (def.kind) {
  case c::TypeDef::Kind::Func:
    entry.kind = TypeEntry::Kind::Func;
    entry.def = &def;
    return entry;
  case c::TypeDef::Kind::Instance:
    entry.kind = TypeEntry::Kind::Instance;
    entry.def = &def;
    return entry;
  case c::TypeDef::Kind::Component:
    entry.kind = TypeEntry::Kind::Component;
    entry.def = &def;
    return entry;
  case c::TypeDef::Kind::Resource:
    return createError("a resource type definition cannot appear in a "
                       "world's type");
  case c::TypeDef::Kind::Defined:
    break;
  }
  const c::DefinedType &d = def.defined;
  entry.kind = TypeEntry::Kind::Value;
  if (d.kind == c::DefinedType::Kind::Primitive) {
    Expected<Type> t = valType(c::ValType::prim(d.primitive), scope);
    if (!t)
      return t.takeError();
    entry.value = *t;
    return entry;
  }
  TypeDef out;
  auto conv = [&](const std::optional<c::ValType> &v,
                  std::optional<Type> &to) -> Error {
    if (!v)
      return Error::success();
    Expected<Type> t = valType(*v, scope);
    if (!t)
      return t.takeError();
    to = *t;
    return Error::success();
  };
  switch (d.kind) {
  case c::DefinedType::Kind::Record:
    out.kind = TypeDefKind::Record;
    for (const c::LabeledValType &f : d.fields) {
      Expected<Type> t = valType(f.type, scope);
      if (!t)
        return t.takeError();
      out.fields.push_back({f.label.str(), *t});
    }
    break;
  case c::DefinedType::Kind::Variant:
    out.kind = TypeDefKind::Variant;
    for (const c::DefinedType::Case &cs : d.cases) {
      Case wc{cs.label.str(), std::nullopt};
      if (Error e = conv(cs.type, wc.type))
        return std::move(e);
      out.cases.push_back(std::move(wc));
    }
    break;
  case c::DefinedType::Kind::List:
  case c::DefinedType::Kind::FixedList:
  case c::DefinedType::Kind::Option:
    out.kind = d.kind == c::DefinedType::Kind::List ? TypeDefKind::List
               : d.kind == c::DefinedType::Kind::FixedList
                   ? TypeDefKind::FixedList
                   : TypeDefKind::Option;
    out.length = d.length;
    if (Error e = conv(d.first, out.element))
      return std::move(e);
    break;
  case c::DefinedType::Kind::Tuple:
    out.kind = TypeDefKind::Tuple;
    for (const c::ValType &v : d.types) {
      Expected<Type> t = valType(v, scope);
      if (!t)
        return t.takeError();
      out.types.push_back(*t);
    }
    break;
  case c::DefinedType::Kind::Flags:
  case c::DefinedType::Kind::Enum:
    out.kind = d.kind == c::DefinedType::Kind::Flags ? TypeDefKind::Flags
                                                     : TypeDefKind::Enum;
    for (StringRef l : d.labels)
      out.names.push_back(l.str());
    break;
  case c::DefinedType::Kind::Result:
    out.kind = TypeDefKind::Result;
    if (Error e = conv(d.first, out.element))
      return std::move(e);
    if (Error e = conv(d.second, out.error))
      return std::move(e);
    break;
  case c::DefinedType::Kind::Own:
  case c::DefinedType::Kind::Borrow: {
    out.kind = d.kind == c::DefinedType::Kind::Own ? TypeDefKind::Own
                                                   : TypeDefKind::Borrow;
    const TypeEntry *r = scope.type(d.resource);
    TypeId res = r && r->kind == TypeEntry::Kind::Value && r->value.isId
                     ? resolve.resourceOf(r->value.id)
                     : TypeId();
    if (!res.valid())
      return createError("handle type refers to type index " +
                         Twine(d.resource) + ", which is not a resource");
    out.resource = r->value.id;
    break;
  }
  case c::DefinedType::Kind::Stream:
  case c::DefinedType::Kind::Future:
    out.kind = d.kind == c::DefinedType::Kind::Stream ? TypeDefKind::Stream
                                                      : TypeDefKind::Future;
    if (Error e = conv(d.first, out.element))
      return std::move(e);
    break;
  case c::DefinedType::Kind::Map:
    out.kind = TypeDefKind::Map;
    for (const std::optional<c::ValType> &v : {d.first, d.second}) {
      if (!v)
        return createError("map type without a key or value");
      Expected<Type> t = valType(*v, scope);
      if (!t)
        return t.takeError();
      out.types.push_back(*t);
    }
    break;
  case c::DefinedType::Kind::Primitive:
    break;
  }
  TypeId id = resolve.addType(std::move(out));
  anonymous[id.index] = true;
  entry.value = Type::of(id);
  return entry;
}

TypeId Decoder::nameType(Type value, StringRef name, TypeOwner owner) {
  if (value.isId && anonymous.lookup(value.id.index)) {
    anonymous.erase(value.id.index);
    TypeDef &def = resolve.get(value.id);
    def.name = name.str();
    def.owner = owner;
    return value.id;
  }
  TypeDef alias;
  alias.name = name.str();
  alias.kind = TypeDefKind::Alias;
  alias.owner = owner;
  alias.element = value;
  return resolve.addType(std::move(alias));
}

Expected<TypeId> Decoder::declareNamedType(const c::Decl &d, const Scope &scope,
                                           TypeOwner owner) {
  StringRef item = d.name.name;
  if (d.desc.bound == c::ExternDesc::Bound::SubResource) {
    TypeDef r;
    r.name = item.str();
    r.kind = TypeDefKind::Resource;
    r.owner = owner;
    return resolve.addType(std::move(r));
  }
  const TypeEntry *e = scope.type(d.desc.index);
  if (!e || e->kind != TypeEntry::Kind::Value)
    return createError("type `" + item + "` does not name a value type");
  return nameType(e->value, item, owner);
}

Expected<bool> Decoder::declareCommon(const c::Decl &d, Scope &scope,
                                      TypeOwner owner) {
  switch (d.kind) {
  case c::Decl::Kind::CoreType:
    return true; // core types carry nothing WIT needs
  case c::Decl::Kind::Type: {
    if (!d.type)
      return createError("missing type definition");
    Expected<TypeEntry> e = defineType(*d.type, scope);
    if (!e)
      return e.takeError();
    scope.setType(d.index, *e);
    return true;
  }
  case c::Decl::Kind::Alias: {
    const c::Alias &a = d.alias;
    if (a.sort.sort != wasm::Sort::Type)
      return true;
    if (a.target == wasm::AliasTarget::Outer) {
      const Scope *s = &scope;
      for (uint32_t i = 0; i < a.count && s; ++i)
        s = s->parent;
      const TypeEntry *e = s ? s->type(a.outerIndex) : nullptr;
      if (!e)
        return createError("outer alias of type " + Twine(a.outerIndex) + " " +
                           Twine(a.count) + " scopes out names no type");
      scope.setType(d.index, *e);
      return true;
    }
    if (a.target == wasm::AliasTarget::Export) {
      if (a.instance >= scope.instances.size())
        return createError("alias of export `" + a.name +
                           "` of unknown instance " + Twine(a.instance));
      auto it = scope.instances[a.instance].typeExports.find(a.name);
      if (it == scope.instances[a.instance].typeExports.end())
        return createError("instance " + Twine(a.instance) +
                           " exports no type `" + a.name + "`");
      TypeEntry e;
      e.kind = TypeEntry::Kind::Value;
      e.value = it->second;
      scope.setType(d.index, e);
      return true;
    }
    return createError("unexpected alias in a world's type");
  }
  default:
    (void)owner;
    return false;
  }
}

Expected<Function> Decoder::function(StringRef name, const c::TypeDef *type,
                                     const Scope &scope,
                                     const NameMap<TypeId> *types) {
  if (!type || type->kind != c::TypeDef::Kind::Func)
    return createError("function `" + name +
                       "` does not have a function "
                       "type");
  Function f;
  f.name = name.str();
  f.isAsync = type->func.isAsync;
  StringRef rest = name;
  if (rest.consume_front("[async]"))
    f.isAsync = true;
  StringRef resourceName;
  if (rest.consume_front("[constructor]")) {
    f.kind = FunctionKind::Constructor;
    resourceName = rest;
  } else if (rest.consume_front("[method]") ||
             rest.consume_front("[async method]")) {
    f.kind = FunctionKind::Method;
    f.isAsync |= name.starts_with("[async method]");
    resourceName = rest.split('.').first;
  } else if (rest.consume_front("[static]") ||
             rest.consume_front("[async static]")) {
    f.kind = FunctionKind::Static;
    f.isAsync |= name.starts_with("[async static]");
    resourceName = rest.split('.').first;
  }
  if (f.kind != FunctionKind::Freestanding) {
    auto it = types ? types->find(resourceName.str()) : nullptr;
    if (!types || it == types->end())
      return createError("function `" + name + "` belongs to resource `" +
                         resourceName + "`, which is not defined before it");
    f.resource = it->second;
  }
  for (const c::LabeledValType &p : type->func.params) {
    Expected<Type> t = valType(p.type, scope);
    if (!t)
      return addContext(t.takeError(), "function `" + name + "`");
    f.params.push_back({p.label.str(), *t});
  }
  if (type->func.result) {
    Expected<Type> t = valType(*type->func.result, scope);
    if (!t)
      return addContext(t.takeError(), "function `" + name + "`");
    f.result = *t;
  }
  return f;
}

Expected<InterfaceId>
Decoder::decodeInterface(StringRef name, const c::TypeDef &instance,
                         Scope &outer, std::optional<PackageId> worldPkg) {
  Interface iface;
  std::optional<QualifiedName> q = parseQualified(name);
  if (q) {
    iface.name = q->item;
    iface.package = resolve.package(q->package);
  } else if (registerInPackages)
    iface.package = worldPkg;
  uint32_t firstType = resolve.types.size();
  InterfaceId id = resolve.addInterface(std::move(iface));
  TypeOwner owner = TypeOwner::interface(id);
  Scope scope;
  scope.parent = &outer;
  for (const c::Decl &d : instance.decls) {
    Expected<bool> common = declareCommon(d, scope, owner);
    if (!common)
      return common.takeError();
    if (*common)
      continue;
    if (d.kind != c::Decl::Kind::Export)
      return createError("unexpected import in an instance type");
    StringRef item = d.name.name;
    if (d.desc.kind == wasm::ExternKind::Type) {
      Expected<TypeId> t = declareNamedType(d, scope, owner);
      if (!t)
        return t.takeError();
      resolve.get(id).types.insert({item.str(), *t});
      TypeEntry e;
      e.kind = TypeEntry::Kind::Value;
      e.value = Type::of(*t);
      scope.setType(d.index, e);
      continue;
    }
    if (d.desc.kind == wasm::ExternKind::Func) {
      const TypeEntry *e = scope.type(d.desc.index);
      Expected<Function> f = function(
          item, e && e->kind == TypeEntry::Kind::Func ? e->def : nullptr, scope,
          &resolve.get(id).types);
      if (!f)
        return f.takeError();
      resolve.get(id).functions.insert({item.str(), std::move(*f)});
      continue;
    }
    return createError("interface export `" + item +
                       "` is neither a type nor a function");
  }
  if (!q)
    return id;
  // The same interface decoded before (from another section or library, or
  // another item of the package): keep one.
  std::optional<InterfaceId> earlier;
  Package &pkg = resolve.get(*resolve.get(id).package);
  auto known = pkg.interfaces.find(q->item);
  if (known != pkg.interfaces.end())
    earlier = known->second;
  for (uint32_t i = 0; !earlier && i < id.index; ++i)
    if (resolve.idOf({i}) == resolve.idOf(id))
      earlier = InterfaceId{i};
  if (earlier) {
    if (Error e = unify(*earlier, id, firstType))
      return std::move(e);
    return *earlier;
  }
  if (registerInPackages)
    pkg.interfaces.insert({q->item, id});
  return id;
}

/// Structural equality of two types after unification replaced ids.
static bool sameType(const Resolve &r, Type a, Type b, unsigned depth = 0) {
  if (a == b)
    return true;
  if (a.isId != b.isId || !a.isId || depth > 64)
    return false;
  const TypeDef &x = r.get(a.id), &y = r.get(b.id);
  if (x.kind != y.kind || x.name != y.name)
    return false;
  if (x.name && !(x.owner == y.owner))
    return false;
  auto opt = [&](const std::optional<Type> &p, const std::optional<Type> &q) {
    return p.has_value() == q.has_value() &&
           (!p || sameType(r, *p, *q, depth + 1));
  };
  switch (x.kind) {
  case TypeDefKind::Record:
    if (x.fields.size() != y.fields.size())
      return false;
    for (size_t i = 0; i < x.fields.size(); ++i)
      if (x.fields[i].name != y.fields[i].name ||
          !sameType(r, x.fields[i].type, y.fields[i].type, depth + 1))
        return false;
    return true;
  case TypeDefKind::Variant:
    if (x.cases.size() != y.cases.size())
      return false;
    for (size_t i = 0; i < x.cases.size(); ++i)
      if (x.cases[i].name != y.cases[i].name ||
          !opt(x.cases[i].type, y.cases[i].type))
        return false;
    return true;
  case TypeDefKind::Tuple:
  case TypeDefKind::Map:
    if (x.types.size() != y.types.size())
      return false;
    for (size_t i = 0; i < x.types.size(); ++i)
      if (!sameType(r, x.types[i], y.types[i], depth + 1))
        return false;
    return true;
  case TypeDefKind::Flags:
  case TypeDefKind::Enum:
    return x.names == y.names;
  case TypeDefKind::Own:
  case TypeDefKind::Borrow:
    return r.resourceOf(x.resource) == r.resourceOf(y.resource);
  case TypeDefKind::Resource:
    return false; // distinct resources are distinct types
  default:
    return x.length == y.length && opt(x.element, y.element) &&
           opt(x.error, y.error);
  }
}

Error Decoder::unify(InterfaceId existingId, InterfaceId freshId,
                     uint32_t firstType) {
  Interface fresh = std::move(resolve.get(freshId));
  resolve.get(freshId) = Interface();
  // Map named types onto the existing ones; new names join the interface.
  for (auto &[name, t] : fresh.types) {
    auto it = resolve.get(existingId).types.find(name);
    if (it != resolve.get(existingId).types.end()) {
      replaced[t.index] = it->second.index;
    } else {
      resolve.get(t).owner = TypeOwner::interface(existingId);
      resolve.get(existingId).types.insert({name, t});
    }
  }
  auto remap = [&](Type &t) {
    if (t.isId) {
      auto it = replaced.find(t.id.index);
      if (it != replaced.end())
        t.id.index = it->second;
    }
  };
  for (uint32_t i = firstType; i < resolve.types.size(); ++i) {
    TypeDef &d = resolve.types[i];
    forEachType(d, remap);
    if (d.resource.valid()) {
      Type r = Type::of(d.resource);
      remap(r);
      d.resource = r.id;
    }
  }
  for (auto &[name, f] : fresh.functions) {
    for (auto &p : f.params)
      remap(p.second);
    if (f.result)
      remap(*f.result);
    if (f.resource.valid()) {
      Type r = Type::of(f.resource);
      remap(r);
      f.resource = r.id;
    }
    Interface &existing = resolve.get(existingId);
    auto it = existing.functions.find(name);
    if (it == existing.functions.end()) {
      existing.functions.insert({name, std::move(f)});
      continue;
    }
    const Function &g = it->second;
    bool same = g.params.size() == f.params.size() &&
                g.result.has_value() == f.result.has_value() &&
                (!g.result || sameType(resolve, *g.result, *f.result));
    for (size_t i = 0; same && i < g.params.size(); ++i)
      same = g.params[i].first == f.params[i].first &&
             sameType(resolve, g.params[i].second, f.params[i].second);
    if (!same)
      return createError("function `" + name +
                         "` has other types here than in an earlier "
                         "declaration of this interface (by another library "
                         "or section); both must use the same WIT");
  }
  return Error::success();
}

Expected<InterfaceId> Decoder::instanceDecl(const c::Decl &d, Scope &scope,
                                            std::optional<PackageId> pkg) {
  StringRef item = d.name.name;
  const TypeEntry *e = scope.type(d.desc.index);
  if (!e || e->kind != TypeEntry::Kind::Instance)
    return createError("`" + item + "` is not of an instance type");
  Expected<InterfaceId> iface = decodeInterface(item, *e->def, scope, pkg);
  if (!iface)
    return addContext(iface.takeError(), "interface `" + item + "`");
  if (d.name.implements)
    resolve.get(*iface).implements = d.name.implements->str();
  Scope::InstanceEntry inst;
  inst.interface = *iface;
  for (auto &[tn, t] : resolve.get(*iface).types)
    inst.typeExports[tn] = Type::of(t);
  scope.instances.resize(std::max<size_t>(scope.instances.size(), d.index + 1));
  scope.instances[d.index] = std::move(inst);
  return *iface;
}

Expected<WorldId> Decoder::decodeWorld(StringRef name,
                                       const c::TypeDef &worldType) {
  World world;
  std::optional<QualifiedName> q = parseQualified(name);
  if (q) {
    world.name = q->item;
    world.package = resolve.package(q->package);
  } else {
    world.name = name.str();
  }
  WorldId id = resolve.addWorld(std::move(world));
  TypeOwner owner = TypeOwner::world(id);
  Scope scope;
  // World-level types in declaration order, for methods of world-level
  // resources.
  NameMap<TypeId> worldTypes;
  for (const c::Decl &d : worldType.decls) {
    Expected<bool> common = declareCommon(d, scope, owner);
    if (!common)
      return common.takeError();
    if (*common)
      continue;
    bool isImport = d.kind == c::Decl::Kind::Import;
    if (!isImport && d.kind != c::Decl::Kind::Export)
      return createError("unexpected declaration in a world's type");
    StringRef item = d.name.name;
    std::pair<WorldKey, WorldItem> entry;
    entry.first.name = item.str();
    const TypeEntry *e = scope.type(d.desc.index);
    switch (d.desc.kind) {
    case wasm::ExternKind::Instance: {
      Expected<InterfaceId> iface =
          instanceDecl(d, scope, resolve.get(id).package);
      if (!iface)
        return iface.takeError();
      if (resolve.get(*iface).name && !resolve.get(*iface).implements)
        entry.first.interface = *iface;
      entry.second.kind = WorldItem::Kind::Interface;
      entry.second.interface = *iface;
      break;
    }
    case wasm::ExternKind::Func: {
      Expected<Function> f = function(
          item, e && e->kind == TypeEntry::Kind::Func ? e->def : nullptr, scope,
          &worldTypes);
      if (!f)
        return f.takeError();
      entry.second.kind = WorldItem::Kind::Function;
      entry.second.function = std::move(*f);
      break;
    }
    case wasm::ExternKind::Type: {
      if (!isImport)
        return createError("world export `" + item +
                           "` is a type; a world exports only interfaces "
                           "and functions");
      Expected<TypeId> t = declareNamedType(d, scope, owner);
      if (!t)
        return t.takeError();
      worldTypes.insert({item.str(), *t});
      TypeEntry te;
      te.kind = TypeEntry::Kind::Value;
      te.value = Type::of(*t);
      scope.setType(d.index, te);
      entry.second.kind = WorldItem::Kind::Type;
      entry.second.type = *t;
      break;
    }
    default:
      return createError("`" + item +
                         "` is neither an interface, a function nor a type");
    }
    World &w = resolve.get(id);
    (isImport ? w.imports : w.exports).push_back(std::move(entry));
  }
  if (registerInPackages && q)
    resolve.get(*resolve.get(id).package).worlds.insert({q->item, id});
  return id;
}

Expected<InterfaceId> Decoder::decodeInterfaceType(const c::TypeDef &type) {
  Scope scope;
  std::optional<InterfaceId> self;
  for (const c::Decl &d : type.decls) {
    Expected<bool> common = declareCommon(d, scope, TypeOwner::none());
    if (!common)
      return common.takeError();
    if (*common)
      continue;
    if ((d.kind != c::Decl::Kind::Import && d.kind != c::Decl::Kind::Export) ||
        d.desc.kind != wasm::ExternKind::Instance)
      return createError("an interface's type imports and exports only "
                         "instances");
    if (!parseQualified(d.name.name))
      return createError("`" + d.name.name + "` is not an interface id");
    if (d.kind == c::Decl::Kind::Export && self)
      return createError("an interface's type exports more than one instance");
    Expected<InterfaceId> iface = instanceDecl(d, scope, std::nullopt);
    if (!iface)
      return iface.takeError();
    if (d.kind == c::Decl::Kind::Export)
      self = *iface;
  }
  if (!self)
    return createError("an interface's type exports no instance");
  return *self;
}

Expected<WorldId> Decoder::decodePackage(const c::TypeDef &package) {
  if (package.kind != c::TypeDef::Kind::Component)
    return createError("expected a component type");
  for (const c::Decl &d : package.decls) {
    if (d.kind != c::Decl::Kind::Export ||
        d.desc.kind != wasm::ExternKind::Component)
      continue;
    for (const c::Decl &t : package.decls)
      if (t.kind == c::Decl::Kind::Type && t.index == d.desc.index && t.type &&
          t.type->kind == c::TypeDef::Kind::Component)
        return decodeWorld(d.name.name, *t.type);
  }
  return createError("the component type exports no world");
}

Expected<WorldMetadata>
wit::decodeWorld(Resolve &resolve, ArrayRef<uint8_t> payload, uint64_t base) {
  if (!payload.empty() && payload[0] == 0x03)
    return createError("the component-type section uses the historical "
                       "format 3, which is not supported; regenerate the "
                       "bindings with a newer wit-bindgen");
  Expected<std::unique_ptr<c::Component>> comp =
      c::readComponent(payload, base);
  if (!comp)
    return comp.takeError();
  WorldMetadata meta;
  if (const c::CustomSection *enc =
          (*comp)->findCustom("wit-component-encoding")) {
    if (enc->payload.size() != 2 || enc->payload[0] != 0x04)
      return createError("custom section `wit-component-encoding` uses "
                         "format " +
                         Twine(enc->payload.empty() ? 0 : enc->payload[0]) +
                         " but only 4 is supported");
    if (enc->payload[1] > 2)
      return createError("invalid string encoding 0x" +
                         utohexstr(enc->payload[1]));
    meta.stringEncoding = enc->payload[1];
  }
  if (const c::CustomSection *p =
          (*comp)->findCustom(wasm::ProducersSectionName)) {
    if (Expected<wasm::ProducersBuilder> producers =
            wasm::ProducersBuilder::parse(p->payload, p->payloadOffset))
      meta.producers = std::move(*producers);
    else
      consumeError(producers.takeError());
  }
  const c::Export *typeExport = nullptr;
  for (const c::Export &exp : (*comp)->exports) {
    if (typeExport)
      return createError("expected one export in component");
    typeExport = &exp;
  }
  if (!typeExport || typeExport->item.sort.sort != wasm::Sort::Type)
    return createError("expected an export of a type");
  const c::IndexEntry *entry =
      (*comp)->lookup(wasm::IndexSpace::Type, typeExport->item.index);
  if (!entry || entry->kind != wasm::ComponentSectionId::Type)
    return createError("expected an exported component type");
  Decoder decoder(resolve);
  Expected<WorldId> world = decoder.decodePackage((*comp)->types[entry->item]);
  if (!world)
    return world.takeError();
  meta.world = *world;
  return meta;
}

/// Whether version \p a is older than \p b (both of one track).
static bool olderVersion(StringRef a, StringRef b) {
  SmallVector<StringRef, 3> pa, pb;
  a.split(pa, '.');
  b.split(pb, '.');
  for (size_t i = 0; i < std::min(pa.size(), pb.size()); ++i) {
    unsigned x = 0, y = 0;
    pa[i].getAsInteger(10, x);
    pb[i].getAsInteger(10, y);
    if (x != y)
      return x < y;
  }
  return pa.size() < pb.size();
}

std::optional<InterfaceId> wit::semverMatch(const Resolve &resolve,
                                            InterfaceId a, InterfaceId b) {
  const Interface &x = resolve.get(a), &y = resolve.get(b);
  if (!x.name || !y.name || *x.name != *y.name || !x.package || !y.package)
    return std::nullopt;
  const PackageName &p = resolve.get(*x.package).name,
                    &q = resolve.get(*y.package).name;
  if (p.ns != q.ns || p.name != q.name || !p.version || !q.version ||
      *p.version == *q.version ||
      semverTrack(*p.version) != semverTrack(*q.version))
    return std::nullopt;
  return olderVersion(*p.version, *q.version) ? b : a;
}

Error wit::mergeWorlds(Resolve &resolve, WorldId into, WorldId from,
                       bool semver) {
  // Copy: `from` may be `into`'s neighbour in the arena.
  World source = resolve.get(from);
  for (auto &[key, item] : source.imports) {
    World &target = resolve.get(into);
    if (target.findImport(key))
      continue;
    if (semver && key.interface) {
      bool merged = false;
      for (auto &[k, it] : target.imports) {
        if (!k.interface)
          continue;
        std::optional<InterfaceId> newer =
            semverMatch(resolve, *k.interface, *key.interface);
        if (!newer)
          continue;
        k.interface = *newer;
        it.interface = *newer;
        merged = true;
        break;
      }
      if (merged)
        continue;
    }
    target.imports.push_back({key, item});
  }
  for (auto &[key, item] : source.exports) {
    World &target = resolve.get(into);
    if (target.findExport(key))
      return createError("export `" + resolve.nameOf(key) +
                         "` is defined more than once");
    target.exports.push_back({key, item});
  }
  return Error::success();
}
