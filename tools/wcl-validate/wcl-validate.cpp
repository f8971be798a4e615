//===- wcl-validate.cpp - Validate modules and components
//------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// `wcl-validate FILE... [--features LIST]`: `wasm-tools validate` over wcl's
/// validator. The features are the defaults, then `WASM_FEATURES`, then each
/// `--features` in order. Exit 0 when every file is valid; otherwise one
/// `FILE: offset 0x..: message` line per invalid file on stderr, exit 1.
///
//===----------------------------------------------------------------------===//

#include "wcl/Validate/Validate.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

using namespace llvm;
using namespace wcl;

static int usage(raw_ostream &os, int status) {
  os << "usage: wcl-validate [--features LIST] FILE...\n"
        "  LIST: wasm-tools feature names, comma-separated; -NAME turns one "
        "off, 'all' turns every one on (also read from WASM_FEATURES)\n";
  return status;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  validate::Features features;
  auto applyList = [&](StringRef list, StringRef from) {
    if (Error e = features.apply(list)) {
      WithColor::error(errs(), "wcl-validate")
          << from << ": " << toString(std::move(e)) << "\n";
      return false;
    }
    return true;
  };
  if (std::optional<std::string> env = sys::Process::GetEnv("WASM_FEATURES"))
    if (!applyList(*env, "WASM_FEATURES"))
      return 2;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    StringRef a = argv[i];
    if (a == "--features" || a == "-f") {
      if (i + 1 == argc)
        return usage(errs(), 2);
      if (!applyList(argv[++i], "--features"))
        return 2;
    } else if (a.consume_front("--features=")) {
      if (!applyList(a, "--features"))
        return 2;
    } else if (a == "-h" || a == "--help") {
      return usage(outs(), 0);
    } else if (a == "--version") {
      outs() << "wcl-validate " << WCL_VERSION << "\n";
      return 0;
    } else if (a.starts_with("-") && a != "-") {
      WithColor::error(errs(), "wcl-validate")
          << "unknown option " << a << "\n";
      return 2;
    } else {
      files.push_back(a.str());
    }
  }
  if (files.empty())
    return usage(errs(), 2);
  int status = 0;
  for (const std::string &file : files) {
    ErrorOr<std::unique_ptr<MemoryBuffer>> buf =
        MemoryBuffer::getFileOrSTDIN(file, /*IsText=*/false,
                                     /*RequiresNullTerminator=*/false);
    if (!buf) {
      WithColor::error(errs(), "wcl-validate")
          << file << ": " << buf.getError().message() << "\n";
      status = 1;
      continue;
    }
    ArrayRef<uint8_t> bytes(
        reinterpret_cast<const uint8_t *>((*buf)->getBufferStart()),
        (*buf)->getBufferSize());
    if (Error e = validate::validate(bytes, features)) {
      errs() << file << ": " << toString(std::move(e)) << "\n";
      status = 1;
    }
  }
  return status;
}
