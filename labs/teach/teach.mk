# teach.mk — the instructors' part of the build, included by the Makefile.
# Never shipped: the student release has neither this file nor the line
# that includes it.
#
#   make check       the Check tests, the slips catalogue, the fuzzer, libgradcheck
#                    used from outside, the leak check of the labs' own code, the
#                    READMEs' lab tables, then make grade on a class of broken and
#                    one of cheating submissions (SAN=1: under the sanitizers)
#   make goldens     every lab's golden.h from the reference (labs/lab.h)
#   make release     the student tree and its tarball, verified (release.sh)
#   make grade SUBMISSIONS=DIR [LABS="1 2"] [TIMEOUT=10] [JOBS=2] [UNSAFE=1]
#   make autograder [LABS=3]   the Gradescope zip, tried in a scratch /autograder
#   make report [GRADES=build/grades] [EARLIER=DIR] [TITLE=...]   the class report
#   make fuzz, make valgrind, make handouts-test [PICTURES=1], make report-test [REPORT=DIR]
#   make lab-outputs LAB=N     the files make labN must leave (CI)

.PHONY: check goldens release grade autograder report fuzz valgrind handouts-test report-test \
        lab-outputs deps-check bench-checks bench-grade bench-report

# The instructors' code sees everything: the labs', and labs/teach's own headers.
TEACH_CFLAGS = $(LAB_CFLAGS) -Ilabs/teach

$(BUILD)/obj/labs/teach/%.o: labs/teach/%.c
	$(call COMPILE,$(TEACH_CFLAGS))

# The labs whose folder holds labs/labN/$(1), as lab_list.h lists them: the
# labs with slips (labs/teach/slips.c) and with tests of their own (tests/main.c).
labs_with = $(foreach n,$(LAB_NUMBERS),$(if $(wildcard labs/lab$(n)/$(1)),X($(n))))
LAB_LIST_LINES += '\#define LAB_SLIP_LIST $(call labs_with,teach/slips.c)' \
                  '\#define LAB_TEST_LIST $(call labs_with,teach/tests.c)'
$(BUILD)/obj/labs/teach/slips.o $(BUILD)/obj/tests/main.o: $(LAB_LIST_H)

# A lab's instructor folder, labs/labN/teach/: its slips (slips.c and what
# they compile), its grading table (table.txt) and its tests (tests.c). Its
# files know their lab's number from the folder, like the lab's own.
LAB_TEACH_SRC  = $(wildcard labs/lab*/teach/*.c)
LAB_TESTS_OBJ  = $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard labs/lab*/teach/tests.c))
LAB_SLIPS_OBJ  = $(filter-out $(LAB_TESTS_OBJ),$(patsubst %.c,$(BUILD)/obj/%.o,$(LAB_TEACH_SRC)))
lab_number_of  = $(patsubst lab%,%,$(word 2,$(subst /, ,$(1))))

$(LAB_SLIPS_OBJ): $(BUILD)/obj/%.o: %.c
	$(call COMPILE,$(TEACH_CFLAGS) -DLAB_NUMBER=$(call lab_number_of,$*))

# Check's flags are asked of pkg-config when the recipe runs, after deps-check.
$(LAB_TESTS_OBJ): $(BUILD)/obj/%.o: %.c | deps-check
	$(call COMPILE,$(TEACH_CFLAGS) -Itests -DLAB_NUMBER=$(call lab_number_of,$*) $$(pkg-config --cflags check))

$(BUILD)/obj/tests/%.o: tests/%.c | deps-check
	$(call COMPILE,$(TEACH_CFLAGS) $$(pkg-config --cflags check))

deps-check:
	@sh labs/ensure-deps.sh check

# ---- the programs ----

# What the grader, the tests and the fuzzer share.
TEACH_OBJ = $(addprefix $(BUILD)/obj/labs/teach/,table.o results.o sandbox.o remote.o intake.o \
              build.o sha256.o uidpool.o cgroup.o compare.o verdict.o checkmap.o) \
            $(CHECKS_OBJ) $(ARGS_OBJ)
