# Thin wrapper around CMake. `make demo` and `make test` work on a fresh Debian
# machine: they install what is missing, build, and run.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps build debug demo test unit-test cli-test spec-test simd-test wasi-test limits-test capi-test docs-test differential-test differential-fuzz bench update-spec-expectations clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

debug:
	@$(MAKE) build BUILD_DIR=build-debug BUILD_TYPE=Debug

demo: build
	@echo '$$ kiln run --invoke fac examples/fac.wat 20'
	@$(BUILD_DIR)/kiln run --invoke fac examples/fac.wat 20
	@examples/imagefilter/demo.sh $(BUILD_DIR)/kiln $(BUILD_DIR)

test: build unit-test cli-test spec-test simd-test wasi-test limits-test capi-test docs-test mutation-test differential-test sanitize-test

unit-test: build
	@$(BUILD_DIR)/kiln_unit_tests --gtest_brief=1

# The kiln command as a new user meets it: files that are not modules, features
# Kiln lacks, --version and help, Wasmtime's -W/-S/--preload command lines.
cli-test: build
	@tests/cli/run.sh $(BUILD_DIR)/kiln $(BUILD_DIR)

# Both suites on each tier, each against its own expectations.
spec-test: build
	@tests/spec/run.sh $(BUILD_DIR)/kiln --tier interp
	@tests/spec/run.sh $(BUILD_DIR)/kiln --tier llvm

simd-test: build
	@tests/simd/run.sh $(BUILD_DIR)/kiln $(BUILD_DIR)

# C programs built for wasm32-wasi, run under kiln (and Node's node:wasi as the
# reference): ours, then third-party ones from Debian source packages.
wasi-test: build
	@tests/wasi/run.sh $(BUILD_DIR)/kiln $(BUILD_DIR)
	@tests/wasi/thirdparty.sh $(BUILD_DIR)/kiln $(BUILD_DIR)

# Fuel, timeout, stack and memory limits end hostile programs cleanly.
limits-test: build
	@tests/limits/run.sh $(BUILD_DIR)/kiln $(BUILD_DIR)

# The standard C API (wasm.h) and the install tree: Kiln installed into a
# prefix, C programs built with pkg-config against it (also under ASan/LSan),
# examples/embed built with find_package(Kiln).
capi-test: build
	@tests/capi/run.sh $(BUILD_DIR)

# Every C/C++ block in docs/*.md must be a file (or region) of examples/docs/
# as it is; each example is built against the installed library and run.
docs-test: build
	@tests/docs/run.sh $(BUILD_DIR)

