/* test_sandbox.h — the isolation the grader would use here, for the tests
 * that run things in the sandbox (test_sandbox.c, test_grade.c): chosen once
 * per test process, since each choice holds a uid lease until it exits. */
#ifndef GRADLAB_TEST_SANDBOX_H
#define GRADLAB_TEST_SANDBOX_H

#include "sandbox.h"

const sandbox_cfg *test_sandbox(void);

#endif
