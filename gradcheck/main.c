/* main.c — the gradcheck command line. It runs the checks of the registry
 * the program is linked with, gc_program_checks (gradlab's: labs/registry.c),
 * whose groups it calls labs (--lab N).
 * Exit status: 0 every selected check passed, 1 any failed (or is not
 * implemented), 2 bad usage or input. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradcheck.h"

/* The checks this program runs: supplied by the program's own table. */
extern const gc_registry gc_program_checks;
#define REG (&gc_program_checks)

enum { MAX_SELECTED = 512 };

typedef struct {
    gc_options o;
    gc_format format;
    int list, isolate, explain;
    unsigned timeout;
    const char *sweep, *out;
    const char *sweep_ignores;   /* the first option (or check name) --sweep would not use */
    int ignores_name;
    const gc_check *selected[MAX_SELECTED];
    size_t nselected;
} cli;

static void usage(FILE *out)
{
    fputs("usage: gradcheck [--all | --lab N | NAME...] [options]\n"
          "       gradcheck --sweep NAME [--seed S] [--out FILE]\n"
          "       gradcheck --list [--lab N] [--format F]\n"
          "Checks analytic gradients (and Jacobians, JVPs, VJPs, second order) against finite\n"
          "differences.\n\n"
          "  --all               every registered check\n"
          "  --lab N             the checks of lab N, 0 to 99 (repeat for more labs; selectors\n"
          "                      add up in order, a check selected twice runs once)\n"
          "  --list              list the selected checks (all by default) and what each derives\n"
          "  --method M          central (default) or richardson differences, or taylor:\n"
          "                      the order of the remainder f(x+td) - f(x) - t grad.d (2 = right)\n"
          "  --tol T, --rtol T   relative tolerance: a value passes when |a - n| <= atol +\n"
          "                      rtol max(|a|, |n|, floor) (default 1e-6 for double functions,\n"
          "                      8.1e-4 for float ones); above 0 and below 1\n"
          "  --atol A            absolute tolerance (default 0); 0 or more, below 1\n"
          "  --step H            relative finite-difference step h / max(1, |x_i|) (default:\n"
          "                      eps^(1/3), Richardson eps^(1/5)); above 0, at most 0.5\n"
          "  --nondet-tol T      let two evaluations at one point differ by T relative (default\n"
          "                      0: any difference fails); 0 to below 1\n"
          "  --seed S            seed of the check points and the sampling (default 1), decimal or\n"
          "                      hexadecimal (0x...), 0 to 2^64 - 1\n"
          "  --format F          text (default), tap (TAP version 13), json (one object per line:\n"
          "                      a header, the checks, a summary) or junit (JUnit XML)\n"
          "  --full              check every coordinate, however large the block\n"
          "  --directional       check only random directions (8 per block, 2 evaluations each)\n"
          "  --explain, --no-explain\n"
          "                      diagnose failures in text output (default), or do not\n"
          "  --sweep NAME        write error against step size h for one gradient check (with\n"
          "                      --seed and --out only)\n"
          "  --out FILE          where --sweep writes (default: standard output)\n"
          "  --timeout SEC       time limit of one check, 1 to 86400 (default 60)\n"
          "  --no-fork           run checks in this process (for a debugger)\n"
          "  --help, --version\n\n"
          "Exit status: 0 all passed, 1 a check failed or is not implemented, 2 bad usage or\n"
          "a report that could not be written.\n",
          out);
}

static void die(const char *fmt, const char *arg)
{
    fputs("gradcheck: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see gradcheck --help)\n", stderr);
    exit(2);
}

/* A number for opt: finite, in (0, 1) (or [0, 1) when zero is allowed, or
 * (0, max] when max is below 1). */
static double parse_fraction(const char *opt, const char *s, int zero, double max)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < 0 || (v == 0 && !zero) || v > max ||
        v >= 1) {
        fprintf(stderr, "gradcheck: %s needs a %s number %s %g, got '%s'\n", opt,
                zero ? "non-negative" : "positive", max < 1 ? "at most" : "below", max, s);
        exit(2);
    }
    return v;
}

