//===- Error.cpp - Error construction helpers -----------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Builds the one-line errors that wcl's libraries return.
///
//===----------------------------------------------------------------------===//

#include "wcl/Support/Error.h"
#include "llvm/Support/Format.h"

using namespace llvm;

std::string wcl::byteCount(uint64_t n) {
  return std::to_string(n) + (n == 1 ? " byte" : " bytes");
}

Error wcl::createError(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

Error wcl::createErrorAt(uint64_t offset, const Twine &msg) {
  return createStringError(inconvertibleErrorCode(),
                           "offset 0x" + Twine::utohexstr(offset) + ": " + msg);
}

Error wcl::addContext(Error err, const Twine &context) {
  if (!err)
    return Error::success();
  // Rebuild every message of a possibly joined error with the prefix, so a
  // list of independent problems keeps one line per problem.
  Error result = Error::success();
  std::string prefix = context.str();
  handleAllErrors(std::move(err), [&](const ErrorInfoBase &info) {
    result = joinErrors(std::move(result),
                        createError(prefix + ": " + info.message()));
  });
  return result;
}
