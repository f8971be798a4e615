//===- WorldElaboration.cpp - the implicit imports of a WIT world ---------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A world as written lists what it imports and exports; the world as
/// resolved also imports every interface those items depend on through
/// `use`, each before its first user, and an exported interface's
/// dependencies are exported with it when they are exported at all, else
/// imported. The order (interfaces, then types, then functions) is
/// wit-parser's, which the printer and the encoder follow.
///
//===----------------------------------------------------------------------===//

#include "TextResolver.h"
#include <algorithm>
#include <set>

using namespace llvm;
using namespace wcl;
using namespace wcl::wit;

namespace {
/// The implicit imports of a world: every interface its items use, before
/// the item, as wit-parser's elaboration adds them.
class Elaborator {
public:
  Elaborator(const Resolve &r) : r(r) {}

  ItemList imports, exports;

  WorldKey keyOf(InterfaceId id) {
    return WorldKey{r.idOf(id).value_or(""), id};
  }

  void addImport(const WorldKey &key, InterfaceId id, const WorldItem &like,
                 unsigned depth = 0) {
    if (findItem(imports, key) || depth > 1000)
      return;
    WorldItem bare;
    bare.kind = WorldItem::Kind::Interface;
    bare.stability = like.stability;
    for (InterfaceId dep : r.directDeps(id)) {
      bare.interface = dep;
      addImport(keyOf(dep), dep, bare, depth + 1);
    }
    WorldItem item = like;
    item.interface = id;
    imports.push_back({key, item});
  }

  bool addExport(const ItemList &exported, const WorldKey &key,
                 const WorldItem &item, bool asExport, unsigned depth = 0) {
    if (findItem(exports, key))
      return asExport;
    if (depth > 1000)
      return false;
    if (!asExport && required.count(item.interface.index))
      return true;
    for (InterfaceId dep : r.directDeps(item.interface)) {
      WorldItem d;
      d.kind = WorldItem::Kind::Interface;
      d.interface = dep;
      d.stability = item.stability;
      WorldKey k = keyOf(dep);
      bool depExported =
          asExport && findItem(const_cast<ItemList &>(exported), k);
      if (!addExport(exported, k, d, depExported, depth + 1))
        return false;
    }
    if (asExport) {
      if (required.count(item.interface.index))
        return false;
      exports.push_back({key, item});
    } else {
      required.insert(item.interface.index);
      if (!findItem(imports, key))
        imports.push_back({key, item});
    }
    return true;
  }

private:
  const Resolve &r;
  std::set<uint32_t> required;
};
} // namespace

static int sortKey(const Resolve &r, const WorldItem &item) {
  switch (item.kind) {
  case WorldItem::Kind::Interface:
    return 0;
  case WorldItem::Kind::Type: {
    const TypeDef &d = r.get(item.type);
    if (d.kind == TypeDefKind::Alias && d.element && d.element->isId &&
        !(r.get(d.element->id).owner == d.owner))
      return 1;
    return 2;
  }
  case WorldItem::Kind::Function:
    return item.function.kind == FunctionKind::Freestanding ? 3 : 4;
  }
  return 5;
}

Error wit::elaborateWorld(Resolve &r, WorldId id, Span span) {
  World &w = r.get(id);
  ItemList sorted = w.imports;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](const auto &a, const auto &b) {
                     return sortKey(r, a.second) < sortKey(r, b.second);
                   });
  Elaborator e(r);
  for (const auto &[key, item] : sorted) {
    if (item.kind == WorldItem::Kind::Interface) {
      e.addImport(key, item.interface, item);
      continue;
    }
    if (item.kind == WorldItem::Kind::Type)
      if (std::optional<InterfaceId> dep = r.typeInterfaceDep(item.type)) {
        WorldItem d;
        d.kind = WorldItem::Kind::Interface;
        d.stability = r.get(item.type).stability;
        e.addImport(e.keyOf(*dep), *dep, d);
      }
    e.imports.push_back({key, item});
  }
  ItemList exportedIfaces;
  for (const auto &[key, item] : w.exports) {
    if (item.kind == WorldItem::Kind::Interface)
      exportedIfaces.push_back({key, item});
    else
      e.exports.push_back({key, item});
  }
  for (const auto &[key, item] : exportedIfaces)
    if (!e.addExport(exportedIfaces, key, item, true))
      return spanError(span, "interface `" + r.nameOf(key) +
                                 "` transitively depends on an interface in "
                                 "incompatible ways");
  World &w2 = r.get(id);
  w2.imports = std::move(e.imports);
  w2.exports = std::move(e.exports);
  return Error::success();
}
