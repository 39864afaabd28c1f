# gradlab — build, check, labs.  GNU make.  (Lines between #>instructor and
# #<instructor are left out of the student release.)  Everything generated goes under $(BUILD).
#   make lab1     lab 1: its checks, the shift-invariance demo, the step-size plot
#   make lab2     lab 2: its checks, the spiral trainer, loss and decision-region plots,
#                 the activation experiment and its two plots
#>instructor
#   make check    the Check unit tests (SAN=1: with address and undefined-behaviour sanitizers;
#                 handle_segv=0 lets the isolation tests see their deliberate segfault as a signal)
#<instructor
#   make handouts the handouts as HTML pages with MathML and the labs' pictures
#   make bench    timings (medians of several runs)

ifeq ($(SAN),1)
BUILD ?= build/san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
BUILD   ?= build
PREFIX  ?= /usr/local
CFLAGS  ?= -O3 -g
# AVX2 for the course's modules and programs when the machine building (and
# so running) them has it. The numbers do not change: ISO C mode keeps FMA
# contraction off and nothing is reassociated, so the vector loops add the
# same terms in the same order. SIMD= turns it off. libgradcheck, which
# `make install` installs, is always built portable (no -mavx2).
SIMD    ?= $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo -mavx2)
WARN    = -std=c11 -Wall -Wextra -Wshadow
# Includes point one way (../shared/DESIGN.md), and the flags enforce it: the
# checker sees only itself, src/ only itself, the labs both, teach everything.
GC_CFLAGS    = $(WARN) -fPIC -Igradcheck $(SANFLAGS) $(CFLAGS)
SRC_CFLAGS   = $(WARN) -Isrc $(SIMD) $(SANFLAGS) $(CFLAGS)
LAB_CFLAGS   = $(WARN) -Isrc -Igradcheck -Ilabs -Ilabs/lab3 $(SIMD) $(SANFLAGS) $(CFLAGS)
ALL_CFLAGS   = $(LAB_CFLAGS)
#>instructor
TEACH_CFLAGS = $(LAB_CFLAGS) -Ilabs/teach
ALL_CFLAGS   = $(TEACH_CFLAGS)
#<instructor
LDLIBS  = -lm

GC_VERSION = $(shell sed -n 's/^\#define GC_VERSION "\(.*\)"/\1/p' gradcheck/gradcheck.h)
LIB_SRC  = $(wildcard src/*.c)
GC_SRC   = $(filter-out gradcheck/main.c,$(wildcard gradcheck/*.c))
#>instructor
TEST_SRC = $(wildcard tests/*.c)
#<instructor
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
GC_OBJ   = $(GC_SRC:%.c=$(BUILD)/obj/%.o)
#>instructor
TEST_OBJ = $(TEST_SRC:%.c=$(BUILD)/obj/%.o)
#<instructor
# Each lab's checks (labs/labN/checks.c) and the one list of them.
CHECKS_OBJ = $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard labs/lab*/checks.c)) $(BUILD)/obj/labs/registry.o
PROBES_OBJ = $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard labs/lab*/probes.c))
LIBS     = $(BUILD)/libgradlab.a $(BUILD)/libgradcheck.a
LAB_BIN  = $(BUILD)/lab1_shift $(BUILD)/train_net2 $(BUILD)/lab2_activations $(BUILD)/train_word2vec \
           $(BUILD)/w2v_explore $(BUILD)/hs_cost $(BUILD)/train_flow

# Draws $(2).png from data $(1) with plots/$(3).gp, then its ASCII preview (a
# script with no preview exits on outfile=''). $(4): more gnuplot settings,
# each ending in ';' (no commas: make would split them), e.g. title='...';
PLOT = if command -v gnuplot >/dev/null 2>&1; then \
	  gnuplot -e "datafile='$(1)'; $(4) outfile='$(2).png.tmp'" plots/$(3).gp && mv -f $(2).png.tmp $(2).png && \
	  gnuplot -e "datafile='$(1)'; $(4) outfile=''" plots/$(3).gp && echo "wrote $(2).png"; fi

