/* registry.h — every lab's checks, by name. The labs are the folders
 * labs/labN/, found by make (labs/registry.c); lab N's checks are its table
 * labN_checks (labs/labN/checks.c), each of them in group N, the number of
 * its folder (LAB_NUMBER, labs/lab.h). The gradcheck program, the trainers,
 * the grader and the tests find checks only through here. */
#ifndef GRADLAB_REGISTRY_H
#define GRADLAB_REGISTRY_H

#include "gradcheck.h"

/* The labs' tables, table t being lab lab_number(t)'s; gradcheck/main.c runs them. */
extern const gc_registry gc_program_checks;

/* lab_count: how many labs there are; lab_number: the number of lab t
 * (0 <= t < lab_count(), in increasing order), 0 past the end. */
size_t lab_count(void);
int lab_number(size_t t);

/* lab_check_count, lab_check_at, lab_find: the registry's checks. */
static inline size_t lab_check_count(void) { return gc_registry_count(&gc_program_checks); }
static inline const gc_check *lab_check_at(size_t i) { return gc_registry_at(&gc_program_checks, i); }
static inline const gc_check *lab_find(const char *name)
{
    return gc_registry_find(&gc_program_checks, name);
}

#endif
