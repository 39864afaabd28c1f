/* labs/lab1/needs.h — what a trainer may need of lab 1, for its "not
 * implemented yet" question (labs/require.h): each need_ function calls one
 * lab function on a tiny valid input, reaching its body (its stub, in the
 * student release). */
#ifndef GRADLAB_LAB1_NEEDS_H
#define GRADLAB_LAB1_NEEDS_H

void need_sigmoid(void);
void need_sigmoid_grad(void);
void need_log_sigmoid(void);
void need_softmax(void);
void need_logsumexp(void);
void need_cross_entropy(void);
void need_relu(void);
void need_relu_grad(void);

#endif
