//===- DiagnosticsTest.cpp - Tests for the diagnostics sink ---------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Message shapes, counting, the error limit and context chaining.
///
//===----------------------------------------------------------------------===//

#include "wcl/Support/Diagnostics.h"
#include "wcl/Support/Error.h"
#include "gtest/gtest.h"

using namespace llvm;
using namespace wcl;

namespace {

TEST(DiagnosticsTest, ShapesAndCounts) {
  std::string out;
  raw_string_ostream os(out);
  Diagnostics diags(os, "wasm-component-ld");
  diags.warn("w");
  diags.error("e");
  diags.log("hidden");
  EXPECT_EQ(out, "wasm-component-ld: warning: w\n"
                 "wasm-component-ld: error: e\n");
  EXPECT_EQ(diags.errorCount(), 1u);
  EXPECT_EQ(diags.warningCount(), 1u);
}

TEST(DiagnosticsTest, FatalWarnings) {
  std::string out;
  raw_string_ostream os(out);
  Diagnostics diags(os, "wcl");
  diags.fatalWarnings = true;
  diags.warn("w");
  EXPECT_EQ(out, "wcl: error: w\n");
  EXPECT_EQ(diags.errorCount(), 1u);
}

TEST(DiagnosticsTest, ErrorLimit) {
  std::string out;
  raw_string_ostream os(out);
  Diagnostics diags(os, "wcl");
  diags.errorLimit = 2;
  for (int i = 0; i < 5; ++i)
    diags.error("e" + Twine(i));
  EXPECT_EQ(out, "wcl: error: e0\nwcl: error: e1\n"
                 "wcl: error: too many errors emitted, stopping now (use "
                 "--error-limit=0 to see all errors)\n");
  EXPECT_EQ(diags.errorCount(), 5u);
}

TEST(DiagnosticsTest, ContextOnJoinedErrors) {
  Error e = joinErrors(createError("a"), createErrorAt(0x1a, "b"));
  std::string out;
  raw_string_ostream os(out);
  Diagnostics diags(os, "wcl");
  diags.error(addContext(std::move(e), "libfoo.so"));
  EXPECT_EQ(out, "wcl: error: libfoo.so: a\n"
                 "wcl: error: libfoo.so: offset 0x1a: b\n");
  EXPECT_FALSE(bool(addContext(Error::success(), "x")));
}

} // namespace
