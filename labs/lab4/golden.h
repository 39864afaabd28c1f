/* labs/lab4/golden.h — the golden losses of lab 4's checks: the loss at the
 * golden inputs (seeds GC_GOLDEN_SEED + 0, 1, 2), from the reference solution
 * (labs/lab.h). Written from the reference: do not edit. */
GOLDEN_LOSSES(hs_pair, 3.2795230958362396, 2.8930228432302583, 2.6786672754801906)
GOLDEN_LOSSES(hs_pair_short, 1.1087103090623869, 1.9126028354481375, 2.2730148479299435)
GOLDEN_LOSSES(skipgram_hs, 11.403519498324446, 10.270759617095978, 12.222015566480074)
GOLDEN_LOSSES(cbow_hs, 2.5761617245890225, 2.3567220480807358, 3.7087962831693151)
