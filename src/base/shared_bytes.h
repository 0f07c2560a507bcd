// Read-only bytes with shared ownership: a module's binary is held at once by
// its IR, by background compiles and, for a compiled module (.kwasm), by the
// mapped file it lies in. Sharing instead of copying matters for big modules:
// copying yosys' 30 MB took a third of a compiled `yosys -V`.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace kiln {

class SharedBytes {
 public:
  SharedBytes() = default;
  // Takes the vector over (implicit: a vector is the common way bytes come).
  SharedBytes(std::vector<uint8_t> bytes) {  // NOLINT(google-explicit-constructor)
    auto owned = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
    view_ = std::span<const uint8_t>(*owned);
    owner_ = std::move(owned);
  }
  // `view` inside memory that `owner` keeps alive (a mapped file, say).
  SharedBytes(std::shared_ptr<const void> owner, std::span<const uint8_t> view)
      : owner_(std::move(owner)), view_(view) {}

  const uint8_t* data() const { return view_.data(); }
  size_t size() const { return view_.size(); }
  bool empty() const { return view_.empty(); }
  const uint8_t* begin() const { return view_.data(); }
  const uint8_t* end() const { return view_.data() + view_.size(); }
  uint8_t operator[](size_t i) const { return view_[i]; }
  std::span<const uint8_t> span() const { return view_; }
  operator std::span<const uint8_t>() const { return view_; }  // NOLINT(google-explicit-constructor)

 private:
  std::shared_ptr<const void> owner_;
  std::span<const uint8_t> view_;
};

}  // namespace kiln
