#include <gtest/gtest.h>

#include "binary/decoder.h"
#include "binary_builder.h"

namespace kiln::binary {
namespace {

using test::Bytes;
using test::concat;
using test::header;
using test::section;

Error decode_error(const Bytes& bytes) {
  Expected<ir::Module> m = decode_module(bytes);
  EXPECT_FALSE(m.has_value());
  return m ? Error() : m.error();
}

TEST(Decoder, EmptyModule) {
  Expected<ir::Module> m = decode_module(header());
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  EXPECT_EQ(m->num_funcs(), 0u);
}

TEST(Decoder, BadMagicAndVersion) {
  EXPECT_EQ(decode_error({0x00, 0x61, 0x73, 0x6e, 0x01, 0, 0, 0}).message, "magic header not detected");
  EXPECT_EQ(decode_error({0x00, 0x61, 0x73, 0x6d, 0x02, 0, 0, 0}).message, "unknown binary version");
}

TEST(Decoder, TruncatedNamesOffset) {
  Bytes bytes = test::single_function_module({0x7f}, {0x41, 0x2a});
  bytes.resize(bytes.size() - 3);
  Error e = decode_error(bytes);
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  ASSERT_TRUE(e.offset.has_value());
  EXPECT_LE(*e.offset, bytes.size());
}

TEST(Decoder, SectionOrder) {
  Bytes bytes = concat({header(), section(3, {0x00}), section(1, {0x00})});
  EXPECT_EQ(decode_error(bytes).message, "unexpected content after last section");
}

TEST(Decoder, UnknownSectionId) {
  EXPECT_EQ(decode_error(concat({header(), section(14, {})})).message, "malformed section id");
}

TEST(Decoder, SectionSizeMismatch) {
  // A type section that declares one type but carries a trailing byte.
  Bytes bytes = concat({header(), section(1, {0x01, 0x60, 0x00, 0x00, 0x00})});
  EXPECT_EQ(decode_error(bytes).message, "section size mismatch");
}

TEST(Decoder, FunctionAndCodeCountsMustAgree) {
  Bytes bytes = concat({header(), section(1, {0x01, 0x60, 0x00, 0x00}), section(3, {0x02, 0x00, 0x00}),
                        section(10, {0x01, 0x02, 0x00, 0x0b})});
  EXPECT_EQ(decode_error(bytes).message, "function and code section have inconsistent lengths");
}

TEST(Decoder, NamesMustBeUtf8) {
  // An export named "\xff".
  Bytes bytes = concat({header(), section(7, {0x01, 0x01, 0xff, 0x00, 0x00})});
  EXPECT_EQ(decode_error(bytes).message, "malformed UTF-8 encoding");
}

TEST(Decoder, CustomSectionsAnywhereAndNameSection) {
  // name section: function 0 is called "f".
  Bytes names = {0x04, 'n', 'a', 'm', 'e', 0x01, 0x04, 0x01, 0x00, 0x01, 'f'};
  Bytes bytes = test::single_function_module({}, {});
  bytes = concat({bytes, section(0, names)});
  Expected<ir::Module> m = decode_module(bytes);
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  EXPECT_EQ(m->function_name(0), "f");
  ASSERT_EQ(m->customs.size(), 1u);
  EXPECT_EQ(m->customs[0].name, "name");
}

TEST(Decoder, TooManyLocals) {
  // One local group of 2^32-1 locals.
  Bytes locals = {0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f};
  Error e = decode_error(test::single_function_module({}, {}, locals));
  EXPECT_EQ(e.message, "too many locals");
}

}  // namespace
}  // namespace kiln::binary
