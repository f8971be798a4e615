//===- Dump.cpp - Dispatch on the kind of binary --------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// wcl-readobj accepts core modules and components alike; the preamble says
/// which one a file is, and each has its own dumper.
///
//===----------------------------------------------------------------------===//

#include "wcl/Dump/Dump.h"
#include "wcl/Wasm/BinaryReader.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::dump;
using namespace wcl::wasm;

Error wcl::dump::dumpBinary(ScopedPrinter &w, ArrayRef<uint8_t> bytes,
                            const DumpOptions &opts) {
  BinaryReader reader(bytes);
  Expected<BinaryKind> kind = readPreamble(reader);
  if (!kind)
    return kind.takeError();
  if (*kind == BinaryKind::Component)
    return dumpComponent(w, bytes, /*base=*/0, opts);
  return dumpCoreModule(w, bytes, /*base=*/0, opts);
}
