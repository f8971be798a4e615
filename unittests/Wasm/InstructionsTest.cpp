//===- InstructionsTest.cpp - Tests for instruction decoding/remapping ----===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Hand-assembled instruction streams: every immediate kind decodes to the
/// expected typed values and index list, identity maps reproduce the input
/// byte for byte, remapped output matches expected bytes (LEB widths
/// changing, s33 type indices, implicit memories made explicit), and every
/// malformation is an error naming its exact offset.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/Instructions.h"
#include "gtest/gtest.h"
#include <vector>

using namespace llvm;
using namespace wcl::wasm;

namespace {

using Bytes = std::vector<uint8_t>;

/// Decodes \p code (which must end with its final `end`) at \p base.
std::vector<Instr> decode(const Bytes &code, uint64_t base = 0) {
  std::vector<Instr> out;
  Error err = forEachInstr(code, base, [&](const Instr &instr) {
    out.push_back(instr);
    return Error::success();
  });
  EXPECT_FALSE(bool(err)) << toString(std::move(err));
  return out;
}

std::string errorOf(const Bytes &code, uint64_t base = 0) {
  Error err =
      forEachInstr(code, base, [](const Instr &) { return Error::success(); });
  if (!err)
    return "";
  return toString(std::move(err));
}

Bytes rewrite(const Bytes &code, const IndexMaps &maps) {
  SmallVector<char, 0> out;
  raw_svector_ostream os(out);
  Error err = rewriteExpr(os, code, 0, maps);
  EXPECT_FALSE(bool(err)) << toString(std::move(err));
  return Bytes(out.begin(), out.end());
}

struct IndexList {
  IndexKind kind;
  uint32_t value;
};

void expectIndices(const Instr &instr, std::vector<IndexList> expected) {
  ASSERT_EQ(instr.indices.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(instr.indices[i].kind, expected[i].kind) << "index " << i;
    EXPECT_EQ(instr.indices[i].value, expected[i].value) << "index " << i;
  }
}

TEST(InstructionsTest, ControlAndBlockTypes) {
  Bytes code = {
      0x02, 0x40,                   // block
      0x03, 0x7f,                   // loop (result i32)
      0x04, 0x05,                   // if (type 5)
      0x05,                         // else
      0x0b,                         // end
      0x02, 0x63, 0x02,             // block (result (ref null 2))
      0x0c, 0x01,                   // br 1
      0x0d, 0x00,                   // br_if 0
      0x0e, 0x02, 0x00, 0x01, 0x02, // br_table 0 1 2
      0x0b, 0x0b, 0x0b,             // end end end
      0x0f,                         // return
      0x0b,                         // end (of the function)
  };
  std::vector<Instr> instrs = decode(code, 0x100);
  ASSERT_EQ(instrs.size(), 14u);
  EXPECT_TRUE(instrs[0].is(0x02));
  EXPECT_EQ(instrs[0].offset, 0x100u);
  EXPECT_EQ(instrs[0].blockType.kind, BlockType::Kind::Empty);
  EXPECT_TRUE(instrs[0].opensBlock());
  EXPECT_EQ(instrs[1].blockType.kind, BlockType::Kind::Value);
  EXPECT_EQ(instrs[1].blockType.type.code, 0x7f);
  EXPECT_EQ(instrs[2].blockType.kind, BlockType::Kind::Func);
  EXPECT_EQ(instrs[2].blockType.typeIndex, 5u);
  expectIndices(instrs[2], {{IndexKind::Type, 5}});
  EXPECT_TRUE(instrs[2].indices[0].isS33);
  EXPECT_EQ(instrs[2].indices[0].pos, 1u);
  EXPECT_EQ(instrs[5].blockType.kind, BlockType::Kind::Value);
  EXPECT_EQ(instrs[5].blockType.type.ref.heapType, 2);
  expectIndices(instrs[5], {{IndexKind::Type, 2}});
  EXPECT_EQ(instrs[5].indices[0].pos, 2u);
  expectIndices(instrs[6], {{IndexKind::Label, 1}});
  expectIndices(
      instrs[8],
      {{IndexKind::Label, 0}, {IndexKind::Label, 1}, {IndexKind::Label, 2}});
  EXPECT_EQ(instrs[8].bytes.size(), 5u);
  EXPECT_TRUE(instrs.back().is(0x0b));
}

TEST(InstructionsTest, CallsVariablesAndReferences) {
  Bytes code = {
      0x10, 0x03,             // call 3
      0x11, 0x02, 0x01,       // call_indirect (type 2) table 1
      0x12, 0x04,             // return_call 4
      0x13, 0x06, 0x00,       // return_call_indirect (type 6) table 0
      0x14, 0x07,             // call_ref 7
      0x15, 0x08,             // return_call_ref 8
      0x20, 0x01,             // local.get 1
      0x21, 0x02,             // local.set 2
      0x22, 0x03,             // local.tee 3
      0x23, 0x04,             // global.get 4
      0x24, 0x05,             // global.set 5
      0x25, 0x01,             // table.get 1
      0x26, 0x02,             // table.set 2
      0xd0, 0x70,             // ref.null func
      0xd0, 0x09,             // ref.null 9
      0xd2, 0x0a,             // ref.func 10
      0xd5, 0x00,             // br_on_null 0
      0xd6, 0x01,             // br_on_non_null 1
      0x1c, 0x01, 0x64, 0x03, // select (result (ref 3))
      0x1b,                   // select
      0x0b,
  };
  std::vector<Instr> instrs = decode(code);
  ASSERT_EQ(instrs.size(), 21u);
  expectIndices(instrs[0], {{IndexKind::Func, 3}});
  expectIndices(instrs[1], {{IndexKind::Type, 2}, {IndexKind::Table, 1}});
  expectIndices(instrs[2], {{IndexKind::Func, 4}});
  expectIndices(instrs[3], {{IndexKind::Type, 6}, {IndexKind::Table, 0}});
  expectIndices(instrs[4], {{IndexKind::Type, 7}});
  expectIndices(instrs[5], {{IndexKind::Type, 8}});
  expectIndices(instrs[6], {{IndexKind::Local, 1}});
  expectIndices(instrs[9], {{IndexKind::Global, 4}});
  expectIndices(instrs[10], {{IndexKind::Global, 5}});
  expectIndices(instrs[11], {{IndexKind::Table, 1}});
  expectIndices(instrs[13], {});
  EXPECT_EQ(instrs[13].refType.heapType, heaptype::Func);
  expectIndices(instrs[14], {{IndexKind::Type, 9}});
  EXPECT_TRUE(instrs[14].indices[0].isS33);
  expectIndices(instrs[15], {{IndexKind::Func, 10}});
  expectIndices(instrs[16], {{IndexKind::Label, 0}});
  ASSERT_EQ(instrs[18].selectTypes.size(), 1u);
  EXPECT_EQ(instrs[18].selectTypes[0].code, 0x64);
  expectIndices(instrs[18], {{IndexKind::Type, 3}});
  EXPECT_EQ(instrs[18].indices[0].pos, 3u);
  expectIndices(instrs[19], {});
}

TEST(InstructionsTest, ConstantsAndMemArgs) {
  Bytes code = {
      0x41, 0x7f,                                           // i32.const -1
      0x42, 0x80, 0x01,                                     // i64.const 128
      0x43, 0x00, 0x00, 0x80, 0x3f,                         // f32.const 1.0
      0x44, 0,    0,    0,    0,    0,    0,    0xf0, 0x3f, // f64.const 1.0
      0x28, 0x02, 0x10,                         // i32.load align=4 offset=16
      0x36, 0x42, 0x01, 0x08,                   // i32.store mem 1 offset 8
      0x29, 0x03, 0x80, 0x80, 0x80, 0x80, 0x10, // i64.load offset=2^32
      0x3f, 0x00,                               // memory.size 0
      0x40, 0x01,                               // memory.grow 1
      0x0b,
  };
  std::vector<Instr> instrs = decode(code);
  ASSERT_EQ(instrs.size(), 10u);
  EXPECT_EQ(int64_t(instrs[0].value), -1);
  EXPECT_EQ(instrs[1].value, 128u);
  EXPECT_EQ(instrs[2].value, 0x3f800000u);
  EXPECT_EQ(instrs[3].value, 0x3ff0000000000000u);

  EXPECT_TRUE(instrs[4].hasMemArg);
  EXPECT_EQ(instrs[4].memArg.alignLog2, 2u);
  EXPECT_EQ(instrs[4].memArg.offset, 16u);
  EXPECT_EQ(instrs[4].memArg.memory, 0u);
  expectIndices(instrs[4], {{IndexKind::Memory, 0}});
  EXPECT_TRUE(instrs[4].indices[0].implicit);
  EXPECT_EQ(instrs[4].indices[0].pos, 1u);
  EXPECT_EQ(instrs[4].indices[0].size, 1u);

  EXPECT_EQ(instrs[5].memArg.alignLog2, 2u);
  EXPECT_EQ(instrs[5].memArg.memory, 1u);
  EXPECT_EQ(instrs[5].memArg.offset, 8u);
  expectIndices(instrs[5], {{IndexKind::Memory, 1}});
  EXPECT_FALSE(instrs[5].indices[0].implicit);
  EXPECT_EQ(instrs[5].indices[0].pos, 2u);

  EXPECT_EQ(instrs[6].memArg.offset, uint64_t(1) << 32);
  expectIndices(instrs[7], {{IndexKind::Memory, 0}});
  EXPECT_FALSE(instrs[7].indices[0].implicit);
  expectIndices(instrs[8], {{IndexKind::Memory, 1}});
}

TEST(InstructionsTest, MiscPrefix) {
  Bytes code = {
      0xfc, 0x00,             // i32.trunc_sat_f32_s
      0xfc, 0x07,             // i64.trunc_sat_f64_u
      0xfc, 0x08, 0x01, 0x00, // memory.init data 1 mem 0
      0xfc, 0x09, 0x02,       // data.drop 2
      0xfc, 0x0a, 0x01, 0x00, // memory.copy 1 0
      0xfc, 0x0b, 0x00,       // memory.fill 0
      0xfc, 0x0c, 0x03, 0x01, // table.init elem 3 table 1
      0xfc, 0x0d, 0x04,       // elem.drop 4
      0xfc, 0x0e, 0x00, 0x01, // table.copy 0 1
      0xfc, 0x0f, 0x02,       // table.grow 2
      0xfc, 0x10, 0x03,       // table.size 3
      0xfc, 0x11, 0x04,       // table.fill 4
      0x0b,
  };
  std::vector<Instr> instrs = decode(code);
  ASSERT_EQ(instrs.size(), 13u);
  EXPECT_TRUE(instrs[0].is(prefix::Misc, 0));
  expectIndices(instrs[0], {});
  expectIndices(instrs[2], {{IndexKind::Data, 1}, {IndexKind::Memory, 0}});
  expectIndices(instrs[3], {{IndexKind::Data, 2}});
  expectIndices(instrs[4], {{IndexKind::Memory, 1}, {IndexKind::Memory, 0}});
  expectIndices(instrs[5], {{IndexKind::Memory, 0}});
  expectIndices(instrs[6], {{IndexKind::Elem, 3}, {IndexKind::Table, 1}});
  expectIndices(instrs[7], {{IndexKind::Elem, 4}});
  expectIndices(instrs[8], {{IndexKind::Table, 0}, {IndexKind::Table, 1}});
  expectIndices(instrs[9], {{IndexKind::Table, 2}});
  expectIndices(instrs[10], {{IndexKind::Table, 3}});
  expectIndices(instrs[11], {{IndexKind::Table, 4}});
}

TEST(InstructionsTest, ExceptionHandling) {
  Bytes code = {
      0x06, 0x40,       // try
      0x08, 0x00,       // throw 0
      0x07, 0x01,       // catch 1
      0x09, 0x00,       // rethrow 0
      0x19,             // catch_all
      0x0b,             // end
      0x06, 0x40,       // try
      0x18, 0x00,       // delegate 0
      0x1f, 0x40, 0x03, // try_table, 3 catches
      0x00, 0x02, 0x00, // catch 2 0
      0x01, 0x03, 0x01, // catch_ref 3 1
      0x03, 0x02,       // catch_all_ref 2
      0x0a,             // throw_ref
      0x0b,             // end
      0x0b,
  };
  std::vector<Instr> instrs = decode(code);
  ASSERT_EQ(instrs.size(), 12u);
  expectIndices(instrs[1], {{IndexKind::Tag, 0}});
  expectIndices(instrs[2], {{IndexKind::Tag, 1}});
  expectIndices(instrs[3], {{IndexKind::Label, 0}});
  expectIndices(instrs[7], {{IndexKind::Label, 0}});
  ASSERT_EQ(instrs[8].catches.size(), 3u);
  EXPECT_EQ(instrs[8].catches[0].kind, Catch::Kind::Catch);
  EXPECT_EQ(instrs[8].catches[0].tag, 2u);
  EXPECT_EQ(instrs[8].catches[1].kind, Catch::Kind::CatchRef);
  EXPECT_EQ(instrs[8].catches[1].label, 1u);
  EXPECT_EQ(instrs[8].catches[2].kind, Catch::Kind::AllRef);
  EXPECT_EQ(instrs[8].catches[2].label, 2u);
  expectIndices(instrs[8], {{IndexKind::Tag, 2},
                            {IndexKind::Label, 0},
                            {IndexKind::Tag, 3},
                            {IndexKind::Label, 1},
                            {IndexKind::Label, 2}});
}

TEST(InstructionsTest, GC) {
  Bytes code = {
      0xfb, 0x00, 0x01,                   // struct.new 1
      0xfb, 0x02, 0x01, 0x03,             // struct.get 1 3
      0xfb, 0x08, 0x02, 0x04,             // array.new_fixed 2 4
      0xfb, 0x09, 0x02, 0x01,             // array.new_data 2 1
      0xfb, 0x0a, 0x02, 0x00,             // array.new_elem 2 0
      0xfb, 0x11, 0x02, 0x05,             // array.copy 2 5
      0xfb, 0x0f,                         // array.len
      0xfb, 0x14, 0x06,                   // ref.test (ref 6)
      0xfb, 0x17, 0x6e,                   // ref.cast (ref null any)
      0xfb, 0x18, 0x01, 0x00, 0x6e, 0x07, // br_on_cast 0 anyref (ref 7)
      0xfb, 0x1c,                         // ref.i31
      0x0b,
  };
  std::vector<Instr> instrs = decode(code);
  ASSERT_EQ(instrs.size(), 12u);
  EXPECT_TRUE(instrs[0].is(prefix::GC, 0));
  expectIndices(instrs[0], {{IndexKind::Type, 1}});
  expectIndices(instrs[1], {{IndexKind::Type, 1}, {IndexKind::Field, 3}});
  expectIndices(instrs[2], {{IndexKind::Type, 2}});
  EXPECT_EQ(instrs[2].value, 4u);
  expectIndices(instrs[3], {{IndexKind::Type, 2}, {IndexKind::Data, 1}});
  expectIndices(instrs[4], {{IndexKind::Type, 2}, {IndexKind::Elem, 0}});
  expectIndices(instrs[5], {{IndexKind::Type, 2}, {IndexKind::Type, 5}});
  expectIndices(instrs[7], {{IndexKind::Type, 6}});
  EXPECT_FALSE(instrs[7].refType.nullable);
  EXPECT_TRUE(instrs[7].indices[0].isS33);
  EXPECT_TRUE(instrs[8].refType.nullable);
  EXPECT_EQ(instrs[8].refType.heapType, heaptype::Any);
  expectIndices(instrs[9], {{IndexKind::Label, 0}, {IndexKind::Type, 7}});
  EXPECT_TRUE(instrs[9].refType.nullable);
  EXPECT_FALSE(instrs[9].refType2.nullable);
  EXPECT_EQ(instrs[9].refType2.heapType, 7);
}

TEST(InstructionsTest, AtomicsAndSIMD) {
  Bytes code = {
      0xfe,
      0x00,
      0x02,
      0x00, // memory.atomic.notify
      0xfe,
      0x03,
      0x00, // atomic.fence
      0xfe,
      0x48,
      0x42,
      0x02,
      0x04, // i32.atomic.rmw.cmpxchg mem 2 offset 4
      0xfe,
      0x4f,
      0x01,
      0x03, // global.atomic.get acq_rel 3
      0xfd,
      0x00,
      0x04,
      0x00, // v128.load
      0xfd,
      0x0c,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
      10,
      11,
      12,
      13,
      14,
      15,
      16,
      0xfd,
      0x0d,
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
      10,
      11,
      12,
      13,
      14,
      15,
      0xfd,
      0x15,
      0x07, // i8x16.extract_lane_s
            // 7
      0xfd,
      0x54,
      0x00,
      0x00,
      0x0f, // v128.load8_lane 15
      0xfd,
      0xfe,
      0x01, // f64x2.convert_low_i32x4_s (two-byte LEB)
      0xfd,
      0x93,
      0x02, // i8x16.relaxed_swizzle (0x113)
      0x0b,
  };
  std::vector<Instr> instrs = decode(code);
  ASSERT_EQ(instrs.size(), 12u);
  EXPECT_TRUE(instrs[0].hasMemArg);
  EXPECT_EQ(instrs[0].memArg.alignLog2, 2u);
  expectIndices(instrs[1], {});
  EXPECT_EQ(instrs[2].memArg.memory, 2u);
  EXPECT_EQ(instrs[2].memArg.offset, 4u);
  expectIndices(instrs[3], {{IndexKind::Global, 3}});
  EXPECT_EQ(instrs[3].value, 1u);
  EXPECT_EQ(instrs[4].memArg.alignLog2, 4u);
  ASSERT_EQ(instrs[5].v128.size(), 16u);
  EXPECT_EQ(instrs[5].v128[15], 16);
  EXPECT_EQ(instrs[6].v128[15], 15);
  EXPECT_EQ(instrs[7].value, 7u);
  EXPECT_TRUE(instrs[8].hasMemArg);
  EXPECT_EQ(instrs[8].value, 15u);
  EXPECT_TRUE(instrs[9].is(prefix::SIMD, 0xfe));
  EXPECT_TRUE(instrs[10].is(prefix::SIMD, 0x113));
}

TEST(InstructionsTest, IdentityRoundTripKeepsPaddedLEBs) {
  Bytes code = {
      0x10, 0x83, 0x80, 0x80, 0x80, 0x00, // call 3, padded as relocations are
      0x23, 0x81, 0x80, 0x80, 0x80, 0x00, // global.get 1, padded
      0x41, 0x80, 0x80, 0x80, 0x80, 0x00, // i32.const 0, padded
      0x28, 0x02, 0x90, 0x80, 0x80, 0x80, 0x00, // i32.load offset=16 padded
      0x0b,
  };
  IndexMaps identity;
  EXPECT_EQ(rewrite(code, identity), code);
  // A non-identity map that leaves these indices alone keeps their bytes.
  IndexMaps same;
  same.funcs = IndexMap({0, 1, 2, 3});
  same.globals = IndexMap({0, 1});
  same.memories = IndexMap({0});
  EXPECT_EQ(rewrite(code, same), code);
}

TEST(InstructionsTest, Remap) {
  Bytes code = {
      0x10, 0x83, 0x80, 0x80, 0x80, 0x00, // call 3 (padded)
      0x10, 0x01,                         // call 1
      0x11, 0x02, 0x00,                   // call_indirect (type 2) table 0
      0x02, 0x02,                         // block (type 2), s33
      0x0b,                               // end
      0xd0, 0x02,                         // ref.null 2
      0x23, 0x00,                         // global.get 0
      0x28, 0x02, 0x04,                   // i32.load offset=4 (memory 0)
      0xfc, 0x08, 0x01, 0x00,             // memory.init 1 0
      0xfc, 0x0d, 0x00,                   // elem.drop 0
      0x08, 0x00,                         // throw 0
      0x20, 0x05,                         // local.get 5 (never remapped)
      0x0b,
  };
  IndexMaps maps;
  maps.funcs = IndexMap({IndexMap::Removed, 200, IndexMap::Removed, 0});
  maps.types = IndexMap({0, 0, 100});
  maps.globals = IndexMap({63});
  maps.memories = IndexMap({1});
  maps.data = IndexMap({IndexMap::Removed, 0});
  maps.elems = IndexMap({129});
  maps.tags = IndexMap({64});
  Bytes expected = {
      0x10, 0x00,             // call 0: the padded LEB becomes minimal
      0x10, 0xc8, 0x01,       // call 200: two bytes now
      0x11, 0x64, 0x00,       // type 100 as a u32 LEB is one byte
      0x02, 0xe4, 0x00,       // block type 100 as an s33
      0x0b, 0xd0, 0xe4, 0x00, // heap type 100 as an s33
      0x23, 0x3f,             // global.get 63
      0x28, 0x42, 0x01, 0x04, // memory 1 made explicit with bit 6
      0xfc, 0x08, 0x00, 0x01, // memory.init 0 1
      0xfc, 0x0d, 0x81, 0x01, // elem.drop 129
      0x08, 0x40,             // throw 64 (u32: one byte)
      0x20, 0x05, 0x0b,
  };
  EXPECT_EQ(rewrite(code, maps), expected);
}

TEST(InstructionsTest, RemapErrors) {
  Bytes code = {0x41, 0x00, 0x1a, 0x10, 0x02, 0x0b};
  IndexMaps maps;
  maps.funcs = IndexMap({0, 1, IndexMap::Removed});
  SmallVector<char, 0> out;
  raw_svector_ostream os(out);
  EXPECT_EQ(toString(rewriteExpr(os, code, 0x40, maps)),
            "offset 0x44: function 2 was removed but is referenced");
  maps.funcs = IndexMap({0, 1});
  EXPECT_EQ(toString(rewriteExpr(os, code, 0x40, maps)),
            "offset 0x44: function index 2 is out of range");
}

TEST(InstructionsTest, FunctionBodyLocals) {
  // Module: one function whose locals include (ref null 1) and which calls
  // function 0.
  Bytes bytes = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01,
      0x07, 0x02, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00, // types
      0x03, 0x02, 0x01, 0x00,                         // func: type 0
      0x0a, 0x0b, 0x01, 0x09,                         // code, 1 body
      0x02, 0x01, 0x7f, 0x01, 0x63, 0x01,             // locals
      0x10, 0x00, 0x0b,                               // call 0, end
  };
  Expected<CoreModule> mod = readCoreModule(bytes);
  ASSERT_TRUE(bool(mod)) << toString(mod.takeError());
  const FunctionBody &body = mod->bodies[0];

