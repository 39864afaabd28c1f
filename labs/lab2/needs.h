/* labs/lab2/needs.h — what a trainer may need of lab 2 (see labs/lab1/needs.h). */
#ifndef GRADLAB_LAB2_NEEDS_H
#define GRADLAB_LAB2_NEEDS_H

void need_tanh_grad(void);
void need_net2_loss(void);
void need_net2_predict(void);

#endif
