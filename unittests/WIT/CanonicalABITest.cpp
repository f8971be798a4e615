//===- CanonicalABITest.cpp - Sizes, flattening and options ---------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Layouts and core signatures checked against CanonicalABI.md's rules,
/// worked by hand for each type.
///
//===----------------------------------------------------------------------===//

#include "wcl/WIT/CanonicalABI.h"
#include "wcl/Wasm/Writer.h"
#include "gtest/gtest.h"

using namespace wcl;
using namespace wcl::wit;

namespace {

class CanonicalABITest : public ::testing::Test {
protected:
  Type prim(Prim p) { return Type::primitive(p); }
  Type def(TypeDef d) { return Type::of(resolve.addType(std::move(d))); }
  Type record(std::vector<Type> fields) {
    TypeDef d;
    d.kind = TypeDefKind::Record;
    for (size_t i = 0; i < fields.size(); ++i)
      d.fields.push_back({"f" + std::to_string(i), fields[i]});
    return def(std::move(d));
  }
  Type variant(std::vector<std::optional<Type>> cases) {
    TypeDef d;
    d.kind = TypeDefKind::Variant;
    for (size_t i = 0; i < cases.size(); ++i)
      d.cases.push_back({"c" + std::to_string(i), cases[i]});
    return def(std::move(d));
  }
  Type unary(TypeDefKind kind, Type element) {
    TypeDef d;
    d.kind = kind;
    d.element = element;
    return def(std::move(d));
  }
  Type result(std::optional<Type> ok, std::optional<Type> err) {
    TypeDef d;
    d.kind = TypeDefKind::Result;
    d.element = ok;
    d.error = err;
    return def(std::move(d));
  }
  Type flags(size_t n) {
    TypeDef d;
    d.kind = TypeDefKind::Flags;
    for (size_t i = 0; i < n; ++i)
      d.names.push_back("f" + std::to_string(i));
    return def(std::move(d));
  }
  std::string flat(Type t) {
    llvm::SmallVector<wasm::ValType, 8> out;
    flatten(resolve, t, out);
    std::string s;
    for (const wasm::ValType &v : out)
      s += (s.empty() ? "" : " ") + wasm::toString(v);
    return s;
  }
  std::string sig(const wasm::FuncType &f) {
    std::string s = "(";
    for (const wasm::ValType &v : f.params)
      s += wasm::toString(v) + " ";
    s += ") -> (";
    for (const wasm::ValType &v : f.results)
      s += wasm::toString(v) + " ";
    return s + ")";
  }
  void expectLayout(Type t, uint32_t size, uint32_t align) {
    SizeAlign sa = sizeAlign(resolve, t);
    EXPECT_EQ(sa.size, size);
    EXPECT_EQ(sa.align, align);
  }

