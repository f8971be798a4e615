//===- PackageEncoder.cpp - WIT packages and worlds as component types ----===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The destination of ValTypeEncoder that writes one component type: the
/// type of a world, or of one interface of a package. Types are defined in
/// the instance type being written when there is one, else in the
/// component type itself. A type owned by another interface is aliased out
/// of that interface's instance once, at the component level, and reached
/// from inside an instance type through an outer alias. The order of every
/// declaration is wit-component's, so the bytes are wasm-tools'.
///
//===----------------------------------------------------------------------===//

#include "PackageMetadata.h"
#include "wcl/Support/Error.h"
#include "wcl/Support/Version.h"
#include "wcl/WIT/Encode.h"
#include "wcl/WIT/TypeEncoder.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include <tuple>

using namespace llvm;
using namespace wcl;
using namespace wcl::wit;
using component::ComponentExternName;
using component::ComponentTypeEncoder;
using component::ComponentTypeRef;

namespace {

/// Keeps the TypeMaps alive before ValTypeEncoder takes a reference to it.
struct MapsStorage {
  TypeMaps storage;
};

class ComponentTypeWriter : private MapsStorage, public ValTypeEncoder {
public:
  explicit ComponentTypeWriter(const Resolve &r)
      : ValTypeEncoder(r, MapsStorage::storage) {}

  ComponentTypeEncoder outer{ComponentTypeEncoder::Kind::Component};

  /// Writes interface \p id as an instance type of the outer type, with its
  /// types and, unless \p typesOnly, its functions; returns the type index.
  uint32_t encodeInstance(InterfaceId id, bool typesOnly);
  /// Writes \p items of a world as imports or exports of the outer type.
  void
  encodeWorldItems(const std::vector<std::pair<WorldKey, WorldItem>> &items,
                   bool imports);

  /// Set when a type was needed from an interface this type never brought
  /// in, which a resolved package does not do.
  std::optional<std::string> missingInterface;

protected:
  uint32_t defineType(function_ref<void(raw_ostream &)> encode) override {
    return inst ? inst->addType(encode) : outer.addType(encode);
  }
  std::optional<uint32_t> exportType(uint32_t index, StringRef name) override {
    return declare(name, ComponentTypeRef::typeEq(index));
  }
  uint32_t exportResource(StringRef name) override {
    return declare(name, ComponentTypeRef::subResource());
  }
  uint32_t importType(InterfaceId owner, TypeId id) override;
  std::optional<InterfaceId> interface() const override { return current; }

private:
  /// A type declared by name: exported from the instance type being
  /// written, else imported (world types) or exported by the outer type.
  uint32_t declare(StringRef name, const ComponentTypeRef &ref) {
    if (inst)
      return inst->addExport(name, ref);
    return importTypes ? outer.addImport(name, ref)
                       : outer.addExport(name, ref);
  }

  std::optional<ComponentTypeEncoder> inst;
  std::optional<InterfaceId> current;
  bool importTypes = false;
  /// The instance index each interface written so far got.
  DenseMap<uint32_t, uint32_t> instanceOf;
  /// Types aliased out of those instances, by TypeId.
  DenseMap<uint32_t, uint32_t> outerAliases;
  uint32_t instances = 0;
};

} // namespace

uint32_t ComponentTypeWriter::importType(InterfaceId owner, TypeId id) {
  auto it = instanceOf.find(owner.index);
  if (it == instanceOf.end()) {
    if (!missingInterface)
      missingInterface = resolve.idOf(owner).value_or("<inline interface>");
    return 0;
  }
  auto [alias, fresh] = outerAliases.try_emplace(id.index, 0);
  if (fresh)
    alias->second = outer.aliasExport(it->second, *resolve.get(id).name,
                                      component::ComponentExportKind::Type);
  if (!inst)
    return alias->second;
  return inst->aliasOuter(component::OuterAliasKind::Type, 1, alias->second);
}

