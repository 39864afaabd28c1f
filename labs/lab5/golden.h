/* labs/lab5/golden.h — the golden losses of lab 5's checks: the loss at the
 * golden inputs (seeds GC_GOLDEN_SEED + 0, 1, 2), from the reference solution
 * (labs/lab.h). Written from the reference: do not edit. */
GOLDEN_LOSSES(flow_layer, 11.753780603556109, 9.277583077578031, 10.556722187032422)
GOLDEN_LOSSES(flow_nll, 44.393704895974352, 36.871511813622149, 38.097607105723036)
GOLDEN_LOSSES(realnvp_layer, 6.9649668705521197, 10.656848815640442, 15.930279991886207)
GOLDEN_LOSSES(realnvp_nll, 36.709965509705611, 38.450292134460398, 29.743770504551424)
