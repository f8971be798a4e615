//===- wcl-wit.cpp - WIT packages: parse, check, print --------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// `wcl-wit INPUT`: the command line of `wasm-tools component wit` over
/// wcl's WIT front end. INPUT is a `.wit` file, a package folder (with
/// `deps/`) or a binary WIT package; the package is resolved and printed as
/// WIT, or with `--wasm` written as a binary WIT package.
///
/// `wcl-wit embed WIT MODULE`: the command line of `wasm-tools component
/// embed`, which build systems run to give a core module its world.
///
//===----------------------------------------------------------------------===//

#include "wcl/WIT/Decode.h"
#include "wcl/WIT/Encode.h"
#include "wcl/WIT/Printer.h"
#include "wcl/WIT/Text.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileOutputBuffer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/LEB128.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>

using namespace llvm;
using namespace wcl;

static int usage() {
  errs() << "usage: wcl-wit [--features F,..] [--all-features] [--wasm] "
            "[-o OUT] INPUT\n"
            "       wcl-wit embed [--features F,..] [--all-features] "
            "[--world W]\n"
            "               [--encoding utf8|utf16|compact-utf16] [-o OUT] "
            "WIT MODULE\n";
  return 2;
}

static int fail(const Twine &msg) {
  WithColor::error(errs(), "wcl-wit") << msg << "\n";
  return 1;
}

/// Writes \p bytes to \p path through a temporary, so a failure leaves no
/// partial file.
static int write(StringRef path, StringRef bytes) {
  Expected<std::unique_ptr<FileOutputBuffer>> buf =
      FileOutputBuffer::create(path, bytes.size());
  if (!buf)
    return fail("cannot write " + path + ": " + toString(buf.takeError()));
  llvm::copy(bytes, (*buf)->getBufferStart());
  if (Error e = (*buf)->commit())
    return fail("cannot write " + path + ": " + toString(std::move(e)));
  return 0;
}

/// Reads \p input into \p resolve: a binary WIT package when the file
/// starts with a component's preamble, else WIT text. Prints the error and
/// returns non-zero on failure.
static int load(StringRef input, const wit::Features &features,
                wit::Resolve &resolve,
                std::optional<wit::ParsedPackages> &pkgs) {
  if (!sys::fs::is_directory(input)) {
    // A file that cannot be read is left to the text loader to report.
    ErrorOr<std::unique_ptr<MemoryBuffer>> buf = MemoryBuffer::getFile(input);
    ArrayRef<uint8_t> bytes;
    if (buf)
      bytes = arrayRefFromStringRef((*buf)->getBuffer());
    if (wit::isComponentBinary(bytes)) {
      Expected<wit::PackageId> p = wit::decodeWitPackage(resolve, bytes);
      if (!p)
        return fail(input + ": " + toString(p.takeError()));
      pkgs.emplace();
      pkgs->main = *p;
      return 0;
    }
  }
  Expected<wit::ParsedPackages> p = wit::parseWitPath(resolve, input, features);
  if (!p) {
    std::string msg = toString(p.takeError());
    // Located errors already read `FILE:LINE:COL: error: ...`.
    if (StringRef(msg).contains(": error: "))
      errs() << msg << "\n";
    else
      WithColor::error(errs(), "wcl-wit") << input << ": " << msg << "\n";
    return 1;
  }
  pkgs = std::move(*p);
  return 0;
}

/// utils/bench: the front end \p repeat times in one process, so the time
/// measured is its own and not the loading of libLLVM.
static int bench(StringRef input, const wit::Features &features,
                 unsigned repeat) {
  auto start = std::chrono::steady_clock::now();
  for (unsigned i = 0; i < repeat; ++i) {
    wit::Resolve r;
    Expected<wit::ParsedPackages> p = wit::parseWitPath(r, input, features);
    if (!p)
      return fail(toString(p.takeError()));
    std::string text;
    raw_string_ostream os(text);
    wit::printPackages(r, p->main, p->nested, os);
    Expected<std::vector<uint8_t>> bin = wit::encodePackage(r, p->main);
    if (!bin)
      return fail(toString(bin.takeError()));
  }
  std::chrono::duration<double, std::milli> ms =
      std::chrono::steady_clock::now() - start;
  outs() << format("parse+resolve+print+encode: %.2f ms per iteration\n",
                   ms.count() / repeat);
  return 0;
}

