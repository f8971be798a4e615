//===- ComponentBuilderTest.cpp - ComponentBuilder tests ------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Byte-for-byte checks of ComponentBuilder. The expected components are
/// `wasm-tools parse` (jco) output of the text next to each array; the
/// builder's trailing `component-name` section, which that text does not
/// have, is derived by hand from Binary.md.
///
//===----------------------------------------------------------------------===//

#include "wcl/Component/ComponentBuilder.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/LEB128.h"
#include "gtest/gtest.h"
#include <vector>

using namespace llvm;
using namespace wcl::component;
using namespace wcl::wasm;

namespace {

using Bytes = std::vector<uint8_t>;

Bytes finish(ComponentBuilder &builder) {
  SmallString<256> buf;
  raw_svector_ostream os(buf);
  builder.finish(os);
  return Bytes(buf.begin(), buf.end());
}

template <typename Fn> Bytes encode(Fn fn) {
  SmallString<64> buf;
  raw_svector_ostream os(buf);
  fn(os);
  return Bytes(buf.begin(), buf.end());
}

Bytes concat(Bytes a, const Bytes &b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// The ids of the sections of a component, in order.
std::vector<uint8_t> sectionIds(const Bytes &component) {
  std::vector<uint8_t> ids;
  size_t pos = 8;
  while (pos < component.size()) {
    ids.push_back(component[pos++]);
    unsigned n = 0;
    uint64_t size = decodeULEB128(&component[pos], &n);
    pos += n + size;
  }
  return ids;
}

FuncType funcType(std::initializer_list<ValType> params,
                  std::initializer_list<ValType> results) {
  FuncType type;
  type.params.assign(params.begin(), params.end());
  type.results.assign(results.begin(), results.end());
  return type;
}

ComponentValType prim(TypeCode code) { return ComponentValType::prim(code); }

// (module (func (export "f") (result i32) i32.const 42))
const Bytes moduleF = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01,
                       0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01,
                       0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a,
                       0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b};

// (component
//   (core module (func (export "f") (result i32) i32.const 42))
//   (core instance (instantiate 0))
//   (alias core export 0 "f" (core func))
//   (type (func (result u32)))
//   (func (type 0) (canon lift (core func 0)))
//   (export "f" (func 0)))
TEST(ComponentBuilderTest, LiftAndExport) {
  ComponentBuilder builder;
  uint32_t module = builder.coreModule(moduleF);
  uint32_t instance = builder.coreInstantiate(module, {});
  uint32_t coreFunc =
      builder.aliasCoreExport(instance, "f", ExternType::Kind::Func);
  uint32_t type = builder.defineFuncType({}, prim(TypeCode::U32));
  uint32_t func = builder.canonLift(coreFunc, type, {});
  uint32_t exported = builder.addExport("f", ComponentExportKind::Func, func);
  EXPECT_EQ(func, 0u);
  EXPECT_EQ(exported, 1u); // an export is a new item of its sort

  Bytes wasmTools = {
      0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x01, 0x22, 0x00, 0x61,
      0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01,
      0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00,
      0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b, 0x02, 0x04, 0x01, 0x00,
      0x00, 0x00, 0x06, 0x07, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x66, 0x07,
      0x05, 0x01, 0x40, 0x00, 0x00, 0x79, 0x08, 0x06, 0x01, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x0b, 0x07, 0x01, 0x00, 0x01, 0x66, 0x01, 0x00, 0x00};
  // The export names func 1 "f", as wasm-encoder does.
  Bytes names = {0x00, 0x16, 0x0e, 'c',  'o',  'm',  'p',  'o',
                 'n',  'e',  'n',  't',  '-',  'n',  'a',  'm',
                 'e',  0x01, 0x05, 0x01, 0x01, 0x01, 0x01, 'f'};
  EXPECT_EQ(finish(builder), concat(wasmTools, names));
}

// (component
//   (type (instance
//     (type (func (param "x" string) (result u32)))
//     (export "g" (func (type 0)))))
//   (import "ns:pkg/iface" (instance (type 0)))
//   (alias export 0 "g" (func))
//   (core module
//     (memory (export "mem") 1)
//     (func (export "realloc") (param i32 i32 i32 i32) (result i32)
//       unreachable))
//   (core module (import "host" "g" (func (param i32 i32) (result i32))))
//   (core instance (instantiate 0))
//   (alias core export 0 "mem" (core memory))
//   (alias core export 0 "realloc" (core func))
//   (core func (canon lower (func 0) (memory 0) (realloc 0)
//     string-encoding=utf8))
//   (core instance (export "g" (func 1)))
//   (core instance (instantiate 1 (with "host" (instance 1))))
//   (export "g2" (func 0)))
TEST(ComponentBuilderTest, BatchingAndIndexSpaces) {
  Bytes module0 = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01,
                   0x09, 0x01, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01,
                   0x7f, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00,
                   0x01, 0x07, 0x11, 0x02, 0x03, 0x6d, 0x65, 0x6d, 0x02,
                   0x00, 0x07, 0x72, 0x65, 0x61, 0x6c, 0x6c, 0x6f, 0x63,
                   0x00, 0x00, 0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b};
  Bytes module1 = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07,
                   0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x02, 0x0a, 0x01,
                   0x04, 0x68, 0x6f, 0x73, 0x74, 0x01, 0x67, 0x00, 0x00};

  ComponentBuilder builder;
  ComponentTypeEncoder iface(ComponentTypeEncoder::Kind::Instance);
  uint32_t gType =
      iface.addFuncType({{"x", prim(TypeCode::String)}}, prim(TypeCode::U32));
  iface.addExport("g", ComponentTypeRef::func(gType));
  uint32_t ifaceType = builder.defineInstanceType(iface);
  uint32_t imported =
      builder.addImport("ns:pkg/iface", ComponentTypeRef::instance(ifaceType));
  uint32_t g = builder.aliasExport(imported, "g", ComponentExportKind::Func);
  uint32_t m0 = builder.coreModule(module0);
  uint32_t m1 = builder.coreModule(module1);
  uint32_t i0 = builder.coreInstantiate(m0, {});
  uint32_t mem = builder.aliasCoreExport(i0, "mem", ExternType::Kind::Memory);
  uint32_t realloc =
      builder.aliasCoreExport(i0, "realloc", ExternType::Kind::Func);
  uint32_t lowered = builder.canonLower(g, {CanonicalOption::memory(mem),
                                            CanonicalOption::realloc(realloc),
                                            CanonicalOption::utf8()});
  uint32_t shim =
      builder.coreInstanceFromExports({{"g", ExternType::Kind::Func, lowered}});
  uint32_t i2 = builder.coreInstantiate(m1, {{"host", shim}});
  builder.addExport("g2", ComponentExportKind::Func, g);

  EXPECT_EQ(gType, 0u);
  EXPECT_EQ(ifaceType, 0u);
  EXPECT_EQ(imported, 0u);
  EXPECT_EQ(g, 0u);
  EXPECT_EQ(m1, 1u);
  EXPECT_EQ(mem, 0u);
  EXPECT_EQ(realloc, 0u);
  EXPECT_EQ(lowered, 1u); // core funcs: the alias, then the lowering
  EXPECT_EQ(shim, 1u);
  EXPECT_EQ(i2, 2u);
  EXPECT_EQ(builder.count(IndexSpace::Func), 2u);
  EXPECT_EQ(builder.count(IndexSpace::CoreFunc), 2u);
  EXPECT_EQ(builder.count(IndexSpace::CoreInstance), 3u);
  EXPECT_EQ(builder.count(IndexSpace::CoreMemory), 1u);

  Bytes wasmTools = {
      0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x07, 0x11, 0x01, 0x42,
      0x02, 0x01, 0x40, 0x01, 0x01, 0x78, 0x73, 0x00, 0x79, 0x04, 0x00, 0x01,
      0x67, 0x01, 0x00, 0x0a, 0x11, 0x01, 0x00, 0x0c, 0x6e, 0x73, 0x3a, 0x70,
      0x6b, 0x67, 0x2f, 0x69, 0x66, 0x61, 0x63, 0x65, 0x05, 0x00, 0x06, 0x06,
      0x01, 0x01, 0x00, 0x00, 0x01, 0x67, 0x01, 0x36, 0x00, 0x61, 0x73, 0x6d,
      0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x01, 0x60, 0x04, 0x7f, 0x7f, 0x7f,
      0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01,
      0x07, 0x11, 0x02, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x07, 0x72, 0x65,
      0x61, 0x6c, 0x6c, 0x6f, 0x63, 0x00, 0x00, 0x0a, 0x05, 0x01, 0x03, 0x00,
      0x00, 0x0b, 0x01, 0x1d, 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x02, 0x0a, 0x01,
      0x04, 0x68, 0x6f, 0x73, 0x74, 0x01, 0x67, 0x00, 0x00, 0x02, 0x04, 0x01,
      0x00, 0x00, 0x00, 0x06, 0x15, 0x02, 0x00, 0x02, 0x01, 0x00, 0x03, 0x6d,
      0x65, 0x6d, 0x00, 0x00, 0x01, 0x00, 0x07, 0x72, 0x65, 0x61, 0x6c, 0x6c,
      0x6f, 0x63, 0x08, 0x0a, 0x01, 0x01, 0x00, 0x00, 0x03, 0x03, 0x00, 0x04,
      0x00, 0x00, 0x02, 0x11, 0x02, 0x01, 0x01, 0x01, 0x67, 0x00, 0x01, 0x00,
      0x01, 0x01, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x12, 0x01, 0x0b, 0x08, 0x01,
      0x00, 0x02, 0x67, 0x32, 0x01, 0x00, 0x00};
  // Names from the import, the alias and the export, in wasm-encoder's
  // order: component instances (listed twice by that order) and funcs.
  Bytes instanceNames = {0x01, 0x10, 0x05, 0x01, 0x00, 0x0c, 'n', 's', ':',
                         'p',  'k',  'g',  '/',  'i',  'f',  'a', 'c', 'e'};
  Bytes names = {0x00, 0x3e, 0x0e, 'c', 'o', 'm', 'p', 'o', 'n',
                 'e',  'n',  't',  '-', 'n', 'a', 'm', 'e'};
  names = concat(names, instanceNames);
  names = concat(
      names, {0x01, 0x09, 0x01, 0x02, 0x00, 0x01, 'g', 0x01, 0x02, 'g', '2'});
  names = concat(names, instanceNames);
  EXPECT_EQ(finish(builder), concat(wasmTools, names));
}

