//===- ComponentReaderTest.cpp - Tests for the component reader -----------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Hand-encoded components: each section kind decodes into the model, every
/// definition gets the index the spec gives it, and malformed input fails
/// with one error naming the absolute offset of the bad byte.
///
//===----------------------------------------------------------------------===//

#include "wcl/Component/ComponentReader.h"
#include "gtest/gtest.h"
#include <set>
#include <vector>

using namespace llvm;
using namespace wcl;
using namespace wcl::component;
using namespace wcl::wasm;

namespace {

using Bytes = std::vector<uint8_t>;

const Bytes Preamble = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};

/// Appends a section with a one-byte size (every test section is short).
void addSection(Bytes &out, uint8_t id, const Bytes &payload) {
  assert(payload.size() < 0x80 && "test sections use one-byte sizes");
  out.push_back(id);
  out.push_back(uint8_t(payload.size()));
  out.insert(out.end(), payload.begin(), payload.end());
}

Bytes component(std::initializer_list<std::pair<uint8_t, Bytes>> sections) {
  Bytes out = Preamble;
  for (const auto &[id, payload] : sections)
    addSection(out, id, payload);
  return out;
}

std::string errorOf(ArrayRef<uint8_t> bytes, uint64_t base = 0) {
  Expected<std::unique_ptr<Component>> c = readComponent(bytes, base);
  if (c)
    return "";
  return toString(c.takeError());
}

std::unique_ptr<Component> read(ArrayRef<uint8_t> bytes) {
  Expected<std::unique_ptr<Component>> c = readComponent(bytes);
  if (!c) {
    ADD_FAILURE() << toString(c.takeError());
    return nullptr;
  }
  return std::move(*c);
}

TEST(ComponentReaderTest, Empty) {
  std::unique_ptr<Component> c = read(Preamble);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->sections.empty());
  for (const auto &space : c->spaces)
    EXPECT_TRUE(space.empty());
}

