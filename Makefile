# nertag - hand-written make; see README.md.
.POSIX:

PREFIX	= /usr/local
BINDIR	= $(PREFIX)/bin
MANDIR	= $(PREFIX)/share/man
DATADIR	= $(PREFIX)/share/nertag
DESTDIR	=

CC	= cc
CFLAGS	= -O2 -g
LDFLAGS	=
WARN	= -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	  -Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wwrite-strings \
	  -Wformat=2 -Wsign-conversion
WERROR	=
CPPFLAGS = -D_POSIX_C_SOURCE=200809L
BUILD	= build

UTF8PROC_CFLAGS	!= pkg-config --cflags libutf8proc
UTF8PROC_LIBS	!= pkg-config --libs libutf8proc
CMOCKA_CFLAGS	!= pkg-config --cflags cmocka
CMOCKA_LIBS	!= pkg-config --libs cmocka

ALLCFLAGS = $(CPPFLAGS) $(CFLAGS) $(WARN) $(WERROR_FLAGS) $(UTF8PROC_CFLAGS) \
	    $(THREADS)
# -j: worker threads (src/parallel.c).
THREADS	= -pthread
WERROR_FLAGS = $(WERROR:1=-Werror)

MODS	= util verify normalize trie gazetteer lexicon match output records \
	  parallel
HDR	= src/util.h src/verify.h src/normalize.h src/trie.h src/gazetteer.h \
	  src/lexicon.h src/match.h src/output.h src/records.h \
	  src/parallel.h
OBJ	= $(MODS:%=$(BUILD)/%.o)
UNITS	= verify normalize trie gazetteer lexicon match output records \
	  parallel

INDEXES	= gazetteers/default.ntx gazetteers/default-i.ntx \
	  gazetteers/default-a.ntx gazetteers/default-ia.ntx

all: $(BUILD)/nertag $(INDEXES)

$(BUILD)/.dir:
	mkdir -p $(BUILD)
	touch $@

$(OBJ): $(HDR) $(BUILD)/.dir
$(BUILD)/%.o: src/%.c
	$(CC) $(ALLCFLAGS) -c -o $@ $<

$(BUILD)/nertag.o: src/nertag.c $(HDR) $(BUILD)/.dir
	$(CC) $(ALLCFLAGS) -DNT_DATADIR='"$(CURDIR)/gazetteers"' -c -o $@ src/nertag.c

$(BUILD)/nertag: $(BUILD)/nertag.o $(OBJ)
	$(CC) $(CFLAGS) $(THREADS) $(LDFLAGS) -o $@ $(BUILD)/nertag.o $(OBJ) \
	    $(UTF8PROC_LIBS)
# The installed binary has DATADIR built in, which may differ from one
# install to the next: every install compiles it afresh.
$(BUILD)/nertag-installed: src/nertag.c $(HDR) $(OBJ) FORCE
	$(CC) $(ALLCFLAGS) -DNT_DATADIR='"$(DATADIR)"' -c -o $@.o src/nertag.c
	$(CC) $(CFLAGS) $(THREADS) $(LDFLAGS) -o $@ $@.o $(OBJ) $(UTF8PROC_LIBS)
FORCE:

