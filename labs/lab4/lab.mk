# Lab 4 — hierarchical softmax: its checks, the cost of one pair as V grows
# (hs_cost), then the three losses on the same slice (lab 3's naive-softmax
# slice: the first 40,000 words) and their curves.
LAB_BIN += $(BUILD)/hs_cost
LAB4_SLICE = --max-words 40000 --dim 50 --epochs 3 --threads $(THREADS) --quiet

$(BUILD)/hs_cost: $(BUILD)/obj/labs/lab4/hs_cost.o $(ARGS_OBJ) $(LIBS)
	$(LINK)

lab4: all deps-plot
	$(BUILD)/gradcheck --lab 4
	@mkdir -p $(BUILD)/lab4
	$(BUILD)/hs_cost --out-dir $(BUILD)/lab4
	@$(call PLOT,$(BUILD)/lab4/cost.dat,$(BUILD)/lab4/cost_vs_vocab,cost_vs_vocab)
	$(BUILD)/train_word2vec --loss softmax $(LAB4_SLICE) --out $(BUILD)/lab4/softmax.txt
	$(BUILD)/train_word2vec --loss hs $(LAB4_SLICE) --out $(BUILD)/lab4/hs.txt
	$(BUILD)/train_word2vec --loss neg $(LAB4_SLICE) --out $(BUILD)/lab4/neg.txt
	@$(call PLOT,$(BUILD)/lab4/softmax.loss.dat,$(BUILD)/lab4/losses,w2v_losses,hsfile='$(BUILD)/lab4/hs.loss.dat'; negfile='$(BUILD)/lab4/neg.loss.dat';)

lab4_OUTPUTS = $(addprefix $(BUILD)/lab4/,cost.dat cost_vs_vocab.png losses.png)