TEST(ComponentReaderTest, Types) {
  Bytes bytes = component(
      {{7,
        {0x07,
         // 0: (instance (type (func (param "v" s32)
         //    (result s32))) (export "foo" (func (type 0)))
         //    (alias outer 1 0 (type)))
         0x42, 0x03,                                    //
         0x01, 0x40, 0x01, 0x01, 'v', 0x7a, 0x00, 0x7a, //
         0x04, 0x00, 0x03, 'f', 'o', 'o', 0x01, 0x00,   //
         0x02, 0x03, 0x02, 0x01, 0x00,                  //
         // 1: (record (field "a" u32) (field "b" string))
         0x72, 0x02, 0x01, 'a', 0x79, 0x01, 'b', 0x73,
         // 2: (resource (rep i32) (dtor (func 5)))
         0x3f, 0x7f, 0x01, 0x05,
         // 3: (result u32)
         0x6a, 0x01, 0x79, 0x00,
         // 4: (own 2)
         0x69, 0x02,
         // 5: (variant (case "a" u32) (case "b"))
         0x71, 0x02, 0x01, 'a', 0x01, 0x79, 0x00, 0x01, 'b', 0x00, 0x00,
         // 6: (func async) with no params or result
         0x43, 0x00, 0x01, 0x00}}});
  std::unique_ptr<Component> c = read(bytes);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->types.size(), 7u);
  ASSERT_EQ(c->sections.size(), 1u);
  EXPECT_EQ(c->sections[0].id, ComponentSectionId::Type);
  EXPECT_EQ(c->sections[0].offset, 8u);
  EXPECT_EQ(c->sections[0].count, 7u);
  EXPECT_EQ(c->space(IndexSpace::Type).size(), 7u);

  const TypeDef &inst = c->types[0];
  EXPECT_EQ(inst.kind, TypeDef::Kind::Instance);
  EXPECT_EQ(inst.offset, 0xbu);
  ASSERT_EQ(inst.decls.size(), 3u);
  EXPECT_EQ(inst.decls[0].kind, Decl::Kind::Type);
  EXPECT_EQ(inst.decls[0].type->kind, TypeDef::Kind::Func);
  ASSERT_EQ(inst.decls[0].type->func.params.size(), 1u);
  EXPECT_EQ(inst.decls[0].type->func.params[0].label, "v");
  EXPECT_EQ(inst.decls[0].type->func.params[0].type.primitive, TypeCode::S32);
  EXPECT_EQ(inst.decls[1].kind, Decl::Kind::Export);
  EXPECT_EQ(inst.decls[1].name.name, "foo");
  EXPECT_EQ(inst.decls[1].desc.kind, ExternKind::Func);
  EXPECT_EQ(inst.decls[1].space, IndexSpace::Func);
  EXPECT_EQ(inst.decls[1].index, 0u);
  // The alias is the instance type's second type, not the component's.
  EXPECT_EQ(inst.decls[2].kind, Decl::Kind::Alias);
  EXPECT_EQ(inst.decls[2].alias.target, AliasTarget::Outer);
  EXPECT_EQ(inst.decls[2].space, IndexSpace::Type);
  EXPECT_EQ(inst.decls[2].index, 1u);

  const DefinedType &rec = c->types[1].defined;
  EXPECT_EQ(rec.kind, DefinedType::Kind::Record);
  ASSERT_EQ(rec.fields.size(), 2u);
  EXPECT_EQ(rec.fields[1].label, "b");
  EXPECT_EQ(rec.fields[1].type.primitive, TypeCode::String);

  EXPECT_EQ(c->types[2].kind, TypeDef::Kind::Resource);
  EXPECT_EQ(c->types[2].resource.rep.code, 0x7f);
  EXPECT_EQ(c->types[2].resource.dtor, std::optional<uint32_t>(5));

  EXPECT_EQ(c->types[3].defined.kind, DefinedType::Kind::Result);
  EXPECT_TRUE(c->types[3].defined.first.has_value());
  EXPECT_FALSE(c->types[3].defined.second.has_value());

  EXPECT_EQ(c->types[4].defined.kind, DefinedType::Kind::Own);
  EXPECT_EQ(c->types[4].defined.resource, 2u);

  const DefinedType &var = c->types[5].defined;
  ASSERT_EQ(var.cases.size(), 2u);
  EXPECT_TRUE(var.cases[0].type.has_value());
  EXPECT_FALSE(var.cases[1].type.has_value());

  EXPECT_TRUE(c->types[6].func.isAsync);
  EXPECT_FALSE(c->types[6].func.result.has_value());
  EXPECT_EQ(c->types[6].index, 6u);
}

TEST(ComponentReaderTest, CoreTypes) {
  Bytes bytes =
      component({{3,
                  {0x04,
                   // 0: (func (param i32) (result i32))
                   0x60, 0x01, 0x7f, 0x01, 0x7f,
                   // 1: (module (type (func)) (import "a" "b" (func (type 0)))
                   //    (export "c" (func (type 0))))
                   0x50, 0x03,                             //
                   0x01, 0x60, 0x00, 0x00,                 //
                   0x00, 0x01, 'a', 0x01, 'b', 0x00, 0x00, //
                   0x03, 0x01, 'c', 0x00, 0x00,            //
                   // 2: a non-final sub, written 0x00 0x50 in a component
                   0x00, 0x50, 0x00, 0x60, 0x00, 0x00,
                   // 3, 4: (rec (type (func)) (type (func)))
                   0x4e, 0x02, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00}}});
  std::unique_ptr<Component> c = read(bytes);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->coreTypes.size(), 4u);
  EXPECT_EQ(c->space(IndexSpace::CoreType).size(), 5u);

  EXPECT_EQ(c->coreTypes[0].kind, CoreTypeDef::Kind::Rec);
  EXPECT_EQ(c->coreTypes[0].rec.types[0].composite.func.params.size(), 1u);

  const CoreTypeDef &mod = c->coreTypes[1];
  EXPECT_EQ(mod.kind, CoreTypeDef::Kind::Module);
  EXPECT_EQ(mod.index, 1u);
  ASSERT_EQ(mod.decls.size(), 3u);
  EXPECT_EQ(mod.decls[0].kind, ModuleDecl::Kind::Type);
  EXPECT_EQ(mod.decls[1].kind, ModuleDecl::Kind::Import);
  EXPECT_EQ(mod.decls[1].import.module, "a");
  EXPECT_EQ(mod.decls[1].import.field, "b");
  EXPECT_EQ(mod.decls[1].index, 0u);
  EXPECT_EQ(mod.decls[2].kind, ModuleDecl::Kind::Export);
  EXPECT_EQ(mod.decls[2].exportName, "c");

  EXPECT_EQ(c->coreTypes[2].index, 2u);
  EXPECT_FALSE(c->coreTypes[2].rec.types[0].isFinal);

  EXPECT_EQ(c->coreTypes[3].index, 3u);
  EXPECT_EQ(c->coreTypes[3].numTypes(), 2u);
  const IndexEntry *e = c->lookup(IndexSpace::CoreType, 4);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ComponentSectionId::CoreType);
  EXPECT_EQ(e->item, 3u);
  EXPECT_EQ(e->sub, 1u);
  EXPECT_EQ(c->lookup(IndexSpace::CoreType, 5), nullptr);
}

