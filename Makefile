# gradlab — build the checker and the labs, run them. GNU make.
#
#   make labN      lab N: build, run its checks, its programs, draw its plots
#   make labs      every lab, in order
#   make handouts  the handouts as HTML pages, math as MathML, with the labs' pictures
#   make seed-sweep  every check by each method at seeds 0..200 (minutes: 4.5 of CPU)
#   make bench     timings (medians of several runs)
#   make install   libgradcheck alone: its libraries, header, pkg-config file and man pages
#   make clean     remove $(BUILD), where everything generated goes
#
# The labs are the folders labs/labN/. Each holds its checks (checks.c), its
# programs, and lab.mk, which says how they are built and what make labN runs.
# A new lab is a new folder: nothing in this file names a lab.
#>instructor
# The instructors' targets (make check, release, grade, autograder, goldens)
# are in labs/teach/teach.mk, included at the end; the student release has
# neither that file nor these lines.
#<instructor

# ---- 1. Where things go, and the compiler's flags ----

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
LDLIBS  = -lm
# Includes point one way, and the flags enforce it: the checker sees only
# itself, src/ only itself, the labs both (and the list of labs make wrote).
GC_CFLAGS  = $(WARN) -fPIC -Igradcheck $(SANFLAGS) $(CFLAGS)
SRC_CFLAGS = $(WARN) -Isrc $(SIMD) $(SANFLAGS) $(CFLAGS)
LAB_CFLAGS = $(WARN) -Isrc -Igradcheck -Ilabs -I$(BUILD)/gen $(SIMD) $(SANFLAGS) $(CFLAGS)
# Links a program from its prerequisites.
LINK = $(CC) $(SANFLAGS) $(CFLAGS) $(LDFLAGS) $(filter %.o %.a,$^) $(LDLIBS) -o $@

# Compiles $< into $@ with the flags $(1), and notes what it included (the .d files).
define COMPILE
@mkdir -p $(dir $@)
$(CC) $(1) -MMD -MP -c $< -o $@
endef

# ---- 2. The two libraries: libgradlab (src/) and libgradcheck (gradcheck/) ----

GC_VERSION = $(shell sed -n 's/^\#define GC_VERSION "\(.*\)"/\1/p' gradcheck/gradcheck.h)
GC_MAJOR   = $(firstword $(subst ., ,$(GC_VERSION)))
LIB_OBJ = $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard src/*.c))
GC_OBJ  = $(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out gradcheck/main.c,$(wildcard gradcheck/*.c)))
LIBS    = $(BUILD)/libgradlab.a $(BUILD)/libgradcheck.a

$(BUILD)/obj/src/%.o: src/%.c
	$(call COMPILE,$(SRC_CFLAGS))

$(BUILD)/obj/gradcheck/%.o: gradcheck/%.c
	$(call COMPILE,$(GC_CFLAGS))

$(BUILD)/libgradlab.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/libgradcheck.a: $(GC_OBJ)
	$(AR) rcs $@ $^

# The shared library. Its soname names the versions that keep its ABI: the
# major of GC_VERSION (libgradcheck.so.1 for 1.x), and while that is 0 the
# minor too (libgradcheck.so.0.4), since a 0.x minor may change it.
GC_MINOR  = $(word 2,$(subst ., ,$(GC_VERSION)))
GC_SONAME = libgradcheck.so.$(if $(filter 0,$(GC_MAJOR)),0.$(GC_MINOR),$(GC_MAJOR))
$(BUILD)/libgradcheck.so: $(GC_OBJ)
	$(CC) -shared -Wl,-soname,$(GC_SONAME) $(SANFLAGS) $^ -lm -o $@

# ---- 3. The labs ----

# The labs, by number: every folder labs/labN/ with a checks.c.
LAB_NUMBERS := $(shell sh labs/list.sh)
LAB_TARGETS := $(addprefix lab,$(LAB_NUMBERS))

# A lab's file knows its lab's number from its folder: labs/lab6/x.c is
# compiled with -DLAB_NUMBER=6 (labs/lab.h). Files of labs/ itself are shared.
$(BUILD)/obj/labs/lab%.o: labs/lab%.c
	$(call COMPILE,$(LAB_CFLAGS) -DLAB_NUMBER=$(firstword $(subst /, ,$*)))

$(BUILD)/obj/labs/%.o: labs/%.c
	$(call COMPILE,$(LAB_CFLAGS))

# The list of labs for C (labs/registry.c): $(BUILD)/gen/lab_list.h, rewritten
# only when the folders change, so that adding a lab rebuilds the registry.
LAB_LIST_H = $(BUILD)/gen/lab_list.h
LAB_LIST_LINES = '/* The labs, from the folders labs/labN/ (written by make). */' \
                 '\#define LAB_LIST $(foreach n,$(LAB_NUMBERS),X($(n)))'
$(LAB_LIST_H): FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' $(LAB_LIST_LINES) > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi
$(BUILD)/obj/labs/registry.o: $(LAB_LIST_H)
FORCE:

# Every lab's checks, the registry that lists them, and what the programs share.
CHECKS_OBJ = $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard labs/lab*/checks.c)) $(BUILD)/obj/labs/registry.o
NEEDS_OBJ  = $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard labs/lab*/needs.c))
ARGS_OBJ   = $(BUILD)/obj/labs/args.o $(BUILD)/obj/labs/require.o $(BUILD)/obj/labs/adam.o $(NEEDS_OBJ)