TEST(ComponentBuilderTest, SectionBatching) {
  ComponentBuilder builder;
  builder.definePrimitive(TypeCode::U8);
  builder.definePrimitive(TypeCode::U16);
  builder.coreFuncType(funcType({}, {}));
  builder.coreFuncType(funcType({i32Type()}, {}));
  builder.definePrimitive(TypeCode::U32);
  builder.customSection("x", {});
  builder.definePrimitive(TypeCode::U64);
  builder.coreModule(moduleF);
  builder.coreModule(moduleF); // modules are never batched
  builder.addImport("a", ComponentTypeRef::typeEq(0));
  builder.addImport("b", ComponentTypeRef::typeEq(1));
  builder.producers().add("processed-by", "wcl", "0.1.0");
  Bytes out = finish(builder);
  EXPECT_EQ(sectionIds(out), (std::vector<uint8_t>{7, 3, 7, 0, 7, 1, 1, 10, 0,
                                                   0})); // names, producers
  // The first type section holds two items.
  EXPECT_EQ(Bytes(out.begin() + 8, out.begin() + 13),
            (Bytes{0x07, 0x03, 0x02, 0x7d, 0x7b}));
}

TEST(ComponentBuilderTest, IndexNumberingAcrossKinds) {
  ComponentBuilder builder;
  // Types: imports, definitions, aliases and exports share one index space.
  uint32_t t0 = builder.addImport("r", ComponentTypeRef::subResource());
  uint32_t t1 = builder.definePrimitive(TypeCode::String);
  uint32_t i0 = builder.addImport("i", ComponentTypeRef::instance(t1));
  uint32_t t2 = builder.aliasExport(i0, "t", ComponentExportKind::Type);
  uint32_t t3 = builder.aliasOuter(OuterAliasKind::Type, 1, 0);
  uint32_t t4 = builder.addExport("s", ComponentExportKind::Type, t1);
  EXPECT_EQ((std::vector<uint32_t>{t0, t1, t2, t3, t4}),
            (std::vector<uint32_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(i0, 0u);
  // Core funcs: aliases, lowerings and built-ins.
  uint32_t ci = builder.coreInstanceFromExports({});
  EXPECT_EQ(builder.aliasCoreExport(ci, "f", ExternType::Kind::Func), 0u);
  EXPECT_EQ(builder.resourceNew(t0), 1u);
  EXPECT_EQ(builder.resourceDrop(t0), 2u);
  EXPECT_EQ(builder.aliasCoreExport(ci, "g", ExternType::Kind::Global), 0u);
  EXPECT_EQ(builder.aliasCoreExport(ci, "t", ExternType::Kind::Table), 0u);
  EXPECT_EQ(builder.canonLower(0, {}), 3u);
  // Core modules come from embedding, imports and exports.
  EXPECT_EQ(builder.coreModule(moduleF), 0u);
  EXPECT_EQ(builder.addImport("m", ComponentTypeRef::module(0)), 1u);
  EXPECT_EQ(builder.addExport("m2", ComponentExportKind::Module, 0), 2u);
  EXPECT_EQ(builder.aliasOuter(OuterAliasKind::CoreModule, 1, 0), 3u);
  EXPECT_EQ(builder.coreFuncType(funcType({}, {})), 0u);
  EXPECT_EQ(builder.aliasOuter(OuterAliasKind::CoreType, 1, 0), 1u);
  EXPECT_EQ(
      builder.nestedComponent({0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}),
      0u);
  EXPECT_EQ(builder.instantiate(0, {{"s", ComponentExportKind::Type, 1}}), 1u);
  EXPECT_EQ(builder.count(IndexSpace::Type), 5u);
  EXPECT_EQ(builder.count(IndexSpace::CoreModule), 4u);
  EXPECT_EQ(builder.count(IndexSpace::Component), 1u);
  EXPECT_EQ(builder.count(IndexSpace::Instance), 2u);
}

// (component
//   (type (record (field "a" u32) (field "b" string)))
//   (type (variant (case "x") (case "y" u8)))
//   (type (list 0))
//   (type (tuple u8 s64))
//   (type (flags "p" "q"))
//   (type (enum "e1" "e2"))
//   (type (option 2))
//   (type (result u32 (error string)))
//   (type (result))
//   (type (resource (rep i32)))
//   (type (own 9))
//   (type (borrow 9))
//   (type (stream u8))
//   (type (future))
//   (type (resource (rep i32) (dtor (core func 0))))
//   (core type (func (param i32) (result i32)))
//   (core func (canon resource.new 9))
//   (core func (canon resource.drop 9))
//   (core func (canon resource.rep 9))
//   (core func (canon context.get i32 0))
//   (core func (canon context.set i32 1))
//   (core func (canon task.return (result u32) (memory 0)
//     string-encoding=utf16))
//   (core func (canon task.return))
//   (core func (canon backpressure.inc))
//   (core func (canon waitable-set.wait (memory 0)))
//   (core func (canon thread.new-indirect 0 (core table 0)))
//   (core func (canon subtask.cancel async))
//   (core func (canon stream.read 12 async (memory 0)))
//   (core func (canon future.cancel-write 13 async))
//   (core func (canon thread.yield))
//   (core func (canon error-context.new (memory 0))))
TEST(ComponentBuilderTest, DefinedTypesAndBuiltins) {
  ComponentBuilder builder;
  ComponentValType u8 = prim(TypeCode::U8);
  ComponentValType u32 = prim(TypeCode::U32);
  ComponentValType str = prim(TypeCode::String);
  builder.defineType([&](raw_ostream &os) {
    writeRecordType(os, {{"a", u32}, {"b", str}});
  });
  builder.defineType([&](raw_ostream &os) {
    writeVariantType(os, {{"x", std::nullopt}, {"y", u8}});
  });
  builder.defineType(
      [&](raw_ostream &os) { writeListType(os, ComponentValType::type(0)); });
  builder.defineType([&](raw_ostream &os) {
    writeTupleType(os, {u8, prim(TypeCode::S64)});
  });
  builder.defineType([&](raw_ostream &os) { writeFlagsType(os, {"p", "q"}); });
  builder.defineType([&](raw_ostream &os) { writeEnumType(os, {"e1", "e2"}); });
  builder.defineType(
      [&](raw_ostream &os) { writeOptionType(os, ComponentValType::type(2)); });
  builder.defineType([&](raw_ostream &os) { writeResultType(os, u32, str); });
  builder.defineType([&](raw_ostream &os) {
    writeResultType(os, std::nullopt, std::nullopt);
  });
  uint32_t resource = builder.defineResource(i32Type(), std::nullopt);
  builder.defineType([&](raw_ostream &os) { writeOwnType(os, resource); });
  builder.defineType([&](raw_ostream &os) { writeBorrowType(os, resource); });
  uint32_t stream =
      builder.defineType([&](raw_ostream &os) { writeStreamType(os, u8); });
  uint32_t future = builder.defineType(
      [&](raw_ostream &os) { writeFutureType(os, std::nullopt); });
  builder.defineResource(i32Type(), 0);
  builder.coreFuncType(funcType({i32Type()}, {i32Type()}));
  builder.resourceNew(resource);
  builder.resourceDrop(resource);
  builder.resourceRep(resource);
  builder.contextGet(i32Type(), 0);
  builder.contextSet(i32Type(), 1);
  builder.taskReturn(u32,
                     {CanonicalOption::memory(0), CanonicalOption::utf16()});
  builder.taskReturn(std::nullopt, {});
  builder.backpressureInc();
  builder.waitableSetWait(false, 0);
  builder.threadNewIndirect(0, 0);
  builder.subtaskCancel(true);
  builder.streamRead(stream,
                     {CanonicalOption::async(), CanonicalOption::memory(0)});
  builder.futureCancelWrite(future, true);
  builder.threadYield(false);
  uint32_t last = builder.errorContextNew({CanonicalOption::memory(0)});
  EXPECT_EQ(stream, 12u);
  EXPECT_EQ(last, 14u);

  Bytes wasmTools = {
      0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x07, 0x42, 0x0f, 0x72,
      0x02, 0x01, 0x61, 0x79, 0x01, 0x62, 0x73, 0x71, 0x02, 0x01, 0x78, 0x00,
      0x00, 0x01, 0x79, 0x01, 0x7d, 0x00, 0x70, 0x00, 0x6f, 0x02, 0x7d, 0x78,
      0x6e, 0x02, 0x01, 0x70, 0x01, 0x71, 0x6d, 0x02, 0x02, 0x65, 0x31, 0x02,
      0x65, 0x32, 0x6b, 0x02, 0x6a, 0x01, 0x79, 0x01, 0x73, 0x6a, 0x00, 0x00,
      0x3f, 0x7f, 0x00, 0x69, 0x09, 0x68, 0x09, 0x66, 0x01, 0x7d, 0x65, 0x00,
      0x3f, 0x7f, 0x01, 0x00, 0x03, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,
      0x08, 0x30, 0x0f, 0x02, 0x09, 0x03, 0x09, 0x04, 0x09, 0x0a, 0x7f, 0x00,
      0x0b, 0x7f, 0x01, 0x09, 0x00, 0x79, 0x02, 0x03, 0x00, 0x01, 0x09, 0x01,
      0x00, 0x00, 0x24, 0x20, 0x00, 0x00, 0x27, 0x00, 0x00, 0x06, 0x01, 0x0f,
      0x0c, 0x02, 0x06, 0x03, 0x00, 0x19, 0x0d, 0x01, 0x0c, 0x00, 0x1c, 0x01,
      0x03, 0x00};
  Bytes out = finish(builder);
  ASSERT_GT(out.size(), wasmTools.size());
  EXPECT_EQ(Bytes(out.begin(), out.begin() + wasmTools.size()), wasmTools);
  // Built-ins are named after themselves: a component-name section follows.
  EXPECT_EQ(sectionIds(out).back(), 0u);
}

TEST(ComponentBuilderTest, NamesAndProducers) {
  ComponentBuilder builder;
  builder.setComponentName("root");
  uint32_t m = builder.coreModule(moduleF, "main");
  uint32_t i = builder.coreInstantiate(m, {}, "main-inst");
  builder.aliasCoreExport(i, "f", ExternType::Kind::Func, "f-core");
  builder.defineFuncType({}, std::nullopt, false, "ft");
  builder.producers().add("processed-by", "wcl", "0.1.0");
  Bytes out = finish(builder);

  // component-name: the component, then core funcs, core modules, core
  // instances and types, in wasm-encoder's order; then producers.
  Bytes tail = {
      0x00, 0x46, 0x0e, 'c',  'o',  'm',  'p',  'o', 'n', 'e', 'n', 't', '-',
      'n',  'a',  'm',  'e',                   //
      0x00, 0x05, 0x04, 'r',  'o',  'o',  't', // component
      0x01, 0x0b, 0x00, 0x00, 0x01, 0x00, 0x06, 'f', '-', 'c', 'o', 'r',
      'e', // core funcs
      0x01, 0x09, 0x00, 0x11, 0x01, 0x00, 0x04, 'm', 'a', 'i', 'n', // modules
      0x01, 0x0e, 0x00, 0x12, 0x01, 0x00, 0x09, 'm', 'a', 'i', 'n', '-', 'i',
      'n',  's',  't',                               // instances
      0x01, 0x06, 0x03, 0x01, 0x00, 0x02, 'f',  't', // types
      0x00, 0x23, 0x09, 'p',  'r',  'o',  'd',  'u', 'c', 'e', 'r', 's', 0x01,
      0x0c, 'p',  'r',  'o',  'c',  'e',  's',  's', 'e', 'd', '-', 'b', 'y',
      0x01, 0x03, 'w',  'c',  'l',  0x05, '0',  '.', '1', '.', '0'};
  ASSERT_GT(out.size(), tail.size());
  EXPECT_EQ(Bytes(out.end() - tail.size(), out.end()), tail);
}

TEST(ComponentBuilderTest, NoNamesNoCustomSections) {
  ComponentBuilder builder;
  builder.definePrimitive(TypeCode::U8);
  EXPECT_EQ(finish(builder), (Bytes{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01,
                                    0x00, 0x07, 0x02, 0x01, 0x7d}));
}

TEST(ComponentBuilderTest, ComponentTypes) {
  // (component (type (component
  //   (import "i" (instance (type ...)))
  //   (alias export 0 "r" (type))
  //   (export "f" (func (type 2))))))
  ComponentTypeEncoder instance(ComponentTypeEncoder::Kind::Instance);
  EXPECT_EQ(instance.addExport("r", ComponentTypeRef::subResource()), 0u);
  ComponentTypeEncoder component;
  uint32_t instanceType = component.addInstanceType(instance);
  uint32_t imported =
      component.addImport("i", ComponentTypeRef::instance(instanceType));
  uint32_t r = component.aliasExport(imported, "r", ComponentExportKind::Type);
  uint32_t own =
      component.addType([&](raw_ostream &os) { writeOwnType(os, r); });
  uint32_t f = component.addFuncType({}, ComponentValType::type(own));
  component.addExport("f", ComponentTypeRef::func(f));
  EXPECT_EQ(instanceType, 0u);
  EXPECT_EQ(imported, 0u);
  EXPECT_EQ(r, 1u);
  EXPECT_EQ(own, 2u);
  EXPECT_EQ(f, 3u);
  EXPECT_EQ(component.count(IndexSpace::Func), 1u);
  EXPECT_EQ(encode([&](raw_ostream &os) { component.write(os); }),
            (Bytes{0x41, 0x06, // 6 decls
                   0x01, 0x42, 0x01, 0x04, 0x00, 0x01, 'r', 0x03, 0x01, // inst
                   0x03, 0x00, 0x01, 'i',  0x05, 0x00,    // import
                   0x02, 0x03, 0x00, 0x00, 0x01, 'r',     // alias
                   0x01, 0x69, 0x01,                      // own
                   0x01, 0x40, 0x00, 0x00, 0x02,          // func
                   0x04, 0x00, 0x01, 'f',  0x01, 0x03})); // export
}

TEST(ComponentBuilderTest, ExternNamesAndTypeRefs) {
  ComponentExternName name("wasi:http/handler");
  name.implements = "wasi:http/handler@0.2.0";
  name.versionSuffix = "-rc";
  Bytes expected = {0x02, 0x11};
  for (char c : StringRef("wasi:http/handler"))
    expected.push_back(c);
  expected.insert(expected.end(), {0x02, 0x00, 0x17});
  for (char c : StringRef("wasi:http/handler@0.2.0"))
    expected.push_back(c);
  expected.insert(expected.end(), {0x01, 0x03, '-', 'r', 'c'});
  EXPECT_EQ(encode([&](raw_ostream &os) { writeExternName(os, name); }),
            expected);

  auto ref = [](const ComponentTypeRef &r) {
    return encode([&](raw_ostream &os) { writeTypeRef(os, r); });
  };
  EXPECT_EQ(ref(ComponentTypeRef::module(3)), (Bytes{0x00, 0x11, 0x03}));
  EXPECT_EQ(ref(ComponentTypeRef::component(1)), (Bytes{0x04, 0x01}));
  EXPECT_EQ(ref(ComponentTypeRef::typeEq(5)), (Bytes{0x03, 0x00, 0x05}));
  EXPECT_EQ(ref(ComponentTypeRef::subResource()), (Bytes{0x03, 0x01}));
  EXPECT_EQ(ref(ComponentTypeRef::valueOf(prim(TypeCode::Bool))),
            (Bytes{0x02, 0x7f}));
  // Type indices are s33: 64 needs two bytes.
  EXPECT_EQ(encode([](raw_ostream &os) {
              writeComponentValType(os, ComponentValType::type(64));
            }),
            (Bytes{0xc0, 0x00}));
}

TEST(ComponentBuilderTest, ModuleTypes) {
  // (core type (module
  //   (type (func (param i32)))
  //   (import "env" "f" (func (type 0)))
  //   (alias outer 1 2 (type))
  //   (export "memory" (memory 1))))
  ModuleTypeEncoder module;
  EXPECT_EQ(module.addFuncType(funcType({i32Type()}, {})), 0u);
  ExternType func;
  func.kind = ExternType::Kind::Func;
  module.addImport("env", "f", func);
  EXPECT_EQ(module.aliasOuterCoreType(1, 2), 1u);
  ExternType memory;
  memory.kind = ExternType::Kind::Memory;
  memory.memory.limits.min = 1;
  module.addExport("memory", memory);
  ComponentBuilder builder;
  EXPECT_EQ(builder.coreModuleType(module), 0u);
  Bytes out = finish(builder);
  EXPECT_EQ(
      Bytes(out.begin() + 8, out.end()),
      (Bytes{0x03, 0x21, 0x01, 0x50, 0x04,                        //
             0x01, 0x60, 0x01, 0x7f, 0x00,                        // type
             0x00, 0x03, 'e',  'n',  'v',  0x01, 'f', 0x00, 0x00, // import
             0x02, 0x10, 0x01, 0x01, 0x02,                        // alias
             0x03, 0x06, 'm',  'e',  'm',  'o',  'r', 'y',  0x02,
             0x00, 0x01})); // export
}

} // namespace