// One of every other section kind, checking that each definition lands at
// the index the spec gives it.
TEST(ComponentReaderTest, SectionsAndIndexSpaces) {
  Bytes nested = Preamble;
  Bytes module = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  Bytes bytes = component({
      // (type (instance))
      {7, {0x01, 0x42, 0x00}},
      // (import "i" (instance (type 0))) -> instance 0
      {10, {0x01, 0x00, 0x01, 'i', 0x05, 0x00}},
      // core module 0
      {1, module},
      // core instance 0: (instance); core instance 1: (instantiate 0
      // (with "env" (instance 0)))
      {2,
       {0x02, 0x01, 0x00, 0x00, 0x00, 0x01, 0x03, 'e', 'n', 'v', 0x12, 0x00}},
      // (alias core export 1 "memory" (core memory)) -> core memory 0
      // (alias export 0 "foo" (func)) -> func 0
      // (alias outer 1 0 (type)) -> type 1
      {6, {0x03,                                                       //
           0x00, 0x02, 0x01, 0x01, 0x06, 'm', 'e', 'm', 'o', 'r', 'y', //
           0x01, 0x00, 0x00, 0x03, 'f',  'o', 'o',                     //
           0x03, 0x02, 0x01, 0x00}},
      // (canon lower (func 0) (memory 0) string-encoding=utf8) -> core func 0
      // (canon lift (core func 0) (realloc 0) (type 0)) -> func 1
      // (canon resource.drop 2) -> core func 1
      // (canon task.return) -> core func 2
      {8, {0x04,                                     //
           0x01, 0x00, 0x00, 0x02, 0x03, 0x00, 0x00, //
           0x00, 0x00, 0x00, 0x01, 0x04, 0x00, 0x00, //
           0x03, 0x02,                               //
           0x09, 0x01, 0x00, 0x00}},
      // component 0
      {4, nested},
      // instance 1: (instantiate 0 (with "f" (func 1)))
      // instance 2: (export "x" (func 0))
      {5,
       {0x02,                                    //
        0x00, 0x00, 0x01, 0x01, 'f', 0x01, 0x01, //
        0x01, 0x01, 0x00, 0x01, 'x', 0x01, 0x00}},
      // (export "foo" (versionsuffix "1.0") (func 1) (func (type 0)))
      //   -> func 2
      // (export "inst" (instance 2)) -> instance 3
      {11, {0x02,                                                          //
            0x02, 0x03, 'f',  'o',  'o',  0x01, 0x01, 0x03, '1', '.', '0', //
            0x01, 0x01, 0x01, 0x01, 0x00,                                  //
            0x00, 0x04, 'i',  'n',  's',  't',  0x05, 0x02, 0x00}},
      // (value u32 5) -> value 0
      {12, {0x01, 0x79, 0x01, 0x05}},
      // (start (func 1) (value 0) (result (value))) -> value 1
      {9, {0x01, 0x01, 0x00, 0x01}},
  });
  std::unique_ptr<Component> c = read(bytes);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->sections.size(), 11u);

  ASSERT_EQ(c->imports.size(), 1u);
  EXPECT_EQ(c->imports[0].name.name, "i");
  EXPECT_EQ(c->imports[0].desc.kind, ExternKind::Instance);
  EXPECT_EQ(c->imports[0].index, 0u);

  ASSERT_EQ(c->coreModules.size(), 1u);
  EXPECT_EQ(c->coreModules[0].bytes.size(), 8u);
  EXPECT_EQ(c->coreModules[0].offset, c->sections[2].payloadOffset);
  // The model points into the input rather than copying it.
  EXPECT_EQ(c->coreModules[0].bytes.data(),
            bytes.data() + c->coreModules[0].offset);

  ASSERT_EQ(c->coreInstances.size(), 2u);
  EXPECT_EQ(c->coreInstances[0].expr, InstanceExpr::FromExports);
  EXPECT_EQ(c->coreInstances[1].expr, InstanceExpr::Instantiate);
  ASSERT_EQ(c->coreInstances[1].args.size(), 1u);
  EXPECT_EQ(c->coreInstances[1].args[0].name, "env");
  EXPECT_EQ(c->coreInstances[1].index, 1u);

  ASSERT_EQ(c->aliases.size(), 3u);
  EXPECT_EQ(c->aliases[0].target, AliasTarget::CoreExport);
  EXPECT_EQ(c->aliases[0].sort, SortKind::coreSort(CoreSort::Memory));
  EXPECT_EQ(c->aliases[0].name, "memory");
  EXPECT_EQ(c->aliases[0].index, 0u);
  EXPECT_EQ(c->aliases[1].sort, SortKind::of(Sort::Func));
  EXPECT_EQ(c->aliases[1].index, 0u);
  EXPECT_EQ(c->aliases[2].target, AliasTarget::Outer);
  EXPECT_EQ(c->aliases[2].index, 1u);

  ASSERT_EQ(c->canons.size(), 4u);
  EXPECT_EQ(c->canons[0].op, CanonOp::Lower);
  ASSERT_EQ(c->canons[0].options.size(), 2u);
  EXPECT_EQ(c->canons[0].options[0].kind, CanonOpt::Memory);
  EXPECT_EQ(c->canons[0].options[1].kind, CanonOpt::StringUtf8);
  EXPECT_EQ(c->canons[0].index, 0u);
  EXPECT_EQ(c->canons[1].op, CanonOp::Lift);
  EXPECT_EQ(c->canons[1].index, 1u);
  EXPECT_EQ(c->canons[1].options[0].kind, CanonOpt::Realloc);
  EXPECT_EQ(c->canons[2].op, CanonOp::ResourceDrop);
  EXPECT_EQ(c->canons[2].type, 2u);
  EXPECT_EQ(c->canons[2].index, 1u);
  EXPECT_EQ(c->canons[3].op, CanonOp::TaskReturn);
  EXPECT_FALSE(c->canons[3].result.has_value());
  EXPECT_EQ(c->canons[3].index, 2u);

  ASSERT_EQ(c->components.size(), 1u);
  EXPECT_EQ(c->components[0]->offset, c->sections[6].payloadOffset);
  EXPECT_TRUE(c->components[0]->sections.empty());

  ASSERT_EQ(c->instances.size(), 2u);
  EXPECT_EQ(c->instances[0].index, 1u);
  EXPECT_EQ(c->instances[0].args[0].item.sort, SortKind::of(Sort::Func));
  EXPECT_EQ(c->instances[0].args[0].item.index, 1u);
  EXPECT_EQ(c->instances[1].index, 2u);
  EXPECT_EQ(c->instances[1].exports[0].name.name, "x");

  ASSERT_EQ(c->exports.size(), 2u);
  EXPECT_EQ(c->exports[0].name.form, 0x02);
  EXPECT_EQ(c->exports[0].name.versionSuffix, std::optional<StringRef>("1.0"));
  ASSERT_TRUE(c->exports[0].desc.has_value());
  EXPECT_EQ(c->exports[0].desc->kind, ExternKind::Func);
  EXPECT_EQ(c->exports[0].index, 2u);
  EXPECT_FALSE(c->exports[1].desc.has_value());
  EXPECT_EQ(c->exports[1].index, 3u);

  ASSERT_EQ(c->values.size(), 1u);
  EXPECT_EQ(c->values[0].bytes.size(), 1u);
  ASSERT_EQ(c->starts.size(), 1u);
  EXPECT_EQ(c->starts[0].firstResult, 1u);

  // Each index space lists its definitions in order.
  EXPECT_EQ(c->space(IndexSpace::Func).size(), 3u); // alias, lift, export
  EXPECT_EQ(c->space(IndexSpace::CoreFunc).size(), 3u);
  EXPECT_EQ(c->space(IndexSpace::Instance).size(), 4u); // import, 2, export
  EXPECT_EQ(c->space(IndexSpace::Type).size(), 2u);
  EXPECT_EQ(c->space(IndexSpace::Value).size(), 2u);
  EXPECT_EQ(c->space(IndexSpace::Component).size(), 1u);
  const IndexEntry *f1 = c->lookup(IndexSpace::Func, 1);
  ASSERT_TRUE(f1);
  EXPECT_EQ(f1->kind, ComponentSectionId::Canon);
  EXPECT_EQ(f1->item, 1u);
  const IndexEntry *i3 = c->lookup(IndexSpace::Instance, 3);
  ASSERT_TRUE(i3);
  EXPECT_EQ(i3->kind, ComponentSectionId::Export);
  EXPECT_EQ(i3->item, 1u);
}

