//===- PackageMetadata.h - The package-docs custom section ------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Component types have no place for docs or feature gates, so a binary WIT
/// package carries them in a `package-docs` custom section: a version byte
/// (1) and a JSON object with wit-parser's field names and order, items
/// without docs or gates left out. Written byte for byte as serde_json
/// writes it, so packages match wasm-tools'.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_WIT_PACKAGEMETADATA_H
#define WCL_LIB_WIT_PACKAGEMETADATA_H

#include "wcl/WIT/Resolve.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <string>

namespace wcl {
namespace wit {

/// The payload of the `package-docs` section of package \p pkg.
std::string encodePackageMetadata(const Resolve &resolve, PackageId pkg);

/// Puts the docs and gates of a `package-docs` payload onto package \p pkg,
/// decoded from the same binary. Accepts versions 0 and 1, as wit-parser.
llvm::Error injectPackageMetadata(Resolve &resolve, PackageId pkg,
                                  llvm::ArrayRef<uint8_t> payload);

} // namespace wit
} // namespace wcl

#endif // WCL_LIB_WIT_PACKAGEMETADATA_H
