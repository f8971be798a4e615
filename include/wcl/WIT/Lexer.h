//===- wcl/WIT/Lexer.h - WIT tokens -----------------------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The tokens of WIT text. The lexer is a cheap value (a position in a
/// buffer), so the parser looks ahead by copying it, as wit-parser's
/// tokenizer does; whitespace and comments are tokens too, which is how
/// the parser finds doc comments.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WIT_LEXER_H
#define WCL_WIT_LEXER_H

#include "wcl/WIT/SourceMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>

namespace wcl {
namespace wit {

enum class Tok : uint8_t {
  Whitespace,
  Comment,
  Equals,
  Comma,
  Colon,
  Period,
  Semicolon,
  LeftParen,
  RightParen,
  LeftBrace,
  RightBrace,
  LessThan,
  GreaterThan,
  RArrow,
  Star,
  At,
  Slash,
  Plus,
  Minus,
  StringLiteral,
  // Keywords, in the order of keywordTable in Lexer.cpp.
  Use,
  Type,
  Func,
  U8,
  U16,
  U32,
  U64,
  S8,
  S16,
  S32,
  S64,
  F32,
  F64,
  Char,
  Record,
  Resource,
  Own,
  Borrow,
  Flags,
  Variant,
  Enum,
  Bool,
  String,
  Option,
  Result,
  Future,
  Stream,
  ErrorContext,
  List,
  Map,
  Underscore,
  As,
  From,
  Static,
  Interface,
  Tuple,
  Import,
  Export,
  World,
  Package,
  Constructor,
  Include,
  With,
  Async,
  // Not keywords.
  Id,
  ExplicitId,
  Integer,
};

/// How an error message names a token: "keyword `u32`", "'{'".
llvm::StringRef describe(Tok t);

struct Token {
  Span span;
  Tok kind;
};

class Lexer {
public:
  /// Lexes \p text, whose first byte is at \p base in the source map.
  /// Fails on characters WIT forbids anywhere (control codes,
  /// bidirectional overrides).
  static llvm::Expected<Lexer> create(llvm::StringRef text, uint32_t base);

  /// The next token that is not whitespace or a comment; std::nullopt at
  /// the end.
  llvm::Expected<std::optional<Token>> next();
  /// The next token of any kind.
  llvm::Expected<std::optional<Token>> nextRaw();
  /// Consumes the next token if it is \p t.
  llvm::Expected<bool> eat(Tok t);
  /// Consumes the next token, which must be \p t.
  llvm::Expected<Span> expect(Tok t);

  /// The text of \p s.
  llvm::StringRef text(Span s) const {
    return input.substr(s.start - base, s.end - s.start);
  }
  /// An identifier's name (without `%`), checked to be kebab-case.
  llvm::Expected<llvm::StringRef> idName(Token t) const;
  /// The decoded contents of a string literal token.
  llvm::Expected<std::string> stringValue(Span s) const;
  Span eofSpan() const {
    uint32_t e = base + input.size();
    return {e, e};
  }

private:
  Lexer(llvm::StringRef input, uint32_t base) : input(input), base(base) {}
  bool eatChar(char c);
  llvm::Error skipBlockComment(uint32_t start);

  llvm::StringRef input;
  uint32_t base;
  size_t pos = 0;
};

/// The error of a token other than the one wanted:
/// "expected X, found Y" at that token, or at the end.
llvm::Error errExpected(const Lexer &lex, llvm::StringRef expected,
                        std::optional<Token> found);

/// Checks that \p id is kebab-case, words all lower or all upper case.
llvm::Error validateId(uint32_t at, llvm::StringRef id);

} // namespace wit
} // namespace wcl

#endif // WCL_WIT_LEXER_H