TEST(ComponentReaderTest, CustomSections) {
  Bytes bytes = component({
      {0,
       {0x0e, 'c', 'o', 'm', 'p', 'o', 'n', 'e', 'n', 't', '-', 'n', 'a', 'm',
        'e',
        // the component is called "top"
        0x00, 0x04, 0x03, 't', 'o', 'p',
        // core module 0 is called "m"
        0x01, 0x06, 0x00, 0x11, 0x01, 0x00, 0x01, 'm'}},
      {0, {0x09, 'p',  'r', 'o', 'd',  'u',  'c', 'e',  'r', 's',
           0x01, 0x02, 'l', 'g', 0x01, 0x01, 'C', 0x02, '1', '7'}},
  });
  std::unique_ptr<Component> c = read(bytes);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->customs.size(), 2u);
  const CustomSection *cs = c->findCustom("component-name");
  ASSERT_TRUE(cs);
  Expected<ComponentNames> names =
      readComponentNames(cs->payload, cs->payloadOffset);
  ASSERT_TRUE(bool(names)) << toString(names.takeError());
  EXPECT_EQ(names->component, std::optional<StringRef>("top"));
  EXPECT_EQ(names->lookup(IndexSpace::CoreModule, 0), "m");
  EXPECT_EQ(names->lookup(IndexSpace::CoreModule, 1), "");
  EXPECT_EQ(names->lookup(IndexSpace::Func, 0), "");

  // producers is only found; its decoder is the core one.
  EXPECT_TRUE(c->findCustom("producers"));
  EXPECT_EQ(c->findCustom("producers")->payload.size(), 10u);
  EXPECT_FALSE(c->findCustom("name"));
}

