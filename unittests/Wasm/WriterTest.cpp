//===- WriterTest.cpp - Core module writer tests --------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Byte-for-byte checks of the core module writer. Expected module bytes were
/// derived from the spec by hand and confirmed with `wasm-tools parse` (jco)
/// on the text shown next to each array.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "gtest/gtest.h"
#include <vector>

using namespace llvm;
using namespace wcl::wasm;

namespace {

using Bytes = std::vector<uint8_t>;

template <typename Fn> Bytes encode(Fn fn) {
  SmallString<64> buf;
  raw_svector_ostream os(buf);
  fn(os);
  return Bytes(buf.begin(), buf.end());
}

Bytes str(StringRef s) { return Bytes(s.begin(), s.end()); }

FuncType funcType(std::initializer_list<ValType> params,
                  std::initializer_list<ValType> results) {
  FuncType type;
  type.params.assign(params.begin(), params.end());
  type.results.assign(results.begin(), results.end());
  return type;
}

TEST(WriterTest, Leb128AndNames) {
  EXPECT_EQ(encode([](raw_ostream &os) { writeUleb128(os, 624485); }),
            (Bytes{0xe5, 0x8e, 0x26}));
  EXPECT_EQ(encode([](raw_ostream &os) { writeSleb128(os, -123456); }),
            (Bytes{0xc0, 0xbb, 0x78}));
  EXPECT_EQ(encode([](raw_ostream &os) { writeSleb128(os, 64); }),
            (Bytes{0xc0, 0x00}));
  EXPECT_EQ(encode([](raw_ostream &os) { writeName(os, "env"); }),
            (Bytes{0x03, 'e', 'n', 'v'}));
}

TEST(WriterTest, ValTypes) {
  auto enc = [](const ValType &type) {
    return encode([&](raw_ostream &os) { writeValType(os, type); });
  };
  EXPECT_EQ(enc(i32Type()), (Bytes{0x7f}));
  EXPECT_EQ(enc(f64Type()), (Bytes{0x7c}));
  // Nullable abstract references use the one-byte shorthands.
  EXPECT_EQ(enc(funcRefType()), (Bytes{0x70}));
  EXPECT_EQ(enc(externRefType()), (Bytes{0x6f}));
  // (ref func), (ref null 3), (ref 64): the long forms; indices are s33.
  EXPECT_EQ(enc(ValType{0x64, RefType{false, false, heaptype::Func}}),
            (Bytes{0x64, 0x70}));
  EXPECT_EQ(enc(ValType{0x63, RefType{true, false, 3}}), (Bytes{0x63, 0x03}));
  EXPECT_EQ(enc(ValType{0x64, RefType{false, false, 64}}),
            (Bytes{0x64, 0xc0, 0x00}));
  // (ref null (shared any)).
  EXPECT_EQ(enc(ValType{0x63, RefType{true, true, heaptype::Any}}),
            (Bytes{0x65, 0x6e}));
}

TEST(WriterTest, LimitsAndTypes) {
  auto limits = [](const Limits &l) {
    return encode([&](raw_ostream &os) { writeLimits(os, l); });
  };
  EXPECT_EQ(limits({1, std::nullopt}), (Bytes{0x00, 0x01}));
  EXPECT_EQ(limits({2, 10}), (Bytes{0x01, 0x02, 0x0a}));
  Limits shared64{1, 0x10000, /*is64=*/true, /*shared=*/true};
  EXPECT_EQ(limits(shared64), (Bytes{0x07, 0x01, 0x80, 0x80, 0x04}));
  Limits pages{1, std::nullopt, false, false, 0};
  EXPECT_EQ(limits(pages), (Bytes{0x08, 0x01, 0x00}));

  GlobalType global{i32Type(), /*mutable_=*/true};
  EXPECT_EQ(encode([&](raw_ostream &os) { writeGlobalType(os, global); }),
            (Bytes{0x7f, 0x01}));
  TableType table{funcRef(), {2, 10}};
  EXPECT_EQ(encode([&](raw_ostream &os) { writeTableType(os, table); }),
            (Bytes{0x70, 0x01, 0x02, 0x0a}));
  EXPECT_EQ(encode([&](raw_ostream &os) {
              writeFuncType(os, funcType({i32Type(), i64Type()}, {}));
            }),
            (Bytes{0x60, 0x02, 0x7f, 0x7e, 0x00}));
}

TEST(WriterTest, RecGroupsAndSubTypes) {
  // (type (sub (func))): non-final, no supertypes.
  SubType open;
  open.isFinal = false;
  RecGroup lone;
  lone.types.push_back(open);
  EXPECT_EQ(encode([&](raw_ostream &os) { writeRecGroup(os, lone); }),
            (Bytes{0x50, 0x00, 0x60, 0x00, 0x00}));
  // A component's core type section needs the 0x00 prefix...
  EXPECT_EQ(encode([&](raw_ostream &os) {
              writeRecGroup(os, lone, /*inComponentCoreType=*/true);
            }),
            (Bytes{0x00, 0x50, 0x00, 0x60, 0x00, 0x00}));
  // ...but not inside `rec`. (rec (type (sub (func))) (type (sub final 0
  // (func)))).
  SubType derived;
  derived.supertypes.push_back(0);
  RecGroup rec;
  rec.explicitRec = true;
  rec.types.push_back(open);
  rec.types.push_back(derived);
  EXPECT_EQ(encode([&](raw_ostream &os) {
              writeRecGroup(os, rec, /*inComponentCoreType=*/true);
            }),
            (Bytes{0x4e, 0x02, 0x50, 0x00, 0x60, 0x00, 0x00, 0x4f, 0x01, 0x00,
                   0x60, 0x00, 0x00}));
  // (struct (field (mut i8)) (field i32)), (array (mut i32)).
  SubType structType;
  structType.composite.kind = CompositeType::Kind::Struct;
  structType.composite.fields.push_back(FieldType{{}, 0x78, true});
  structType.composite.fields.push_back(FieldType{i32Type(), 0, false});
  EXPECT_EQ(encode([&](raw_ostream &os) { writeSubType(os, structType); }),
            (Bytes{0x5f, 0x02, 0x78, 0x01, 0x7f, 0x00}));
  SubType arrayType;
  arrayType.composite.kind = CompositeType::Kind::Array;
  arrayType.composite.fields.push_back(FieldType{i32Type(), 0, true});
  EXPECT_EQ(encode([&](raw_ostream &os) { writeSubType(os, arrayType); }),
            (Bytes{0x5e, 0x7f, 0x01}));
}

TEST(WriterTest, InstrEmitter) {
  Bytes code = encode([](raw_ostream &os) {
    InstrEmitter(os)
        .localGet(0)
        .globalGet(1)
        .i32Const(-1)
        .i32Add()
        .globalSet(1)
        .i32Const(0)
        .i32Const(5)
        .i32Store({2, 8})
        .i32Store({2, 0, /*memory=*/1})
        .callIndirect(3, 0)
        .returnCallRef(2)
        .refFunc(7)
        .tableSet(0)
        .tableInit(1, 0)
        .memoryInit(2, 0)
        .dataDrop(2)
        .elemDrop(1)
        .unreachable()
        .end();
  });
  EXPECT_EQ(code,
            (Bytes{0x20, 0x00, 0x23, 0x01, 0x41, 0x7f, 0x6a, 0x24, 0x01,
                   0x41, 0x00, 0x41, 0x05, 0x36, 0x02, 0x08, 0x36, 0x42,
                   0x01, 0x00, 0x11, 0x03, 0x00, 0x15, 0x02, 0xd2, 0x07,
                   0x26, 0x00, 0xfc, 0x0c, 0x01, 0x00, 0xfc, 0x08, 0x02,
                   0x00, 0xfc, 0x09, 0x02, 0xfc, 0x0d, 0x01, 0x00, 0x0b}));
  EXPECT_EQ(encode([](raw_ostream &os) {
              InstrEmitter(os).refNull(funcRef()).block().br(0).end();
            }),
            (Bytes{0xd0, 0x70, 0x02, 0x40, 0x0c, 0x00, 0x0b}));
}

// (module
//   (type (func (param i32) (result i32)))
//   (import "env" "f" (func (type 0)))
//   (export "f" (func 0)))
TEST(WriterTest, MinimalModule) {
  CoreModuleBuilder module;
  uint32_t type = module.addType(funcType({i32Type()}, {i32Type()}));
  uint32_t f = module.importFunc("env", "f", type);
  module.addExport("f", ExternType::Kind::Func, f);
  EXPECT_EQ(type, 0u);
  EXPECT_EQ(f, 0u);
  EXPECT_EQ(module.finish(),
            (Bytes{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, //
                   0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // type
                   0x02, 0x09, 0x01, 0x03, 'e',  'n',  'v',  0x01, // import
                   'f',  0x00, 0x00,                               //
                   0x07, 0x05, 0x01, 0x01, 'f',  0x00, 0x00}));    // export
}

TEST(WriterTest, EmptyModule) {
  EXPECT_EQ(CoreModuleBuilder().finish(),
            (Bytes{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}));
}

TEST(WriterTest, TypeDedupe) {
  CoreModuleBuilder module;
  FuncType ii = funcType({i32Type()}, {i32Type()});
  FuncType v = funcType({}, {});
  EXPECT_EQ(module.addType(ii), 0u);
  EXPECT_EQ(module.addType(v), 1u);
  EXPECT_EQ(module.addType(funcType({i32Type()}, {i32Type()})), 0u);
  EXPECT_EQ(module.addType(v), 1u);
  // Param/result split matters: (param i32) differs from (result i32).
  EXPECT_EQ(module.addType(funcType({i32Type()}, {})), 2u);
  EXPECT_EQ(module.addType(funcType({}, {i32Type()})), 3u);
  EXPECT_EQ(module.numTypes(), 4u);
  // A rec group takes the next indices and is never merged.
  RecGroup group;
  group.explicitRec = true;
  group.types.resize(2);
  EXPECT_EQ(module.addRecGroup(group), 4u);
  EXPECT_EQ(module.numTypes(), 6u);
  EXPECT_EQ(module.addType(funcType({i64Type()}, {})), 6u);
}

TEST(WriterTest, IndexSpacesStartWithImports) {
  CoreModuleBuilder module;
  uint32_t t = module.addType(funcType({}, {}));
  EXPECT_EQ(module.importFunc("a", "f", t), 0u);
  EXPECT_EQ(module.importFunc("a", "g", t), 1u);
  EXPECT_EQ(module.importGlobal("a", "sp", GlobalType{i32Type(), true}), 0u);
  EXPECT_EQ(module.importMemory("a", "memory", MemoryType{{1}}), 0u);
  EXPECT_EQ(module.importTable("a", "t", TableType{funcRef(), {1}}), 0u);
  uint8_t end[] = {0x0b};
  EXPECT_EQ(module.addFunction(t, {}, end), 2u);
  EXPECT_EQ(module.addFunction(t, {}, end), 3u);
  EXPECT_EQ(module.addGlobal({i32Type(), false}, InitExpr::i32Const(1)), 1u);
  EXPECT_EQ(module.addTable(TableType{funcRef(), {0}}), 1u);
  EXPECT_EQ(module.addMemory(MemoryType{{0}}), 1u);
  EXPECT_EQ(module.addTag(TagType{0, t}), 0u);
  EXPECT_EQ(module.numFuncs(), 4u);
  EXPECT_EQ(module.numImportedFuncs(), 2u);
  EXPECT_EQ(module.numGlobals(), 2u);
}

// (module $m
//   (type $t0 (func))
//   (type $t1 (func (param i32 i32) (result i32)))
//   (import "env" "memory" (memory 1))
//   (import "env" "__stack_pointer" (global $sp (mut i32)))
//   (import "env" "g" (func $g (type $t1)))
//   (table $tab 2 10 funcref)
//   (global $gl i32 (i32.const 42))
//   (func $init (type $t0)
//     (local $a i32) (local i32 i64)
//     i32.const 1  i32.const 2  call $g  global.set $sp
//     i32.const 0  i32.const 0  i32.const 3  memory.init 1  data.drop 1
//     i32.const 16  i32.const 7  i32.store offset=4
//     i32.const 1  ref.func $g  table.set $tab)
//   (export "init" (func $init))
//   (start $init)
//   (elem (i32.const 0) func $g $init)
//   (data (i32.const 8) "hi")
//   (data "xyz"))
TEST(WriterTest, FullModuleMatchesWasmTools) {
  CoreModuleBuilder module;
  uint32_t t0 = module.addType(funcType({}, {}));
  uint32_t t1 = module.addType(funcType({i32Type(), i32Type()}, {i32Type()}));
  module.importMemory("env", "memory", MemoryType{{1}});
  uint32_t sp =
      module.importGlobal("env", "__stack_pointer", {i32Type(), true});
  uint32_t g = module.importFunc("env", "g", t1);
  uint32_t tab = module.addTable(TableType{funcRef(), {2, 10}});
  uint32_t gl = module.addGlobal({i32Type(), false}, InitExpr::i32Const(42));

  SmallString<64> code;
  raw_svector_ostream codeOS(code);
  uint32_t init = module.numFuncs();
  uint32_t passive = 1; // the second data segment, added below
  InstrEmitter(codeOS)
      .i32Const(1)
      .i32Const(2)
      .call(g)
      .globalSet(sp)
      .i32Const(0)
      .i32Const(0)
      .i32Const(3)
      .memoryInit(passive)
      .dataDrop(passive)
      .i32Const(16)
      .i32Const(7)
      .i32Store({2, 4})
      .i32Const(1)
      .refFunc(g)
      .tableSet(tab)
      .end();
  EXPECT_EQ(module.addFunction(t0, {i32Type(), i32Type(), i64Type()},
                               arrayRefFromStringRef(code.str())),
            init);
  module.addExport("init", ExternType::Kind::Func, init);
  module.setStart(init);
  uint32_t funcs[] = {g, init};
  module.elemSection().addActive(std::nullopt, InitExpr::i32Const(0), funcs);
  EXPECT_EQ(module.addActiveData(0, InitExpr::i32Const(8), str("hi")), 0u);
  EXPECT_EQ(module.addPassiveData(str("xyz")), passive);
  module.setNeedsDataCount();

  NameSectionBuilder &names = module.names();
  names.setModuleName("m");
  // Recorded out of order on purpose: maps come out sorted.
  names.setFunctionName(init, "init");
  names.setFunctionName(g, "g");
  names.setLocalName(init, 0, "a");
  names.setName(CoreNameKind::Type, t1, "t1");
  names.setName(CoreNameKind::Type, t0, "t0");
  names.setName(CoreNameKind::Table, tab, "tab");
  names.setName(CoreNameKind::Global, sp, "sp");
  names.setName(CoreNameKind::Global, gl, "gl");

  Bytes expected = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x02, 0x60,
      0x00, 0x00, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x02, 0x2e, 0x03, 0x03,
      0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00,
      0x01, 0x03, 0x65, 0x6e, 0x76, 0x0f, 0x5f, 0x5f, 0x73, 0x74, 0x61, 0x63,
      0x6b, 0x5f, 0x70, 0x6f, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x03, 0x7f, 0x01,
      0x03, 0x65, 0x6e, 0x76, 0x01, 0x67, 0x00, 0x01, 0x03, 0x02, 0x01, 0x00,
      0x04, 0x05, 0x01, 0x70, 0x01, 0x02, 0x0a, 0x06, 0x06, 0x01, 0x7f, 0x00,
      0x41, 0x2a, 0x0b, 0x07, 0x08, 0x01, 0x04, 0x69, 0x6e, 0x69, 0x74, 0x00,
      0x01, 0x08, 0x01, 0x01, 0x09, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x02,
      0x00, 0x01, 0x0c, 0x01, 0x02, 0x0a, 0x2a, 0x01, 0x28, 0x02, 0x02, 0x7f,
      0x01, 0x7e, 0x41, 0x01, 0x41, 0x02, 0x10, 0x00, 0x24, 0x00, 0x41, 0x00,
      0x41, 0x00, 0x41, 0x03, 0xfc, 0x08, 0x01, 0x00, 0xfc, 0x09, 0x01, 0x41,
      0x10, 0x41, 0x07, 0x36, 0x02, 0x04, 0x41, 0x01, 0xd2, 0x00, 0x26, 0x00,
      0x0b, 0x0b, 0x0d, 0x02, 0x00, 0x41, 0x08, 0x0b, 0x02, 0x68, 0x69, 0x01,
      0x03, 0x78, 0x79, 0x7a, 0x00, 0x3b, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x00,
      0x02, 0x01, 0x6d, 0x01, 0x0a, 0x02, 0x00, 0x01, 0x67, 0x01, 0x04, 0x69,
      0x6e, 0x69, 0x74, 0x02, 0x06, 0x01, 0x01, 0x01, 0x00, 0x01, 0x61, 0x04,
      0x09, 0x02, 0x00, 0x02, 0x74, 0x30, 0x01, 0x02, 0x74, 0x31, 0x05, 0x06,
      0x01, 0x00, 0x03, 0x74, 0x61, 0x62, 0x07, 0x09, 0x02, 0x00, 0x02, 0x73,
      0x70, 0x01, 0x02, 0x67, 0x6c};
  EXPECT_EQ(module.finish(), expected);
}

