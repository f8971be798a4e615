//===- StubLibrary.cpp - Trapping stubs for missing functions -------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Writes the `wit-component:stubs` library (awaiting the core writer).
///
//===----------------------------------------------------------------------===//

#include "StubLibrary.h"

std::vector<uint8_t> wcl::makeStubLibrary(llvm::ArrayRef<ExportKey>) {
  return {};
}
