//===- Try.h - Expected<T> plumbing for the WIT text front end --*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The parser and the resolver are code where nearly every step can fail;
/// these two macros keep each step one line.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_WIT_TRY_H
#define WCL_LIB_WIT_TRY_H

#include "llvm/Support/Error.h"
#include <utility>

#define WIT_TRY(decl, expr)                                                    \
  auto decl##OrErr = (expr);                                                   \
  if (!decl##OrErr)                                                            \
    return decl##OrErr.takeError();                                            \
  auto decl = std::move(*decl##OrErr)
#define WIT_CHECK(expr)                                                        \
  if (Error witErr = (expr))                                                   \
  return llvm::Error(std::move(witErr))

#endif // WCL_LIB_WIT_TRY_H
