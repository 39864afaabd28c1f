/* slips_main.c — gradcheck-slips, the instructor's run of the slips
 * catalogue (slips.h): every slip must be caught and diagnosed.
 *   gradcheck-slips [--method central|richardson|taylor] [--seed S]
 *   gradcheck-slips --list       the catalogue: each slip's name, the check it changes, what it is
 * Exit: 0 every slip caught as expected, 1 one was missed, 2 bad usage. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "slips.h"

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
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--method") == 0 && v && strcmp(v, "central") == 0)
            o.method = GC_CENTRAL, i++;
        else if (strcmp(a, "--method") == 0 && v && strcmp(v, "richardson") == 0)
            o.method = GC_RICHARDSON, i++;
        else if (strcmp(a, "--method") == 0 && v && strcmp(v, "taylor") == 0)
            o.method = GC_TAYLOR, i++;
        else if (strcmp(a, "--seed") == 0 && v)
            o.seed = arg_seed("gradcheck-slips", a, argv[++i]);
        else
            arg_fail("gradcheck-slips", "unknown option or value '%s' (usage: gradcheck-slips "
                     "[--method central|richardson|taylor] [--seed S])", a);
    }
    return slips_run(stdout, &o, 60) == 0 ? GL_EXIT_DONE : GL_EXIT_FAILED;
}
