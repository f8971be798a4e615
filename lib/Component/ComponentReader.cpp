//===- ComponentReader.cpp ---------------------------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Component binary reader (to be written).
///
//===----------------------------------------------------------------------===//
