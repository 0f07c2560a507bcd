#include "native/loader.h"

#include <elf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "runtime/guard.h"

namespace kiln::native {

namespace {

Error malformed(const std::string& why) { return Error(ErrorKind::Malformed, "native object: " + why); }

size_t round_up(size_t value, size_t alignment) { return alignment ? (value + alignment - 1) / alignment * alignment : value; }

// Where each allocated section goes: executable ones first, then read-only,
// then writable, each group starting on its own page.
enum Group { kCode, kReadOnly, kWritable, kGroups };

Group group_of(const Elf64_Shdr& s) {
  if (s.sh_flags & SHF_EXECINSTR) return kCode;
  if (s.sh_flags & SHF_WRITE) return kWritable;
  return kReadOnly;
}

}  // namespace

Expected<LoadedObject> LoadedObject::load(std::span<const uint8_t> bytes,
                                          const std::function<const void*(std::string_view)>& resolve) {
  if (bytes.size() < sizeof(Elf64_Ehdr)) return malformed("too short");
  Elf64_Ehdr header;
  std::memcpy(&header, bytes.data(), sizeof header);
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64 ||
      header.e_type != ET_REL || header.e_machine != EM_X86_64)
    return malformed("not an x86-64 relocatable object");
  if (header.e_shentsize != sizeof(Elf64_Shdr) || header.e_shoff > bytes.size() ||
      header.e_shnum > (bytes.size() - header.e_shoff) / sizeof(Elf64_Shdr))
    return malformed("bad section table");
  std::vector<Elf64_Shdr> sections(header.e_shnum);
  std::memcpy(sections.data(), bytes.data() + header.e_shoff, sections.size() * sizeof(Elf64_Shdr));
  auto in_file = [&](const Elf64_Shdr& s) {
    return s.sh_type == SHT_NOBITS || (s.sh_offset <= bytes.size() && s.sh_size <= bytes.size() - s.sh_offset);
  };
  for (const Elf64_Shdr& s : sections)
    if (!in_file(s)) return malformed("a section lies outside the file");

  // Lay out the allocated sections.
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  std::vector<size_t> placement(sections.size(), SIZE_MAX);
  size_t group_size[kGroups] = {};
  for (size_t i = 0; i < sections.size(); ++i) {
    const Elf64_Shdr& s = sections[i];
    if (!(s.sh_flags & SHF_ALLOC) || s.sh_size == 0) continue;
    Group g = group_of(s);
    group_size[g] = round_up(group_size[g], std::max<size_t>(s.sh_addralign, 1));
    placement[i] = group_size[g];
    group_size[g] += s.sh_size;
  }
  size_t group_start[kGroups];
  size_t total = 0;
  for (int g = 0; g < kGroups; ++g) {
    group_start[g] = total;
    total += round_up(group_size[g], page);
  }
  if (total == 0) return malformed("no code");
  void* image = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (image == MAP_FAILED) return Error(ErrorKind::Resource, "out of memory for native code");
  LoadedObject loaded;
  loaded.image_ = static_cast<uint8_t*>(image);
  loaded.image_size_ = total;
  loaded.code_ = loaded.image_ + group_start[kCode];
  loaded.code_size_ = group_size[kCode];
  std::vector<uint8_t*> address(sections.size(), nullptr);
  for (size_t i = 0; i < sections.size(); ++i) {
    if (placement[i] == SIZE_MAX) continue;
    address[i] = loaded.image_ + group_start[group_of(sections[i])] + placement[i];
    if (sections[i].sh_type != SHT_NOBITS) std::memcpy(address[i], bytes.data() + sections[i].sh_offset, sections[i].sh_size);
  }

  // Symbols: the object's own (their section's address plus value) and, for
  // undefined ones, what `resolve` gives.
  const Elf64_Shdr* symtab = nullptr;
  for (const Elf64_Shdr& s : sections)
    if (s.sh_type == SHT_SYMTAB) symtab = &s;
  if (!symtab || symtab->sh_entsize != sizeof(Elf64_Sym) || symtab->sh_link >= sections.size())
    return malformed("no symbol table");
  const Elf64_Shdr& strtab = sections[symtab->sh_link];
  size_t symbol_count = symtab->sh_size / sizeof(Elf64_Sym);
  std::vector<const uint8_t*> symbol_address(symbol_count, nullptr);
  for (size_t i = 1; i < symbol_count; ++i) {
    Elf64_Sym sym;
    std::memcpy(&sym, bytes.data() + symtab->sh_offset + i * sizeof sym, sizeof sym);
    if (sym.st_name >= strtab.sh_size) return malformed("bad symbol name");
    const char* name_start = reinterpret_cast<const char*>(bytes.data() + strtab.sh_offset + sym.st_name);
    std::string name(name_start, strnlen(name_start, strtab.sh_size - sym.st_name));
    if (sym.st_shndx == SHN_UNDEF) {
      if (name.empty()) continue;
      const void* target = resolve(name);
      if (!target) return malformed("unknown symbol " + name);
      symbol_address[i] = static_cast<const uint8_t*>(target);
    } else if (sym.st_shndx == SHN_ABS) {
      symbol_address[i] = reinterpret_cast<const uint8_t*>(sym.st_value);
    } else if (sym.st_shndx < sections.size() && address[sym.st_shndx]) {
      symbol_address[i] = address[sym.st_shndx] + sym.st_value;
      if (!name.empty() && ELF64_ST_TYPE(sym.st_info) == STT_FUNC) loaded.symbols_[name] = symbol_address[i];
    }
  }

