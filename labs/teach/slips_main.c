/* slips_main.c — gradcheck-slips, the instructor's run of the slips
 * catalogue (slips.h): every slip must be caught and diagnosed.
 *   gradcheck-slips [--method central|richardson|taylor] [--seed S]
 *   gradcheck-slips --list       the catalogue: each slip's name, the check it changes, what it is
 *   gradcheck-slips --report SLIP [--method M] [--seed S]
 *                                the text report gradcheck gives the check SLIP changes when its
 *                                function is written the slip's way (the handouts quote these)
 * Exit: 0 every slip caught as expected (--report: the check failed), 1 one was
 * missed (--report: the check passed), 2 bad usage, no such slip or a report
 * that could not be written. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "registry.h"
#include "slips.h"

/* The report of the check s changes, as `gradcheck CHECK` prints it when
 * the check's function is written the slip's way. */
static int report(const char *name, const gc_options *o)
{
    const slip_entry *s = slip_find(name);
    const gc_check *right = s ? lab_find(s->check) : NULL;
    if (!right)
        arg_fail("gradcheck-slips", "no slip named '%s' (gradcheck-slips --list)", name);
    gc_check c = slip_check(s);
    c.name = right->name;
    c.what = right->what;
    gc_report r;
    gc_run_isolated(&c, o, 60, &r);
    if (gc_print_report(stdout, GC_TEXT, 1, 1, "lab", &c, &r) != 0 || fflush(stdout) != 0)
        return GL_EXIT_USAGE;               /* the report could not be written */
    return r.status == GC_PASS ? GL_EXIT_FAILED : GL_EXIT_DONE;
}

int main(int argc, char **argv)
{
    gc_options o = gc_default_options();
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < slip_count(); i++) {
            const slip_entry *s = slip_at(i, NULL);
            printf("%s\t%s\t%s\n", s->name, s->check, s->what);
        }
        return fflush(stdout) != 0 || ferror(stdout) ? GL_EXIT_FAILED : GL_EXIT_DONE;
    }
    const char *show = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--report") == 0 && v)
            show = argv[++i];
        else if (strcmp(a, "--method") == 0 && v && strcmp(v, "central") == 0)
            o.method = GC_CENTRAL, i++;
        else if (strcmp(a, "--method") == 0 && v && strcmp(v, "richardson") == 0)
            o.method = GC_RICHARDSON, i++;
        else if (strcmp(a, "--method") == 0 && v && strcmp(v, "taylor") == 0)
            o.method = GC_TAYLOR, i++;
        else if (strcmp(a, "--seed") == 0 && v)
            o.seed = arg_seed("gradcheck-slips", a, argv[++i]);
        else
            arg_fail("gradcheck-slips", "unknown option or value '%s' (usage: gradcheck-slips "
                     "[--report SLIP] [--method central|richardson|taylor] [--seed S])", a);
    }
    if (show)
        return report(show, &o);
    return slips_run(stdout, &o, 60) == 0 ? GL_EXIT_DONE : GL_EXIT_FAILED;
}
