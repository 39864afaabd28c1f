/* test_inputs.c — every input a user controls gets one clear line and a
 * non-zero exit, and no output hurts a file it should not touch: the cases
 * found by hand and by fuzzing, kept as regression tests. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "corpus.h"
#include "table.h"
#include "tests.h"
#include "lab3/w2v_io.h"

static char dir[64];

static void write_bytes(const char *path, const char *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fwrite(bytes, 1, n, f);
    fclose(f);
}

static void write_text(const char *path, const char *text)
{
    write_bytes(path, text, strlen(text));
}

/* Runs `$ENV args`; asserts its exit status and that stderr has `want`. */
static void expect(const char *env, const char *args, int status, const char *want)
{
    char err[2048];
    int got = run_program(env, args, NULL, err, sizeof err);
    ck_assert_msg(got == status, "%s %s: exit %d, not %d (%s)", env, args, got, status, err);
    ck_assert_msg(strstr(err, want) != NULL, "%s %s: '%s' not in '%s'", env, args, want, err);
}

START_TEST(outputs_replace_only_regular_files)
{
    char fifo[96], args[256];
    temp_dir("inputs", dir, sizeof dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    snprintf(args, sizeof args, "--sweep softmax --out %s", fifo);
    expect("GRADCHECK", args, 2, "not a regular file");
    struct stat st;
    ck_assert_int_eq(lstat(fifo, &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
    expect("TRAIN_NET2", "--iters 1 --out-dir ''", 2, "--out-dir needs a directory, got ''");
    expect("TRAIN_FLOW", "--iters 1 --out-dir ''", 2, "--out-dir needs a directory");
    expect("HS_COST", "--out-dir ''", 2, "--out-dir needs a directory");
    expect("TRAIN_FLOW", "--iters 1 --out-dir /dev/null", 2, "is not a directory");
    remove_dir(dir);
}
END_TEST

START_TEST(options_are_strict_with_a_range)
{
    expect("HS_COST", "--budget-ms 1e308", 2, "--budget-ms needs a number from 0.01 to 60000");
    expect("TRAIN_FLOW", "--points 1", 2, "--points needs a whole number from 2");
    expect("TRAIN_FLOW", "--lr 1e309", 2, "--lr needs a number from 1e-09 to 1e+308");
    expect("TRAIN_NET2", "--hidden 1.5", 2, "--hidden needs a whole number");
    expect("TRAIN_WORD2VEC", "--seed -1", 2, "--seed needs a whole number from 0 to 2^64 - 1");
    expect("LAB1_SHIFT", "--bogus", 2, "lab1_shift: takes no arguments, got '--bogus'");
    for (const char *t = "1e308\0" "1.5\0" "5abc\0" "1,2\0"; *t; t += strlen(t) + 1) {
        char args[128];
        snprintf(args, sizeof args, "--vectors /nonexistent --top %s", t);
        expect("W2V_EXPLORE", args, 2, "--top needs a whole number from 1 to 32");
    }
}
END_TEST

/* train_flow --lr 1e308 turns NaN: it says so, exit 1, and leaves no file. */
START_TEST(no_partial_output_after_a_nan)
{
    char args[256], path[128];
    temp_dir("nan", dir, sizeof dir);
    snprintf(args, sizeof args, "--lr 1e308 --iters 20 --out-dir %s", dir);
    expect("TRAIN_FLOW", args, 1, "the NLL became");
    static const char *const files[] = { "data.dat", "loss.dat", "samples.dat" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        ck_assert_msg(access(path, F_OK) != 0, "%s was left behind", path);
    }
    remove_dir(dir);
}
END_TEST

START_TEST(the_corpus_splits_on_nul_and_refuses_long_words)
{
    char path[96], err[512];
    corpus C;
    temp_dir("corpus", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/nul.txt", dir);
    write_bytes(path, "beta\0gamma\n\0lead\n", 17);
    ck_assert_int_eq(corpus_load(&C, path, 1, 0, err, sizeof err), 0);
    ck_assert_uint_eq(C.V, 3);                         /* beta, gamma, lead: no empty word */
    ck_assert_int_ge(corpus_find(&C, "gamma"), 0);
    ck_assert_int_ge(corpus_find(&C, "lead"), 0);
    corpus_free(&C);
    char word[400];
    memset(word, 'w', 299);
    strcpy(word + 299, " x\n");
    snprintf(path, sizeof path, "%s/long.txt", dir);
    write_text(path, "a b\n");
    FILE *f = fopen(path, "a");
    fputs(word, f);
    fclose(f);
    ck_assert_int_eq(corpus_load(&C, path, 1, 0, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "line 2: a word of more than 255 bytes"));
    remove_dir(dir);
}
END_TEST

/* Every message of the vectors reader quotes the header's own numbers. */
START_TEST(the_vectors_reader_says_what_is_wrong)
{
    static const struct { const char *text, *want; } cases[] = {
        { "3 2\n", "promises 3 words of 2 numbers, but the file ends after 0 rows" },
        { "500 2\na 1 2\n", "promises 500 words of 2 numbers, but the file ends after 1 rows" },
        { "2 2\na 1 2 3 4 5\nb 1 2\n", "the row of 'a' has more than the header's 2 numbers" },
        { "2 3\na 1 2\nb 1 2 3\n", "the row of 'a' has 2 numbers, but the header says 3" },
        { "2 2\na nan 2\nb 1 2\n", "the vector of 'a' is not finite" },
        { "2 2\na 1 2\nb inf 2\n", "the vector of 'b' is not finite" },
        { "1 2\na 1 2\nb 1 2\n", "more rows than the header's 1 words" },
        { "x y\n", "does not start with a 'V d' header" },
    };
    char path[96], err[512];
    temp_dir("vectors", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/v.txt", dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        w2v_vectors v;
        write_text(path, cases[i].text);
        ck_assert_int_eq(w2v_read_vectors(path, &v, err, sizeof err), -1);
        ck_assert_msg(strstr(err, cases[i].want), "case %zu: '%s'", i, err);
    }
    remove_dir(dir);
}
END_TEST

/* A checkpoint with a NaN is refused, naming the matrix and the row; a
 * directory is named as one. */
START_TEST(checkpoints_refuse_nan_and_directories)
{
    char args[512], ckpt[128], err[2048];
    temp_dir("ckpt", dir, sizeof dir);
    snprintf(args, sizeof args, "--max-words 3000 --dim 8 --epochs 2 --stop-after 1 --quiet "
             "--out %s/v.txt", dir);
    ck_assert_int_eq(run_program("TRAIN_WORD2VEC", args, NULL, err, sizeof err), 0);
    snprintf(ckpt, sizeof ckpt, "%s/v.txt.ckpt", dir);
    FILE *f = fopen(ckpt, "r+b");
    ck_assert_ptr_nonnull(f);
    double nan = NAN;
    ck_assert_int_eq(fseek(f, 16 + 9 * 8 + 3 * 8 * 8, SEEK_SET), 0);   /* header, then Vc row 3 */
    fwrite(&nan, sizeof nan, 1, f);
    fclose(f);
    snprintf(args, sizeof args, "--max-words 3000 --dim 8 --epochs 2 --quiet --resume %s "
             "--out %s/w.txt", ckpt, dir);
    expect("TRAIN_WORD2VEC", args, 2, "is damaged: Vc row 3 (word 3) holds a NaN or Inf");
    snprintf(args, sizeof args, "--max-words 3000 --dim 8 --quiet --resume %s --out %s/w.txt",
             dir, dir);
    expect("TRAIN_WORD2VEC", args, 2, "is a directory, not a checkpoint file");
    remove_dir(dir);
}
END_TEST

START_TEST(grading_tables_take_crlf_bom_and_long_lines)
{
    static const struct { const char *text; const char *want; } cases[] = {
        { "\xef\xbb\xbfseed 0x10\r\ngradient softmax 1 visible\r\n", NULL },
        { "seed 1\ngradient softmax 1 visible\n", NULL },
        { "seed 1\nseed 2\ngradient softmax 1 visible\n", ":2: a second seed line (the first is line 1)" },
        { "seed 1\ngradient softmax 1 visible\ngradient softmax 2 visible\n", ":3: this test is already row 2" },
        { "seed -1\ngradient softmax 1 visible\n", ":1: seed takes one unsigned 64-bit number" },
        { "seed 18446744073709551616\ngradient softmax 1 visible\n", ":1: seed takes one" },
    };
    char path[96], err[512];
    temp_dir("table", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/lab1", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/lab1/teach", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/lab1/teach/table.txt", dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        test_list list = { 0 };
        write_text(path, cases[i].text);
        int rc = table_load(path, &list, err, sizeof err);
        if (!cases[i].want) {
            ck_assert_msg(rc == 0 && list.count == 1, "case %zu: %s", i, err);
        } else {
            ck_assert_int_eq(rc, GL_BAD_INPUT);
            ck_assert_msg(strstr(err, cases[i].want), "case %zu: '%s'", i, err);
        }
        table_free(&list);
    }
    FILE *f = fopen(path, "w");                         /* a comment of 600 characters */
    fputs("# ", f);
    for (int i = 0; i < 600; i++)
        fputc('x', f);
    fputs("\nseed 7\ngradient softmax 1 visible\n", f);
    fclose(f);
    test_list list = { 0 };
    ck_assert_int_eq(table_load(path, &list, err, sizeof err), 0);
    ck_assert_uint_eq(list.count, 1);
    ck_assert_uint_eq(list.tests[0].seed, 7);
    table_free(&list);
    remove_dir(dir);
}
END_TEST

/* Memory that runs out says so, with its own exit status. (Not under the
 * address sanitizer, whose shadow memory cannot live under the limit.) */
START_TEST(out_of_memory_says_so)
{
#ifdef __SANITIZE_ADDRESS__
    return;
#endif
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ulimit -v 300000; %s --dim 10000 --quiet --out /tmp/gl_oom.txt "
             "> /dev/null 2> /tmp/gl_oom.err", getenv("TRAIN_WORD2VEC"));
    int st = system(cmd);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 3);
    FILE *f = fopen("/tmp/gl_oom.err", "r");
    char line[256] = "";
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    fclose(f);
    remove("/tmp/gl_oom.err");
    ck_assert_ptr_nonnull(strstr(line, "out of memory"));
    ck_assert_ptr_null(strstr(line, "--lr"));
}
END_TEST

/* The fuzzer can fail: a program that answers with two lines, or dies by a
 * signal, breaks its invariants at once. */
START_TEST(the_fuzzer_catches_a_broken_program)
{
    static const char *const scripts[] = {
        "#!/bin/sh\necho one >&2\necho two >&2\nexit 2\n", "#!/bin/sh\nkill -SEGV $$\n",
    };
    char path[96], args[160], err[512];
    temp_dir("fuzz", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/prog.sh", dir);
    for (size_t i = 0; i < 2; i++) {
        write_text(path, scripts[i]);
        ck_assert_int_eq(chmod(path, 0755), 0);
        snprintf(args, sizeof args, "options 1 2 %s", path);
        ck_assert_int_eq(run_program("FUZZ", args, NULL, err, sizeof err), 1);
    }
    remove_dir(dir);
}
END_TEST

Suite *suite_inputs(void)
{
    Suite *s = suite_create("inputs");
    TCase *t = tcase_create("inputs");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, outputs_replace_only_regular_files);
    tcase_add_test(t, options_are_strict_with_a_range);
    tcase_add_test(t, no_partial_output_after_a_nan);
    tcase_add_test(t, the_corpus_splits_on_nul_and_refuses_long_words);
    tcase_add_test(t, the_vectors_reader_says_what_is_wrong);
    tcase_add_test(t, checkpoints_refuse_nan_and_directories);
    tcase_add_test(t, grading_tables_take_crlf_bom_and_long_lines);
    tcase_add_test(t, out_of_memory_says_so);
    tcase_add_test(t, the_fuzzer_catches_a_broken_program);
    suite_add_tcase(s, t);
    return s;
}
