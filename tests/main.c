/* main.c — runs every Check suite; exit 0 only when all tests pass. */
#include <stdlib.h>
#include <string.h>

#include "lab_list.h"
#include "tests.h"

/* Each lab's own suite, labs/labN/teach/tests.c, for the labs that have one. */
#define X(n) Suite *lab##n##_suite(void);
LAB_TEST_LIST
#undef X

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "memfd-hog") == 0)
        return memfd_hog();                  /* the sandbox suite runs this inside a sandbox */
    SRunner *sr = srunner_create(suite_rng());
    srunner_add_suite(sr, suite_softmax());
    srunner_add_suite(sr, suite_sigmoid());
    srunner_add_suite(sr, suite_cross_entropy());
    srunner_add_suite(sr, suite_net2());
    srunner_add_suite(sr, suite_word2vec());
    srunner_add_suite(sr, suite_derivations());
    srunner_add_suite(sr, suite_hsoftmax());
    srunner_add_suite(sr, suite_flow());
    srunner_add_suite(sr, suite_gradcheck());
    srunner_add_suite(sr, suite_kinds());
    srunner_add_suite(sr, suite_layernorm());
    srunner_add_suite(sr, suite_isolate());
    srunner_add_suite(sr, suite_cli());
    srunner_add_suite(sr, suite_release());
    srunner_add_suite(sr, suite_grade());
    srunner_add_suite(sr, suite_inputs());
    srunner_add_suite(sr, suite_sandbox());
    srunner_add_suite(sr, suite_verdict());
    srunner_add_suite(sr, suite_report());
    srunner_add_suite(sr, suite_labs());
#define X(n) srunner_add_suite(sr, lab##n##_suite());
    LAB_TEST_LIST
#undef X
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
