//===- WasiAdapters.h - The built-in WASI preview1 adapters -----*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The wasi_snapshot_preview1 command and reactor adapters embedded at build
/// time (WasiAdapters.c); a size of 0 means the build had no such adapter.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_DRIVER_WASIADAPTERS_H
#define WCL_LIB_DRIVER_WASIADAPTERS_H

#include <cstddef>

extern "C" {
extern const unsigned char wclWasiCommandAdapter[];
extern const size_t wclWasiCommandAdapterSize;
extern const unsigned char wclWasiReactorAdapter[];
extern const size_t wclWasiReactorAdapterSize;
}

#endif // WCL_LIB_DRIVER_WASIADAPTERS_H
