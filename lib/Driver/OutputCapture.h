//===- OutputCapture.h - wasm-ld's output file, in memory -------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The module wasm-ld links on the way to a component is never written to
/// disk: wasm-ld gets a path of its own, `/proc/self/fd/N`, naming the write
/// end of a pipe that a thread of ours drains into memory. Standard output
/// stays the user's, so the wasm-ld options that print there (`-M`,
/// `--print-map`, `--Map=-`, `--why-extract=-`, `-v`) work as with wasm-ld.
///
/// A pipe, not a memory file: lld's FileOutputBuffer writes a regular file
/// through a temporary beside it and a rename, which `/proc/self/fd` cannot
/// do, while for anything else it keeps the output in memory and writes it
/// to the path once, on commit.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_DRIVER_OUTPUTCAPTURE_H
#define WCL_LIB_DRIVER_OUTPUTCAPTURE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace wcl {
namespace driver {

class OutputCapture {
public:
  /// Opens the pipe and starts draining it.
  static llvm::Expected<std::unique_ptr<OutputCapture>> create();
  ~OutputCapture();

  /// The path to give wasm-ld as its output file.
  llvm::StringRef path() const { return pathName; }

  /// Closes our write end, waits for the drain and returns every byte
  /// written to path() (none if wasm-ld wrote nothing).
  std::vector<uint8_t> finish();

private:
  OutputCapture() = default;
  struct Impl;
  std::unique_ptr<Impl> impl;
  std::string pathName;
};

} // namespace driver
} // namespace wcl

#endif // WCL_LIB_DRIVER_OUTPUTCAPTURE_H
