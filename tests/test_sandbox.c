/* test_sandbox.c — the grader's protections that are not about one student's
 * answers: SHA-256 and HMAC against the published test vectors, uid leases
 * that no two graders share, limits a busy machine cannot fake (CPU time
 * counted over the run, an idle run stopped, never the wall clock alone),
 * memory bounded for the run as a whole (memfd included), a sandbox that
 * could not be set up reported as the grader's fault, strict UTF-8 in
 * results.json, spreadsheet formulas neutralised, and the comparison with the
 * reference described without a reference value. Tests that need root or a
 * cgroup return early where the machine has none. */
#define _GNU_SOURCE
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compare.h"
#include "gradcheck.h"
#include "results.h"
#include "sandbox.h"
#include "sha256.h"
#include "test_sandbox.h"
#include "tests.h"
#include "uidpool.h"

static sandbox_cfg cfg;
static int chosen;

const sandbox_cfg *test_sandbox(void)
{
    char name[600];
    if (!chosen)
        ck_assert_msg(sandbox_choose(&cfg, 61000, "/usr/bin/bwrap", name, sizeof name) == 0,
                      "%s", name);
    chosen = 1;
    return &cfg;
}

static void choose(void)
{
    test_sandbox();
}

/* Runs script in the sandbox with `seconds` of CPU and memory_mb; waits for
 * its answers (descriptor 4) to end, then finishes the run. */
static void run_sh(const char *script, double seconds, size_t memory_mb, sandbox_run *run)
{
    static sandbox_limits lim;
    lim = (sandbox_limits){ seconds, memory_mb, 1, 16, 16 };
    char *argv[] = { "/bin/sh", "-c", (char *)script, NULL }, buf[64];
    choose();
    ck_assert_int_eq(sandbox_start(&cfg, &lim, NULL, 0, "/tmp", argv, run), 0);
    size_t got = 0;
    sandbox_read_all(run, buf, sizeof buf, &got);
    sandbox_finish(run);
}

