// A read position over a token vector, with the small matching helpers that the module
// and script parsers share.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "text/lexer.h"

namespace kiln::text {

class Cursor {
 public:
  explicit Cursor(const std::vector<Token>& tokens, size_t pos = 0) : tokens_(&tokens), pos_(pos) {}

  // The token `ahead` positions on (the final Eof token when past the end).
  const Token& peek(size_t ahead = 0) const {
    size_t i = pos_ + ahead;
    return i < tokens_->size() ? (*tokens_)[i] : tokens_->back();
  }
  // Returns the current token and moves on (never past Eof).
  const Token& next() {
    const Token& t = peek();
    if (pos_ + 1 < tokens_->size()) ++pos_;
    return t;
  }
  size_t position() const { return pos_; }
  void seek(size_t pos) { pos_ = pos; }

  bool at(TokenKind kind) const { return peek().kind == kind; }
  bool at_keyword(std::string_view keyword) const {
    return peek().kind == TokenKind::Keyword && peek().text == keyword;
  }
  // `(` followed by `keyword`.
  bool at_lparen_keyword(std::string_view keyword) const {
    return peek().kind == TokenKind::LParen && peek(1).kind == TokenKind::Keyword &&
           peek(1).text == keyword;
  }
  // An index: a $name or an unsigned number (a token starting with a digit).
  bool at_index() const {
    const Token& t = peek();
    return t.kind == TokenKind::Id ||
           (t.kind == TokenKind::Reserved && t.text[0] >= '0' && t.text[0] <= '9');
  }
  // A token that may be a numeric literal (numbers, inf, nan, nan:0x...).
  bool at_number_like() const {
    return peek().kind == TokenKind::Reserved || peek().kind == TokenKind::Keyword;
  }

  // Errors at the current token.
  Error error(std::string_view message) const { return error_at(peek(), message); }
  Error unexpected() const {
    const Token& t = peek();
    if (t.kind == TokenKind::Eof) return error("unexpected end of input");
    if (t.text == "$") return error("empty identifier");
    // A run that is neither a number nor a word (such as `$x"a"`) is not a token the
    // grammar knows: the spec calls it an unknown operator.
    const char c0 = t.text[0];
    const bool numeric = (c0 >= '0' && c0 <= '9') || c0 == '+' || c0 == '-';
    if (t.kind == TokenKind::Reserved && (!numeric || t.text.find('"') != std::string_view::npos))
      return error("unknown operator " + std::string(t.text));
    return error("unexpected token " + std::string(t.text));
  }

  Expected<void> expect(TokenKind kind) {
    if (!at(kind)) return unexpected();
    next();
    return {};
  }
  Expected<void> expect_keyword(std::string_view keyword) {
    if (!at_keyword(keyword)) return unexpected();
    next();
    return {};
  }
  // `(` `keyword`
  Expected<void> expect_lparen_keyword(std::string_view keyword) {
    if (!at_lparen_keyword(keyword)) return unexpected();
    next();
    next();
    return {};
  }
  Expected<std::string> expect_string() {
    if (!at(TokenKind::String)) return unexpected();
    return next().value;
  }

  // At `(`: moves past the matching `)`. Fails at end of input.
  Expected<void> skip_sexpr() {
    int depth = 0;
    do {
      const Token& t = peek();
      if (t.kind == TokenKind::Eof) return unexpected();
      if (t.kind == TokenKind::LParen) ++depth;
      if (t.kind == TokenKind::RParen) --depth;
      next();
    } while (depth > 0);
    return {};
  }

 private:
  const std::vector<Token>* tokens_;
  size_t pos_;
};

}  // namespace kiln::text
