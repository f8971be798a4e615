//===- ProducersSection.cpp - The producers section -----------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Reads and writes `producers`. There is one decoder: ProducersBuilder::parse
/// runs readProducersSection and replays its values through add(), so the
/// dumper and the merge of inputs' producers into an output agree on what a
/// section holds and on its errors.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/ProducersSection.h"
#include "wcl/Wasm/Binary.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::wasm;

Expected<ProducersSection>
wcl::wasm::readProducersSection(BinaryReader &reader) {
  ProducersSection producers;
  if (Error e = reader.readVector(2, [&]() -> Error {
        ProducersSection::Field field;
        if (Error e = reader.readName().moveInto(field.name))
          return e;
        if (Error e = reader.readVector(2, [&]() -> Error {
              ProducersSection::Value value;
              if (Error e = reader.readName().moveInto(value.name))
                return e;
              if (Error e = reader.readName().moveInto(value.version))
                return e;
              field.values.push_back(value);
              return Error::success();
            }))
          return e;
        producers.fields.push_back(std::move(field));
        return Error::success();
      }))
    return std::move(e);
  if (Error e = reader.expectEnd("producers section"))
    return std::move(e);
  return producers;
}

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
  ProducersSection section;
  if (Error e = readProducersSection(reader).moveInto(section))
    return std::move(e);
  ProducersBuilder result;
  for (const ProducersSection::Field &field : section.fields) {
    for (const ProducersSection::Value &value : field.values)
      result.add(field.name, value.name, value.version);
    // A field with no values still exists in the input; keep it so a merge
    // preserves the input's field order.
    if (field.values.empty() && none_of(result.fields, [&](const Field &f) {
          return f.name == field.name;
        }))
      result.fields.push_back(Field{field.name.str(), {}});
  }
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