START_TEST(sha256_matches_the_published_vectors)
{
    unsigned char d[SHA256_BYTES];
    char hex[2 * SHA256_BYTES + 1];
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, "abc", 3);
    sha256_final(&c, d);
    sha256_hex(d, hex);                                /* FIPS 180-2, appendix B.1 */
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_init(&c);
    for (const char *p = two; *p; p++)                 /* in pieces: the block boundary */
        sha256_update(&c, p, 1);
    sha256_final(&c, d);
    sha256_hex(d, hex);                                /* appendix B.2 */
    ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, d);
    sha256_hex(d, hex);                                /* RFC 4231, test case 2 */
    ck_assert_str_eq(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    unsigned char key[131];
    memset(key, 0xaa, sizeof key);
    const char *msg = "Test Using Larger Than Block-Size Key - Hash Key First";
    hmac_sha256(key, sizeof key, msg, strlen(msg), d);
    sha256_hex(d, hex);                                /* RFC 4231, test case 6 */
    ck_assert_str_eq(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
END_TEST

/* Two leases never share a uid; a released uid is leased again. */
START_TEST(uid_leases_are_exclusive)
{
    if (geteuid() != 0)
        return;                                        /* leases are root's */
    uid_lease a, b, c;
    char err[300];
    ck_assert_msg(uid_lease_take(61500, &a, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(uid_lease_take(61500, &b, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_ne(a.uid, b.uid);
    uid_t freed = a.uid;
    uid_lease_release(&a);
    ck_assert_msg(uid_lease_take(61500, &c, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_le(c.uid, freed > b.uid ? freed : b.uid);
    ck_assert_uint_ne(c.uid, b.uid);
    /* another process cannot take a uid this one holds */
    pid_t pid = fork();
    if (pid == 0) {
        uid_lease d;
        _exit(uid_lease_take(b.uid, &d, err, sizeof err) == 0 && d.uid == b.uid ? 1 : 0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a held uid was leased twice");
    uid_lease_release(&b), uid_lease_release(&c);
}
END_TEST

/* Starts `n` busy loops (the load of a busy machine); returns their pids. */
static void load(pid_t *pids, int n)
{
    for (int i = 0; i < n; i++) {
        pids[i] = fork();
        if (pids[i] == 0)
            for (volatile unsigned long k = 0;; k++)
                ;
    }
}

static void unload(const pid_t *pids, int n)
{
    for (int i = 0; i < n; i++)
        kill(pids[i], SIGKILL), waitpid(pids[i], NULL, 0);
}

/* With both cores busy, a loop is stopped for its CPU time, and work that
 * needs less CPU than the limit finishes however long it waits for a core. */
START_TEST(cpu_time_not_the_clock_limits_a_run)
{
    pid_t busy[3];
    sandbox_run run;
    char why[400];
    load(busy, 3);
    run_sh("while :; do :; done", 0.5, 256, &run);
    ck_assert_msg(run.cpu_limited && !run.timed_out && !run.idle, "a loop was not stopped for its CPU time");
    sandbox_describe(&run, why, sizeof why);
    ck_assert_ptr_nonnull(strstr(why, "used more than 0.5 s of CPU time"));
    /* about 0.2 s of CPU, under a 0.6 s limit, while three loops share two cores */
    run_sh("i=0; while [ $i -lt 40000 ]; do i=$((i+1)); done; printf done >&4", 0.6, 256, &run);
    unload(busy, 3);
    ck_assert_msg(run.exited && run.code == 0 && !run.cpu_limited && !run.timed_out && !run.idle,
                  "short work under load: exited %d code %d cpu %d idle %d (%.2f s of CPU)",
                  run.exited, run.code, run.cpu_limited, run.idle, run.cpu_seconds);
}
END_TEST

/* A run that sleeps while its answer is due is stopped as idle, well before
 * the wall-clock backstop (with a cgroup to count its CPU time). */
START_TEST(an_idle_run_is_stopped)
{
    sandbox_run run;
    char why[400];
    choose();
    if (!cfg.cg.version || !cfg.cg.base[CG_CPU][0])
        return;
    double t0 = gc_clock();
    run_sh("sleep 40", 1.0, 256, &run);
    ck_assert_msg(run.idle, "a sleeping run was not stopped as idle");
    ck_assert(gc_clock() - t0 < SANDBOX_WALL_FACTOR * 1.0 + 2.0);
    sandbox_describe(&run, why, sizeof why);
    ck_assert_ptr_nonnull(strstr(why, "used no CPU time for 2 s"));
}
END_TEST

int memfd_hog(void)
{
    enum { CHUNK = 16 << 20 };
    for (int i = 0; i < 64; i++) {                     /* 1 GiB at the most */
        int fd = memfd_create("gradlab-test-hog", 0);
        void *p = fd >= 0 && ftruncate(fd, CHUNK) == 0
                ? mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
        if (p == MAP_FAILED)
            return 3;
        memset(p, 1, CHUNK);
        munmap(p, CHUNK);                              /* out of RLIMIT_AS's sight */
    }
    return 0;
}

#ifndef __SANITIZE_ADDRESS__   /* see suite_sandbox */
/* memfd files, which no per-process limit sees, count against the run's
 * memory: the run is stopped at its limit and says so (with a memory cgroup). */
START_TEST(memory_is_bounded_for_the_run_as_a_whole)
{
    static sandbox_limits lim = { 30, 128, 16, 16, 16 };   /* files of 16 MiB, as the grader allows */
    sandbox_run run;
    char exe[4096], why[400];
    choose();
    if (!cfg.cg.base[CG_MEMORY][0])
        return;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    ck_assert(n > 0);
    exe[n] = '\0';
    int boxed = cfg.kind == ISOLATION_BWRAP;
    sandbox_bind bind = { exe, "/grade/hog" };
    char *argv[] = { boxed ? "/grade/hog" : exe, "memfd-hog", NULL };
    ck_assert_int_eq(sandbox_start(&cfg, &lim, &bind, 1, "/tmp", argv, &run), 0);
    size_t got = 0;
    sandbox_read_all(&run, why, sizeof why, &got);
    sandbox_finish(&run);
    ck_assert_msg(run.out_of_memory && !run.grader_fault,
                  "1 GiB of memfd under a 128 MiB run: exited %d (code %d), signal %d, printed %s",
                  run.exited, run.code, run.signal, run.printed);
    sandbox_describe(&run, why, sizeof why);
    ck_assert_ptr_nonnull(strstr(why, "128 MiB of memory"));
}
END_TEST
#endif

/* A sandbox that cannot be set up is the grader's fault, not the student's. */
START_TEST(a_broken_sandbox_is_the_graders_fault)
{
    choose();
    sandbox_cfg broken = cfg;
    broken.kind = ISOLATION_BWRAP;
    snprintf(broken.bwrap, sizeof broken.bwrap, "/nonexistent/bwrap");
    sandbox_limits lim = { 5, 256, 1, 16, 16 };
    sandbox_run run;
    char *argv[] = { "/bin/true", NULL }, why[400];
    ck_assert_int_eq(sandbox_start(&broken, &lim, NULL, 0, "/tmp", argv, &run), 0);
    sandbox_finish(&run);
    ck_assert_msg(run.grader_fault, "an exec failure of the sandbox was not the grader's fault");
    sandbox_describe(&run, why, sizeof why);
    ck_assert_ptr_nonnull(strstr(why, "the grader failed here, not your code"));
}
END_TEST

/* Bytes that are not UTF-8 never reach a JSON string; valid ones do. */
START_TEST(json_strings_are_strict_utf8)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    /* a surrogate, an overlong '/', past U+10FFFF, a cut sequence, then valid e-acute and U+1F600 */
    gc_json_string(mem, "a\xed\xa0\x80" "b\xc0\xaf" "c\xf4\x90\x80\x80" "d\xe2\x82" "e\xc3\xa9\xf0\x9f\x98\x80");
    fclose(mem);
    ck_assert_str_eq(text, "\"a???b??c????d??e\xc3\xa9\xf0\x9f\x98\x80\"");
    free(text);
}
END_TEST

/* A gradebook field a spreadsheet would run as a formula starts with an apostrophe. */
START_TEST(csv_formulas_are_neutralised)
{
    test_result t = { .score = 1, .max_score = 1 };
    snprintf(t.id, sizeof t.id, "lab1:gradient:x");
    const char *names[] = { "+1+SUM(A2)", "=cmd|' /C calc'!A0", "-2", "@SUM(1)", "a,=b" };
    const char *want[] = { "'+1+SUM(A2)", "'=cmd|' /C calc'!A0", "'-2", "'@SUM(1)", "\"a,=b\"" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        student_result s = { names[i], "", "", "", NULL, 0, &t, 1 };
        char *text = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);
        results_csv_row(mem, &s);
        fclose(mem);
        ck_assert_msg(strncmp(text, want[i], strlen(want[i])) == 0 && text[strlen(want[i])] == ',',
                      "'%s' written as %s", names[i], text);
        free(text);
    }
}
END_TEST

/* What a student reads of a difference names blocks, a relation and a
 * relative error, but never a reference value. */
START_TEST(differences_are_described_without_reference_values)
{
    gc_name names[5] = { "J", "dJ/dU[0][0]", "dJ/dU[0][1]", "dJ/dU[1][0]", "dJ/dv_c[0]" };
    double r[5] = { 2.718281828, 0.577215664, -1.414213562, 3.141592654, 1.618033989 };
    double s[5];
    comparison c;
    char buf[1000];
    for (int i = 0; i < 5; i++)
        s[i] = i == 0 || i == 4 ? r[i] : 2 * r[i];    /* dJ/dU doubled */
    ck_assert_int_eq(compare_values(s, r, names, 5, &c), 0);
    ck_assert_uint_eq(c.wrong, 3);
    buf[0] = '\0';
    compare_describe(&c, s, r, names, buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "3 of 5 values differ"));
    ck_assert_ptr_nonnull(strstr(buf, "dJ/dU (all 3)"));
    ck_assert_ptr_nonnull(strstr(buf, "Each of them is 2 times the reference's"));
    ck_assert_ptr_nonnull(strstr(buf, "The loss J agrees; its gradient does not"));
    for (int i = 0; i < 5; i++) {                      /* no value, the reference's or the student's */
        char v[32];
        snprintf(v, sizeof v, "%.4f", fabs(r[i]));
        ck_assert_msg(strstr(buf, v) == NULL, "a reference value shows: %s", buf);
    }
    for (int i = 0; i < 5; i++)
        s[i] = -r[i];
    compare_values(s, r, names, 5, &c);
    buf[0] = '\0';
    compare_describe(&c, s, r, names, buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "-1 times the reference's: a flipped sign"));
    ck_assert_ptr_nonnull(strstr(buf, "The loss J itself differs"));
    for (int i = 0; i < 5; i++)
        s[i] = r[i] * (i == 0 ? 1.0001 : 1.0);
    compare_values(s, r, names, 5, &c);
    buf[0] = '\0';
    compare_describe(&c, s, r, names, buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "Only the loss J differs"));
    char k[32];
    compare_factor_text(1.0001, k, sizeof k);
    ck_assert_str_eq(k, "1.0001");
    for (int i = 0; i < 5; i++)
        s[i] = i == 1 || i == 2 ? 0.0 : r[i];
    compare_values(s, r, names, 5, &c);
    buf[0] = '\0';
    compare_describe(&c, s, r, names, buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "dJ/dU (2 of 3)"));
    ck_assert_ptr_nonnull(strstr(buf, "left at zero"));
    ck_assert_int_eq(compare_values(r, r, names, 5, &c), 1);
}
END_TEST

Suite *suite_sandbox(void)
{
    Suite *s = suite_create("sandbox");
    TCase *tc = tcase_create("sandbox");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, sha256_matches_the_published_vectors);
    tcase_add_test(tc, uid_leases_are_exclusive);
    tcase_add_test(tc, cpu_time_not_the_clock_limits_a_run);
    tcase_add_test(tc, an_idle_run_is_stopped);
#ifndef __SANITIZE_ADDRESS__
    /* The hog is this program; under ASan it cannot start in 128 MiB of
     * address space (its shadow alone is larger), so the plain build tests it. */
    tcase_add_test(tc, memory_is_bounded_for_the_run_as_a_whole);
#endif
    tcase_add_test(tc, a_broken_sandbox_is_the_graders_fault);
    tcase_add_test(tc, json_strings_are_strict_utf8);
    tcase_add_test(tc, csv_formulas_are_neutralised);
    tcase_add_test(tc, differences_are_described_without_reference_values);
    suite_add_tcase(s, tc);
    return s;
}
