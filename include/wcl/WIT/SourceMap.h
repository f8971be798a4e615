//===- wcl/WIT/SourceMap.h - WIT source files and located errors -*- C++
//-*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The WIT sources of a parse, laid end to end in one offset space (as
/// wit-parser does) so that a span is two integers whatever file it is in,
/// and the error type that carries such a span until the source map turns
/// it into clang's `FILE:LINE:COL: error: message` with the line and a
/// caret.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WIT_SOURCEMAP_H
#define WCL_WIT_SOURCEMAP_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <string>
#include <vector>

namespace wcl {
namespace wit {

/// A byte range in a SourceMap's offset space.
struct Span {
  uint32_t start = 0, end = 0;
};

/// An error at a place in the sources; SourceMap::render gives it its
/// location.
class SpanError : public llvm::ErrorInfo<SpanError> {
public:
  static char ID;
  SpanError(Span span, std::string message)
      : span(span), message(std::move(message)) {}
  void log(llvm::raw_ostream &os) const override;
  std::error_code convertToErrorCode() const override;

  Span span;
  std::string message;
};

/// Builds a SpanError.
llvm::Error spanError(Span span, const llvm::Twine &message);

class SourceMap {
public:
  struct Source {
    uint32_t offset;
    std::string path;
    std::string contents;
  };

  /// Adds a file; returns the offset its first byte gets.
  uint32_t add(llvm::StringRef path, llvm::StringRef contents);
  const std::vector<Source> &sources() const { return files; }
  /// The source holding offset \p pos.
  const Source &sourceFor(uint32_t pos) const;
  /// `path:line:col` of \p pos (1-based, columns in bytes).
  std::string location(uint32_t pos) const;
  /// Turns SpanErrors in \p err into `path:line:col: error: message`, the
  /// source line and a caret; other errors pass through.
  llvm::Error render(llvm::Error err) const;

private:
  std::vector<Source> files;
  uint32_t next = 0;
};

} // namespace wit
} // namespace wcl

#endif // WCL_WIT_SOURCEMAP_H
