/* slips.c — `gradcheck --slips`: the common slips of every lab, each run
 * through the checker in its own process. A slip counts as caught when the
 * check does not pass and the report (note or diagnosis) says what the
 * catalogue expects. This is also the test that the checker can fail. */
#include <stdio.h>
#include <string.h>

#include "gradcheck.h"

static const gc_slip *const slip_tables[] = { gc_lab1_slips, gc_lab2_slips, gc_lab3_slips,
                                               gc_lab4_slips, gc_lab5_slips };


size_t gc_run_slips(FILE *out, const gc_options *o, unsigned timeout)
{
    size_t total = 0, missed = 0;
    fprintf(out, "%-22s %-18s %-8s %s\n", "slip", "check", "verdict", "what the checker said");
    for (size_t t = 0; t < sizeof slip_tables / sizeof slip_tables[0]; t++)
        for (const gc_slip *s = slip_tables[t]; s->name; s++) {
            gc_check c = { s->name, 0, s->what, s->setup };
            gc_report r;
            gc_run_isolated(&c, o, timeout, &r);
            if (o->method == GC_TAYLOR && r.status == GC_PASS && r.kinks) {
                fprintf(out, "%-22s %-18s %-8s %s\n%50s(a kink: the Taylor test cannot judge it; "
                        "run --slips without --method taylor)\n", s->name, s->check, "n/a",
                        s->what, "");
                continue;
            }
            int caught = r.status != GC_PASS;
            int diagnosed = strstr(r.note, s->expect) || strstr(r.diagnosis, s->expect) ||
                            (o->method == GC_TAYLOR && caught);   /* the order is the diagnosis */
            const char *verdict = !caught ? "MISSED" : diagnosed ? "caught" : "caught?";
            fprintf(out, "%-22s %-18s %-8s %s\n", s->name, s->check, verdict, s->what);
            fprintf(out, "%50s%s\n", "", r.note);
            if (r.diagnosis[0])
                fprintf(out, "%50sdiagnosis: %s\n", "", r.diagnosis);
            if (caught && !diagnosed)
                fprintf(out, "%50sexpected the report to say: %s\n", "", s->expect);
            total++;
            missed += !(caught && diagnosed);
        }
    fprintf(out, "\nslips: %zu of %zu caught and diagnosed as expected\n", total - missed, total);
    return missed;
}
