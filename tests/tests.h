/* tests.h — the Check suites of gradlab; tests/main.c runs them all. */
#ifndef GRADLAB_TESTS_H
#define GRADLAB_TESTS_H

#include <check.h>
#include <stddef.h>

Suite *suite_rng(void);
Suite *suite_softmax(void);
Suite *suite_sigmoid(void);
Suite *suite_cross_entropy(void);
Suite *suite_net2(void);
Suite *suite_word2vec(void);
Suite *suite_hsoftmax(void);
Suite *suite_flow(void);
Suite *suite_gradcheck(void);
Suite *suite_kinds(void);
Suite *suite_layernorm(void);
Suite *suite_isolate(void);
Suite *suite_cli(void);
Suite *suite_release(void);
Suite *suite_grade(void);
Suite *suite_inputs(void);
Suite *suite_sandbox(void);
Suite *suite_labs(void);
Suite *suite_verdict(void);
Suite *suite_report(void);
Suite *suite_derivations(void);

/* memfd_hog: fills memfd files of 16 MiB each, up to 1 GiB, out of
 * RLIMIT_AS's sight (the test binary run as "test_gradlab memfd-hog" inside
 * a sandbox). Returns 0 when it got all of it. */
int memfd_hog(void);

/* run_program: runs "$env args", stdout to out_path (NULL: discarded), stderr
 * into err (NUL-terminated); returns the exit status, -1 on a signal. */
int run_program(const char *env, const char *args, const char *out_path, char *err,
                size_t errsize);

/* temp_dir: makes (or reuses) /tmp/gl_TAG.PID, its name into dir. */
void temp_dir(const char *tag, char *dir, size_t size);

/* remove_dir: removes dir and everything in it. */
void remove_dir(const char *dir);

#endif