TEST(ComponentReaderTest, BrokenNameSectionIsNotAnError) {
  // A name section is advisory: a malformed one must not make the component
  // unreadable; decoding it separately reports the problem.
  Bytes bytes = component({{0,
                            {0x0e, 'c', 'o', 'm', 'p', 'o', 'n', 'e', 'n', 't',
                             '-', 'n', 'a', 'm', 'e', 0x01, 0x05}}});
  std::unique_ptr<Component> c = read(bytes);
  ASSERT_TRUE(c);
  const CustomSection *cs = c->findCustom("component-name");
  ASSERT_TRUE(cs);
  Expected<ComponentNames> names =
      readComponentNames(cs->payload, cs->payloadOffset);
  ASSERT_FALSE(bool(names));
  EXPECT_EQ(
      toString(names.takeError()),
      "offset 0x1b: unexpected end of input: 5 bytes needed, 0 bytes left");
}

//===----------------------------------------------------------------------===//
// Malformed input
//===----------------------------------------------------------------------===//

TEST(ComponentReaderTest, BadMagic) {
  Bytes bytes = {0x00, 0x61, 0x73, 0x6e, 0x0d, 0x00, 0x01, 0x00};
  EXPECT_EQ(errorOf(bytes),
            "offset 0x0: not a WebAssembly binary: bad magic number");
}

