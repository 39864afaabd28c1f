/* isolate.c — runs one check in a child process, so that a crash, an endless
 * loop or an exit() inside a student's function costs that check only. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gc_internal.h"

/* What a loss off by a simple factor from the golden value most likely is. */
static const char *golden_hint(double got, double want, char *buf, size_t size)
{
    double ratio = got / want;
    buf[0] = '\0';
    if (fabs(ratio + 1) < 1e-9)
        snprintf(buf, size, ": the sign of the loss is flipped");
    else if (ratio > 0 && ratio < 1 && fabs(1 / ratio - round(1 / ratio)) < 1e-6 * (1 / ratio))
        snprintf(buf, size, ": 1/%.0f of it, a mean over %.0f terms where their sum belongs?",
                 round(1 / ratio), round(1 / ratio));
    else if (ratio > 1 && fabs(ratio - round(ratio)) < 1e-6 * ratio)
        snprintf(buf, size, ": %.0f times it, every term counted %.0f times?", round(ratio),
                 round(ratio));
    return buf;
}

int gc_golden_verdict(const gc_check *c, size_t k, double J, gc_report *r)
{
    if (!c || !r || k >= c->ngolden || !c->golden)
        return 0;
    double want = c->golden[k];
    if (fabs(J - want) <= 1e-9 * fmax(1.0, fabs(want)))
        return 0;
    char hint[120];
    r->status = GC_FAIL;
    snprintf(r->note, sizeof r->note, "the gradient agrees with the loss, but the loss is "
             "%.12g, expected %.12g at golden input %zu%s", J, want, k + 1,
             golden_hint(J, want, hint, sizeof hint));
    snprintf(r->diagnosis, sizeof r->diagnosis, "the loss computes another function than "
             "the one asked (its gradient is right for that other function)");
    return -1;
}

/* The loss at c's golden input k into *J, and the problem's own words on
 * what it computes (explain_loss) into known when it is not the golden one.
 * 0, or the errno of a point that could not be set up (why says what). */
static int golden_loss(const gc_check *c, size_t k, double *J, char *why, size_t wsize,
                       char *known, size_t ksize)
{
    gc_problem p;
    memset(&p, 0, sizeof p);
    errno = 0;
    int rc = c->setup(&p, GC_GOLDEN_SEED + k);
    int err = rc != 0 ? (errno ? errno : ENOMEM) : 0;
    *J = NAN;
    known[0] = '\0';
    if (rc == 0 && gc_problem_valid(&p, why, wsize) != 0)
        err = EINVAL;
    else if (rc == 0 && (p.custom || (p.map && p.kind != GC_GRADIENT) || (!p.f && !p.f_parts && !p.f32)))
        err = EINVAL, snprintf(why, wsize, "its problem there is not a loss");
    if (!err) {
        if (p.reset)
            p.reset(p.ctx);
        errno = 0;
        *J = gc_loss(&p, p.x, NULL);
        err = isnan(*J) && errno == ENOMEM ? ENOMEM : 0;
    }
    if (!err && p.explain_loss && !(fabs(*J - c->golden[k]) <= 1e-9 * fmax(1.0, fabs(c->golden[k]))))
        p.explain_loss(&p, *J, known, ksize);
    if (rc == 0 || p.x || p.ctx)
        gc_problem_free(&p);
    return err;
}

/* After a passing gradient check: the loss itself at the golden points. A
 * loss that is wrong but agrees with its own gradient fails here. A golden
 * point that cannot be set up is an ERROR: it is never skipped. */
static void check_golden(const gc_check *c, gc_report *r)
{
    for (size_t k = 0; k < c->ngolden; k++) {
        char why[200] = "", known[sizeof r->diagnosis];
        double J;
        int err = golden_loss(c, k, &J, why, sizeof why, known, sizeof known);
        if (err) {
            gc_refuse(r, err, "");
            snprintf(r->note, sizeof r->note, "the check passed, but its golden input %zu could "
                     "not be set up: %s", k + 1, err == ENOMEM ? "out of memory" : why);
            return;
        }
        if (gc_golden_verdict(c, k, J, r) != 0) {
            gc_lead_diagnosis(r, known);
            return;
        }
    }
}

/* After a failing gradient check: is the loss wrong too? Said first in the
 * diagnosis, so that a wrong loss is named by its value even when its
 * gradient is wrong as well (a point that cannot be set up says nothing
 * here: the check has failed already). */
static void golden_after_failure(const gc_check *c, gc_report *r)
{
    for (size_t k = 0; k < c->ngolden; k++) {
        char why[200], known[sizeof r->diagnosis], hint[120], text[3 * sizeof r->diagnosis];
        double J, want = c->golden[k];
        if (golden_loss(c, k, &J, why, sizeof why, known, sizeof known) != 0 ||
            fabs(J - want) <= 1e-9 * fmax(1.0, fabs(want)))
            continue;
        if (strstr(r->diagnosis, known))           /* the gradient's hook said it already */
            known[0] = '\0';
        snprintf(text, sizeof text, "%s%s%sthe loss is wrong too: %.12g where %.12g belongs at "
                 "golden input %zu%s. %s", known[0] ? "likely: " : "", known, known[0] ? ". " : "",
                 J, want, k + 1, golden_hint(J, want, hint, sizeof hint), r->diagnosis);
        gc_fit_text(r->diagnosis, sizeof r->diagnosis, text);
        return;
    }
}

