//===- NameSection.cpp - Core and component name sections -----------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Reads the core `name` section and writes it and `component-name`. The
/// reader keeps unknown subsections as bytes, as the spec asks tools to
/// tolerate them. The writers encode each subsection into a buffer first
/// because its size precedes it.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/NameSection.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include <cassert>

using namespace llvm;
using namespace wcl;
using namespace wcl::wasm;

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

std::optional<StringRef> NameSection::getModuleName() const {
  for (const NameSubsection &sub : subsections)
    if (sub.known && sub.id == uint8_t(CoreNameKind::Module))
      return sub.moduleName;
  return std::nullopt;
}

std::optional<StringRef> NameSection::lookup(CoreNameKind kind,
                                             uint32_t index) const {
  for (const NameSubsection &sub : subsections) {
    if (!sub.known || sub.id != uint8_t(kind))
      continue;
    if (sub.sorted) {
      // Dumps ask for every item's name: a scan each would be quadratic.
      auto it = llvm::partition_point(
          sub.names, [&](const Naming &n) { return n.index < index; });
      if (it != sub.names.end() && it->index == index)
        return it->name;
      continue;
    }
    for (const Naming &n : sub.names)
      if (n.index == index)
        return n.name;
  }
  return std::nullopt;
}

/// Reads `vec(idx name)`.
static Error readNameMap(BinaryReader &reader, SmallVectorImpl<Naming> &names) {
  return reader.readVector(2, [&]() -> Error {
    Naming n;
    if (Error e = reader.readVarU32().moveInto(n.index))
      return e;
    if (Error e = reader.readName().moveInto(n.name))
      return e;
    names.push_back(n);
    return Error::success();
  });
}

/// Reads `vec(idx namemap)`.
static Error readIndirectNameMap(BinaryReader &reader,
                                 SmallVectorImpl<IndirectNaming> &names) {
  return reader.readVector(2, [&]() -> Error {
    IndirectNaming outer;
    if (Error e = reader.readVarU32().moveInto(outer.index))
      return e;
    if (Error e = readNameMap(reader, outer.names))
      return e;
    names.push_back(std::move(outer));
    return Error::success();
  });
}

/// Decodes the content of subsection \p sub (id and content already set).
static Error readNameSubsection(BinaryReader &body, NameSubsection &sub) {
  switch (CoreNameKind(sub.id)) {
  case CoreNameKind::Module:
    sub.known = true;
    return body.readName().moveInto(sub.moduleName);
  case CoreNameKind::Local:
  case CoreNameKind::Label:
  case CoreNameKind::Field:
    sub.known = true;
    return readIndirectNameMap(body, sub.indirectNames);
  case CoreNameKind::Function:
  case CoreNameKind::Type:
  case CoreNameKind::Table:
  case CoreNameKind::Memory:
  case CoreNameKind::Global:
  case CoreNameKind::ElemSegment:
  case CoreNameKind::DataSegment:
  case CoreNameKind::Tag:
    sub.known = true;
    if (Error e = readNameMap(body, sub.names))
      return e;
    sub.sorted =
        llvm::is_sorted(sub.names, [](const Naming &a, const Naming &b) {
          return a.index < b.index;
        });
    return Error::success();
  default:
    // Unknown subsections are kept as bytes, as the spec asks tools to
    // tolerate them.
    consumeError(body.skip(body.remaining()));
    return Error::success();
  }
}