TEST(ComponentReaderTest, BadVersion) {
  Bytes bytes = {0x00, 0x61, 0x73, 0x6d, 0x0e, 0x00, 0x01, 0x00};
  EXPECT_EQ(errorOf(bytes),
            "offset 0x4: unsupported component version 0xe (expected 0xd)");
}

TEST(ComponentReaderTest, BadLayer) {
  Bytes bytes = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x02, 0x00};
  EXPECT_EQ(errorOf(bytes), "offset 0x6: unknown binary layer 2");
}

TEST(ComponentReaderTest, CoreModuleIsNotAComponent) {
  Bytes bytes = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  EXPECT_EQ(errorOf(bytes),
            "offset 0x0: expected a component, found a core module");
}

TEST(ComponentReaderTest, TruncatedSectionSize) {
  Bytes bytes = Preamble;
  bytes.insert(bytes.end(), {0x07, 0x80});
  EXPECT_EQ(errorOf(bytes),
            "offset 0x9: unexpected end of input in LEB128 integer");
}

TEST(ComponentReaderTest, TruncatedLEBInSection) {
  // (canon lower (func <cut>)): the LEB at 0xd is cut by the section end.
  Bytes bytes = component({{8, {0x01, 0x01, 0x00, 0x80}}});
  EXPECT_EQ(errorOf(bytes),
            "offset 0xd: unexpected end of input in LEB128 integer");
}

TEST(ComponentReaderTest, BadSectionId) {
  Bytes bytes = Preamble;
  bytes.insert(bytes.end(), {0x42, 0x00});
  EXPECT_EQ(errorOf(bytes), "offset 0x8: unknown component section id 0x42");
}

TEST(ComponentReaderTest, SectionPastEnd) {
  Bytes bytes = Preamble;
  bytes.insert(bytes.end(), {0x07, 0x05, 0x01});
  EXPECT_EQ(errorOf(bytes),
            "offset 0x9: section size 5 goes past the end of the input (1 "
            "byte left)");
}

TEST(ComponentReaderTest, LeftoverBytes) {
  Bytes bytes = component({{7, {0x00, 0x00}}});
  EXPECT_EQ(errorOf(bytes), "offset 0xb: unexpected data at the end of type "
                            "section (1 byte left)");
}

TEST(ComponentReaderTest, UnknownCanonOpcode) {
  Bytes bytes = component({{8, {0x01, 0x55}}});
  EXPECT_EQ(errorOf(bytes),
            "offset 0xb: unknown canonical function opcode 0x55");
}

TEST(ComponentReaderTest, UnknownSort) {
  Bytes bytes = component({{6, {0x01, 0x07, 0x00, 0x00}}});
  EXPECT_EQ(errorOf(bytes), "offset 0xb: unknown sort 0x07");
}

TEST(ComponentReaderTest, UnknownCoreSort) {
  Bytes bytes = component({{6, {0x01, 0x00, 0x09, 0x01, 0x00}}});
  EXPECT_EQ(errorOf(bytes), "offset 0xc: unknown core sort 0x09");
}

TEST(ComponentReaderTest, UnknownTypeConstructor) {
  Bytes bytes = component({{7, {0x01, 0x50}}});
  EXPECT_EQ(errorOf(bytes), "offset 0xb: unknown type constructor 0x50");
}

TEST(ComponentReaderTest, UnknownValueType) {
  // (list <0x50>): 0x50 is neither a primitive nor a non-negative index.
  Bytes bytes = component({{7, {0x01, 0x70, 0x50}}});
  EXPECT_EQ(errorOf(bytes), "offset 0xc: unknown value type 0x50");
}

