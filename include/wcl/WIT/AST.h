//===- wcl/WIT/AST.h - The syntax tree of a WIT file ------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What the parser makes of one WIT file: names with their spans, docs and
/// gates as written, types as written. Nothing is looked up here; the
/// resolver (TextResolver.cpp) turns a package's files into the Resolve
/// model.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WIT_AST_H
#define WCL_WIT_AST_H

#include "wcl/WIT/Resolve.h"
#include "wcl/WIT/SourceMap.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wcl {
namespace wit {
namespace ast {

struct Id {
  std::string name;
  Span span;
};

/// The comments before an item, as written (`/// a`, `/** b */`, `// c`).
struct Docs {
  std::vector<std::string> comments;
  Span span; ///< From the first comment to the end of the last.
};

/// `@since(version = 1.2.3)`, `@unstable(feature = f)`,
/// `@deprecated(version = 1.2.3)`, `@external-id("...")`.
struct Attribute {
  enum class Kind : uint8_t { Since, Unstable, Deprecated, ExternalId };
  Kind kind;
  Span span;
  /// The version, feature or id.
  std::string value;
};
using Attributes = std::vector<Attribute>;

struct Type;
using TypePtr = std::unique_ptr<Type>;

/// A record field, variant case, flag or enum case.
struct Member {
  Docs docs;
  Id name;
  TypePtr type; ///< Record fields and payload-carrying variant cases.
};

struct Func {
  Span span;
  bool isAsync = false;
  std::vector<std::pair<Id, TypePtr>> params;
  TypePtr result;
};

struct NamedFunc {
  enum class Kind : uint8_t { Freestanding, Method, Static, Constructor };
  Docs docs;
  Attributes attributes;
  Kind kind = Kind::Freestanding;
  Id name;
  Func func;
};

struct Type {
  enum class Kind : uint8_t {
    Prim,
    Name,
    List,
    Map,
    FixedList,
    Own,
    Borrow,
    Resource,
    Record,
    Flags,
    Variant,
    Tuple,
    Enum,
    Option,
    Result,
    Future,
    Stream,
  };
  Kind kind = Kind::Prim;
  Span span;
  Prim prim = Prim::Bool;
  Id name;                      ///< Name, Own, Borrow
  TypePtr a, b;                 ///< element / ok / key; err / value
  uint32_t size = 0;            ///< FixedList
  std::vector<TypePtr> items;   ///< Tuple
  std::vector<Member> members;  ///< Record, Flags, Variant, Enum
  std::vector<NamedFunc> funcs; ///< Resource
};

struct TypeDef {
  Docs docs;
  Attributes attributes;
  Id name;
  TypePtr type;
};

struct PackageName {
  Docs docs;
  Span span;
  Id ns, name;
  std::optional<std::string> version;
  Span versionSpan;

  wit::PackageName toName() const { return {ns.name, name.name, version}; }
};

/// `iface` or `ns:pkg/iface@1.0.0`.
struct UsePath {
  std::optional<PackageName> package;
  Id name;
  Span span() const { return package ? package->span : name.span; }
};

struct UseName {
  Id name;
  std::optional<Id> as;
};

struct Use {
  Attributes attributes;
  UsePath from;
  std::vector<UseName> names;
};

struct InterfaceItem {
  enum class Kind : uint8_t { TypeDef, Func, Use };
  Kind kind;
  TypeDef typeDef;
  NamedFunc func;
  Use use;
};

struct Interface {
  Docs docs;
  Attributes attributes;
  Id name;
  std::vector<InterfaceItem> items;
};

/// What follows `import` or `export`.
struct Extern {
  enum class Kind : uint8_t { Interface, Path, Func, NamedPath };
  Kind kind;
  Id name; ///< Interface, Func, NamedPath
  std::vector<InterfaceItem> items;
  UsePath path;
  Func func;
  Span span() const { return kind == Kind::Path ? path.span() : name.span; }
};

struct IncludeName {
  Id name, as;
};

struct Include {
  Attributes attributes;
  UsePath from;
  std::vector<IncludeName> names;
};

struct WorldItem {
  enum class Kind : uint8_t { Import, Export, Use, TypeDef, Include };
  Kind kind;
  Docs docs;
  Attributes attributes;
  Extern ext;
  Use use;
  TypeDef typeDef;
  Include include;
};

struct World {
  Docs docs;
  Attributes attributes;
  Id name;
  std::vector<WorldItem> items;
};

/// `use ns:pkg/iface as name;` at the top of a file.
struct ToplevelUse {
  Span span;
  Attributes attributes;
  UsePath item;
  std::optional<Id> as;
};

struct PackageFile;

struct Item {
  enum class Kind : uint8_t { Interface, World, Use, Package };
  Kind kind;
  Interface interface;
  World world;
  ToplevelUse use;
  std::unique_ptr<PackageFile> package;
};

struct PackageFile {
  std::optional<PackageName> name;
  std::vector<Item> items;
};

} // namespace ast
} // namespace wit
} // namespace wcl

#endif // WCL_WIT_AST_H
