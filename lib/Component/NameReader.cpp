//===- NameReader.cpp - The component-name section ------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Reads `component-name` (component-model Binary.md, "Name Section"). Its
/// writer, ComponentNameSectionBuilder, is in the core layer with the other
/// name-section writers; the reader is here because it decodes sort bytes
/// into component sorts and index spaces. Names must never make a component
/// unreadable, so subsections with unknown ids or sorts are recorded and
/// skipped rather than refused.
///
//===----------------------------------------------------------------------===//

#include "ReaderParts.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::component;
using namespace wcl::component::reader;
using namespace wcl::wasm;

StringRef ComponentNames::lookup(IndexSpace space, uint32_t index) const {
  const DenseMap<uint32_t, StringRef> &m = bySpace[size_t(space)];
  auto it = m.find(index);
  return it == m.end() ? StringRef() : it->second;
}

/// `vec(idx name)` into \p map, also indexed in \p lookup.
static Error readSortNameMap(BinaryReader &sub, ComponentNames::Map &map,
                             DenseMap<uint32_t, StringRef> &lookup) {
  return sub.readVector(2, [&]() -> Error {
    uint32_t idx;
    if (Error e = sub.readVarU32().moveInto(idx))
      return e;
    StringRef name;
    if (Error e = sub.readName().moveInto(name))
      return e;
    map.names.push_back({idx, name});
    lookup.try_emplace(idx, name);
    return Error::success();
  });
}

Expected<ComponentNames>
wcl::component::readComponentNames(ArrayRef<uint8_t> payload, uint64_t base) {
  ComponentNames names;
  BinaryReader r(payload, base);
  while (!r.atEnd()) {
    uint64_t at = r.offset();
    uint8_t id;
    BinaryReader sub({});
    if (Error e = r.readSubsection(id, sub))
      return std::move(e);
    switch (ComponentNameKind(id)) {
    case ComponentNameKind::Component: {
      StringRef name;
      if (Error e = sub.readName().moveInto(name))
        return std::move(e);
      names.component = name;
      if (Error e = sub.expectEnd("component name subsection"))
        return std::move(e);
      continue;
    }
    case ComponentNameKind::Sort: {
      ComponentNames::Map map;
      map.offset = at;
      // A sort this reader does not know is not an error.
      Expected<SortKind> sort = readSort(sub);
      if (!sort) {
        consumeError(sort.takeError());
        names.unknown.push_back({at, id});
        continue;
      }
      map.sort = *sort;
      if (Error e = readSortNameMap(sub, map,
                                    names.bySpace[size_t(map.sort.space())]))
        return std::move(e);
      if (Error e = sub.expectEnd("sort name subsection"))
        return std::move(e);
      names.maps.push_back(std::move(map));
      continue;
    }
    }
    names.unknown.push_back({at, id});
  }
  return std::move(names);
}
