// Golden listings: the translated code of every module in tests/golden/interp/
// must be exactly its NAME.listing (as WABT's test/interp pins its output),
// so that a change to the translator or a fusion shows up as a diff of whole
// listings, never only where a test happened to look for a substring.
//
// After an intended change: `KILN_UPDATE_GOLDEN=1 build/kiln_unit_tests
// --gtest_filter='Golden*'` rewrites the listings; review the diff like code.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "interp/disassembler.h"
#include "interp/interpreter.h"
#include "runtime/engine.h"
#include "runtime/module.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> golden_names() {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(KILN_GOLDEN_DIR))
    if (entry.path().extension() == ".wat") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string read_file(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

class GoldenListing : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenListing, IsTheTranslatedCode) {
  fs::path wat = fs::path(KILN_GOLDEN_DIR) / (GetParam() + ".wat");
  fs::path golden = fs::path(KILN_GOLDEN_DIR) / (GetParam() + ".listing");
  std::string text = read_file(wat);
  runtime::Engine engine(interp::with_interpreter({}));
  auto module = runtime::Module::from_bytes_or_text(engine, std::vector<uint8_t>(text.begin(), text.end()));
  ASSERT_TRUE(module.has_value()) << module.error().to_string();
  std::string listing = interp::disassemble_functions(**module);
  if (std::getenv("KILN_UPDATE_GOLDEN")) {
    std::ofstream(golden) << listing;
    return;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " is missing: run with KILN_UPDATE_GOLDEN=1 to write it";
  EXPECT_EQ(listing, read_file(golden)) << "the translation of " << wat << " changed";
}

INSTANTIATE_TEST_SUITE_P(Interp, GoldenListing, ::testing::ValuesIn(golden_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(GoldenListings, EveryListingHasItsModule) {
  for (const fs::directory_entry& entry : fs::directory_iterator(KILN_GOLDEN_DIR))
    if (entry.path().extension() == ".listing")
      EXPECT_TRUE(fs::exists(fs::path(entry.path()).replace_extension(".wat"))) << entry.path();
}

}  // namespace
}  // namespace kiln