/// The interface whose types \p id holds: itself, or for the copy a plain
/// name makes of a package interface (`import b: a:b/i`), the original,
/// whose types the copy shares.
static InterfaceId typeOwnerOf(const Resolve &r, InterfaceId id) {
  const Interface &iface = r.get(id);
  if (!iface.implements || iface.types.empty())
    return id;
  const TypeDef &first = r.get(iface.types.begin()->second);
  return first.owner.kind == TypeOwner::Kind::Interface
             ? first.owner.interfaceId()
             : id;
}

uint32_t ComponentTypeWriter::encodeInstance(InterfaceId id, bool typesOnly) {
  current = typeOwnerOf(resolve, id);
  // Each instance type numbers its types from zero: encode it with maps of
  // its own and restore the outer ones afterwards.
  TypeMaps saved = std::exchange(maps, TypeMaps());
  inst.emplace(ComponentTypeEncoder::Kind::Instance);
  const Interface &iface = resolve.get(id);
  std::vector<TypeId> typeOrder;
  for (const auto &[name, t] : iface.types) {
    encodeValType(Type::of(t));
    typeOrder.push_back(t);
  }
  if (!typesOnly) {
    // Resource functions first, in the order of their resources, then the
    // freestanding ones: the order the WIT printer puts them in, so text and
    // binary round trips agree.
    // (rank, position): a stable order without std::stable_sort.
    std::vector<std::tuple<size_t, size_t, const Function *>> funcs;
    for (const auto &[name, f] : iface.functions) {
      size_t rank = f.kind == FunctionKind::Freestanding
                        ? typeOrder.size()
                        : find(typeOrder, f.resource) - typeOrder.begin();
      funcs.push_back({rank, funcs.size(), &f});
    }
    llvm::sort(funcs);
    for (auto [rank, pos, f] : funcs) {
      uint32_t type = encodeFuncType(*f);
      inst->addExport(StringRef(f->name), ComponentTypeRef::func(type));
    }
  }
  ComponentTypeEncoder done = std::move(*inst);
  inst.reset();
  maps = std::move(saved);
  instanceOf[id.index] = instances++;
  if (current && *current != id)
    instanceOf.try_emplace(current->index, instances - 1);
  return outer.addInstanceType(done);
}

void ComponentTypeWriter::encodeWorldItems(
    const std::vector<std::pair<WorldKey, WorldItem>> &items, bool imports) {
  for (const auto &[key, item] : items) {
    std::string name = resolve.nameOf(key);
    ComponentExternName ext(name);
    ComponentTypeRef ref;
    switch (item.kind) {
    case WorldItem::Kind::Interface: {
      const std::optional<std::string> &impl =
          resolve.get(item.interface).implements;
      if (!key.interface && impl)
        ext.implements = StringRef(*impl);
      ref = ComponentTypeRef::instance(encodeInstance(item.interface, false));
      break;
    }
    case WorldItem::Kind::Function:
      current.reset();
      ref = ComponentTypeRef::func(encodeFuncType(item.function));
      break;
    case WorldItem::Kind::Type:
      // World types are imported by the component type, never exported.
      current.reset();
      importTypes = true;
      encodeValType(Type::of(item.type));
      importTypes = false;
      continue;
    }
    if (imports)
      outer.addImport(ext, ref);
    else
      outer.addExport(ext, ref);
  }
}

static Error missing(const Resolve &r, const std::string &iface,
                     StringRef what) {
  (void)r;
  return createError(what + " uses a type of interface `" + iface +
                     "`, which it does not import");
}

Expected<ComponentTypeEncoder> wit::encodeWorldType(const Resolve &resolve,
                                                    WorldId world) {
  ComponentTypeWriter w(resolve);
  const World &wd = resolve.get(world);
  w.encodeWorldItems(wd.imports, true);
  w.encodeWorldItems(wd.exports, false);
  if (w.missingInterface)
    return missing(resolve, *w.missingInterface, "world `" + wd.name + "`");
  return std::move(w.outer);
}

/// The interfaces \p id depends on, transitively, each after its own
/// dependencies, then \p id itself.
static void liveInterfaces(const Resolve &r, InterfaceId id,
                           std::vector<InterfaceId> &out, unsigned depth = 0) {
  if (is_contained(out, id) || depth > 1000)
    return;
  for (InterfaceId dep : r.directDeps(id))
    liveInterfaces(r, dep, out, depth + 1);
  out.push_back(id);
}

