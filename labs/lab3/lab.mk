# Lab 3 — word2vec: its checks, skip-gram with negative sampling on the whole
# corpus, the naive softmax (which costs O(V d) per pair) on its first 40,000
# words only, the nearest neighbours and a 2-D projection, and their plots.
LAB_BIN += $(BUILD)/train_word2vec $(BUILD)/w2v_explore
# The trainer's parts, which the tests and the fuzzer link too.
LAB3_OBJ = $(addprefix $(BUILD)/obj/labs/lab3/,w2v_train.o w2v_io.o w2v_eval.o)

$(BUILD)/train_word2vec: $(BUILD)/obj/labs/lab3/train_word2vec.o $(LAB3_OBJ) $(ARGS_OBJ) $(LIBS)
	$(LINK) -pthread

$(BUILD)/w2v_explore: $(BUILD)/obj/labs/lab3/w2v_explore.o $(LAB3_OBJ) $(BUILD)/obj/labs/args.o $(LIBS)
	$(LINK) -pthread

$(BUILD)/kernel_bench: $(BUILD)/obj/labs/lab3/kernel_bench.o $(BUILD)/obj/labs/args.o $(LIBS)
	$(LINK)

W2V_NEAR = moses,aaron,egypt,pharaoh,david,jerusalem,jesus,peter,gold,sheep,bread,sword
# The related pairs whose neighbourhood lab 3 follows epoch by epoch.
W2V_PAIRS = moses:aaron,gold:silver,sheep:oxen,peter:john,jesus:christ,bread:eat,sword:famine,egypt:canaan,david:saul,jerusalem:judah,aaron:eleazar,pharaoh:egypt
W2V_PROJ = moses,aaron,pharaoh,egypt,david,saul,solomon,jesus,peter,paul,gold,silver,brass,sheep,goats,oxen,bread,wine,oil,sword,spear,bow,jerusalem,babylon,zion

lab3: all deps-plot
	$(BUILD)/gradcheck --lab 3
	@mkdir -p $(BUILD)/lab3
	$(BUILD)/train_word2vec --loss neg --threads $(THREADS) --held-out 0.02 --pairs $(W2V_PAIRS) \
	  --out $(BUILD)/lab3/vectors.txt
	$(BUILD)/train_word2vec --loss softmax --max-words 40000 --dim 50 --epochs 3 \
	  --threads $(THREADS) --quiet --out $(BUILD)/lab3/vectors_softmax.txt
	$(BUILD)/w2v_explore --vectors $(BUILD)/lab3/vectors.txt --top 6 --neighbours $(W2V_NEAR) \
	  --project $(W2V_PROJ) --out $(BUILD)/lab3/projection.dat
	@$(call PLOT,$(BUILD)/lab3/vectors.loss.dat,$(BUILD)/lab3/loss,w2v_loss,title='skip-gram with negative sampling (K = 5) on the whole corpus';)
	@$(call PLOT,$(BUILD)/lab3/vectors.epochs.dat,$(BUILD)/lab3/epochs,w2v_epochs)
	@$(call PLOT,$(BUILD)/lab3/vectors_softmax.loss.dat,$(BUILD)/lab3/loss_softmax,w2v_loss,title='skip-gram with the naive softmax on the first 40000 words';)
	@$(call PLOT,$(BUILD)/lab3/projection.dat,$(BUILD)/lab3/word_vectors,word_vectors)

lab3_OUTPUTS = $(addprefix $(BUILD)/lab3/,vectors.txt loss.png epochs.png word_vectors.png)

# make bench: one core's kernels (dot, axpy, sigmoid), then word2vec's
# words/s, wall time and peak memory at 1 and 2 threads for negative sampling
# and hierarchical softmax (median of BENCH_RUNS), and the side-by-side run
# with the original word2vec.c when ANCHOR= names a folder holding it.
BENCH_PARTS += bench-lab3
.PHONY: bench-lab3
bench-lab3: all $(BUILD)/kernel_bench
	@mkdir -p $(BUILD)/bench && $(BUILD)/kernel_bench > $(BUILD)/bench/kernel.txt
	@sed 's/^kernel_bench/bench: kernel/' $(BUILD)/bench/kernel.txt
	@echo "bench: word2vec on the lab 3 corpus (d = 100, window 5, K = 5, sample 1e-3, min-count 5, 5 epochs), $(BENCH_RUNS) runs each"
	@sh labs/lab3/bench.sh $(BUILD) neg $(BENCH_RUNS)
	@sh labs/lab3/bench.sh $(BUILD) hs $(BENCH_RUNS)
	@sh labs/ensure-deps.sh time || true
	@sh labs/lab3/anchor_bench.sh $(BUILD) 3
