//===- Diagnostics.cpp - lld-style diagnostics sink -----------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Counting error/warning printer with lld's message shapes, so tools that
/// parse "NAME: error: ..." lines treat wcl like lld.
///
//===----------------------------------------------------------------------===//

#include "wcl/Support/Diagnostics.h"

using namespace llvm;
using namespace wcl;

void Diagnostics::error(const Twine &msg) {
  ++numErrors;
  if (errorLimit != 0 && numErrors > errorLimit) {
    if (numErrors == errorLimit + 1)
      errOS << logName
            << ": error: too many errors emitted, stopping now (use "
               "--error-limit=0 to see all errors)\n";
    return;
  }
  errOS << logName << ": error: " << msg << "\n";
  errOS.flush();
}

void Diagnostics::error(Error err) {
  handleAllErrors(std::move(err),
                  [&](const ErrorInfoBase &info) { error(info.message()); });
}

void Diagnostics::warn(const Twine &msg) {
  if (fatalWarnings) {
    error(msg);
    return;
  }
  ++numWarnings;
  errOS << logName << ": warning: " << msg << "\n";
  errOS.flush();
}

void Diagnostics::log(const Twine &msg) {
  if (!verbose)
    return;
  errOS << logName << ": " << msg << "\n";
  errOS.flush();
}

void Diagnostics::message(const Twine &msg, raw_ostream &os) {
  os << msg << "\n";
  os.flush();
}
