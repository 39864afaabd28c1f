#!/bin/sh
# planted.sh — a class made from the slip catalogue (labs/teach/slips.c),
# graded, then reported: the report must count each slip exactly as planted.
#   sh tests/report/planted.sh BUILD
# Each student is the reference src/*.c with one or two slips of the
# catalogue planted in the source (the line the slip changes, changed the
# way the catalogue describes it), or none. The slip's name must be in the
# catalogue (gradcheck-slips --list); the function and diagnosis code each
# must be reported under are written below, with the slip, not read from
# the grader. The report's table of diagnoses must then hold exactly these
# students under exactly these (function, code) pairs, no more and no
# fewer; the correct students must score full marks; and the pages for the
# students must be safe to post (tests/report/safe.sh).
set -u
build=${1:-build}
dir="$build/planted"
subs="$dir/submissions"
grades="$dir/grades"
out="$dir/report"
failures=0
fail() { printf 'planted: FAIL: %s\n' "$*"; failures=$((failures + 1)); }
editable=$(grep -l 'BEGIN SOLUTION' src/*.c)

# slip NAME: sets file, old (the reference's text), new (the slip's), and
# fn and code (what the report must say); apart, when two lab_slips of one
# function say different lab words, which the report counts apart.
slip() {
    apart=-
    case $1 in
    sigma_grad_of_x) file=sigmoid.c fn=sigmoid_grad code=applies_again
        old='    return s * (1.0 - s);'
        new='    double t = sigmoid(s);
    return t * (1.0 - t);' ;;
    ce_y_minus_yhat) file=cross_entropy.c fn=softmax_cross_entropy code=sign_flipped
        old='grad_theta[i] += exp(theta[i] - lse) - y[i];'
        new='grad_theta[i] += y[i] - exp(theta[i] - lse);' ;;
    ce_overwrites) file=cross_entropy.c fn=softmax_cross_entropy code=overwrites
        old='grad_theta[i] += exp(theta[i] - lse) - y[i];'
        new='grad_theta[i] = exp(theta[i] - lse) - y[i];' ;;
    ce_dropped_y) file=cross_entropy.c fn=softmax_cross_entropy code=lab_slip
        old='grad_theta[i] += exp(theta[i] - lse) - y[i];'
        new='grad_theta[i] += exp(theta[i] - lse);' ;;
    softmax_no_shift) file=softmax.c fn=logsumexp code=not_finite
        old='    double m = max_of(x, n);          /* log sum exp(x) = m + log sum exp(x - m) */'
        new='    double m = 0.0;' ;;
    relu_kink_two) file=relu.c fn=relu_grad code=kink
        old='    return x > 0 ? 1.0 : 0.0;'
        new='    return x > 0 ? 1.0 : x == 0 ? 2.0 : 0.0;' ;;
    tanh_no_square) file=activation.c fn=tanh_grad code=lab_slip
        old='    return 1.0 - t * t;'
        new='    return 1.0 - t;' ;;
    net2_dW2_transposed) file=net2.c fn=backward_row code=transposed
        old='g->W2[j * d.dy + k] += h[j] * delta2[k];'
        new='g->W2[k * d.h + j] += h[j] * delta2[k];' ;;
    net2_no_sigma_prime) file=net2.c fn=backward_row code=wrong_values
        old='delta1[j] = back * activation_grad(d.act, h[j]);'
        new='delta1[j] = back;' ;;
    w2v_expected_minus_obs) file=word2vec.c fn=naive_softmax_loss_and_grad code=sign_flipped
        old='axpy(yhat[w], U + w * d, grad_v_c, d);'
        new='axpy(-yhat[w], U + w * d, grad_v_c, d);' ;;
    w2v_dU_transposed) file=word2vec.c fn=naive_softmax_loss_and_grad code=transposed
        old='            axpy(yhat[w], v_c, grad_U + w * d, d);'
        new='            for (size_t i = 0; i < d; i++) grad_U[i * V + w] += yhat[w] * v_c[i];' ;;
    w2v_dvc_needs_dU) file=word2vec.c fn=naive_softmax_loss_and_grad code=null_gradient
        old='        if (grad_v_c)
            axpy(yhat[w], U + w * d, grad_v_c, d);'
        new='        if (grad_v_c && grad_U)
            axpy(yhat[w], U + w * d, grad_v_c, d);' ;;
    cbow_no_mean) file=word2vec.c fn=cbow_loss_and_grad code=constant_factor
        old='axpy(1.0 / (double)m, grad_h, grad_Vc + context[j] * d, d);'
        new='axpy(1.0, grad_h, grad_Vc + context[j] * d, d);' ;;
    neg_repeat_once) file=negsamp.c fn=neg_sampling_loss_and_grad code=repeated_index_once
        old='        if (grad_U)
            axpy(slope, v_c, grad_U + w * d, d);'
        new='        int again = 0;
        for (size_t j = 1; j < k; j++)
            again |= negatives[j - 1] == w;
        if (grad_U && !again)
            axpy(slope, v_c, grad_U + w * d, d);' ;;
    neg_negatives_only) file=negsamp.c fn=neg_sampling_loss_and_grad code=rows_left_at_zero
        old='        double slope = k == 0 ? sigmoid(s[i]) - 1.0 : sigmoid(s[i]);   /* dJ/ds_w */'
        new='        double slope = k == 0 ? sigmoid(s[i]) - 1.0 : sigmoid(s[i]);   /* dJ/ds_w */
        if (k == 0)
            continue;' ;;
    hs_sign_mixed) file=hsoftmax.c fn=hsoftmax_loss_and_grad code=opposite_sign_rows
        old='double slope = (sig - 1.0) * s;'
        new='double slope = sig * s;' ;;
    flow_logdet_off_by_one) file=flow.c fn=flow_log_abs_det code=off_by_one
        old='    for (size_t j = 0; j < d.h; j++)
        s += log(fabs(q.beta[j]));'
        new='    for (size_t j = 0; j + 1 < d.h; j++)
        s += log(fabs(q.beta[j]));' ;;
    flow_logdet_no_abs) file=flow.c fn=flow_log_abs_det code=not_finite
        old='        s += log(fabs(q.alpha[i]));'
        new='        s += log(q.alpha[i]);' ;;
    flow_jacobian_df_du_sign) file=flow.c fn=flow_jacobian code=sign_flipped
        old='J[i * m + d.n + j] += q.W2'
        new='J[i * m + d.n + j] -= q.W2' ;;
    flow_no_tanh_prime) file=flow.c fn=flow_backward code=wrong_values
        old='        ga[k] *= 1 - t[k] * t[k];
