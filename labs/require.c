/* require.c — see require.h. */
#define _POSIX_C_SOURCE 200809L
#include "require.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "exits.h"
#include "gradcheck.h"

_Static_assert(GL_EXIT_NOT_IMPLEMENTED == GC_EXIT_NOT_IMPLEMENTED,
               "a stub exits with the status the checker reads as not implemented");

static void run_need(void *arg, int fd)
{
    (void)fd;
    (*(const lab_need *)arg)();
}

/* Runs need in a child (gradcheck's gc_run_child); returns 1 and the stub's
 * words ("not implemented: FUNCTION (FILE)") in said when it reached a stub. */
static int reaches_stub(lab_need need, char *said, size_t size)
{
    int status;
    size_t got;
    int started = gc_run_child(run_need, &need, 5, said, size - 1, &got, &status) == 0;
    said[got] = '\0';
    return started && WIFEXITED(status) && WEXITSTATUS(status) == GC_EXIT_NOT_IMPLEMENTED;
}

void require_functions(const char *prog, int lab, const lab_need *needs, size_t n)
{
    char missing[1024] = "", said[200];
    for (size_t i = 0; i < n; i++) {
        if (!reaches_stub(needs[i], said, sizeof said))
            continue;
        const char *what = strncmp(said, "not implemented: ", 17) == 0 ? said + 17
                         : "a function it calls";
        if (strstr(missing, what))
            continue;
        size_t used = strlen(missing);
        snprintf(missing + used, sizeof missing - used, "%s%s", used ? ", " : "", what);
    }
    if (!missing[0])
        return;
    fprintf(stderr, "%s: cannot start: not implemented yet: %s; write %s first (gradcheck --lab "
            "%d checks them)\n", prog, missing, strchr(missing, ',') ? "them" : "it", lab);
    exit(GL_EXIT_USAGE);
}
