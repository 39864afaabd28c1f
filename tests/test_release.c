/* test_release.c — make release's stripper ($STRIP): a block inside a function
 * becomes a stub that voids the parameters and names the function; a block
 * outside functions disappears; nested, unmatched and unterminated markers
 * are one-line errors naming FILE:LINE and leave no output file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests.h"

static char dir[64];

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    buf[fread(buf, 1, size - 1, f)] = '\0';
    fclose(f);
    return buf;
}

/* Strips `text` (as src/x.c); returns strip's exit status, output in out. */
static int strip_text(const char *text, char *out, size_t size, char *err, size_t errsize)
{
    char in[96], outp[96], args[256];
    temp_dir("strip", dir, sizeof dir);
    snprintf(in, sizeof in, "%s/in.c", dir);
    snprintf(outp, sizeof outp, "%s/out.c", dir);
    unlink(outp);
    write_text(in, text);
    snprintf(args, sizeof args, "%s src/x.c %s", in, outp);
    int rc = run_program("STRIP", args, NULL, err, errsize);
    out[0] = '\0';
    if (!read_text(outp, out, size))
        strcpy(out, "(no output file)");
    return rc;
}

static const char *const good =
    "#include \"x.h\"\n"
    "\n"
    "/* BEGIN SOLUTION */\n"
    "static double helper(double a) { return 2 * a; }\n"
    "/* END SOLUTION */\n"
    "\n"
    "double scale(const double *x, size_t n, double w[],\n"
    "             int (*cb)(int, int))\n"
    "{\n"
    "    if (n == 0)\n"
    "        return 0;\n"
    "        /* BEGIN SOLUTION */\n"
    "    return helper(x[0]) * w[0] + cb(1, 2);   /* { a brace in a comment */\n"
    "        /* END SOLUTION */\n"
    "}\n"
    "\n"
    "void kept(void) { }\n";

START_TEST(test_stub_and_top_level_block)
{
    char out[4096], err[512];
    ck_assert_msg(strip_text(good, out, sizeof out, err, sizeof err) == 0, "%s", err);
    ck_assert_ptr_null(strstr(out, "SOLUTION"));
    ck_assert_ptr_null(strstr(out, "helper"));                  /* both blocks gone */
    ck_assert_ptr_nonnull(strstr(out, "#include \"x.h\"\n#include \"unimplemented.h\"\n"));
    ck_assert_ptr_nonnull(strstr(out, "\n        (void)x; (void)n; (void)w; (void)cb;\n"));
    ck_assert_ptr_nonnull(strstr(out, "\n        gradlab_not_implemented(\"scale\", \"src/x.c\");\n"));
    ck_assert_ptr_nonnull(strstr(out, "    if (n == 0)\n        return 0;\n"));   /* scaffolding kept */
    ck_assert_ptr_nonnull(strstr(out, "void kept(void) { }\n"));
}
END_TEST

START_TEST(test_marker_errors)
{
    static const struct { const char *text, *says; } bad[] = {
        { "int f(void)\n{\n    /* BEGIN SOLUTION */\n    /* BEGIN SOLUTION */\n    return 1;\n"
          "    /* END SOLUTION */\n}\n", "src/x.c:4: BEGIN SOLUTION inside the block opened at line 3" },
        { "int f(void)\n{\n    return 1;\n    /* END SOLUTION */\n}\n",
          "src/x.c:4: END SOLUTION without" },
        { "int f(void)\n{\n    /* BEGIN SOLUTION */\n    return 1;\n}\n",
          "src/x.c:3: BEGIN SOLUTION is never closed" },
    };
    char out[4096], err[512];
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        ck_assert_int_eq(strip_text(bad[k].text, out, sizeof out, err, sizeof err), 1);
        ck_assert_msg(strstr(err, bad[k].says) != NULL, "%zu: %s", k, err);
        ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1, "%zu: %s", k, err);
        ck_assert_str_eq(out, "(no output file)");
    }
    char args[256];
    ck_assert_int_eq(run_program("STRIP", "/nonexistent/x.c src/x.c /tmp/never.c", NULL, err,
                                 sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "strip: cannot read '/nonexistent/x.c'"));
    snprintf(args, sizeof args, "%s/in.c src/x.c /nonexistent-dir/out.c", dir);
    ck_assert_int_eq(run_program("STRIP", args, NULL, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "strip: cannot write '/nonexistent-dir/out.c'"));
    ck_assert_int_eq(run_program("STRIP", "only-one-argument", NULL, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "usage: strip"));
    remove_dir(dir);
}
END_TEST

/* The leak check ($LEAKCHECK) finds the reference softmax (src/softmax.c)
 * copied with every variable renamed, its lines rewrapped and its comments
 * rewritten, and does not flag unrelated code or the stubbed file. */
START_TEST(leakcheck_finds_a_reworded_copy)
{
    char copy[96], plain[96], args[512], err[512];
    temp_dir("leak", dir, sizeof dir);
    snprintf(copy, sizeof copy, "%s/copy.c", dir);
    snprintf(plain, sizeof plain, "%s/plain.c", dir);
    write_text(copy, "#include <math.h>\n"
               "/* my own softmax */\n"
               "static double biggest(const double *v, size_t len) { double b = v[0];\n"
               "  for (size_t k = 1; k < len; k++) if (v[k] > b) b = v[k]; return b; }\n"
               "void my_softmax(const double *v, size_t len, double *p) {\n"
               "  double b = biggest(v, len); double total = 0.0;\n"
               "  for (size_t k = 0; k < len; k++) { p[k] = exp(v[k] - b);\n"
               "      total += p[k]; }\n"
               "  for (size_t k = 0; k < len; k++) p[k] /= total; }\n");
    write_text(plain, "#include <stdio.h>\nint main(void) { for (int i = 0; i < 3; i++)\n"
               "    printf(\"%d\\n\", i * i); return 0; }\n");
    snprintf(args, sizeof args, "src/softmax.c -- %s", copy);
    ck_assert_int_eq(run_program("LEAKCHECK", args, NULL, err, sizeof err), 1);
    ck_assert_ptr_nonnull(strstr(err, "1 of 1 files hold one"));
    snprintf(args, sizeof args, "src/softmax.c -- %s", plain);
    ck_assert_int_eq(run_program("LEAKCHECK", args, NULL, err, sizeof err), 0);
    ck_assert_int_eq(run_program("LEAKCHECK", "src/softmax.c", NULL, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "usage: leakcheck"));
    remove_dir(dir);
}
END_TEST

Suite *suite_release(void)
{
    Suite *s = suite_create("release");
    TCase *t = tcase_create("strip");
    tcase_add_test(t, test_stub_and_top_level_block);
    tcase_add_test(t, test_marker_errors);
    tcase_add_test(t, leakcheck_finds_a_reworded_copy);
    suite_add_tcase(s, t);
    return s;
}