TEST(WriterTest, ElemSegmentForms) {
  ElemSection elems;
  uint32_t funcs[] = {1, 2};
  InitExpr items[] = {InitExpr::refFunc(1), InitExpr::refNull(funcRef())};
  RefType externRef{true, false, heaptype::Extern};
  InitExpr nullExtern[] = {InitExpr::refNull(externRef)};
  EXPECT_EQ(elems.addActive(std::nullopt, InitExpr::i32Const(0), funcs), 0u);
  EXPECT_EQ(elems.addPassive(funcs), 1u);
  EXPECT_EQ(elems.addActive(1, InitExpr::i32Const(0), funcs), 2u);
  EXPECT_EQ(elems.addDeclared(funcs), 3u);
  elems.addActiveExprs(std::nullopt, InitExpr::i32Const(0), funcRef(), items);
  elems.addPassiveExprs(funcRef(), items);
  // Expressions of a type other than funcref need the explicit-table form.
  elems.addActiveExprs(std::nullopt, InitExpr::globalGet(0), externRef,
                       nullExtern);
  elems.addDeclaredExprs(funcRef(), items);
  Bytes expected = {
      0x09, 0x42, 0x08,                               // id, size, count
      0x00, 0x41, 0x00, 0x0b, 0x02, 0x01, 0x02,       // 0: active funcs
      0x01, 0x00, 0x02, 0x01, 0x02,                   // 1: passive funcs
      0x02, 0x01, 0x41, 0x00, 0x0b, 0x00, 0x02, 0x01, // 2: table 1
      0x02,                                           //
      0x03, 0x00, 0x02, 0x01, 0x02,                   // 3: declared
      0x04, 0x41, 0x00, 0x0b, 0x02, 0xd2, 0x01, 0x0b, // 4: active exprs
      0xd0, 0x70, 0x0b,                               //
      0x05, 0x70, 0x02, 0xd2, 0x01, 0x0b, 0xd0, 0x70, // 5: passive exprs
      0x0b,                                           //
      0x06, 0x00, 0x23, 0x00, 0x0b, 0x6f, 0x01, 0xd0, // 6: externref
      0x6f, 0x0b,                                     //
      0x07, 0x70, 0x02, 0xd2, 0x01, 0x0b, 0xd0, 0x70, // 7: declared exprs
      0x0b};
  EXPECT_EQ(encode([&](raw_ostream &os) { elems.writeTo(os); }), expected);
}

