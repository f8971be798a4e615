//===- wcl/Encoder/Metadata.h - A module rewritten for a component -*- C++ -*-//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A core module embedded in a component keeps its bytes, except the custom
/// sections that described it to the encoder (its WIT world), its module
/// name and its producers. The driver uses the same rewrite for a module it
/// writes without componentizing it.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_ENCODER_METADATA_H
#define WCL_ENCODER_METADATA_H

#include "wcl/Wasm/CustomSections.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <vector>

namespace wcl {

/// Adds wcl to \p producers' `processed-by` field, as every module and
/// component wcl writes records it.
void addProcessedByWcl(wasm::ProducersBuilder &producers);

/// \p module's bytes without its `component-type*` custom sections, and with
/// its name section's module name set to \p moduleName when that is not
/// empty (a name section is appended if there is none). Every other byte is
/// copied as is.
/// With \p producers, the module's producers section is replaced by its
/// merge with them (or they are appended as one).
/// With \p keepWitMetadata the `component-type*` sections stay (to rename a
/// module that is yet to be componentized).
std::vector<uint8_t>
rewriteModuleForComponent(const wasm::CoreModule &module,
                          llvm::StringRef moduleName,
                          const wasm::ProducersBuilder *producers = nullptr,
                          bool keepWitMetadata = false);

} // namespace wcl

#endif // WCL_ENCODER_METADATA_H
