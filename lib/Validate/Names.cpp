//===- Names.cpp - Import and export names of components ------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The grammar of import and export names (Explainer.md "Import and Export
/// Definitions"): kebab names, `[constructor]`/`[method]`/`[static]`
/// annotations and their type rules, interface names with semver versions,
/// and the dependency, URL and integrity forms only imports may use; and
/// strong uniqueness of names within one scope.
///
//===----------------------------------------------------------------------===//

#include "ComponentValidator.h"
#include "wcl/Support/Error.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::validate;
using namespace wcl::component;

bool validate::isKebabName(StringRef name) {
  if (name.empty())
    return false;
  SmallVector<StringRef, 4> words;
  name.split(words, '-', -1, true);
  if (!isAlpha(name[0]))
    return false;
  for (StringRef w : words) {
    if (w.empty())
      return false;
    bool lower = all_of(w, [](char c) { return isLower(c) || isDigit(c); });
    bool upper = all_of(w, [](char c) { return isUpper(c) || isDigit(c); });
    if (!lower && !upper)
      return false;
  }
  return true;
}

Error validate::checkLabel(StringRef name, StringRef what, uint64_t offset) {
  if (name.empty())
    return createErrorAt(offset, what + " name cannot be empty");
  if (!isKebabName(name))
    return createErrorAt(offset,
                         what + " name `" + name + "` is not in kebab case");
  return Error::success();
}

/// The part of a name that must be unique, compared without case.
static std::string uniquenessKey(StringRef name) {
  // URLs, hashes and dependencies compare exactly.
  if (name.contains('='))
    return name.str();
  // `[method]r.f` and `[static]r.f` name the same function of r; a
  // constructor has a namespace of its own.
  StringRef n = name;
  if (n.consume_front("[method]") || n.consume_front("[static]"))
    return "[method]" + n.lower();
  return name.lower();
}

std::optional<std::string> NameSet::insert(StringRef name) {
  // A method or static function named after its own resource collides with
  // the resource's name.
  StringRef n = name;
  if (n.consume_front("[method]") || n.consume_front("[static]")) {
    auto [res, fn] = n.split('.');
    if (res.equals_insensitive(fn)) {
      auto it = seen.find(res.lower());
      if (it != seen.end())
        return it->second;
    }
  }
  auto ins = seen.try_emplace(uniquenessKey(name), name.str());
  if (ins.second)
    return std::nullopt;
  return ins.first->second;
}

//===----------------------------------------------------------------------===//
// Semver, worded as the semver crate words its errors
//===----------------------------------------------------------------------===//

static std::optional<std::string> parseNumber(StringRef &s, StringRef which) {
  if (s.empty())
    return ("unexpected end of input while parsing " + which +
            " version number")
        .str();
  if (!isDigit(s[0]))
    return ("unexpected character '" + s.substr(0, 1) + "' while parsing " +
            which + " version number")
        .str();
  size_t n = 0;
  while (n < s.size() && isDigit(s[n]))
    ++n;
  if (n > 1 && s[0] == '0')
    return ("invalid leading zero in " + which + " version number").str();
  s = s.drop_front(n);
  return std::nullopt;
}

static std::optional<std::string> parseIdents(StringRef s, StringRef what) {
  SmallVector<StringRef, 4> parts;
  s.split(parts, '.', -1, true);
  for (StringRef p : parts) {
    if (p.empty())
      return ("empty identifier segment in " + what).str();
    for (char c : p)
      if (!isAlnum(c) && c != '-')
        return ("unexpected character '" + Twine(c) + "' in " + what).str();
  }
  return std::nullopt;
}