/* A whole number in [min, max]: decimal, or hexadecimal after 0x. */
static unsigned long long parse_count(const char *opt, const char *s, unsigned long long min,
                                      unsigned long long max)
{
    char *end;
    int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    errno = 0;
    unsigned long long v = strtoull(hex ? s + 2 : s, &end, hex ? 16 : 10);
    if (errno || end == s + 2 * hex || *end || !(isxdigit((unsigned char)s[2 * hex]) ||
        isdigit((unsigned char)s[0])) || v < min || v > max) {
        fprintf(stderr, "gradcheck: %s needs a whole number from %llu to %llu, got '%s'\n", opt,
                min, max, s);
        exit(2);
    }
    return v;
}

static void select_check(cli *c, const gc_check *chk)
{
    for (size_t i = 0; i < c->nselected; i++)
        if (c->selected[i] == chk)
            return;
    if (c->nselected < MAX_SELECTED)
        c->selected[c->nselected++] = chk;
}

static void select_name(cli *c, const char *name)
{
    const gc_check *k = gc_registry_find(REG, name);
    if (!k)
        die("no check named '%s' (gradcheck --list shows them)", name);
    select_check(c, k);
}

static void select_all(cli *c)
{
    for (size_t i = 0; i < gc_registry_count(REG); i++)
        select_check(c, gc_registry_at(REG, i));
}

static void select_lab(cli *c, int lab)
{
    size_t before = c->nselected;
    for (size_t i = 0; i < gc_registry_count(REG); i++)
        if (gc_registry_at(REG, i)->group == lab)
            select_check(c, gc_registry_at(REG, i));
    if (c->nselected == before) {
        fprintf(stderr, "gradcheck: lab %d has no checks (gradcheck --list shows them all)\n", lab);
        exit(2);
    }
}

static gc_format parse_format(const char *s)
{
    if (strcmp(s, "text") == 0)
        return GC_TEXT;
    if (strcmp(s, "tap") == 0)
        return GC_TAP;
    if (strcmp(s, "json") == 0)
        return GC_JSON;
    if (strcmp(s, "junit") == 0)
        return GC_JUNIT;
    die("--format is text, tap, json or junit, not '%s'", s);
    return GC_TEXT;
}

static gc_method parse_method(const char *s)
{
    if (strcmp(s, "central") == 0)
        return GC_CENTRAL;
    if (strcmp(s, "richardson") == 0)
        return GC_RICHARDSON;
    if (strcmp(s, "taylor") == 0)
        return GC_TAYLOR;
    die("--method is central, richardson or taylor, not '%s'", s);
    return GC_CENTRAL;
}