.PHONY: all lab1 lab2 lab3 lab4 lab5 labs handouts bench seed-sweep install clean deps-plot
#>instructor
.PHONY: check release grade autograder deps-check fuzz valgrind handouts-test report report-test
#<instructor
.DELETE_ON_ERROR:

all: $(BUILD)/gradcheck $(LIBS) $(BUILD)/libgradcheck.so $(LAB_BIN)

$(BUILD)/obj/gradcheck/%.o: gradcheck/%.c
	@mkdir -p $(dir $@)
	$(CC) $(GC_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SRC_CFLAGS) -MMD -MP -c $< -o $@

#>instructor
$(BUILD)/obj/labs/teach/%.o: labs/teach/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TEACH_CFLAGS) -MMD -MP -c $< -o $@
#<instructor

$(BUILD)/obj/labs/%.o: labs/%.c
	@mkdir -p $(dir $@)
	$(CC) $(LAB_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libgradlab.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/libgradcheck.a: $(GC_OBJ)
	$(AR) rcs $@ $^

# The shared library: soname libgradcheck.so.0 (the major of GC_VERSION).
$(BUILD)/libgradcheck.so: $(GC_OBJ)
	$(CC) -shared -Wl,-soname,libgradcheck.so.$(firstword $(subst ., ,$(GC_VERSION))) $(SANFLAGS) $^ -lm -o $@

# The gradcheck program: the checker's CLI with the labs' checks.
$(BUILD)/gradcheck: $(BUILD)/obj/gradcheck/main.o $(CHECKS_OBJ) $(LIBS)
	$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/lab1_shift: $(BUILD)/obj/labs/lab1/shift_demo.o $(BUILD)/obj/labs/args.o $(LIBS)
	$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) -o $@

ARGS_OBJ = $(BUILD)/obj/labs/args.o $(BUILD)/obj/labs/require.o $(PROBES_OBJ)
#>instructor
TEACH_OBJ = $(BUILD)/obj/labs/teach/table.o $(BUILD)/obj/labs/teach/results.o \
            $(BUILD)/obj/labs/teach/sandbox.o $(BUILD)/obj/labs/teach/remote.o \
            $(BUILD)/obj/labs/teach/intake.o $(BUILD)/obj/labs/teach/build.o \
            $(BUILD)/obj/labs/teach/sha256.o $(BUILD)/obj/labs/teach/uidpool.o \
            $(BUILD)/obj/labs/teach/cgroup.o $(BUILD)/obj/labs/teach/compare.o \
            $(BUILD)/obj/labs/teach/verdict.o $(BUILD)/obj/labs/teach/checkmap.o $(CHECKS_OBJ) $(ARGS_OBJ)
REPORT_OBJ = $(BUILD)/obj/labs/teach/report_pages.o $(BUILD)/obj/labs/teach/doc.o \
             $(BUILD)/obj/labs/teach/tally.o $(BUILD)/obj/labs/teach/class_results.o \
             $(BUILD)/obj/labs/teach/json.o
SLIPS_OBJ = $(BUILD)/obj/labs/teach/slips.o $(BUILD)/obj/labs/teach/net2_slip.o \
            $(BUILD)/obj/labs/teach/net2_slip_rule.o
#<instructor

$(BUILD)/train_net2: $(BUILD)/obj/labs/lab2/train_net2.o $(BUILD)/obj/labs/lab2/spiral.o $(ARGS_OBJ) $(LIBS)
	$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/lab2_activations: $(BUILD)/obj/labs/lab2/activations.o $(ARGS_OBJ) $(LIBS)
	$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) -o $@

LAB3_OBJ = $(BUILD)/obj/labs/lab3/w2v_train.o $(BUILD)/obj/labs/lab3/w2v_io.o $(BUILD)/obj/labs/lab3/w2v_eval.o

