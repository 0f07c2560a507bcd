// The text-format lexer: token classes, strings and escapes, comments, annotations.
#include <gtest/gtest.h>

#include "text/lexer.h"

namespace kiln::text {
namespace {

std::vector<Token> lex(std::string_view source) {
  auto tokens = tokenize(source);
  EXPECT_TRUE(tokens.has_value()) << (tokens ? "" : tokens.error().message);
  return tokens ? *tokens : std::vector<Token>{};
}

std::string lex_error(std::string_view source) {
  auto tokens = tokenize(source);
  EXPECT_FALSE(tokens.has_value()) << source;
  return tokens ? "" : tokens.error().message;
}

std::string decoded(std::string_view literal) {
  std::vector<Token> tokens = lex(literal);
  EXPECT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].kind, TokenKind::String);
  return tokens[0].value;
}

TEST(TextLexer, TokenKinds) {
  std::vector<Token> t = lex("(func $f i32.add 0x1F -1.5 nan:0x1 \"s\" offset=4)");
  ASSERT_EQ(t.size(), 11u);
  EXPECT_EQ(t[0].kind, TokenKind::LParen);
  EXPECT_EQ(t[1].kind, TokenKind::Keyword);
  EXPECT_EQ(t[1].text, "func");
  EXPECT_EQ(t[2].kind, TokenKind::Id);
  EXPECT_EQ(t[2].value, "f");
  EXPECT_EQ(t[3].kind, TokenKind::Keyword);
  EXPECT_EQ(t[4].kind, TokenKind::Reserved);
  EXPECT_EQ(t[4].text, "0x1F");
  EXPECT_EQ(t[5].kind, TokenKind::Reserved);
  EXPECT_EQ(t[6].kind, TokenKind::Keyword);  // nan:0x1
  EXPECT_EQ(t[7].kind, TokenKind::String);
  EXPECT_EQ(t[8].kind, TokenKind::Keyword);
  EXPECT_EQ(t[8].text, "offset=4");
  EXPECT_EQ(t[9].kind, TokenKind::RParen);
  EXPECT_EQ(t[10].kind, TokenKind::Eof);
}

TEST(TextLexer, LinesAndColumns) {
  std::vector<Token> t = lex("(module\n  (func))");
  ASSERT_GE(t.size(), 4u);
  EXPECT_EQ(t[2].line, 2u);
  EXPECT_EQ(t[2].column, 3u);
  EXPECT_EQ(t[3].text, "func");
  EXPECT_EQ(t[3].column, 4u);
}

TEST(TextLexer, TokensNeedSeparation) {
  // A string glued to other characters is one reserved token, as in the spec.
  std::vector<Token> t = lex("$l\"a\" \"a\"\"b\" 0$l br_table");
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[0].kind, TokenKind::Reserved);
  EXPECT_EQ(t[1].kind, TokenKind::Reserved);
  EXPECT_EQ(t[2].kind, TokenKind::Reserved);
  EXPECT_EQ(t[3].kind, TokenKind::Keyword);
  // Parentheses and comments do separate tokens.
  t = lex("(func(nop)nop;;x\n$f(;c;)$g)");
  ASSERT_EQ(t.size(), 10u);
  EXPECT_EQ(t[5].text, "nop");
  EXPECT_EQ(t[6].value, "f");
  EXPECT_EQ(t[7].value, "g");
}

TEST(TextLexer, StringEscapes) {
  EXPECT_EQ(decoded(R"("a\tb\nc\rd\"e\'f\\g")"), "a\tb\nc\rd\"e'f\\g");
  EXPECT_EQ(decoded(R"("\00\ff\7F")"), std::string("\x00\xff\x7f", 3));
  EXPECT_EQ(decoded(R"("\u{41}\u{3b1}\u{10FFFF}")"), "A\xce\xb1\xf4\x8f\xbf\xbf");
  EXPECT_EQ(decoded("\"h\xc3\xa9\""), "h\xc3\xa9");  // raw UTF-8
  EXPECT_EQ(decoded("\"\""), "");
}

TEST(TextLexer, StringErrors) {
  EXPECT_NE(lex_error("\"abc").find("unclosed string"), std::string::npos);
  EXPECT_NE(lex_error("\"a\nb\"").find("unclosed string"), std::string::npos);
  EXPECT_NE(lex_error(R"("\x")").find("illegal escape"), std::string::npos);
  EXPECT_NE(lex_error(R"("\u{D800}")").find("illegal escape"), std::string::npos);
  EXPECT_NE(lex_error(R"("\u{110000}")").find("illegal escape"), std::string::npos);
  EXPECT_NE(lex_error(R"("\u{}")").find("illegal escape"), std::string::npos);
  EXPECT_NE(lex_error("\"a\tb\"").find("illegal character"), std::string::npos);
  EXPECT_NE(lex_error("\"\xff\"").find("malformed UTF-8"), std::string::npos);
  EXPECT_NE(lex_error("\"\xc0\x80\"").find("malformed UTF-8"), std::string::npos);  // overlong
}

TEST(TextLexer, QuotedIdentifiers) {
  std::vector<Token> t = lex(R"($"a b" $"\41")");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].kind, TokenKind::Id);
  EXPECT_EQ(t[0].value, "a b");
  EXPECT_EQ(t[1].value, "A");
  EXPECT_NE(lex_error(R"($"")").find("empty identifier"), std::string::npos);
  EXPECT_NE(lex_error(R"($"\ef")").find("malformed UTF-8"), std::string::npos);
}

TEST(TextLexer, Comments) {
  std::vector<Token> t = lex("(; outer (; nested ;) still ;) a ;; line\n b");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].text, "a");
  EXPECT_EQ(t[1].text, "b");
  EXPECT_EQ(lex("a ;; no newline at end").size(), 2u);
  EXPECT_EQ(lex("a ;; a carriage return ends it too\rb").size(), 3u);
  EXPECT_NE(lex_error("(; (; ;)").find("unclosed comment"), std::string::npos);
}

TEST(TextLexer, AnnotationsAreSkipped) {
  std::vector<Token> t = lex("((@a x (y \"z\") (@b)) module (@\"q\" 1))");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].kind, TokenKind::LParen);
  EXPECT_EQ(t[1].text, "module");
  EXPECT_EQ(t[2].kind, TokenKind::RParen);
  EXPECT_NE(lex_error("(@ x)").find("empty annotation id"), std::string::npos);
  EXPECT_NE(lex_error("(@x (y)").find("unclosed annotation"), std::string::npos);
}

TEST(TextLexer, IllegalCharacters) {
  EXPECT_NE(lex_error("a\x01").find("illegal character"), std::string::npos);
  EXPECT_NE(lex_error("Würst").find("illegal character"), std::string::npos);
  EXPECT_NE(lex_error("a \x80").find("malformed UTF-8"), std::string::npos);
  // The message carries the position.
  EXPECT_EQ(lex_error("(\n  \x01").substr(0, 5), "2:3: ");
}

}  // namespace
}  // namespace kiln::text
