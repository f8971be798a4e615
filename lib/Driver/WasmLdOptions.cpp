//===- WasmLdOptions.cpp - What wasm-ld's own option table says -----------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// wcl forwards the options it does not own to wasm-ld without knowing
/// them, but two things need wasm-ld's table: which of them take their
/// value as the next argument (in `-L dir`, `dir` is not an input file), and
/// the list `--help` shows. lld does not install its table, so it is read
/// from the in-process wasm-ld's own `--help`, once per process: never a
/// copy that could fall out of date. Aliases the help hides
/// (`--library-path` for `-L`) are not known this way; their values then
/// also reach wasm-ld, but count as inputs for choosing a path.
///
//===----------------------------------------------------------------------===//

#include "ComponentDriver.h"
#include "wcl/Driver/Driver.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"
#include <mutex>

using namespace llvm;
using namespace wcl;
using namespace wcl::driver;

StringRef driver::getWasmLdHelp() {
  static std::string help;
  static std::once_flag once;
  std::call_once(once, [] {
    std::string errors;
    raw_string_ostream out(help), err(errors);
    runWasmLd({"wasm-ld", "--help"}, out, err, "wasm-ld");
  });
  return help;
}

/// An option's name without its dashes: lld accepts one or two.
static StringRef undashed(StringRef spelling) {
  return spelling.drop_while([](char c) { return c == '-'; });
}

bool driver::wasmLdTakesSeparateValue(StringRef spelling) {
  static StringSet<> valued;
  static std::once_flag once;
  std::call_once(once, [] {
    // Help lines start with two spaces and the spelling, then `=<v>` or
    // ` <v>` for an option with a value, or nothing/spaces for a flag. An
    // option with a value takes it separately too (lld's Eq), unless a
    // flag of the same name exists (`--build-id` and `--build-id=`).
    StringSet<> flags, withValue;
    SmallVector<StringRef, 0> lines;
    getWasmLdHelp().split(lines, '\n');
    for (StringRef line : lines) {
      if (!line.consume_front("  -"))
        continue;
      size_t end = line.find_first_of("= \t");
      StringRef name = undashed(line.take_front(end));
      StringRef rest = end == StringRef::npos ? "" : line.drop_front(end);
      if (rest.starts_with("=") || rest.starts_with(" <"))
        withValue.insert(name);
      else
        flags.insert(name);
    }
    for (const auto &entry : withValue)
      if (!flags.contains(entry.getKey()))
        valued.insert(entry.getKey());
  });
  return valued.contains(undashed(spelling));
}
