//===- Parser.cpp - WIT text to a syntax tree -----------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A recursive-descent parser over Lexer. Lookahead copies the lexer, so a
/// failed guess costs nothing; each production reports the token it did
/// not expect in wit-parser's words. Recursion follows only package and
/// type nesting, and both are capped at maxNestingDepth.
///
//===----------------------------------------------------------------------===//

#include "wcl/WIT/Parser.h"
#include "Try.h"
#include "wcl/WIT/Lexer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;

// Expected<T> plumbing for a parser where nearly every step can fail.

namespace wcl {
namespace wit {
namespace ast {
namespace {

class Parser {
public:
  explicit Parser(Lexer lex) : lex(lex) {}

  Expected<PackageFile> file();

private:
  Lexer lex;

  Expected<std::optional<Token>> peek() {
    Lexer copy = lex;
    return copy.next();
  }
  Error expect(Tok t) { return lex.expect(t).takeError(); }
  Error expectSemicolon() { return expect(Tok::Semicolon); }

  Expected<Id> id();
  Expected<Docs> docs();
  Expected<std::optional<std::pair<Span, std::string>>> optVersion();
  Expected<std::pair<Span, std::string>> version();
  Error eatIdsInVersion(Tok prefix, Span &span);
  Expected<Attributes> attributes();
  Error expectId(StringRef want);

  Expected<std::vector<Item>> declList(std::optional<Tok> end, unsigned depth);
  Expected<Item> item(Docs d, unsigned depth);
  Expected<std::unique_ptr<PackageFile>> nested(Docs d, Attributes attrs,
                                                unsigned depth);
  Expected<PackageName> packageName(Docs d);
  Expected<UsePath> usePath();
  Expected<ToplevelUse> toplevelUse(Attributes attrs);
  Expected<Use> use(Attributes attrs);
  Expected<Include> include(Attributes attrs);
  Expected<Interface> interface(Docs d, Attributes attrs);
  Expected<std::vector<InterfaceItem>> interfaceItems();
  Expected<InterfaceItem> interfaceItem(Docs d, Attributes attrs);
  Expected<World> world(Docs d, Attributes attrs);
  Expected<WorldItem> worldItem(Docs d, Attributes attrs);
  Expected<Extern> externKind();
  Expected<Func> func();
  Expected<std::vector<std::pair<Id, TypePtr>>> params();
  Expected<NamedFunc> namedFunc(Docs d, Attributes attrs);
  Expected<NamedFunc> resourceFunc(Docs d, Attributes attrs);
  Expected<TypeDef> typeDef(Tok kind, Docs d, Attributes attrs);
  Expected<std::vector<Member>> members(bool typed, bool optionalType);
  Expected<TypePtr> type(unsigned depth = 0);
  Expected<TypePtr> angleType(unsigned depth);

