//===- Lexer.cpp - WIT tokens ---------------------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The WIT lexer. Identifiers are lexed loosely (any letters, digits, `_`
/// and `-`) and checked afterwards, so that a bad identifier gets a message
/// about identifiers rather than about an unexpected character; messages
/// are wit-parser's, word for word.
///
//===----------------------------------------------------------------------===//

#include "wcl/WIT/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Format.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::wit;

StringRef wit::describe(Tok t) {
  switch (t) {
  case Tok::Whitespace:
    return "whitespace";
  case Tok::Comment:
    return "a comment";
  case Tok::Equals:
    return "'='";
  case Tok::Comma:
    return "','";
  case Tok::Colon:
    return "':'";
  case Tok::Period:
    return "'.'";
  case Tok::Semicolon:
    return "';'";
  case Tok::LeftParen:
    return "'('";
  case Tok::RightParen:
    return "')'";
  case Tok::LeftBrace:
    return "'{'";
  case Tok::RightBrace:
    return "'}'";
  case Tok::LessThan:
    return "'<'";
  case Tok::GreaterThan:
    return "'>'";
  case Tok::RArrow:
    return "`->`";
  case Tok::Star:
    return "`*`";
  case Tok::At:
    return "`@`";
  case Tok::Slash:
    return "`/`";
  case Tok::Plus:
    return "`+`";
  case Tok::Minus:
    return "`-`";
  case Tok::StringLiteral:
    return "a string literal";
  case Tok::Use:
    return "keyword `use`";
  case Tok::Type:
    return "keyword `type`";
  case Tok::Func:
    return "keyword `func`";
  case Tok::U8:
    return "keyword `u8`";
  case Tok::U16:
    return "keyword `u16`";
  case Tok::U32:
    return "keyword `u32`";
  case Tok::U64:
    return "keyword `u64`";
  case Tok::S8:
    return "keyword `s8`";
  case Tok::S16:
    return "keyword `s16`";
  case Tok::S32:
    return "keyword `s32`";
  case Tok::S64:
    return "keyword `s64`";
  case Tok::F32:
    return "keyword `f32`";
  case Tok::F64:
    return "keyword `f64`";
  case Tok::Char:
    return "keyword `char`";
  case Tok::Record:
    return "keyword `record`";
  case Tok::Resource:
    return "keyword `resource`";
  case Tok::Own:
    return "keyword `own`";
  case Tok::Borrow:
    return "keyword `borrow`";
  case Tok::Flags:
    return "keyword `flags`";
  case Tok::Variant:
    return "keyword `variant`";
  case Tok::Enum:
    return "keyword `enum`";
  case Tok::Bool:
    return "keyword `bool`";
  case Tok::String:
    return "keyword `string`";
  case Tok::Option:
    return "keyword `option`";
  case Tok::Result:
    return "keyword `result`";
  case Tok::Future:
    return "keyword `future`";
  case Tok::Stream:
    return "keyword `stream`";
  case Tok::ErrorContext:
    return "keyword `error-context`";
  case Tok::List:
    return "keyword `list`";
  case Tok::Map:
    return "keyword `map`";
  case Tok::Underscore:
    return "keyword `_`";
  case Tok::As:
    return "keyword `as`";
  case Tok::From:
    return "keyword `from`";
  case Tok::Static:
    return "keyword `static`";
  case Tok::Interface:
    return "keyword `interface`";
  case Tok::Tuple:
    return "keyword `tuple`";
  case Tok::Import:
    return "keyword `import`";
  case Tok::Export:
    return "keyword `export`";
  case Tok::World:
    return "keyword `world`";
  case Tok::Package:
    return "keyword `package`";
  case Tok::Constructor:
    return "keyword `constructor`";
  case Tok::Include:
    return "keyword `include`";
  case Tok::With:
    return "keyword `with`";
  case Tok::Async:
    return "keyword `async`";
  case Tok::Id:
    return "an identifier";
  case Tok::ExplicitId:
    return "an '%' identifier";
  case Tok::Integer:
    return "an integer";
  }
  return "a token";
}

