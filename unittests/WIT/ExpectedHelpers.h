//===- ExpectedHelpers.h - Expected<T> in the WIT unit tests ----*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef WCL_UNITTESTS_WIT_EXPECTEDHELPERS_H
#define WCL_UNITTESTS_WIT_EXPECTEDHELPERS_H

#include "llvm/Support/Error.h"
#include "gtest/gtest.h"
#include <string>

namespace wcl {
namespace wit {
namespace test {

using llvm::Expected;

/// Fails the test with the error's text when \p x holds one.
template <typename T> bool ok(Expected<T> &x) {
  if (x)
    return true;
  ADD_FAILURE() << toString(x.takeError());
  return false;
}

template <typename T> bool ok(Expected<T> &&x) { return ok(x); }

/// The text of the error in \p x, or "" when it holds a value.
template <typename T> std::string errorOf(Expected<T> x) {
  return x ? std::string() : toString(x.takeError());
}

} // namespace test
} // namespace wit
} // namespace wcl

#endif // WCL_UNITTESTS_WIT_EXPECTEDHELPERS_H