'
        new='' ;;
    realnvp_logdet_sum_exp) file=realnvp.c fn=realnvp_log_abs_det code=wrong_values
        old='        sum += s[i];'
        new='        sum += exp(s[i]);' ;;
    realnvp_inverse_times_exp) file=realnvp.c fn=realnvp_jacobian code=check_failed
        old='z[i] = (x[i] - t[i]) * exp(-s[i]);'
        new='z[i] = (x[i] - t[i]) * exp(s[i]);' ;;
    realnvp_scale_constant) file=realnvp.c fn=realnvp_backward code=lab_slip apart=through_x
        old='gs[i] = gx[i] * z[i] * e + gld;'
        new='gs[i] = gld;' ;;
    realnvp_no_logdet_grad) file=realnvp.c fn=realnvp_backward code=lab_slip apart=log_det
        old='gs[i] = gx[i] * z[i] * e + gld;'
        new='gs[i] = gx[i] * z[i] * e;' ;;
    skipgram_off_by_one) file=word2vec.c fn=skipgram_loss_and_grad code=lab_slip
        old='    for (size_t j = 0; j < m; j++)
        J += w2v_pair_loss_and_grad(L, j, v_c'
        new='    for (size_t j = 0; j + 1 < m; j++)
        J += w2v_pair_loss_and_grad(L, j, v_c' ;;
    relu_grad_zero_one) file=relu.c fn=relu_grad code=kink
        old='    return x > 0 ? 1.0 : 0.0;'
        new='    return x >= 0 ? 1.0 : 0.0;' ;;
    lse_no_plus_m) file=softmax.c fn=logsumexp code=loss_other_function
        old='    return m + log(z);'
        new='    return log(z);' ;;
    *) return 1 ;;
    esac
}

