// The standard's vectors (wasm_X_vec_t): arrays allocated with malloc, owning
// their elements. `new` takes the elements it is given (copying the array), `copy`
// copies the elements as well, `delete` releases the elements and the array.
#include <cstdlib>
#include <cstring>

#include "capi/capi.h"

namespace {

template <class Vec, class T>
void vec_allocate(Vec* out, size_t size) {
  out->size = size;
  // Zeroed, so that deleting a vector whose elements were never set is safe.
  out->data = size ? static_cast<T*>(std::calloc(size, sizeof(T))) : nullptr;
  if (size && !out->data) out->size = 0;
}

template <class Vec, class T>
void vec_new(Vec* out, size_t size, T const data[]) {
  vec_allocate<Vec, T>(out, size);
  if (out->size) std::memcpy(static_cast<void*>(out->data), data, size * sizeof(T));
}

template <class Vec, class T, class Copy>
void vec_copy(Vec* out, const Vec* from, Copy copy) {
  vec_allocate<Vec, T>(out, from->size);
  for (size_t i = 0; i < out->size; ++i) out->data[i] = copy(from->data[i]);
}

template <class Vec, class Release>
void vec_delete(Vec* vec, Release release) {
  for (size_t i = 0; i < vec->size; ++i) release(vec->data[i]);
  std::free(vec->data);
  vec->size = 0;
  vec->data = nullptr;
}

}  // namespace

// Vectors of plain values (bytes) and of values owning their references.
extern "C" {

void wasm_byte_vec_new_empty(wasm_byte_vec_t* out) { vec_allocate<wasm_byte_vec_t, wasm_byte_t>(out, 0); }
void wasm_byte_vec_new_uninitialized(wasm_byte_vec_t* out, size_t size) {
  vec_allocate<wasm_byte_vec_t, wasm_byte_t>(out, size);
}
void wasm_byte_vec_new(wasm_byte_vec_t* out, size_t size, const wasm_byte_t data[]) { vec_new(out, size, data); }
void wasm_byte_vec_copy(wasm_byte_vec_t* out, const wasm_byte_vec_t* from) {
  vec_copy<wasm_byte_vec_t, wasm_byte_t>(out, from, [](wasm_byte_t b) { return b; });
}
void wasm_byte_vec_delete(wasm_byte_vec_t* vec) {
  vec_delete(vec, [](wasm_byte_t) {});
}

void wasm_val_vec_new_empty(wasm_val_vec_t* out) { vec_allocate<wasm_val_vec_t, wasm_val_t>(out, 0); }
void wasm_val_vec_new_uninitialized(wasm_val_vec_t* out, size_t size) {
  vec_allocate<wasm_val_vec_t, wasm_val_t>(out, size);
}
void wasm_val_vec_new(wasm_val_vec_t* out, size_t size, const wasm_val_t data[]) { vec_new(out, size, data); }
void wasm_val_vec_copy(wasm_val_vec_t* out, const wasm_val_vec_t* from) {
  vec_copy<wasm_val_vec_t, wasm_val_t>(out, from, [](const wasm_val_t& v) {
    wasm_val_t copy;
    wasm_val_copy(&copy, &v);
    return copy;
  });
}
void wasm_val_vec_delete(wasm_val_vec_t* vec) {
  vec_delete(vec, [](wasm_val_t& v) { wasm_val_delete(&v); });
}

}  // extern "C"

// Vectors of owned pointers: copying an element uses wasm_X_copy, releasing it
// wasm_X_delete.
#define KILN_CAPI_POINTER_VEC(name)                                                              \
  extern "C" void wasm_##name##_vec_new_empty(wasm_##name##_vec_t* out) {                        \
    vec_allocate<wasm_##name##_vec_t, wasm_##name##_t*>(out, 0);                                 \
  }                                                                                              \
  extern "C" void wasm_##name##_vec_new_uninitialized(wasm_##name##_vec_t* out, size_t size) {   \
    vec_allocate<wasm_##name##_vec_t, wasm_##name##_t*>(out, size);                              \
  }                                                                                              \
  extern "C" void wasm_##name##_vec_new(wasm_##name##_vec_t* out, size_t size,                   \
                                        wasm_##name##_t* const data[]) {                         \
    vec_new(out, size, data);                                                                    \
  }                                                                                              \
  extern "C" void wasm_##name##_vec_copy(wasm_##name##_vec_t* out, const wasm_##name##_vec_t* from) { \
    vec_copy<wasm_##name##_vec_t, wasm_##name##_t*>(                                             \
        out, from, [](wasm_##name##_t* e) { return e ? wasm_##name##_copy(e) : nullptr; });      \
  }                                                                                              \
  extern "C" void wasm_##name##_vec_delete(wasm_##name##_vec_t* vec) {                           \
    vec_delete(vec, [](wasm_##name##_t* e) {                                                     \
      if (e) wasm_##name##_delete(e);                                                            \
    });                                                                                          \
  }

KILN_CAPI_POINTER_VEC(valtype)
KILN_CAPI_POINTER_VEC(functype)
KILN_CAPI_POINTER_VEC(globaltype)
KILN_CAPI_POINTER_VEC(tabletype)
KILN_CAPI_POINTER_VEC(memorytype)
KILN_CAPI_POINTER_VEC(externtype)
KILN_CAPI_POINTER_VEC(importtype)
KILN_CAPI_POINTER_VEC(exporttype)
KILN_CAPI_POINTER_VEC(frame)
KILN_CAPI_POINTER_VEC(extern)
