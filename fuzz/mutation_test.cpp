// The mutation test: every module of the spec test scripts, randomly mutated
// thousands of times, must be rejected or run to a clean end (a result or a
// trap) under fuel and memory limits. A crash or a sanitizer report fails it;
// so does a hang (make test runs it under `timeout`).
//
//   kiln_mutation_test [--iterations N] [--seed S] SCRIPT.wast...
//   kiln_mutation_test --dump-corpus DIR SCRIPT.wast...   (fuzzer seed corpora)
//   kiln_mutation_test --replay DIR   (every fuzzer finding kept as a regression:
//                                      *.wasm through the decoder and the run
//                                      harness, *.wat through the text parser)
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/harness.h"
#include "text/wast.h"

namespace {

using Bytes = std::vector<uint8_t>;

struct Corpus {
  std::vector<Bytes> binaries;
  std::vector<std::string> texts;
};

void collect(const std::string& path, Corpus& corpus) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  kiln::Expected<kiln::text::Script> script = kiln::text::parse_wast(buffer.str());
  if (!script) return;
  for (const kiln::text::ScriptCommand& command : script->commands) {
    if (!command.module) continue;
    if (command.module->form == kiln::text::ScriptModule::Form::Text) corpus.texts.push_back(command.module->text);
    kiln::Expected<Bytes> bytes = command.module->to_binary();
    if (bytes) corpus.binaries.push_back(std::move(*bytes));
  }
}

// One random edit of the kinds that find decoder bugs: byte flips, interesting
// values (LEB continuation bits, sign bits), insertions, deletions, duplicated
// and truncated ranges.
void mutate_once(Bytes& b, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return n ? static_cast<size_t>(rng() % n) : 0; };
  static const uint8_t kInteresting[] = {0x00, 0x01, 0x7f, 0x80, 0xff, 0x40, 0x41, 0x0b, 0x60, 0x70, 0x6f};
  switch (rng() % 7) {
    case 0: if (!b.empty()) b[pick(b.size())] ^= static_cast<uint8_t>(1u << (rng() % 8)); break;
    case 1: if (!b.empty()) b[pick(b.size())] = kInteresting[pick(sizeof kInteresting)]; break;
    case 2: b.insert(b.begin() + pick(b.size() + 1), static_cast<uint8_t>(rng())); break;
    case 3: if (!b.empty()) b.erase(b.begin() + pick(b.size())); break;
    case 4: if (!b.empty()) b[pick(b.size())] = static_cast<uint8_t>(rng()); break;
    case 5: {
      if (b.size() < 2) break;
      size_t from = pick(b.size()), len = 1 + pick(std::min<size_t>(16, b.size() - from));
      Bytes chunk(b.begin() + from, b.begin() + from + len);
      b.insert(b.begin() + pick(b.size() + 1), chunk.begin(), chunk.end());
      break;
    }
    default: if (b.size() > 8) b.resize(8 + pick(b.size() - 8)); break;
  }
}

int replay(const std::string& dir) {
  size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string path = entry.path().string();
    std::ifstream in(path, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto* bytes = reinterpret_cast<const uint8_t*>(data.data());
    if (entry.path().extension() == ".wasm") {
      kiln::fuzz::validate_binary(bytes, data.size());
      kiln::fuzz::run_binary(bytes, data.size());
    } else if (entry.path().extension() == ".wat") {
      kiln::fuzz::run_text(data);
    } else {
      continue;
    }
    ++count;
  }
  std::printf("fuzz-regressions: %zu inputs replayed; no crash, no hang\n", count);
  return 0;
}

int dump_corpus(const std::string& dir, const Corpus& corpus) {
  std::filesystem::create_directories(dir + "/binary");
  std::filesystem::create_directories(dir + "/text");
  for (size_t i = 0; i < corpus.binaries.size(); ++i) {
    std::ofstream out(dir + "/binary/" + std::to_string(i) + ".wasm", std::ios::binary);
    out.write(reinterpret_cast<const char*>(corpus.binaries[i].data()), corpus.binaries[i].size());
  }
  for (size_t i = 0; i < corpus.texts.size(); ++i) std::ofstream(dir + "/text/" + std::to_string(i) + ".wat") << corpus.texts[i];
  std::printf("corpus: %zu binaries, %zu texts in %s\n", corpus.binaries.size(), corpus.texts.size(), dir.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t iterations = 5000, seed = 1;
  std::string corpus_dir;
  Corpus corpus;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--iterations" && i + 1 < argc) iterations = std::stoull(argv[++i]);
    else if (arg == "--seed" && i + 1 < argc) seed = std::stoull(argv[++i]);
    else if (arg == "--dump-corpus" && i + 1 < argc) corpus_dir = argv[++i];
    else if (arg == "--replay" && i + 1 < argc) return replay(argv[++i]);
    else collect(arg, corpus);
  }
  if (!corpus_dir.empty()) return dump_corpus(corpus_dir, corpus);
  if (corpus.binaries.empty()) {
    std::fprintf(stderr, "mutation-test: no modules found\n");
    return 1;
  }
  std::mt19937_64 rng(seed);
  uint64_t counts[4] = {};
  for (uint64_t i = 0; i < iterations; ++i) {
    Bytes b = corpus.binaries[rng() % corpus.binaries.size()];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) mutate_once(b, rng);
    ++counts[static_cast<int>(kiln::fuzz::run_binary(b.data(), b.size()))];
  }
  std::printf("mutation-test: %llu mutated modules from %zu originals (seed %llu): %llu rejected, %llu unlinkable, "
              "%llu ran, %llu trapped; no crash, no hang\n",
              static_cast<unsigned long long>(iterations), corpus.binaries.size(), static_cast<unsigned long long>(seed),
              static_cast<unsigned long long>(counts[0]), static_cast<unsigned long long>(counts[1]),
              static_cast<unsigned long long>(counts[2]), static_cast<unsigned long long>(counts[3]));
  return 0;
}
