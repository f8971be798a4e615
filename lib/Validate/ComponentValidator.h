//===- ComponentValidator.h - Validation of components ----------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The component validator. It walks a decoded component in section order
/// and keeps, per scope (a component, or a component or instance type being
/// declared), the types of every index space, so each definition is
/// checked against what precedes it, as Explainer.md's validation rules
/// say. The work is split by concept: ComponentValidator.cpp (the walk,
/// core instances, aliases, instances, imports and exports, start),
/// TypeDefs.cpp (type definitions and declarations), Canon.cpp (canonical
/// definitions), Names.cpp (import and export names), Subtyping.cpp (type
/// matching and resource substitution).
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_VALIDATE_COMPONENTVALIDATOR_H
#define WCL_LIB_VALIDATE_COMPONENTVALIDATOR_H

#include "Types.h"
#include "wcl/Component/ComponentReader.h"
#include "wcl/Validate/Validate.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

namespace wcl {
namespace validate {

/// Validates a decoded component and every component and module nested in
/// it.
llvm::Error validateComponent(const component::Component &c,
                              const Features &features);

/// An entry of a core type index space: a core type or a module type.
struct CoreTypeRef {
  bool isModule = false;
  TypeId id = 0; ///< arena.core or arena.modules
};

/// The names already used by imports or exports of one scope, compared as
/// wasm-tools compares them (kebab names without regard to case).
class NameSet {
public:
  /// The previous name \p name conflicts with, if any; else records it.
  std::optional<std::string> insert(llvm::StringRef name);

private:
  llvm::StringMap<std::string> seen;
};

/// Types and resources that have a name in a scope.
struct NamedSet {
  llvm::DenseSet<TypeId> types;
  llvm::DenseSet<ResourceId> resources;
};

struct Scope {
  enum class Kind : uint8_t { Component, ComponentType, InstanceType };
  Kind kind = Kind::Component;

  std::vector<CoreTypeRef> coreTypes;
  std::vector<TypeId> coreModules;   ///< module types
  std::vector<TypeId> coreInstances; ///< core instance types
  std::vector<TypeId> coreFuncs;     ///< core func types (arena.core)
  std::vector<wasm::TableType> coreTables;
  std::vector<wasm::MemoryType> coreMemories;
  std::vector<wasm::GlobalType> coreGlobals;
  std::vector<TypeId> coreTags;

  std::vector<TypeId> types; ///< any CType
  std::vector<TypeId> funcs; ///< CType Func
  std::vector<CValType> values;
  std::vector<bool> valueUsed;
  std::vector<TypeId> components; ///< CType Component
  std::vector<TypeId> instances;  ///< CType Instance

  /// The type being declared (ComponentType, InstanceType) or the
  /// component's own imports and exports (Component).
  ComponentT self;
  NameSet importNames, exportNames;
  /// Resources defined by this scope: `resource` type definitions of a
  /// component, and (in types) abstract imports and exports.
  llvm::DenseSet<ResourceId> localResources;
  /// Resources this scope may refer to; an outer alias may not reach a type
  /// that mentions others.
  llvm::DenseSet<ResourceId> knownResources;
  /// Types of this scope that have a name, for the rule on what an export
  /// (named) or an import (importNamed) may refer to: imports may refer only
  /// to what imports named.
  NamedSet named, importNamed;
  /// Resources names may use in `[method]r.f` and the like: the name of
  /// each resource type imported (for import names) or exported (for
  /// export names).
  llvm::StringMap<ResourceId> importResourceNames, exportResourceNames;
  /// Per instance index: whether it was made from exports here, whose
  /// exported types then have no names of their own.
  std::vector<bool> instanceIsBag;
  /// context.get/set: the core type of the slots, once one is used.
  std::optional<wasm::ValType> contextType;
  bool hasStart = false;
};

class ComponentValidator {
public:
  ComponentValidator(const Features &f, TypeArena &arena)
      : features(f), arena(arena) {}

  /// Validates \p c as a new innermost scope; its type is the result.
  llvm::Expected<TypeId> run(const component::Component &c);

