//===- wcl/WIT/Resolve.h - The WIT type model -------------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The WIT type model: packages, interfaces, worlds and type definitions, all
/// owned by one Resolve and addressed by typed ids (indices into its arenas),
/// so a type can refer to a resource in another interface without pointers.
/// The model is what `component-type` sections decode into, what several
/// libraries' worlds merge into, and what the encoder turns back into
/// component types; it follows the shape of wit-parser's Resolve so that the
/// order in which things are visited (and therefore the encoded output)
/// matches wit-component's.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WIT_RESOLVE_H
#define WCL_WIT_RESOLVE_H

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wcl {
namespace wit {

/// An insertion-ordered map from names: the order of a WIT interface's
/// types and functions is the order they are encoded in.
template <typename V>
using NameMap =
    llvm::MapVector<std::string, V, std::map<std::string, unsigned>>;

struct TypeDef;
struct Interface;
struct World;
struct Package;

/// An index into one of Resolve's arenas; the tag keeps the kinds apart.
template <typename T> struct Id {
  uint32_t index = ~0u;

  bool valid() const { return index != ~0u; }
  bool operator==(const Id &o) const { return index == o.index; }
  bool operator!=(const Id &o) const { return index != o.index; }
  bool operator<(const Id &o) const { return index < o.index; }
};
using TypeId = Id<TypeDef>;
using InterfaceId = Id<Interface>;
using WorldId = Id<World>;
using PackageId = Id<Package>;

/// The primitive WIT types.
enum class Prim : uint8_t {
  Bool,
  S8,
  U8,
  S16,
  U16,
  S32,
  U32,
  S64,
  U64,
  F32,
  F64,
  Char,
  String,
  ErrorContext,
};

/// "u32", "string", "error-context".
llvm::StringRef toString(Prim p);

/// A use of a type: a primitive or a type definition.
struct Type {
  bool isId = false;
  Prim prim = Prim::Bool;
  TypeId id;

  static Type primitive(Prim p) { return {false, p, {}}; }
  static Type of(TypeId id) { return {true, Prim::Bool, id}; }
  bool operator==(const Type &o) const {
    return isId == o.isId && (isId ? id == o.id : prim == o.prim);
  }
  bool operator!=(const Type &o) const { return !(*this == o); }
};

/// Doc comments: the text of `///` lines without their slashes, lines
/// joined by `\n`; std::nullopt when there are none.
using Docs = std::optional<std::string>;

/// A feature gate: `@since(version = ..)` or `@unstable(feature = ..)`,
/// either with an optional `@deprecated(version = ..)`.
struct Stability {
  enum class Kind : uint8_t { Unknown, Stable, Unstable };
  Kind kind = Kind::Unknown;
  /// The `since` version (Stable) or the feature (Unstable).
  std::string value;
  std::optional<std::string> deprecated;

  bool operator==(const Stability &o) const {
    return kind == o.kind && value == o.value && deprecated == o.deprecated;
  }
  bool operator!=(const Stability &o) const { return !(*this == o); }
};

struct Field {
  std::string name;
  Type type;
  Docs docs;
};

struct Case {
  std::string name;
  std::optional<Type> type;
  Docs docs;
};

enum class TypeDefKind : uint8_t {
  Record,
  Resource,
  Own,
  Borrow,
  Flags,
  Tuple,
  Variant,
  Enum,
  Option,
  Result,
  List,
  FixedList,
  Future,
  Stream,
  /// `map<K, V>`: `types` holds the key and the value.
  Map,
  /// `type a = b`: a named alias of another type.
  Alias,
};

/// Where a type definition lives.
struct TypeOwner {
  enum class Kind : uint8_t { None, Interface, World };
  Kind kind = Kind::None;
  uint32_t index = 0; ///< InterfaceId or WorldId

  static TypeOwner none() { return {}; }
  static TypeOwner interface(InterfaceId id) {
    return {Kind::Interface, id.index};
  }
  static TypeOwner world(WorldId id) { return {Kind::World, id.index}; }
  InterfaceId interfaceId() const { return {index}; }
  bool operator==(const TypeOwner &o) const {
    return kind == o.kind && (kind == Kind::None || index == o.index);
  }
};

struct TypeDef {
  /// Named types are those an interface or world exports; anonymous ones
  /// (`list<u8>` in a signature) have none.
  std::optional<std::string> name;
  TypeDefKind kind = TypeDefKind::Record;
  TypeOwner owner;
  std::vector<Field> fields;      ///< Record
  std::vector<Case> cases;        ///< Variant
  std::vector<std::string> names; ///< Flags, Enum
  std::vector<Type> types;        ///< Tuple; Map: key, value
  /// Option/List/FixedList element, Alias target, Result ok, Future/Stream
  /// payload.
  std::optional<Type> element;
  std::optional<Type> error; ///< Result
  uint32_t length = 0;       ///< FixedList
  TypeId resource;           ///< Own, Borrow
  /// The docs of each of `names` (Flags, Enum), when any has some.
  std::vector<Docs> nameDocs;
  Docs docs;
  Stability stability;
};

/// Calls \p fn on each type \p def holds directly, in encoding order: field
/// types, case payloads, tuple and map members, the element, the error. A
/// handle's resource is a TypeId, not a Type, and is left to the caller.
/// \p Def is TypeDef or const TypeDef.
template <typename Def, typename Fn> void forEachType(Def &def, Fn fn) {
  for (auto &f : def.fields)
    fn(f.type);
  for (auto &c : def.cases)
    if (c.type)
      fn(*c.type);
  for (auto &t : def.types)
    fn(t);
  if (def.element)
    fn(*def.element);
  if (def.error)
    fn(*def.error);
}

enum class FunctionKind : uint8_t { Freestanding, Method, Static, Constructor };

struct Function {
  /// The name as the component model spells it: `f`, `[method]r.f`,
  /// `[static]r.f`, `[constructor]r`, with `[async]` prefixes kept.
  std::string name;
  FunctionKind kind = FunctionKind::Freestanding;
  bool isAsync = false;
  TypeId resource; ///< Method, Static, Constructor
  std::vector<std::pair<std::string, Type>> params;
  std::optional<Type> result;
  Docs docs;
  Stability stability;

  /// The name without its `[...]` prefix and resource: `f` for
  /// `[method]r.f`, `r` for `[constructor]r`.
  llvm::StringRef itemName() const;
};

struct Interface {
  /// Interfaces in packages have names; inline interfaces of a world
  /// (`import x: interface { ... }`) do not.
  std::optional<std::string> name;
  std::optional<PackageId> package;
  NameMap<TypeId> types;
  NameMap<Function> functions;
  /// For a plain-named world item that implements a package interface
  /// (`import b: a:b/i;`, the 🏷️ `implements` of the Explainer): that
  /// interface's id. The item gets its own copy of the interface, as
  /// wit-parser clones it, so two names implementing one interface stay
  /// apart.
  std::optional<std::string> implements;
  Docs docs;
  Stability stability;
};

/// The name of a world item: a plain name (`import f: func()`, `import x:
/// interface {...}`) or an interface (`import wasi:io/streams`).
struct WorldKey {
  std::string name;
  std::optional<InterfaceId> interface;

  bool operator==(const WorldKey &o) const {
    return interface ? (o.interface && *interface == *o.interface)
                     : (!o.interface && name == o.name);
  }
};

struct WorldItem {
  enum class Kind : uint8_t { Interface, Function, Type };
  Kind kind = Kind::Function;
  InterfaceId interface; ///< Interface
  Function function;     ///< Function
  TypeId type;           ///< Type
  /// An interface item's own gate and docs (`@since(..) import a;`).
  Stability stability;
  Docs docs;
};

struct World {
  std::string name;
  std::optional<PackageId> package;
  std::vector<std::pair<WorldKey, WorldItem>> imports;
  std::vector<std::pair<WorldKey, WorldItem>> exports;
  Docs docs;
  Stability stability;

  const WorldItem *findImport(const WorldKey &key) const;
  const WorldItem *findExport(const WorldKey &key) const;
};

struct PackageName {
  std::string ns, name;
  std::optional<std::string> version;

  /// `ns:name` or `ns:name@version`.
  std::string toString() const;
  bool operator==(const PackageName &o) const {
    return ns == o.ns && name == o.name && version == o.version;
  }
};

struct Package {
  PackageName name;
  NameMap<InterfaceId> interfaces;
  NameMap<WorldId> worlds;
  Docs docs;
};

/// Every package, interface, world and type definition of a link.
class Resolve {
public:
  std::vector<Package> packages;
  std::vector<Interface> interfaces;
  std::vector<World> worlds;
  std::vector<TypeDef> types;

  TypeDef &get(TypeId id) { return types[id.index]; }
  const TypeDef &get(TypeId id) const { return types[id.index]; }
  Interface &get(InterfaceId id) { return interfaces[id.index]; }
  const Interface &get(InterfaceId id) const { return interfaces[id.index]; }
  World &get(WorldId id) { return worlds[id.index]; }
  const World &get(WorldId id) const { return worlds[id.index]; }
  Package &get(PackageId id) { return packages[id.index]; }
  const Package &get(PackageId id) const { return packages[id.index]; }

  TypeId addType(TypeDef def);
  InterfaceId addInterface(Interface iface);
  WorldId addWorld(World world);
  /// The package called \p name, created if it does not exist yet.
  PackageId package(const PackageName &name);

  /// `ns:pkg/iface@version` for an interface of a package; std::nullopt for
  /// an inline interface.
  std::optional<std::string> idOf(InterfaceId id) const;
  /// `ns:pkg/iface@track` with the version cut to its semver track
  /// (`@1`, `@0.2`): how the `cm32p2` name mangling spells an interface.
  std::optional<std::string> canonicalizedIdOf(InterfaceId id) const;
  /// The name a world item is imported or exported under: the interface's
  /// id, or the plain name.
  std::string nameOf(const WorldKey &key) const;

  /// Follows aliases (`type a = b`) to the type they stand for.
  Type dealias(Type t) const;
  /// The resource behind a handle or an alias of one.
  TypeId resourceOf(TypeId handle) const;
  /// The interface type \p id was `use`d from, when it is an alias of a
  /// type of another interface.
  std::optional<InterfaceId> typeInterfaceDep(TypeId id) const;
  /// The interfaces whose types \p id `use`s, in the order of its types and
  /// with repeats (wit-parser's `interface_direct_deps`).
  std::vector<InterfaceId> directDeps(InterfaceId id) const;

  /// Whether values of \p t contain a string.
  bool hasString(Type t) const;
  /// Whether values of \p t contain a list or string (anything that lives
  /// in memory outside the value itself).
  bool hasList(Type t) const;
};

/// The semver track of a version: `1` for 1.2.3, `0.2` for 0.2.1, `0.0.3`
/// for 0.0.3; a prerelease or unparsable version is its own track.
std::string semverTrack(llvm::StringRef version);

/// The type definitions some types, functions or interfaces need, each
/// after the ones it depends on (wit-parser's LiveTypes, whose order the
/// encoder follows).
class LiveTypes {
public:
  void addType(const Resolve &resolve, Type t);
  void addTypeId(const Resolve &resolve, TypeId id);
  void addFunction(const Resolve &resolve, const Function &f);
  void addInterface(const Resolve &resolve, InterfaceId id);

  const std::vector<TypeId> &types() const { return order; }

private:
  std::vector<TypeId> order;
  std::vector<bool> seen;
};

} // namespace wit
} // namespace wcl

#endif // WCL_WIT_RESOLVE_H