$(BUILD)/train_word2vec: $(BUILD)/obj/labs/lab3/train_word2vec.o $(LAB3_OBJ) $(ARGS_OBJ) $(LIBS)
	$(CC) $(ALL_CFLAGS) -pthread $^ $(LDLIBS) -o $@

$(BUILD)/w2v_explore: $(BUILD)/obj/labs/lab3/w2v_explore.o $(LAB3_OBJ) $(BUILD)/obj/labs/args.o $(LIBS)
	$(CC) $(ALL_CFLAGS) -pthread $^ $(LDLIBS) -o $@

$(BUILD)/kernel_bench: $(BUILD)/obj/labs/lab3/kernel_bench.o $(BUILD)/obj/labs/args.o $(LIBS)
	$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/hs_cost: $(BUILD)/obj/labs/lab4/hs_cost.o $(ARGS_OBJ) $(LIBS)
	$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/train_flow: $(BUILD)/obj/labs/lab5/train_flow.o $(ARGS_OBJ) $(LIBS)
	$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) -o $@

#>instructor
# Check's flags are asked of pkg-config when the recipe runs, after deps-check.
$(BUILD)/obj/tests/%.o: tests/%.c | deps-check
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $$(pkg-config --cflags check) -MMD -MP -c $< -o $@

# The fuzzer of every reader (tests/fuzz/fuzz.c: the corpus, vectors,
# checkpoint, grading table and results.json readers), run for a few seconds per
# target by make check (fixed seeds; under SAN=1 with the sanitizers).
$(BUILD)/fuzz: $(BUILD)/obj/tests/fuzz/fuzz.o $(TEACH_OBJ) $(REPORT_OBJ) $(LAB3_OBJ) $(LIBS)
	$(CC) $(ALL_CFLAGS) -pthread $^ $(LDLIBS) -o $@

# gradcheck --all and the checker's own tests under valgrind (no uninitialised
# byte sent from a child, no invalid access).
valgrind: $(BUILD)/gradcheck $(BUILD)/test_gradlab
	valgrind -q --error-exitcode=9 $(BUILD)/gradcheck --all > /dev/null
	CK_FORK=no CK_RUN_SUITE=gradcheck valgrind -q --error-exitcode=9 $(BUILD)/test_gradlab

FUZZ_SECONDS ?= 3
fuzz: $(BUILD)/fuzz $(BUILD)/gradcheck $(LAB_BIN)
	@for t in corpus vectors checkpoint table results; do $(BUILD)/fuzz $$t $(FUZZ_SECONDS) 1 || exit 1; done
	@for p in gradcheck train_net2 train_word2vec train_flow hs_cost w2v_explore lab1_shift; do \
	  ASAN_OPTIONS=handle_segv=0 $(BUILD)/fuzz options $(FUZZ_SECONDS) 2 $(BUILD)/$$p || exit 1; done

$(BUILD)/test_gradlab: $(TEST_OBJ) $(TEACH_OBJ) $(SLIPS_OBJ) $(REPORT_OBJ) $(LAB3_OBJ) $(LIBS) | deps-check
	$(CC) $(ALL_CFLAGS) -pthread $(TEST_OBJ) $(TEACH_OBJ) $(SLIPS_OBJ) $(REPORT_OBJ) $(LAB3_OBJ) $(LIBS) $$(pkg-config --libs check) $(LDLIBS) -o $@

deps-check:
	@sh labs/ensure-deps.sh check
#<instructor

deps-plot:
	@sh labs/ensure-deps.sh gnuplot || true

