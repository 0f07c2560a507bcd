#include "text/lexer.h"

#include <string>

#include "base/utf8.h"

namespace kiln::text {
namespace {

// Characters allowed in keywords, identifiers and numbers (the spec's `idchar`).
bool is_idchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '/': case ':': case '<': case '=': case '>': case '?':
    case '@': case '\\': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length of the well-formed UTF-8 sequence starting at `text[i]`, or 0 if malformed.
size_t utf8_sequence_length(std::string_view text, size_t i) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  return is_valid_utf8(text.substr(i, length)) ? length : 0;
}

void append_utf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes `\u{...}` starting after the `{`; advances `*i` past the `}`.
bool decode_unicode_escape(std::string_view body, size_t* i, std::string* out) {
  uint32_t cp = 0;
  size_t digits = 0;
  bool last_underscore = false;
  while (*i < body.size() && body[*i] != '}') {
    char c = body[*i];
    if (c == '_' && digits > 0 && !last_underscore) {
      last_underscore = true;
    } else {
      int v = hex_value(static_cast<unsigned char>(c));
      if (v < 0) return false;
      cp = cp * 16 + static_cast<uint32_t>(v);
      if (cp > 0x10FFFF) return false;
      ++digits;
      last_underscore = false;
    }
    ++*i;
  }
  if (*i >= body.size() || digits == 0 || last_underscore) return false;
  ++*i;  // '}'
  if (cp >= 0xD800 && cp < 0xE000) return false;
  append_utf8(out, cp);
  return true;
}

class Lexer {
 public:
  explicit Lexer(std::string_view source) : src_(source) {}

  Expected<std::vector<Token>> run() {
    while (pos_ < src_.size()) {
      unsigned char c = static_cast<unsigned char>(src_[pos_]);
      if (is_space(c)) {
        ++pos_;
      } else if (c == ';' && peek(1) == ';') {
        skip_line_comment();
      } else if (c == '(' && peek(1) == ';') {
        KILN_TRY_VOID(skip_block_comment());
      } else if (c == '(' && peek(1) == '@') {
        KILN_TRY_VOID(skip_annotation());
      } else if (c == '(' || c == ')') {
        push(c == '(' ? TokenKind::LParen : TokenKind::RParen, pos_, pos_ + 1);
        ++pos_;
      } else {
        KILN_TRY_VOID(lex_run(/*emit=*/true));
      }
    }
    push(TokenKind::Eof, pos_, pos_);
    return std::move(tokens_);
  }

 private:
  char peek(size_t ahead) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }

  // Line and column of byte `at` (tokens arrive in order, so this scans forward only).
  void locate(size_t at, uint32_t* line, uint32_t* column) {
    if (at < located_) {  // errors may point backwards: rescan
      located_ = 0;
      line_ = 1;
      line_start_ = 0;
    }
    for (; located_ < at && located_ < src_.size(); ++located_) {
      if (src_[located_] == '\n') {
        ++line_;
        line_start_ = located_ + 1;
      }
    }
    *line = line_;
    *column = static_cast<uint32_t>(at - line_start_ + 1);
  }

  Error error(size_t at, std::string_view message) {
    Token t;
    locate(at, &t.line, &t.column);
    return error_at(t, message);
  }

  Token& push(TokenKind kind, size_t begin, size_t end) {
    Token t;
    t.kind = kind;
    locate(begin, &t.line, &t.column);
    t.offset = static_cast<uint32_t>(begin);
    t.text = src_.substr(begin, end - begin);
    tokens_.push_back(std::move(t));
    return tokens_.back();
  }

  // A line comment ends at a newline or a carriage return.
  void skip_line_comment() {
    while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r') ++pos_;
  }

  Expected<void> skip_block_comment() {
    size_t start = pos_;
    int depth = 0;
    while (pos_ < src_.size()) {
      if (src_[pos_] == '(' && peek(1) == ';') {
        ++depth;
        pos_ += 2;
      } else if (src_[pos_] == ';' && peek(1) == ')') {
        pos_ += 2;
        if (--depth == 0) return {};
      } else {
        ++pos_;
      }
    }
    return error(start, "unclosed comment");
  }

  // `(@id ...)`: checked for well-formed tokens, then dropped.
  Expected<void> skip_annotation() {
    size_t start = pos_;
    pos_ += 2;
    unsigned char c = static_cast<unsigned char>(peek(0));
    if (c == '"') {
      std::string name;
      size_t body_start = pos_ + 1;
      KILN_TRY_VOID(scan_string());
      KILN_TRY_VOID(decode(body_start, pos_ - 1, &name));
      if (name.empty()) return error(start, "empty annotation id");
      if (!is_valid_utf8(name)) return error(start, "malformed UTF-8 encoding");
    } else if (is_idchar(c)) {
      while (pos_ < src_.size() && is_idchar(static_cast<unsigned char>(src_[pos_]))) ++pos_;
    } else {
      return error(start, "empty annotation id");
    }
    int depth = 1;
    while (depth > 0) {
      if (pos_ >= src_.size()) return error(start, "unclosed annotation");
      unsigned char d = static_cast<unsigned char>(src_[pos_]);
      if (is_space(d)) {
        ++pos_;
      } else if (d == ';' && peek(1) == ';') {
        skip_line_comment();
      } else if (d == '(' && peek(1) == ';') {
        KILN_TRY_VOID(skip_block_comment());
      } else if (d == '(') {
        ++depth;
        ++pos_;
      } else if (d == ')') {
        --depth;
        ++pos_;
      } else {
        KILN_TRY_VOID(lex_run(/*emit=*/false));
      }
    }
    return {};
  }

