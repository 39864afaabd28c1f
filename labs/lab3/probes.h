/* labs/lab3/probes.h — lab 3's functions as probes (see labs/lab1/probes.h). */
#ifndef GRADLAB_LAB3_PROBES_H
#define GRADLAB_LAB3_PROBES_H

void probe_naive_softmax(void);
void probe_neg_sampling(void);
void probe_skipgram(void);
void probe_cbow(void);

#endif