  SmallVector<char, 0> out;
  raw_svector_ostream os(out);
  ASSERT_FALSE(bool(rewriteFunctionBody(os, body, IndexMaps())));
  EXPECT_EQ(Bytes(out.begin(), out.end()),
            Bytes(body.body.begin(), body.body.end()));

  IndexMaps maps;
  maps.types = IndexMap({0, 70});
  maps.funcs = IndexMap({5});
  out.clear();
  ASSERT_FALSE(bool(rewriteFunctionBody(os, body, maps)));
  Bytes expected = {0x02, 0x01, 0x7f, 0x01, 0x63, 0xc6, 0x00, 0x10, 0x05, 0x0b};
  EXPECT_EQ(Bytes(out.begin(), out.end()), expected);
}

TEST(InstructionsTest, IndexScannerTypes) {
  // rec (sub (struct (field (ref 1)))) (sub final 0 (func (param (ref null
  // 0))))
  Bytes bytes = {0x4e, 0x02, 0x50, 0x00, 0x5f, 0x01, 0x64, 0x01, 0x00,
                 0x4f, 0x01, 0x00, 0x60, 0x01, 0x63, 0x00, 0x00};
  BinaryReader reader(bytes, 0x10);
  SmallVector<IndexImm, 4> imms;
  IndexScanner scanner(reader, 0, imms);
  ASSERT_FALSE(bool(scanner.recGroup()));
  EXPECT_TRUE(reader.atEnd());
  ASSERT_EQ(imms.size(), 3u);
  EXPECT_EQ(imms[0].value, 1u);
  EXPECT_EQ(imms[0].pos, 7u);
  EXPECT_TRUE(imms[0].isS33);
  EXPECT_EQ(imms[1].value, 0u); // supertype: a u32
  EXPECT_FALSE(imms[1].isS33);
  EXPECT_EQ(imms[1].pos, 11u);
  EXPECT_EQ(imms[2].pos, 15u);
}

