//===- CoreTypes.cpp ---------------------------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Decoders and text renderings of core types (to be written).
///
//===----------------------------------------------------------------------===//