# Thousands of randomly mutated spec-test modules: each is rejected or runs to a
# clean end (under fuel and memory limits); `timeout` turns a hang into a failure.
SPEC_SCRIPTS = ../shared/wasm-testsuite-2.0/*.wast ../shared/wasm-testsuite/*.wast
mutation-test: build
	@timeout 600 $(BUILD_DIR)/kiln_mutation_test --iterations 20000 --seed $$(date +%j) $(SPEC_SCRIPTS)
	@timeout 300 $(BUILD_DIR)/kiln_mutation_test --replay tests/fuzz-regressions

# The interpreter against the LLVM tier: the differences found so far, then
# modules made by Binaryen's translate-to-fuzz mode (wasm-opt -ttf), each run on
# both tiers, without and with fuel, comparing imports called, results, traps,
# backtraces, fuel and the final memories, globals and tables. A difference
# keeps its module in $(BUILD_DIR)/differential-findings (minimize it with
# wasm-reduce and keep it in tests/differential/ once fixed). `make
# differential-fuzz DIFF_TIME=3600` runs it for longer.
differential-test: build
	@timeout 300 $(BUILD_DIR)/kiln_differential_test tests/differential/*.wasm
	@timeout 600 $(BUILD_DIR)/kiln_differential_test --generate --modules 300 --seed $$(date +%j) \
	  --findings $(BUILD_DIR)/differential-findings
DIFF_TIME ?= 3600
differential-fuzz: build
	@$(BUILD_DIR)/kiln_differential_test --generate --seconds $(DIFF_TIME) --seed $$(date +%s) \
	  --findings $(BUILD_DIR)/differential-findings

# The unit tests, the 2.0 spec suite and the mutation test again, built with
# AddressSanitizer and UndefinedBehaviorSanitizer (in build-asan), and with the
# portable SIMD code (no x86 intrinsics), so both SIMD paths pass the suite.
# kiln-llvm is built there too: the unit tests and a short differential test
# run the LLVM tier's code under the sanitizers (the spec suite runs on the
# interpreter only, to save time).
SANITIZE_DIR ?= build-asan
sanitize-test: deps
	@cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKILN_SANITIZE=ON \
	  -DKILN_PORTABLE_SIMD=ON -DKILN_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(SANITIZE_DIR) -j $(JOBS) --target kiln kiln-llvm kiln_unit_tests kiln_mutation_test \
	  kiln_differential_test
	@$(SANITIZE_DIR)/kiln_unit_tests --gtest_brief=1
	@timeout 600 $(SANITIZE_DIR)/kiln_differential_test --generate --modules 40 --seed $$(date +%j) \
	  --ignore-fault-offsets --findings $(SANITIZE_DIR)/differential-findings
	@tests/spec/run.sh $(SANITIZE_DIR)/kiln
	@timeout 600 $(SANITIZE_DIR)/kiln_mutation_test --iterations 5000 --seed $$(date +%j) $(SPEC_SCRIPTS)
	@timeout 300 $(SANITIZE_DIR)/kiln_mutation_test --replay tests/fuzz-regressions

# libFuzzer targets (Clang, in build-fuzz), seeded from the spec tests: the
# decoder+validator, the WAT parser, and decode+instantiate+run with fuel. Each
# runs FUZZ_TIME seconds; findings land in build-fuzz/findings (keep each one,
# minimized, in tests/fuzz-regressions/ once fixed).
FUZZ_DIR ?= build-fuzz
FUZZ_TIME ?= 60
fuzz: deps
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKILN_FUZZ=ON -DKILN_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target kiln_fuzz_decode kiln_fuzz_wat kiln_fuzz_run kiln_mutation_test
	@$(FUZZ_DIR)/kiln_mutation_test --dump-corpus $(FUZZ_DIR)/seeds $(SPEC_SCRIPTS) >/dev/null
	@mkdir -p $(FUZZ_DIR)/corpus/decode $(FUZZ_DIR)/corpus/wat $(FUZZ_DIR)/corpus/run $(FUZZ_DIR)/findings
	@for target in decode:binary wat:text run:binary; do \
	  name=$${target%%:*}; seeds=$${target##*:}; \
	  echo "fuzz: $$name for $(FUZZ_TIME)s"; \
	  $(FUZZ_DIR)/kiln_fuzz_$$name -max_total_time=$(FUZZ_TIME) -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
	    -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/findings/$$name- \
	    $(FUZZ_DIR)/corpus/$$name $(FUZZ_DIR)/seeds/$$seeds 2>&1 | grep -E "^(#|Done|stat::number_of_executed_units|==|SUMMARY)" | tail -4 || exit 1; \
	done

# Native vs Kiln vs Node on the programs in bench/ (never part of `make test`);
# pass options with BENCH_FLAGS, e.g. BENCH_FLAGS="--scale 10 -n 1". See docs/benchmarks.md.
bench: build
	@bench/run --build-dir $(BUILD_DIR) $(BENCH_FLAGS)

# Rewrites the checked-in expectations from the current results (say why in the commit).
update-spec-expectations: build
	@tests/spec/run.sh $(BUILD_DIR)/kiln --tier interp --update
	@tests/spec/run.sh $(BUILD_DIR)/kiln --tier llvm --update

clean:
	rm -rf build build-debug build-asan build-fuzz
