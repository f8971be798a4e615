//===- ModuleValidator.h - Validation of core modules -----------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Core module validation: the module-level rules (ModuleValidator.cpp),
/// constant expressions and function bodies (FuncValidator.cpp), over a
/// ModuleContext that holds every index space with arena types.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_VALIDATE_MODULEVALIDATOR_H
#define WCL_LIB_VALIDATE_MODULEVALIDATOR_H

#include "Types.h"
#include "wcl/Validate/Validate.h"
#include "wcl/Wasm/Module.h"
#include "llvm/ADT/DenseSet.h"

namespace wcl {
namespace validate {

/// A module's index spaces as the validator needs them.
struct ModuleContext {
  const Features &features;
  TypeArena &arena;
  /// Module type index → arena id.
  std::vector<TypeId> types;
  /// Function index → arena id of its function type.
  std::vector<TypeId> funcs;
  std::vector<wasm::TableType> tables;
  std::vector<wasm::MemoryType> memories;
  std::vector<wasm::GlobalType> globals;
  /// Tag index → arena id of its function type.
  std::vector<TypeId> tags;
  std::vector<wasm::RefType> elems;
  std::optional<uint32_t> dataCount;
  /// Functions a `ref.func` may name outside constant expressions.
  llvm::DenseSet<uint32_t> declaredFuncs;
  /// How many globals a constant expression may read (imported ones, and
  /// with GC the ones defined before it).
  uint32_t numConstGlobals = 0;

  ModuleContext(const Features &f, TypeArena &a) : features(f), arena(a) {}

  /// The function type with arena id \p id, or null.
  const wasm::FuncType *funcType(TypeId id) const {
    if (id >= arena.core.size() ||
        arena.core[id].composite.kind != wasm::CompositeType::Kind::Func)
      return nullptr;
    return &arena.core[id].composite.func;
  }
  /// Rewrites a module-level value type into the arena; an error when a
  /// concrete heap type is out of range or a feature is missing.
  llvm::Error toArena(wasm::ValType &v, uint64_t offset) const;
  llvm::Error toArena(wasm::RefType &r, uint64_t offset) const;
};

/// Adds a rec group to \p space (a module's or component's core type index
/// space), translated into the arena and checked: the indices it uses, the
/// features its types need, and its declared supertypes.
llvm::Error addRecGroup(const wasm::RecGroup &group, uint64_t offset,
                        std::vector<TypeId> &space, TypeArena &arena,
                        const Features &features);

/// Checks a module's limits against its features; \p isTable picks the
/// bounds and messages.
llvm::Error checkLimits(const wasm::Limits &limits, bool isTable,
                        uint64_t offset, const Features &features);

/// Validates \p module and returns its module type (an arena module id).
llvm::Expected<TypeId> validateModule(const wasm::CoreModule &module,
                                      const Features &features,
                                      TypeArena &arena);

/// Checks a constant expression against \p expected.
llvm::Error validateConstExpr(const ModuleContext &ctx,
                              const wasm::ConstExpr &expr,
                              const wasm::ValType &expected);

/// Type-checks the body of function \p funcIndex.
llvm::Error validateFunctionBody(const ModuleContext &ctx, uint32_t funcIndex,
                                 const wasm::FunctionBody &body);

} // namespace validate
} // namespace wcl

#endif // WCL_LIB_VALIDATE_MODULEVALIDATOR_H