  /// `item (, item)* ,? END` after the opening token, each with its docs.
  template <typename T, typename F>
  Expected<std::vector<T>> listTrailer(Tok end, F parseOne);
};

} // namespace

Expected<Id> Parser::id() {
  WIT_TRY(t, lex.next());
  if (!t || (t->kind != Tok::Id && t->kind != Tok::ExplicitId))
    return errExpected(lex, "an identifier or string", t);
  WIT_TRY(name, lex.idName(*t));
  return Id{name.str(), t->span};
}

Expected<Docs> Parser::docs() {
  Docs d;
  Lexer copy = lex;
  for (;;) {
    WIT_TRY(t, copy.nextRaw());
    if (!t || (t->kind != Tok::Whitespace && t->kind != Tok::Comment))
      break;
    if (t->kind == Tok::Comment) {
      if (d.comments.empty())
        d.span.start = t->span.start;
      d.span.end = t->span.end;
      d.comments.push_back(copy.text(t->span).str());
    }
    lex = copy;
  }
  return d;
}

Error Parser::eatIdsInVersion(Tok prefix, Span &span) {
  WIT_TRY(ate, lex.eat(prefix));
  if (!ate)
    return Error::success();
  auto isPart = [](const std::optional<Token> &t) {
    return t && (t->kind == Tok::Id || t->kind == Tok::Integer ||
                 t->kind == Tok::Minus);
  };
  for (;;) {
    Lexer copy = lex;
    WIT_TRY(t, copy.next());
    if (t && t->kind == Tok::Period) {
      WIT_TRY(u, copy.next());
      t = u;
    }
    if (!isPart(t))
      return Error::success();
    span.end = t->span.end;
    lex = copy;
  }
}

/// Whether \p s is a semver version: three numbers without leading zeros,
/// then optional `-pre.release` and `+build` identifiers.
static std::optional<std::string> semverError(StringRef s) {
  StringRef core = s.split('+').first;
  StringRef build = s.contains('+') ? s.split('+').second : StringRef();
  StringRef pre;
  if (size_t dash = core.find('-'); dash != StringRef::npos) {
    pre = core.substr(dash + 1);
    core = core.substr(0, dash);
  }
  SmallVector<StringRef, 3> nums;
  core.split(nums, '.');
  for (StringRef n : nums)
    if (n.size() > 1 && n[0] == '0')
      return std::string("invalid leading zero in ") +
             (&n == &nums[0]   ? "major"
              : &n == &nums[1] ? "minor"
                               : "patch") +
             " version number";
  auto checkIds = [](StringRef ids, StringRef what,
                     bool noLeadingZero) -> std::optional<std::string> {
    SmallVector<StringRef, 4> parts;
    ids.split(parts, '.');
    for (StringRef p : parts) {
      if (p.empty())
        return "empty identifier segment in " + what.str();
      if (noLeadingZero && p.size() > 1 && p[0] == '0' && all_of(p, isDigit))
        return "invalid leading zero in " + what.str() + " identifier";
    }
    return std::nullopt;
  };
  if (s.contains('-') && s.find('-') < s.find('+'))
    if (auto e = checkIds(pre, "pre-release", true))
      return e;
  if (s.contains('+'))
    if (auto e = checkIds(build, "build metadata", false))
      return e;
  return std::nullopt;
}

Expected<std::pair<Span, std::string>> Parser::version() {
  WIT_TRY(first, lex.expect(Tok::Integer));
  WIT_CHECK(expect(Tok::Period));
  WIT_CHECK(expect(Tok::Integer));
  WIT_CHECK(expect(Tok::Period));
  WIT_TRY(last, lex.expect(Tok::Integer));
  Span span{first.start, last.end};
  WIT_CHECK(eatIdsInVersion(Tok::Minus, span));
  WIT_CHECK(eatIdsInVersion(Tok::Plus, span));
  std::string text = lex.text(span).str();
  if (std::optional<std::string> err = semverError(text))
    return spanError(span, *err);
  return std::make_pair(span, text);
}

Expected<std::optional<std::pair<Span, std::string>>> Parser::optVersion() {
  WIT_TRY(at, lex.eat(Tok::At));
  if (!at)
    return std::nullopt;
  WIT_TRY(v, version());
  return std::optional<std::pair<Span, std::string>>(v);
}

Error Parser::expectId(StringRef want) {
  WIT_TRY(name, id());
  if (name.name != want)
    return spanError(name.span,
                     "expected `" + want + "`, found `" + name.name + "`");
  return Error::success();
}

Expected<Attributes> Parser::attributes() {
  Attributes attrs;
  for (;;) {
    WIT_TRY(at, lex.eat(Tok::At));
    if (!at)
      return attrs;
    WIT_TRY(name, id());
    Attribute a;
    a.span = name.span;
    if (name.name == "since" || name.name == "deprecated") {
      a.kind = name.name == "since" ? Attribute::Kind::Since
                                    : Attribute::Kind::Deprecated;
      WIT_CHECK(expect(Tok::LeftParen));
      WIT_CHECK(expectId("version"));
      WIT_CHECK(expect(Tok::Equals));
      WIT_TRY(v, version());
      a.value = v.second;
      WIT_CHECK(expect(Tok::RightParen));
    } else if (name.name == "unstable") {
      a.kind = Attribute::Kind::Unstable;
      WIT_CHECK(expect(Tok::LeftParen));
      WIT_CHECK(expectId("feature"));
      WIT_CHECK(expect(Tok::Equals));
      WIT_TRY(feature, id());
      a.value = feature.name;
      WIT_CHECK(expect(Tok::RightParen));
    } else if (name.name == "external-id") {
      a.kind = Attribute::Kind::ExternalId;
      WIT_CHECK(expect(Tok::LeftParen));
      WIT_TRY(s, lex.expect(Tok::StringLiteral));
      WIT_TRY(value, lex.stringValue(s));
      a.value = value;
      WIT_CHECK(expect(Tok::RightParen));
    } else {
      return spanError(name.span, "unknown attribute `" + name.name + "`");
    }
    attrs.push_back(std::move(a));
  }
}

Expected<PackageFile> Parser::file() {
  PackageFile f;
  // A `package` header is only the file's if a `;` follows; otherwise the
  // file starts with a nested package.
  Parser peekParser = *this;
  WIT_TRY(d, peekParser.docs());
  WIT_TRY(isPackage, peekParser.lex.eat(Tok::Package));
  if (isPackage) {
    WIT_TRY(name, peekParser.packageName(std::move(d)));
    WIT_TRY(semi, peekParser.lex.eat(Tok::Semicolon));
    if (semi) {
      f.name = std::move(name);
      lex = peekParser.lex;
    }
  }
  WIT_TRY(items, declList(std::nullopt, 0));
  f.items = std::move(items);
  return std::move(f);
}

Expected<std::vector<Item>> Parser::declList(std::optional<Tok> end,
                                             unsigned depth) {
  std::vector<Item> items;
  for (;;) {
    WIT_TRY(d, docs());
    if (end) {
      WIT_TRY(done, lex.eat(*end));
      if (done)
        break;
    } else {
      WIT_TRY(t, peek());
      if (!t)
        break;
    }
    WIT_TRY(i, item(std::move(d), depth));
    items.push_back(std::move(i));
  }
  return std::move(items);
}

Expected<Item> Parser::item(Docs d, unsigned depth) {
  WIT_TRY(attrs, attributes());
  WIT_TRY(t, peek());
  Item i;
  Tok k = t ? t->kind : Tok::Whitespace;
  if (k == Tok::Interface) {
    i.kind = Item::Kind::Interface;
    WIT_TRY(x, interface(std::move(d), std::move(attrs)));
    i.interface = std::move(x);
  } else if (k == Tok::World) {
    i.kind = Item::Kind::World;
    WIT_TRY(x, world(std::move(d), std::move(attrs)));
    i.world = std::move(x);
  } else if (k == Tok::Use) {
    i.kind = Item::Kind::Use;
    WIT_TRY(x, toplevelUse(std::move(attrs)));
    i.use = std::move(x);
  } else if (k == Tok::Package) {
    i.kind = Item::Kind::Package;
    WIT_TRY(x, nested(std::move(d), std::move(attrs), depth));
    i.package = std::move(x);
  } else {
    return errExpected(lex, "`world`, `interface` or `use`", t);
  }
  return std::move(i);
}

Expected<std::unique_ptr<PackageFile>> Parser::nested(Docs d, Attributes attrs,
                                                      unsigned depth) {
  WIT_TRY(span, lex.expect(Tok::Package));
  if (!attrs.empty())
    return spanError(span, "cannot place attributes on nested packages");
  if (depth >= maxNestingDepth)
    return spanError(span, "package nesting too deep");
  auto f = std::make_unique<PackageFile>();
  WIT_TRY(name, packageName(std::move(d)));
  f->name = std::move(name);
  WIT_CHECK(expect(Tok::LeftBrace));
  WIT_TRY(items, declList(Tok::RightBrace, depth + 1));
  f->items = std::move(items);
  return std::move(f);
}

Expected<PackageName> Parser::packageName(Docs d) {
  PackageName p;
  p.docs = std::move(d);
  WIT_TRY(ns, id());
  WIT_CHECK(expect(Tok::Colon));
  WIT_TRY(name, id());
  WIT_TRY(v, optVersion());
  p.span = {ns.span.start, v ? v->first.end : name.span.end};
  p.ns = std::move(ns);
  p.name = std::move(name);
  if (v) {
    p.versionSpan = v->first;
    p.version = v->second;
  }
  return std::move(p);
}

Expected<UsePath> Parser::usePath() {
  UsePath path;
  WIT_TRY(first, id());
  WIT_TRY(colon, lex.eat(Tok::Colon));
  if (!colon) {
    path.name = std::move(first);
    return std::move(path);
  }
  PackageName p;
  WIT_TRY(pkg, id());
  WIT_CHECK(expect(Tok::Slash));
  WIT_TRY(name, id());
  WIT_TRY(v, optVersion());
  p.span = {first.span.start, pkg.span.end};
  p.ns = std::move(first);
  p.name = std::move(pkg);
  if (v) {
    p.versionSpan = v->first;
    p.version = v->second;
  }
  path.package = std::move(p);
  path.name = std::move(name);
  return std::move(path);
}

Expected<ToplevelUse> Parser::toplevelUse(Attributes attrs) {
  ToplevelUse u;
  WIT_TRY(span, lex.expect(Tok::Use));
  u.span = span;
  u.attributes = std::move(attrs);
  WIT_TRY(path, usePath());
  u.item = std::move(path);
  WIT_TRY(as, lex.eat(Tok::As));
  if (as) {
    WIT_TRY(name, id());
    u.as = std::move(name);
  }
  WIT_CHECK(expectSemicolon());
  return std::move(u);
}

Expected<Use> Parser::use(Attributes attrs) {
  Use u;
  u.attributes = std::move(attrs);
  WIT_CHECK(expect(Tok::Use));
  WIT_TRY(from, usePath());
  u.from = std::move(from);
  WIT_CHECK(expect(Tok::Period));
  WIT_CHECK(expect(Tok::LeftBrace));
  for (;;) {
    WIT_TRY(close, lex.eat(Tok::RightBrace));
    if (close)
      break;
    UseName n;
    WIT_TRY(name, id());
    n.name = std::move(name);
    WIT_TRY(as, lex.eat(Tok::As));
    if (as) {
      WIT_TRY(alias, id());
      n.as = std::move(alias);
    }
    u.names.push_back(std::move(n));
    WIT_TRY(comma, lex.eat(Tok::Comma));
    if (!comma) {
      WIT_CHECK(expect(Tok::RightBrace));
      break;
    }
  }
  WIT_CHECK(expectSemicolon());
  return std::move(u);
}

template <typename T, typename F>
Expected<std::vector<T>> Parser::listTrailer(Tok end, F parseOne) {
  std::vector<T> items;
  for (;;) {
    WIT_TRY(d, docs());
    WIT_TRY(done, lex.eat(end));
    if (done)
      break;
    WIT_TRY(x, parseOne(std::move(d)));
    items.push_back(std::move(x));
    WIT_TRY(comma, lex.eat(Tok::Comma));
    if (!comma) {
      WIT_CHECK(expect(end));
      break;
    }
  }
  return std::move(items);
}

Expected<Include> Parser::include(Attributes attrs) {
  Include inc;
  inc.attributes = std::move(attrs);
  WIT_CHECK(expect(Tok::Include));
  WIT_TRY(from, usePath());
  inc.from = std::move(from);
  WIT_TRY(with, lex.eat(Tok::With));
  if (!with) {
    WIT_CHECK(expectSemicolon());
    return std::move(inc);
  }
  WIT_CHECK(expect(Tok::LeftBrace));
  WIT_TRY(names, listTrailer<IncludeName>(
                     Tok::RightBrace, [&](Docs) -> Expected<IncludeName> {
                       WIT_TRY(name, id());
                       WIT_CHECK(expect(Tok::As));
                       WIT_TRY(as, id());
                       return IncludeName{std::move(name), std::move(as)};
                     }));
  inc.names = std::move(names);
  return std::move(inc);
}

Expected<Interface> Parser::interface(Docs d, Attributes attrs) {
  Interface i;
  i.docs = std::move(d);
  i.attributes = std::move(attrs);
  WIT_CHECK(expect(Tok::Interface));
  WIT_TRY(name, id());
  i.name = std::move(name);
  WIT_TRY(items, interfaceItems());
  i.items = std::move(items);
  return std::move(i);
}

Expected<std::vector<InterfaceItem>> Parser::interfaceItems() {
  WIT_CHECK(expect(Tok::LeftBrace));
  std::vector<InterfaceItem> items;
  for (;;) {
    WIT_TRY(d, docs());
    WIT_TRY(close, lex.eat(Tok::RightBrace));
    if (close)
      break;
    WIT_TRY(attrs, attributes());
    WIT_TRY(i, interfaceItem(std::move(d), std::move(attrs)));
    items.push_back(std::move(i));
  }
  return std::move(items);
}

static bool isTypeDefKeyword(Tok k) {
  return k == Tok::Type || k == Tok::Flags || k == Tok::Enum ||
         k == Tok::Variant || k == Tok::Resource || k == Tok::Record;
}

Expected<InterfaceItem> Parser::interfaceItem(Docs d, Attributes attrs) {
  WIT_TRY(t, peek());
  InterfaceItem i;
  Tok k = t ? t->kind : Tok::Whitespace;
  if (t && isTypeDefKeyword(k)) {
    i.kind = InterfaceItem::Kind::TypeDef;
    WIT_TRY(x, typeDef(k, std::move(d), std::move(attrs)));
    i.typeDef = std::move(x);
  } else if (k == Tok::Id || k == Tok::ExplicitId) {
    i.kind = InterfaceItem::Kind::Func;
    WIT_TRY(x, namedFunc(std::move(d), std::move(attrs)));
    i.func = std::move(x);
  } else if (k == Tok::Use) {
    i.kind = InterfaceItem::Kind::Use;
    WIT_TRY(x, use(std::move(attrs)));
    i.use = std::move(x);
  } else {
    return errExpected(lex, "`type`, `resource` or `func`", t);
  }
  return std::move(i);
}

Expected<World> Parser::world(Docs d, Attributes attrs) {
  World w;
  w.docs = std::move(d);
  w.attributes = std::move(attrs);
  WIT_CHECK(expect(Tok::World));
  WIT_TRY(name, id());
  w.name = std::move(name);
  WIT_CHECK(expect(Tok::LeftBrace));
  for (;;) {
    WIT_TRY(docs2, docs());
    WIT_TRY(close, lex.eat(Tok::RightBrace));
    if (close)
      break;
    WIT_TRY(attrs2, attributes());
    WIT_TRY(i, worldItem(std::move(docs2), std::move(attrs2)));
    w.items.push_back(std::move(i));
  }
  return std::move(w);
}

Expected<WorldItem> Parser::worldItem(Docs d, Attributes attrs) {
  WIT_TRY(t, peek());
  WorldItem i;
  Tok k = t ? t->kind : Tok::Whitespace;
  if (k == Tok::Import || k == Tok::Export) {
    i.kind =
        k == Tok::Import ? WorldItem::Kind::Import : WorldItem::Kind::Export;
    WIT_CHECK(expect(k));
    WIT_TRY(x, externKind());
    i.ext = std::move(x);
  } else if (k == Tok::Use) {
    i.kind = WorldItem::Kind::Use;
    WIT_TRY(x, use(std::move(attrs)));
    i.use = std::move(x);
    return std::move(i);
  } else if (t && isTypeDefKeyword(k)) {
    i.kind = WorldItem::Kind::TypeDef;
    WIT_TRY(x, typeDef(k, std::move(d), std::move(attrs)));
    i.typeDef = std::move(x);
    return std::move(i);
  } else if (k == Tok::Include) {
    i.kind = WorldItem::Kind::Include;
    WIT_TRY(x, include(std::move(attrs)));
    i.include = std::move(x);
    return std::move(i);
  } else {
    return errExpected(
        lex, "`import`, `export`, `include`, `use`, or type definition", t);
  }
  i.docs = std::move(d);
  i.attributes = std::move(attrs);
  return std::move(i);
}

Expected<Extern> Parser::externKind() {
  Extern e;
  Parser guess = *this;
  WIT_TRY(name, guess.id());
  WIT_TRY(colon, guess.lex.eat(Tok::Colon));
  if (colon) {
    WIT_TRY(t, guess.peek());
    if (t && (t->kind == Tok::Func || t->kind == Tok::Async)) {
      *this = guess;
      e.kind = Extern::Kind::Func;
      e.name = std::move(name);
      WIT_TRY(f, func());
      e.func = std::move(f);
      WIT_CHECK(expectSemicolon());
      return std::move(e);
    }
    if (t && t->kind == Tok::Interface) {
      WIT_CHECK(guess.expect(Tok::Interface));
      *this = guess;
      e.kind = Extern::Kind::Interface;
      e.name = std::move(name);
      WIT_TRY(items, interfaceItems());
      e.items = std::move(items);
      return std::move(e);
    }
    // `name: iface` names a path; `ns:pkg/iface` is a path itself.
    Parser probe = guess;
    bool qualified = false;
    if (Expected<Id> i = probe.id()) {
      Expected<bool> slash = probe.lex.eat(Tok::Slash);
      qualified = slash && *slash;
      if (!slash)
        consumeError(slash.takeError());
    } else {
      consumeError(i.takeError());
    }
    if (!qualified) {
      *this = guess;
      e.kind = Extern::Kind::NamedPath;
      e.name = std::move(name);
      WIT_TRY(path, usePath());
      e.path = std::move(path);
      WIT_CHECK(expectSemicolon());
      return std::move(e);
    }
  }
  e.kind = Extern::Kind::Path;
  WIT_TRY(path, usePath());
  e.path = std::move(path);
  WIT_CHECK(expectSemicolon());
  return std::move(e);
}

Expected<std::vector<std::pair<Id, TypePtr>>> Parser::params() {
  return listTrailer<std::pair<Id, TypePtr>>(
      Tok::RightParen, [&](Docs) -> Expected<std::pair<Id, TypePtr>> {
        WIT_TRY(name, id());
        WIT_CHECK(expect(Tok::Colon));
        WIT_TRY(ty, type());
        return std::make_pair(std::move(name), std::move(ty));
      });
}

Expected<Func> Parser::func() {
  Func f;
  WIT_TRY(isAsync, lex.eat(Tok::Async));
  f.isAsync = isAsync;
  WIT_TRY(span, lex.expect(Tok::Func));
  f.span = span;
  WIT_CHECK(expect(Tok::LeftParen));
  WIT_TRY(ps, params());
  f.params = std::move(ps);
  WIT_TRY(arrow, lex.eat(Tok::RArrow));
  if (arrow) {
    WIT_TRY(result, type());
    f.result = std::move(result);
  }
  return std::move(f);
}

Expected<NamedFunc> Parser::namedFunc(Docs d, Attributes attrs) {
  NamedFunc f;
  f.docs = std::move(d);
  f.attributes = std::move(attrs);
  WIT_TRY(name, id());
  f.name = std::move(name);
  WIT_CHECK(expect(Tok::Colon));
  WIT_TRY(fn, func());
  f.func = std::move(fn);
  WIT_CHECK(expectSemicolon());
  return std::move(f);
}

Expected<NamedFunc> Parser::resourceFunc(Docs d, Attributes attrs) {
  WIT_TRY(t, peek());
  NamedFunc f;
  f.docs = std::move(d);
  f.attributes = std::move(attrs);
  if (t && t->kind == Tok::Constructor) {
    WIT_CHECK(expect(Tok::Constructor));
    f.kind = NamedFunc::Kind::Constructor;
    f.name = {"constructor", t->span};
    f.func.span = t->span;
    WIT_CHECK(expect(Tok::LeftParen));
    WIT_TRY(ps, params());
    f.func.params = std::move(ps);
    WIT_TRY(arrow, lex.eat(Tok::RArrow));
    if (arrow) {
      WIT_TRY(result, type());
      f.func.result = std::move(result);
    }
    WIT_CHECK(expectSemicolon());
    return std::move(f);
  }
  if (!t || (t->kind != Tok::Id && t->kind != Tok::ExplicitId))
    return errExpected(lex, "`constructor` or identifier", t);
  WIT_TRY(name, id());
  f.name = std::move(name);
  WIT_CHECK(expect(Tok::Colon));
  WIT_TRY(isStatic, lex.eat(Tok::Static));
  f.kind = isStatic ? NamedFunc::Kind::Static : NamedFunc::Kind::Method;
  WIT_TRY(fn, func());
  f.func = std::move(fn);
  WIT_CHECK(expectSemicolon());
  return std::move(f);
}

Expected<std::vector<Member>> Parser::members(bool typed, bool optionalType) {
  WIT_CHECK(expect(Tok::LeftBrace));
  return listTrailer<Member>(Tok::RightBrace, [&](Docs d) -> Expected<Member> {
    Member m;
    m.docs = std::move(d);
    WIT_TRY(name, id());
    m.name = std::move(name);
    if (typed) {
      WIT_CHECK(expect(Tok::Colon));
      WIT_TRY(ty, type());
      m.type = std::move(ty);
    } else if (optionalType) {
      WIT_TRY(paren, lex.eat(Tok::LeftParen));
      if (paren) {
        WIT_TRY(ty, type());
        m.type = std::move(ty);
        WIT_CHECK(expect(Tok::RightParen));
      }
    }
    return std::move(m);
  });
}

Expected<TypeDef> Parser::typeDef(Tok kind, Docs d, Attributes attrs) {
  TypeDef td;
  td.docs = std::move(d);
  td.attributes = std::move(attrs);
  WIT_CHECK(expect(kind));
  WIT_TRY(name, id());
  td.name = std::move(name);
  auto ty = std::make_unique<Type>();
  ty->span = td.name.span;
  switch (kind) {
  case Tok::Type: {
    WIT_CHECK(expect(Tok::Equals));
    WIT_TRY(aliased, type());
    WIT_CHECK(expectSemicolon());
    td.type = std::move(aliased);
    return std::move(td);
  }
  case Tok::Resource: {
    ty->kind = Type::Kind::Resource;
    WIT_TRY(brace, lex.eat(Tok::LeftBrace));
    if (!brace) {
      WIT_CHECK(expectSemicolon());
      break;
    }
    for (;;) {
      WIT_TRY(close, lex.eat(Tok::RightBrace));
      if (close)
        break;
      WIT_TRY(fd, docs());
      WIT_TRY(fa, attributes());
      WIT_TRY(f, resourceFunc(std::move(fd), std::move(fa)));
      ty->funcs.push_back(std::move(f));
    }
    break;
  }
  default: {
    ty->kind = kind == Tok::Record    ? Type::Kind::Record
               : kind == Tok::Flags   ? Type::Kind::Flags
               : kind == Tok::Variant ? Type::Kind::Variant
                                      : Type::Kind::Enum;
    WIT_TRY(ms, members(kind == Tok::Record, kind == Tok::Variant));
    ty->members = std::move(ms);
    break;
  }
  }
  td.type = std::move(ty);
  return std::move(td);
}

Expected<TypePtr> Parser::angleType(unsigned depth) {
  WIT_CHECK(expect(Tok::LessThan));
  WIT_TRY(t, type(depth + 1));
  WIT_CHECK(expect(Tok::GreaterThan));
  return std::move(t);
}

static std::optional<Prim> primOf(Tok k) {
  switch (k) {
  case Tok::U8:
    return Prim::U8;
  case Tok::U16:
    return Prim::U16;
  case Tok::U32:
    return Prim::U32;
  case Tok::U64:
    return Prim::U64;
  case Tok::S8:
    return Prim::S8;
  case Tok::S16:
    return Prim::S16;
  case Tok::S32:
    return Prim::S32;
  case Tok::S64:
    return Prim::S64;
  case Tok::F32:
    return Prim::F32;
  case Tok::F64:
    return Prim::F64;
  case Tok::Char:
    return Prim::Char;
  case Tok::Bool:
    return Prim::Bool;
  case Tok::String:
    return Prim::String;
  case Tok::ErrorContext:
    return Prim::ErrorContext;
  default:
    return std::nullopt;
  }
}

Expected<TypePtr> Parser::type(unsigned depth) {
  WIT_TRY(t, lex.next());
  if (depth >= maxNestingDepth)
    return spanError(t ? t->span : lex.eofSpan(), "type nesting too deep");
  if (!t)
    return errExpected(lex, "a type", t);
  auto ty = std::make_unique<Type>();
  ty->span = t->span;
  if (std::optional<Prim> p = primOf(t->kind)) {
    ty->prim = *p;
    return std::move(ty);
  }
  switch (t->kind) {
  case Tok::Tuple: {
    ty->kind = Type::Kind::Tuple;
    WIT_CHECK(expect(Tok::LessThan));
    WIT_TRY(items, listTrailer<TypePtr>(Tok::GreaterThan,
                                        [&](Docs) { return type(depth + 1); }));
    ty->items = std::move(items);
    return std::move(ty);
  }
  case Tok::List: {
    WIT_CHECK(expect(Tok::LessThan));
    WIT_TRY(elem, type(depth + 1));
    ty->a = std::move(elem);
    ty->kind = Type::Kind::List;
    WIT_TRY(comma, lex.eat(Tok::Comma));
    if (comma) {
      WIT_TRY(n, lex.next());
      if (!n || n->kind != Tok::Integer)
        return errExpected(lex, "fixed-length", n);
      if (!to_integer(lex.text(n->span), ty->size, 10))
        return spanError(n->span, "invalid list size: number too large to "
                                  "fit in target type");
      ty->kind = Type::Kind::FixedList;
    }
    WIT_CHECK(expect(Tok::GreaterThan));
    return std::move(ty);
  }
  case Tok::Map: {
    ty->kind = Type::Kind::Map;
    WIT_CHECK(expect(Tok::LessThan));
    WIT_TRY(key, type(depth + 1));
    WIT_CHECK(expect(Tok::Comma));
    WIT_TRY(value, type(depth + 1));
    WIT_CHECK(expect(Tok::GreaterThan));
    ty->a = std::move(key);
    ty->b = std::move(value);
    return std::move(ty);
  }
  case Tok::Option: {
    ty->kind = Type::Kind::Option;
    WIT_TRY(elem, angleType(depth));
    ty->a = std::move(elem);
    return std::move(ty);
  }
  case Tok::Result: {
    ty->kind = Type::Kind::Result;
    WIT_TRY(open, lex.eat(Tok::LessThan));
    if (!open)
      return std::move(ty);
    WIT_TRY(noOk, lex.eat(Tok::Underscore));
    if (noOk) {
      WIT_CHECK(expect(Tok::Comma));
      WIT_TRY(err, type(depth + 1));
      ty->b = std::move(err);
    } else {
      WIT_TRY(ok, type(depth + 1));
      ty->a = std::move(ok);
      WIT_TRY(comma, lex.eat(Tok::Comma));
      if (comma) {
        WIT_TRY(err, type(depth + 1));
        ty->b = std::move(err);
      }
    }
    WIT_CHECK(expect(Tok::GreaterThan));
    return std::move(ty);
  }
  case Tok::Future:
  case Tok::Stream: {
    ty->kind = t->kind == Tok::Future ? Type::Kind::Future : Type::Kind::Stream;
    Lexer copy = lex;
    WIT_TRY(open, copy.eat(Tok::LessThan));
    if (open) {
      WIT_TRY(elem, angleType(depth));
      ty->a = std::move(elem);
    }
    return std::move(ty);
  }
  case Tok::Own:
  case Tok::Borrow: {
    ty->kind = t->kind == Tok::Own ? Type::Kind::Own : Type::Kind::Borrow;
    WIT_CHECK(expect(Tok::LessThan));
    WIT_TRY(name, id());
    WIT_CHECK(expect(Tok::GreaterThan));
    ty->span = name.span;
    ty->name = std::move(name);
    return std::move(ty);
  }
  case Tok::Id:
  case Tok::ExplicitId: {
    ty->kind = Type::Kind::Name;
    WIT_TRY(name, lex.idName(*t));
    ty->name = {name.str(), t->span};
    return std::move(ty);
  }
  default:
    return errExpected(lex, "a type", t);
  }
}

} // namespace ast
} // namespace wit
} // namespace wcl

