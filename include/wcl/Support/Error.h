//===- wcl/Support/Error.h - Error construction helpers ---------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Small helpers to build llvm::Error values with context. Libraries return
/// these instead of printing; the driver or tool prints them once, on one line,
/// prefixed with the input that caused them. addContext is wcl's analogue of
/// anyhow's `.context()`: the chain stays a single line joined by ": ".
///
//===----------------------------------------------------------------------===//

#ifndef WCL_SUPPORT_ERROR_H
#define WCL_SUPPORT_ERROR_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include <string>

namespace wcl {

/// "1 byte", "2 bytes": sizes in messages read as English.
std::string byteCount(uint64_t n);

/// An error carrying \p msg. Messages start lower-case and have no trailing
/// period, as the LLVM coding standards ask.
llvm::Error createError(const llvm::Twine &msg);

/// An error at byte \p offset of the input being read ("offset 0x1a: ...").
llvm::Error createErrorAt(uint64_t offset, const llvm::Twine &msg);

/// Prefixes every message in \p err with "\p context: ". Success passes
/// through unchanged.
llvm::Error addContext(llvm::Error err, const llvm::Twine &context);

template <typename T>
llvm::Expected<T> addContext(llvm::Expected<T> value,
                             const llvm::Twine &context) {
  if (value)
    return value;
  return addContext(value.takeError(), context);
}

} // namespace wcl

#endif // WCL_SUPPORT_ERROR_H
