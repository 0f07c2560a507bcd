#include "native/artifact.h"

#include <cstring>

#include "base/checksum.h"
#include "base/file.h"
#include "base/version.h"
#include "native/host_cpu.h"
#include "runtime/context.h"

namespace kiln::native {

namespace {

// What native code assumes of the runtime it runs in: the helpers it calls and
// the context layout it addresses. A build that changes either makes older
// artifacts "compiled by another Kiln", even under the same version number.
constexpr uint32_t abi_fingerprint() {
  constexpr const char* helpers =
#define KILN_HELPER_TEXT(name, signature, comment) #name signature
      KILN_NATIVE_HELPERS(KILN_HELPER_TEXT)
#undef KILN_HELPER_TEXT
      ;
  uint32_t h = 2166136261u;  // FNV-1a
  auto mix = [&](uint64_t v) {
    for (int i = 0; i < 8; ++i) h = (h ^ ((v >> (8 * i)) & 0xff)) * 16777619u;
  };
  for (const char* p = helpers; *p; ++p) mix(static_cast<uint8_t>(*p));
  using namespace runtime::offsets;
  for (size_t v : {kContextMemories, kContextGlobals, kContextTables, kContextFunctions, kContextTypeIds,
                   kContextThread, kContextInstance, kMemoryBase, kMemorySize, kTableBase, kTableSize, kThreadFuel,
                   kThreadEpochDeadline, kThreadEpoch, kThreadStackLimit, kThreadCallTop, kThreadCallLimit,
                   kCallRecordSize, kFunctionEntry, kFunctionCode, kFunctionTypeId, kFunctionInstance,
                   kFunctionNative, kFunctionContext})
    mix(v);
  mix(kProtocolVersion);
  mix(kArtifactFormat);
  return h;
}

std::string kiln_build() {
  char abi[16];
  std::snprintf(abi, sizeof abi, "%08x", abi_fingerprint());
  return std::string(KILN_VERSION) + " (native abi " + abi + ")";
}

void write_options(Writer& w, const CompileOptions& o) {
  w.u32(o.features);
  w.u8(o.consume_fuel);
  w.u8(o.epoch_interruption);
  w.u32(o.opt_level);
}

CompileOptions read_options(Reader& r) {
  CompileOptions o;
  o.features = r.u32();
  o.consume_fuel = r.u8();
  o.epoch_interruption = r.u8();
  o.opt_level = r.u32();
  return o;
}

std::vector<uint8_t> encode_chunk(std::span<const uint8_t> object, const std::vector<const CompiledFunction*>& fs) {
  Writer w;
  w.bytes(object);
  w.u32(static_cast<uint32_t>(fs.size()));
  for (const CompiledFunction* f : fs) {
    w.u32(f->defined_index);
    w.u32(f->code_size);
    w.u32(static_cast<uint32_t>(f->offsets.size()));
    for (const OffsetEntry& e : f->offsets) {
      w.u32(e.code_offset);
      w.u32(e.wasm_offset);
    }
  }
  return std::move(w.data());
}

constexpr size_t kHeaderSize = sizeof kArtifactMagic + 4 + 4 + 8;

}  // namespace

bool is_artifact(std::span<const uint8_t> bytes) {
  return bytes.size() >= sizeof kArtifactMagic && std::memcmp(bytes.data(), kArtifactMagic, sizeof kArtifactMagic) == 0;
}

Identity Identity::current(const CompileOptions& options) {
  static const std::string build = kiln_build();
  static const std::string cpu = host_cpu();
  Identity id;
  id.kiln_version = build;
  id.cpu = cpu;
  id.options = options;
  id.options.threads = 0;  // how it was compiled, not what
  return id;
}

std::vector<uint8_t> Artifact::write(const Identity& identity, std::span<const uint8_t> wasm,
                                     const std::vector<uint32_t>& declared_funcs, const CompileResponse& response) {
  // The chunks first: the index records where each lands.
  std::vector<std::vector<const CompiledFunction*>> by_object(response.objects.size());
  for (const CompiledFunction& f : response.compiled)
    if (f.object < by_object.size()) by_object[f.object].push_back(&f);
  std::vector<std::vector<uint8_t>> chunks;
  for (size_t i = 0; i < response.objects.size(); ++i) chunks.push_back(encode_chunk(response.objects[i], by_object[i]));

  uint32_t function_count = 0;
  for (const CompiledFunction& f : response.compiled) function_count = std::max(function_count, f.defined_index + 1);
  for (const NotCompiled& n : response.not_compiled) function_count = std::max(function_count, n.defined_index + 1);
  std::vector<uint32_t> function_chunk(function_count, kNotCompiled);
  std::vector<std::string> reasons(function_count);
  for (const CompiledFunction& f : response.compiled) function_chunk[f.defined_index] = f.object;
  for (const NotCompiled& n : response.not_compiled) reasons[n.defined_index] = n.reason;

  // Offsets in the file: the index's size depends only on counts and strings,
  // so encode it once with placeholders to learn where the payload starts.
  auto encode_index = [&](uint64_t payload_start) {
    Writer w;
    w.string(identity.kiln_version);
    w.string(identity.cpu);
    write_options(w, identity.options);
    uint64_t at = payload_start;
    w.u64(at);
    w.u64(wasm.size());
    w.u32(crc32c(wasm));
    at += wasm.size();
    w.u32(static_cast<uint32_t>(declared_funcs.size()));
    for (uint32_t f : declared_funcs) w.u32(f);
    w.u32(static_cast<uint32_t>(chunks.size()));
    for (const std::vector<uint8_t>& c : chunks) {
      w.u64(at);
      w.u64(c.size());
      w.u32(crc32c(c));
      at += c.size();
    }
    w.u32(function_count);
    for (uint32_t f = 0; f < function_count; ++f) {
      w.u32(function_chunk[f]);
      if (function_chunk[f] == kNotCompiled) w.string(reasons[f]);
    }
    return std::move(w.data());
  };
  size_t index_size = encode_index(0).size();
  std::vector<uint8_t> index = encode_index(kHeaderSize + index_size);

  Writer out;
  for (char c : kArtifactMagic) out.u8(static_cast<uint8_t>(c));
  out.u32(kArtifactFormat);
  out.u32(crc32c(index));
  out.u64(index.size());
  std::vector<uint8_t>& bytes = out.data();
  bytes.insert(bytes.end(), index.begin(), index.end());
  bytes.insert(bytes.end(), wasm.begin(), wasm.end());
  for (const std::vector<uint8_t>& c : chunks) bytes.insert(bytes.end(), c.begin(), c.end());
  return std::move(bytes);
}

Expected<std::shared_ptr<const Artifact>> Artifact::open(std::shared_ptr<const void> owner,
                                                         std::span<const uint8_t> bytes, const std::string& name,
                                                         ModuleCheck check) {
  auto damaged = [&](const std::string& why) {
    return Error(ErrorKind::Malformed, name + " is a damaged compiled module (" + why + "); compile it again");
  };
  if (!is_artifact(bytes)) return Error(ErrorKind::Malformed, name + " is not a compiled module (.kwasm)");
  if (bytes.size() < kHeaderSize) return damaged("truncated header");
  Reader header(bytes.subspan(sizeof kArtifactMagic, kHeaderSize - sizeof kArtifactMagic));
  uint32_t format = header.u32();
  uint32_t index_crc = header.u32();
  uint64_t index_size = header.u64();
  if (format != kArtifactFormat)
    return Error(ErrorKind::Unsupported, name + " was compiled by a Kiln with another artifact format (" +
                                             std::to_string(format) + "; this one reads " +
                                             std::to_string(kArtifactFormat) + "); compile it again");
  if (index_size > bytes.size() - kHeaderSize) return damaged("truncated index");
  std::span<const uint8_t> index = bytes.subspan(kHeaderSize, index_size);
  if (crc32c(index) != index_crc) return damaged("index checksum mismatch");

  std::shared_ptr<Artifact> a(new Artifact());
  a->owner_ = std::move(owner);
  a->bytes_ = bytes;
  a->name_ = name;
  Reader r(index);
  a->identity_.kiln_version = r.string();
  a->identity_.cpu = r.string();
  a->identity_.options = read_options(r);
  auto read_range = [&]() {
    Range range;
    range.offset = r.u64();
    range.size = r.u64();
    range.crc = r.u32();
    return range;
  };
  auto in_file = [&](const Range& range) {
    return range.offset <= bytes.size() && range.size <= bytes.size() - range.offset;
  };
  Range wasm = read_range();
  uint32_t declared = r.u32();
  if (!r.ok() || declared > index.size()) return damaged("bad index");
  for (uint32_t i = 0; i < declared && r.ok(); ++i) a->declared_funcs_.push_back(r.u32());
  uint32_t chunks = r.u32();
  if (!r.ok() || chunks > index.size()) return damaged("bad index");
  for (uint32_t i = 0; i < chunks && r.ok(); ++i) a->chunks_.push_back(read_range());
  uint32_t functions = r.u32();
  if (!r.ok() || functions > index.size()) return damaged("bad index");
  a->functions_.resize(functions);
  a->reasons_.resize(functions);
  for (uint32_t f = 0; f < functions && r.ok(); ++f) {
    a->functions_[f] = r.u32();
    if (a->functions_[f] == kNotCompiled) a->reasons_[f] = r.string();
    else if (a->functions_[f] >= chunks) return damaged("bad index");
  }
  if (!r.ok() || !r.at_end()) return damaged("bad index");
  if (!in_file(wasm)) return damaged("truncated");
  for (const Range& c : a->chunks_)
    if (!in_file(c)) return damaged("truncated");
  a->wasm_ = bytes.subspan(wasm.offset, wasm.size);
  if (check == ModuleCheck::Checksum) {
    prefault(a->wasm_);  // read in full now, and decoded next
    if (crc32c(a->wasm_) != wasm.crc) return damaged("module checksum mismatch");
  }
  return std::shared_ptr<const Artifact>(std::move(a));
}

Expected<void> Artifact::check_identity(const Identity& expected) const {
  auto refuse = [&](const std::string& why) {
    return Error(ErrorKind::Unsupported, name_ + " " + why + "; compile it again (kiln compile)");
  };
  if (identity_.kiln_version != expected.kiln_version)
    return refuse("was compiled by kiln " + identity_.kiln_version + ", not by this kiln " + expected.kiln_version);
  if (identity_.cpu != expected.cpu)
    return refuse("was compiled for another processor (" + cpu_name(identity_.cpu) + ", or one with other features" +
                  ") than this " + cpu_name(expected.cpu));
  const CompileOptions &have = identity_.options, &want = expected.options;
  if (have.consume_fuel && !want.consume_fuel)
    return Error(ErrorKind::Unsupported, name_ + " was compiled with fuel metering: run it with --fuel, or compile "
                                                 "it without --consume-fuel");
  if (!have.consume_fuel && want.consume_fuel)
    return Error(ErrorKind::Unsupported, name_ + " was compiled without fuel metering, which --fuel needs: compile "
                                                 "it with kiln compile --consume-fuel");
  if (have.epoch_interruption && !want.epoch_interruption)
    return Error(ErrorKind::Unsupported, name_ + " was compiled with epoch interruption: run it with --timeout, or "
                                                 "compile it without --epoch-interruption");
  if (!have.epoch_interruption && want.epoch_interruption)
    return Error(ErrorKind::Unsupported, name_ + " was compiled without epoch interruption, which --timeout needs: "
                                                 "compile it with kiln compile --epoch-interruption");
  if (have.features != want.features)
    return refuse("was compiled for another set of WebAssembly features (--wasm2 or not)");
  return {};
}

std::variant<uint32_t, std::string> Artifact::function(uint32_t defined_index) const {
  if (defined_index >= functions_.size()) return std::string("it is not in the compiled module");
  if (functions_[defined_index] == kNotCompiled) return reasons_[defined_index];
  return functions_[defined_index];
}

Expected<void> Artifact::verify_chunks() const {
  for (uint32_t i = 0; i < chunks_.size(); ++i)
    if (crc32c(bytes_.subspan(chunks_[i].offset, chunks_[i].size)) != chunks_[i].crc)
      return Error(ErrorKind::Malformed, name_ + " is a damaged compiled module (chunk " + std::to_string(i) +
                                             ": checksum mismatch); compile it again");
  return {};
}

Expected<Chunk> Artifact::chunk(uint32_t index) const {
  auto damaged = [&](const std::string& why) {
    return Error(ErrorKind::Malformed, name_ + " is a damaged compiled module (chunk " + std::to_string(index) + ": " +
                                           why + "); compile it again");
  };
  if (index >= chunks_.size()) return damaged("no such chunk");
  const Range& range = chunks_[index];
  std::span<const uint8_t> bytes = bytes_.subspan(range.offset, range.size);
  prefault(bytes);  // read in full now, and copied next
  if (crc32c(bytes) != range.crc) return damaged("checksum mismatch");
  Reader r(bytes);
  Chunk chunk;
  chunk.object = r.bytes();
  uint32_t n = r.u32();
  if (!r.ok() || n > bytes.size()) return damaged("bad contents");
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    CompiledFunction f;
    f.defined_index = r.u32();
    f.code_size = r.u32();
    uint32_t entries = r.u32();
    if (!r.ok() || entries > bytes.size()) return damaged("bad contents");
    f.offsets.reserve(entries);
    for (uint32_t k = 0; k < entries && r.ok(); ++k) f.offsets.push_back({r.u32(), r.u32()});
    chunk.functions.push_back(std::move(f));
  }
  if (!r.ok() || !r.at_end()) return damaged("bad contents");
  return chunk;
}

}  // namespace kiln::native
