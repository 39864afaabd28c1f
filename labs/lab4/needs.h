/* labs/lab4/needs.h — what a trainer may need of lab 4 (see labs/lab1/needs.h). */
#ifndef GRADLAB_LAB4_NEEDS_H
#define GRADLAB_LAB4_NEEDS_H

void need_hs_tree_build(void);
void need_hsoftmax(void);
void need_hs_window(void);

#endif