# The class report's readers and writers.
REPORT_OBJ = $(addprefix $(BUILD)/obj/labs/teach/,report_pages.o doc.o tally.o class_results.o json.o)
SLIPS_OBJ = $(BUILD)/obj/labs/teach/slips.o $(LAB_SLIPS_OBJ)
TEST_OBJ  = $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/*.c)) $(LAB_TESTS_OBJ)

# grade-probe, linked with a student's src/, answers the grader's numeric
# queries in the sandbox; grade, linked with the reference, runs every test
# of the grading tables on those answers and writes results.json. The
# stripped base tree the probe is built in carries this file too.
$(BUILD)/grade-probe: $(BUILD)/obj/labs/teach/probe.o $(CHECKS_OBJ) $(LIBS)
	$(LINK)

$(BUILD)/grade: $(BUILD)/obj/labs/teach/grade.o $(TEACH_OBJ) $(LIBS)
	$(LINK)

# The same grader linked statically, for the Gradescope zip (another distribution's libc).
$(BUILD)/grade-static: $(BUILD)/obj/labs/teach/grade.o $(TEACH_OBJ) $(LIBS)
	$(LINK) -static

# The release's stripper and leak check.
$(BUILD)/strip: $(BUILD)/obj/labs/teach/strip.o $(LIBS)
	$(LINK)

$(BUILD)/leakcheck: $(BUILD)/obj/labs/teach/leakcheck.o $(LIBS)
	$(LINK)

# The slips catalogue: every slip must be caught.
$(BUILD)/gradcheck-slips: $(BUILD)/obj/labs/teach/slips_main.o $(SLIPS_OBJ) $(CHECKS_OBJ) \
                          $(BUILD)/obj/labs/args.o $(LIBS)
	$(LINK)

# The class report (labs/teach/report.c): what a class got wrong, from
# results.json files; make report draws its histogram and puts it in place.
$(BUILD)/report: $(BUILD)/obj/labs/teach/report.o $(REPORT_OBJ) $(TEACH_OBJ) $(LIBS)
	$(LINK)

# The golden writer: the labs' checks compiled without their golden.h
# (LAB_GOLDEN_WRITER), so that a check with no golden losses yet builds.
GOLDEN_CHECKS_OBJ = $(patsubst labs/%.c,$(BUILD)/obj/golden/%.o,$(wildcard labs/lab*/checks.c))
$(GOLDEN_CHECKS_OBJ): $(BUILD)/obj/golden/%.o: labs/%.c
	$(call COMPILE,$(LAB_CFLAGS) -DLAB_NUMBER=$(patsubst lab%,%,$(word 1,$(subst /, ,$*))) -DLAB_GOLDEN_WRITER)

$(BUILD)/golden-writer: $(BUILD)/obj/labs/teach/golden_main.o $(BUILD)/obj/labs/teach/goldens.o \
                        $(patsubst $(BUILD)/obj/labs/%/checks.o,$(BUILD)/obj/golden/%/checks.o,$(CHECKS_OBJ)) \
                        $(BUILD)/obj/labs/args.o $(LIBS)
	$(LINK)

# make goldens: each lab's golden.h, written whole from the reference (a
# lab without one yet gets an empty one first, so that it builds).
goldens:
	@for n in $(LAB_NUMBERS); do f=labs/lab$$n/golden.h; [ -f $$f ] || \
	  echo "/* $$f: no golden losses yet (make goldens writes them). */" > $$f; done
	@$(MAKE) -s $(BUILD)/golden-writer BUILD=$(BUILD)
	@for n in $(LAB_NUMBERS); do $(BUILD)/golden-writer --lab $$n --out labs/lab$$n/golden.h || exit 1; done

# The Check tests, the fuzzer of every reader and program (tests/fuzz/fuzz.c).
$(BUILD)/test_gradlab: $(TEST_OBJ) $(TEACH_OBJ) $(SLIPS_OBJ) $(REPORT_OBJ) \
                       $(BUILD)/obj/labs/teach/goldens.o $(LAB3_OBJ) $(LIBS) | deps-check
	$(LINK) -pthread $$(pkg-config --libs check)

