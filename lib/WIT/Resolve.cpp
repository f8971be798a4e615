//===- Resolve.cpp - The WIT type model -----------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Arena management, names and the type queries the encoder asks.
///
//===----------------------------------------------------------------------===//

#include "wcl/WIT/Resolve.h"
#include "llvm/ADT/STLFunctionalExtras.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::wit;

StringRef wit::toString(Prim p) {
  switch (p) {
  case Prim::Bool:
    return "bool";
  case Prim::S8:
    return "s8";
  case Prim::U8:
    return "u8";
  case Prim::S16:
    return "s16";
  case Prim::U16:
    return "u16";
  case Prim::S32:
    return "s32";
  case Prim::U32:
    return "u32";
  case Prim::S64:
    return "s64";
  case Prim::U64:
    return "u64";
  case Prim::F32:
    return "f32";
  case Prim::F64:
    return "f64";
  case Prim::Char:
    return "char";
  case Prim::String:
    return "string";
  case Prim::ErrorContext:
    return "error-context";
  }
  return "";
}

StringRef Function::itemName() const {
  StringRef n = name;
  while (n.consume_front("[async]"))
    ;
  if (kind == FunctionKind::Freestanding)
    return n;
  n = n.drop_until([](char c) { return c == ']'; }).drop_front();
  if (kind == FunctionKind::Constructor)
    return n;
  return n.drop_until([](char c) { return c == '.'; }).drop_front();
}

static const WorldItem *
findItem(const std::vector<std::pair<WorldKey, WorldItem>> &items,
         const WorldKey &key) {
  for (const auto &[k, item] : items)
    if (k == key)
      return &item;
  return nullptr;
}

const WorldItem *World::findImport(const WorldKey &key) const {
  return findItem(imports, key);
}

const WorldItem *World::findExport(const WorldKey &key) const {
  return findItem(exports, key);
}

std::string PackageName::toString() const {
  std::string s = ns + ":" + name;
  if (version)
    s += "@" + *version;
  return s;
}

TypeId Resolve::addType(TypeDef def) {
  types.push_back(std::move(def));
  return {uint32_t(types.size() - 1)};
}

InterfaceId Resolve::addInterface(Interface iface) {
  interfaces.push_back(std::move(iface));
  return {uint32_t(interfaces.size() - 1)};
}

WorldId Resolve::addWorld(World world) {
  worlds.push_back(std::move(world));
  return {uint32_t(worlds.size() - 1)};
}

PackageId Resolve::package(const PackageName &name) {
  for (uint32_t i = 0; i < packages.size(); ++i)
    if (packages[i].name == name)
      return {i};
  packages.push_back(Package{name, {}, {}});
  return {uint32_t(packages.size() - 1)};
}

/// `ns:pkg/iface` with the package version, as \p version spells it, if
/// there is one; std::nullopt for an inline interface.
static std::optional<std::string>
interfaceId(const Resolve &resolve, InterfaceId id,
            function_ref<std::string(StringRef)> version) {
  const Interface &iface = resolve.get(id);
  if (!iface.name || !iface.package)
    return std::nullopt;
  const PackageName &pkg = resolve.get(*iface.package).name;
  std::string s = pkg.ns + ":" + pkg.name + "/" + *iface.name;
  if (pkg.version)
    s += "@" + version(*pkg.version);
  return s;
}

std::optional<std::string> Resolve::idOf(InterfaceId id) const {
  return interfaceId(*this, id, [](StringRef v) { return v.str(); });
}

std::string wit::semverTrack(StringRef version) {
  SmallVector<StringRef, 3> parts;
  version.split(parts, '.');
  unsigned n;
  if (parts.size() != 3 || version.contains('-') || version.contains('+'))
    return version.str();
  for (StringRef p : parts)
    if (p.getAsInteger(10, n))
      return version.str();
  if (parts[0] != "0")
    return parts[0].str();
  if (parts[1] != "0")
    return "0." + parts[1].str();
  return version.str();
}

std::optional<std::string> Resolve::canonicalizedIdOf(InterfaceId id) const {
  return interfaceId(*this, id, semverTrack);
}

std::string Resolve::nameOf(const WorldKey &key) const {
  if (key.interface)
    if (std::optional<std::string> id = idOf(*key.interface))
      return *id;
  return key.name;
}

Type Resolve::dealias(Type t) const {
  // Alias chains are finite: a decoded alias refers to an earlier type.
  while (t.isId && get(t.id).kind == TypeDefKind::Alias && get(t.id).element)
    t = *get(t.id).element;
  return t;
}

