//===- wcl/Driver/Driver.h - Entry points of the wcl drivers ----*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// wcl is a multi-flavor driver like lld. `wcl::component::link` has lld's
/// driver signature (lld::Driver), so an LLVM-based toolchain can register it
/// next to lld's own drivers; `driverMain` picks a flavor from argv[0] or
/// `-flavor NAME` and runs it, with lld's wasm flavor run in-process.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_DRIVER_DRIVER_H
#define WCL_DRIVER_DRIVER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

namespace wcl {

namespace component {
/// The wasm-component flavor. \p args[0] is the program name. Returns true on
/// success; every error is reported on \p stderrOS, and then no output file
/// is written (an existing one is left as it was). lld's two flags: with
/// \p exitEarly the process exits once the outputs are written (without
/// destructors, so a big link ends sooner; the call does not return); with
/// \p disableOutput the link runs and checks everything but writes no file.
bool link(llvm::ArrayRef<const char *> args, llvm::raw_ostream &stdoutOS,
          llvm::raw_ostream &stderrOS, bool exitEarly, bool disableOutput);
} // namespace component

enum class Flavor { Invalid, Wasm, WasmComponent };

/// The flavor a program name selects. The whole name is matched first so that
/// `wasm-component-ld` is never taken for `wasm-ld`; a trailing version
/// (`wasm-ld-22`) and `.exe` are ignored.
Flavor getFlavorFromProgname(llvm::StringRef argv0);

/// The flavor a `-flavor NAME` argument selects.
Flavor getFlavorFromName(llvm::StringRef name);

/// Runs lld's wasm linker in-process. \p args[0] is replaced by \p progname,
/// which lld's diagnostics are prefixed with (it must contain "wasm" as a
/// dash-separated word for lld to pick its wasm flavor). Returns lld's exit
/// code.
int runWasmLd(llvm::ArrayRef<const char *> args, llvm::raw_ostream &stdoutOS,
              llvm::raw_ostream &stderrOS,
              llvm::StringRef progname = "wasm-ld");

/// The multi-flavor main: dispatches on argv[0] / `-flavor` and returns the
/// process exit code.
int driverMain(llvm::ArrayRef<const char *> args, llvm::raw_ostream &stdoutOS,
               llvm::raw_ostream &stderrOS);

/// "wcl 0.1.0 (LLD 22.1.8 compatible)"-style version line.
std::string getVersionString();

} // namespace wcl

#endif // WCL_DRIVER_DRIVER_H