$(BUILD)/fuzz: $(BUILD)/obj/tests/fuzz/fuzz.o $(TEACH_OBJ) $(REPORT_OBJ) $(LAB3_OBJ) $(LIBS)
	$(LINK) -pthread

# ---- make check ----

# The programs the tests run, each named by an environment variable from
# its name: TRAIN_NET2=build/train_net2, GRADE_PROBE=build/grade-probe, ...
TESTED_BIN = $(BUILD)/gradcheck $(LAB_BIN) $(BUILD)/grade $(BUILD)/grade-probe $(BUILD)/strip \
             $(BUILD)/leakcheck $(BUILD)/fuzz $(BUILD)/report
program_env = $(shell echo '$(notdir $(1))' | tr 'a-z-' 'A-Z_')=$(1)
TEST_ENV = $(foreach p,$(TESTED_BIN),$(call program_env,$(p))) \
           GRADE_SH='sh labs/teach/grade.sh' AUTOGRADER_SH='sh labs/teach/autograder.sh'

# Every file a student gets of the labs: the leak check reads them at every
# make check, not only at release, so that a check or a diagnosis that
# recomputes solution code fails at once (labs/teach/AUTHORING.md).
SHIPPED_LAB_FILES = $(filter-out labs/teach/% labs/lab%/teach/%,$(wildcard labs/*.[ch] labs/lab*/*.[ch]))