/// Why \p v is not a semver version, or nothing when it is.
static std::optional<std::string> semverError(StringRef v) {
  if (v.empty())
    return std::string("empty string, expected a semver version");
  StringRef s = v;
  if (auto e = parseNumber(s, "major"))
    return e;
  if (!s.consume_front("."))
    return s.empty() ? std::string("unexpected end of input while parsing "
                                   "major version number")
                     : ("unexpected character '" + s.substr(0, 1) +
                        "' after major version number")
                           .str();
  if (auto e = parseNumber(s, "minor"))
    return e;
  if (!s.consume_front("."))
    return s.empty() ? std::string("unexpected end of input while parsing "
                                   "minor version number")
                     : ("unexpected character '" + s.substr(0, 1) +
                        "' after minor version number")
                           .str();
  if (auto e = parseNumber(s, "patch"))
    return e;
  if (s.consume_front("-")) {
    StringRef pre = s.take_until([](char c) { return c == '+'; });
    s = s.drop_front(pre.size());
    if (auto e = parseIdents(pre, "pre-release identifier"))
      return e;
  }
  if (s.consume_front("+"))
    return parseIdents(s, "build metadata");
  if (!s.empty())
    return ("unexpected character '" + s.substr(0, 1) +
            "' after patch version number")
        .str();
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Name forms
//===----------------------------------------------------------------------===//

namespace {
/// What a name says about the item it names.
struct ParsedName {
  enum class Kind : uint8_t {
    Plain,
    Constructor,
    Method,
    Static,
    Interface,
    Dependency,
    Url,
    Hash,
  };
  Kind kind = Kind::Plain;
  bool isAsync = false;
  StringRef resource; ///< Constructor, Method, Static
};
} // namespace

static Expected<ParsedName> parseKebabOrAnnotated(StringRef name) {
  ParsedName p;
  auto notKebab = [&](StringRef part) {
    return createError("`" + part + "` is not in kebab case");
  };
  StringRef n = name;
  if (n.consume_front("[constructor]")) {
    p.kind = ParsedName::Kind::Constructor;
    if (!isKebabName(n))
      return notKebab(n);
    p.resource = n;
    return p;
  }
  bool method = n.consume_front("[method]");
  bool isStatic = !method && n.consume_front("[static]");
  if (method || isStatic) {
    p.kind = method ? ParsedName::Kind::Method : ParsedName::Kind::Static;
    size_t dot = n.find('.');
    if (dot == StringRef::npos)
      return createError("failed to find `.` character");
    p.resource = n.take_front(dot);
    if (!isKebabName(p.resource))
      return notKebab(p.resource);
    if (!isKebabName(n.drop_front(dot + 1)))
      return notKebab(n.drop_front(dot + 1));
    return p;
  }
  if (!isKebabName(n))
    return notKebab(n);
  return p;
}

static Error checkPackagePart(StringRef part) {
  if (part.empty())
    return createError("`` is not in kebab case");
  for (char c : part)
    if (isUpper(c))
      return createError("character `" + Twine(c) +
                         "` is not lowercase in package name/namespace");
  if (!isKebabName(part))
    return createError("`" + part + "` is not in kebab case");
  return Error::success();
}

/// Checks `ns:pkg` (with cm-nested-names, `ns:ns2:...:pkg`) and consumes
/// it from \p s up to the first '/' or '@'.
static Error parsePackageName(StringRef &s, const Features &features) {
  StringRef pkg = s.take_until([](char c) { return c == '/' || c == '@'; });
  SmallVector<StringRef, 3> parts;
  pkg.split(parts, ':', -1, true);
  if (parts.size() > 2 && !features.has(Feature::CmNestedNames))
    return createError("expected `/` after package name");
  for (StringRef part : parts)
    if (Error e = checkPackagePart(part))
      return e;
  s = s.drop_front(pkg.size());
  return Error::success();
}

static Expected<ParsedName> parseInterface(StringRef name,
                                           std::optional<StringRef> suffix,
                                           const Features &features) {
  ParsedName p;
  p.kind = ParsedName::Kind::Interface;
  StringRef rest = name;
  if (Error e = parsePackageName(rest, features))
    return std::move(e);
  if (!rest.consume_front("/"))
    return createError("expected `/` after package name");
  StringRef version;
  size_t at = rest.find('@');
  if (at != StringRef::npos) {
    version = rest.drop_front(at + 1);
    rest = rest.take_front(at);
  }
  SmallVector<StringRef, 2> path;
  rest.split(path, '/', -1, true);
  if (path.size() > 1 && !features.has(Feature::CmNestedNames))
    return createError("trailing characters found: `" +
                       rest.drop_front(path[0].size()) + "`");
  for (StringRef seg : path)
    if (!isKebabName(seg))
      return createError("`" + seg + "` is not in kebab case");
  // A `versionsuffix` completes an abbreviated version (`@1` + `.2.3`).
  std::string full = version.str();
  if (suffix)
    full += suffix->str();
  if (at != StringRef::npos || suffix)
    if (std::optional<std::string> why = semverError(full))
      return createError("invalid interface version: " + *why);
  return p;
}

/// `<...>` contents after `prefix=` and the rest after the closing `>`.
static Expected<StringRef> bracketed(StringRef &s) {
  if (!s.consume_front("<"))
    return createError("expected `<` at `" + s + "`");
  size_t close = s.find('>');
  if (close == StringRef::npos)
    return createError("failed to find `>` character");
  StringRef inside = s.take_front(close);
  s = s.drop_front(close + 1);
  return inside;
}

static Error checkIntegrity(StringRef s) {
  if (s.empty())
    return createError("integrity hash cannot be empty");
  SmallVector<StringRef, 2> hashes;
  s.split(hashes, ' ', -1, false);
  if (hashes.empty())
    return createError("integrity hash cannot be empty");
  for (StringRef h : hashes) {
    size_t dash = h.find('-');
    if (dash == StringRef::npos)
      return createError("expected `-` after hash algorithm: " + h);
    StringRef algo = h.take_front(dash), b64 = h.drop_front(dash + 1);
    // Subresource integrity allows `?options` after the digest.
    b64 = b64.take_until([](char c) { return c == '?'; });
    if (algo != "sha256" && algo != "sha384" && algo != "sha512")
      return createError("unrecognized hash algorithm: `" + h + "`");
    // Up to two `=` of padding, after at least one digit.
    StringRef digits = b64;
    for (int pad = 0; pad < 2 && digits.consume_back("=");)
      ++pad;
    bool ok = !digits.empty();
    for (char c : digits)
      ok &= isAlnum(c) || c == '+' || c == '/';
    if (!ok)
      return createError("not valid base64: `" + b64 + "`");
  }
  return Error::success();
}

static Error checkVersionRange(StringRef v) {
  // `@{>=x.y.z}`, `@{<x.y.z}` or `@{>=x.y.z <x.y.z}`; a plain `@x.y.z`
  // elsewhere.
  if (!v.consume_front("{"))
    return Error::success();
  if (!v.consume_back("}"))
    return createError("expected `}` at end of version range");
  // `>=X`, `>=X <Y` or `<Y`.
  SmallVector<StringRef, 2> parts;
  if (v.consume_front(">=")) {
    auto [low, high] = v.split(' ');
    parts.push_back(low);
    if (!high.empty()) {
      if (!high.consume_front("<"))
        return createError("expected `<` at `" + high + "`");
      parts.push_back(high);
    }
  } else if (v.consume_front("<")) {
    parts.push_back(v);
  } else {
    return createError("expected `>=` or `<` at start of version range");
  }
  for (StringRef p : parts)
    if (std::optional<std::string> why = semverError(p))
      return createError("`" + p + "` is not a valid semver: " + *why);
  return Error::success();
}

static Expected<ParsedName> parseDependency(StringRef name, bool locked,
                                            const Features &features) {
  ParsedName p;
  p.kind = ParsedName::Kind::Dependency;
  StringRef s = name;
  StringRef inside;
  // A version range (`@{>=1.2.3}`) has `>` of its own: the name ends at the
  // `>` after its closing brace.
  size_t brace = s.find('{');
  if (brace != StringRef::npos && s.starts_with("<")) {
    size_t close = s.find('}', brace);
    size_t end =
        close == StringRef::npos ? StringRef::npos : s.find('>', close);
    if (end == StringRef::npos)
      return createError("failed to find `>` character");
    inside = s.slice(1, end);
    s = s.drop_front(end + 1);
  } else if (Error e = bracketed(s).moveInto(inside)) {
    return std::move(e);
  }
  StringRef afterPkg = inside;
  if (Error e = parsePackageName(afterPkg, features))
    return std::move(e);
  // cm-nested-names: a dependency may name a path inside the package.
  if (features.has(Feature::CmNestedNames) && afterPkg.consume_front("/")) {
    StringRef path = afterPkg.take_until([](char c) { return c == '@'; });
    afterPkg = afterPkg.drop_front(path.size());
    SmallVector<StringRef, 4> segs;
    path.split(segs, '/', -1, true);
    for (StringRef seg : segs)
      if (!isKebabName(seg))
        return createError("`" + seg + "` is not in kebab case");
  }
  if (!afterPkg.empty() && !afterPkg.starts_with("@"))
    return createError("trailing characters found: `" + afterPkg + "`");
  if (afterPkg.consume_front("@")) {
    StringRef v = afterPkg;
    if (!locked && v == "*") {
      // Any version.
    } else if (locked || !v.starts_with("{")) {
      if (std::optional<std::string> why = semverError(v))
        return createError("`" + v + "` is not a valid semver: " + *why);
    } else if (Error e = checkVersionRange(v)) {
      return std::move(e);
    }
  }
  if (!s.empty()) {
    if (!s.consume_front(","))
      return createError("trailing characters found: `" + s + "`");
    if (!s.consume_front("integrity=<"))
      return createError("expected `integrity=<` at `" + s + "`");
    size_t close = s.find('>');
    if (close == StringRef::npos)
      return createError("failed to find `>` character");
    if (Error e = checkIntegrity(s.take_front(close)))
      return std::move(e);
  }
  return p;
}

static Expected<ParsedName> parseName(StringRef name,
                                      std::optional<StringRef> suffix,
                                      bool isImport, const Features &features) {
  for (StringRef prefix : {"unlocked-dep=", "locked-dep=", "url=",
                           "relative-url=", "integrity="}) {
    StringRef s = name;
    if (!s.consume_front(prefix))
      continue;
    if (prefix == "relative-url=")
      return createError("`" + name + "` is not in kebab case");
    if (!isImport)
      return createError("not an export name");
    if (prefix == "unlocked-dep=" || prefix == "locked-dep=")
      return parseDependency(s, prefix == "locked-dep=", features);
    StringRef inside;
    if (Error e = bracketed(s).moveInto(inside))
      return std::move(e);
    ParsedName p;
    if (prefix == "integrity=") {
      p.kind = ParsedName::Kind::Hash;
      if (Error e = checkIntegrity(inside))
        return std::move(e);
    } else {
      p.kind = ParsedName::Kind::Url;
      if (inside.contains('<'))
        return createError("url cannot contain `<`");
      if (s.consume_front(",")) {
        if (!s.consume_front("integrity="))
          return createError("expected `integrity=<` at `" + s + "`");
        StringRef hash;
        if (Error e = bracketed(s).moveInto(hash))
          return std::move(e);
        if (Error e = checkIntegrity(hash))
          return std::move(e);
      }
    }
    if (!s.empty())
      return createError("trailing characters found: `" + s + "`");
    return p;
  }
  if (name.contains(':'))
    return parseInterface(name, suffix, features);
  return parseKebabOrAnnotated(name);
}

/// A name of resource \p r in the scope (the first in sorted order, so the
/// message does not depend on hashing), or an empty string.
static std::string resourceName(const StringMap<ResourceId> &names,
                                ResourceId r) {
  std::string best;
  for (const auto &kv : names)
    if (kv.second == r && (best.empty() || kv.first() < best))
      best = kv.first().str();
  return best;
}

/// Checks the type rules of `[constructor]`, `[method]` and `[static]`.
static std::optional<std::string>
checkAnnotated(const ParsedName &p, const Entity &e, const TypeArena &arena,
               const StringMap<ResourceId> &resourceNames) {
  if (p.kind == ParsedName::Kind::Plain ||
      p.kind == ParsedName::Kind::Interface)
    return std::nullopt;
  if (p.kind == ParsedName::Kind::Dependency ||
      p.kind == ParsedName::Kind::Url || p.kind == ParsedName::Kind::Hash)
    return std::nullopt;
  if (e.kind != Entity::Kind::Func)
    return std::string("item is not a func");
  const FuncT &f = arena.types[e.id].func;
  auto expectRes = [&](ResourceId r) -> std::optional<std::string> {
    // A resource may have several names (imported, then exported).
    auto named = resourceNames.find(p.resource);
    if (named != resourceNames.end() && named->second == r)
      return std::nullopt;
    std::string n = resourceName(resourceNames, r);
    if (n.empty())
      return std::string("resource used in function does not have a name "
                         "in this context");
    if (n != p.resource)
      return "function does not match expected resource name `" + n + "`";
    return std::nullopt;
  };
  auto handle = [&](const CValType &v, DefinedT::Kind k) -> const DefinedT * {
    if (v.isPrim)
      return nullptr;
    const DefinedT &d = arena.types[v.id].defined;
    return d.kind == k ? &d : nullptr;
  };
  switch (p.kind) {
  case ParsedName::Kind::Constructor: {
    if (f.isAsync)
      return std::string("constructor function cannot be async");
    if (!f.result)
      return std::string("function should return one value");
    const DefinedT *own = handle(*f.result, DefinedT::Kind::Own);
    if (!own) {
      const DefinedT *res = handle(*f.result, DefinedT::Kind::Result);
      if (res && res->first)
        own = handle(*res->first, DefinedT::Kind::Own);
    }
    if (!own)
      return std::string(
          "function should return `(own $T)` or `(result (own $T))`");
    return expectRes(own->resource);
  }
  case ParsedName::Kind::Method: {
    if (f.params.empty())
      return std::string("function should have at least one argument");
    if (f.params[0].first != "self")
      return std::string("function should have a first argument called "
                         "`self`");
    const DefinedT *b = handle(f.params[0].second, DefinedT::Kind::Borrow);
    if (!b)
      return std::string("function should take a first argument of "
                         "`(borrow $T)`");
    return expectRes(b->resource);
  }
  case ParsedName::Kind::Static:
    if (!resourceNames.count(p.resource))
      return std::string("static resource name is not known in this "
                         "context");
    return std::nullopt;
  default:
    return std::nullopt;
  }
}

static Error checkName(const ExternName &n, uint64_t offset, const Entity &e,
                       bool isImport, const TypeArena &arena, const Scope &s,
                       const Features &features) {
  StringRef what = isImport ? "import" : "export";
  if (n.implements || n.versionSuffix) {
    StringRef attr = n.implements ? "implements" : "versionsuffix";
    if (n.implements && !features.has(Feature::CmImplements))
      return createErrorAt(offset, "the `implements` attribute requires the "
                                   "component model implements feature");
    if (e.kind != Entity::Kind::Instance)
      return createErrorAt(offset, "only instances can have an `" + attr + "`");
  }
  ParsedName p;
  if (Error err =
          parseName(n.name, n.versionSuffix, isImport, features).moveInto(p)) {
    std::string why = toString(std::move(err));
    if (why == "not an export name")
      return createErrorAt(offset,
                           "name `" + n.name + "` is not a valid export name");
    return createErrorAt(offset, what + " name `" + n.name +
                                     "` is not a valid extern name\n" + why);
  }
  if (n.implements) {
    if (p.kind != ParsedName::Kind::Plain)
      return createErrorAt(offset, "name `" + n.name +
                                       "` is not valid with `implements`");
    Expected<ParsedName> iface =
        parseInterface(*n.implements, std::nullopt, features);
    if (!iface || !n.implements->contains(':')) {
      consumeError(iface.takeError());
      return createErrorAt(offset,
                           "name `" + *n.implements + "` must be an interface");
    }
  }
  if (std::optional<std::string> why = checkAnnotated(
          p, e, arena,
          isImport ? s.importResourceNames : s.exportResourceNames))
    return createErrorAt(offset,
                         what + " name `" + n.name + "` is not valid\n" + *why);
  return Error::success();
}

Error ComponentValidator::checkImportName(const ExternName &n, uint64_t offset,
                                          const Entity &e) {
  return checkName(n, offset, e, true, arena, cur(), features);
}

Error ComponentValidator::checkExportName(const ExternName &n, uint64_t offset,
                                          const Entity &e) {
  return checkName(n, offset, e, false, arena, cur(), features);
}
