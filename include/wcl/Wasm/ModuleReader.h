//===- wcl/Wasm/ModuleReader.h - Core module reader -------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// wcl's own reader of core WebAssembly modules. llvm::object::WasmObjectFile
/// is built for relocatable objects: it rejects GC types, table initialisers
/// and other encodings wasm-tools accepts, drops what it does not understand
/// and reports errors without offsets. This reader instead decodes every
/// section down to the item level (but not function bodies' instructions),
/// remembers where each section and item lies in the file, and fails with
/// "offset 0x..: ..." errors. It checks the binary format's structural rules
/// (section order, no duplicates, sizes, counts) but does not validate
/// (indices in range, types of constant expressions).
///
/// What it produces is CoreModule (Module.h); constant expressions and the
/// custom sections it decodes have readers of their own (ConstExpr.h,
/// CustomSections.h), included here so that users of the reader get all of
/// it from one header.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WASM_MODULEREADER_H
#define WCL_WASM_MODULEREADER_H

#include "wcl/Wasm/ConstExpr.h"
#include "wcl/Wasm/CustomSections.h"
#include "wcl/Wasm/Module.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <vector>

namespace wcl {
namespace wasm {

/// Reads the core module in \p bytes (preamble included) whose first byte is
/// at absolute offset \p base. The module points into \p bytes (names,
/// bodies, data), so the caller keeps them alive as long as the module;
/// link inputs pair the two in wcl::ParsedModule.
llvm::Expected<CoreModule> readCoreModule(llvm::ArrayRef<uint8_t> bytes,
                                          uint64_t base = 0);
/// A temporary buffer would leave the module pointing into freed memory.
llvm::Expected<CoreModule> readCoreModule(std::vector<uint8_t> &&bytes,
                                          uint64_t base = 0) = delete;

} // namespace wasm
} // namespace wcl

#endif // WCL_WASM_MODULEREADER_H
