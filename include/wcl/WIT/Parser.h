//===- wcl/WIT/Parser.h - WIT text to a syntax tree -------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The WIT parser: one file's text to its syntax tree, with wit-parser's
/// grammar and messages. Errors are SpanErrors; SourceMap::render locates
/// them.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WIT_PARSER_H
#define WCL_WIT_PARSER_H

#include "wcl/WIT/AST.h"
#include "llvm/Support/Error.h"

namespace wcl {
namespace wit {

/// How deep packages may nest and types may be written inside each other
/// before the parser gives up (the input must not drive the recursion
/// without a bound).
constexpr unsigned maxNestingDepth = 100;

/// Parses the WIT file \p text, whose first byte is at \p base in the
/// source map.
llvm::Expected<ast::PackageFile> parseFile(llvm::StringRef text, uint32_t base);

/// Joins comments into the text of a doc comment as wit-parser does: `/`s
/// and block delimiters dropped, the common indentation removed, one line
/// each; std::nullopt when there are none.
std::optional<std::string> docsText(const ast::Docs &docs);

} // namespace wit
} // namespace wcl

#endif // WCL_WIT_PARSER_H
