//===- wcl-readobj.cpp - Dump wasm modules and components -----------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// wcl-readobj (to be written).
///
//===----------------------------------------------------------------------===//

int main() { return 1; }
