//===- Metadata.h - A module's WIT metadata and names -----------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What the encoder reads from a module's custom sections and what it
/// changes in a module's bytes before embedding it: the `component-type*`
/// sections decoded into a world, and imports repeated under one name
/// renamed apart (the module rewrite itself is public, in
/// wcl/Encoder/Metadata.h).
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_ENCODER_METADATA_H
#define WCL_LIB_ENCODER_METADATA_H

#include "wcl/Encoder/Metadata.h"
#include "wcl/WIT/Resolve.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <vector>

namespace wcl {
namespace encoder {

/// wit-component's import deduplication: a module that imports the same
/// module and field twice (C declarations of one function under two names
/// do this) gets its later copies renamed `field [v2]`, `field [v3]`, ...,
/// so that instantiation can give each its own item. Returns the rewritten
/// module, or nothing when there are no duplicates.
std::optional<std::vector<uint8_t>>
renameDuplicateImports(const wasm::CoreModule &mod);

/// What a module's component-type sections say.
struct ModuleWorld {
  /// Their worlds merged into one; std::nullopt when there are none.
  std::optional<wit::WorldId> world;
  /// The bindgen tools recorded in them.
  wasm::ProducersBuilder producers;
};

/// Decodes every component-type section of \p mod into \p resolve and
/// merges them into one world (\p semver: merging imports by semver).
llvm::Expected<ModuleWorld> decodeModuleWorld(wit::Resolve &resolve,
                                              const wasm::CoreModule &mod,
                                              bool semver);

} // namespace encoder
} // namespace wcl

#endif // WCL_LIB_ENCODER_METADATA_H