TEST(WriterTest, DataAndTablesWithInit) {
  DataSection data;
  data.addActive(1, InitExpr::i64Const(-1), str("a"));
  EXPECT_EQ(encode([&](raw_ostream &os) { data.writeTo(os); }),
            (Bytes{0x0b, 0x08, 0x01, 0x02, 0x01, 0x42, 0x7f, 0x0b, 0x01, 'a'}));
  TableSection tables;
  tables.addTable(TableType{RefType{false, false, heaptype::Func}, {1}},
                  InitExpr::refFunc(0));
  EXPECT_EQ(encode([&](raw_ostream &os) { tables.writeTo(os); }),
            (Bytes{0x04, 0x0a, 0x01, 0x40, 0x00, 0x64, 0x70, 0x00, 0x01, 0xd2,
                   0x00, 0x0b}));
}

TEST(WriterTest, CustomSectionsComeLast) {
  CoreModuleBuilder module;
  module.addType(funcType({}, {}));
  module.addCustomSection("b", str("x"));
  module.names().setModuleName("a");
  module.addCustomSection("c", {});
  EXPECT_EQ(module.finish(),
            (Bytes{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, //
                   0x01, 0x04, 0x01, 0x60, 0x00, 0x00,             // type
                   0x00, 0x09, 0x04, 'n',  'a',  'm',  'e',        // name
                   0x00, 0x02, 0x01, 'a',                          //
                   0x00, 0x03, 0x01, 'b',  'x',                    // b
                   0x00, 0x02, 0x01, 'c'}));                       // c
}

TEST(WriterTest, RawBodiesAndImportsFromInputs) {
  // A code entry copied from an input keeps its bytes; only the size is
  // added.
  CodeSection code;
  uint8_t body[] = {0x01, 0x01, 0x7f, 0x20, 0x00, 0x0b};
  code.addBody(body);
  EXPECT_EQ(
      encode([&](raw_ostream &os) { code.writeTo(os); }),
      (Bytes{0x0a, 0x08, 0x01, 0x06, 0x01, 0x01, 0x7f, 0x20, 0x00, 0x0b}));
  ExternType tag;
  tag.kind = ExternType::Kind::Tag;
  tag.tag.typeIndex = 2;
  EXPECT_EQ(encode([&](raw_ostream &os) { writeImport(os, "m", "e", tag); }),
            (Bytes{0x01, 'm', 0x01, 'e', 0x04, 0x00, 0x02}));
}

} // namespace