static void parse(cli *c, int argc, char **argv)
{
    enum { O_SWEEP = 256, O_OUT, O_TIMEOUT, O_NOFORK, O_FULL, O_DIR, O_EXPLAIN, O_NOEXPLAIN,
           O_ATOL, O_STEP, O_NONDET };
    static const struct option longs[] = {
        { "all", no_argument, 0, 'a' },          { "lab", required_argument, 0, 'l' },
        { "list", no_argument, 0, 'L' },         { "method", required_argument, 0, 'm' },
        { "tol", required_argument, 0, 't' },    { "rtol", required_argument, 0, 't' },
        { "atol", required_argument, 0, O_ATOL }, { "step", required_argument, 0, O_STEP },
        { "nondet-tol", required_argument, 0, O_NONDET }, { "seed", required_argument, 0, 's' },
        { "format", required_argument, 0, 'f' }, { "sweep", required_argument, 0, O_SWEEP },
        { "out", required_argument, 0, O_OUT },  { "timeout", required_argument, 0, O_TIMEOUT },
        { "no-fork", no_argument, 0, O_NOFORK }, { "help", no_argument, 0, 'h' },
        { "full", no_argument, 0, O_FULL },      { "directional", no_argument, 0, O_DIR },
        { "explain", no_argument, 0, O_EXPLAIN }, { "no-explain", no_argument, 0, O_NOEXPLAIN },
        { "version", no_argument, 0, 'V' },      { 0, 0, 0, 0 }
    };
    int ch, at;
    opterr = 0;
    while ((at = optind, ch = getopt_long(argc, argv, "-", longs, NULL)) != -1) {   /* "-": names in order */
        if (ch != O_SWEEP && ch != O_OUT && ch != 's' && ch != 'h' && ch != 'V' && ch != '?' &&
            !c->sweep_ignores)
            c->sweep_ignores = ch == 1 ? optarg : argv[at], c->ignores_name = ch == 1;
        switch (ch) {
        case 'a': select_all(c); break;
        case 'l': select_lab(c, (int)parse_count("--lab", optarg, 0, 99)); break;
        case 1: select_name(c, optarg); break;
        case 'L': c->list = 1; break;
        case 'm': c->o.method = parse_method(optarg); break;
        case 't': c->o.rtol = parse_fraction(argv[at][2] == 'r' ? "--rtol" : "--tol", optarg, 0, 1); break;
        case O_ATOL: c->o.atol = parse_fraction("--atol", optarg, 1, 1); break;
        case O_STEP: c->o.step = parse_fraction("--step", optarg, 0, 0.5); break;
        case O_NONDET: c->o.nondet_tol = parse_fraction("--nondet-tol", optarg, 1, 1); break;
        case 's': c->o.seed = parse_count("--seed", optarg, 0, UINT64_MAX); break;
        case 'f': c->format = parse_format(optarg); break;
        case O_SWEEP: c->sweep = optarg; break;
        case O_OUT: c->out = optarg; break;
        case O_TIMEOUT: c->timeout = (unsigned)parse_count("--timeout", optarg, 1, 86400); break;
        case O_NOFORK: c->isolate = 0; break;
        case O_FULL: c->o.full_limit = (size_t)-1; break;
        case O_DIR: c->o.full_limit = 0, c->o.sample = 0; break;
        case O_EXPLAIN: c->explain = 1; break;
        case O_NOEXPLAIN: c->explain = 0; break;
        case 'h': usage(stdout); exit(0);
        case 'V': printf("gradcheck %s\n", GC_VERSION); exit(0);
        default:
            die(optopt ? "unknown option or missing value for '%s'" : "unknown option '%s'",
                argv[optind - 1]);
        }
    }
}

/* 0, or 2 with one line when standard output could not take what was
 * printed (a full disk, a closed descriptor). */
static int output_written(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    fprintf(stderr, "gradcheck: cannot write the report to standard output: %s\n",
            strerror(errno ? errno : EIO));
    return 2;
}

/* The selection (every check when nothing was selected), in --format. */
static int list_checks(cli *c)
{
    if (c->nselected == 0)
        select_all(c);
    if (c->format == GC_TAP)
        printf("TAP version 13\n1..%zu\n", c->nselected);
    if (c->format == GC_JUNIT)
        printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"gradcheck\">\n"
               "  <testsuite name=\"list\" tests=\"%zu\" skipped=\"%zu\">\n", c->nselected,
               c->nselected);
    for (size_t i = 0; i < c->nselected; i++) {
        const gc_check *k = c->selected[i];
        if (c->format == GC_TAP) {
            printf("ok %zu - %s # SKIP listed, not run\n", i + 1, k->name);
        } else if (c->format == GC_JSON) {
            fputs("{\"check\":", stdout);
            gc_json_string(stdout, k->name);
            printf(",\"lab\":%d,\"what\":", k->group);
            gc_json_string(stdout, k->what);
            fputs("}\n", stdout);
        } else if (c->format == GC_JUNIT) {
            printf("    <testcase name=\"%s\" classname=\"lab %d\"><skipped/></testcase>\n",
                   k->name, k->group);   /* check names are identifiers: nothing to escape */
        } else {
            printf("%-20s lab %d  %s\n", k->name, k->group, k->what);
        }
    }
    if (c->format == GC_JUNIT)
        printf("  </testsuite>\n</testsuites>\n");
    return output_written();
}

