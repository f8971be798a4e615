//===- CanonGc.h - The GC lowering of component values ----------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_VALIDATE_CANONGC_H
#define WCL_LIB_VALIDATE_CANONGC_H

#include "Types.h"

namespace wcl {
namespace validate {

/// Why core function type \p coreFunc is not the GC lowering of \p f (with
/// UTF-16 strings when \p utf16), or an empty string when it is.
std::string gcLowerMismatch(const TypeArena &arena, const FuncT &f,
                            TypeId coreFunc, bool utf16);

} // namespace validate
} // namespace wcl

#endif // WCL_LIB_VALIDATE_CANONGC_H
