//===- Flavor.cpp - Flavor dispatch --------------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// wcl's counterpart of lld's DriverDispatcher. lld::Flavor is a closed enum,
/// so wcl keeps its own and hands the plain wasm flavor to lld::lldMain. The
/// argv[0] rules differ from lld's on purpose: lld splits the program name on
/// '-' and would read `wasm-component-ld` as the `wasm` flavor, so whole
/// names are matched first. The in-process wasm-ld run itself is in
/// WasmLd.cpp.
///
//===----------------------------------------------------------------------===//

#include "wcl/Driver/Driver.h"
#include "wcl/Support/Version.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include <cstdlib>

using namespace llvm;
using namespace wcl;

std::string wcl::getVersionString() {
  // Build systems probe this line: wasi-libc's CMake reads the first x.y.z
  // as the wasm-component-ld version (and wants at least 0.5.30), and
  // others look for "LLD" to classify the linker. lld/Common/Version.inc is
  // not installed, but the in-process lld is the one of the LLVM we build
  // against.
  return ("wasm-component-ld " + getWasmComponentLdVersion() + " (wcl " +
          getVersion() + ", LLD " LLVM_VERSION_STRING ")")
      .str();
}

Flavor wcl::getFlavorFromName(StringRef name) {
  return StringSwitch<Flavor>(name.lower())
      .Cases({"wasm-component", "component", "wasm-component-ld"},
             Flavor::WasmComponent)
      .Cases({"wasm", "wasm-ld"}, Flavor::Wasm)
      .Default(Flavor::Invalid);
}

Flavor wcl::getFlavorFromProgname(StringRef argv0) {
  StringRef name = sys::path::filename(argv0);
  name.consume_back_insensitive(".exe");
  // Drop a version suffix as in `wasm-ld-22`.
  size_t dash = name.find_last_of('-');
  if (dash != StringRef::npos && dash + 1 < name.size() &&
      all_of(name.substr(dash + 1), isDigit))
    name = name.take_front(dash);
  std::string lower = name.lower();
  StringRef n(lower);
  if (n == "wasm-component-ld")
    return Flavor::WasmComponent;
  if (n == "wasm-ld")
    return Flavor::Wasm;
  // Target-prefixed names such as `wasm32-wasip2-wasm-component-ld`; the
  // longer suffix is tried first for the same reason as above.
  if (n.ends_with("-wasm-component-ld"))
    return Flavor::WasmComponent;
  if (n.ends_with("-wasm-ld"))
    return Flavor::Wasm;
  return Flavor::Invalid;
}

static int runFlavor(Flavor flavor, ArrayRef<const char *> args,
                     raw_ostream &stdoutOS, raw_ostream &stderrOS,
                     bool exitEarly) {
  switch (flavor) {
  case Flavor::Wasm:
    return runWasmLd(args, stdoutOS, stderrOS);
  case Flavor::WasmComponent:
    return component::link(args, stdoutOS, stderrOS, exitEarly,
                           /*disableOutput=*/false)
               ? 0
               : 1;
  case Flavor::Invalid:
    break;
  }
  if (llvm::is_contained(args, StringRef("--help")) ||
      llvm::is_contained(args, StringRef("-help"))) {
    stdoutOS << "OVERVIEW: wcl, the WebAssembly Component Linker: a "
                "multi-flavor driver\n\n"
                "USAGE: wcl -flavor <flavor> [options] <inputs>\n"
                "       or run it under a flavor's name (a link or copy)\n\n"
                "FLAVORS:\n"
                "  wasm-component  names: wasm-component-ld, "
                "<triple>-wasm-component-ld\n"
                "                  links objects and dynamic libraries into a "
                "WebAssembly component\n"
                "  wasm            names: wasm-ld, wasm-ld-<version>\n"
                "                  lld's WebAssembly linker, in-process\n\n"
                "`wcl -flavor <flavor> --help` lists a flavor's options.\n";
    return 0;
  }
  stderrOS << "wcl is a generic driver.\n"
              "Invoke wasm-component-ld (WebAssembly components) or wasm-ld "
              "(WebAssembly) instead, or pass -flavor wasm-component or "
              "-flavor wasm as the first argument\n";
  return 1;
}

int wcl::driverMain(ArrayRef<const char *> args, raw_ostream &stdoutOS,
                    raw_ostream &stderrOS) {
  if (args.empty())
    return 1;
  Flavor flavor = getFlavorFromProgname(args[0]);
  SmallVector<const char *, 256> argv(args.begin(), args.end());
  if (argv.size() >= 2 && StringRef(argv[1]) == "-flavor") {
    if (argv.size() < 3) {
      stderrOS << "wcl: error: -flavor: missing argument\n";
      return 1;
    }
    Flavor named = getFlavorFromName(argv[2]);
    // rustc calls wasm-component-ld as `-flavor wasm` (it believes it talks
    // to lld); that must not turn the component linker into plain wasm-ld.
    if (flavor != Flavor::WasmComponent) {
      if (named == Flavor::Invalid) {
        stderrOS << "wcl: error: unknown flavor: " << argv[2] << "\n";
        return 1;
      }
      flavor = named;
    }
    argv.erase(argv.begin() + 1, argv.begin() + 3);
  }

  // As lld's LLD_IN_TEST: run the whole link N times in one process to prove
  // the drivers keep no state between runs.
  unsigned runs = 1;
  if (std::optional<std::string> env = sys::Process::GetEnv("WCL_IN_TEST"))
    if (!to_integer(*env, runs) || runs == 0)
      runs = 1;
  int ret = 0;
  for (unsigned i = 0; i < runs; ++i) {
    // Only the last run may end the process early.
    int r = runFlavor(flavor, argv, stdoutOS, stderrOS,
                      /*exitEarly=*/i + 1 == runs);
    if (i > 0 && r != ret) {
      stderrOS << "wcl: error: run " << i + 1 << " exited with " << r
               << " but the first with " << ret << "\n";
      return 1;
    }
    ret = r;
  }
  return ret;
}
