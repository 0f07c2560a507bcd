// The C API's last error (kiln_last_error_message in wasm.h): why the last
// fallible call on this thread failed, and what a C API function does with an
// exception instead of letting it escape into C.
#include <new>
#include <optional>

#include "capi/capi.h"

using namespace kiln;

namespace {

thread_local std::optional<Error> last_error;

// "out of memory" fits std::string's inline buffer, so recording it allocates nothing.
constexpr const char* kOutOfMemory = "out of memory";

}  // namespace

namespace kiln::capi {

void set_last_error(Error error) noexcept { last_error = std::move(error); }

void clear_last_error() noexcept { last_error.reset(); }

void set_last_error_from_exception() noexcept {
  try {
    try {
      throw;
    } catch (const std::bad_alloc&) {
      last_error.emplace(ErrorKind::Resource, kOutOfMemory);
    } catch (const std::exception& e) {  // nothing else is thrown on purpose (a length_error, say)
      last_error.emplace(ErrorKind::Resource, std::string("C++ exception: ") + e.what());
    } catch (...) {
      last_error.emplace(ErrorKind::Resource, "unknown C++ exception");
    }
  } catch (...) {  // recording it needed memory
    last_error.emplace(ErrorKind::Resource, kOutOfMemory);
  }
}

wasm_trap_t* trap_from_last_error(wasm_store_t* store) noexcept {
  return make_trap(store, last_error.value_or(Error(ErrorKind::Resource, kOutOfMemory)));
}

}  // namespace kiln::capi

extern "C" bool kiln_last_error_message(wasm_message_t* out) try {
  out->size = 0;
  out->data = nullptr;
  if (!last_error) return false;
  std::string text = last_error->to_string();
  wasm_byte_vec_new(out, text.size() + 1, text.c_str());
  return out->data != nullptr;
}
KILN_CAPI_CATCH(false)
