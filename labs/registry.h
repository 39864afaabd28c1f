/* registry.h — every lab's checks, by name: the one list a new lab is added
 * to (labs/registry.c). The gradcheck program, the trainers, the grader and
 * the tests find checks only through it. */
#ifndef GRADLAB_REGISTRY_H
#define GRADLAB_REGISTRY_H

#include "gradcheck.h"

/* The labs' tables; gradcheck/main.c runs them. */
extern const gc_registry gc_program_checks;

/* lab_check_count, lab_check_at, lab_find: the registry's checks. */
static inline size_t lab_check_count(void) { return gc_registry_count(&gc_program_checks); }
static inline const gc_check *lab_check_at(size_t i) { return gc_registry_at(&gc_program_checks, i); }
static inline const gc_check *lab_find(const char *name)
{
    return gc_registry_find(&gc_program_checks, name);
}

#endif
