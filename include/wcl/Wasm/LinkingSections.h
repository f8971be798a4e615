//===- wcl/Wasm/LinkingSections.h - Checks for wasm-ld's inputs -*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The custom sections that LLVM's WasmObjectFile decodes, checked with
/// wcl's bounds-checked reader before wasm-ld (in this process) sees the
/// bytes. WasmObjectFile calls report_fatal_error on a short read, trusts
/// subsection sizes, reserves whatever a count says and indexes its section
/// list with an unchecked symbol index, so a malformed object or library
/// would abort the whole process instead of failing with an error. wcl's
/// module reader covers the standard sections; this covers every copy of
/// `dylink`, `dylink.0`, `name`, `linking`, `reloc.*`, `producers` and
/// `target_features` (the module reader decodes only the first of each),
/// and the index ranges WasmObjectFile gets wrong (a data segment named one
/// past the end). It does not repeat WasmObjectFile's other soft checks.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WASM_LINKINGSECTIONS_H
#define WCL_WASM_LINKINGSECTIONS_H

#include "wcl/Wasm/Module.h"
#include "llvm/Support/Error.h"

namespace wcl {
namespace wasm {

/// Checks every custom section of \p mod that WasmObjectFile decodes; the
/// error names the offset and the cause.
llvm::Error checkLinkingSections(const CoreModule &mod);

/// Reads \p bytes as a core module and checks it as wasm-ld will read it
/// (readCoreModule, then checkLinkingSections). Bytes that are not a core
/// module at all are left to wasm-ld, which says what they are.
llvm::Error checkWasmLdInput(llvm::ArrayRef<uint8_t> bytes);

} // namespace wasm
} // namespace wcl

#endif // WCL_WASM_LINKINGSECTIONS_H
