//===- SourceMap.cpp - WIT source files and located errors ----------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Locations of spans and the rendering of errors that carry one.
///
//===----------------------------------------------------------------------===//

#include "wcl/WIT/SourceMap.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>

using namespace llvm;
using namespace wcl;
using namespace wcl::wit;

char SpanError::ID = 0;

void SpanError::log(raw_ostream &os) const { os << message; }

std::error_code SpanError::convertToErrorCode() const {
  return inconvertibleErrorCode();
}

Error wit::spanError(Span span, const Twine &message) {
  return make_error<SpanError>(span, message.str());
}

uint32_t SourceMap::add(StringRef path, StringRef contents) {
  uint32_t offset = next;
  // Each file ends in a newline of its own so that an error at the end of
  // one file is never at the start of the next.
  files.push_back({offset, path.str(), contents.str() + "\n"});
  next += files.back().contents.size();
  return offset;
}

const SourceMap::Source &SourceMap::sourceFor(uint32_t pos) const {
  auto it = std::upper_bound(
      files.begin(), files.end(), pos,
      [](uint32_t p, const Source &s) { return p < s.offset; });
  return it == files.begin() ? files.front() : *(it - 1);
}

namespace {
struct LineCol {
  size_t line, col, lineStart;
};
} // namespace

static LineCol lineCol(StringRef text, size_t pos) {
  pos = std::min(pos, text.size());
  size_t lineStart = text.substr(0, pos).rfind('\n');
  lineStart = lineStart == StringRef::npos ? 0 : lineStart + 1;
  size_t line = text.substr(0, lineStart).count('\n');
  return {line + 1, pos - lineStart + 1, lineStart};
}

std::string SourceMap::location(uint32_t pos) const {
  if (files.empty())
    return "<unknown>";
  const Source &s = sourceFor(pos);
  LineCol lc = lineCol(s.contents, pos - s.offset);
  return s.path + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.col);
}

Error SourceMap::render(Error err) const {
  return handleErrors(std::move(err), [&](const SpanError &e) -> Error {
    if (files.empty())
      return createStringError(e.message);
    const Source &s = sourceFor(e.span.start);
    StringRef text = s.contents;
    LineCol lc = lineCol(text, e.span.start - s.offset);
    std::string out;
    raw_string_ostream os(out);
    os << s.path << ":" << lc.line << ":" << lc.col << ": error: " << e.message;
    StringRef line = text.substr(lc.lineStart).split('\n').first;
    // A very long line (minified or hostile input) is not worth showing.
    if (line.size() <= 500) {
      os << "\n" << line << "\n";
      os.indent(lc.col - 1) << "^";
      size_t len = e.span.end > e.span.start ? e.span.end - e.span.start : 0;
      len = std::min(len, line.size() - std::min(line.size(), lc.col - 1));
      for (size_t i = 1; i < len; ++i)
        os << "~";
    }
    return createStringError(out);
  });
}