#>instructor
# make check: the Check tests, then (not under the sanitizers, whose shadow
# memory cannot live under the grader's address-space limit) the grader end
# to end on a class of broken submissions (tests/grade/run.sh), the class
# report of that class (tests/report/run.sh), a class planted with the
# slips of the catalogue, graded and reported (tests/report/planted.sh), and
# the grader on a class of cheating submissions (tests/grade/attacks.sh).
ifneq ($(wildcard tests/main.c),)
check: $(BUILD)/test_gradlab $(BUILD)/gradcheck $(LAB_BIN) $(BUILD)/strip $(BUILD)/grade $(BUILD)/grade-probe \
       $(BUILD)/gradcheck-slips $(BUILD)/leakcheck $(BUILD)/libgradcheck.so $(BUILD)/fuzz $(BUILD)/report
	GRADE=$(BUILD)/grade GRADE_PROBE=$(BUILD)/grade-probe GRADE_SH='sh labs/teach/grade.sh' \
	AUTOGRADER_SH='sh labs/teach/autograder.sh' GRADCHECK=$(BUILD)/gradcheck TRAIN_NET2=$(BUILD)/train_net2 LAB2_ACTIVATIONS=$(BUILD)/lab2_activations TRAIN_FLOW=$(BUILD)/train_flow TRAIN_WORD2VEC=$(BUILD)/train_word2vec HS_COST=$(BUILD)/hs_cost LAB1_SHIFT=$(BUILD)/lab1_shift FUZZ=$(BUILD)/fuzz STRIP=$(BUILD)/strip LEAKCHECK=$(BUILD)/leakcheck W2V_EXPLORE=$(BUILD)/w2v_explore ASAN_OPTIONS=handle_segv=0 $(BUILD)/test_gradlab
	$(BUILD)/gradcheck-slips > $(BUILD)/slips.txt || { cat $(BUILD)/slips.txt; exit 1; }
	@$(MAKE) -s fuzz BUILD=$(BUILD) SAN=$(SAN)
	@tail -n 1 $(BUILD)/slips.txt
ifneq ($(SAN),1)
	sh tests/outside/run.sh $(BUILD)
	sh tests/grade/run.sh $(BUILD)
	sh tests/report/run.sh $(BUILD)
	sh tests/report/planted.sh $(BUILD)
	sh tests/grade/attacks.sh $(BUILD)
endif
else
check:
	@echo "The unit tests are not part of the student release: run make lab1 .. make lab5, or"
	@echo "build/gradcheck --all, to check your functions."
endif
#<instructor

lab1: all deps-plot
	$(BUILD)/gradcheck --lab 1
	$(BUILD)/lab1_shift
	@mkdir -p $(BUILD)/lab1
	$(BUILD)/gradcheck --sweep cross_entropy_soft --out $(BUILD)/lab1/step_sweep.dat
	@echo "wrote $(BUILD)/lab1/step_sweep.dat"
	@$(call PLOT,$(BUILD)/lab1/step_sweep.dat,$(BUILD)/lab1/step_sweep,step_sweep)
	$(BUILD)/gradcheck --lab 1 --method taylor
	@$(call PLOT,$(BUILD)/lab1/step_sweep.dat,$(BUILD)/lab1/taylor,taylor)

lab2: all deps-plot
	$(BUILD)/gradcheck --lab 2
	$(BUILD)/train_net2 --out-dir $(BUILD)/lab2
	@$(call PLOT,$(BUILD)/lab2/loss.dat,$(BUILD)/lab2/loss,loss)
	@$(call PLOT,$(BUILD)/lab2/decision.dat,$(BUILD)/lab2/decision,decision,pointsfile='$(BUILD)/lab2/points.dat';)
	$(BUILD)/lab2_activations --out-dir $(BUILD)/lab2
	@$(call PLOT,$(BUILD)/lab2/saturation.dat,$(BUILD)/lab2/saturation,saturation)
	@$(call PLOT,$(BUILD)/lab2/zigzag.dat,$(BUILD)/lab2/zigzag,zigzag)

# Lab 3: negative sampling on the whole corpus; the naive softmax, which costs
# O(V d) per pair, on its first 40,000 words only.
THREADS ?= $(shell nproc 2>/dev/null || echo 1)
W2V_NEAR = moses,aaron,egypt,pharaoh,david,jerusalem,jesus,peter,gold,sheep,bread,sword
# The related pairs whose neighbourhood lab 3 follows epoch by epoch.
W2V_PAIRS = moses:aaron,gold:silver,sheep:oxen,peter:john,jesus:christ,bread:eat,sword:famine,egypt:canaan,david:saul,jerusalem:judah,aaron:eleazar,pharaoh:egypt
W2V_PROJ = moses,aaron,pharaoh,egypt,david,saul,solomon,jesus,peter,paul,gold,silver,brass,sheep,goats,oxen,bread,wine,oil,sword,spear,bow,jerusalem,babylon,zion

