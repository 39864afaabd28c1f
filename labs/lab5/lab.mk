# Lab 5 — the coupling layer: its checks, then a flow of 8 layers fitted to
# two moons (NLL curve, samples).
LAB_BIN += $(BUILD)/train_flow

$(BUILD)/train_flow: $(BUILD)/obj/labs/lab5/train_flow.o $(ARGS_OBJ) $(LIBS)
	$(LINK)

lab5: all deps-plot
	$(BUILD)/gradcheck --lab 5
	$(BUILD)/train_flow --out-dir $(BUILD)/lab5
	@$(call PLOT,$(BUILD)/lab5/loss.dat,$(BUILD)/lab5/loss,nll)
	@$(call PLOT,$(BUILD)/lab5/data.dat,$(BUILD)/lab5/samples,flow_samples,samplesfile='$(BUILD)/lab5/samples.dat';)

lab5_OUTPUTS = $(BUILD)/lab5/loss.png $(BUILD)/lab5/samples.png
