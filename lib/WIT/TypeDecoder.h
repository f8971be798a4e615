//===- TypeDecoder.h - Component types to a Resolve -------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The decoder of WIT from component types that Decode.cpp (`component-type`
/// sections) and PackageDecoder.cpp (binary WIT packages) share.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_WIT_TYPEDECODER_H
#define WCL_LIB_WIT_TYPEDECODER_H

#include "wcl/Component/ComponentReader.h"
#include "wcl/WIT/Resolve.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

namespace wcl {
namespace wit {
namespace detail {

using llvm::Error;
using llvm::Expected;
using llvm::StringMap;
using llvm::StringRef;
namespace c = wcl::component;

/// What one type index of a scope stands for.
struct TypeEntry {
  enum class Kind : uint8_t { Value, Func, Instance, Component, Unknown };
  Kind kind = Kind::Unknown;
  Type value;                      ///< Value
  const c::TypeDef *def = nullptr; ///< Func, Instance, Component
};

struct Scope {
  Scope *parent = nullptr;
  std::vector<TypeEntry> types;
  /// Instances imported or exported so far: their interface and the type
  /// each of their type exports names.
  struct InstanceEntry {
    InterfaceId interface;
    StringMap<Type> typeExports;
  };
  std::vector<InstanceEntry> instances;

  void setType(uint32_t index, TypeEntry e) {
    if (types.size() <= index)
      types.resize(index + 1);
    types[index] = e;
  }
  const TypeEntry *type(uint32_t index) const {
    return index < types.size() ? &types[index] : nullptr;
  }
};

class Decoder {
public:
  Decoder(Resolve &resolve) : resolve(resolve) {}

  /// The world a `component-type` section's component type exports.
  Expected<WorldId> decodePackage(const c::TypeDef &package);
  /// World \p name (`ns:pkg/world`) from its component type.
  Expected<WorldId> decodeWorld(StringRef name, const c::TypeDef &world);
  /// The component type of an interface of a binary WIT package: the
  /// interfaces it uses, imported, then itself, exported.
  Expected<InterfaceId> decodeInterfaceType(const c::TypeDef &type);

  /// Whether packages list the interfaces and worlds decoded into them (a
  /// binary WIT package), and inline interfaces belong to their world's
  /// package. A `component-type` section's world stands alone.
  bool registerInPackages = false;

private:
  /// An imported or exported instance \p d of \p scope: its interface,
  /// decoded (and unified with an earlier one of the same id), recorded as
  /// the scope's instance for later export aliases.
  Expected<InterfaceId> instanceDecl(const c::Decl &d, Scope &scope,
                                     std::optional<PackageId> pkg);
  Expected<InterfaceId> decodeInterface(StringRef name,
                                        const c::TypeDef &instance,
                                        Scope &outer,
                                        std::optional<PackageId> worldPkg);
  /// The declarations shared by world and instance scopes: type
  /// definitions and aliases. Returns false when \p d is not one of them.
  Expected<bool> declareCommon(const c::Decl &d, Scope &scope, TypeOwner owner);
  Expected<Type> valType(const c::ValType &t, const Scope &scope);
  Expected<TypeEntry> defineType(const c::TypeDef &def, const Scope &scope);
  Expected<Function> function(StringRef name, const c::TypeDef *type,
                              const Scope &scope, const NameMap<TypeId> *types);
  /// Gives \p value the name \p name in \p owner: an anonymous definition
  /// made just for it is adopted, anything else gets a named alias.
  TypeId nameType(Type value, StringRef name, TypeOwner owner);
  /// The type an import or export declaration \p d names: a fresh resource
  /// for `(sub resource)`, else its `(eq N)` type under the new name.
  Expected<TypeId> declareNamedType(const c::Decl &d, const Scope &scope,
                                    TypeOwner owner);
  /// Unifies the freshly decoded \p fresh with \p existing (same id).
  Error unify(InterfaceId existing, InterfaceId fresh, uint32_t firstType);

  Resolve &resolve;
  /// Types this decode defined anonymously and no name has claimed yet.
  llvm::DenseMap<uint32_t, bool> anonymous;
  /// Types replaced by unification, and what replaced them.
  llvm::DenseMap<uint32_t, uint32_t> replaced;
};

} // namespace detail
} // namespace wit
} // namespace wcl

#endif // WCL_LIB_WIT_TYPEDECODER_H
