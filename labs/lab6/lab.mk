# Lab 6 — layer normalization and self-attention: its checks, then a tiny
# attention model trained to reverse sequences (train_attention), its loss
# and accuracy curve and its attention weights before and after training.
LAB_BIN += $(BUILD)/train_attention
# The model the lab trains is checked too (attention_model), so the checks need it.
CHECKS_OBJ += $(BUILD)/obj/labs/lab6/model.o

$(BUILD)/train_attention: $(BUILD)/obj/labs/lab6/train_attention.o $(BUILD)/obj/labs/lab6/model.o \
                          $(ARGS_OBJ) $(LIBS)
	$(LINK)

lab6: all deps-plot
	$(BUILD)/gradcheck --lab 6
	$(BUILD)/train_attention --out-dir $(BUILD)/lab6
	@$(call PLOT,$(BUILD)/lab6/loss.dat,$(BUILD)/lab6/loss,attention_loss)
	@$(call PLOT,$(BUILD)/lab6/attention.dat,$(BUILD)/lab6/attention,attention_map,startfile='$(BUILD)/lab6/attention_start.dat';)

lab6_OUTPUTS = $(addprefix $(BUILD)/lab6/,loss.dat attention.dat loss.png attention.png)