  Resolve resolve;
};

TEST_F(CanonicalABITest, PrimitiveLayouts) {
  expectLayout(prim(Prim::Bool), 1, 1);
  expectLayout(prim(Prim::U16), 2, 2);
  expectLayout(prim(Prim::Char), 4, 4);
  expectLayout(prim(Prim::F64), 8, 8);
  expectLayout(prim(Prim::String), 8, 4);
}

TEST_F(CanonicalABITest, AggregateLayouts) {
  expectLayout(record({prim(Prim::U8), prim(Prim::U32), prim(Prim::U8)}), 12,
               4);
  expectLayout(record({}), 0, 1);
  expectLayout(unary(TypeDefKind::Option, prim(Prim::U64)), 16, 8);
  expectLayout(result(prim(Prim::String), prim(Prim::U8)), 12, 4);
  expectLayout(result(std::nullopt, std::nullopt), 1, 1);
  expectLayout(unary(TypeDefKind::List, prim(Prim::U64)), 8, 4);
  TypeDef fixed;
  fixed.kind = TypeDefKind::FixedList;
  fixed.element = prim(Prim::U16);
  fixed.length = 3;
  expectLayout(def(fixed), 6, 2);
}

TEST_F(CanonicalABITest, MapsAreListsOfPairs) {
  TypeDef m;
  m.kind = TypeDefKind::Map;
  m.types = {prim(Prim::String), prim(Prim::U64)};
  Type map = def(m);
  expectLayout(map, 8, 4);
  EXPECT_EQ(flat(map), "i32 i32");
  EXPECT_TRUE(resolve.hasList(map));
  EXPECT_TRUE(resolve.hasString(map));
}

TEST_F(CanonicalABITest, DiscriminantGrowsWithCases) {
  std::vector<std::optional<Type>> cases(300);
  expectLayout(variant(cases), 2, 2);
  cases.resize(256);
  expectLayout(variant(cases), 1, 1);
}

TEST_F(CanonicalABITest, FlagsLayouts) {
  expectLayout(flags(0), 0, 1);
  expectLayout(flags(8), 1, 1);
  expectLayout(flags(9), 2, 2);
  expectLayout(flags(40), 8, 4);
  EXPECT_EQ(flat(flags(40)), "i32 i32");
  EXPECT_EQ(flat(flags(0)), "");
}

TEST_F(CanonicalABITest, Flattening) {
  EXPECT_EQ(flat(prim(Prim::String)), "i32 i32");
  EXPECT_EQ(flat(unary(TypeDefKind::Option, prim(Prim::F32))), "i32 f32");
  EXPECT_EQ(flat(variant({prim(Prim::F32), prim(Prim::U64)})), "i32 i64");
  EXPECT_EQ(flat(variant({prim(Prim::U32), prim(Prim::F32)})), "i32 i32");
  EXPECT_EQ(flat(variant({prim(Prim::F64), prim(Prim::F32)})), "i32 i64");
  EXPECT_EQ(flat(record({prim(Prim::U8), prim(Prim::String)})), "i32 i32 i32");
  EXPECT_EQ(flat(result(prim(Prim::String), std::nullopt)), "i32 i32 i32");
}

TEST_F(CanonicalABITest, AliasesAreTransparent) {
  TypeDef alias;
  alias.kind = TypeDefKind::Alias;
  alias.name = "t";
  alias.element = prim(Prim::U64);
  Type t = def(alias);
  EXPECT_EQ(flat(t), "i64");
  expectLayout(t, 8, 8);
}

TEST_F(CanonicalABITest, SpilledParams) {
  Function f;
  f.name = "f";
  for (int i = 0; i < 17; ++i)
    f.params.push_back({"p" + std::to_string(i), prim(Prim::U32)});
  FunctionAbi lift = functionAbi(resolve, f, AbiVariant::Lift);
  EXPECT_TRUE(lift.paramsSpilled);
  EXPECT_EQ(sig(lift.core), "(i32 ) -> ()");
  EXPECT_TRUE(lift.options.memory);
  EXPECT_TRUE(lift.options.realloc);
  FunctionAbi lower = functionAbi(resolve, f, AbiVariant::Lower);
  EXPECT_TRUE(lower.options.memory);
  EXPECT_FALSE(lower.options.realloc);
}

TEST_F(CanonicalABITest, StringResult) {
  Function f;
  f.name = "f";
  f.result = prim(Prim::String);
  FunctionAbi lift = functionAbi(resolve, f, AbiVariant::Lift);
  EXPECT_EQ(sig(lift.core), "() -> (i32 )");
  EXPECT_TRUE(lift.options.memory);
  EXPECT_FALSE(lift.options.realloc);
  EXPECT_TRUE(lift.options.stringEncoding);
  FunctionAbi lower = functionAbi(resolve, f, AbiVariant::Lower);
  EXPECT_EQ(sig(lower.core), "(i32 ) -> ()");
  EXPECT_TRUE(lower.options.realloc);
}

TEST_F(CanonicalABITest, OptionListResult) {
  Function f;
  f.name = "foo2";
  f.params.push_back({"x", prim(Prim::String)});
  f.result =
      unary(TypeDefKind::Option, unary(TypeDefKind::List, prim(Prim::U8)));
  FunctionAbi lift = functionAbi(resolve, f, AbiVariant::Lift);
  EXPECT_EQ(sig(lift.core), "(i32 i32 ) -> (i32 )");
  EXPECT_TRUE(lift.options.realloc);
  FunctionAbi lower = functionAbi(resolve, f, AbiVariant::Lower);
  EXPECT_EQ(sig(lower.core), "(i32 i32 i32 ) -> ()");
  EXPECT_TRUE(lower.options.memory && lower.options.realloc &&
              lower.options.stringEncoding);
}

TEST_F(CanonicalABITest, ScalarsNeedNoOptions) {
  Function f;
  f.name = "f";
  f.params.push_back({"a", prim(Prim::U64)});
  f.result = prim(Prim::F32);
  FunctionAbi lower = functionAbi(resolve, f, AbiVariant::Lower);
  EXPECT_EQ(sig(lower.core), "(i64 ) -> (f32 )");
  EXPECT_FALSE(lower.options.memory || lower.options.realloc ||
               lower.options.stringEncoding);
}

} // namespace
