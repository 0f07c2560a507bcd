// Loading modules the way users do, from files of every kind (directories,
// missing, empty, foreign content, text or binary by name and by content),
// stand-ins for unknown imports, and the offsets of traps taken at entry.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "kiln/kiln.hpp"
#include "interp/interpreter.h"
#include "runtime/engine.h"
#include "runtime/linker.h"
#include "runtime/module.h"
#include "runtime/store.h"

namespace kiln {
namespace {

// A scratch directory for the test's files, removed afterwards.
struct Files : ::testing::Test {
  std::string dir;
  Engine engine;

  void SetUp() override {
    char pattern[] = "/tmp/kiln-loading-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir = pattern;
  }
  void TearDown() override { std::system(("rm -rf '" + dir + "'").c_str()); }

  std::string write(const std::string& name, const std::string& content) {
    std::string path = dir + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  Error load_error(const std::string& path) {
    Expected<Module> m = Module::from_file(engine, path);
    EXPECT_FALSE(m.has_value()) << path;
    return m ? Error() : m.error();
  }
};

TEST_F(Files, ADirectoryIsAnIoErrorNamingIt) {
  Error e = load_error(dir);
  EXPECT_EQ(e.kind, ErrorKind::Io);
  EXPECT_EQ(e.message, "cannot read " + dir + ": is a directory");
}

TEST_F(Files, AMissingFileIsAnIoError) {
  Error e = load_error(dir + "/missing.wasm");
  EXPECT_EQ(e.kind, ErrorKind::Io);
  EXPECT_EQ(e.message, "cannot read " + dir + "/missing.wasm: No such file or directory");
}

TEST_F(Files, EmptyAndBlankFilesAreNotEmptyModules) {
  Error empty = load_error(write("empty.wasm", ""));
  EXPECT_EQ(empty.kind, ErrorKind::Malformed);
  EXPECT_EQ(empty.message, "unexpected end: the input is empty, not a WebAssembly module");
  Error dev_null = load_error("/dev/null");
  EXPECT_EQ(dev_null.message, empty.message);
  Error blank = load_error(write("blank.wasm", "  \n\t"));
  EXPECT_EQ(blank.kind, ErrorKind::Malformed);
  EXPECT_EQ(blank.message, "magic header not detected: not a WebAssembly binary (it starts with \"  \\x0a\\x09\")");
  // Through the byte API too: blank bytes are no text module.
  std::vector<uint8_t> spaces = {' ', '\n'};
  EXPECT_EQ(Module::from_bytes(engine, spaces).error().kind, ErrorKind::Malformed);
}

TEST_F(Files, ForeignContentIsABinaryError) {
  Error e = load_error(write("page.wasm", "<html>404</html>"));
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  EXPECT_EQ(*e.offset, 0u);
  EXPECT_EQ(e.message, "magic header not detected: not a WebAssembly binary (it starts with \"<html>404</html>\")");
}

TEST_F(Files, AComponentIsUnsupported) {
  Error e = load_error(write("hello.component.wasm", std::string("\0asm\x0d\0\x01\0", 8)));
  EXPECT_EQ(e.kind, ErrorKind::Unsupported);
  EXPECT_EQ(e.message, "this is a WebAssembly component, not a core module; components are not supported yet");
}

TEST_F(Files, TextByNameOrByContent) {
  const std::string wat = "(module (func (export \"f\") (result i32) (i32.const 7)))";
  EXPECT_TRUE(Module::from_file(engine, write("a.wat", wat)).has_value());
  EXPECT_TRUE(Module::from_file(engine, write("b.wasm", ";; a comment\n(; and another ;)\n" + wat)).has_value());
  // An empty .wat is an empty text module, as the text format allows.
  EXPECT_TRUE(Module::from_file(engine, write("empty.wat", "")).has_value());
  // Binary content in a .wasm file.
  std::string binary("\0asm\x01\0\0\0", 8);
  EXPECT_TRUE(Module::from_file(engine, write("c.wasm", binary)).has_value());
}

// Stand-ins for function imports nothing defines (kiln run -W unknown-imports-*).
TEST(UnknownImports, TrapNamingTheImportOrReturnZeros) {
  const char* text = R"((module
    (import "env" "missing" (func $missing (param i32) (result i64 f32)))
    (func (export "call") (result i64) (call $missing (i32.const 3)) (drop))))";
  for (auto how : {runtime::Linker::UnknownImports::Trap, runtime::Linker::UnknownImports::Default}) {
    runtime::Engine engine(interp::with_interpreter({}));
    runtime::Store store(engine);
    runtime::Linker linker(engine);
    std::shared_ptr<runtime::Module> module = *runtime::Module::from_text(engine, text);
    EXPECT_FALSE(linker.instantiate(store, module).has_value());  // unlinkable without
    linker.define_unknown_imports(store, *module, how);
    runtime::Instance* instance = *linker.instantiate(store, module);
    Expected<std::vector<runtime::Value>> r = store.call(instance->find_export("call")->as_func(), {});
    if (how == runtime::Linker::UnknownImports::Trap) {
      ASSERT_FALSE(r.has_value());
      EXPECT_EQ(r.error().kind, ErrorKind::Trap);
      EXPECT_EQ(r.error().message, "unknown import: env.missing has not been defined");
    } else {
      ASSERT_TRUE(r.has_value()) << r.error().to_string();
      ASSERT_EQ(r->size(), 1u);
      EXPECT_EQ((*r)[0].as_i64(), 0u);
    }
  }
}

// A trap taken by the checks at a function's entry (fuel, epoch) is reported
// at the function's first instruction, not at offset 0.
TEST(TrapOffsets, EntryChecksReportTheFirstInstruction) {
  const char* text = R"((module
    (func $callee (result i32) (i32.const 1))
    (func (export "f") (result i32) (call $callee))))";
  runtime::EngineConfig config;
  config.consume_fuel = true;
  runtime::Engine engine(interp::with_interpreter(config));
  runtime::Store store(engine);
  runtime::Linker linker(engine);
  std::shared_ptr<runtime::Module> module = *runtime::Module::from_text(engine, text);
  runtime::Instance* instance = *linker.instantiate(store, module);
  // Enough fuel for f's entry segment (call, end), none for the callee's.
  ASSERT_TRUE(store.set_fuel(2).has_value());
  Expected<std::vector<runtime::Value>> r = store.call(instance->find_export("f")->as_func(), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "all fuel consumed");
  ASSERT_EQ(r.error().trace.size(), 2u);
  const ir::Module& m = module->ir();
  EXPECT_EQ(r.error().trace[0].func_index, 0u);
  EXPECT_EQ(r.error().trace[0].offset, m.codes[0].code.offset);  // the callee's i32.const
  EXPECT_EQ(r.error().trace[1].offset, m.codes[1].code.offset);  // f's call
}

}  // namespace
}  // namespace kiln
