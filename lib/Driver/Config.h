//===- Config.h - Configuration of the wasm-component flavor ----*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Option values of the wasm-component flavor. As in lld's Config.h, fields
/// map directly onto command-line options and are named after them;
/// readConfigs fills them and checkOptions rejects bad combinations.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_DRIVER_CONFIG_H
#define WCL_LIB_DRIVER_CONFIG_H

#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace wcl {

/// A `[NAME=]PATH` argument: a library, a dl-openable library or an adapter.
struct NamedInput {
  std::string name;
  std::string path;
  /// Given with --dl-openable.
  bool dlOpenable = false;
};

enum class StringEncoding { Utf8, Utf16, CompactUtf16 };

struct Config {
  std::string outputFile;
  /// Positional and --dl-openable inputs, interleaved in command-line order
  /// (library order is observable in the output).
  std::vector<NamedInput> inputs;
  std::vector<NamedInput> adapters;
  bool stubMissingFunctions = false;
  bool useBuiltInLibdl = false;
  std::optional<uint32_t> stackSize;
  bool debugNames = true;
  /// --validate / --validate-component: validate the output on every path.
  bool validate = false;
  /// --skip-validation or --validate=false: not even on the libraries path,
  /// which validates by default (as `wasm-tools component link` does).
  bool noValidate = false;
  bool mergeImportsBasedOnSemver = true;
  bool rejectLegacyNames = false;
  bool reallocViaMemoryGrow = false;
  bool returnCallRef = false;
  std::vector<std::pair<std::string, std::string>> importName;
  std::vector<std::string> componentType;
  StringEncoding stringEncoding = StringEncoding::Utf8;
  bool skipWitComponent = false;
  std::string wasiAdapter;
  std::vector<std::string> appendLldFlag;
  std::string mapFile;
  bool verbose = false;
  /// -###: print the wasm-ld command line instead of linking.
  bool dryRun = false;
  /// The API's disableOutput: link, but write no file (lld's semantics).
  bool disableOutput = false;

  /// Arguments that are not ours, verbatim and in order (wasm-ld options
  /// and positional inputs), for the paths that run wasm-ld.
  std::vector<std::string> wasmLdArgs;
  /// Whether one of them is -shared / --shared.
  bool shared = false;
  /// Whether one is an option wasm-ld has and wcl does not (so that a
  /// single input still needs wasm-ld).
  bool wasmLdOnlyArgs = false;
  /// Whether one names a library for wasm-ld to find (`-lNAME`), an input
  /// that makes wasm-ld run even with no file among the inputs.
  bool wasmLdLibraryArgs = false;
  /// Which of them spell --Map, for a link that gives wasm-ld's map a place
  /// of its own in the combined map (see WasmLd.cpp).
  std::vector<size_t> mapTokens;
};

} // namespace wcl

#endif // WCL_LIB_DRIVER_CONFIG_H
