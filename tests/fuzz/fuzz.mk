# libFuzzer targets (clang): make fuzz FUZZ_SECONDS=60.  Included by the
# Makefile.  Each target runs for FUZZ_SECONDS on a git-ignored corpus
# (tests/fuzz/corpus-NAME/, kept between runs) plus its committed seeds;
# a failure stops make, and the input that caused it is left as
# tests/fuzz/crash-* (or leak-*, timeout-*) to become a seed and a test.
#
# The sources are compiled once into $(FUZZ_BUILD) with coverage and the
# sanitizers.  The reference matcher gets the sanitizers but no coverage:
# the fuzzer should steer by what nertag does, not by what the oracle does.
FUZZ_CC		= clang
FUZZ_SAN	= -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_FLAGS	= -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN)
FUZZ_CPPFLAGS	= $(CPPFLAGS) -D_GNU_SOURCE $(UTF8PROC_CFLAGS) -Isrc -Itests/ref
FUZZ_TARGETS	= match roundtrip gazetteer index
FUZZ_BUILD	= build-fuzz
FUZZ_OBJ	= $(MODS:%=$(FUZZ_BUILD)/%.o)
# Runs a target: make fuzz-run FUZZ_TARGET=match FUZZ_SECONDS=3600
FUZZ_ARGS	= -print_final_stats=1 -artifact_prefix=tests/fuzz/ \
		  -dict=tests/fuzz/nertag.dict

# A failure's log without libFuzzer's progress lines, so that what the
# target printed before it died is seen whole, then the input's name.
FUZZ_SHOW	= sh -c 'grep -v -E "^(\#[0-9]+|INFO:|Dictionary:|\")" "$$1" | \
		  head -n 80; echo ...; tail -n 6 "$$1"' -

$(FUZZ_BUILD)/.dir:
	mkdir -p $(FUZZ_BUILD)
	touch $@

$(FUZZ_OBJ): $(HDR) $(FUZZ_BUILD)/.dir
$(FUZZ_BUILD)/%.o: src/%.c
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(FUZZ_CPPFLAGS) \
	    -c -o $@ $<

$(FUZZ_BUILD)/ref.o: tests/ref/ref.c tests/ref/ref.h $(FUZZ_BUILD)/.dir
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_CPPFLAGS) -c -o $@ tests/ref/ref.c

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/common.h $(HDR) \
    tests/ref/ref.h $(FUZZ_OBJ) $(FUZZ_BUILD)/ref.o
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $(FUZZ_CPPFLAGS) -o $@ $< \
	    $(FUZZ_OBJ) $(FUZZ_BUILD)/ref.o $(UTF8PROC_LIBS)

fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	    $(MAKE) -s fuzz-run FUZZ_TARGET=$$t FUZZ_SECONDS=$(FUZZ_SECONDS); \
	done

fuzz-run:
	@mkdir -p tests/fuzz/corpus-$(FUZZ_TARGET)
	@echo "== fuzz: $(FUZZ_TARGET), $(FUZZ_SECONDS) s"
	@if ! $(FUZZ_BUILD)/fuzz_$(FUZZ_TARGET) \
	    -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARGS) \
	    tests/fuzz/corpus-$(FUZZ_TARGET) tests/fuzz/seeds/$(FUZZ_TARGET) \
	    >$(FUZZ_BUILD)/fuzz_$(FUZZ_TARGET).log 2>&1; then \
	    $(FUZZ_SHOW) $(FUZZ_BUILD)/fuzz_$(FUZZ_TARGET).log; exit 1; fi
	@grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec' \
	    $(FUZZ_BUILD)/fuzz_$(FUZZ_TARGET).log

# Every seed once, without fuzzing: the regression inputs as a test.
fuzz-seeds: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	    echo "== fuzz seeds: $$t"; \
	    $(FUZZ_BUILD)/fuzz_$$t -runs=0 tests/fuzz/seeds/$$t \
	        >$(FUZZ_BUILD)/fuzz_$$t.seeds.log 2>&1 || \
	        { $(FUZZ_SHOW) $(FUZZ_BUILD)/fuzz_$$t.seeds.log; exit 1; }; \
	done

# The reference matcher as a command, for differential tests from the
# shell: reftag [-ia] [-l] GAZETTEER < text, one span a line.
$(BUILD)/reftag: tests/ref/reftag.c tests/ref/ref.c tests/ref/ref.h \
    $(BUILD)/.dir
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(UTF8PROC_CFLAGS) -Itests/ref \
	    -o $@ tests/ref/reftag.c tests/ref/ref.c $(UTF8PROC_LIBS)

.PHONY: fuzz fuzz-build fuzz-run fuzz-seeds

# nertag against the reference matcher on every test text.
check-ref: $(BUILD)/nertag $(BUILD)/reftag
	NERTAG=$(CURDIR)/$(BUILD)/nertag REFTAG=$(CURDIR)/$(BUILD)/reftag \
	    sh tests/ref/run-diff.sh

.PHONY: check-ref
