//===- LexerTest.cpp - WIT tokens -----------------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "wcl/WIT/Lexer.h"
#include "ExpectedHelpers.h"
#include "gtest/gtest.h"

using namespace llvm;
using namespace wcl::wit;
using namespace wcl::wit::test;

namespace {

std::vector<Tok> kinds(StringRef text) {
  std::vector<Tok> out;
  Expected<Lexer> lex = Lexer::create(text, 0);
  EXPECT_TRUE(ok(lex));
  for (;;) {
    Expected<std::optional<Token>> t = lex->next();
    EXPECT_TRUE(ok(t));
    if (!t || !*t)
      return out;
    out.push_back((*t)->kind);
  }
}

std::string message(Error e) {
  std::string out;
  handleAllErrors(std::move(e), [&](const SpanError &s) { out = s.message; });
  return out;
}

TEST(WITLexer, KeywordsIdentifiersAndPunctuation) {
  EXPECT_EQ(kinds("interface foo-bar { f: func() -> u32; }"),
            (std::vector<Tok>{Tok::Interface, Tok::Id, Tok::LeftBrace, Tok::Id,
                              Tok::Colon, Tok::Func, Tok::LeftParen,
                              Tok::RightParen, Tok::RArrow, Tok::U32,
                              Tok::Semicolon, Tok::RightBrace}));
  EXPECT_EQ(kinds("%interface error-context @ 1.2.3"),
            (std::vector<Tok>{Tok::ExplicitId, Tok::ErrorContext, Tok::At,
                              Tok::Integer, Tok::Period, Tok::Integer,
                              Tok::Period, Tok::Integer}));
}

TEST(WITLexer, CommentsAreSkippedButSeenRaw) {
  EXPECT_EQ(kinds("/// doc\n/* a /* nested */ block */ world"),
            std::vector<Tok>{Tok::World});
  Expected<Lexer> lex = Lexer::create("// c\nx", 0);
  ASSERT_TRUE(ok(lex));
  Expected<std::optional<Token>> t = lex->nextRaw();
  ASSERT_TRUE(ok(t));
  EXPECT_EQ((*t)->kind, Tok::Comment);
  EXPECT_EQ(lex->text((*t)->span), "// c");
}

TEST(WITLexer, Errors) {
  Expected<Lexer> lex = Lexer::create("/* open", 0);
  ASSERT_TRUE(ok(lex));
  EXPECT_EQ(message(lex->next().takeError()), "unterminated block comment");
  lex = Lexer::create("a $", 0);
  ASSERT_TRUE(ok(lex));
  ASSERT_TRUE(ok(lex->next()));
  EXPECT_EQ(message(lex->next().takeError()), "unexpected character '$'");
  EXPECT_EQ(message(Lexer::create("a\x01", 0).takeError()),
            "Control code '\\u{1}'");
  EXPECT_EQ(message(Lexer::create("\xe2\x80\xae", 0).takeError()),
            "Input contains bidirectional override codepoint \"\\u{202e}\"");
}

TEST(WITLexer, Identifiers) {
  EXPECT_EQ(message(validateId(0, "apple-PEAR-a0")), "");
  EXPECT_EQ(message(validateId(0, "a--b")),
            "identifiers must have characters between '-'s");
  EXPECT_EQ(message(validateId(0, "Apple")),
            "invalid character in identifier 'p'");
  EXPECT_EQ(message(validateId(0, "0a")),
            "invalid character in identifier '0'");
}

} // namespace
