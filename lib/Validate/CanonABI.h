//===- CanonABI.h - Flattening for the validator ----------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The Canonical ABI's flattening (CanonicalABI.md `flatten_type`) over the
/// validator's arena types, to compute the core signature a lift or lower
/// must have and whether it needs `memory` and `realloc`.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_VALIDATE_CANONABI_H
#define WCL_LIB_VALIDATE_CANONABI_H

#include "Types.h"

namespace wcl {
namespace validate {

/// Core value type codes (0x7f i32, 0x7e i64, 0x7d f32, 0x7c f64).
using FlatTypes = llvm::SmallVector<uint8_t, 8>;

/// Appends the flattening of \p v; \p ptr is the pointer type (i32, or i64
/// for 64-bit memories).
void flatten(const TypeArena &arena, const CValType &v, uint8_t ptr,
             FlatTypes &out);
/// Whether \p v holds strings, lists or maps, which live in memory.
bool needsMemory(const TypeArena &arena, const CValType &v);

} // namespace validate
} // namespace wcl

#endif // WCL_LIB_VALIDATE_CANONABI_H
