//===- PackageDecoder.cpp - Binary WIT packages to a Resolve --------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A binary WIT package (wit-component's second encoding, the one
/// encodePackage writes) is a component that only exports component types,
/// each named after an interface or world of the package. Each type has one
/// export, which says what it is: an instance is an interface (the type's
/// imports are the interfaces it uses), a component is a world. Every item
/// names the package; they must agree.
///
/// Interfaces of other packages come in through imports and are kept as
/// the slice the package uses, as wit-parser keeps them; the package's own
/// interfaces are listed in export order. Docs and gates come from the
/// `package-docs` section last.
///
//===----------------------------------------------------------------------===//

#include "PackageMetadata.h"
#include "TypeDecoder.h"
#include "wcl/Support/Error.h"
#include "wcl/WIT/Decode.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::wit;
using namespace wcl::wit::detail;

namespace {
/// One exported item of the package: its name, the qualified name its type
/// exports, and whether it is a world.
struct PackageItem {
  StringRef name;
  StringRef qualified;
  bool isWorld = false;
  const c::TypeDef *type = nullptr;  ///< the component type
  const c::TypeDef *world = nullptr; ///< the world's own component type
};
} // namespace

/// The component type a package export names.
static Expected<PackageItem> packageItem(const c::Component &comp,
                                         const c::Export &exp) {
  PackageItem item;
  item.name = exp.name.name;
  const c::IndexEntry *entry =
      exp.item.sort.sort == wasm::Sort::Type
          ? comp.lookup(wasm::IndexSpace::Type, exp.item.index)
          : nullptr;
  if (!entry || entry->kind != wasm::ComponentSectionId::Type ||
      comp.types[entry->item].kind != c::TypeDef::Kind::Component)
    return createError("export `" + item.name +
                       "` is not a component type, so this component is not "
                       "a WIT package");
  item.type = &comp.types[entry->item];
  const c::Decl *single = nullptr;
  for (const c::Decl &d : item.type->decls) {
    if (d.kind != c::Decl::Kind::Export)
      continue;
    if (single)
      return createError("the type of `" + item.name +
                         "` has more than one export");
    single = &d;
  }
  if (!single)
    return createError("the type of `" + item.name + "` exports nothing");
  item.qualified = single->name.name;
  if (single->desc.kind == wasm::ExternKind::Instance)
    return item;
  if (single->desc.kind != wasm::ExternKind::Component)
    return createError("`" + item.qualified +
                       "` is neither an interface nor a world");
  item.isWorld = true;
  for (const c::Decl &d : item.type->decls)
    if (d.kind == c::Decl::Kind::Type && d.index == single->desc.index &&
        d.type && d.type->kind == c::TypeDef::Kind::Component)
      item.world = d.type.get();
  if (!item.world)
    return createError("world `" + item.qualified + "` has no component type");
  return item;
}

/// `ns:name@version` of `ns:name/item@version`.
static std::optional<std::string> packageOf(StringRef qualified) {
  auto [pkg, rest] = qualified.split('/');
  if (rest.empty() || !pkg.contains(':'))
    return std::nullopt;
  auto [item, version] = rest.split('@');
  (void)item;
  return version.empty() ? pkg.str() : (pkg + "@" + version).str();
}

/// Puts the entries of \p map named in \p order first, in that order.
template <typename V>
static void reorder(NameMap<V> &map, ArrayRef<std::string> order) {
  NameMap<V> sorted;
  for (const std::string &name : order) {
    auto it = map.find(name);
    if (it != map.end())
      sorted.insert({name, it->second});
  }
  for (auto &[name, v] : map)
    sorted.insert({name, v});
  map = std::move(sorted);
}

/// `ns:name@version` as a package name.
static std::optional<PackageName> parsePackageName(StringRef s) {
  auto [ns, rest] = s.split(':');
  auto [name, version] = rest.split('@');
  if (ns.empty() || name.empty() || name.contains('/') ||
      (rest.contains('@') && version.empty()))
    return std::nullopt;
  PackageName p{ns.str(), name.str(), std::nullopt};
  if (!version.empty())
    p.version = version.str();
  return p;
}

