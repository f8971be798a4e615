//===- Version.cpp - wcl's version numbers --------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The numbers come from CMake (WCL_VERSION, WCL_WASM_COMPONENT_LD_VERSION)
/// as compile definitions of this file only, so changing them rebuilds one
/// object.
///
//===----------------------------------------------------------------------===//

#include "wcl/Support/Version.h"

llvm::StringRef wcl::getVersion() { return WCL_VERSION; }

llvm::StringRef wcl::getWasmComponentLdVersion() {
  return WCL_WASM_COMPONENT_LD_VERSION;
}
