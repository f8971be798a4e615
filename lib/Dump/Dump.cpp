//===- Dump.cpp ---------------------------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Dump dispatch (to be written).
///
//===----------------------------------------------------------------------===//
