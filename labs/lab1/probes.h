/* labs/lab1/probes.h — lab 1's functions as probes for a trainer's "not
 * implemented yet" question (labs/require.h): each calls one function on a
 * tiny valid input, reaching its body (its stub, in the student release). */
#ifndef GRADLAB_LAB1_PROBES_H
#define GRADLAB_LAB1_PROBES_H

void probe_sigmoid(void);
void probe_sigmoid_grad(void);
void probe_log_sigmoid(void);
void probe_softmax(void);
void probe_logsumexp(void);
void probe_cross_entropy(void);
void probe_relu(void);
void probe_relu_grad(void);

#endif
