//===- wcl/WIT/TypeEncoder.h - WIT types to component types ----*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// One encoder of WIT types into component types with several destinations:
/// the root of a component, an instance type, a nested shim component. The
/// destination decides where a definition goes and what naming a type means
/// there (an instance type exports it, the root of a component may import or
/// export it or leave it anonymous); the encoder decides the order, which is
/// wit-component's: dependencies first, each named type right after its
/// definition, anonymous definitions shared by structure, function types by
/// signature.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WIT_TYPEENCODER_H
#define WCL_WIT_TYPEENCODER_H

#include "wcl/Component/ComponentBuilder.h"
#include "wcl/WIT/Resolve.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <map>
#include <optional>
#include <string>

namespace wcl {
namespace wit {

/// What a destination has encoded so far. Kept apart from the encoder so
/// several encoders over one destination (the root of a component) share
/// it.
struct TypeMaps {
  std::map<uint32_t, uint32_t> idToIndex;
  /// Anonymous definitions by structure (see defKey).
  std::map<std::string, uint32_t> defToIndex;
  /// Function types by signature.
  std::map<std::string, uint32_t> funcTypes;

  std::optional<uint32_t> lookup(const Resolve &resolve, TypeId id) const;
  void insert(const Resolve &resolve, TypeId id, uint32_t index);
};

class ValTypeEncoder {
public:
  ValTypeEncoder(const Resolve &resolve, TypeMaps &maps)
      : resolve(resolve), maps(maps) {}
  virtual ~ValTypeEncoder() = default;

  component::ComponentValType encodeValType(Type t);
  /// The index of \p f's function type, defined on first use.
  uint32_t encodeFuncType(const Function &f);

protected:
  /// Adds one type definition (its bytes written by \p encode) and returns
  /// its index.
  virtual uint32_t
  defineType(llvm::function_ref<void(llvm::raw_ostream &)> encode) = 0;
  /// What naming type \p index \p name means here; std::nullopt keeps it
  /// anonymous.
  virtual std::optional<uint32_t> exportType(uint32_t index,
                                             llvm::StringRef name) = 0;
  /// A fresh `(sub resource)` for resource \p name.
  virtual uint32_t exportResource(llvm::StringRef name) = 0;
  /// Type \p id of interface \p owner, brought in from elsewhere.
  virtual uint32_t importType(InterfaceId owner, TypeId id) = 0;
  /// The interface being encoded, whose own types are defined rather than
  /// imported.
  virtual std::optional<InterfaceId> interface() const = 0;

  const Resolve &resolve;
  TypeMaps &maps;

private:
  std::optional<component::ComponentValType>
  encodeOptional(const std::optional<Type> &t);
  uint32_t encodeDefinition(const TypeDef &def);
};

/// A key equal for two anonymous definitions exactly when wit-component
/// would share one encoding between them (same kind, same component types).
std::string defKey(const Resolve &resolve, const TypeDef &def);
/// A key equal for two functions with the same signature.
std::string funcKey(const Resolve &resolve, const Function &f);

} // namespace wit
} // namespace wcl

#endif // WCL_WIT_TYPEENCODER_H
