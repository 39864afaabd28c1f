# Lab 1 — softmax, sigmoid', cross-entropy: its checks, the shift-invariance
# demo, the step-size sweep and the Taylor test's plots.
LAB_BIN += $(BUILD)/lab1_shift

$(BUILD)/lab1_shift: $(BUILD)/obj/labs/lab1/shift_demo.o $(BUILD)/obj/labs/args.o $(LIBS)
	$(LINK)

lab1: all deps-plot
	$(BUILD)/gradcheck --lab 1
	$(BUILD)/lab1_shift
	@mkdir -p $(BUILD)/lab1
	$(BUILD)/gradcheck --sweep cross_entropy_soft --out $(BUILD)/lab1/step_sweep.dat
	@echo "wrote $(BUILD)/lab1/step_sweep.dat"
	@$(call PLOT,$(BUILD)/lab1/step_sweep.dat,$(BUILD)/lab1/step_sweep,step_sweep)
	$(BUILD)/gradcheck --lab 1 --method taylor
	@$(call PLOT,$(BUILD)/lab1/step_sweep.dat,$(BUILD)/lab1/taylor,taylor)

# What make lab1 leaves (CI checks them).
lab1_OUTPUTS = $(BUILD)/lab1/step_sweep.png $(BUILD)/lab1/taylor.png
