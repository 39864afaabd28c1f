/* labs/lab2/probes.h — lab 2's functions as probes (see labs/lab1/probes.h). */
#ifndef GRADLAB_LAB2_PROBES_H
#define GRADLAB_LAB2_PROBES_H

void probe_tanh_grad(void);
void probe_net2_loss(void);
void probe_net2_predict(void);

#endif