/* Writes the sweep to standard output, or whole-or-nothing to --out. It
 * takes one check name, --seed and --out; anything else would be ignored,
 * so it is refused. */
static int run_sweep(const cli *c)
{
    if (c->sweep_ignores) {
        fprintf(stderr, "gradcheck: --sweep takes one check (--sweep NAME), --seed and --out; "
                "it does not use %s%s%s (see gradcheck --help)\n", c->ignores_name ?
                "another check name, '" : "", c->sweep_ignores, c->ignores_name ? "'" : "");
        return 2;
    }
    const gc_check *k = gc_registry_find(REG, c->sweep);
    if (!k)
        die("no check named '%s' (gradcheck --list shows them)", c->sweep);
    gc_problem p;
    if (k->setup(&p, c->o.seed) != 0) {
        fputs("gradcheck: out of memory\n", stderr);
        return 2;
    }
    if (p.custom || (p.map && p.kind != GC_GRADIENT)) {
        fprintf(stderr, "gradcheck: '%s' checks a Jacobian; --sweep needs a gradient check\n",
                c->sweep);
        gc_problem_free(&p);
        return 2;
    }
    gc_outfile o = { .f = stdout };
    if (c->out && gc_outfile_open(&o, c->out) != 0) {
        fprintf(stderr, "gradcheck: cannot write '%s': %s\n", c->out, gc_outfile_error(errno));
        gc_problem_free(&p);
        return 2;
    }
    errno = 0;
    int swept = gc_sweep(&p, o.f), err = errno;
    gc_problem_free(&p);
    if (swept != 0 && (err == EDOM || err == EINVAL || err == ENOMEM)) {
        if (c->out)
            gc_outfile_abort(&o);
        fprintf(stderr, "gradcheck: cannot sweep '%s': %s\n", c->sweep, err == ENOMEM ?
                "out of memory" : "its check point is not usable (run gradcheck on it)");
        return 2;
    }
    if (!c->out)
        return swept != 0 ? 2 : 0;
    if (swept != 0) {
        gc_outfile_abort(&o);
        errno = err ? err : EIO;
    }
    if (swept != 0 || gc_outfile_commit(&o) != 0) {
        fprintf(stderr, "gradcheck: cannot write '%s': %s\n", c->out, gc_outfile_error(errno));
        return 2;
    }
    return 0;
}

static int run_checks(const cli *c)
{
    size_t counts[GC_ERROR + 1] = { 0 };
    gc_report *reports = c->format == GC_JUNIT ? calloc(c->nselected, sizeof *reports) : NULL;
    if (c->format == GC_JUNIT && !reports) {
        fputs("gradcheck: out of memory\n", stderr);
        return 2;
    }
    gc_print_header(stdout, c->format, &c->o, c->nselected);
    for (size_t i = 0; i < c->nselected; i++) {
        gc_report r;
        if (c->isolate)
            gc_run_isolated(c->selected[i], &c->o, c->timeout, &r);
        else
            gc_run_check(c->selected[i], &c->o, &r);
        counts[r.status]++;
        if (reports)
            reports[i] = r;
        else
            gc_print_report(stdout, c->format, c->explain, i + 1, "lab", c->selected[i], &r);
    }
    if (reports)
        gc_print_junit(stdout, "lab", c->selected, reports, c->nselected);
    gc_print_summary(stdout, c->format, counts);
    free(reports);
    int written = output_written();
    return written ? written : counts[GC_PASS] == c->nselected ? 0 : 1;
}

int main(int argc, char **argv)
{
    cli c = { .o = gc_default_options(), .format = GC_TEXT, .isolate = 1, .timeout = 60,
              .explain = 1 };
    parse(&c, argc, argv);
    if (c.list)
        return list_checks(&c);
    if (c.sweep)
        return run_sweep(&c);
    if (c.nselected == 0)
        die("%s", "nothing to check: give --all, --lab N or check names");
    if (c.out)
        die("%s", "--out goes with --sweep");
    return run_checks(&c);
}
