/* registry.c — the labs' tables of checks, in lab order. The list of labs is
 * not kept here: make finds the folders labs/labN/ and writes LAB_LIST
 * (lab_list.h, X(1) X(2) ...), and lab N's table is labN_checks, defined in
 * labs/labN/checks.c. A lab is added by adding its folder. */
#include "registry.h"

#include "lab_list.h"

#define X(n) extern const gc_check lab##n##_checks[];
LAB_LIST
#undef X
#define X(n) lab##n##_checks,
static const gc_check *const tables[] = { LAB_LIST };
#undef X
#define X(n) n,
static const int numbers[] = { LAB_LIST };
#undef X

const gc_registry gc_program_checks = { tables, sizeof tables / sizeof tables[0] };

size_t lab_count(void) { return sizeof numbers / sizeof numbers[0]; }

int lab_number(size_t t) { return t < lab_count() ? numbers[t] : 0; }
