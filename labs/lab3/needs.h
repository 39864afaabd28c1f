/* labs/lab3/needs.h — what a trainer may need of lab 3 (see labs/lab1/needs.h). */
#ifndef GRADLAB_LAB3_NEEDS_H
#define GRADLAB_LAB3_NEEDS_H

void need_naive_softmax(void);
void need_neg_sampling(void);
void need_skipgram(void);
void need_cbow(void);

#endif
