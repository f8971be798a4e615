//===- BuiltinLibdl.cpp - The embedded libdl.so ---------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The bytes of libdl/libdl.c as the build compiled it; see that file for
/// what it does and why it needs no libc.
///
//===----------------------------------------------------------------------===//

#include "wcl/Link/Linker.h"

namespace {
const uint8_t libdlBytes[] = {
#include "BuiltinLibdl.inc"
};
} // namespace

llvm::ArrayRef<uint8_t> wcl::getBuiltinLibdl() { return libdlBytes; }