# Draws $(2).png from data $(1) with plots/$(3).gp, then its ASCII preview (a
# script with no preview exits on outfile=''). $(4): more gnuplot settings,
# each ending in ';' (no commas: make would split them), e.g. title='...';
PLOT = if command -v gnuplot >/dev/null 2>&1; then \
	  gnuplot -e "datafile='$(1)'; $(4) outfile='$(2).png.tmp'" plots/$(3).gp && mv -f $(2).png.tmp $(2).png && \
	  gnuplot -e "datafile='$(1)'; $(4) outfile=''" plots/$(3).gp && echo "wrote $(2).png"; fi

# Threads for the programs that take --threads.
THREADS ?= $(shell nproc 2>/dev/null || echo 1)

# Each lab's lab.mk adds its programs to LAB_BIN (and what its checks need
# beyond checks.c to CHECKS_OBJ), defines their rules and the target labN,
# which starts with `$(BUILD)/gradcheck --lab N` and then runs the lab's
# programs and draws its plots.
LAB_BIN =
BENCH_PARTS =
include $(foreach n,$(LAB_NUMBERS),labs/lab$(n)/lab.mk)

# The gradcheck program: the checker's command line, linked with the labs'
# checks (after the fragments, which may add to CHECKS_OBJ).
$(BUILD)/gradcheck: $(BUILD)/obj/gradcheck/main.o $(CHECKS_OBJ) $(LIBS)
	$(LINK)

# ---- 4. Everyday targets ----

.PHONY: all labs $(LAB_TARGETS) handouts seed-sweep bench install clean deps-plot FORCE
.DELETE_ON_ERROR:

all: $(BUILD)/gradcheck $(LIBS) $(BUILD)/libgradcheck.so $(LAB_BIN)

labs: $(LAB_TARGETS)

deps-plot:
	@sh labs/ensure-deps.sh gnuplot || true

# make handouts: every handout as HTML with its math as MathML and the
# pictures make labN drew, and an index page (build/handouts/index.html).
# pandoc and the math font (fonts-dejavu-extra) are installed like the labs'
# other dependencies; the labs never need them.
handouts:
	@sh labs/ensure-deps.sh pandoc
	@sh labs/ensure-deps.sh mathfont || true
	@sh handouts/render/render.sh $(BUILD)

# No false failures: every check at seeds 0..200 with each method (3 x 201 runs
# of gradcheck --all, about 4.5 minutes of CPU with lab 6).
seed-sweep: $(BUILD)/gradcheck
	@sh labs/seed_sweep.sh $(BUILD) 0 200

# make bench: the seed sweep, gradcheck --all's wall time, then the other
# timings: the targets lab.mk files (and teach.mk) add to BENCH_PARTS.
BENCH_RUNS ?= 5
bench: all seed-sweep
	@echo "bench: gradcheck --all, 7 runs"
	@for i in 1 2 3 4 5 6 7; do s=$$(date +%s%N); $(BUILD)/gradcheck --all >/dev/null || exit 1; \
	  e=$$(date +%s%N); echo $$(( (e - s) / 1000 )); done | sort -n | \
	  awk '{t[NR] = $$1} END {printf "bench: gradcheck --all wall time: median %.1f ms (min %.1f, max %.1f)\n", \
	       t[int((NR + 1) / 2)] / 1e3, t[1] / 1e3, t[NR] / 1e3}'
	@for t in $(BENCH_PARTS); do $(MAKE) -s $$t BUILD=$(BUILD) || exit 1; done

# make install: libgradcheck alone (static and shared, portable), its header,
# gradcheck.pc, the gradcheck(3) and gradcheck(1) pages, and the program.
# gradcheck.pc is written by the install itself, so it always names the
# PREFIX of that install; its Libs carry an rpath to that libdir, so a
# program built with pkg-config finds the shared library without
# LD_LIBRARY_PATH (or ldconfig).
install: $(BUILD)/gradcheck $(BUILD)/libgradcheck.a $(BUILD)/libgradcheck.so
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include \
	           $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man3
	install -m 755 $(BUILD)/gradcheck $(DESTDIR)$(PREFIX)/bin/gradcheck
	install -m 644 $(BUILD)/libgradcheck.a $(DESTDIR)$(PREFIX)/lib/libgradcheck.a
	install -m 755 $(BUILD)/libgradcheck.so $(DESTDIR)$(PREFIX)/lib/libgradcheck.so.$(GC_VERSION)
	ln -sf libgradcheck.so.$(GC_VERSION) $(DESTDIR)$(PREFIX)/lib/$(GC_SONAME)
	ln -sf $(GC_SONAME) $(DESTDIR)$(PREFIX)/lib/libgradcheck.so
	install -m 644 gradcheck/gradcheck.h $(DESTDIR)$(PREFIX)/include/gradcheck.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(GC_VERSION)|' gradcheck/gradcheck.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/gradcheck.pc.tmp
	mv -f $(DESTDIR)$(PREFIX)/lib/pkgconfig/gradcheck.pc.tmp $(DESTDIR)$(PREFIX)/lib/pkgconfig/gradcheck.pc
	install -m 644 gradcheck/gradcheck.1 $(DESTDIR)$(PREFIX)/share/man/man1/gradcheck.1
	install -m 644 gradcheck/gradcheck.3 $(DESTDIR)$(PREFIX)/share/man/man3/gradcheck.3

clean:
	rm -rf $(BUILD)
#>instructor

# ---- 5. The instructors' targets ----
-include labs/teach/teach.mk
#<instructor

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
