// Loads the ELF relocatable objects kiln-llvm produces into executable memory:
// lays out their allocated sections, resolves their symbols (their own, and
// the runtime's helpers by name) and applies their relocations. The code is
// compiled for the large code model with static relocations, so nearly every
// relocation is an absolute address (R_X86_64_64); the few PC-relative ones
// must stay within the image.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/error.h"

namespace kiln::native {

class LoadedObject {
 public:
  // `resolve` gives the address of a symbol the object does not define (null:
  // unknown, and the load fails).
  static Expected<LoadedObject> load(std::span<const uint8_t> object,
                                     const std::function<const void*(std::string_view)>& resolve);
  LoadedObject() = default;
  LoadedObject(LoadedObject&& other) noexcept;
  LoadedObject& operator=(LoadedObject&& other) noexcept;
  ~LoadedObject();

  // A symbol the object defines, or null.
  const void* symbol(const std::string& name) const;
  // The executable part of the image.
  const uint8_t* code_begin() const { return code_; }
  size_t code_size() const { return code_size_; }

 private:
  void release_code();
  uint8_t* image_ = nullptr;
  size_t image_size_ = 0;
  uint8_t* code_ = nullptr;
  size_t code_size_ = 0;
  bool registered_ = false;  // the code is in runtime::register_code's registry
  std::unordered_map<std::string, const void*> symbols_;
};

}  // namespace kiln::native
