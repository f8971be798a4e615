//===- CheckWorld.h - A module against its world ----------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The `component new` checks of a module against its WIT world, before
/// anything is encoded: every world export has a core export of the right
/// type, and every core import is a function of the world with the right
/// type. The messages are worded as wit-component's error chain so that
/// scripts matching on them keep working.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_ENCODER_CHECKWORLD_H
#define WCL_LIB_ENCODER_CHECKWORLD_H

#include "CoreNames.h"
#include "wcl/WIT/CanonicalABI.h"
#include "wcl/WIT/Resolve.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"
#include <optional>

namespace wcl {
namespace encoder {

/// The core export that implements the world export whose legacy core
/// name is \p coreName: `name` (a synchronous lift), `[async-lift]name` with
/// its `[callback][async-lift]name`, or `[async-lift-stackful]name`.
struct LiftTarget {
  const wasm::Export *core = nullptr;
  wit::AbiVariant variant = wit::AbiVariant::Lift;
  const wasm::Export *callback = nullptr;
};

/// The lift target of \p coreName, nothing if the module has none, or an
/// error for an async lift without its callback.
llvm::Expected<std::optional<LiftTarget>>
findLiftTarget(const CoreNames &names, llvm::StringRef coreName);

/// Checks \p mod (named by \p names) against \p worldId. A library's env,
/// GOT and adapter imports are the linker's business (\p isLibrary); imports
/// from \p providers (adapters, libraries) are skipped; an import of an
/// interface only an adapter's world has (\p adapterImports) gets
/// wit-component's missing-metadata error.
llvm::Error validateAgainstWorld(const wasm::CoreModule &mod,
                                 const CoreNames &names,
                                 const wit::Resolve &resolve,
                                 wit::WorldId worldId, bool isLibrary,
                                 const llvm::StringSet<> &providers = {},
                                 const llvm::StringSet<> &adapterImports = {});

} // namespace encoder
} // namespace wcl

#endif // WCL_LIB_ENCODER_CHECKWORLD_H
