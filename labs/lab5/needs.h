/* labs/lab5/needs.h — what a trainer may need of lab 5 (see labs/lab1/needs.h). */
#ifndef GRADLAB_LAB5_NEEDS_H
#define GRADLAB_LAB5_NEEDS_H

void need_flow_check(void);
void need_flow_forward(void);
void need_flow_inverse(void);
void need_flow_log_abs_det(void);
void need_flow_backward(void);
void need_realnvp_forward(void);
void need_realnvp_inverse(void);
void need_realnvp_log_abs_det(void);
void need_realnvp_backward(void);

#endif
