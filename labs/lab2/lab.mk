# Lab 2 — backprop through a 2-layer net: its checks, the spiral trainer
# (loss and decision-region plots), then the activation experiment and its
# two plots.
LAB_BIN += $(BUILD)/train_net2 $(BUILD)/lab2_activations

$(BUILD)/train_net2: $(BUILD)/obj/labs/lab2/train_net2.o $(BUILD)/obj/labs/lab2/spiral.o $(ARGS_OBJ) $(LIBS)
	$(LINK)

$(BUILD)/lab2_activations: $(BUILD)/obj/labs/lab2/activations.o $(ARGS_OBJ) $(LIBS)
	$(LINK)

lab2: all deps-plot
	$(BUILD)/gradcheck --lab 2
	$(BUILD)/train_net2 --out-dir $(BUILD)/lab2
	@$(call PLOT,$(BUILD)/lab2/loss.dat,$(BUILD)/lab2/loss,loss)
	@$(call PLOT,$(BUILD)/lab2/decision.dat,$(BUILD)/lab2/decision,decision,pointsfile='$(BUILD)/lab2/points.dat';)
	$(BUILD)/lab2_activations --out-dir $(BUILD)/lab2
	@$(call PLOT,$(BUILD)/lab2/saturation.dat,$(BUILD)/lab2/saturation,saturation)
	@$(call PLOT,$(BUILD)/lab2/zigzag.dat,$(BUILD)/lab2/zigzag,zigzag)

lab2_OUTPUTS = $(addprefix $(BUILD)/lab2/,loss.png decision.png saturation.png zigzag.png)