TEST(InstructionsTest, Errors) {
  EXPECT_EQ(errorOf({0x41, 0x00, 0x17, 0x0b}, 0x20),
            "offset 0x22: unknown opcode 0x17");
  EXPECT_EQ(errorOf({0xfc, 0x20, 0x0b}, 0x20),
            "offset 0x20: unknown opcode 0xfc 0x20");
  EXPECT_EQ(errorOf({0xfb, 0x30, 0x0b}),
            "offset 0x0: unknown opcode 0xfb 0x30");
  EXPECT_EQ(errorOf({0xfd, 0x9a, 0x01, 0x0b}),
            "offset 0x0: unknown opcode 0xfd 0x9a");
  EXPECT_EQ(errorOf({0xfd, 0x94, 0x02, 0x0b}),
            "offset 0x0: unknown opcode 0xfd 0x114");
  EXPECT_EQ(errorOf({0xfe, 0x04, 0x0b}), "offset 0x0: unknown opcode 0xfe 0x4");
  EXPECT_EQ(errorOf({0x01, 0x01}, 0x10),
            "offset 0x12: unexpected end of code: missing end");
  EXPECT_EQ(errorOf({0x02, 0x40, 0x0b}),
            "offset 0x3: unexpected end of code: missing end");
  EXPECT_EQ(errorOf({0x0b, 0x01}),
            "offset 0x1: unexpected data at the end of code (1 byte left)");
  EXPECT_EQ(errorOf({0x10, 0x80}),
            "offset 0x1: unexpected end of input in LEB128 integer");
  EXPECT_EQ(errorOf({0x28, 0x80, 0x01, 0x00, 0x0b}),
            "offset 0x1: malformed memop alignment: alignment too large");
  EXPECT_EQ(errorOf({0x02, 0x7f, 0x0b, 0x0b}), "");
  EXPECT_EQ(errorOf({0x02, 0x80, 0x7f, 0x0b}),
            "offset 0x1: invalid block type");
  EXPECT_EQ(errorOf({0xfe, 0x03, 0x01, 0x0b}),
            "offset 0x2: nonzero byte after atomic.fence");
  EXPECT_EQ(errorOf({0x05, 0x0b}), "offset 0x0: else outside a block");
  EXPECT_EQ(errorOf({0x18, 0x00, 0x0b}),
            "offset 0x0: delegate outside a block");
  EXPECT_EQ(errorOf({0xfb, 0x18, 0x04, 0x00, 0x6e, 0x6e, 0x0b}),
            "offset 0x2: invalid cast flags 0x4");
  EXPECT_EQ(errorOf({0x1f, 0x40, 0x01, 0x04, 0x00, 0x0b, 0x0b}),
            "offset 0x3: invalid catch kind 0x4");
  EXPECT_EQ(errorOf({0xd0, 0x50, 0x0b}), "offset 0x1: invalid heap type 0x50");
  EXPECT_EQ(
      errorOf({0xfd, 0x0c, 0x00}),
      "offset 0x2: unexpected end of input: 16 bytes needed, 1 byte left");
  EXPECT_EQ(errorOf({0xfe, 0x4f, 0x02, 0x00, 0x0b}),
            "offset 0x2: invalid atomic ordering 2");

  // The reader refuses to go on after the final end.
  Bytes code = {0x0b, 0x01};
  InstrReader reader(code, 0);
  Instr instr;
  ASSERT_FALSE(bool(reader.next(instr)));
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(toString(reader.next(instr)),
            "offset 0x1: unexpected instruction after the final end");
}

} // namespace