static Tok keywordOrId(StringRef s) {
  return StringSwitch<Tok>(s)
      .Case("use", Tok::Use)
      .Case("type", Tok::Type)
      .Case("func", Tok::Func)
      .Case("u8", Tok::U8)
      .Case("u16", Tok::U16)
      .Case("u32", Tok::U32)
      .Case("u64", Tok::U64)
      .Case("s8", Tok::S8)
      .Case("s16", Tok::S16)
      .Case("s32", Tok::S32)
      .Case("s64", Tok::S64)
      .Case("f32", Tok::F32)
      .Case("f64", Tok::F64)
      .Case("char", Tok::Char)
      .Case("resource", Tok::Resource)
      .Case("own", Tok::Own)
      .Case("borrow", Tok::Borrow)
      .Case("record", Tok::Record)
      .Case("flags", Tok::Flags)
      .Case("variant", Tok::Variant)
      .Case("enum", Tok::Enum)
      .Case("bool", Tok::Bool)
      .Case("string", Tok::String)
      .Case("option", Tok::Option)
      .Case("result", Tok::Result)
      .Case("future", Tok::Future)
      .Case("stream", Tok::Stream)
      .Case("error-context", Tok::ErrorContext)
      .Case("list", Tok::List)
      .Case("map", Tok::Map)
      .Case("_", Tok::Underscore)
      .Case("as", Tok::As)
      .Case("from", Tok::From)
      .Case("static", Tok::Static)
      .Case("interface", Tok::Interface)
      .Case("tuple", Tok::Tuple)
      .Case("world", Tok::World)
      .Case("import", Tok::Import)
      .Case("export", Tok::Export)
      .Case("package", Tok::Package)
      .Case("constructor", Tok::Constructor)
      .Case("include", Tok::Include)
      .Case("with", Tok::With)
      .Case("async", Tok::Async)
      .Default(Tok::Id);
}

/// Rust's `{:?}` of a char, which wit-parser's messages use: 'x', '\n',
/// '\u{7f}'.
static std::string debugChar(uint32_t c) {
  switch (c) {
  case '\n':
    return "'\\n'";
  case '\r':
    return "'\\r'";
  case '\t':
    return "'\\t'";
  case '\'':
    return "'\\''";
  case '\\':
    return "'\\\\'";
  case 0:
    return "'\\0'";
  }
  if (c < 0x20 || (c >= 0x7f && c < 0xa0))
    return "'\\u{" + utohexstr(c, /*LowerCase=*/true) + "}'";
  std::string s = "'";
  char buf[4];
  char *p = buf;
  ConvertCodePointToUTF8(c, p);
  s.append(buf, p);
  return s + "'";
}

/// Decodes the UTF-8 character at \p pos of \p s; invalid bytes read as
/// themselves (the file was checked to be UTF-8 when it was loaded).
static uint32_t charAt(StringRef s, size_t pos, unsigned &len) {
  unsigned char b = s[pos];
  len = 1;
  if (b < 0x80)
    return b;
  len = getNumBytesForUTF8(b);
  if (pos + len > s.size() || len < 2)
    return len = 1, b;
  const UTF8 *src = reinterpret_cast<const UTF8 *>(s.data() + pos);
  UTF32 out = 0;
  UTF32 *dst = &out;
  if (ConvertUTF8toUTF32(&src, src + len, &dst, dst + 1, strictConversion) !=
      conversionOK)
    return len = 1, b;
  return out;
}