/* The check itself, in whatever process calls it. */
gc_status gc_run_check(const gc_check *c, const gc_options *o, gc_report *r)
{
    gc_problem p;
    char why[200] = "no check, or a check without a setup (NULL)";
    if (!r)
        return GC_ERROR;
    if (!c || !c->setup || gc_options_valid(o, why, sizeof why) != 0)
        return gc_refuse(r, EINVAL, why);
    memset(&p, 0, sizeof p);
    errno = 0;
    if (c->setup(&p, o->seed) != 0) {
        int err = errno ? errno : ENOMEM;
        if (p.x || p.ctx)
            gc_problem_free(&p);
        return gc_refuse(r, err, err == ENOMEM ? "out of memory while setting up the check"
                                               : "the check's set-up failed");
    }
    gc_check_gradient(&p, o, r);
    gc_problem_free(&p);
    if (r->status == GC_PASS && c->ngolden)
        check_golden(c, r);
    else if (r->status == GC_FAIL && c->ngolden)
        golden_after_failure(c, r);
    return r->status;
}

/* The child's side of gc_run_child. Never returns. */
static _Noreturn void child(void (*fn)(void *arg, int fd), void *arg, unsigned timeout, int fd)
{
    sigset_t alrm;
    dup2(STDERR_FILENO, STDOUT_FILENO);   /* a student's printf must not mix into TAP/JSON */
    signal(SIGALRM, SIG_DFL);             /* the parent's handler or mask must not save a loop */
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    sigprocmask(SIG_UNBLOCK, &alrm, NULL);
    char fdname[16];
    snprintf(fdname, sizeof fdname, "%d", fd);
    setenv(GC_REPORT_FD_ENV, fdname, 1);      /* a stub names itself there */
    alarm(timeout);
    fn(arg, fd);
    _exit(0);
}

static size_t read_all(int fd, void *dst, size_t size)
{
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, (char *)dst + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    return got;
}

int gc_run_child(void (*fn)(void *arg, int fd), void *arg, unsigned timeout, void *answer,
                 size_t size, size_t *got, int *status)
{
    int fds[2];
    size_t ignored;
    if (!got)
        got = &ignored;
    *got = 0;
    if (!fn || (size && !answer) || !status) {
        errno = EINVAL;
        return -1;
    }
    *status = -1;
    fflush(NULL);
    if (pipe(fds) != 0) {
        errno = ECHILD;
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]), close(fds[1]);
        errno = ECHILD;
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        child(fn, arg, timeout, fds[1]);
    }
    close(fds[1]);
    *got = read_all(fds[0], answer, size);
    close(fds[0]);
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
        ;
    return 0;
}

/* A check in the child: its report, whole, on fd. */
typedef struct {
    const gc_check *c;
    const gc_options *o;
} check_job;

static void run_job(void *arg, int fd)
{
    const check_job *job = arg;
    gc_report r;
    gc_run_check(job->c, job->o, &r);
    const char *buf = (const char *)&r;
    size_t left = sizeof r;
    while (left > 0) {
        ssize_t w = write(fd, buf, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(111);
        buf += w, left -= (size_t)w;
    }
}

/* Says what happened to a child that sent no report; `said` is what it
 * wrote instead (a stub's "not implemented: FUNCTION (FILE)"), or "". */
static void describe_death(int status, unsigned timeout, const char *said, gc_report *r)
{
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
        r->status = GC_TIMEOUT;
        snprintf(r->note, sizeof r->note, "no result after %u s: an endless loop?", timeout);
    } else if (WIFSIGNALED(status)) {
        r->status = GC_CRASH;
        snprintf(r->note, sizeof r->note, "crashed: %s (signal %d)", strsignal(WTERMSIG(status)),
                 WTERMSIG(status));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == GC_EXIT_NOT_IMPLEMENTED) {
        r->status = GC_NOT_IMPLEMENTED;
        snprintf(r->note, sizeof r->note, "%s", strncmp(said, "not implemented: ", 17) == 0
                 ? said : "a function this check calls is not implemented yet");
    } else {
        r->status = GC_CRASH;
        snprintf(r->note, sizeof r->note, "the process exited with status %d before the check "
                 "finished (exit() called inside a function?)", WEXITSTATUS(status));
    }
}

gc_status gc_run_isolated(const gc_check *c, const gc_options *o, unsigned timeout, gc_report *r)
{
    if (!r)
        return GC_ERROR;
    if (!c || !c->setup || gc_options_valid(o, NULL, 0) != 0)
        return gc_run_check(c, o, r);          /* the same refusal, said in one place */
    memset(r, 0, sizeof *r);
    int status;
    size_t got;
    check_job job = { c, o };
    if (gc_run_child(run_job, &job, timeout, r, sizeof *r, &got, &status) != 0)
        return gc_run_check(c, o, r);      /* no child: run it here */
    if (got == sizeof *r && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return r->status;
    char said[200];
    snprintf(said, sizeof said, "%.*s", (int)(got < sizeof said ? got : sizeof said - 1),
             (const char *)r);
    memset(r, 0, sizeof *r);
    describe_death(status, timeout, said, r);
    return r->status;
}
