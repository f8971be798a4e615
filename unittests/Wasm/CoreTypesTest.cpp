//===- CoreTypesTest.cpp - Tests for core type decoding -------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Value, reference, GC composite, limits, global, tag and extern types:
/// every encoding decodes to the right value and renders as wasm-tools prints
/// it, and malformed bytes give an error with the offending offset.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/CoreTypes.h"
#include "gtest/gtest.h"

using namespace llvm;
using namespace wcl::wasm;

namespace {

template <typename T> std::string errorOf(Expected<T> v) {
  if (v)
    return "";
  return toString(v.takeError());
}

/// Decodes \p bytes with \p fn, expecting success and every byte consumed.
template <typename Fn> auto decode(ArrayRef<uint8_t> bytes, Fn fn) {
  BinaryReader r(bytes);
  auto v = fn(r);
  EXPECT_TRUE(bool(v)) << (v ? "" : toString(v.takeError()));
  EXPECT_TRUE(r.atEnd());
  return v;
}

std::string valType(ArrayRef<uint8_t> bytes) {
  auto v = decode(bytes, readValType);
  return v ? toString(*v) : "";
}

TEST(CoreTypesTest, NumberTypes) {
  EXPECT_EQ(valType({0x7f}), "i32");
  EXPECT_EQ(valType({0x7e}), "i64");
  EXPECT_EQ(valType({0x7d}), "f32");
  EXPECT_EQ(valType({0x7c}), "f64");
  EXPECT_EQ(valType({0x7b}), "v128");
}

TEST(CoreTypesTest, RefShorthands) {
  EXPECT_EQ(valType({0x70}), "funcref");
  EXPECT_EQ(valType({0x6f}), "externref");
  EXPECT_EQ(valType({0x6e}), "anyref");
  EXPECT_EQ(valType({0x6d}), "eqref");
  EXPECT_EQ(valType({0x6c}), "i31ref");
  EXPECT_EQ(valType({0x6b}), "structref");
  EXPECT_EQ(valType({0x6a}), "arrayref");
  EXPECT_EQ(valType({0x69}), "exnref");
  EXPECT_EQ(valType({0x71}), "nullref");
  EXPECT_EQ(valType({0x72}), "nullexternref");
  EXPECT_EQ(valType({0x73}), "nullfuncref");
  EXPECT_EQ(valType({0x74}), "nullexnref");
  EXPECT_EQ(valType({0x68}), "contref");
  EXPECT_EQ(valType({0x75}), "nullcontref");

  // A shorthand is a nullable reference to the abstract heap type.
  Expected<ValType> v = decode({0x70}, readValType);
  ASSERT_TRUE(bool(v));
  EXPECT_TRUE(v->isRef());
  EXPECT_EQ(v->code, 0x63);
  EXPECT_TRUE(v->ref.nullable);
  EXPECT_EQ(v->ref.heapType, heaptype::Func);
}

TEST(CoreTypesTest, RefTypes) {
  EXPECT_EQ(valType({0x63, 0x03}), "(ref null 3)");
  EXPECT_EQ(valType({0x64, 0x03}), "(ref 3)");
  EXPECT_EQ(valType({0x64, 0x70}), "(ref func)");
  EXPECT_EQ(valType({0x63, 0x6f}), "externref");
  EXPECT_EQ(valType({0x64, 0x65, 0x6e}), "(ref (shared any))");
  EXPECT_EQ(valType({0x63, 0x65, 0x70}), "(ref null (shared func))");
  // A multi-byte s33 index.
  EXPECT_EQ(valType({0x64, 0x80, 0x01}), "(ref 128)");
}

TEST(CoreTypesTest, BadValType) {
  const uint8_t bytes[] = {0x40};
  BinaryReader r(bytes, 0x10);
  EXPECT_EQ(errorOf(readValType(r)), "offset 0x10: invalid value type 0x40");
}

TEST(CoreTypesTest, BadHeapType) {
  const uint8_t bytes[] = {0x64, 0x7f};
  BinaryReader r(bytes, 0x10);
  EXPECT_EQ(errorOf(readValType(r)), "offset 0x11: invalid heap type 0x7f");
}

TEST(CoreTypesTest, RefTypeRejectsNumbers) {
  const uint8_t bytes[] = {0x7f};
  BinaryReader r(bytes, 4);
  EXPECT_EQ(errorOf(readRefType(r)), "offset 0x4: invalid reference type 0x7f");
}

TEST(CoreTypesTest, TruncatedRefType) {
  const uint8_t bytes[] = {0x63};
  BinaryReader r(bytes, 4);
  EXPECT_EQ(errorOf(readValType(r)), "offset 0x5: unexpected end of input");
}

TEST(CoreTypesTest, FuncTypeRecGroup) {
  // (func (param i32 i64) (result f32))
  const uint8_t bytes[] = {0x60, 0x02, 0x7f, 0x7e, 0x01, 0x7d};
  Expected<RecGroup> g = decode(bytes, readRecGroup);
  ASSERT_TRUE(bool(g));
  EXPECT_FALSE(g->explicitRec);
  ASSERT_EQ(g->types.size(), 1u);
  const SubType &t = g->types[0];
  EXPECT_TRUE(t.isFinal);
  EXPECT_EQ(t.composite.kind, CompositeType::Kind::Func);
  EXPECT_EQ(t.composite.func.params.size(), 2u);
  EXPECT_EQ(toString(t), "(func (param i32 i64) (result f32))");
  EXPECT_EQ(toString(t.composite.func), "(func (param i32 i64) (result f32))");
}

TEST(CoreTypesTest, EmptyFuncType) {
  const uint8_t bytes[] = {0x60, 0x00, 0x00};
  Expected<RecGroup> g = decode(bytes, readRecGroup);
  ASSERT_TRUE(bool(g));
  EXPECT_EQ(toString(g->types[0]), "(func)");
}

TEST(CoreTypesTest, GcRecGroup) {
  const uint8_t bytes[] = {
      0x4e, 0x03,                   // rec, 3 types
      0x50, 0x00, 0x5f, 0x02,       // sub (struct 2 fields)
      0x7f, 0x01,                   //   (field (mut i32))
      0x78, 0x00,                   //   (field i8)
      0x4f, 0x01, 0x00, 0x5f, 0x01, // sub final 0 (struct 1 field)
      0x63, 0x01, 0x00,             //   (field (ref null 1))
      0x5e, 0x77, 0x01,             // (array (mut i16))
  };
  Expected<RecGroup> g = decode(bytes, readRecGroup);
  ASSERT_TRUE(bool(g));
  EXPECT_TRUE(g->explicitRec);
  ASSERT_EQ(g->types.size(), 3u);
  EXPECT_FALSE(g->types[0].isFinal);
  EXPECT_EQ(toString(g->types[0]),
            "(sub (struct (field (mut i32)) (field i8)))");
  EXPECT_TRUE(g->types[1].isFinal);
  ASSERT_EQ(g->types[1].supertypes.size(), 1u);
  EXPECT_EQ(g->types[1].supertypes[0], 0u);
  EXPECT_EQ(toString(g->types[1]),
            "(sub final 0 (struct (field (ref null 1))))");
  EXPECT_EQ(g->types[2].composite.kind, CompositeType::Kind::Array);
  EXPECT_EQ(toString(g->types[2]), "(array (mut i16))");
}

TEST(CoreTypesTest, SharedAndContTypes) {
  const uint8_t shared[] = {0x65, 0x60, 0x00, 0x00};
  Expected<RecGroup> g = decode(shared, readRecGroup);
  ASSERT_TRUE(bool(g));
  EXPECT_TRUE(g->types[0].composite.shared);
  EXPECT_EQ(toString(g->types[0]), "(shared (func))");

  const uint8_t cont[] = {0x5d, 0x02};
  Expected<RecGroup> c = decode(cont, readRecGroup);
  ASSERT_TRUE(bool(c));
  EXPECT_EQ(toString(c->types[0]), "(cont 2)");
}

TEST(CoreTypesTest, SubTypeAfterLead) {
  // As the component reader calls it: the lead byte was already consumed.
  const uint8_t bytes[] = {0x00, 0x01, 0x7f};
  BinaryReader r(bytes);
  Expected<SubType> t = readSubTypeAfter(0x60, r);
  ASSERT_TRUE(bool(t));
  EXPECT_EQ(toString(*t), "(func (result i32))");
}

TEST(CoreTypesTest, BadTypeLead) {
  const uint8_t bytes[] = {0x00, 0x4e, 0x01, 0x40};
  BinaryReader r(bytes, 0x20);
  ASSERT_FALSE(r.skip(1));
  EXPECT_EQ(errorOf(readRecGroup(r)),
            "offset 0x23: invalid leading byte 0x40 for a type definition");
}

TEST(CoreTypesTest, BadFieldMutability) {
  const uint8_t bytes[] = {0x5e, 0x7f, 0x02};
  BinaryReader r(bytes);
  EXPECT_EQ(errorOf(readRecGroup(r)), "offset 0x2: malformed mutability 0x2");
}

TEST(CoreTypesTest, Limits) {
  auto limits = [](ArrayRef<uint8_t> bytes) {
    Expected<Limits> l = decode(bytes, readLimits);
    return l ? toString(*l) : std::string("<error>");
  };
  EXPECT_EQ(limits({0x00, 0x01}), "1");
  EXPECT_EQ(limits({0x01, 0x01, 0x02}), "1 2");
  EXPECT_EQ(limits({0x03, 0x01, 0x02}), "1 2 shared");
  // memory64: 64-bit bounds.
  EXPECT_EQ(limits({0x05, 0x80, 0x80, 0x80, 0x80, 0x10, 0x01}),
            "i64 4294967296 1");
  // custom-page-sizes: log2 after the bounds.
  EXPECT_EQ(limits({0x08, 0x01, 0x00}), "1 (pagesize 1)");
  EXPECT_EQ(limits({0x09, 0x01, 0x02, 0x10}), "1 2 (pagesize 65536)");

  Expected<Limits> l = decode({0x0d, 0x02, 0x03, 0x00}, readLimits);
  ASSERT_TRUE(bool(l));
  EXPECT_TRUE(l->is64);
  EXPECT_FALSE(l->shared);
  EXPECT_EQ(l->min, 2u);
  EXPECT_EQ(l->max, std::optional<uint64_t>(3));
  EXPECT_EQ(l->pageSizeLog2, std::optional<uint32_t>(0));
}

TEST(CoreTypesTest, BadLimits) {
  const uint8_t flags[] = {0x10, 0x01};
  BinaryReader r(flags, 0x30);
  EXPECT_EQ(errorOf(readLimits(r)), "offset 0x30: invalid limits flags 0x10");

  // A 32-bit bound may not use the 64-bit range.
  const uint8_t big[] = {0x00, 0x80, 0x80, 0x80, 0x80, 0x10};
  BinaryReader r2(big, 0x30);
  EXPECT_EQ(errorOf(readLimits(r2)),
            "offset 0x31: invalid LEB128: integer too large for u32");
}

TEST(CoreTypesTest, TableMemoryGlobalTag) {
  Expected<TableType> t = decode({0x70, 0x01, 0x01, 0x0a}, readTableType);
  ASSERT_TRUE(bool(t));
  EXPECT_EQ(toString(*t), "1 10 funcref");

  Expected<MemoryType> m = decode({0x00, 0x02}, readMemoryType);
  ASSERT_TRUE(bool(m));
  EXPECT_EQ(toString(*m), "2");

  Expected<GlobalType> g = decode({0x7f, 0x01}, readGlobalType);
  ASSERT_TRUE(bool(g));
  EXPECT_TRUE(g->mutable_);
  EXPECT_EQ(toString(*g), "(mut i32)");
  Expected<GlobalType> g2 = decode({0x6f, 0x00}, readGlobalType);
  ASSERT_TRUE(bool(g2));
  EXPECT_EQ(toString(*g2), "externref");
  Expected<GlobalType> g3 = decode({0x7e, 0x03}, readGlobalType);
  ASSERT_TRUE(bool(g3));
  EXPECT_EQ(toString(*g3), "(shared (mut i64))");

  Expected<TagType> tag = decode({0x00, 0x05}, readTagType);
  ASSERT_TRUE(bool(tag));
  EXPECT_EQ(tag->typeIndex, 5u);
  EXPECT_EQ(toString(*tag), "(type 5)");
}

TEST(CoreTypesTest, BadGlobalAndTag) {
  const uint8_t mut[] = {0x7f, 0x04};
  BinaryReader r(mut, 8);
  EXPECT_EQ(errorOf(readGlobalType(r)), "offset 0x9: malformed mutability 0x4");
  const uint8_t tag[] = {0x01, 0x00};
  BinaryReader r2(tag, 8);
  EXPECT_EQ(errorOf(readTagType(r2)), "offset 0x8: invalid tag attribute 0x1");
}

TEST(CoreTypesTest, Imports) {
  const uint8_t bytes[] = {
      0x03, 'e', 'n',  'v', 0x01, 'f',  0x00, 0x02,             // func type 2
      0x03, 'e', 'n',  'v', 0x01, 'm',  0x02, 0x01, 0x01, 0x02, // memory
      0x01, 'a', 0x01, 'g', 0x03, 0x7f, 0x01,       // global (mut i32)
      0x01, 'a', 0x01, 't', 0x01, 0x70, 0x00, 0x00, // table 0 funcref
      0x01, 'a', 0x01, 'x', 0x04, 0x00, 0x01,       // tag (type 1)
  };
  BinaryReader r(bytes);
  std::vector<std::string> rendered;
  while (!r.atEnd()) {
    Expected<Import> imp = readImport(r);
    ASSERT_TRUE(bool(imp)) << toString(imp.takeError());
    rendered.push_back(
        (imp->module + "." + imp->field + " " + toString(imp->type)).str());
  }
  ASSERT_EQ(rendered.size(), 5u);
  EXPECT_EQ(rendered[0], "env.f (func (type 2))");
  EXPECT_EQ(rendered[1], "env.m (memory 1 2)");
  EXPECT_EQ(rendered[2], "a.g (global (mut i32))");
  EXPECT_EQ(rendered[3], "a.t (table 0 funcref)");
  EXPECT_EQ(rendered[4], "a.x (tag (type 1))");
}

TEST(CoreTypesTest, BadExternKind) {
  const uint8_t bytes[] = {0x00, 0x00, 0x05};
  BinaryReader r(bytes, 0x40);
  EXPECT_EQ(errorOf(readImport(r)), "offset 0x42: invalid external kind 0x5");
}

TEST(CoreTypesTest, KindNames) {
  EXPECT_EQ(toString(ExternType::Kind::Func), "func");
  EXPECT_EQ(toString(ExternType::Kind::Table), "table");
  EXPECT_EQ(toString(ExternType::Kind::Memory), "memory");
  EXPECT_EQ(toString(ExternType::Kind::Global), "global");
  EXPECT_EQ(toString(ExternType::Kind::Tag), "tag");
}

} // namespace
