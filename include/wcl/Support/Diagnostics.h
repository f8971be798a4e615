//===- wcl/Support/Diagnostics.h - lld-style diagnostics sink ---*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The diagnostics sink used by the driver and tools. It follows lld's model
/// (lld/Common/ErrorHandler.h): report with error() and keep going, stop at
/// checkpoints by asking errorCount(), and let warn() only print. It is a plain
/// object rather than lld's process-global handler so it can live beside an
/// in-process wasm-ld run without touching lld's CommonLinkerContext.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_SUPPORT_DIAGNOSTICS_H
#define WCL_SUPPORT_DIAGNOSTICS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

namespace wcl {

class Diagnostics {
public:
  Diagnostics(llvm::raw_ostream &errOS, llvm::StringRef logName)
      : errOS(errOS), logName(logName.str()) {}

  /// Prints "logName: error: msg" and counts it. Past errorLimit errors the
  /// rest are counted but not printed, and one note says so.
  void error(const llvm::Twine &msg);
  /// Prints every message carried by \p err as an error. Consumes \p err.
  void error(llvm::Error err);
  /// Prints "logName: warning: msg", or an error under fatalWarnings.
  void warn(const llvm::Twine &msg);
  /// Prints "logName: msg" when verbose is set; for phase traces.
  void log(const llvm::Twine &msg);
  /// Prints msg as is, for --help, --version and similar answers.
  void message(const llvm::Twine &msg, llvm::raw_ostream &os);

  unsigned errorCount() const { return numErrors; }
  unsigned warningCount() const { return numWarnings; }

  llvm::raw_ostream &errs() { return errOS; }

  bool fatalWarnings = false;
  bool verbose = false;
  /// 0 means no limit, as with lld's --error-limit=0.
  unsigned errorLimit = 20;

private:
  llvm::raw_ostream &errOS;
  std::string logName;
  unsigned numErrors = 0;
  unsigned numWarnings = 0;
};

} // namespace wcl

#endif // WCL_SUPPORT_DIAGNOSTICS_H
