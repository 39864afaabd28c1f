/* labs/lab6/needs.h — what a trainer may need of lab 6 (see labs/lab1/needs.h). */
#ifndef GRADLAB_LAB6_NEEDS_H
#define GRADLAB_LAB6_NEEDS_H

void need_layernorm_forward(void);
void need_layernorm_backward(void);
void need_attention_forward(void);
void need_attention_backward(void);
void need_attention_layer_forward(void);
void need_attention_layer_backward(void);

#endif
