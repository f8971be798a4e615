//===- wcl/WIT/Encode.h - WIT packages and worlds as binaries ---*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// WIT written as component types, the way wit-component writes it:
///
/// - a world is a component type whose imports and exports are the world's
///   items, each interface an instance type (`encodeWorldType`). It is the
///   body of a `component-type` custom section and of a world in a package;
/// - a package is a component (`encodePackage`, what `wasm-tools component
///   wit --wasm` writes) that exports one component type per interface and
///   per world. An interface's type imports the interfaces it `use`s, whole,
///   and exports itself; a world's type wraps the world's component type.
///   Docs and feature gates, which component types cannot carry, travel in
///   the `package-docs` custom section as wit-parser's JSON.
///
/// decodeWitPackage (Decode.h) reads such a package back.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WIT_ENCODE_H
#define WCL_WIT_ENCODE_H

#include "wcl/Component/ComponentBuilder.h"
#include "wcl/WIT/Resolve.h"
#include "llvm/Support/Error.h"
#include <vector>

namespace wcl {
namespace wit {

/// The component type of world \p world.
llvm::Expected<component::ComponentTypeEncoder>
encodeWorldType(const Resolve &resolve, WorldId world);

/// The payload of a `component-type` custom section describing world
/// \p world, as wit-bindgen and `wasm-tools component embed` write it
/// (wit-component's metadata, format 4): a component exporting the world's
/// type, with the string encoding of the bindings (0 utf8, 1 utf16,
/// 2 compact utf16) in `wit-component-encoding`. decodeWorld (Decode.h)
/// reads it.
llvm::Expected<std::vector<uint8_t>>
encodeWorldMetadata(const Resolve &resolve, WorldId world,
                    uint8_t stringEncoding);

/// Package \p pkg as a binary WIT package.
llvm::Expected<std::vector<uint8_t>> encodePackage(const Resolve &resolve,
                                                   PackageId pkg);

} // namespace wit
} // namespace wcl

#endif // WCL_WIT_ENCODE_H