/// The component type of package interface \p id: the interfaces it uses,
/// imported with all their types (so every package that uses one agrees on
/// its type order), then itself, exported.
static Expected<ComponentTypeEncoder> encodeInterfaceType(const Resolve &r,
                                                          InterfaceId id) {
  std::vector<InterfaceId> live;
  liveInterfaces(r, id, live);
  ComponentTypeWriter w(r);
  for (InterfaceId i : live) {
    std::string name = r.idOf(i).value_or("");
    uint32_t type = w.encodeInstance(i, i != id);
    if (i == id)
      w.outer.addExport(StringRef(name), ComponentTypeRef::instance(type));
    else
      w.outer.addImport(StringRef(name), ComponentTypeRef::instance(type));
  }
  if (w.missingInterface)
    return missing(r, *w.missingInterface,
                   "interface `" + r.idOf(id).value_or("") + "`");
  return std::move(w.outer);
}

/// A component type that exports world \p id's own type under the world's
/// qualified name: how packages and metadata wrap a world.
static Expected<ComponentTypeEncoder> wrapWorld(const Resolve &resolve,
                                                WorldId id) {
  Expected<ComponentTypeEncoder> t = encodeWorldType(resolve, id);
  if (!t)
    return t.takeError();
  const World &w = resolve.get(id);
  std::string qualified = w.name;
  if (w.package) {
    const PackageName &pn = resolve.get(*w.package).name;
    qualified = pn.ns + ":" + pn.name + "/" + w.name;
    if (pn.version)
      qualified += "@" + *pn.version;
  }
  ComponentTypeEncoder wrapper;
  wrapper.addComponentType(*t);
  wrapper.addExport(StringRef(qualified), ComponentTypeRef::component(0));
  return wrapper;
}

/// The component \p b holds, stamped as wcl's.
static std::vector<uint8_t> finish(component::ComponentBuilder &b) {
  b.producers().add("processed-by", "wcl", getVersion());
  SmallVector<char, 0> out;
  raw_svector_ostream os(out);
  b.finish(os);
  return std::vector<uint8_t>(out.begin(), out.end());
}

Expected<std::vector<uint8_t>>
wit::encodeWorldMetadata(const Resolve &resolve, WorldId world,
                         uint8_t stringEncoding) {
  Expected<ComponentTypeEncoder> wrapper = wrapWorld(resolve, world);
  if (!wrapper)
    return wrapper.takeError();
  component::ComponentBuilder b;
  b.setRecordNames(false);
  const uint8_t encoding[] = {0x04, stringEncoding};
  b.customSection("wit-component-encoding", encoding);
  b.addExport(StringRef(resolve.get(world).name),
              component::ComponentExportKind::Type,
              b.defineComponentType(*wrapper));
  return finish(b);
}

Expected<std::vector<uint8_t>> wit::encodePackage(const Resolve &resolve,
                                                  PackageId pkg) {
  const Package &p = resolve.get(pkg);
  component::ComponentBuilder b;
  b.setRecordNames(false);
  for (const auto &[name, id] : p.interfaces) {
    Expected<ComponentTypeEncoder> t = encodeInterfaceType(resolve, id);
    if (!t)
      return t.takeError();
    b.addExport(StringRef(name), component::ComponentExportKind::Type,
                b.defineComponentType(*t));
  }
  for (const auto &[name, id] : p.worlds) {
    Expected<ComponentTypeEncoder> wrapper = wrapWorld(resolve, id);
    if (!wrapper)
      return wrapper.takeError();
    b.addExport(StringRef(name), component::ComponentExportKind::Type,
                b.defineComponentType(*wrapper));
  }
  // A package with no items has nothing that names it. wasm-tools cannot
  // read such a package back; wcl names the component after the package
  // (its `component-name`, which other readers ignore) so that it can.
  if (p.interfaces.empty() && p.worlds.empty())
    b.setComponentName(p.name.toString());
  std::string docs = encodePackageMetadata(resolve, pkg);
  b.customSection("package-docs", arrayRefFromStringRef(docs));
  return finish(b);
}
