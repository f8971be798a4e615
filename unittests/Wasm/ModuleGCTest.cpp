//===- ModuleGCTest.cpp - Tests for core module garbage collection --------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Modules built with CoreModuleBuilder are reduced to some of their exports
/// and the result is read back: only what the roots reach stays, in order,
/// with every index renumbered, segments kept or dropped by the liveness
/// rules, `ref.func` declarations kept valid, names renumbered, and an
/// all-live module reproduced byte for byte.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/ModuleGC.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/StringExtras.h"
#include "gtest/gtest.h"
#include <vector>

using namespace llvm;
using namespace wcl::wasm;

namespace {

using Bytes = std::vector<uint8_t>;

FuncType sig(std::initializer_list<ValType> params,
             std::initializer_list<ValType> results) {
  FuncType type;
  type.params.append(params.begin(), params.end());
  type.results.append(results.begin(), results.end());
  return type;
}

/// Code bytes built with InstrEmitter; ends the function.
template <typename Fn> Bytes code(Fn fn) {
  SmallVector<char, 32> buf;
  raw_svector_ostream os(buf);
  InstrEmitter e(os);
  fn(e);
  e.end();
  return Bytes(buf.begin(), buf.end());
}

Bytes gc(const Bytes &input, std::initializer_list<StringRef> roots,
         const ModuleGCOptions &options = {}) {
  Expected<CoreModule> mod = readCoreModule(input);
  EXPECT_TRUE(bool(mod)) << toString(mod.takeError());
  if (!mod)
    return {};
  ModuleGC gc(*mod);
  for (StringRef root : roots) {
    Error e = gc.addRootExport(root);
    EXPECT_FALSE(bool(e)) << toString(std::move(e));
  }
  if (Error e = gc.run()) {
    ADD_FAILURE() << toString(std::move(e));
    return {};
  }
  Expected<std::vector<uint8_t>> out = gc.emit(options);
  EXPECT_TRUE(bool(out)) << toString(out.takeError());
  return out ? *out : Bytes();
}

/// The module points into \p bytes, which must outlive it.
CoreModule read(const Bytes &bytes) {
  Expected<CoreModule> mod = readCoreModule(bytes);
  EXPECT_TRUE(bool(mod)) << toString(mod.takeError());
  return mod ? std::move(*mod) : CoreModule();
}
CoreModule read(Bytes &&bytes) = delete;

Bytes codeOf(const CoreModule &mod, unsigned defined) {
  ArrayRef<uint8_t> c = mod.bodies[defined].code;
  return Bytes(c.begin(), c.end());
}

/// env.a, env.b imported; $keep calls env.a and reads $g0; $drop calls env.b
/// and reads $g1; $dead is never reached.
Bytes basicModule() {
  CoreModuleBuilder b;
  FuncType v = sig({}, {});
  FuncType i = sig({i32Type()}, {});
  uint32_t a = b.importFunc("env", "a", v);
  uint32_t bb = b.importFunc("env", "b", i);
  GlobalType gt{i32Type(), true, false};
  uint32_t g0 = b.addGlobal(gt, InitExpr::i32Const(1));
  uint32_t g1 = b.addGlobal(gt, InitExpr::i32Const(2));
  uint32_t keep = b.addFunction(
      v, {}, code([&](InstrEmitter &e) { e.globalGet(g0).drop().call(a); }));
  uint32_t drop = b.addFunction(
      v, {}, code([&](InstrEmitter &e) { e.globalGet(g1).call(bb); }));
  uint32_t dead = b.addFunction(i, {}, code([&](InstrEmitter &e) {}));
  b.addExport("keep", ExternType::Kind::Func, keep);
  b.addExport("drop", ExternType::Kind::Func, drop);
  b.names().setFunctionName(a, "a");
  b.names().setFunctionName(bb, "b");
  b.names().setFunctionName(keep, "keep");
  b.names().setFunctionName(drop, "drop");
  b.names().setFunctionName(dead, "dead");
  b.names().setLocalName(dead, 0, "x");
  b.names().setName(CoreNameKind::Global, g1, "g1");
  return b.finish();
}

TEST(ModuleGCTest, KeepsOnlyWhatRootsReach) {
  Bytes out = gc(basicModule(), {"keep"});
  CoreModule mod = read(out);
  ASSERT_EQ(mod.imports.size(), 1u);
  EXPECT_EQ(mod.imports[0].field, "a");
  ASSERT_EQ(mod.funcTypes.size(), 1u);
  ASSERT_EQ(mod.globals.size(), 1u);
  EXPECT_EQ(mod.globals[0].init.getIntConstant(), 1);
  ASSERT_EQ(mod.exports.size(), 1u);
  EXPECT_EQ(mod.exports[0].name, "keep");
  EXPECT_EQ(mod.exports[0].index, 1u);
  // Only the () -> () type is used.
  EXPECT_EQ(mod.types.size(), 1u);
  EXPECT_EQ(codeOf(mod, 0), (Bytes{0x23, 0x00, 0x1a, 0x10, 0x00, 0x0b}));
  // Names of removed items are gone, the others renumbered.
  ASSERT_TRUE(mod.names.has_value());
  EXPECT_EQ(mod.names->lookup(CoreNameKind::Function, 0), StringRef("a"));
  EXPECT_EQ(mod.names->lookup(CoreNameKind::Function, 1), StringRef("keep"));
  EXPECT_FALSE(mod.names->lookup(CoreNameKind::Function, 2).has_value());
  EXPECT_FALSE(mod.names->lookup(CoreNameKind::Global, 0).has_value());
  for (const NameSubsection &sub : mod.names->subsections)
    EXPECT_NE(CoreNameKind(sub.id), CoreNameKind::Local);
}

TEST(ModuleGCTest, RemapsAcrossRoots) {
  Bytes out = gc(basicModule(), {"drop"});
  CoreModule mod = read(out);
  ASSERT_EQ(mod.imports.size(), 1u);
  EXPECT_EQ(mod.imports[0].field, "b");
  EXPECT_EQ(mod.imports[0].type.funcType, 1u); // (i32) -> () after () -> ()
  EXPECT_EQ(codeOf(mod, 0), (Bytes{0x23, 0x00, 0x10, 0x00, 0x0b}));
  EXPECT_EQ(mod.names->lookup(CoreNameKind::Global, 0), StringRef("g1"));
}

TEST(ModuleGCTest, AllLiveIsIdentity) {
  Bytes in = basicModule();
  Expected<CoreModule> mod = readCoreModule(in);
  ASSERT_TRUE(bool(mod));
  ModuleGC gc(*mod);
  gc.addAllExports();
  gc.addRoot(IndexKind::Func, 4); // $dead
  ASSERT_FALSE(bool(gc.run()));
  Expected<std::vector<uint8_t>> out = gc.emit();
  ASSERT_TRUE(bool(out));
  EXPECT_EQ(*out, in);
  EXPECT_TRUE(gc.getMaps().funcs.lookup(4) == 4u);
}

TEST(ModuleGCTest, ElementSegmentsFollowTheirTable) {
  auto build = [](bool callIndirect) {
    CoreModuleBuilder b;
    FuncType v = sig({}, {});
    uint32_t vt = b.addType(v);
    uint32_t table = b.addTable(TableType{funcRef(), Limits{2, 2}});
    uint32_t f0 = b.addFunction(v, {}, code([&](InstrEmitter &e) {
                                  if (callIndirect)
                                    e.i32Const(1).callIndirect(vt, table);
                                }));
    uint32_t f1 = b.addFunction(v, {}, code([](InstrEmitter &e) { e.nop(); }));
    b.elemSection().addActive(std::nullopt, InitExpr::i32Const(0), {f0, f1});
    b.addExport("f", ExternType::Kind::Func, f0);
    return b.finish();
  };
  Bytes keptBytes = gc(build(true), {"f"});
  CoreModule kept = read(keptBytes);
  EXPECT_EQ(kept.funcTypes.size(), 2u);
  EXPECT_EQ(kept.tables.size(), 1u);
  ASSERT_EQ(kept.elemSegments.size(), 1u);
  EXPECT_EQ(kept.elemSegments[0].functions.size(), 2u);

  Bytes droppedBytes = gc(build(false), {"f"});
  CoreModule dropped = read(droppedBytes);
  EXPECT_EQ(dropped.funcTypes.size(), 1u);
  EXPECT_TRUE(dropped.tables.empty());
  EXPECT_TRUE(dropped.elemSegments.empty());
}

TEST(ModuleGCTest, DataSegments) {
  CoreModuleBuilder b;
  FuncType v = sig({}, {});
  uint32_t mem = b.addMemory(MemoryType{Limits{1}});
  b.addActiveData(mem, InitExpr::i32Const(16), {1, 2, 3});
  uint32_t unused = b.addPassiveData({4});
  uint32_t used = b.addPassiveData({5, 6});
  (void)unused;
  b.setNeedsDataCount();
  uint32_t f = b.addFunction(
      v, {}, code([&](InstrEmitter &e) {
        e.i32Const(0).i32Const(0).i32Const(2).memoryInit(used).dataDrop(used);
      }));
  b.addExport("f", ExternType::Kind::Func, f);
  Bytes out = gc(b.finish(), {"f"});
  CoreModule mod = read(out);
  ASSERT_EQ(mod.dataSegments.size(), 2u);
  EXPECT_EQ(mod.dataSegments[0].mode, DataSegment::Mode::Active);
  EXPECT_EQ(mod.dataSegments[1].content.size(), 2u);
  EXPECT_EQ(mod.dataCount, 2u);
  EXPECT_EQ(codeOf(mod, 0), (Bytes{0x41, 0x00, 0x41, 0x00, 0x41, 0x02, 0xfc,
                                   0x08, 0x01, 0x00, 0xfc, 0x09, 0x01, 0x0b}));
}

TEST(ModuleGCTest, RefFuncStaysDeclared) {
  CoreModuleBuilder b;
  FuncType v = sig({}, {});
  uint32_t f0 = b.addFunction(v, {}, code([](InstrEmitter &e) { e.nop(); }));
  uint32_t f1 = b.addFunction(v, {}, code([](InstrEmitter &e) { e.nop(); }));
  uint32_t f2 = b.addFunction(v, {}, code([](InstrEmitter &e) { e.nop(); }));
  // $user takes f1 and f2 by reference: f1 is declared by a declarative
  // segment (with the dead f0), f2 only by the export "g" the GC removes.
  uint32_t user = b.addFunction(v, {}, code([&](InstrEmitter &e) {
                                  e.refFunc(f1).drop().refFunc(f2).drop();
                                }));
  b.elemSection().addDeclared({f0, f1});
  b.addExport("user", ExternType::Kind::Func, user);
  b.addExport("g", ExternType::Kind::Func, f2);
  Bytes out = gc(b.finish(), {"user"});
  CoreModule mod = read(out);
  ASSERT_EQ(mod.funcTypes.size(), 3u); // f1, f2, user
  ASSERT_EQ(mod.elemSegments.size(), 2u);
  EXPECT_EQ(mod.elemSegments[0].mode, ElemSegment::Mode::Declarative);
  EXPECT_EQ(mod.elemSegments[0].functions, (SmallVector<uint32_t, 0>{0}));
  EXPECT_EQ(mod.elemSegments[1].mode, ElemSegment::Mode::Declarative);
  EXPECT_EQ(mod.elemSegments[1].functions, (SmallVector<uint32_t, 0>{1}));
  EXPECT_EQ(codeOf(mod, 2), (Bytes{0xd2, 0x00, 0x1a, 0xd2, 0x01, 0x1a, 0x0b}));
}

TEST(ModuleGCTest, StartAndRecGroups) {
  CoreModuleBuilder b;
  RecGroup group;
  group.explicitRec = true;
  SubType a, c;
  a.composite.func = sig({}, {});
  c.composite.func = sig({i32Type()}, {});
  group.types = {a, c};
  b.addRecGroup(group); // types 0 and 1
  uint32_t unusedType = b.addType(sig({i64Type()}, {}));
  (void)unusedType;
  uint32_t init = b.addFunction(0, {}, code([](InstrEmitter &e) { e.nop(); }));
  uint32_t start =
      b.addFunction(0, {}, code([&](InstrEmitter &e) { e.call(init); }));
  b.setStart(start);
  Bytes out = gc(b.finish(), {});
  CoreModule mod = read(out);
  // The rec group stays whole; the lone i64 type goes.
  EXPECT_EQ(mod.types.size(), 2u);
  ASSERT_EQ(mod.recGroups.size(), 1u);
  EXPECT_EQ(mod.funcTypes.size(), 2u);
  EXPECT_EQ(mod.startFunction, 1u);
}

TEST(ModuleGCTest, RewriteBodyHook) {
  ModuleGCOptions options;
  auto hook = [](uint32_t oldIndex, const FunctionBody &body,
                 const IndexMaps &maps, raw_ostream &os) -> Error {
    if (Error e = rewriteLocals(os, body, maps))
      return e;
    InstrEmitter(os).nop();
    return rewriteExpr(os, body.code, body.codeOffset, maps);
  };
  options.rewriteBody = hook;
  Bytes out = gc(basicModule(), {"keep"}, options);
  CoreModule mod = read(out);
  EXPECT_EQ(codeOf(mod, 0), (Bytes{0x01, 0x23, 0x00, 0x1a, 0x10, 0x00, 0x0b}));
}

TEST(ModuleGCTest, Errors) {
  Bytes in = basicModule();
  Expected<CoreModule> mod = readCoreModule(in);
  ASSERT_TRUE(bool(mod));
  ModuleGC gc(*mod);
  EXPECT_EQ(toString(gc.addRootExport("nope")),
            "module has no export named 'nope'");
  gc.addRoot(IndexKind::Global, 7);
  EXPECT_EQ(toString(gc.run()), "root global 7 is not in the module");

  // A live body calling a function that does not exist.
  CoreModuleBuilder b;
  uint32_t f =
      b.addFunction(sig({}, {}), {}, code([](InstrEmitter &e) { e.call(9); }));
  b.addExport("f", ExternType::Kind::Func, f);
  Bytes bad = b.finish();
  Expected<CoreModule> badMod = readCoreModule(bad);
  ASSERT_TRUE(bool(badMod));
  ModuleGC badGC(*badMod);
  ASSERT_FALSE(bool(badGC.addRootExport("f")));
  uint64_t callAt = badMod->bodies[0].codeOffset + 1;
  EXPECT_EQ(toString(badGC.run()), "offset 0x" + utohexstr(callAt, true) +
                                       ": function index 9 is out of range");
}

} // namespace
