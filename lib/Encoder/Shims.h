//===- Shims.h - The shim module --------------------------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A module instantiated early sometimes imports a function that exists only
/// once a later instance does (an adapter export, a lowering that needs main's
/// memory and realloc, a resource destructor). It gets a stub from the shim
/// module instead, which calls through a table (or a `ref` global with
/// --return-call-ref) that the fixup module fills at the end.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_ENCODER_SHIMS_H
#define WCL_LIB_ENCODER_SHIMS_H

#include "EncodingState.h"
#include "llvm/ADT/ArrayRef.h"
#include <cstdint>
#include <optional>
#include <vector>

namespace wcl {
namespace encoder {

/// The shim module. Shim i pushes its parameters and calls the real
/// function, which the fixup provides once it exists: through entry i of
/// the exported table `$imports`, or, with \p returnCallRef, through the
/// exported global `g{i}` (initialized to a trapping stub). It defines
/// \p memory when main imports its memory, and the TLS base global with its
/// accessors when \p tlsBase is set.
std::vector<uint8_t>
buildShimModule(llvm::ArrayRef<Shim> shims, bool returnCallRef,
                const std::optional<wasm::MemoryType> &memory,
                const std::optional<wasm::ValType> &tlsBase);

/// The shim through which a lowering reaches \p realloc.
Shim reallocShim(const ReallocSource &realloc);

} // namespace encoder
} // namespace wcl

#endif // WCL_LIB_ENCODER_SHIMS_H
