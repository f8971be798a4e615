//===- TypeEncoders.h - Where WIT types are encoded -------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// One type encoder (wit::ValTypeEncoder) writes WIT types to three kinds of
/// destination, each with its own rule for named types: the component's
/// root, an imported interface's instance type, and the nested component
/// that gives an exported interface's instance its exact type. These are
/// wit-component's RootTypeEncoder, InstanceTypeEncoder and
/// NestedComponentTypeEncoder.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_ENCODER_TYPEENCODERS_H
#define WCL_LIB_ENCODER_TYPEENCODERS_H

#include "EncodingState.h"
#include "wcl/Component/ComponentBuilder.h"
#include "wcl/WIT/TypeEncoder.h"
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wcl {
namespace encoder {

/// The root of the component as a type destination (wit-component's
/// RootTypeEncoder): types of \p iface's exports stay anonymous, since the
/// interface's instance cannot refer to them; world-level named types are
/// imported or exported under their names.
class RootTypeEncoder : public wit::ValTypeEncoder {
public:
  RootTypeEncoder(EncodingState &state, std::optional<wit::InterfaceId> iface,
                  bool importTypes)
      : ValTypeEncoder(*state.resolve, state.mapsFor(iface, importTypes)),
        state(state), iface(iface), importTypes(importTypes) {}

protected:
  uint32_t
  defineType(llvm::function_ref<void(llvm::raw_ostream &)> encode) override;
  std::optional<uint32_t> exportType(uint32_t index,
                                     llvm::StringRef name) override;
  uint32_t exportResource(llvm::StringRef name) override;
  uint32_t importType(wit::InterfaceId owner, wit::TypeId id) override;
  std::optional<wit::InterfaceId> interface() const override { return iface; }

private:
  EncodingState &state;
  std::optional<wit::InterfaceId> iface;
  bool importTypes;
};

/// An imported interface's instance type (wit-component's
/// InstanceTypeEncoder): named types are exported from it, types of other
/// interfaces are aliased from their imported instances.
class InstanceTypeEncoder : public wit::ValTypeEncoder {
public:
  InstanceTypeEncoder(EncodingState &state, wit::InterfaceId iface)
      : ValTypeEncoder(*state.resolve, ownMaps), state(state), iface(iface),
        type(component::ComponentTypeEncoder::Kind::Instance) {}

  component::ComponentTypeEncoder &encoder() { return type; }

protected:
  uint32_t
  defineType(llvm::function_ref<void(llvm::raw_ostream &)> encode) override;
  std::optional<uint32_t> exportType(uint32_t index,
                                     llvm::StringRef name) override;
  uint32_t exportResource(llvm::StringRef name) override;
  uint32_t importType(wit::InterfaceId owner, wit::TypeId id) override;
  std::optional<wit::InterfaceId> interface() const override { return iface; }

private:
  wit::TypeMaps ownMaps;
  EncodingState &state;
  wit::InterfaceId iface;
  component::ComponentTypeEncoder type;
};

/// The component that gives an exported interface's instance its exact type
/// (wit-component's NestedComponentTypeEncoder): while importing, named types
/// become `import-type-NAME` imports; while exporting, exports.
class ShimComponentEncoder : public wit::ValTypeEncoder {
public:
  ShimComponentEncoder(const wit::Resolve &resolve, wit::InterfaceId iface)
      : ValTypeEncoder(resolve, ownMaps), iface(iface) {
    component.setRecordNames(false);
  }

  component::ComponentBuilder component;
  wit::TypeMaps ownMaps;
  wit::InterfaceId iface;
  bool exportTypes = false;
  /// Type imports in order: name and index.
  std::vector<std::pair<std::string, uint32_t>> imports;

  wit::TypeMaps &typeMaps() { return maps; }

protected:
  uint32_t
  defineType(llvm::function_ref<void(llvm::raw_ostream &)> encode) override;
  std::optional<uint32_t> exportType(uint32_t index,
                                     llvm::StringRef name) override;
  uint32_t exportResource(llvm::StringRef name) override;
  uint32_t importType(wit::InterfaceId, wit::TypeId) override;
  std::optional<wit::InterfaceId> interface() const override { return iface; }

private:
  std::string uniqueImportName(llvm::StringRef name);
};

/// The name the shim component imports a lifted function under.
std::string importFuncName(const wit::Function &f);

} // namespace encoder
} // namespace wcl

#endif // WCL_LIB_ENCODER_TYPEENCODERS_H
