// The WebAssembly text format lexer: source text -> tokens.
//
// Follows the token grammar of the spec: parentheses, strings, identifiers ($name or
// $"quoted"), keywords (an idchar run starting with a-z) and "reserved" runs (every other
// idchar run, which includes all numbers, and runs mixing strings and idchars such as
// `$l"a"`, which the parser then rejects). Whitespace, line comments `;; ...`, nested
// block comments `(; ... ;)` and annotations `(@id ...)` are skipped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace kiln::text {

enum class TokenKind : uint8_t {
  LParen,
  RParen,
  Keyword,   // starts with a lowercase letter: "module", "i32.add", "offset=4", "nan:0x1", "inf"
  Id,        // $name; `value` holds the name without the '$' (decoded for $"...")
  String,    // "..."; `value` holds the decoded bytes
  Reserved,  // any other run: numbers ("0x10", "-1.5e3", "+inf"), or junk such as `0$x`
  Eof,
};

struct Token {
  TokenKind kind = TokenKind::Eof;
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t offset = 0;     // byte offset of the first character in the source
  std::string_view text;   // the raw source text of the token
  std::string value;       // String and Id only (see TokenKind)
};

// Splits `source` into tokens; the last token is always Eof. Errors (unclosed strings or
// comments, bad escapes, illegal characters, malformed UTF-8) are Malformed with a
// "line:column: " prefix.
Expected<std::vector<Token>> tokenize(std::string_view source);

// "line:column: message" as a Malformed error at `token`.
Error error_at(const Token& token, std::string_view message);

// Decodes the body of a string literal (without the quotes). Returns false and sets
// `*error` (and the byte index of the problem in `*where`) on a bad escape, an illegal
// character or malformed UTF-8.
bool decode_string_body(std::string_view body, std::string* out, std::string* error, size_t* where);

}  // namespace kiln::text