static bool isBidiOverride(uint32_t c) {
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

static bool isDeprecated(uint32_t c) {
  switch (c) {
  case 0x149:
  case 0x673:
  case 0xf77:
  case 0xf79:
  case 0x17a3:
  case 0x17a4:
  case 0x17b4:
  case 0x17b5:
    return true;
  }
  return false;
}

static std::string escapeUnicode(uint32_t c) {
  return "\\u{" + utohexstr(c, true) + "}";
}

Expected<Lexer> Lexer::create(StringRef text, uint32_t base) {
  for (size_t i = 0; i < text.size();) {
    unsigned len;
    uint32_t c = charAt(text, i, len);
    uint32_t at = base + i;
    if (isBidiOverride(c))
      return spanError({at, at + len},
                       "Input contains bidirectional override codepoint \"" +
                           escapeUnicode(c) + "\"");
    if (isDeprecated(c))
      return spanError({at, at + len}, "Codepoint \"" + escapeUnicode(c) +
                                           "\" is discouraged by Unicode");
    if (c != '\n' && c != '\r' && c != '\t' &&
        (c < 0x20 || (c >= 0x7f && c < 0xa0)))
      return spanError({at, at + len},
                       "Control code '" + escapeUnicode(c) + "'");
    i += len;
  }
  Lexer lex(text, base);
  // A byte order mark is not part of the text.
  if (text.starts_with("\xef\xbb\xbf"))
    lex.pos = 3;
  return lex;
}

bool Lexer::eatChar(char c) {
  if (pos < input.size() && input[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

static bool isKeylikeStart(unsigned char c) {
  return isAlpha(c) || c == '_' || c == '-' || c >= 0x80;
}
static bool isKeylikeContinue(unsigned char c) {
  return isAlnum(c) || c == '_' || c == '-' || c >= 0x80;
}

Error Lexer::skipBlockComment(uint32_t start) {
  // Block comments nest.
  for (unsigned depth = 1; depth > 0;) {
    if (pos >= input.size())
      return spanError({start, start}, "unterminated block comment");
    char c = input[pos++];
    if (c == '/' && eatChar('*'))
      ++depth;
    else if (c == '*' && eatChar('/'))
      --depth;
  }
  return Error::success();
}

Expected<std::string> Lexer::stringValue(Span s) const {
  size_t p = s.start - base + 1; // after the opening quote
  std::string out;
  auto eof = [&] { return spanError(eofSpan(), "unexpected end of file"); };
  auto *self = const_cast<Lexer *>(this);
  for (;;) {
    if (p >= input.size())
      return eof();
    unsigned len;
    uint32_t c = charAt(input, p, len);
    uint32_t at = base + p;
    p += len;
    if (c == '"')
      break;
    if (c == '\\') {
      if (p >= input.size())
        return eof();
      char e = input[p++];
      switch (e) {
      case '"':
      case '\'':
      case '\\':
        out += e;
        continue;
      case 't':
        out += '\t';
        continue;
      case 'n':
        out += '\n';
        continue;
      case 'r':
        out += '\r';
        continue;
      }
      return spanError({at, at + 1},
                       "invalid string escape " + debugChar((uint8_t)e));
    }
    if (c < 0x20 || c == 0x7f)
      return spanError({at, at + 1},
                       "invalid string character " + debugChar(c));
    out.append(input.data() + p - len, len);
  }
  // Only the lexer's own scan uses the position.
  if (self->pos < p && s.end == 0)
    self->pos = p;
  return out;
}

Expected<std::optional<Token>> Lexer::nextRaw() {
  if (pos >= input.size())
    return std::nullopt;
  uint32_t start = base + pos;
  unsigned char c = input[pos++];
  Tok kind;
  switch (c) {
  case '\n':
  case '\t':
  case ' ':
  case '\r':
    while (pos < input.size() && (input[pos] == ' ' || input[pos] == '\t' ||
                                  input[pos] == '\n' || input[pos] == '\r'))
      ++pos;
    kind = Tok::Whitespace;
    break;
  case '/':
    if (eatChar('/')) {
      while (pos < input.size() && input[pos] != '\n')
        ++pos;
      kind = Tok::Comment;
    } else if (eatChar('*')) {
      if (Error e = skipBlockComment(start))
        return std::move(e);
      kind = Tok::Comment;
    } else {
      kind = Tok::Slash;
    }
    break;
  case '=':
    kind = Tok::Equals;
    break;
  case ',':
    kind = Tok::Comma;
    break;
  case ':':
    kind = Tok::Colon;
    break;
  case '.':
    kind = Tok::Period;
    break;
  case ';':
    kind = Tok::Semicolon;
    break;
  case '(':
    kind = Tok::LeftParen;
    break;
  case ')':
    kind = Tok::RightParen;
    break;
  case '{':
    kind = Tok::LeftBrace;
    break;
  case '}':
    kind = Tok::RightBrace;
    break;
  case '<':
    kind = Tok::LessThan;
    break;
  case '>':
    kind = Tok::GreaterThan;
    break;
  case '*':
    kind = Tok::Star;
    break;
  case '@':
    kind = Tok::At;
    break;
  case '+':
    kind = Tok::Plus;
    break;
  case '-':
    kind = eatChar('>') ? Tok::RArrow : Tok::Minus;
    break;
  default:
    if (c == '%') {
      if (pos < input.size() && isKeylikeStart(input[pos]))
        while (pos < input.size() && isKeylikeContinue(input[pos]))
          ++pos;
      kind = Tok::ExplicitId;
    } else if (c == '"') {
      pos = pos - 1;
      Expected<std::string> s = stringValue({start, 0});
      if (!s)
        return s.takeError();
      kind = Tok::StringLiteral;
    } else if (isKeylikeStart(c)) {
      while (pos < input.size() && isKeylikeContinue(input[pos]))
        ++pos;
      kind = keywordOrId(input.slice(start - base, pos));
    } else if (isDigit(c)) {
      while (pos < input.size() && isDigit(input[pos]))
        ++pos;
      kind = Tok::Integer;
    } else {
      unsigned len;
      uint32_t ch = charAt(input, start - base, len);
      return spanError({start, start + len},
                       "unexpected character " + debugChar(ch));
    }
  }
  return Token{{start, uint32_t(base + pos)}, kind};
}

Expected<std::optional<Token>> Lexer::next() {
  for (;;) {
    Expected<std::optional<Token>> t = nextRaw();
    if (!t || !*t ||
        ((*t)->kind != Tok::Whitespace && (*t)->kind != Tok::Comment))
      return t;
  }
}

Expected<bool> Lexer::eat(Tok want) {
  Lexer copy = *this;
  Expected<std::optional<Token>> t = copy.next();
  if (!t)
    return t.takeError();
  if (!*t || (*t)->kind != want)
    return false;
  *this = copy;
  return true;
}

Expected<Span> Lexer::expect(Tok want) {
  Expected<std::optional<Token>> t = next();
  if (!t)
    return t.takeError();
  if (*t && (*t)->kind == want)
    return (*t)->span;
  return errExpected(*this, describe(want), *t);
}

Error wit::errExpected(const Lexer &lex, StringRef expected,
                       std::optional<Token> found) {
  if (!found)
    return spanError(lex.eofSpan(), "expected " + expected + ", found eof");
  return spanError(found->span,
                   "expected " + expected + ", found " + describe(found->kind));
}

Error wit::validateId(uint32_t at, StringRef id) {
  Span span{at, at};
  if (id.empty())
    return spanError(span, "identifiers must have characters between '-'s");
  SmallVector<StringRef, 4> parts;
  id.split(parts, '-');
  for (auto [i, part] : enumerate(parts)) {
    if (part.empty())
      return spanError(span, "identifiers must have characters between '-'s");
    std::optional<bool> upper;
    for (size_t j = 0; j < part.size();) {
      unsigned len;
      uint32_t c = charAt(part, j, len);
      j += len;
      bool bad = false;
      if (i == 0 && j == len && !(c < 0x80 && isAlpha(c)))
        bad = true;
      else if (c < 0x80 && isDigit(c))
        continue;
      else if (c < 0x80 && isUpper(c))
        bad = upper.value_or(true) == false, upper = true;
      else if (c < 0x80 && isLower(c))
        bad = upper.value_or(false) == true, upper = false;
      else
        bad = true;
      if (bad)
        return spanError(span,
                         "invalid character in identifier " + debugChar(c));
    }
  }
  return Error::success();
}

Expected<StringRef> Lexer::idName(Token t) const {
  StringRef s = text(t.span);
  if (t.kind == Tok::ExplicitId)
    s = s.drop_front();
  if (Error e = validateId(t.span.start, s))
    return std::move(e);
  return s;
}