TypeId Resolve::resourceOf(TypeId handle) const {
  Type t = dealias(Type::of(handle));
  if (!t.isId)
    return {};
  const TypeDef &def = get(t.id);
  if (def.kind == TypeDefKind::Own || def.kind == TypeDefKind::Borrow)
    return resourceOf(def.resource);
  if (def.kind == TypeDefKind::Resource)
    return t.id;
  return {};
}

std::optional<InterfaceId> Resolve::typeInterfaceDep(TypeId id) const {
  const TypeDef &d = get(id);
  if (d.kind != TypeDefKind::Alias || !d.element || !d.element->isId)
    return std::nullopt;
  const TypeDef &other = get(d.element->id);
  if (other.owner == d.owner || other.owner.kind != TypeOwner::Kind::Interface)
    return std::nullopt;
  return other.owner.interfaceId();
}

std::vector<InterfaceId> Resolve::directDeps(InterfaceId id) const {
  std::vector<InterfaceId> out;
  for (const auto &[name, t] : get(id).types)
    if (std::optional<InterfaceId> dep = typeInterfaceDep(t))
      out.push_back(*dep);
  return out;
}

/// Whether \p pred holds for \p t or any type it contains. Handles, futures
/// and streams are leaves: their payloads do not live in the value.
template <typename Pred>
static bool anyContained(const Resolve &resolve, Type t, Pred pred) {
  t = resolve.dealias(t);
  if (pred(t))
    return true;
  if (!t.isId)
    return false;
  const TypeDef &def = resolve.get(t.id);
  auto any = [&](std::optional<Type> x) {
    return x && anyContained(resolve, *x, pred);
  };
  switch (def.kind) {
  case TypeDefKind::Record:
    for (const Field &f : def.fields)
      if (anyContained(resolve, f.type, pred))
        return true;
    return false;
  case TypeDefKind::Variant:
    for (const Case &c : def.cases)
      if (any(c.type))
        return true;
    return false;
  case TypeDefKind::Tuple:
  case TypeDefKind::Map:
    for (const Type &e : def.types)
      if (anyContained(resolve, e, pred))
        return true;
    return false;
  case TypeDefKind::Option:
  case TypeDefKind::List:
  case TypeDefKind::FixedList:
    return any(def.element);
  case TypeDefKind::Result:
    return any(def.element) || any(def.error);
  default:
    return false;
  }
}

bool Resolve::hasString(Type t) const {
  return anyContained(*this, t,
                      [](Type x) { return !x.isId && x.prim == Prim::String; });
}

bool Resolve::hasList(Type t) const {
  return anyContained(*this, t, [this](Type x) {
    if (!x.isId)
      return x.prim == Prim::String;
    TypeDefKind k = get(x.id).kind;
    return k == TypeDefKind::List || k == TypeDefKind::Map;
  });
}

void LiveTypes::addType(const Resolve &resolve, Type t) {
  if (t.isId)
    addTypeId(resolve, t.id);
}

void LiveTypes::addTypeId(const Resolve &resolve, TypeId id) {
  if (seen.size() <= id.index)
    seen.resize(resolve.types.size() > id.index ? resolve.types.size()
                                                : id.index + 1);
  if (seen[id.index])
    return;
  const TypeDef &def = resolve.get(id);
  forEachType(def, [&](Type t) { addType(resolve, t); });
  if (def.kind == TypeDefKind::Own || def.kind == TypeDefKind::Borrow)
    addTypeId(resolve, def.resource);
  // Cycles are impossible (a definition refers to earlier ones), but a
  // handle may have been added while visiting; check again.
  if (seen[id.index])
    return;
  seen[id.index] = true;
  order.push_back(id);
}

void LiveTypes::addFunction(const Resolve &resolve, const Function &f) {
  // A resource's constructor, methods and static functions need the
  // resource even when no parameter or result names it.
  if (f.kind != FunctionKind::Freestanding)
    addTypeId(resolve, f.resource);
  for (const auto &p : f.params)
    addType(resolve, p.second);
  if (f.result)
    addType(resolve, *f.result);
}

void LiveTypes::addInterface(const Resolve &resolve, InterfaceId id) {
  const Interface &iface = resolve.get(id);
  for (const auto &entry : iface.types)
    addTypeId(resolve, entry.second);
  for (const auto &entry : iface.functions)
    addFunction(resolve, entry.second);
}
