# crmtui and crm-server. Hand-written; see README.md for the two commands.

BUILD    ?= build
PREFIX   ?= /usr/local
CC       ?= cc
PKGS     := ncursesw libcurl libcjson sqlite3 libmicrohttpd
TEST_PKG := cmocka

WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wformat=2 -Wcast-qual -Wwrite-strings -Wundef -Wvla
ifeq ($(WERROR),1)
WARN += -Werror
endif
ifeq ($(SANITIZE),1)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif

DEPS_OK := $(BUILD)/.deps-ok
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS = $(shell pkg-config --libs $(TEST_PKG) 2>/dev/null)

CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I.
# CFLAGS is the user's (optimisation, debug info); the warnings, the
# sanitizers and the dependency files are added apart, so that a CFLAGS given
# on the command line (as `make asan` does) does not drop them.
CFLAGS   ?= -O2 -g
BUILD_CFLAGS = $(CFLAGS) $(WARN) $(SANFLAGS) -MMD -MP
LDFLAGS  += $(SANFLAGS)

CORE_SRC   := $(wildcard core/*.c)
TUI_SRC    := $(wildcard tui/*.c)
SERVER_SRC := $(wildcard server/*.c)
CORE_OBJ   := $(CORE_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ    := $(TUI_SRC:%.c=$(BUILD)/%.o)
SERVER_OBJ := $(SERVER_SRC:%.c=$(BUILD)/%.o)
TUI_LIB    := $(filter-out $(BUILD)/tui/main.o,$(TUI_OBJ))
SERVER_LIB := $(filter-out $(BUILD)/server/main.o,$(SERVER_OBJ))

# Unit tests: tests/unit/test_<layer>_<module>.c, linked against that layer.
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
API_SRC   := $(wildcard tests/api/test_*.c)
API_BIN   := $(API_SRC:tests/api/%.c=$(BUILD)/tests/api/%)
TESTLIB_SRC := $(wildcard tests/common/*.c)
TESTLIB_OBJ := $(TESTLIB_SRC:%.c=$(BUILD)/%.o)

PROGS := $(BUILD)/crmtui $(BUILD)/crm-server

.PHONY: all test check asan test-asan demo bench fuzz install clean deps format docs
all: $(PROGS)

deps: $(DEPS_OK)
$(DEPS_OK): tools/deps.sh
	@sh tools/deps.sh
	@mkdir -p $(@D) && touch $@

$(BUILD)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(BUILD_CFLAGS) -c $< -o $@

$(BUILD)/crmtui: $(TUI_OBJ) $(CORE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/crm-server: $(SERVER_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread -lm

$(BUILD)/tests/unit/test_core_%: $(BUILD)/tests/unit/test_core_%.o $(CORE_OBJ) $(TESTLIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CMOCKA_LIBS) -lm
$(BUILD)/tests/unit/test_tui_%: $(BUILD)/tests/unit/test_tui_%.o $(TUI_LIB) $(CORE_OBJ) $(TESTLIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CMOCKA_LIBS) -lm
$(BUILD)/tests/unit/test_server_%: $(BUILD)/tests/unit/test_server_%.o $(SERVER_LIB) $(TESTLIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CMOCKA_LIBS) -lpthread -lm
$(BUILD)/tests/api/test_%: $(BUILD)/tests/api/test_%.o $(CORE_OBJ) $(TESTLIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CMOCKA_LIBS) -lm

tests: $(PROGS) $(UNIT_BIN) $(API_BIN)

# Every suite; the last line is "N passed, N failed".
test: tests
	@BUILD=$(BUILD) sh tests/run.sh

asan:
	$(MAKE) BUILD=build-asan SANITIZE=1 CFLAGS="-O1 -g" tests

test-asan: asan
	@BUILD=build-asan SANITIZE=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 sh tests/run.sh

check: | $(DEPS_OK)
	@sh tools/check.sh
	$(MAKE) --no-print-directory BUILD=build-check WERROR=1 tests

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

demo: all
	@sh tools/demo.sh

# The figures of DESIGN.md section 7 (never part of test); see docs/performance.md.
bench: all
	@BUILD=$(BUILD) sh tools/bench.sh

# docs/keys.md is generated from the action list (tui/actions.h); a TUI suite
# checks that the committed file is current.
docs: docs/keys.md
docs/keys.md: $(BUILD)/crmtui
	$(BUILD)/crmtui --keys-markdown >$@

# Themes are found in ./themes, $XDG_DATA_HOME/crmtui/themes, then here.
$(BUILD)/tui/theme.o: CPPFLAGS += -DCRMTUI_PREFIX='"$(PREFIX)"'
# That directory is compiled in: a new PREFIX rebuilds theme.o (and crmtui).
$(BUILD)/tui/theme.o: $(BUILD)/.prefix
$(BUILD)/.prefix: FORCE
	@mkdir -p $(@D)
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' >$@
.PHONY: FORCE
FORCE:

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/crmtui/themes
	install -m 0755 $(BUILD)/crmtui $(BUILD)/crm-server $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 themes/*.theme $(DESTDIR)$(PREFIX)/share/crmtui/themes/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0644 docs/crmtui.1 docs/crm-server.1 $(DESTDIR)$(PREFIX)/share/man/man1/

# libFuzzer targets tests/fuzz/fuzz_*.c (ASan+UBSan, clang) in build-fuzz/, each
# run for FUZZ_SECONDS by tools/fuzz.sh; see tests/fuzz/README.md.
FUZZ_BUILD  := build-fuzz
FUZZ_CC     ?= clang
FUZZ_FLAGS  := -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
               -fno-sanitize-recover=undefined
FUZZ_CORE   := $(patsubst %,$(FUZZ_BUILD)/core/%.o,sanitize common_json contact_json \
               activity_json misc_json model status config export export_json)
FUZZ_SERVER := $(patsubst %,$(FUZZ_BUILD)/server/%.o,json db schema)
FUZZ_BIN    := $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(wildcard tests/fuzz/fuzz_*.c))
.SECONDARY: $(FUZZ_CORE) $(FUZZ_SERVER) $(FUZZ_BIN:$(FUZZ_BUILD)/%=$(FUZZ_BUILD)/tests/fuzz/%.o)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(PKG_CFLAGS) $(WARN) $(FUZZ_FLAGS) -MMD -MP -c $< -o $@
$(FUZZ_BUILD)/fuzz_server_%: $(FUZZ_BUILD)/tests/fuzz/fuzz_server_%.o $(FUZZ_SERVER)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) -lm
$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_CORE)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) -lm
-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)

fuzz: | $(DEPS_OK)
	@FUZZ_CC=$(FUZZ_CC) sh tools/fuzz.sh --check
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
	@FUZZ_BUILD=$(FUZZ_BUILD) sh tools/fuzz.sh

clean:
	rm -rf build build-asan build-check build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
