//===- wcl/Support/Version.h - wcl's version numbers ------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The version numbers wcl reports, set once in the top-level CMakeLists.txt:
/// its own, and the wasm-component-ld release whose command line the
/// `wasm-component-ld` flavor implements (build systems probe that one).
///
//===----------------------------------------------------------------------===//

#ifndef WCL_SUPPORT_VERSION_H
#define WCL_SUPPORT_VERSION_H

#include "llvm/ADT/StringRef.h"

namespace wcl {

/// wcl's own version, as recorded in the `processed-by` producers field.
llvm::StringRef getVersion();

/// The wasm-component-ld version the driver is compatible with.
llvm::StringRef getWasmComponentLdVersion();

} // namespace wcl

#endif // WCL_SUPPORT_VERSION_H