# plant STUDENT [SLIP...]: the reference with these slips; the expected
# report lines "function code student" go to $dir/expected.
plant() {
    student=$1
    shift
    mkdir -p "$subs/$student/src"
    for f in $editable; do cp "$f" "$subs/$student/$f"; done
    for name in "$@"; do
        slip "$name" || { fail "no planted form of slip $name"; continue; }
        grep -qx "$name" "$dir/catalogue" || fail "slip $name is not in the catalogue"
        OLD=$old NEW=$new perl -0777 -i -pe \
            'BEGIN { $o = $ENV{OLD}; $n = $ENV{NEW} } $c = s/\Q$o\E/$n/g; END { exit($c == 1 ? 0 : 3) }' \
            "$subs/$student/src/$file" || fail "$student: slip $name did not change src/$file once"
        echo "$fn $code $student $apart" >> "$dir/expected"
    done
}

rm -rf "$dir"
mkdir -p "$subs"
"$build/gradcheck-slips" --list | cut -f1 > "$dir/catalogue" || { echo "planted: no catalogue"; exit 1; }
: > "$dir/expected"
plant s01-quokka sigma_grad_of_x
plant s02-axolotl ce_y_minus_yhat realnvp_inverse_times_exp
plant s03-pangolin ce_overwrites tanh_no_square
plant s04-okapi
plant s05-narwhal softmax_no_shift w2v_dU_transposed
plant s06-tapir net2_dW2_transposed realnvp_no_logdet_grad
plant s07-ibex w2v_expected_minus_obs hs_sign_mixed
plant s08-kakapo neg_repeat_once realnvp_scale_constant
plant s09-dugong cbow_no_mean flow_logdet_off_by_one
plant s10-gharial
plant s11-saiga relu_kink_two flow_jacobian_df_du_sign
plant s12-markhor ce_dropped_y realnvp_logdet_sum_exp
plant s13-numbat w2v_dvc_needs_dU flow_logdet_no_abs
plant s14-zorilla net2_no_sigma_prime neg_negatives_only
plant s15-potoo flow_no_tanh_prime
plant s16-serow
plant s17-tarsier ce_y_minus_yhat cbow_no_mean
plant s19-quoll relu_grad_zero_one skipgram_off_by_one
plant s20-takin lse_no_plus_m
[ "$failures" = 0 ] || { echo "planted: $failures failures making the class"; exit 1; }

start=$(date +%s)
sh labs/teach/grade.sh --build "$build" --grades "$grades" --submissions "$subs" > "$dir/grade.log" 2>&1 ||
    fail "grade.sh exited $? (log: $dir/grade.log)"
echo "planted: graded $(ls "$subs" | wc -l) students in $(( $(date +%s) - start )) s (log: $dir/grade.log)"
sh labs/teach/report.sh --build "$build" --out "$out" --title "a planted class" "$grades" > "$dir/report.log" 2>&1 ||
    { fail "report.sh exited $?: $(cat "$dir/report.log")"; exit 1; }

# What the report says: "function code students..." per diagnosis; and what was planted.
awk -F, '$1 == "diagnosis" { print $3, $4, $9 }' "$out/report.csv" | LC_ALL=C sort > "$dir/reported"
awk '{ k = $1 " " $2 " " $4; who[k] = who[k] (who[k] == "" ? "" : " ") $3 } END { for (k in who) print k, who[k] }' \
    "$dir/expected" | while read -r f c apart rest; do
        printf '%s %s %s\n' "$f" "$c" "$(printf '%s\n' $rest | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
    done | LC_ALL=C sort > "$dir/planted"
if ! cmp -s "$dir/planted" "$dir/reported"; then
    fail "the report does not count the slips as planted (< planted, > reported):"
    diff "$dir/planted" "$dir/reported" | sed 's/^/    /'
fi
for s in s04-okapi s10-gharial s16-serow; do
    row=$(awk -F, -v s="$s" '$1 == s' "$grades/gradebook.csv")
    [ "$(echo "$row" | cut -d, -f2)" = "$(echo "$row" | cut -d, -f3)" ] || fail "$s is correct but scored $row"
done
sh tests/report/safe.sh "$grades" "$out" || fail "the students' pages are not safe to post"

if [ "$failures" -gt 0 ]; then
    echo "planted: $failures failures"
    exit 1
fi
echo "planted: all $(wc -l < "$dir/expected") slips of $(ls "$subs" | wc -l) students counted as planted"
sed 's/^/planted:   /' "$dir/reported"
