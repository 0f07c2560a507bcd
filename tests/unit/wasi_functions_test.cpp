// WASI functions called from wasm with hostile arguments: pointers and lengths
// outside memory are EFAULT (never a host access), and sockets handed to the
// guest work through sock_*.
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "interp/interpreter.h"
#include "runtime/linker.h"
#include "runtime/store.h"
#include "wasi/wasi.h"

namespace kiln::wasi {
namespace {

using runtime::Value;

// A guest that re-exports a WASI import under the same name with a one-page
// memory, so a test can call it with any arguments and read the errno.
std::string forwarder(const std::string& name, const std::string& params) {
  std::string gets;
  int n = 0;
  for (size_t i = 0; i < params.size(); i += 4) gets += " local.get " + std::to_string(n++);
  return "(module (import \"wasi_snapshot_preview1\" \"" + name + "\" (func $f (param " + params +
         ") (result i32))) (memory (export \"memory\") 1) (func (export \"" + name + "\") (param " + params +
         ") (result i32)" + gets + " call $f))";
}

class WasiCallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kiln-wasi-call-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { ASSERT_EQ(std::system(("rm -rf '" + dir_ + "'").c_str()), 0); }

  // Instantiates the forwarder of `name` (params as WAT types "i32 i32 ...").
  void load(const std::string& name, const std::string& params, WasiConfig config = {}) {
    config.inherit_stdio = false;
    config.preopens.push_back({dir_, "."});
    auto context = add_to_linker(linker_, store_, config);
    ASSERT_TRUE(context) << context.error().to_string();
    context_ = *context;
    auto module = runtime::Module::from_text(engine_, forwarder(name, params));
    ASSERT_TRUE(module) << module.error().to_string();
    auto instance = linker_.instantiate(store_, *module);
    ASSERT_TRUE(instance) << instance.error().to_string();
    instance_ = *instance;
    function_ = instance_->find_export(name)->as_func();
  }

  Errno call(std::initializer_list<Value> args) {
    auto results = store_.call(function_, std::vector<Value>(args));
    EXPECT_TRUE(results) << results.error().to_string();
    return results ? static_cast<Errno>((*results)[0].as_i32()) : Errno::Io;
  }
  uint8_t* memory() { return instance_->memories[0]->data(); }

  runtime::Engine engine_{interp::with_interpreter({})};
  runtime::Store store_{engine_};
  runtime::Linker linker_{engine_};
  std::shared_ptr<WasiContext> context_;
  runtime::Instance* instance_ = nullptr;
  runtime::Function* function_ = nullptr;
  std::string dir_;
};

constexpr uint32_t kPage = 65536;

Value i32(uint32_t v) { return Value::i32(v); }
Value i64(uint64_t v) { return Value::i64(v); }

TEST_F(WasiCallTest, ArgsOutsideMemoryAreEfault) {
  WasiConfig config;
  config.args = {"prog", "argument"};
  load("args_sizes_get", "i32 i32", config);
  EXPECT_EQ(call({i32(0), i32(4)}), Errno::Success);
  EXPECT_EQ(call({i32(kPage - 2), i32(4)}), Errno::Fault);
  EXPECT_EQ(call({i32(0), i32(0xfffffffc)}), Errno::Fault);
}

TEST_F(WasiCallTest, ArgsGetChecksTheWholeBuffer) {
  WasiConfig config;
  config.args = {"prog", "argument"};  // 14 bytes of strings
  load("args_get", "i32 i32", config);
  EXPECT_EQ(call({i32(0), i32(kPage - 14)}), Errno::Success);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(memory()) + kPage - 9), "argument");
  EXPECT_EQ(call({i32(0), i32(kPage - 13)}), Errno::Fault);
  EXPECT_EQ(call({i32(kPage - 4), i32(16)}), Errno::Fault);  // two pointers need 8 bytes
}

