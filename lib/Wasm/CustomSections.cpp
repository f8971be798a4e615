//===- CustomSections.cpp - producers and name section writers ------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Builders for the `producers`, `name` and `component-name` custom
/// sections. Each subsection is encoded into a buffer first because its size
/// precedes it.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/CustomSections.h"
#include "wcl/Support/Error.h"
#include "wcl/Wasm/BinaryReader.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include <cassert>

using namespace llvm;
using namespace wcl;
using namespace wcl::wasm;

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
// ProducersBuilder
//===----------------------------------------------------------------------===//

void ProducersBuilder::add(StringRef field, StringRef name, StringRef version) {
  auto fieldIt =
      find_if(fields, [&](const Field &f) { return f.name == field; });
  if (fieldIt == fields.end()) {
    fields.push_back(Field{field.str(), {}});
    fieldIt = std::prev(fields.end());
  }
  auto &values = fieldIt->values;
  auto valueIt =
      find_if(values, [&](const auto &v) { return v.first == name; });
  if (valueIt != values.end())
    valueIt->second = version.str();
  else
    values.emplace_back(name.str(), version.str());
}

void ProducersBuilder::merge(const ProducersBuilder &other) {
  for (const Field &field : other.fields)
    for (const auto &[name, version] : field.values)
      add(field.name, name, version);
}

Expected<ProducersBuilder> ProducersBuilder::parse(ArrayRef<uint8_t> payload,
                                                   uint64_t base) {
  BinaryReader reader(payload, base);
  ProducersBuilder result;
  Expected<uint32_t> numFields = reader.readCount(2);
  if (!numFields)
    return numFields.takeError();
  for (uint32_t i = 0; i < *numFields; ++i) {
    Expected<StringRef> field = reader.readName();
    if (!field)
      return field.takeError();
    Expected<uint32_t> numValues = reader.readCount(2);
    if (!numValues)
      return numValues.takeError();
    for (uint32_t j = 0; j < *numValues; ++j) {
      Expected<StringRef> name = reader.readName();
      if (!name)
        return name.takeError();
      Expected<StringRef> version = reader.readName();
      if (!version)
        return version.takeError();
      result.add(*field, *name, *version);
    }
    // A field with no values still exists in the input; keep it so a merge
    // preserves the input's field order.
    if (*numValues == 0 && none_of(result.fields, [&](const Field &f) {
          return f.name == *field;
        }))
      result.fields.push_back(Field{field->str(), {}});
  }
  if (Error err = reader.expectEnd("producers section"))
    return std::move(err);
  return result;
}

void ProducersBuilder::writePayload(raw_ostream &os) const {
  writeUleb128(os, fields.size());
  for (const Field &field : fields) {
    writeName(os, field.name);
    writeUleb128(os, field.values.size());
    for (const auto &[name, version] : field.values) {
      writeName(os, name);
      writeName(os, version);
    }
  }
}

void ProducersBuilder::writeTo(raw_ostream &os) const {
  SmallString<128> payload;
  raw_svector_ostream payloadOS(payload);
  writePayload(payloadOS);
  writeCustomSection(os, ProducersSectionName, payload.str());
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
