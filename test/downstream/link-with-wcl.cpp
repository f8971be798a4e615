//===- link-with-wcl.cpp - wcl's driver called as a library ---------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What an LLVM-based toolchain does to register wcl beside lld's drivers:
/// call wcl::component::link with lld's driver signature. Its arguments are
/// the wasm-component-ld command line after the program name.
///
//===----------------------------------------------------------------------===//

#include "wcl/Driver/Driver.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>
#include <vector>

int main(int argc, char **argv) {
  std::vector<const char *> args{"wasm-component-ld"};
  args.insert(args.end(), argv + 1, argv + argc);
  // lld's disableOutput: link, check, write nothing.
  bool disableOutput = std::getenv("WCL_DISABLE_OUTPUT") != nullptr;
  bool ok = wcl::component::link(args, llvm::outs(), llvm::errs(),
                                 /*exitEarly=*/false, disableOutput);
  return ok ? 0 : 1;
}
