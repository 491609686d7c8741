# libFuzzer targets (clang): make fuzz FUZZ_SECONDS=60.  Included by the
# Makefile.  Each target runs for FUZZ_SECONDS on its seeds plus a
# git-ignored corpus that grows between runs; a failure stops make, and the
# input that caused it is left as tests/fuzz/crash-* to become a test.
FUZZ_CC		= clang
FUZZ_FLAGS	= -g -O1 -fsanitize=fuzzer,address,undefined \
		  -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SRC	= src/util.c src/normalize.c src/trie.c src/gazetteer.c \
		  src/lexicon.c src/match.c src/output.c src/records.c
FUZZ_TARGETS	= match roundtrip gazetteer index
FUZZ_BUILD	= build-fuzz

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/common.h $(FUZZ_SRC) \
    $(HDR) tests/ref/ref.c tests/ref/ref.h
	mkdir -p $(FUZZ_BUILD)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(CPPFLAGS) -D_GNU_SOURCE $(UTF8PROC_CFLAGS) \
	    -Isrc -Itests/ref -o $@ $< $(FUZZ_SRC) tests/ref/ref.c \
	    $(UTF8PROC_LIBS)

fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	    mkdir -p tests/fuzz/corpus-$$t; \
	    echo "== fuzz: $$t, $(FUZZ_SECONDS) s"; \
	    if ! $(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
	        -print_final_stats=1 -artifact_prefix=tests/fuzz/ \
	        -dict=tests/fuzz/nertag.dict \
	        tests/fuzz/corpus-$$t tests/fuzz/seeds/$$t \
	        >$(FUZZ_BUILD)/fuzz_$$t.log 2>&1; then \
	        tail -n 40 $(FUZZ_BUILD)/fuzz_$$t.log; exit 1; fi; \
	    grep -E 'stat::number_of_executed_units|Done' \
	        $(FUZZ_BUILD)/fuzz_$$t.log; \
	done

.PHONY: fuzz fuzz-build