/// A package with no items, named by the component's own name (what
/// encodePackage writes for one).
static Expected<PackageId> emptyPackage(Resolve &resolve,
                                        const c::Component &comp) {
  const c::CustomSection *names = comp.findCustom("component-name");
  if (!names)
    return createError("the component exports nothing and has no name, so it "
                       "is not a WIT package");
  Expected<c::ComponentNames> n =
      c::readComponentNames(names->payload, names->payloadOffset);
  if (!n)
    return n.takeError();
  std::optional<PackageName> name =
      n->component ? parsePackageName(*n->component) : std::nullopt;
  if (!name)
    return createError("the component exports nothing and its name is not a "
                       "package name, so it is not a WIT package");
  return resolve.package(*name);
}

static Expected<PackageId> decodeInto(Resolve &resolve,
                                      const c::Component &comp) {
  if (!comp.imports.empty())
    return createError("a WIT package exports component types and imports "
                       "nothing");
  std::optional<PackageId> pkg;
  if (comp.exports.empty()) {
    Expected<PackageId> empty = emptyPackage(resolve, comp);
    if (!empty)
      return empty.takeError();
    pkg = *empty;
  }
  Decoder decoder(resolve);
  decoder.registerInPackages = true;
  std::optional<std::string> pkgName;
  std::vector<std::string> interfaces, worlds;
  for (const c::Export &exp : comp.exports) {
    Expected<PackageItem> item = packageItem(comp, exp);
    if (!item)
      return item.takeError();
    std::optional<std::string> name = packageOf(item->qualified);
    if (!name)
      return createError("`" + item->qualified +
                         "` is not of the form `ns:package/item`");
    if (pkgName && *pkgName != *name)
      return createError("item `" + item->qualified + "` is not in package `" +
                         *pkgName + "`");
    pkgName = *name;
    if (item->isWorld) {
      Expected<WorldId> w = decoder.decodeWorld(item->qualified, *item->world);
      if (!w)
        return addContext(w.takeError(), "world `" + item->name + "`");
      pkg = *resolve.get(*w).package;
      worlds.push_back(resolve.get(*w).name);
    } else {
      Expected<InterfaceId> i = decoder.decodeInterfaceType(*item->type);
      if (!i)
        return addContext(i.takeError(), "interface `" + item->name + "`");
      pkg = *resolve.get(*i).package;
      interfaces.push_back(*resolve.get(*i).name);
    }
  }
  Package &p = resolve.get(*pkg);
  reorder(p.interfaces, interfaces);
  reorder(p.worlds, worlds);
  if (const c::CustomSection *docs = comp.findCustom("package-docs"))
    if (Error e = injectPackageMetadata(resolve, *pkg, docs->payload))
      return std::move(e);
  return *pkg;
}

bool wit::isComponentBinary(ArrayRef<uint8_t> bytes) {
  static const uint8_t preamble[] = {0x00, 0x61, 0x73, 0x6d,
                                     0x0d, 0x00, 0x01, 0x00};
  return bytes.size() >= 8 && bytes.take_front(8) == ArrayRef(preamble);
}

Expected<PackageId> wit::decodeWitPackage(Resolve &resolve,
                                          ArrayRef<uint8_t> bytes) {
  if (!isComponentBinary(bytes))
    return createError("not a component binary, so not a binary WIT package");
  Expected<std::unique_ptr<c::Component>> comp = c::readComponent(bytes, 0);
  if (!comp)
    return comp.takeError();
  // Decode into a copy, so a package that fails leaves nothing behind.
  Resolve work = resolve;
  Expected<PackageId> pkg = decodeInto(work, **comp);
  if (!pkg)
    return addContext(pkg.takeError(), "failed to decode WIT package");
  resolve = std::move(work);
  return *pkg;
}
