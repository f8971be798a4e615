//===- ParserTest.cpp - WIT text to a syntax tree, and resolution ---------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "wcl/WIT/Parser.h"
#include "wcl/WIT/Text.h"
#include "gtest/gtest.h"

using namespace llvm;
using namespace wcl::wit;

namespace {

/// Fails the test with the error's text when \p x holds one.
template <typename T> bool ok(Expected<T> &x) {
  if (x)
    return true;
  ADD_FAILURE() << toString(x.takeError());
  return false;
}

template <typename T> bool ok(Expected<T> &&x) { return ok(x); }

/// The text of the error in \p x, or "" when it holds a value.
template <typename T> std::string errorOf(Expected<T> x) {
  return x ? std::string() : toString(x.takeError());
}

TEST(WITParser, PackageItemsAndDocs) {
  Expected<ast::PackageFile> f = parseFile(R"(/// the package
package a:b@1.0.0;
/// an interface
@since(version = 1.0.0)
interface i {
  type t = list<tuple<u8, option<string>>>;
  r: resource { }
}
world w { import i; export f: async func(x: t) -> result<_, u8>; }
package a:c { interface j {} }
)",
                                           0);
  // `r: resource` is not how a resource is declared.
  ASSERT_FALSE(f);
  consumeError(f.takeError());

  f = parseFile(R"(/// the package
package a:b@1.0.0;
/// an interface
@since(version = 1.0.0)
interface i {
  type t = list<tuple<u8, option<string>>>;
  resource r { constructor(); m: func(); }
}
world w { import i; export f: async func(x: t) -> result<_, u8>; }
package a:c { interface j {} }
)",
                0);
  ASSERT_TRUE(ok(f));
  ASSERT_TRUE(f->name);
  EXPECT_EQ(f->name->toName().toString(), "a:b@1.0.0");
  EXPECT_EQ(docsText(f->name->docs), std::optional<std::string>("the package"));
  ASSERT_EQ(f->items.size(), 3u);
  const ast::Interface &i = f->items[0].interface;
  EXPECT_EQ(i.name.name, "i");
  ASSERT_EQ(i.attributes.size(), 1u);
  EXPECT_EQ(i.attributes[0].value, "1.0.0");
  ASSERT_EQ(i.items.size(), 2u);
  EXPECT_EQ(i.items[1].typeDef.type->funcs.size(), 2u);
  const ast::World &w = f->items[1].world;
  ASSERT_EQ(w.items.size(), 2u);
  EXPECT_EQ(w.items[1].ext.kind, ast::Extern::Kind::Func);
  EXPECT_TRUE(w.items[1].ext.func.isAsync);
  EXPECT_EQ(f->items[2].kind, ast::Item::Kind::Package);
}

TEST(WITParser, DocsText) {
  ast::Docs d;
  d.comments = {"///  a", "///    b", "/**  c\n     d */"};
  EXPECT_EQ(docsText(d), std::optional<std::string>("a\n  b\nc\n     d"));
}

TEST(WITParser, NestingIsCapped) {
  std::string deep = "package a:b; interface i { type t = ";
  for (int i = 0; i < 200; ++i)
    deep += "list<";
  deep += "u8";
  for (int i = 0; i < 200; ++i)
    deep += ">";
  deep += "; }";
  Expected<ast::PackageFile> f = parseFile(deep, 0);
  EXPECT_EQ(errorOf(std::move(f)), "type nesting too deep");
}

TEST(WITText, ResolvesAndLeavesResolveAloneOnError) {
  Resolve r;
  Features none;
  Expected<ParsedPackages> p = parseWitText(r, "ok.wit", R"(
package a:b;
interface i { resource r; f: func(x: r) -> borrow<r>; }
)",
                                            none);
  EXPECT_NE(errorOf(std::move(p))
                .find("ok.wit:3:27: error: function `f` "
                      "returns a type which contains a "
                      "`borrow<T>`"),
            std::string::npos);
  EXPECT_TRUE(r.packages.empty());

  p = parseWitText(r, "ok.wit", R"(
package a:b;
interface i { resource r; f: func(x: r) -> r; }
world w { import i; export g: func(); }
)",
                   none);
  ASSERT_TRUE(ok(p));
  ASSERT_EQ(r.packages.size(), 1u);
  Expected<WorldId> w = selectWorld(r, p->main, "");
  ASSERT_TRUE(ok(w));
  EXPECT_EQ(r.get(*w).imports.size(), 1u);
  EXPECT_EQ(r.get(*w).exports.size(), 1u);
  const Interface &i = r.get(r.get(p->main).interfaces.begin()->second);
  EXPECT_EQ(i.functions.begin()->second.params[0].second,
            *i.functions.begin()->second.result);
}

} // namespace
