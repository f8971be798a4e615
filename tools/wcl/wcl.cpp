//===- wcl.cpp - The multi-flavor wcl driver ------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// `wcl`, `wasm-component-ld` and `wasm-ld` are this one binary; the driver
/// chooses the flavor from the name it was run as.
///
//===----------------------------------------------------------------------===//

#include "wcl/Driver/Driver.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  llvm::InitLLVM x(argc, argv);
  return wcl::driverMain(llvm::ArrayRef<const char *>(argv, argc), llvm::outs(),
                         llvm::errs());
}