  // Relocations of the allocated sections.
  for (const Elf64_Shdr& rela : sections) {
    if (rela.sh_type != SHT_RELA) continue;
    if (rela.sh_info >= sections.size() || !address[rela.sh_info]) continue;  // debug info and the like
    if (rela.sh_entsize != sizeof(Elf64_Rela)) return malformed("bad relocation table");
    uint8_t* target_section = address[rela.sh_info];
    uint64_t target_size = sections[rela.sh_info].sh_size;
    for (size_t k = 0; k < rela.sh_size / sizeof(Elf64_Rela); ++k) {
      Elf64_Rela r;
      std::memcpy(&r, bytes.data() + rela.sh_offset + k * sizeof r, sizeof r);
      uint32_t symbol = ELF64_R_SYM(r.r_info), type = ELF64_R_TYPE(r.r_info);
      if (symbol >= symbol_count || !symbol_address[symbol]) return malformed("relocation against an unknown symbol");
      uint64_t s = reinterpret_cast<uint64_t>(symbol_address[symbol]);
      uint8_t* place = target_section + r.r_offset;
      uint64_t p = reinterpret_cast<uint64_t>(place);
      uint64_t value = s + static_cast<uint64_t>(r.r_addend);
      switch (type) {
        case R_X86_64_64:
          if (r.r_offset + 8 > target_size) return malformed("relocation outside its section");
          std::memcpy(place, &value, 8);
          break;
        case R_X86_64_PC64: {
          if (r.r_offset + 8 > target_size) return malformed("relocation outside its section");
          uint64_t relative = value - p;
          std::memcpy(place, &relative, 8);
          break;
        }
        case R_X86_64_PC32:
        case R_X86_64_PLT32: {
          if (r.r_offset + 4 > target_size) return malformed("relocation outside its section");
          int64_t relative = static_cast<int64_t>(value - p);
          if (relative < INT32_MIN || relative > INT32_MAX) return malformed("a PC-relative reference out of range");
          int32_t v = static_cast<int32_t>(relative);
          std::memcpy(place, &v, 4);
          break;
        }
        default:
          return malformed("relocation type " + std::to_string(type) + " not supported");
      }
    }
  }

  // Code executable, constants read-only.
  if (group_size[kCode] && mprotect(loaded.code_, round_up(group_size[kCode], page), PROT_READ | PROT_EXEC) != 0)
    return Error(ErrorKind::Resource, "cannot make native code executable");
  if (group_size[kReadOnly] &&
      mprotect(loaded.image_ + group_start[kReadOnly], round_up(group_size[kReadOnly], page), PROT_READ) != 0)
    return Error(ErrorKind::Resource, "cannot protect native constants");
  // Its loads and stores may fault in a guard region on purpose.
  if (loaded.code_size_ && !runtime::register_code(loaded.code_, loaded.code_size_))
    return Error(ErrorKind::Resource, "too much native code loaded in this process");
  loaded.registered_ = loaded.code_size_ != 0;
  return loaded;
}

LoadedObject::LoadedObject(LoadedObject&& other) noexcept { *this = std::move(other); }

LoadedObject& LoadedObject::operator=(LoadedObject&& other) noexcept {
  if (this != &other) {
    if (registered_) release_code();
    if (image_) munmap(image_, image_size_);
    image_ = std::exchange(other.image_, nullptr);
    image_size_ = std::exchange(other.image_size_, 0);
    code_ = std::exchange(other.code_, nullptr);
    code_size_ = std::exchange(other.code_size_, 0);
    registered_ = std::exchange(other.registered_, false);
    symbols_ = std::move(other.symbols_);
  }
  return *this;
}

void LoadedObject::release_code() { runtime::unregister_code(code_); }

LoadedObject::~LoadedObject() {
  if (registered_) release_code();
  if (image_) munmap(image_, image_size_);
}

const void* LoadedObject::symbol(const std::string& name) const {
  auto it = symbols_.find(name);
  return it == symbols_.end() ? nullptr : it->second;
}

}  // namespace kiln::native