  // Moves past a string literal starting at the opening quote.
  Expected<void> scan_string() {
    size_t start = pos_;
    ++pos_;
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == '"') {
        ++pos_;
        return {};
      }
      if (c == '\n') break;
      pos_ += (c == '\\' && pos_ + 1 < src_.size()) ? 2 : 1;
    }
    return error(start, "unclosed string");
  }

  Expected<void> decode(size_t begin, size_t end, std::string* out) {
    std::string message;
    size_t where = 0;
    if (!decode_string_body(src_.substr(begin, end - begin), out, &message, &where))
      return error(begin + where, message);
    return {};
  }

  // A maximal run of idchars, strings and other printable characters.
  Expected<void> lex_run(bool emit) {
    size_t start = pos_;
    size_t strings = 0;
    bool plain = true;  // only idchars (outside strings)
    while (pos_ < src_.size()) {
      unsigned char c = static_cast<unsigned char>(src_[pos_]);
      if (is_space(c) || c == '(' || c == ')' || (c == ';' && peek(1) == ';')) break;
      if (c == '"') {
        KILN_TRY_VOID(scan_string());
        ++strings;
        continue;
      }
      if (c >= 0x80) {
        if (utf8_sequence_length(src_, pos_) == 0) return error(pos_, "malformed UTF-8 encoding");
        return error(pos_, "illegal character");
      }
      if (c < 0x20 || c == 0x7F) return error(pos_, "illegal character");
      if (!is_idchar(c)) plain = false;
      ++pos_;
    }
    if (!emit) return {};
    std::string_view text = src_.substr(start, pos_ - start);
    if (strings == 1 && text[0] == '"' && string_spans_run(start)) {
      // Exactly one string and nothing else.
      Token& t = push(TokenKind::String, start, pos_);
      return decode(start + 1, pos_ - 1, &t.value);
    }
    if (strings == 1 && text.size() >= 3 && text[0] == '$' && text[1] == '"' &&
        string_spans_run(start + 1)) {
      std::string name;
      KILN_TRY_VOID(decode(start + 2, pos_ - 1, &name));
      if (name.empty()) return error(start, "empty identifier");
      if (!is_valid_utf8(name)) return error(start, "malformed UTF-8 encoding");
      push(TokenKind::Id, start, pos_).value = std::move(name);
      return {};
    }
    TokenKind kind = TokenKind::Reserved;
    if (strings == 0 && plain) {
      if (text[0] == '$' && text.size() > 1) kind = TokenKind::Id;
      else if (text[0] >= 'a' && text[0] <= 'z') kind = TokenKind::Keyword;
    }
    Token& t = push(kind, start, pos_);
    if (kind == TokenKind::Id) t.value = std::string(text.substr(1));
    return {};
  }

  // True when the string literal opening at `quote` ends exactly at the end of the run.
  bool string_spans_run(size_t quote) {
    size_t saved = pos_;
    pos_ = quote;
    bool ok = scan_string().has_value() && pos_ == saved;
    pos_ = saved;
    return ok;
  }

  std::string_view src_;
  size_t pos_ = 0;
  std::vector<Token> tokens_;
  size_t located_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
};

}  // namespace

Error error_at(const Token& token, std::string_view message) {
  return Error(ErrorKind::Malformed,
               std::to_string(token.line) + ":" + std::to_string(token.column) + ": " +
                   std::string(message));
}

bool decode_string_body(std::string_view body, std::string* out, std::string* error, size_t* where) {
  size_t i = 0;
  while (i < body.size()) {
    unsigned char c = static_cast<unsigned char>(body[i]);
    *where = i;
    if (c == '\\') {
      if (i + 1 >= body.size()) { *error = "illegal escape"; return false; }
      unsigned char e = static_cast<unsigned char>(body[i + 1]);
      i += 2;
      switch (e) {
        case 't': out->push_back('\t'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case '"': out->push_back('"'); break;
        case '\'': out->push_back('\''); break;
        case '\\': out->push_back('\\'); break;
        case 'u':
          if (i >= body.size() || body[i] != '{') { *error = "illegal escape"; return false; }
          ++i;
          if (!decode_unicode_escape(body, &i, out)) { *error = "illegal escape"; return false; }
          break;
        default: {
          int hi = hex_value(e);
          int lo = i < body.size() ? hex_value(static_cast<unsigned char>(body[i])) : -1;
          if (hi < 0 || lo < 0) { *error = "illegal escape"; return false; }
          ++i;
          out->push_back(static_cast<char>(hi * 16 + lo));
        }
      }
    } else if (c < 0x20 || c == 0x7F) {
      *error = "illegal character";
      return false;
    } else if (c >= 0x80) {
      size_t n = utf8_sequence_length(body, i);
      if (n == 0) { *error = "malformed UTF-8 encoding"; return false; }
      out->append(body.substr(i, n));
      i += n;
    } else {
      out->push_back(static_cast<char>(c));
      ++i;
    }
  }
  return true;
}

Expected<std::vector<Token>> tokenize(std::string_view source) {
  return Lexer(source).run();
}

}  // namespace kiln::text
