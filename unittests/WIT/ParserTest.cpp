//===- ParserTest.cpp - WIT text to a syntax tree, and resolution ---------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "wcl/WIT/Parser.h"
#include "ExpectedHelpers.h"
#include "wcl/WIT/Text.h"
#include "gtest/gtest.h"

using namespace llvm;
using namespace wcl::wit;
using namespace wcl::wit::test;

namespace {

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

/// Hostile input: truncations at every sixteenth and byte flips of a
/// package that uses most of the language give an error or a package,
/// never a crash (the sanitizer build checks the rest).
TEST(WITText, TruncationsAndFlipsNeverCrash) {
  const std::string text = R"(/// docs
package t:t@1.0.0;
interface a {
  /** block */ type x = list<tuple<u8, option<string>, result<_, s8>>>;
  record r { f: x, g: future<stream<u8>> }
  flags fl { p, q }
  variant v { c(r), d }
  enum e { m, n }
  resource res { constructor(); m: async func(x: borrow<res>) -> own<res>;
                 s: static func() -> list<u8, 4>; }
  @unstable(feature = f) gated: func();
}
world w {
  use a.{r as rr};
  import b: interface { f: func() -> u32; }
  import g: func() -> rr;
  export a;
  include w2 with { z as y }
}
world w2 { import z: func(); }
package t:u { interface q { use t:t/a@1.0.0.{e}; } }
)";
  Features none;
  auto tryParse = [&](const std::string &input) {
    Resolve r;
    Expected<ParsedPackages> p = parseWitText(r, "f.wit", input, none);
    if (!p)
      EXPECT_FALSE(toString(p.takeError()).empty());
  };
  for (size_t k = 1; k < 16; ++k)
    tryParse(text.substr(0, text.size() * k / 16));
  uint32_t seed = 12345;
  for (int i = 0; i < 500; ++i) {
    std::string flipped = text;
    for (int j = 0; j < 3; ++j) {
      seed = seed * 1103515245 + 12345;
      flipped[(seed >> 8) % flipped.size()] ^= char(1u << ((seed >> 4) % 8));
    }
    tryParse(flipped);
  }
  Resolve r;
  EXPECT_TRUE(ok(parseWitText(r, "f.wit", text, none)));
}

TEST(WITText, SharedDependenciesAreReused) {
  Resolve r;
  Features none;
  const char *dep = "package d:d;\ninterface i { type t = u8; }\n";
  ASSERT_TRUE(ok(parseWitText(r, "d.wit", dep, none)));
  // A second package of the same name is refused as a main package...
  EXPECT_NE(errorOf(parseWitText(r, "d2.wit", dep, none))
                .find("d2.wit:1:9: error: package `d:d` is already defined"),
            std::string::npos);
  // ...but one that only uses it resolves against the existing one.
  ASSERT_TRUE(ok(parseWitText(
      r, "a.wit", "package a:a;\nworld w { use d:d/i.{t}; }\n", none)));
  EXPECT_EQ(r.packages.size(), 2u);
}

} // namespace
