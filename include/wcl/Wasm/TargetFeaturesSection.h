//===- wcl/Wasm/TargetFeaturesSection.h - target_features -------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The `target_features` custom section (tool-conventions Linking.md): the
/// features a module was compiled with, each with its policy prefix. wcl
/// only reads it, for the dumper; it has a file of its own like the other
/// custom sections so that each section's encoding is in one place.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WASM_TARGETFEATURESSECTION_H
#define WCL_WASM_TARGETFEATURESSECTION_H

#include "wcl/Wasm/BinaryReader.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace wcl {
namespace wasm {

/// One entry of the `target_features` custom section.
struct TargetFeature {
  char prefix = '+'; ///< '+' used, '-' disallowed, '=' required (legacy)
  llvm::StringRef name;
};

/// Decodes a `target_features` section's content (what follows the name),
/// consuming the whole reader.
llvm::Expected<llvm::SmallVector<TargetFeature, 0>>
readTargetFeaturesSection(BinaryReader &reader);

} // namespace wasm
} // namespace wcl

#endif // WCL_WASM_TARGETFEATURESSECTION_H
