/* tests.h — the Check suites of gradlab; tests/main.c runs them all. */
#ifndef GRADLAB_TESTS_H
#define GRADLAB_TESTS_H

#include <check.h>

Suite *suite_rng(void);
Suite *suite_softmax(void);
Suite *suite_sigmoid(void);
Suite *suite_cross_entropy(void);
Suite *suite_net2(void);
Suite *suite_word2vec(void);
Suite *suite_flow(void);
Suite *suite_gradcheck(void);
Suite *suite_isolate(void);
Suite *suite_cli(void);

#endif