GAZ	!= ls gazetteers/*.txt gazetteers/*.exclude 2>/dev/null
gazetteers/default.ntx: $(BUILD)/nertag $(GAZ)
	$(BUILD)/nertag --compile=$@ -g gazetteers
gazetteers/default-i.ntx: $(BUILD)/nertag $(GAZ)
	$(BUILD)/nertag -i --compile=$@ -g gazetteers
gazetteers/default-a.ntx: $(BUILD)/nertag $(GAZ)
	$(BUILD)/nertag --ignore-accents --compile=$@ -g gazetteers
gazetteers/default-ia.ntx: $(BUILD)/nertag $(GAZ)
	$(BUILD)/nertag -i --ignore-accents --compile=$@ -g gazetteers

# Unit tests: one cmocka program per module.
$(BUILD)/test_%: tests/unit/test_%.c $(OBJ) tests/unit/helpers.h
	$(CC) $(ALLCFLAGS) -Wno-missing-prototypes $(CMOCKA_CFLAGS) -Isrc -o $@ $< $(OBJ) \
	    $(UTF8PROC_LIBS) $(CMOCKA_LIBS)

# Everything: the plain build's tests, then the suite again under the
# sanitizers and valgrind, then each fuzzer briefly.
check: check-unit check-golden check-e2e check-peer check-ref check-faults lint-man
	$(MAKE) asan
	$(MAKE) check-clang
	$(MAKE) tsan
	$(MAKE) valgrind
	$(MAKE) fuzz FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS)

# Warning-free with clang too, and its build passes the unit and golden
# tests; it also leaves out the SSE2 scan (NT_NO_SIMD), so that the
# portable loop is tested as well.
check-clang:
	$(MAKE) BUILD=build-clang CC=clang WERROR=1 \
	    CPPFLAGS='-D_POSIX_C_SOURCE=200809L -DNT_NO_SIMD' check-unit check-golden
CHECK_FUZZ_SECONDS = 8

check-unit: $(UNITS:%=$(BUILD)/test_%)
	@set -e; for t in $(UNITS); do echo "== unit: $$t"; $(BUILD)/test_$$t; done

check-golden: all
	NERTAG=$(CURDIR)/$(BUILD)/nertag sh tests/run-golden.sh

check-e2e: all
	NERTAG=$(CURDIR)/$(BUILD)/nertag sh tests/run-e2e.sh
	NERTAG=$(CURDIR)/$(BUILD)/nertag bash tests/run-records.sh

check-peer: $(BUILD)/nertag
	sh tests/run-peer.sh $(CURDIR)/$(BUILD)/nertag

lint-man:
	mandoc -Tlint -Wwarning man/nertag.1

# The whole suite again under AddressSanitizer and UBSan.
asan:
	$(MAKE) BUILD=build-asan WERROR=1 CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    LDFLAGS='-fsanitize=address,undefined' check-unit check-golden check-e2e check-peer check-ref

# The threaded driver (-j) under ThreadSanitizer (clang): its unit test,
# and nertag -j 3 against the plain build, byte for byte.
TSAN_RUN = setarch $$(uname -m) -R env TSAN_OPTIONS=halt_on_error=1
tsan: all
	$(MAKE) BUILD=build-tsan CC=clang WERROR=1 \
	    CFLAGS='-O1 -g -fsanitize=thread' LDFLAGS='-fsanitize=thread' \
	    build-tsan/nertag build-tsan/test_parallel
	$(TSAN_RUN) build-tsan/test_parallel
	NERTAG=$(CURDIR)/build-tsan/nertag REF=$(CURDIR)/$(BUILD)/nertag \
	    bash tests/run-tsan.sh

valgrind: all $(UNITS:%=$(BUILD)/test_%)
	@set -e; for t in $(UNITS); do \
	    valgrind -q --error-exitcode=99 --leak-check=full $(BUILD)/test_$$t >/dev/null; done
	NERTAG='valgrind -q --error-exitcode=99 --leak-check=full $(CURDIR)/$(BUILD)/nertag' sh tests/run-golden.sh

gazetteers:
	tools/gen-gazetteers

# Fault injection: a build whose Nth allocation fails (NERTAG_FAIL_ALLOC=N).
# (Named nertag, in a folder of its own, so that its messages read so.)
$(BUILD)/faults/nertag: src/*.c $(HDR)
	mkdir -p $(BUILD)/faults
	$(CC) $(ALLCFLAGS) -DNT_FAULT_INJECT -DNT_DATADIR='"$(CURDIR)/gazetteers"' \
	    -o $@ src/*.c $(UTF8PROC_LIBS)
check-faults: $(BUILD)/faults/nertag
	NERTAG=$(CURDIR)/$(BUILD)/faults/nertag sh tests/run-faults.sh

# libFuzzer targets (clang): make fuzz FUZZ_SECONDS=60
FUZZ_SECONDS = 10
-include tests/fuzz/fuzz.mk

install: $(BUILD)/nertag-installed $(INDEXES)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)
	install -m 0755 $(BUILD)/nertag-installed $(DESTDIR)$(BINDIR)/nertag
	install -m 0644 man/nertag.1 $(DESTDIR)$(MANDIR)/man1/nertag.1
	install -m 0644 $(GAZ) gazetteers/SOURCES.md $(DESTDIR)$(DATADIR)
	install -m 0644 $(INDEXES) $(DESTDIR)$(DATADIR)

# Only what install wrote: gazetteers of one's own in DATADIR stay, and so
# does the folder then.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/nertag $(DESTDIR)$(MANDIR)/man1/nertag.1
	rm -f $(GAZ:gazetteers/%=$(DESTDIR)$(DATADIR)/%) \
	    $(DESTDIR)$(DATADIR)/SOURCES.md \
	    $(INDEXES:gazetteers/%=$(DESTDIR)$(DATADIR)/%)
	if [ -d $(DESTDIR)$(DATADIR) ]; then \
	    rmdir $(DESTDIR)$(DATADIR) 2>/dev/null || \
	    echo "kept $(DESTDIR)$(DATADIR): it holds files install did not write"; \
	fi

clean:
	rm -rf build build-* gazetteers/*.ntx

.PHONY: all check check-unit check-golden check-e2e check-peer check-faults lint-man asan valgrind check-clang \
	gazetteers install uninstall clean FORCE
