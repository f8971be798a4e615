//===- wcl/Dump/Dump.h - wcl-readobj's printers -----------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Entry points of the dumpers behind wcl-readobj. They print through an
/// llvm::ScopedPrinter, so the same code gives the LLVM text style and, with a
/// JSONScopedPrinter, JSON. Offsets are absolute file offsets: a module nested
/// in a component is dumped with the offset of its first byte as \p base, so
/// every offset printed (and every error) points into the file on disk.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_DUMP_DUMP_H
#define WCL_DUMP_DUMP_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/ScopedPrinter.h"

namespace wcl {
namespace dump {

struct DumpOptions {
  /// Print byte offsets of sections and items.
  bool offsets = true;
  /// Print function bodies' sizes and data segment bytes in hex.
  bool sectionData = false;
};

/// Dumps the core module in \p bytes (preamble included).
llvm::Error dumpCoreModule(llvm::ScopedPrinter &w, llvm::ArrayRef<uint8_t> bytes,
                           uint64_t base, const DumpOptions &opts);

/// Dumps the component in \p bytes (preamble included), recursing into nested
/// components and core modules.
llvm::Error dumpComponent(llvm::ScopedPrinter &w, llvm::ArrayRef<uint8_t> bytes,
                          uint64_t base, const DumpOptions &opts);

/// Reads the preamble of \p bytes and dumps a module or a component.
llvm::Error dumpBinary(llvm::ScopedPrinter &w, llvm::ArrayRef<uint8_t> bytes,
                       const DumpOptions &opts);

} // namespace dump
} // namespace wcl

#endif // WCL_DUMP_DUMP_H
