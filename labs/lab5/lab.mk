# Lab 5 — the coupling layer: its checks, then a flow of 8 layers fitted to
# two moons (NLL curve, samples), and a RealNVP flow of 8 layers beside it
# (the two NLL curves and sample sets compared).
LAB_BIN += $(BUILD)/train_flow

$(BUILD)/train_flow: $(BUILD)/obj/labs/lab5/train_flow.o $(ARGS_OBJ) $(LIBS)
	$(LINK)

lab5: all deps-plot
	$(BUILD)/gradcheck --lab 5
	$(BUILD)/train_flow --out-dir $(BUILD)/lab5
	@$(call PLOT,$(BUILD)/lab5/loss.dat,$(BUILD)/lab5/loss,nll)
	@$(call PLOT,$(BUILD)/lab5/data.dat,$(BUILD)/lab5/samples,flow_samples,samplesfile='$(BUILD)/lab5/samples.dat';)
	$(BUILD)/train_flow --coupling realnvp --out-dir $(BUILD)/lab5/realnvp
	@$(call PLOT,$(BUILD)/lab5/loss.dat,$(BUILD)/lab5/compare,flow_compare,realnvpfile='$(BUILD)/lab5/realnvp/loss.dat'; pointsfile='$(BUILD)/lab5/data.dat'; samplesfile='$(BUILD)/lab5/samples.dat'; realnvpsamples='$(BUILD)/lab5/realnvp/samples.dat';)

lab5_OUTPUTS = $(BUILD)/lab5/loss.png $(BUILD)/lab5/samples.png $(BUILD)/lab5/compare.png
