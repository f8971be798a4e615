//===- CustomSectionsTest.cpp - producers and name section tests ----------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Byte-for-byte checks of the producers, name and component-name writers,
/// and of the producers merge rules wasm-metadata applies.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/CustomSections.h"
#include "llvm/ADT/SmallString.h"
#include "gtest/gtest.h"
#include <vector>

using namespace llvm;
using namespace wcl::wasm;

namespace {

using Bytes = std::vector<uint8_t>;

template <typename T> Bytes payloadOf(const T &section) {
  SmallString<64> buf;
  raw_svector_ostream os(buf);
  section.writePayload(os);
  return Bytes(buf.begin(), buf.end());
}

template <typename T> Bytes sectionOf(const T &section) {
  SmallString<64> buf;
  raw_svector_ostream os(buf);
  section.writeTo(os);
  return Bytes(buf.begin(), buf.end());
}

TEST(ProducersTest, Encoding) {
  ProducersBuilder producers;
  producers.add("language", "C11", "");
  producers.add("processed-by", "clang", "18.1");
  EXPECT_EQ(
      sectionOf(producers),
      (Bytes{0x00, 0x33,                                             // id, size
             0x09, 'p',  'r',  'o', 'd',  'u', 'c',  'e', 'r', 's',  // name
             0x02,                                                   // fields
             0x08, 'l',  'a',  'n', 'g',  'u', 'a',  'g', 'e', 0x01, //
             0x03, 'C',  '1',  '1', 0x00,                            //
             0x0c, 'p',  'r',  'o', 'c',  'e', 's',  's', 'e', 'd',  '-',
             'b',  'y',  0x01, //
             0x05, 'c',  'l',  'a', 'n',  'g', 0x04, '1', '8', '.',  '1'}));
}

TEST(ProducersTest, MergeRules) {
  ProducersBuilder producers;
  producers.add("processed-by", "clang", "18");
  producers.add("language", "C11", "");
  producers.add("processed-by", "wit-component", "0.1");
  // An existing field is extended; an existing name keeps its place and
  // takes the new version.
  producers.add("language", "Rust", "");
  producers.add("processed-by", "clang", "19");
  ArrayRef<ProducersBuilder::Field> fields = producers.getFields();
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].name, "processed-by");
  ASSERT_EQ(fields[0].values.size(), 2u);
  EXPECT_EQ(fields[0].values[0].first, "clang");
  EXPECT_EQ(fields[0].values[0].second, "19");
  EXPECT_EQ(fields[0].values[1].first, "wit-component");
  EXPECT_EQ(fields[1].name, "language");
  ASSERT_EQ(fields[1].values.size(), 2u);
  EXPECT_EQ(fields[1].values[1].first, "Rust");

  ProducersBuilder other;
  other.add("sdk", "wasi-sdk", "25");
  other.add("processed-by", "wit-component", "0.2");
  producers.merge(other);
  fields = producers.getFields();
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0].values[1].second, "0.2");
  EXPECT_EQ(fields[2].name, "sdk");
}

TEST(ProducersTest, ParseRoundTrip) {
  ProducersBuilder producers;
  producers.add("language", "C11", "");
  producers.add("processed-by", "clang", "18.1");
  Bytes payload = payloadOf(producers);
  Expected<ProducersBuilder> parsed = ProducersBuilder::parse(payload);
  ASSERT_TRUE(static_cast<bool>(parsed)) << toString(parsed.takeError());
  EXPECT_EQ(payloadOf(*parsed), payload);

  // Truncated: the second field is missing.
  Bytes truncated(payload.begin(), payload.begin() + 16);
  Expected<ProducersBuilder> bad = ProducersBuilder::parse(truncated, 0x100);
  ASSERT_FALSE(static_cast<bool>(bad));
  // Errors name the absolute offset of the bad byte.
  EXPECT_NE(toString(bad.takeError()).find("offset 0x110"), std::string::npos);
}

