//===- Types.h - The validator's type model ---------------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Types as the validator sees them, in one arena per validation so that
/// types from different modules, components and type declarations can be
/// compared: core types (with concrete heap types rewritten from module
/// indices to arena ids), module and core instance types, and the
/// component-level types (defined value types, functions, components,
/// instances, resources). Resources are identified by a ResourceId that
/// each definition, abstract import or instantiation makes fresh.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_VALIDATE_TYPES_H
#define WCL_LIB_VALIDATE_TYPES_H

#include "wcl/Component/ComponentReader.h"
#include "wcl/Wasm/CoreTypes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace wcl {
namespace validate {

/// The value type of a numeric or vector type code (0x7f i32, ...).
inline wasm::ValType numType(uint8_t code) {
  wasm::ValType v;
  v.code = code;
  return v;
}

/// `(ref null? ht)`: 0x63 when nullable, else 0x64.
inline wasm::ValType refType(bool nullable, int64_t heapType) {
  wasm::ValType v;
  v.code = nullable ? 0x63 : 0x64;
  v.ref.nullable = nullable;
  v.ref.heapType = heapType;
  return v;
}

using TypeId = uint32_t;
using ResourceId = uint32_t;

/// A core extern type whose concrete heap types and function type are arena
/// ids (`func` is the arena id of a function subtype; tags likewise).
struct CoreExtern {
  wasm::ExternType::Kind kind = wasm::ExternType::Kind::Func;
  TypeId func = 0; ///< Func and Tag
  wasm::TableType table;
  wasm::MemoryType memory;
  wasm::GlobalType global;
};

/// Names in declaration order plus a lookup, for imports and exports.
template <typename T> struct NamedList {
  std::vector<std::pair<std::string, T>> items;
  llvm::StringMap<uint32_t> byName;

  const T *find(llvm::StringRef name) const {
    auto it = byName.find(name);
    return it == byName.end() ? nullptr : &items[it->second].second;
  }
  /// False when the name was already present.
  bool add(llvm::StringRef name, T value) {
    if (!byName.try_emplace(name, uint32_t(items.size())).second)
      return false;
    items.emplace_back(name.str(), std::move(value));
    return true;
  }
};

struct ModuleType {
  struct Import {
    std::string module, field;
    CoreExtern type;
  };
  std::vector<Import> imports;
  NamedList<CoreExtern> exports;
};

struct CoreInstanceType {
  NamedList<CoreExtern> exports;
  /// An instance of a module has that module's exports, which are not
  /// copied (a link instantiates large modules many times).
  std::optional<TypeId> ofModule;
};

/// A component-level value type: a primitive or a defined type's arena id.
struct CValType {
  bool isPrim = true;
  wasm::TypeCode prim = wasm::TypeCode::Bool;
  TypeId id = 0;

  static CValType primitive(wasm::TypeCode c) { return {true, c, 0}; }
  static CValType defined(TypeId id) {
    return {false, wasm::TypeCode::Bool, id};
  }
};

/// What an import, export or declaration gives an item.
struct Entity {
  enum class Kind : uint8_t { Module, Func, Value, Type, Component, Instance };
  Kind kind = Kind::Func;
  /// Module: module type; Func, Component, Instance: the type; Type: the
  /// referenced type.
  TypeId id = 0;
  CValType value; ///< Value
};

struct DefinedT {
  using Kind = component::DefinedType::Kind;
  Kind kind = Kind::Primitive;
  wasm::TypeCode prim = wasm::TypeCode::Bool;
  std::vector<std::pair<std::string, CValType>> fields; ///< Record
  std::vector<std::pair<std::string, std::optional<CValType>>> cases;
  std::vector<CValType> types;     ///< Tuple
  std::vector<std::string> labels; ///< Flags, Enum
  std::optional<CValType> first, second;
  uint32_t length = 0;
  ResourceId resource = 0; ///< Own, Borrow
  /// Own, Borrow: the type index entry the handle was written with, for
  /// the rule that exported types refer to named types only.
  TypeId resourceType = 0;
};

struct FuncT {
  bool isAsync = false;
  std::vector<std::pair<std::string, CValType>> params;
  std::optional<CValType> result;
};

/// A component type (imports and exports) or an instance type (exports).
struct ComponentT {
  NamedList<Entity> imports;
  NamedList<Entity> exports;
  /// Resources the imports introduce abstractly, substituted by an
  /// instantiation's arguments.
  std::vector<ResourceId> importedResources;
  /// Types imported with an `eq` bound: each import is a type of its own,
  /// replaced by the argument's type when the component is instantiated.
  std::vector<TypeId> importedTypes;
  /// Resources the exports introduce abstractly (`sub resource`), made
  /// fresh by each instantiation.
  std::vector<ResourceId> definedResources;
};

struct CType {
  enum class Kind : uint8_t { Defined, Func, Component, Instance, Resource };
  Kind kind = Kind::Defined;
  DefinedT defined;
  FuncT func;
  ComponentT comp; ///< Component and Instance
  ResourceId resource = 0;
  /// Every resource the type mentions, so aliases and exports can check
  /// where they come from.
  bool mentionsResources = false;
  /// wasmparser's effective size: the nodes of the type with shared parts
  /// counted at each use, saturated (TypeArena::add computes it).
  uint64_t size = 1;
};

/// wasmparser's limit on CType::size.
inline constexpr uint64_t MaxTypeSize = 1000000;

class TypeArena;
/// The effective size of \p t from the sizes of the types it refers to.
uint64_t typeSize(const TypeArena &arena, const CType &t);

/// Every type one validation creates. Ids are stable.
class TypeArena {
public:
  std::deque<wasm::SubType> core;
  /// The rec group of each core type: the first id and the size, for the
  /// subtyping of concrete types defined in the same group.
  std::deque<std::pair<TypeId, uint32_t>> coreGroup;
  std::deque<ModuleType> modules;
  std::deque<CoreInstanceType> coreInstances;
  std::deque<CType> types;
  uint32_t numResources = 0;
  /// The core representation type (0x7f i32, 0x7e i64) of each resource a
  /// `resource` definition made.
  llvm::DenseMap<ResourceId, uint8_t> resourceRep;

