/* goldens.h — a check's golden losses, worked out from the reference
 * solution this program is linked with: the loss at its golden inputs, the
 * problems of seeds GC_GOLDEN_SEED + k (labs/lab.h). make goldens writes
 * them into each lab's golden.h (golden_main.c); a test compares those in
 * the tree with them. */
#ifndef GRADLAB_GOLDENS_H
#define GRADLAB_GOLDENS_H

#include "gradcheck.h"

/* golden_loss: the loss J of check c at golden input k into *J (gc_loss
 * after the problem's reset, as the checker computes it). Returns 0, or -1
 * with the reason in why: out of memory, or a check that has no loss (a map
 * or a custom check, which has no golden losses). */
int golden_loss(const gc_check *c, size_t k, double *J, char *why, size_t size);

/* golden_verify: do c's golden losses (c->golden, as compiled from golden.h)
 * match the reference's, to 1e-12 relative (the file holds them to 17
 * digits)? 0, or -1 with the first that does not (or why it cannot be
 * worked out) in why. A check without golden losses matches. */
int golden_verify(const gc_check *c, char *why, size_t size);

#endif