lab3: all deps-plot
	$(BUILD)/gradcheck --lab 3
	@mkdir -p $(BUILD)/lab3
	$(BUILD)/train_word2vec --loss neg --threads $(THREADS) --held-out 0.02 --pairs $(W2V_PAIRS) \
	  --out $(BUILD)/lab3/vectors.txt
	$(BUILD)/train_word2vec --loss softmax --max-words 40000 --dim 50 --epochs 3 \
	  --threads $(THREADS) --quiet --out $(BUILD)/lab3/vectors_softmax.txt
	$(BUILD)/w2v_explore --vectors $(BUILD)/lab3/vectors.txt --top 6 --neighbours $(W2V_NEAR) \
	  --project $(W2V_PROJ) --out $(BUILD)/lab3/projection.dat
	@$(call PLOT,$(BUILD)/lab3/vectors.loss.dat,$(BUILD)/lab3/loss,w2v_loss,title='skip-gram with negative sampling (K = 5) on the whole corpus';)
	@$(call PLOT,$(BUILD)/lab3/vectors.epochs.dat,$(BUILD)/lab3/epochs,w2v_epochs)
	@$(call PLOT,$(BUILD)/lab3/vectors_softmax.loss.dat,$(BUILD)/lab3/loss_softmax,w2v_loss,title='skip-gram with the naive softmax on the first 40000 words';)
	@$(call PLOT,$(BUILD)/lab3/projection.dat,$(BUILD)/lab3/word_vectors,word_vectors)

# Lab 4: the cost of one pair as V grows (hs_cost), then the three losses on
# the same slice (lab 3's naive-softmax slice: the first 40,000 words).
LAB4_SLICE = --max-words 40000 --dim 50 --epochs 3 --threads $(THREADS) --quiet

lab4: all deps-plot
	$(BUILD)/gradcheck --lab 4
	@mkdir -p $(BUILD)/lab4
	$(BUILD)/hs_cost --out-dir $(BUILD)/lab4
	@$(call PLOT,$(BUILD)/lab4/cost.dat,$(BUILD)/lab4/cost_vs_vocab,cost_vs_vocab)
	$(BUILD)/train_word2vec --loss softmax $(LAB4_SLICE) --out $(BUILD)/lab4/softmax.txt
	$(BUILD)/train_word2vec --loss hs $(LAB4_SLICE) --out $(BUILD)/lab4/hs.txt
	$(BUILD)/train_word2vec --loss neg $(LAB4_SLICE) --out $(BUILD)/lab4/neg.txt
	@$(call PLOT,$(BUILD)/lab4/softmax.loss.dat,$(BUILD)/lab4/losses,w2v_losses,hsfile='$(BUILD)/lab4/hs.loss.dat'; negfile='$(BUILD)/lab4/neg.loss.dat';)

lab5: all deps-plot
	$(BUILD)/gradcheck --lab 5
	$(BUILD)/train_flow --out-dir $(BUILD)/lab5
	@$(call PLOT,$(BUILD)/lab5/loss.dat,$(BUILD)/lab5/loss,nll)
	@$(call PLOT,$(BUILD)/lab5/data.dat,$(BUILD)/lab5/samples,flow_samples,samplesfile='$(BUILD)/lab5/samples.dat';)

labs: lab1 lab2 lab3 lab4 lab5

# make handouts: every handout as HTML with its math as MathML and the
# pictures make labN drew, and an index page (build/handouts/index.html).
# pandoc is installed like the labs' other dependencies; the labs never need it.
handouts:
	@sh labs/ensure-deps.sh pandoc
	@sh handouts/render/render.sh $(BUILD)