TEST(ProducersTest, ParseAppliesMergeRules) {
  // One decoder for both users: the reader keeps what the bytes say
  // (duplicates and empty fields included), parse() replays it through
  // add(), so a repeated tool keeps its place and takes the last version,
  // and a field without values keeps its place too.
  Bytes payload = {0x02, // two fields
                   0x0c, 'p',  'r',  'o', 'c',  'e', 's',
                   's',  'e',  'd',  '-', 'b',  'y', 0x02, // two values
                   0x01, 'a',  0x01, '1', 0x01, 'a', 0x01,
                   '2',  0x03, 's',  'd', 'k',  0x00};
  BinaryReader r(payload);
  Expected<ProducersSection> raw = readProducersSection(r);
  ASSERT_TRUE(static_cast<bool>(raw)) << toString(raw.takeError());
  ASSERT_EQ(raw->fields.size(), 2u);
  EXPECT_EQ(raw->fields[0].values.size(), 2u);
  EXPECT_TRUE(raw->fields[1].values.empty());

  Expected<ProducersBuilder> parsed = ProducersBuilder::parse(payload);
  ASSERT_TRUE(static_cast<bool>(parsed)) << toString(parsed.takeError());
  ArrayRef<ProducersBuilder::Field> fields = parsed->getFields();
  ASSERT_EQ(fields.size(), 2u);
  ASSERT_EQ(fields[0].values.size(), 1u);
  EXPECT_EQ(fields[0].values[0].second, "2");
  EXPECT_EQ(fields[1].name, "sdk");
  EXPECT_TRUE(fields[1].values.empty());
}

TEST(NameSectionTest, SubsectionsInIdOrder) {
  NameSectionBuilder names;
  EXPECT_TRUE(names.empty());
  names.setName(CoreNameKind::Tag, 0, "e");
  names.setName(CoreNameKind::DataSegment, 1, "d");
  names.setFunctionName(2, "b");
  names.setFunctionName(0, "a");
  names.setLocalName(2, 1, "y");
  names.setLocalName(2, 0, "x");
  names.setLocalName(0, 0, "z");
  names.setModuleName("m");
  names.setName(CoreNameKind::Memory, 0, "mem");
  EXPECT_FALSE(names.empty());
  EXPECT_EQ(payloadOf(names),
            (Bytes{0x00, 0x02, 0x01, 'm',                          // module
                   0x01, 0x07, 0x02, 0x00, 0x01, 'a',  0x02, 0x01, // funcs
                   'b',                                            //
                   0x02, 0x0e, 0x02,                               // locals
                   0x00, 0x01, 0x00, 0x01, 'z',                    //
                   0x02, 0x02, 0x00, 0x01, 'x',  0x01, 0x01, 'y',  //
                   0x06, 0x06, 0x01, 0x00, 0x03, 'm',  'e',  'm',  // memories
                   0x09, 0x04, 0x01, 0x01, 0x01, 'd',              // data
                   0x0b, 0x04, 0x01, 0x00, 0x01, 'e'}));           // tags
}

TEST(ComponentNameSectionTest, Encoding) {
  ComponentNameSectionBuilder names;
  EXPECT_TRUE(names.empty());
  names.setComponentName("c");
  NameMap funcs;
  funcs[1] = "g";
  funcs[0] = "f";
  names.addCoreSortNames(CoreSort::Func, funcs);
  names.addCoreSortNames(CoreSort::Memory, {}); // empty: skipped
  names.addCoreSortNames(CoreSort::Instance, {{0, "i"}});
  names.addSortNames(Sort::Type, {{3, "t"}});
  EXPECT_EQ(sectionOf(names),
            (Bytes{0x00, 0x2d, // id, size
                   0x0e, 'c',  'o',  'm',  'p',  'o',  'n',  'e',
                   'n',  't',  '-',  'n',  'a',  'm',  'e', //
                   0x00, 0x02, 0x01, 'c',                   // component
                   0x01, 0x09, 0x00, 0x00, 0x02, 0x00, 0x01, 'f',
                   0x01, 0x01, 'g',                               // core funcs
                   0x01, 0x06, 0x00, 0x12, 0x01, 0x00, 0x01, 'i', // core inst
                   0x01, 0x05, 0x03, 0x01, 0x03, 0x01, 't'}));    // types
}

} // namespace