TEST_F(WasiCallTest, FdWriteWithBadIovecsIsEfault) {
  load("fd_write", "i32 i32 i32 i32");
  int fd = open((dir_ + "/out").c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_GE(fd, 0);
  // Guest fd 3 is the preopened directory; write to a file opened as fd 4 by hand.
  FdEntry entry;
  entry.host = HostFd(fd);
  entry.type = Filetype::RegularFile;
  entry.base = max_base_rights(Filetype::RegularFile);
  context_->fds().insert_at(4, std::move(entry));
  uint8_t* m = memory();
  auto put32 = [&](uint32_t at, uint32_t v) { std::memcpy(m + at, &v, 4); };
  std::memcpy(m + 100, "hello", 5);
  put32(0, 100);  // iovec {100, 5}
  put32(4, 5);
  EXPECT_EQ(call({i32(4), i32(0), i32(1), i32(16)}), Errno::Success);
  uint32_t written;
  std::memcpy(&written, m + 16, 4);
  EXPECT_EQ(written, 5u);
  put32(4, kPage);  // buffer runs past the end of memory
  EXPECT_EQ(call({i32(4), i32(0), i32(1), i32(16)}), Errno::Fault);
  put32(0, 0xfffffff0);  // buffer starts far outside
  put32(4, 0x20);
  EXPECT_EQ(call({i32(4), i32(0), i32(1), i32(16)}), Errno::Fault);
  put32(0, 100);
  put32(4, 5);
  EXPECT_EQ(call({i32(4), i32(kPage - 4), i32(1), i32(16)}), Errno::Fault);  // iovec array outside
  EXPECT_EQ(call({i32(4), i32(0), i32(0x20000000), i32(16)}), Errno::Fault);  // count * 8 wraps 32 bits
  EXPECT_EQ(call({i32(4), i32(0), i32(1), i32(kPage - 3)}), Errno::Fault);   // result pointer
  EXPECT_EQ(lseek(fd, 0, SEEK_END), 5);  // the failed calls wrote nothing
  EXPECT_EQ(call({i32(99), i32(0), i32(1), i32(16)}), Errno::Badf);
  EXPECT_EQ(call({i32(3), i32(0), i32(1), i32(16)}), Errno::NotCapable);  // a directory cannot be written
}

TEST_F(WasiCallTest, PathOpenWithBadPathPointerIsEfault) {
  load("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32");
  std::memcpy(memory() + 200, "new.txt", 7);
  auto open_at = [&](uint32_t path, uint32_t len, uint32_t fd_out) {
    return call({i32(3), i32(0), i32(path), i32(len), i32(1), i64(0x7e), i64(0), i32(0), i32(fd_out)});
  };
  EXPECT_EQ(open_at(kPage - 3, 7, 0), Errno::Fault);
  EXPECT_EQ(open_at(0xffffffff, 1, 0), Errno::Fault);
  EXPECT_EQ(open_at(200, 7, kPage - 2), Errno::Fault);
  EXPECT_NE(access((dir_ + "/new.txt").c_str(), F_OK), 0);  // nothing created by the failed calls
  EXPECT_EQ(open_at(200, 7, 0), Errno::Success);
  EXPECT_EQ(access((dir_ + "/new.txt").c_str(), F_OK), 0);
}

TEST_F(WasiCallTest, PollOneoffChecksBothArrays) {
  load("poll_oneoff", "i32 i32 i32 i32");
  EXPECT_EQ(call({i32(0), i32(1024), i32(0), i32(2048)}), Errno::Inval);  // no subscriptions
  EXPECT_EQ(call({i32(kPage - 40), i32(1024), i32(1), i32(2048)}), Errno::Fault);
  EXPECT_EQ(call({i32(0), i32(kPage - 16), i32(1), i32(2048)}), Errno::Fault);
  EXPECT_EQ(call({i32(0), i32(0), i32(0x10000000), i32(2048)}), Errno::Fault);
  // A relative clock of 1 ns at 0: one event, written after the subscription.
  std::memset(memory(), 0, 48);
  uint64_t timeout = 1, userdata = 42;
  std::memcpy(memory(), &userdata, 8);
  std::memcpy(memory() + 24, &timeout, 8);
  EXPECT_EQ(call({i32(0), i32(1024), i32(1), i32(2048)}), Errno::Success);
  uint32_t nevents;
  std::memcpy(&nevents, memory() + 2048, 4);
  EXPECT_EQ(nevents, 1u);
  std::memcpy(&userdata, memory() + 1024, 8);
  EXPECT_EQ(userdata, 42u);
}

TEST_F(WasiCallTest, RandomGetBounds) {
  load("random_get", "i32 i32");
  EXPECT_EQ(call({i32(kPage - 16), i32(16)}), Errno::Success);
  EXPECT_EQ(call({i32(kPage - 16), i32(17)}), Errno::Fault);
  EXPECT_EQ(call({i32(kPage), i32(0)}), Errno::Success);  // an empty range at the end is inside
  EXPECT_EQ(call({i32(kPage + 1), i32(0)}), Errno::Fault);
}

// sock_accept, sock_recv, sock_send, sock_shutdown on a listening Unix socket
// handed to the guest (fd 4, after the preopen).
TEST_F(WasiCallTest, SocketsHandedToTheGuest) {
  std::string path = dir_ + "/sock";
  int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  int client = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);

  WasiConfig config;
  config.sockets.push_back(listener);
  const char* wat = R"((module
    (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "sock_recv" (func $recv (param i32 i32 i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "sock_send" (func $send (param i32 i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "sock_shutdown" (func $shutdown (param i32 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "accept") (param i32 i32 i32) (result i32) local.get 0 local.get 1 local.get 2 call $accept)
    (func (export "recv") (param i32 i32 i32 i32 i32 i32) (result i32)
      local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 local.get 5 call $recv)
    (func (export "send") (param i32 i32 i32 i32 i32) (result i32)
      local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 call $send)
    (func (export "shutdown") (param i32 i32) (result i32) local.get 0 local.get 1 call $shutdown))
  )";
  config.inherit_stdio = false;
  config.preopens.push_back({dir_, "."});
  ASSERT_TRUE(add_to_linker(linker_, store_, config));
  auto module = runtime::Module::from_text(engine_, wat);
  ASSERT_TRUE(module) << module.error().to_string();
  auto instance = linker_.instantiate(store_, *module);
  ASSERT_TRUE(instance);
  instance_ = *instance;
  auto run = [&](const char* name, std::vector<Value> args) {
    auto r = store_.call(instance_->find_export(name)->as_func(), args);
    EXPECT_TRUE(r);
    return static_cast<Errno>((*r)[0].as_i32());
  };
  uint8_t* m = memory();
  EXPECT_EQ(run("accept", {i32(4), i32(0), i32(kPage)}), Errno::Fault);
  EXPECT_EQ(run("accept", {i32(4), i32(8), i32(0)}), Errno::Inval);  // only NONBLOCK is a valid flag
  EXPECT_EQ(run("accept", {i32(3), i32(0), i32(0)}), Errno::NotCapable);  // a directory
  ASSERT_EQ(run("accept", {i32(4), i32(0), i32(0)}), Errno::Success);
  uint32_t conn;
  std::memcpy(&conn, m, 4);
  EXPECT_EQ(conn, 0u);  // the lowest free number: this guest has no stdio

  ASSERT_EQ(write(client, "ping", 4), 4);
  uint32_t iov[2] = {100, 16};
  std::memcpy(m + 8, iov, 8);
  EXPECT_EQ(run("recv", {i32(conn), i32(8), i32(1), i32(1), i32(16), i32(20)}), Errno::Success);  // PEEK
  EXPECT_EQ(run("recv", {i32(conn), i32(8), i32(1), i32(0), i32(16), i32(20)}), Errno::Success);
  uint32_t got;
  std::memcpy(&got, m + 16, 4);
  EXPECT_EQ(got, 4u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(m + 100), 4), "ping");
  EXPECT_EQ(run("recv", {i32(conn), i32(8), i32(1), i32(4), i32(16), i32(20)}), Errno::Inval);

  std::memcpy(m + 100, "pong", 4);
  iov[1] = 4;
  std::memcpy(m + 8, iov, 8);
  EXPECT_EQ(run("send", {i32(conn), i32(8), i32(1), i32(0), i32(16)}), Errno::Success);
  EXPECT_EQ(run("send", {i32(conn), i32(8), i32(1), i32(1), i32(16)}), Errno::Inval);
  char reply[8] = {};
  ASSERT_EQ(read(client, reply, sizeof reply), 4);
  EXPECT_STREQ(reply, "pong");

  EXPECT_EQ(run("shutdown", {i32(conn), i32(0)}), Errno::Inval);
  EXPECT_EQ(run("shutdown", {i32(conn), i32(2)}), Errno::Success);  // SHUT_WR: the client reads EOF
  EXPECT_EQ(read(client, reply, sizeof reply), 0);
  EXPECT_EQ(run("shutdown", {i32(99), i32(3)}), Errno::Badf);
  close(client);
}

}  // namespace
}  // namespace kiln::wasi