using namespace wcl;
using namespace wcl::wit;

Expected<ast::PackageFile> wit::parseFile(StringRef text, uint32_t base) {
  WIT_TRY(lex, Lexer::create(text, base));
  return ast::Parser(lex).file();
}

std::optional<std::string> wit::docsText(const ast::Docs &docs) {
  if (docs.comments.empty())
    return std::nullopt;
  std::vector<std::string> parts;
  for (StringRef c : docs.comments) {
    if (c.consume_front("/**"))
      c.consume_back("*/");
    else
      c = c.ltrim('/');
    parts.push_back(c.rtrim().str());
  }
  size_t minWs = std::string::npos;
  for (StringRef p : parts)
    if (!p.empty())
      minWs = std::min(minWs, p.size() - p.ltrim(" \t\n\v\f\r").size());
  std::string out;
  for (StringRef p : parts) {
    if (minWs != std::string::npos && minWs > 0 &&
        p.starts_with(std::string(minWs, ' ')))
      p = p.drop_front(minWs);
    if (p.empty()) {
      out += "\n";
      continue;
    }
    SmallVector<StringRef, 4> lines;
    p.split(lines, '\n');
    for (StringRef l : lines)
      out += l.rtrim('\r').str() + "\n";
  }
  while (!out.empty() && out.back() == '\n')
    out.pop_back();
  return out;
}
