/* golden_main.c — golden-writer, make goldens: writes a lab's golden.h from
 * the reference solution it is linked with.
 *   golden-writer --lab N --out FILE
 * FILE gets one line GOLDEN_LOSSES(name, J0, J1, J2) per check of lab N
 * that asks for golden losses (GOLDEN(name) in its table), in the table's
 * order, each loss printed with 17 significant digits (it reads back as the
 * same double). The file is written whole or not at all.
 * Built from the labs' checks compiled with LAB_GOLDEN_WRITER (labs/lab.h),
 * so a new check builds before it has golden losses.
 * Exit: 0 written, 1 a loss could not be worked out, 2 bad usage or a file
 * that cannot be written, 3 out of memory. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "exits.h"
#include "goldens.h"
#include "registry.h"

static const char *const prog = "golden-writer";

/* Lab `lab`'s golden losses as golden.h's text into out. 0, or an exit status. */
static int write_lab(FILE *out, int lab)
{
    fprintf(out, "/* labs/lab%d/golden.h — the golden losses of lab %d's checks: the loss at the\n"
            " * golden inputs (seeds GC_GOLDEN_SEED + 0, 1, 2), from the reference solution\n"
            " * (labs/lab.h). Written from the reference: do not edit. */\n", lab, lab);
    const gc_check *c;
    for (size_t i = 0; (c = lab_check_at(i)) != NULL; i++) {
        if (c->group != lab || c->ngolden == 0)
            continue;
        fprintf(out, "GOLDEN_LOSSES(%s", c->name);
        for (size_t k = 0; k < c->ngolden; k++) {
            double J = NAN;
            char why[300] = "";
            if (golden_loss(c, k, &J, why, sizeof why) == 0 && !isfinite(J))
                snprintf(why, sizeof why, "%s: the reference's loss at golden input %zu is %g",
                         c->name, k + 1, J);
            if (why[0]) {
                fprintf(stderr, "%s: %s\n", prog, why);
                return GL_EXIT_FAILED;
            }
            fprintf(out, ", %.17g", J);
        }
        fprintf(out, ")\n");
    }
    return GL_EXIT_DONE;
}

int main(int argc, char **argv)
{
    int lab = 0;
    const char *path = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--lab") == 0)
            lab = (int)arg_size(prog, "--lab", argv[i + 1], 1, 9999);
        else if (strcmp(argv[i], "--out") == 0)
            path = argv[i + 1];
        else
            break;
    }
    if (argc != 5 || lab == 0 || !path)
        arg_fail(prog, "usage: golden-writer --lab N --out FILE");
    int known = 0;
    for (size_t t = 0; t < lab_count(); t++)
        known |= lab_number(t) == lab;
    if (!known)
        arg_fail(prog, "there is no lab %d (no folder labs/lab%d/ with a checks.c)", lab, lab);
    gc_outfile o;
    if (gc_outfile_open(&o, path) != 0)
        arg_fail(prog, "cannot write '%s': %s", path, gc_outfile_error(errno));
    int rc = write_lab(o.f, lab);
    if (rc != GL_EXIT_DONE) {
        gc_outfile_abort(&o);
        return rc;
    }
    if (gc_outfile_commit(&o) != 0)
        arg_fail(prog, "cannot write '%s': %s", path, gc_outfile_error(errno));
    printf("%s: wrote %s\n", prog, path);
    return GL_EXIT_DONE;
}