  // The walk (ComponentValidator.cpp).
  llvm::Error coreModule(const component::CoreModule &m);
  llvm::Error coreInstance(const component::CoreInstance &i);
  llvm::Error instance(const component::Instance &i);
  llvm::Error alias(const component::Alias &a, bool inType);
  llvm::Error importItem(uint64_t offset, const component::ExternName &name,
                         const component::ExternDesc &desc);
  llvm::Error exportItem(const component::Export &e);
  llvm::Error start(const component::Start &s);
  llvm::Error checkValuesUsed(uint64_t offset);

  // Types (TypeDefs.cpp).
  llvm::Error coreTypeDef(const component::CoreTypeDef &t);
  llvm::Error typeDef(const component::TypeDef &t);
  llvm::Expected<TypeId> definedType(const component::DefinedType &d,
                                     uint64_t offset);
  llvm::Expected<TypeId> funcType(const component::FuncType &f,
                                  uint64_t offset);
  llvm::Expected<TypeId> declaredType(const component::TypeDef &t);
  llvm::Expected<CValType> valType(const component::ValType &v,
                                   uint64_t offset);
  llvm::Expected<Entity> externDesc(const component::ExternDesc &d,
                                    uint64_t offset);
  llvm::Expected<TypeId> moduleType(const component::CoreTypeDef &t);

  // Canonical definitions (Canon.cpp).
  llvm::Error canon(const component::Canon &c);
  llvm::Error canonBuiltin(const component::Canon &c);

  // Names (Names.cpp).
  llvm::Error checkImportName(const component::ExternName &n, uint64_t offset,
                              const Entity &e);
  llvm::Error checkExportName(const component::ExternName &n, uint64_t offset,
                              const Entity &e);

  /// Whether everything \p e refers to has a name in the current scope.
  bool isNamed(const Entity &e, bool forImport);
  /// Records what naming \p e (imported or exported as \p name) gives the
  /// current scope.
  void recordNamed(llvm::StringRef name, const Entity &e, bool isImport);
  /// The types an instance or component type exports, at any depth, get
  /// names in the current scope.
  void nameExportedTypes(const Entity &e, bool imported);
  /// Adds \p e to the index space of its kind in the current scope.
  void push(const Entity &e);
  /// The entity of item \p index of \p sort, or an error naming it.
  llvm::Expected<Entity> entityOf(component::SortKind sort, uint32_t index,
                                  uint64_t offset);
  llvm::Expected<CoreExtern> coreEntityOf(wasm::CoreSort sort, uint32_t index,
                                          uint64_t offset);
  /// Type \p index of the current scope, or an error.
  llvm::Expected<TypeId> typeAt(uint32_t index, uint64_t offset);
  llvm::Expected<TypeId> funcTypeAt(uint32_t index, uint64_t offset);
  /// The resource type \p index names.
  llvm::Expected<ResourceId> resourceAt(uint32_t index, uint64_t offset);
  /// A fresh copy of an imported instance or type whose abstract exported
  /// resources become resources of their own.
  Entity freshen(const Entity &e);

  Scope &cur() { return scopes.back(); }

  const Features &features;
  TypeArena &arena;
  // A deque: scopes are pushed while references to outer ones are held.
  std::deque<Scope> scopes;
};

/// Whether \p name is a kebab-case name: words of lower-case letters and
/// digits (or all upper-case), each starting with a letter, joined by '-'.
bool isKebabName(llvm::StringRef name);
/// Checks a label (field, case, flag, parameter name) as wasm-tools does:
/// "<what> name cannot be empty", "<what> name `X` is not in kebab case".
llvm::Error checkLabel(llvm::StringRef name, llvm::StringRef what,
                       uint64_t offset);

/// Splits wasm-tools' multi-line message into the judge's and the user's
/// one line.
llvm::Error mismatchError(uint64_t offset, const llvm::Twine &head,
                          const std::string &detail);

} // namespace validate
} // namespace wcl

#endif // WCL_LIB_VALIDATE_COMPONENTVALIDATOR_H
