/* labs/lab5/probes.h — lab 5's functions as probes (see labs/lab1/probes.h). */
#ifndef GRADLAB_LAB5_PROBES_H
#define GRADLAB_LAB5_PROBES_H

void probe_flow_check(void);
void probe_flow_forward(void);
void probe_flow_inverse(void);
void probe_flow_log_abs_det(void);
void probe_flow_backward(void);

#endif