Expected<NameSection> wcl::wasm::readNameSection(BinaryReader &reader) {
  NameSection section;
  while (!reader.atEnd()) {
    NameSubsection sub;
    BinaryReader body({});
    if (Error e = reader.readSubsection(sub.id, body))
      return std::move(e);
    sub.offset = body.offset();
    sub.content = body.data();
    if (Error e = readNameSubsection(body, sub))
      return std::move(e);
    if (Error e = body.expectEnd("name subsection " + utostr(sub.id)))
      return std::move(e);
    section.subsections.push_back(std::move(sub));
  }
  return section;
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

void wcl::wasm::writeNameMap(raw_ostream &os, const NameMap &names) {
  writeUleb128(os, names.size());
  for (const auto &[index, name] : names) {
    writeUleb128(os, index);
    writeName(os, name);
  }
}

/// `id size content` for a name subsection.
static void writeSubsection(raw_ostream &os, uint8_t id, StringRef content) {
  writeU8(os, id);
  writeUleb128(os, content.size());
  os << content;
}

//===----------------------------------------------------------------------===//
// NameSectionBuilder
//===----------------------------------------------------------------------===//

static bool isIndirectKind(CoreNameKind kind) {
  return kind == CoreNameKind::Local || kind == CoreNameKind::Label ||
         kind == CoreNameKind::Field;
}

void NameSectionBuilder::setName(CoreNameKind kind, uint32_t index,
                                 StringRef name) {
  assert(kind != CoreNameKind::Module && !isIndirectKind(kind) &&
         "not a plain name map");
  maps[static_cast<uint8_t>(kind)][index] = name.str();
}

void NameSectionBuilder::setIndirectName(CoreNameKind kind, uint32_t outer,
                                         uint32_t inner, StringRef name) {
  assert(isIndirectKind(kind) && "not an indirect name map");
  indirectMaps[static_cast<uint8_t>(kind)][outer][inner] = name.str();
}

bool NameSectionBuilder::empty() const {
  if (moduleName)
    return false;
  for (unsigned i = 0; i < NumKinds; ++i)
    if (!maps[i].empty() || !indirectMaps[i].empty())
      return false;
  return true;
}

void NameSectionBuilder::writePayload(raw_ostream &os) const {
  SmallString<128> content;
  for (unsigned id = 0; id < NumKinds; ++id) {
    content.clear();
    raw_svector_ostream contentOS(content);
    if (id == static_cast<uint8_t>(CoreNameKind::Module)) {
      if (!moduleName)
        continue;
      writeName(contentOS, *moduleName);
    } else if (isIndirectKind(static_cast<CoreNameKind>(id))) {
      const std::map<uint32_t, NameMap> &outer = indirectMaps[id];
      if (outer.empty())
        continue;
      writeUleb128(contentOS, outer.size());
      for (const auto &[index, inner] : outer) {
        writeUleb128(contentOS, index);
        writeNameMap(contentOS, inner);
      }
    } else {
      if (maps[id].empty())
        continue;
      writeNameMap(contentOS, maps[id]);
    }
    writeSubsection(os, id, content.str());
  }
}

void NameSectionBuilder::writeTo(raw_ostream &os) const {
  SmallString<256> payload;
  raw_svector_ostream payloadOS(payload);
  writePayload(payloadOS);
  writeCustomSection(os, NameSectionName, payload.str());
}

//===----------------------------------------------------------------------===//
// ComponentNameSectionBuilder
//===----------------------------------------------------------------------===//

void ComponentNameSectionBuilder::addCoreSortNames(CoreSort sort,
                                                   const NameMap &names) {
  if (names.empty())
    return;
  SmallString<128> content;
  raw_svector_ostream os(content);
  writeU8(os, static_cast<uint8_t>(Sort::Core));
  writeU8(os, static_cast<uint8_t>(sort));
  writeNameMap(os, names);
  subsections.push_back(content.str().str());
}

void ComponentNameSectionBuilder::addSortNames(Sort sort,
                                               const NameMap &names) {
  assert(sort != Sort::Core && "core sorts go through addCoreSortNames");
  if (names.empty())
    return;
  SmallString<128> content;
  raw_svector_ostream os(content);
  writeU8(os, static_cast<uint8_t>(sort));
  writeNameMap(os, names);
  subsections.push_back(content.str().str());
}

void ComponentNameSectionBuilder::writePayload(raw_ostream &os) const {
  if (componentName) {
    SmallString<64> content;
    raw_svector_ostream contentOS(content);
    writeName(contentOS, *componentName);
    writeSubsection(os, static_cast<uint8_t>(ComponentNameKind::Component),
                    content.str());
  }
  for (const std::string &content : subsections)
    writeSubsection(os, static_cast<uint8_t>(ComponentNameKind::Sort), content);
}

void ComponentNameSectionBuilder::writeTo(raw_ostream &os) const {
  SmallString<256> payload;
  raw_svector_ostream payloadOS(payload);
  writePayload(payloadOS);
  writeCustomSection(os, ComponentNameSectionName, payload.str());
}
