# Thin wrapper around CMake. `make demo` and `make test` work on a fresh Debian
# machine: they install what is missing, build, and run.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps build debug demo test unit-test spec-test simd-test wasi-test limits-test capi-test bench update-spec-expectations clean

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

test: build unit-test spec-test simd-test wasi-test limits-test capi-test

unit-test: build
	@$(BUILD_DIR)/kiln_unit_tests --gtest_brief=1

spec-test: build
	@tests/spec/run.sh $(BUILD_DIR)/kiln

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

# Native vs Kiln vs Node on the programs in bench/ (never part of `make test`);
# pass options with BENCH_FLAGS, e.g. BENCH_FLAGS="--scale 10 -n 1". See docs/benchmarks.md.
bench: build
	@bench/run --build-dir $(BUILD_DIR) $(BENCH_FLAGS)

# Rewrites the checked-in expectations from the current results (say why in the commit).
update-spec-expectations: build
	@tests/spec/run.sh $(BUILD_DIR)/kiln --update

clean:
	rm -rf build build-debug build-asan
