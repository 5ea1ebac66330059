# zhixing — GNU make build. See README.md for the two commands (make run, make test).
CC      ?= cc
PKGS    := libh2o-evloop jansson sqlite3 libpq libcrypto libssl libcurl opencc xlsxwriter lunar-date-3.0 gobject-2.0 glib-2.0 liboath libqrencode libsodium
CSTD    := -std=c17 -D_GNU_SOURCE -DH2O_USE_LIBUV=0
WARN    := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
OPT     ?= -O2 -g
CFLAGS  += $(CSTD) $(WARN) $(OPT) -Isrc -pthread $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lm -pthread

SRC_LIB := $(filter-out src/main.c,$(wildcard src/*.c src/*/*.c))
SRC_SQL := $(sort $(wildcard src/store/migrations/*.sql))
OBJDIR  ?= build/rel
OBJ_LIB := $(SRC_LIB:%.c=$(OBJDIR)/%.o) $(OBJDIR)/gen/migrations.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)

.PHONY: all run test test-unit test-api test-ui test-san bench deps deps-test clean fmt demo
all: bin/zhixing bin/zhixing-sim

bin/zhixing: $(OBJDIR)/src/main.o $(OBJ_LIB)
	@mkdir -p bin
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# bin/zhixing-sim: the simulator of outside parties (sim/*.c, one file per party; see sim/README.md).
# Never linked into bin/zhixing; it borrows only the core objects it names here.
SIM_SRC := $(wildcard sim/*.c)
SIM_OBJ := $(SIM_SRC:%.c=$(OBJDIR)/%.o)
SIM_LIBOBJ := $(OBJDIR)/src/core/log.o $(OBJDIR)/src/core/crypto.o $(OBJDIR)/src/rules/credit_code.o $(if $(wildcard src/inquiry/sm2.c),$(OBJDIR)/src/inquiry/sm2.o)
bin/zhixing-sim: $(SIM_OBJ) $(SIM_LIBOBJ)
	@mkdir -p bin
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# Migrations are plain .sql files compiled into the binary as C strings.
$(OBJDIR)/gen/migrations.c: $(SRC_SQL) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-sql.sh $(SRC_SQL) > $@

$(OBJDIR)/gen/migrations.o: $(OBJDIR)/gen/migrations.c
	$(CC) $(CFLAGS) -c -o $@ $<

# Unit tests: one cmocka binary per tests/unit/test_*.c, linked with the library objects.
bin/tests/%: tests/unit/%.c $(OBJ_LIB)
	@mkdir -p bin/tests
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs cmocka)

UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=bin/tests/%)
unit-bins: $(UNIT_BINS)

# Sanitizer build (ASan + UBSan) in its own object tree.
san:
	$(MAKE) OBJDIR=build/san OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  LDFLAGS="-fsanitize=address,undefined" bin-san
bin-san: $(OBJDIR)/src/main.o $(OBJ_LIB)
	@mkdir -p bin
	$(CC) $(CFLAGS) -o bin/zhixing-san $^ $(LDLIBS)

deps:
	sh scripts/install-deps.sh run

deps-test:
	sh scripts/install-deps.sh test

run: deps all
	sh scripts/run.sh

test: deps-test
	bash scripts/test.sh

bench: deps-test all
	bash bench/run.sh

clean:
	rm -rf build bin

-include $(shell find build -name '*.d' 2>/dev/null)