# The Check tests, the slips, the fuzzer, the leak check of the labs' code,
# the READMEs' lab tables and what the docs quote of the checker; then (not under the sanitizers, whose shadow
# memory cannot live under the grader's address-space limit) libgradcheck
# from outside, the grader end to end on a class of broken submissions
# (tests/grade/run.sh), the class report of that class (tests/report/run.sh),
# a class planted with the slips of the catalogue, graded and reported
# (tests/report/planted.sh), and the grader on a class of cheating ones
# (tests/grade/attacks.sh).
check: $(TESTED_BIN) $(BUILD)/test_gradlab $(BUILD)/gradcheck-slips $(BUILD)/libgradcheck.so
	$(TEST_ENV) ASAN_OPTIONS=handle_segv=0 $(BUILD)/test_gradlab
	$(BUILD)/gradcheck-slips > $(BUILD)/slips.txt || { cat $(BUILD)/slips.txt; exit 1; }
	@$(MAKE) -s fuzz BUILD=$(BUILD) SAN=$(SAN)
	@tail -n 1 $(BUILD)/slips.txt
	$(BUILD)/leakcheck --allow labs/teach/leak-allow.txt src/*.c -- $(SHIPPED_LAB_FILES)
	sh tests/labs.sh
	sh tests/handouts/quotes.sh $(BUILD)
ifneq ($(SAN),1)
	sh tests/outside/run.sh $(BUILD)
	sh tests/grade/run.sh $(BUILD)
	sh tests/report/run.sh $(BUILD)
	sh tests/report/planted.sh $(BUILD)
	sh tests/grade/attacks.sh $(BUILD)
endif

FUZZ_SECONDS ?= 3
fuzz: $(BUILD)/fuzz $(BUILD)/gradcheck $(LAB_BIN)
	@for t in corpus vectors checkpoint table results; do $(BUILD)/fuzz $$t $(FUZZ_SECONDS) 1 || exit 1; done
	@for p in $(BUILD)/gradcheck $(LAB_BIN); do \
	  ASAN_OPTIONS=handle_segv=0 $(BUILD)/fuzz options $(FUZZ_SECONDS) 2 $$p || exit 1; done

# gradcheck --all and the checker's own tests under valgrind (no uninitialised
# byte sent from a child, no invalid access).
valgrind: $(BUILD)/gradcheck $(BUILD)/test_gradlab
	valgrind -q --error-exitcode=9 $(BUILD)/gradcheck --all > /dev/null
	CK_FORK=no CK_RUN_SUITE=gradcheck valgrind -q --error-exitcode=9 $(BUILD)/test_gradlab

# What the handouts quote of the checker against a run (tests/handouts/quotes.sh),
# then every rendered page opened in headless Chromium (tests/handouts/browser.sh):
# a missing image or a handout without MathML fails; PICTURES=1 also fails a
# picture not drawn yet (CI runs make labs first). Screenshots: build/handouts-screenshots/.
handouts-test: handouts $(BUILD)/gradcheck $(BUILD)/gradcheck-slips $(BUILD)/lab2_activations
	@sh tests/handouts/quotes.sh $(BUILD)
	@sh labs/ensure-deps.sh chromium
	@sh tests/handouts/browser.sh $(BUILD) $(if $(filter 1,$(PICTURES)),--require-pictures)

# The class report (REPORT=, the last make report's) in headless Chromium
# (tests/report/browser.sh): its picture loads, its tables are shown, every
# handout link finds its section. Screenshots: build/class-report-screenshots/.
REPORT ?= $(BUILD)/class-report
report-test: handouts
	@sh labs/ensure-deps.sh chromium
	@sh tests/report/browser.sh $(BUILD) $(REPORT)

# The files make labN must have left, each lab listing its own in labN_OUTPUTS.
lab-outputs:
	@test -n "$(filter $(LAB),$(LAB_NUMBERS))" || { echo "lab-outputs: LAB=$(LAB) is not a lab"; exit 2; }
	@for f in $(lab$(LAB)_OUTPUTS); do test -s $$f || { echo "make lab$(LAB) left no $$f"; exit 1; }; done
	@echo "lab-outputs: make lab$(LAB) left $(words $(lab$(LAB)_OUTPUTS)) files: $(notdir $(lab$(LAB)_OUTPUTS))"

# ---- the student release, grading, the Gradescope zip ----

release: $(BUILD)/strip $(BUILD)/leakcheck
	@sh labs/teach/release.sh $(BUILD)

# The labs graded: every lab with a grading table (LABS="1 2" for some).
LABS ?= $(shell sh labs/list.sh teach/table.txt)
grade: $(BUILD)/grade $(BUILD)/strip
	@sh labs/teach/grade.sh --build $(BUILD) --labs "$(LABS)" --submissions "$(SUBMISSIONS)" \
	  --timeout "$(TIMEOUT)" --jobs "$(JOBS)" $(if $(filter 1,$(UNSAFE)),--unsafe)

autograder: $(BUILD)/grade $(BUILD)/grade-static $(BUILD)/strip $(BUILD)/leakcheck
	@sh labs/teach/autograder.sh $(BUILD) "$(LABS)"

# The class report of a graded class (GRADES=, make grade's output folder).
GRADES ?= $(BUILD)/grades
report: $(BUILD)/report handouts
	@sh labs/teach/report.sh --build $(BUILD) --out $(BUILD)/class-report $(if $(EARLIER),--earlier "$(EARLIER)") \
	  $(if $(TITLE),--title "$(TITLE)") "$(GRADES)"

# make bench: libgradcheck's checks beside torch.autograd.gradcheck
# (tests/bench/), when PYTHON has torch; else a line says it was skipped.
BENCH_CHECK_RUNS ?= 200
PYTHON ?= python3
BENCH_PARTS += bench-checks
bench-checks: $(BUILD)/libgradcheck.a
	@sh tests/bench/checks_bench.sh $(BUILD) $(BENCH_CHECK_RUNS) $(PYTHON)

# make bench's last part: make grade on 100 copies of the reference.
BENCH_PARTS += bench-grade
bench-grade: $(BUILD)/grade $(BUILD)/strip
	@sh labs/teach/grade_bench.sh $(BUILD) 100

# make bench: the class report of 1,000 results.json files.
BENCH_PARTS += bench-report
bench-report: $(BUILD)/report
	@sh labs/teach/report_bench.sh $(BUILD) 1000
