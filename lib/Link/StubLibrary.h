//===- StubLibrary.h - Trapping stubs for missing functions -----*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The `wit-component:stubs` library: one exported function per missing
/// function symbol, whose body traps, so a link with absent optional
/// functions still instantiates and fails only if one is called.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_LINK_STUBLIBRARY_H
#define WCL_LIB_LINK_STUBLIBRARY_H

#include "wcl/Dylink/DylibMetadata.h"
#include "llvm/ADT/ArrayRef.h"
#include <vector>

namespace wcl {

/// The module bytes: one type per function (not deduplicated, so type i is
/// function i, as in wit-component), bodies `unreachable`, exports by name.
std::vector<uint8_t>
makeStubLibrary(llvm::ArrayRef<dylink::ExportKey> functions);

} // namespace wcl

#endif // WCL_LIB_LINK_STUBLIBRARY_H