  TypeId addCore(wasm::SubType t, TypeId groupFirst, uint32_t groupSize) {
    core.push_back(std::move(t));
    coreGroup.push_back({groupFirst, groupSize});
    return TypeId(core.size() - 1);
  }
  /// A core function type of value-type codes (0x7f i32, ...), in a rec
  /// group of its own: what a lift, lower or built-in defines.
  TypeId addCoreFunc(llvm::ArrayRef<uint8_t> params,
                     llvm::ArrayRef<uint8_t> results) {
    wasm::SubType t;
    for (uint8_t code : params)
      t.composite.func.params.push_back(wasm::ValType{code});
    for (uint8_t code : results)
      t.composite.func.results.push_back(wasm::ValType{code});
    return addCore(std::move(t), TypeId(core.size()), 1);
  }
  TypeId addModule(ModuleType t) {
    modules.push_back(std::move(t));
    return TypeId(modules.size() - 1);
  }
  TypeId addCoreInstance(CoreInstanceType t) {
    coreInstances.push_back(std::move(t));
    return TypeId(coreInstances.size() - 1);
  }
  /// The exports of core instance type \p id.
  const NamedList<CoreExtern> &coreExports(TypeId id) const {
    const CoreInstanceType &t = coreInstances[id];
    return t.ofModule ? modules[*t.ofModule].exports : t.exports;
  }
  TypeId add(CType t) {
    t.size = typeSize(*this, t);
    types.push_back(std::move(t));
    return TypeId(types.size() - 1);
  }
  ResourceId newResource() { return ++numResources; }
  TypeId addResource(ResourceId r) {
    CType t;
    t.kind = CType::Kind::Resource;
    t.resource = r;
    t.mentionsResources = true;
    return add(std::move(t));
  }
};

//===----------------------------------------------------------------------===//
// Core types (CoreSubtyping.cpp)
//===----------------------------------------------------------------------===//

/// Whether value type \p a matches \p b (a <: b); concrete heap types are
/// arena ids.
bool coreValSubtype(const TypeArena &arena, const wasm::ValType &a,
                    const wasm::ValType &b);
bool coreRefSubtype(const TypeArena &arena, const wasm::RefType &a,
                    const wasm::RefType &b);
/// Whether core type \p a is \p b or declares it as a (transitive)
/// supertype, or is structurally the same.
bool coreTypeSubtype(const TypeArena &arena, TypeId a, TypeId b);
bool coreTypesEqual(const TypeArena &arena, TypeId a, TypeId b);
/// wasm-tools' rendering of a core function type: "(func (param i32))".
std::string funcTypeText(const TypeArena &arena, TypeId func);
/// The abstract top of a heap type (func, extern, any, exn, cont).
int64_t topHeapType(const TypeArena &arena, int64_t heapType);

/// Checks that \p actual can be used where \p expected is wanted, with
/// wasm-tools' messages ("expected global, found func", "mismatch in table
/// limits", ...). An empty string when it matches.
std::string coreExternMismatch(const TypeArena &arena, const CoreExtern &actual,
                               const CoreExtern &expected);

//===----------------------------------------------------------------------===//
// Component types (Subtyping.cpp)
//===----------------------------------------------------------------------===//

/// Resource equivalences found while comparing: a resource of the actual
/// side stands for one of the expected side.
using ResourceMap = llvm::DenseMap<ResourceId, ResourceId>;

/// Whether \p actual can be used where \p expected is wanted. An empty string
/// when it can, else wasm-tools' message (lines joined with '\n').
std::string entityMismatch(const TypeArena &arena, const Entity &actual,
                           const Entity &expected, ResourceMap &map);
std::string valTypeMismatch(const TypeArena &arena, const CValType &actual,
                            const CValType &expected, ResourceMap &map);
std::string typeMismatch(const TypeArena &arena, TypeId actual, TypeId expected,
                         ResourceMap &map);

/// Types an instantiation replaces: an imported type by its argument.
using TypeMap = llvm::DenseMap<TypeId, TypeId>;

/// Rewrites the resources of \p id through \p map (and the types through
/// \p types), making new types where anything changes.
TypeId substitute(TypeArena &arena, TypeId id, const ResourceMap &map);
Entity substitute(TypeArena &arena, const Entity &e, const ResourceMap &map,
                  const TypeMap &types = TypeMap());
CValType substitute(TypeArena &arena, const CValType &v,
                    const ResourceMap &map);

/// "func", "component", "instance", "module", "value", "type".
llvm::StringRef entityKindName(Entity::Kind kind);
/// "record", "u32", ...: a value type's kind as wasm-tools names it.
std::string valTypeKindName(const TypeArena &arena, const CValType &v);

/// Visits every resource \p v's type mentions.
void forEachResource(const TypeArena &arena, const CValType &v,
                     llvm::function_ref<void(ResourceId, bool borrow)> fn);
void forEachResource(const TypeArena &arena, const Entity &e,
                     llvm::function_ref<void(ResourceId, bool borrow)> fn,
                     llvm::function_ref<void(TypeId)> onType = nullptr);

} // namespace validate
} // namespace wcl

#endif // WCL_LIB_VALIDATE_TYPES_H