#>instructor

# Every rendered page opened in headless Chromium (tests/handouts/browser.sh):
# a missing image or a handout without MathML fails; PICTURES=1 also fails a
# picture not drawn yet (CI runs make labs first). Screenshots: build/handouts-screenshots/.
handouts-test: handouts
	@sh labs/ensure-deps.sh chromium
	@sh tests/handouts/browser.sh $(BUILD) $(if $(filter 1,$(PICTURES)),--require-pictures)

# The class report (REPORT=, the last make report's) in headless Chromium
# (tests/report/browser.sh): its picture loads, its tables are shown, every
# handout link finds its section. Screenshots: build/class-report-screenshots/.
REPORT ?= $(BUILD)/class-report
report-test: handouts
	@sh labs/ensure-deps.sh chromium
	@sh tests/report/browser.sh $(BUILD) $(REPORT)
#<instructor

# No false failures: every check at seeds 0..200 with each method (3 x 201 runs
# of gradcheck --all, about 3 minutes on one core).
seed-sweep: $(BUILD)/gradcheck
	@sh labs/seed_sweep.sh $(BUILD) 0 200

BENCH_RUNS ?= 5
bench: all seed-sweep
	@echo "bench: gradcheck --all, 7 runs"
	@for i in 1 2 3 4 5 6 7; do s=$$(date +%s%N); $(BUILD)/gradcheck --all >/dev/null || exit 1; \
	  e=$$(date +%s%N); echo $$(( (e - s) / 1000 )); done | sort -n | \
	  awk '{t[NR] = $$1} END {printf "bench: gradcheck --all wall time: median %.1f ms (min %.1f, max %.1f)\n", \
	       t[int((NR + 1) / 2)] / 1e3, t[1] / 1e3, t[NR] / 1e3}'
	@$(MAKE) -s $(BUILD)/kernel_bench BUILD=$(BUILD)
	@mkdir -p $(BUILD)/bench && $(BUILD)/kernel_bench > $(BUILD)/bench/kernel.txt
	@sed 's/^kernel_bench/bench: kernel/' $(BUILD)/bench/kernel.txt
	@echo "bench: word2vec on the lab 3 corpus (d = 100, window 5, K = 5, sample 1e-3, min-count 5, 5 epochs), $(BENCH_RUNS) runs each"
	@sh labs/lab3/bench.sh $(BUILD) neg $(BENCH_RUNS)
	@sh labs/lab3/bench.sh $(BUILD) hs $(BENCH_RUNS)
	@sh labs/lab3/anchor_bench.sh $(BUILD) 3
#>instructor
	@$(MAKE) -s $(BUILD)/grade $(BUILD)/strip BUILD=$(BUILD)
	@sh labs/teach/grade_bench.sh $(BUILD) 100
	@$(MAKE) -s $(BUILD)/report BUILD=$(BUILD)
	@sh labs/teach/report_bench.sh $(BUILD) 1000
#<instructor

#>instructor
# Grading (labs/teach/grade.sh): grade-probe, linked with a student's src/,
# answers numeric queries in the sandbox; grade, linked with the reference,
# runs every test of the grading tables on those answers and writes
# results.json.
$(BUILD)/grade-probe: $(BUILD)/obj/labs/teach/probe.o $(CHECKS_OBJ) $(LIBS)
	$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) -o $@

# The student release (instructors' tree only): solutions stripped to stubs,
# then verified; see labs/teach/release.sh.
ifneq ($(wildcard labs/teach/strip.c),)
$(BUILD)/strip: $(BUILD)/obj/labs/teach/strip.o $(LIBS)
	$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/leakcheck: $(BUILD)/obj/labs/teach/leakcheck.o $(LIBS)
	$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) -o $@

# The slips catalogue (instructor only): every slip must be caught.
$(BUILD)/gradcheck-slips: $(BUILD)/obj/labs/teach/slips_main.o $(SLIPS_OBJ) $(CHECKS_OBJ) \
                          $(BUILD)/obj/labs/args.o $(LIBS)
	$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) -o $@

