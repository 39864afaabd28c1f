/* registry.c — a program's checks by name: tables of gc_check, each ended by
 * an entry whose name is NULL. */
#include <string.h>

#include "gradcheck.h"

size_t gc_registry_count(const gc_registry *g)
{
    size_t n = 0;
    for (size_t t = 0; g && t < g->ntables; t++)
        for (const gc_check *c = g->tables[t]; c && c->name; c++)
            n++;
    return n;
}

const gc_check *gc_registry_at(const gc_registry *g, size_t i)
{
    for (size_t t = 0; g && t < g->ntables; t++)
        for (const gc_check *c = g->tables[t]; c && c->name; c++)
            if (i-- == 0)
                return c;
    return NULL;
}

const gc_check *gc_registry_find(const gc_registry *g, const char *name)
{
    for (size_t t = 0; g && name && t < g->ntables; t++)
        for (const gc_check *c = g->tables[t]; c && c->name; c++)
            if (strcmp(c->name, name) == 0)
                return c;
    return NULL;
}
