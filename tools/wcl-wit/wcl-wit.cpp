//===- wcl-wit.cpp - WIT packages: parse, check, print --------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// `wcl-wit INPUT`: the command line of `wasm-tools component wit` over
/// wcl's WIT front end. INPUT is a `.wit` file or a package folder (with
/// `deps/`); the package is resolved and printed as WIT.
///
//===----------------------------------------------------------------------===//

#include "wcl/WIT/Printer.h"
#include "wcl/WIT/Text.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>

using namespace llvm;
using namespace wcl;

static int usage() {
  errs() << "usage: wcl-wit [--features F,..] [--all-features] [-o OUT] "
            "INPUT\n";
  return 2;
}

static int fail(const Twine &msg) {
  WithColor::error(errs(), "wcl-wit") << msg << "\n";
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  wit::Features features;
  std::string input, output;
  bool wasm = false;
  // utils/bench: repeat the work in one process, so the time measured is
  // the front end's and not the loading of libLLVM.
  unsigned repeat = 0;
  for (int i = 1; i < argc; ++i) {
    StringRef a = argv[i];
    auto value = [&](StringRef flag) -> std::optional<StringRef> {
      if (a == flag && i + 1 < argc)
        return StringRef(argv[++i]);
      if (a.consume_front(flag) && a.consume_front("="))
        return a;
      return std::nullopt;
    };
    if (std::optional<StringRef> f = value("--features")) {
      SmallVector<StringRef, 4> parts;
      f->split(parts, ',', -1, false);
      for (StringRef p : parts)
        features.enabled.insert(p.trim());
    } else if (a == "--all-features") {
      features.all = true;
    } else if (a == "--wasm" || a == "-w") {
      wasm = true;
    } else if (std::optional<StringRef> o = value("-o")) {
      output = o->str();
    } else if (std::optional<StringRef> n = value("--bench-iterations")) {
      if (n->getAsInteger(10, repeat) || repeat == 0)
        return fail("--bench-iterations wants a positive number");
    } else if (a == "--version") {
      outs() << "wcl-wit " << WCL_VERSION << "\n";
      return 0;
    } else if (a == "-h" || a == "--help") {
      usage();
      return 0;
    } else if (a.starts_with("-") && a != "-") {
      return fail("unknown option " + a);
    } else if (input.empty()) {
      input = a.str();
    } else {
      return usage();
    }
  }
  if (input.empty())
    return usage();
  if (wasm)
    return fail("--wasm: binary WIT packages are not supported yet");
  if (repeat) {
    auto start = std::chrono::steady_clock::now();
    for (unsigned i = 0; i < repeat; ++i) {
      wit::Resolve r;
      Expected<wit::ParsedPackages> p = wit::parseWitPath(r, input, features);
      if (!p)
        return fail(toString(p.takeError()));
      std::string text;
      raw_string_ostream os(text);
      wit::printPackages(r, p->main, p->nested, os);
    }
    std::chrono::duration<double, std::milli> ms =
        std::chrono::steady_clock::now() - start;
    outs() << format("parse+resolve+print: %.2f ms per iteration\n",
                     ms.count() / repeat);
    return 0;
  }
  wit::Resolve resolve;
  Expected<wit::ParsedPackages> pkgs =
      wit::parseWitPath(resolve, input, features);
  if (!pkgs) {
    std::string msg = toString(pkgs.takeError());
    // Located errors already read `FILE:LINE:COL: error: ...`.
    if (StringRef(msg).contains(": error: "))
      errs() << msg << "\n";
    else
      WithColor::error(errs(), "wcl-wit") << input << ": " << msg << "\n";
    return 1;
  }
  std::string text;
  raw_string_ostream os(text);
  wit::printPackages(resolve, pkgs->main, pkgs->nested, os);
  if (output.empty()) {
    outs() << text;
    return 0;
  }
  std::error_code ec;
  raw_fd_ostream out(output, ec);
  if (ec)
    return fail("cannot write " + output + ": " + ec.message());
  out << text;
  return 0;
}