release: $(BUILD)/strip $(BUILD)/leakcheck
	@sh labs/teach/release.sh $(BUILD)

# grade, linked with the reference, runs every test of the grading tables
# on the answers of grade-probe (above) and writes results.json.

$(BUILD)/grade: $(BUILD)/obj/labs/teach/grade.o $(TEACH_OBJ) $(LIBS)
	$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) -o $@

# The class report (labs/teach/report.c): what a class got wrong, from
# results.json files; make report draws its histogram and puts it in place.
$(BUILD)/report: $(BUILD)/obj/labs/teach/report.o $(REPORT_OBJ) $(TEACH_OBJ) $(LIBS)
	$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) -o $@

GRADES ?= $(BUILD)/grades
report: $(BUILD)/report handouts
	@sh labs/teach/report.sh --build $(BUILD) --out $(BUILD)/class-report $(if $(EARLIER),--earlier "$(EARLIER)") \
	  $(if $(TITLE),--title "$(TITLE)") "$(GRADES)"

# The same grader linked statically, for the Gradescope zip (another distribution's libc).
$(BUILD)/grade-static: $(BUILD)/obj/labs/teach/grade.o $(TEACH_OBJ) $(LIBS)
	$(CC) $(ALL_CFLAGS) -static $^ $(LDLIBS) -o $@

LABS ?= 1 2 3 4 5
grade: $(BUILD)/grade $(BUILD)/strip
	@sh labs/teach/grade.sh --build $(BUILD) --labs "$(LABS)" --submissions "$(SUBMISSIONS)" \
	  --timeout "$(TIMEOUT)" --jobs "$(JOBS)" $(if $(filter 1,$(UNSAFE)),--unsafe)

autograder: $(BUILD)/grade $(BUILD)/grade-static $(BUILD)/strip $(BUILD)/leakcheck
	@sh labs/teach/autograder.sh $(BUILD) "$(LABS)"
else
release grade autograder report:
	@echo "make $@ works in the instructors' tree, not in the student release"; exit 2
endif
#<instructor

# make install: libgradcheck alone (static and shared, portable), its header,
# gradcheck.pc, the gradcheck(3) and gradcheck(1) pages, and the program.
GC_MAJOR = $(firstword $(subst ., ,$(GC_VERSION)))
$(BUILD)/gradcheck.pc: gradcheck/gradcheck.pc.in gradcheck/gradcheck.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(GC_VERSION)|' $< > $@

install: $(BUILD)/gradcheck $(BUILD)/libgradcheck.a $(BUILD)/libgradcheck.so $(BUILD)/gradcheck.pc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include \
	           $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man3
	install -m 755 $(BUILD)/gradcheck $(DESTDIR)$(PREFIX)/bin/gradcheck
	install -m 644 $(BUILD)/libgradcheck.a $(DESTDIR)$(PREFIX)/lib/libgradcheck.a
	install -m 755 $(BUILD)/libgradcheck.so $(DESTDIR)$(PREFIX)/lib/libgradcheck.so.$(GC_VERSION)
	ln -sf libgradcheck.so.$(GC_VERSION) $(DESTDIR)$(PREFIX)/lib/libgradcheck.so.$(GC_MAJOR)
	ln -sf libgradcheck.so.$(GC_MAJOR) $(DESTDIR)$(PREFIX)/lib/libgradcheck.so
	install -m 644 gradcheck/gradcheck.h $(DESTDIR)$(PREFIX)/include/gradcheck.h
	install -m 644 $(BUILD)/gradcheck.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/gradcheck.pc
	install -m 644 gradcheck/gradcheck.1 $(DESTDIR)$(PREFIX)/share/man/man1/gradcheck.1
	install -m 644 gradcheck/gradcheck.3 $(DESTDIR)$(PREFIX)/share/man/man3/gradcheck.3

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
