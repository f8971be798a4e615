//===- wcl/Wasm/DylinkSection.h - The dylink.0 section ----------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The `dylink.0` custom section of WebAssembly shared libraries
/// (tool-conventions DynamicLinking.md): memory and table needs, needed
/// libraries, export and import flags. wcl only reads it (wasm-ld writes
/// it), and reads it in one place so that the dumper, the module reader and
/// the dynamic-library metadata agree on one decoding.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WASM_DYLINKSECTION_H
#define WCL_WASM_DYLINKSECTION_H

#include "wcl/Wasm/BinaryReader.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <optional>

namespace wcl {
namespace wasm {

/// A subsection kept undecoded (an id the reader does not know).
struct RawSubsection {
  uint8_t id = 0;
  uint64_t offset = 0;
  llvm::ArrayRef<uint8_t> content;
};

/// The `dylink.0` custom section (WebAssembly/tool-conventions
/// DynamicLinking.md). Flags are llvm::wasm::WASM_SYMBOL_* bits.
struct DylinkInfo {
  struct MemInfo {
    uint32_t memorySize = 0;
    uint32_t memoryAlignment = 0; ///< log2
    uint32_t tableSize = 0;
    uint32_t tableAlignment = 0; ///< log2
  };
  struct ExportInfo {
    llvm::StringRef name;
    uint32_t flags = 0;
  };
  struct ImportInfo {
    llvm::StringRef module;
    llvm::StringRef field;
    uint32_t flags = 0;
  };
  std::optional<MemInfo> memInfo;
  llvm::SmallVector<llvm::StringRef, 2> needed;
  llvm::SmallVector<ExportInfo, 0> exportInfo;
  llvm::SmallVector<ImportInfo, 0> importInfo;
  llvm::SmallVector<llvm::StringRef, 0> runtimePath;
  llvm::SmallVector<RawSubsection, 0> unknown;
};

/// Decodes a `dylink.0` section's content (what follows the name), consuming
/// the whole reader. Unknown subsections are kept raw in DylinkInfo::unknown.
llvm::Expected<DylinkInfo> readDylinkSection(BinaryReader &reader);

} // namespace wasm
} // namespace wcl

#endif // WCL_WASM_DYLINKSECTION_H