TEST(ComponentReaderTest, BadExportTypeFlag) {
  Bytes bytes = component({{11, {0x01, 0x00, 0x01, 'a', 0x01, 0x00, 0x02}}});
  EXPECT_EQ(errorOf(bytes),
            "offset 0x10: invalid export type flag 0x02 (expected 0 or 1)");
}

TEST(ComponentReaderTest, ImportDeclInInstanceType) {
  Bytes bytes =
      component({{7, {0x01, 0x42, 0x01, 0x03, 0x00, 0x01, 'a', 0x01, 0x00}}});
  EXPECT_EQ(errorOf(bytes),
            "offset 0xd: import declaration in an instance type");
}

TEST(ComponentReaderTest, NestedErrorsHaveAbsoluteOffsets) {
  Bytes inner = Preamble;
  inner.insert(inner.end(), {0x42, 0x00});
  Bytes bytes = component({{4, inner}});
  EXPECT_EQ(errorOf(bytes), "offset 0x12: unknown component section id 0x42");
  // And with a base, as for a component embedded in a larger file.
  EXPECT_EQ(errorOf(bytes, 0x100),
            "offset 0x112: unknown component section id 0x42");
}

TEST(ComponentReaderTest, DeepNestingIsRefused) {
  // 200 components nested in one another: refused, not recursed into.
  Bytes bytes = Preamble;
  for (int i = 0; i < 200; ++i) {
    Bytes outer = Preamble;
    outer.push_back(0x04);
    // LEB128 of the nested size.
    uint64_t n = bytes.size();
    do {
      uint8_t b = n & 0x7f;
      n >>= 7;
      outer.push_back(b | (n ? 0x80 : 0));
    } while (n);
    outer.insert(outer.end(), bytes.begin(), bytes.end());
    bytes = std::move(outer);
  }
  std::string err = errorOf(bytes);
  EXPECT_NE(err.find("components nested too deeply"), std::string::npos) << err;
}

TEST(ComponentReaderTest, DeepTypeNestingIsRefused) {
  // (instance (type (instance (type ... )))) 200 deep.
  Bytes type = {0x42, 0x00};
  for (int i = 0; i < 200; ++i) {
    Bytes outer = {0x42, 0x01, 0x01};
    outer.insert(outer.end(), type.begin(), type.end());
    type = std::move(outer);
  }
  Bytes bytes = Preamble;
  bytes.push_back(0x07);
  uint64_t n = type.size() + 1;
  do {
    uint8_t b = n & 0x7f;
    n >>= 7;
    bytes.push_back(b | (n ? 0x80 : 0));
  } while (n);
  bytes.push_back(0x01);
  bytes.insert(bytes.end(), type.begin(), type.end());
  std::string err = errorOf(bytes);
  EXPECT_NE(err.find("types nested too deeply"), std::string::npos) << err;
}

TEST(ComponentReaderTest, EveryPrefixFailsCleanly) {
  // Cutting a valid component anywhere gives an error, never a crash (run
  // under ASan for full effect).
  Bytes bytes = component({
      {7,
       {0x02, 0x42, 0x01, 0x01, 0x40, 0x00, 0x01, 0x00, 0x72, 0x01, 0x01, 'a',
        0x79}},
      {10, {0x01, 0x00, 0x01, 'i', 0x05, 0x00}},
      {8, {0x01, 0x01, 0x00, 0x00, 0x02, 0x03, 0x00, 0x00}},
      {11, {0x01, 0x00, 0x01, 'e', 0x05, 0x00, 0x00}},
  });
  std::unique_ptr<Component> full = read(bytes);
  ASSERT_TRUE(full);
  // Exactly the cuts at a section boundary leave a valid, shorter component.
  std::set<size_t> boundaries = {Preamble.size()};
  for (const Section &sec : full->sections)
    boundaries.insert(sec.payloadOffset + sec.payload.size());
  for (size_t len = 0; len < bytes.size(); ++len) {
    std::string err = errorOf(ArrayRef<uint8_t>(bytes).take_front(len));
    EXPECT_EQ(err.empty(), boundaries.count(len) == 1) << len << ": " << err;
  }
}

} // namespace