/// Appends custom section \p name with \p payload to module \p bytes.
static void appendCustomSection(std::string &bytes, StringRef name,
                                ArrayRef<uint8_t> payload) {
  raw_string_ostream os(bytes);
  std::string header;
  raw_string_ostream h(header);
  encodeULEB128(name.size(), h);
  h << name;
  os << char(0); // custom section id
  encodeULEB128(header.size() + payload.size(), os);
  os << header << toStringRef(payload);
}

/// `wcl-wit embed WIT MODULE`: `wasm-tools component embed`. Appends a
/// `component-type` section describing a world of the WIT package to a core
/// module, as wit-bindgen does, so that the module can become a component.
static int embed(ArrayRef<char *> args) {
  wit::Features features;
  std::string wit, module, output, world;
  uint8_t encoding = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    StringRef a = args[i];
    auto value = [&](StringRef flag) -> std::optional<StringRef> {
      if (a == flag && i + 1 < args.size())
        return StringRef(args[++i]);
      // `--flag=value`; a copy, so a near miss leaves `a` as it was.
      StringRef rest = a;
      if (rest.consume_front(flag) && rest.consume_front("="))
        return rest;
      return std::nullopt;
    };
    std::optional<StringRef> v;
    if ((v = value("--features"))) {
      SmallVector<StringRef, 4> parts;
      v->split(parts, ',', -1, false);
      for (StringRef p : parts)
        features.enabled.insert(p.trim());
    } else if (a == "--all-features") {
      features.all = true;
    } else if ((v = value("--world")) || (v = value("-w"))) {
      world = v->str();
    } else if ((v = value("--encoding")) || (v = value("--string-encoding"))) {
      if (*v == "utf8")
        encoding = 0;
      else if (*v == "utf16")
        encoding = 1;
      else if (*v == "compact-utf16")
        encoding = 2;
      else
        return fail("--encoding wants utf8, utf16 or compact-utf16, not `" +
                    *v + "`");
    } else if ((v = value("-o"))) {
      output = v->str();
    } else if (a.starts_with("-") && a != "-") {
      return fail("unknown option " + a);
    } else if (wit.empty()) {
      wit = a.str();
    } else if (module.empty()) {
      module = a.str();
    } else {
      return usage();
    }
  }
  if (wit.empty() || module.empty())
    return usage();
  ErrorOr<std::unique_ptr<MemoryBuffer>> buf = MemoryBuffer::getFile(module);
  if (!buf)
    return fail("cannot read " + module + ": " + buf.getError().message());
  std::string bytes = (*buf)->getBuffer().str();
  if (!StringRef(bytes).starts_with(StringRef("\0asm\x01\0\0\0", 8)))
    return fail(module + ": not a core WebAssembly module");
  wit::Resolve resolve;
  std::optional<wit::ParsedPackages> pkgs;
  if (int rc = load(wit, features, resolve, pkgs))
    return rc;
  Expected<wit::WorldId> w = wit::selectWorld(resolve, pkgs->main, world);
  if (!w)
    return fail(wit + ": " + toString(w.takeError()));
  Expected<std::vector<uint8_t>> section =
      wit::encodeWorldMetadata(resolve, *w, encoding);
  if (!section)
    return fail(wit + ": " + toString(section.takeError()));
  appendCustomSection(bytes, "component-type", *section);
  if (output.empty()) {
    if (outs().is_displayed())
      return fail("refusing to write a binary to a terminal; use -o FILE");
    outs() << bytes;
    return 0;
  }
  return write(output, bytes);
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  if (argc > 1 && StringRef(argv[1]) == "embed")
    return embed(ArrayRef(argv + 2, argv + argc));
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
      // `--flag=value`; a copy, so a near miss leaves `a` as it was.
      StringRef rest = a;
      if (rest.consume_front(flag) && rest.consume_front("="))
        return rest;
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
  if (repeat)
    return bench(input, features, repeat);
  wit::Resolve resolve;
  std::optional<wit::ParsedPackages> pkgs;
  if (int rc = load(input, features, resolve, pkgs))
    return rc;
  std::string bytes;
  raw_string_ostream os(bytes);
  if (wasm) {
    Expected<std::vector<uint8_t>> bin =
        wit::encodePackage(resolve, pkgs->main);
    if (!bin)
      return fail(input + ": " + toString(bin.takeError()));
    os << toStringRef(*bin);
  } else {
    // Only the main package, as wit-component's tests print it: the binary
    // holds only that one, so text and binary print the same.
    wit::printPackages(resolve, pkgs->main, {}, os);
  }
  if (output.empty()) {
    if (wasm && outs().is_displayed())
      return fail("refusing to write a binary to a terminal; use -o FILE");
    outs() << bytes;
    return 0;
  }
  return write(output, bytes);
}
