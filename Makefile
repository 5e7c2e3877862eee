# kafkars — build, test, demo, bench, install.
#   make build      release library: build/lib/libkafkars.so (+ .a), header in include/
#   make compat     build/compat/librdkafka.so.1 -> libkafkars.so (for LD_LIBRARY_PATH)
#   make demo       start a mock cluster, produce through libkafkars, print what happened
#   make test       every test suite (installs what it needs: see tests/setup.sh)
#   make lint       structure and style: layers, formatting, clippy (also part of make test)
#   make python     the Python package: build/wheels/kafkars-*.whl, installed in build/pyenv
#   make bench      the same C benchmark on libkafkars and on librdkafka, with ratios
#   make install PREFIX=/usr/local [COMPAT=1]
PREFIX ?= /usr/local
CARGO ?= cargo
PYTHON ?= python3
CC ?= gcc
BUILD := build
LIBDIR := $(BUILD)/lib
RLIB := target/release/libkafkars.a
NATIVE_LIBS := -lssl -lcrypto -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
CFLAGS ?= -O2 -g -Wall -Wextra -Wno-unused-parameter
# C programs build against librdkafka's header (Debian's), proving source compatibility.
RDKAFKA_CFLAGS := -I/usr/include

.PHONY: all build compat demo test test-rust test-c test-setup bench install clean header-check lint python

all: build

build: $(LIBDIR)/libkafkars.so

$(RLIB): $(shell find src macros/src -type f) build.rs Cargo.toml macros/Cargo.toml
	$(CARGO) build --release
	@touch $(RLIB)

# Link the shared library ourselves: rustc's cdylib hides the C shim's variadic
# functions (rd_kafka_producev); this version script exports exactly rd_kafka_*.
$(LIBDIR)/libkafkars.so: $(RLIB) src/kafkars.map
	@mkdir -p $(LIBDIR)
	cp $(RLIB) $(LIBDIR)/libkafkars.a
	$(CC) -shared -o $@ -Wl,-soname,libkafkars.so -Wl,--version-script=src/kafkars.map \
	  -Wl,--whole-archive $(RLIB) -Wl,--no-whole-archive -Wl,--gc-sections $(NATIVE_LIBS)

compat: build
	@mkdir -p $(BUILD)/compat
	ln -sf ../lib/libkafkars.so $(BUILD)/compat/librdkafka.so.1
	ln -sf ../lib/libkafkars.so $(BUILD)/compat/librdkafka.so
	@echo "use: LD_LIBRARY_PATH=$(abspath $(BUILD)/compat) <program linked with librdkafka>"

$(BUILD)/bin/%: examples/%.c
	@mkdir -p $(BUILD)/bin
	$(CC) $(CFLAGS) $(RDKAFKA_CFLAGS) -o $@ $< -lrdkafka

# examples/admin.c needs librdkafka >= 2.10's Admin API, newer than Debian's header (2.0.2):
# it builds against ours and links with libkafkars (tests/c/run.sh also runs it on genuine).
$(BUILD)/bin/admin: examples/admin.c
	@mkdir -p $(BUILD)/bin
	$(CC) $(CFLAGS) -Iinclude -o $@ $< -L$(LIBDIR) -lkafkars -Wl,-rpath,'$$ORIGIN/../lib'

$(BUILD)/bin/%: tests/c/%.c tests/c/testutil.h
	@mkdir -p $(BUILD)/bin
	$(CC) $(CFLAGS) $(RDKAFKA_CFLAGS) -o $@ $< -lrdkafka -lpthread

test-setup:
	@bash tests/setup.sh

python: test-setup
	@bash bindings/python/build.sh

demo: test-setup compat $(BUILD)/bin/producer $(BUILD)/bin/group_consumer $(BUILD)/bin/consumer
	@bash tests/demo.sh

header-check: build
	@git diff --quiet -- include/kafkars.h || { echo "include/kafkars.h is stale: commit the regenerated header"; git diff --stat -- include/kafkars.h; exit 1; }

test: test-setup header-check compat python
	@bash tests/run_all.sh

lint:
	$(PYTHON) tests/check_layers.py --quiet
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

bench: test-setup compat python
	@bash tests/bench/run.sh
	@[ "$${BENCH_INSTR:-1}" = 0 ] || bash tests/bench/instr.sh
	@[ "$${BENCH_SCALE:-1}" = 0 ] || bash tests/bench/scale.sh

install: build
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/kafkars $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 0755 $(LIBDIR)/libkafkars.so $(DESTDIR)$(PREFIX)/lib/
	install -m 0644 $(LIBDIR)/libkafkars.a $(DESTDIR)$(PREFIX)/lib/
	install -m 0644 include/kafkars.h $(DESTDIR)$(PREFIX)/include/kafkars/
	sed -e 's|@PREFIX@|$(PREFIX)|g' kafkars.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/kafkars.pc
	if [ -n "$(COMPAT)" ]; then install -d $(DESTDIR)$(PREFIX)/lib/kafkars-compat && \
	  ln -sf ../libkafkars.so $(DESTDIR)$(PREFIX)/lib/kafkars-compat/librdkafka.so.1; fi

clean:
	$(CARGO) clean
	rm -rf $(BUILD)
