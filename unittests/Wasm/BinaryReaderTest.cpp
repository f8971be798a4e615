//===- BinaryReaderTest.cpp - Tests for the byte cursor -------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// LEB128 bounds, names, counts and preambles: the reader must accept every
/// valid encoding and turn every malformed one into an error with its offset.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/BinaryReader.h"
#include "gtest/gtest.h"
#include <vector>

using namespace llvm;
using namespace wcl::wasm;

namespace {

std::string errorText(Error e) { return toString(std::move(e)); }

template <typename T> std::string errorOf(Expected<T> v) {
  if (v)
    return "";
  return toString(v.takeError());
}

TEST(BinaryReaderTest, VarU32) {
  const uint8_t bytes[] = {0xe5, 0x8e, 0x26, 0xff, 0xff, 0xff, 0xff, 0x0f};
  BinaryReader r(bytes);
  Expected<uint32_t> a = r.readVarU32();
  ASSERT_TRUE(bool(a));
  EXPECT_EQ(*a, 624485u);
  Expected<uint32_t> b = r.readVarU32();
  ASSERT_TRUE(bool(b));
  EXPECT_EQ(*b, 0xffffffffu);
  EXPECT_TRUE(r.atEnd());
}

TEST(BinaryReaderTest, VarU32TooLarge) {
  // 2^32 needs a fifth byte with bit 4 set, which u32 does not allow.
  const uint8_t bytes[] = {0x80, 0x80, 0x80, 0x80, 0x10};
  BinaryReader r(bytes, 0x20);
  EXPECT_EQ(errorOf(r.readVarU32()),
            "offset 0x20: invalid LEB128: integer too large for u32");
}

TEST(BinaryReaderTest, VarU32Truncated) {
  const uint8_t bytes[] = {0x80, 0x80};
  BinaryReader r(bytes, 5);
  EXPECT_EQ(errorOf(r.readVarU32()),
            "offset 0x5: unexpected end of input in LEB128 integer");
}

TEST(BinaryReaderTest, VarS32) {
  const uint8_t bytes[] = {0x7f, 0xc0, 0xbb, 0x78, 0x80, 0x80, 0x80,
                           0x80, 0x78, 0xff, 0xff, 0xff, 0xff, 0x07};
  BinaryReader r(bytes);
  EXPECT_EQ(*r.readVarS32(), -1);
  EXPECT_EQ(*r.readVarS32(), -123456);
  EXPECT_EQ(*r.readVarS32(), INT32_MIN);
  EXPECT_EQ(*r.readVarS32(), INT32_MAX);
}

TEST(BinaryReaderTest, VarS32BadSignBits) {
  // The unused bits of the fifth byte must repeat the sign bit.
  const uint8_t bytes[] = {0xff, 0xff, 0xff, 0xff, 0x4f};
  BinaryReader r(bytes);
  EXPECT_EQ(errorOf(r.readVarS32()),
            "offset 0x0: invalid LEB128: integer too large for s32");
}

TEST(BinaryReaderTest, VarS64) {
  const uint8_t bytes[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                           0x80, 0x80, 0x80, 0x7f, 0x3f};
  BinaryReader r(bytes);
  EXPECT_EQ(*r.readVarS64(), INT64_MIN);
  EXPECT_EQ(*r.readVarS64(), 63);
}

TEST(BinaryReaderTest, VarU64Max) {
  const uint8_t bytes[] = {0xff, 0xff, 0xff, 0xff, 0xff,
                           0xff, 0xff, 0xff, 0xff, 0x01};
  BinaryReader r(bytes);
  EXPECT_EQ(*r.readVarU64(), UINT64_MAX);
}

TEST(BinaryReaderTest, Names) {
  const uint8_t bytes[] = {0x03, 'e', 'n', 'v', 0x02, 0xc3, 0x28};
  BinaryReader r(bytes);
  Expected<StringRef> n = r.readName();
  ASSERT_TRUE(bool(n));
  EXPECT_EQ(*n, "env");
  EXPECT_EQ(errorOf(r.readName()),
            "offset 0x4: malformed UTF-8 encoding in name");
}

TEST(BinaryReaderTest, NamePastEnd) {
  const uint8_t bytes[] = {0x09, 'a'};
  BinaryReader r(bytes);
  EXPECT_EQ(errorOf(r.readName()),
            "offset 0x1: unexpected end of input: 9 bytes needed, 1 byte left");
}

TEST(BinaryReaderTest, CountLargerThanInput) {
  const uint8_t bytes[] = {0xff, 0xff, 0x03, 0x00};
  BinaryReader r(bytes);
  EXPECT_EQ(errorOf(r.readCount()),
            "offset 0x0: count 65535 does not fit in the 1 byte left");
}

TEST(BinaryReaderTest, SubReaderKeepsOffsets) {
  const uint8_t bytes[] = {0x01, 0x02, 0x03, 0x04};
  BinaryReader r(bytes, 100);
  ASSERT_FALSE(bool(r.skip(1)));
  Expected<BinaryReader> sub = r.readSubReader(2);
  ASSERT_TRUE(bool(sub));
  EXPECT_EQ(sub->offset(), 101u);
  ASSERT_TRUE(bool(sub->readU8()));
  ASSERT_TRUE(bool(sub->readU8()));
  EXPECT_EQ(errorOf(sub->readU8()), "offset 0x67: unexpected end of input");
  EXPECT_EQ(r.offset(), 103u);
}

TEST(BinaryReaderTest, VectorStopsAtFirstError) {
  // Three elements counted, the third cut short.
  const uint8_t bytes[] = {0x03, 0x01, 0x02, 0x80};
  BinaryReader r(bytes, 0x10);
  std::vector<uint32_t> seen;
  Error err = r.readVector(1, [&]() -> Error {
    uint32_t v;
    if (Error e = r.readVarU32().moveInto(v))
      return e;
    seen.push_back(v);
    return Error::success();
  });
  EXPECT_EQ(errorText(std::move(err)),
            "offset 0x13: unexpected end of input in LEB128 integer");
  EXPECT_EQ(seen, (std::vector<uint32_t>{1, 2}));

  const uint8_t tooMany[] = {0x05, 0x00};
  BinaryReader r2(tooMany);
  EXPECT_EQ(errorText(r2.readVector(1, [] { return Error::success(); })),
            "offset 0x0: count 5 does not fit in the 1 byte left");
}

TEST(BinaryReaderTest, Subsection) {
  const uint8_t bytes[] = {0x07, 0x02, 0xaa, 0xbb, 0x01, 0x05, 0xcc};
  BinaryReader r(bytes, 0x20);
  uint8_t id = 0;
  BinaryReader body({});
  ASSERT_FALSE(bool(r.readSubsection(id, body)));
  EXPECT_EQ(id, 7);
  EXPECT_EQ(body.offset(), 0x22u);
  EXPECT_EQ(body.remaining(), 2u);
  EXPECT_EQ(r.offset(), 0x24u);
  EXPECT_EQ(errorText(r.readSubsection(id, body)),
            "offset 0x26: unexpected end of input: 5 bytes needed, 1 byte "
            "left");
}

TEST(BinaryReaderTest, Preamble) {
  const uint8_t core[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  const uint8_t comp[] = {0, 'a', 's', 'm', 0x0d, 0, 1, 0};
  const uint8_t badMagic[] = {0, 'a', 's', 'x', 1, 0, 0, 0};
  const uint8_t badVersion[] = {0, 'a', 's', 'm', 2, 0, 0, 0};
  const uint8_t badLayer[] = {0, 'a', 's', 'm', 0x0d, 0, 2, 0};
  const uint8_t oldComponent[] = {0, 'a', 's', 'm', 0x0c, 0, 1, 0};
  BinaryReader r1(core), r2(comp), r3(badMagic), r4(badVersion), r5(badLayer),
      r6(oldComponent), r7(ArrayRef<uint8_t>(core, 3));
  EXPECT_EQ(*readPreamble(r1), BinaryKind::CoreModule);
  EXPECT_EQ(r1.offset(), 8u);
  EXPECT_EQ(*readPreamble(r2), BinaryKind::Component);
  EXPECT_EQ(errorOf(readPreamble(r3)),
            "offset 0x0: not a WebAssembly binary: bad magic number");
  EXPECT_EQ(errorOf(readPreamble(r4)),
            "offset 0x4: unsupported WebAssembly version 2 (expected 1)");
  EXPECT_EQ(errorOf(readPreamble(r5)), "offset 0x6: unknown binary layer 2");
  EXPECT_EQ(errorOf(readPreamble(r6)),
            "offset 0x4: unsupported component version 0xc (expected 0xd)");
  EXPECT_EQ(errorOf(readPreamble(r7)),
            "offset 0x0: file too short to be a WebAssembly binary (3 bytes)");
}

TEST(BinaryReaderTest, ExpectEnd) {
  const uint8_t bytes[] = {1, 2};
  BinaryReader r(bytes);
  EXPECT_EQ(errorText(r.expectEnd("section")),
            "offset 0x0: unexpected data at the end of section (2 bytes left)");
  ASSERT_FALSE(bool(r.skip(2)));
  EXPECT_FALSE(bool(r.expectEnd("section")));
}

} // namespace
