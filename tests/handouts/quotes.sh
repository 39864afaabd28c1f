#!/bin/sh
# quotes.sh — what the handouts and READMEs quote of the checker is what the
# checker says today (make check and make handouts-test run it):
#   - every quoted slip ("NAME  CHECK  caught" and the report lines under it)
#     is in gradcheck-slips' output: the same check, caught, and the quoted
#     text, whitespace aside, with "..." standing for what was left out;
#   - every quoted report (a block starting "FAIL    CHECK  lab N", or a lone
#     report line "dJ/dW2  50/50 coords ...") is the report of the slip the
#     table below names, line for line (each quoted line is a line of the
#     report, in order), the time of the run aside; a quoted report the
#     table does not know fails, so a new quote comes with its run;
#   - the counts of checks the labs' READMEs give ("8 checks", "nine
#     checks") and README.md's seed sweep ("8040 of 8040 (40 checks x 201
#     seeds)") are the registry's;
#   - the figures handout 00 gives of runs (the worst errors of right code
#     at seed 1, the best errors of the step sweep) are the runs' own, and
#     handout 09's tables of lab2_activations are its output.
# First it checks itself: a quote with one word changed must be failed.
#   sh tests/handouts/quotes.sh BUILD
# Exit: 0, 1 a quote differs from the run (each named), 2 a program missing.
set -u
build=${1:-build}
for p in gradcheck gradcheck-slips lab2_activations; do
    [ -x "$build/$p" ] || { echo "quotes: no $build/$p (make $build/$p)"; exit 2; }
done
tmp=$build/quotes.tmp.$$
mkdir -p "$tmp" || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
fail() { printf 'quotes: FAIL: %s\n' "$*"; failures=$((failures + 1)); }

# The quoted reports and the slip each is the report of: FILE, the first two
# words of the quoted block, the slip (gradcheck-slips --report SLIP), or
# gradcheck:CHECK for the report of the right check (gradcheck CHECK).
reports='
handouts/00-gradient-checking.md FAIL cross_entropy ce_y_minus_yhat
handouts/02-sigmoid-derivative.md KINK at gradcheck:relu
handouts/02-sigmoid-derivative.md FAIL sigmoid_grad sigma_one_plus
handouts/03-cross-entropy-gradient.md FAIL cross_entropy ce_y_minus_yhat
handouts/04-two-layer-backprop.md FAIL net2 net2_no_sigma_prime
handouts/04-two-layer-backprop.md dJ/dW2 50/50 net2_dW2_last_row
labs/teach/README.student.md FAIL cross_entropy ce_y_minus_yhat
'
docs="handouts/[0-9][0-9]-*.md README.md labs/lab*/README.md labs/teach/README.student.md"

"$build/gradcheck-slips" > "$tmp/slips.txt"
"$build/gradcheck" --list > "$tmp/list.txt" || exit 2
slips=$("$build/gradcheck-slips" --list | cut -f1)

# blocks FILE: the file's indented blocks (4 spaces or more), one per line:
# "LINE<TAB>text joined, whitespace collapsed", the text's lines kept apart
# by " | "; a line that starts with a slip's name starts a block of its own.
blocks() {
    awk -v names="$slips" '
        BEGIN { n = split(names, w, "\n"); for (i = 1; i <= n; i++) slip[w[i]] = 1 }
        function flush() { if (text != "") print start "\t" text; text = "" }
        /^(    |\t)/ {
            line = $0; gsub(/[ \t]+/, " ", line); sub(/^ /, "", line); sub(/ $/, "", line)
            split(line, first, " ")
            if (first[1] in slip) flush()
            if (text == "") { start = NR; text = line } else text = text " | " line
            next
        }
        { flush() }
        END { flush() }' "$1"
}

# found TEXT PATTERN: whether PATTERN (pieces between "..." in order) is in TEXT.
found() {
    awk -v text="$1" -v pat="$2" 'BEGIN {
        n = split(pat, piece, /\.\.\./)
        for (i = 1; i <= n; i++) {
            p = piece[i]; sub(/^ +/, "", p); sub(/ +$/, "", p)
            if (p == "") continue
            k = index(text, p)
            if (k == 0) exit 1
            text = substr(text, k + length(p))
        }
        exit 0
    }'
}

# slip_said NAME: gradcheck-slips' lines for slip NAME, joined as blocks() joins them.
slip_said() {
    awk -v name="$1" '
        /^[^ ]/ { on = ($1 == name) }
        on { line = $0; gsub(/[ \t]+/, " ", line); sub(/^ /, "", line); sub(/ $/, "", line)
             out = out (out == "" ? "" : " ") line }
        END { print out }' "$tmp/slips.txt"
}

# untimed: a report's lines, whitespace collapsed, its time ("0.26 ms") as "T".
untimed() {
    sed 's/[ \t][ \t]*/ /g; s/^ //; s/ $//; s/, [0-9.]* m*s$/, T/'
}

# check_slip FILE LINE TEXT: one quoted slip against gradcheck-slips' output.
check_slip() {
    first=${3%% | *}
    name=$(echo "$first" | cut -d' ' -f1) check=$(echo "$first" | cut -d' ' -f2)
    said=$(slip_said "$name")
    case $said in
        "$name $check caught "*) ;;
        "") fail "$1:$2: the slip $name is not in the catalogue"; return ;;
        *) fail "$1:$2: $name is not '$check caught' but '$(echo "$said" | cut -d' ' -f1-3)'"; return ;;
    esac
    rest=$(printf '%s' "$3" | sed 's/^[^|]*| //; s/ | / /g')
    [ "$rest" = "$3" ] && return          # the slip's first line alone
    found "$said" "$rest" ||
        fail "$1:$2: $name's quote is not what gradcheck-slips says: quoted '$rest'; it says '$said'"
}

# check_report FILE LINE TEXT: one quoted report against the run of its slip.
check_report() {
    key=$(echo "${3%% | *}" | cut -d' ' -f1-2)
    slip=$(printf '%s\n' "$reports" | awk -v f="$1" -v k="$key" '$1 == f && $2 " " $3 == k { print $4 }')
    [ -n "$slip" ] || { fail "$1:$2: a quoted report ('$key') with no slip to run in tests/handouts/quotes.sh"; return; }
    case $slip in
        gradcheck:*) "$build/gradcheck" "${slip#gradcheck:}" ;;
        *) "$build/gradcheck-slips" --report "$slip" ;;
    esac | untimed > "$tmp/run.txt"
    printf '%s\n' "$3" | sed 's/ | /\n/g' | untimed > "$tmp/quote.txt"
    # Each quoted line is a line of the run, in order.
    awk 'NR == FNR { run[++n] = $0; next }
         { while (k < n && run[++k] != $0) ; if (run[k] != $0) { print; exit 1 } }' \
        "$tmp/run.txt" "$tmp/quote.txt" > "$tmp/diff.txt" ||
        fail "$1:$2: the report of $slip is not as quoted: '$(cat "$tmp/diff.txt")' is not in
$(cat "$tmp/run.txt")"
}

# check_file FILE: every quote in it.
check_file() {
    blocks "$1" | while IFS="$(printf '\t')" read -r line text; do
        w1=$(echo "$text" | cut -d' ' -f1) w3=$(echo "$text" | cut -d' ' -f3)
        if echo "$slips" | grep -qx -- "$w1" && [ -n "$w3" ]; then
            check_slip "$1" "$line" "$text"
        elif echo "$w1" | grep -qE '^(FAIL|PASS|KINK|ERROR|VACUOUS)$' ||
             { echo "$w1" | grep -q '^dJ/d' && [ "$w3" = coords ]; }; then
            check_report "$1" "$line" "$text"
        fi
    done
    return 0
}

# The test of the test: a slip's quote and a report with one word changed.
printf '    w2v_dU_transposed      naive_softmax   caught\n      diagnosis: wrong: dJ/dv_c; right: dJ/dU.\n' > "$tmp/self.md"
before=$failures
failures=$(check_file "$tmp/self.md" | grep -c '^quotes: FAIL')
[ "$failures" = 1 ] || { echo "quotes: a slip quoted with its blocks swapped was not failed"; exit 1; }
printf '    FAIL    cross_entropy        lab 1  x\n          dJ/dtheta    10/10 coords   max err 2.00e+00 at dJ/dtheta[2]: x\n' > "$tmp/self.md"
reports="$reports
$tmp/self.md FAIL cross_entropy ce_y_minus_yhat"
failures=$(check_file "$tmp/self.md" | grep -c '^quotes: FAIL')
[ "$failures" = 1 ] || { echo "quotes: a report quoted with the wrong coordinate was not failed"; exit 1; }
failures=$before
echo "quotes: a changed slip quote and a changed report are both failed"

quoted=0
for f in $docs; do
    out=$(check_file "$f")
    [ -n "$out" ] && { echo "$out"; failures=$((failures + $(echo "$out" | grep -c '^quotes: FAIL'))); }
    quoted=$((quoted + $(blocks "$f" | awk -F'\t' '{ split($2, w, " ") } w[3] == "caught" || w[1] == "FAIL" || w[3] == "coords"' | wc -l)))
done

# The counts of checks.
words='zero one two three four five six seven eight nine ten eleven twelve'
for readme in labs/lab*/README.md; do
    n=$(basename "$(dirname "$readme")" | sed 's/lab//')
    have=$(awk -v n="$n" '$2 == "lab" && $3 == n' "$tmp/list.txt" | wc -l)
    said=$(grep -A1 "gradcheck --lab $n\`" "$readme" | tr '\n' ' ' |
           grep -oE '\(?([0-9]+|[a-z]+) checks' | head -n 1 | sed 's/^(//; s/ checks//')
    [ -n "$said" ] || continue
    case $said in [0-9]*) ;; *) said=$(echo "$words" | tr ' ' '\n' | grep -nx "$said" | cut -d: -f1)
                               said=$(( ${said:-0} - 1 )) ;; esac
    [ "$said" = "$have" ] || fail "$readme: says $said checks; gradcheck --lab $n runs $have"
done
total=$(awk '$2 == "lab"' "$tmp/list.txt" | wc -l)
sweep=$(grep -oE '[0-9]+ of [0-9]+ \([0-9]+ checks x 201 seeds\)' README.md)
[ "$sweep" = "$((total * 201)) of $((total * 201)) ($total checks x 201 seeds)" ] ||
    fail "README.md: the seed sweep says '$sweep'; there are $total checks"

# The figures handout 00 gives of runs: the worst errors of right code at
# seed 1, the best errors of the step sweep and their ratio.
# flat FILE: the file on one line, whitespace collapsed (a figure may wrap).
flat() { tr '\n' ' ' < "$1" | sed 's/[ \t][ \t]*/ /g'; }
# claim FILE TEXT...: one of the TEXTs (a figure as the run gives it, in each
# way of writing it) is in FILE.
claim() {
    f=$1; shift
    for t in "$@"; do flat "$f" | grep -qF -- "$t" && return 0; done
    fail "$f: says no '$1' (the run's figure)"
}
# sci X DIGITS: X to DIGITS significant digits, as 9.4e-07 (printf).
sci() { awk -v x="$1" -v d="$2" 'BEGIN { printf "%.*e\n", d - 1, x }'; }
# short 9.4e-07 -> 9.4e-7
short() { echo "$1" | sed 's/e\([-+]\)0*\([0-9]\)/e\1\2/'; }
# worst FILE CHECK: the largest max err of CHECK's report lines in FILE.
worst() {
    awk -v c="$2" '/^[A-Z]/ { on = ($2 == c) }
        on && /max err/ { for (i = 1; i < NF; i++) if ($i == "err" && $(i + 1) + 0 > w) w = $(i + 1) + 0 }
        END { print w + 0 }' "$1"
}
h00=handouts/00-gradient-checking.md
"$build/gradcheck" --all --seed 1 > "$tmp/central.txt"
"$build/gradcheck" --all --seed 1 --method richardson > "$tmp/richardson.txt"
for c in net2_large net2_relu net2; do
    claim "$h00" "$c ($(sci "$(worst "$tmp/central.txt" "$c")" 2))"
done
claim "$h00" "net2_tanh and logsumexp ($(sci "$(worst "$tmp/central.txt" net2_tanh)" 2))"
[ "$(sci "$(worst "$tmp/central.txt" net2_tanh)" 2)" = "$(sci "$(worst "$tmp/central.txt" logsumexp)" 2)" ] ||
    fail "$h00: net2_tanh and logsumexp no longer share their worst error"
all_worst() { awk '/max err/ { for (i = 1; i < NF; i++) if ($i == "err" && $(i + 1) + 0 > w) w = $(i + 1) + 0 } END { print w + 0 }' "$1"; }
r=$(sci "$(all_worst "$tmp/richardson.txt")" 1) c=$(sci "$(all_worst "$tmp/central.txt")" 2)
claim "$h00" "worst error is $r (central: $c)" "worst error is $(short "$r") (central: $(short "$c"))"
"$build/gradcheck" --sweep cross_entropy_soft --out "$tmp/sweep.dat" > /dev/null || exit 2
best() { awk -v k="$1" '!/^#/ && (m == "" || $k < m) { m = $k } END { print m }' "$tmp/sweep.dat"; }
fwd=$(best 2) cen=$(best 3) ric=$(best 4)
claim "$h00" "best error of $(short "$(sci "$fwd" 2)") for forward differences against $(short "$(sci "$cen" 2)") for central"
claim "$h00" "measures $(awk -v a="$fwd" -v b="$cen" 'BEGIN { printf "%d", a / b / 10 + 0.5 }')0 "
claim "$h00" "best error is about $(short "$(sci "$ric" 1)"), against about $(short "$(sci "$cen" 2)") for central"

# Handout 09's tables of lab2_activations (a deterministic program): each
# row's numbers, in order, are those of the run's row with the same key.
# Rows: "TABLE KEY n1 n2 ..." (TABLE: s the saturation table, phi the signs,
# eta the zig-zag paths).
"$build/lab2_activations" --out-dir "$tmp/lab2" > "$tmp/act.txt" || exit 2
awk '/^\(a\)/ { t = "s" } /^\(b\)/ { t = "phi" } /SGD on/ { t = "eta" }
     function nums(from,   i, v, out) {
         out = ""
         for (i = from; i <= NF; i++) {
             v = $i; gsub(/[%x,]/, "", v)
             if ($i !~ /^\(/ && v ~ /^[0-9.]+(e[-+][0-9]+)?$/) out = out " " (v + 0)
         }
         return out
     }
     t == "s" && $1 ~ /^[0-9.]+$/ { print t, $1 + 0 nums(2) }
     t == "phi" && $1 ~ /^(sigmoid|tanh|relu)$/ { print t, $1 nums(2) }
     t == "eta" && $1 ~ /^[0-9.]+$/ { print t, $1 + 0 nums(2) }' "$tmp/act.txt" > "$tmp/act.rows"
awk -F'|' '/^\| \$s\$ \|/ { t = "s"; next } /^\| \$\\phi\$ \| hidden/ { t = "phi"; next }
     /^\| \$\\eta\$ \|/ { t = "eta"; next } !/^\|/ { t = "" }
     t != "" && $2 !~ /---/ {
         row = ""
         for (c = 3; c < NF; c++) {
             v = $c; gsub(/\$[^$]*\$/, "", v); gsub(/within [0-9.]+ of/, "", v)
             n = split(v, w, /[ ;,]+/)
             for (i = 1; i <= n; i++) { x = w[i]; gsub(/[%x]/, "", x); if (x ~ /^[0-9.]+$/) row = row " " (x + 0) }
         }
         key = $2; gsub(/ /, "", key); key = tolower(key)
         if (key ~ /^[0-9.]+$/) key = key + 0
         print t, key row
     }' handouts/09-activations.md > "$tmp/h09.rows"
for t in s phi eta; do
    grep -q "^$t " "$tmp/h09.rows" || fail "handouts/09-activations.md: its table by \$$t of lab2_activations is not found"
done
while read -r row; do
    grep -qxF -- "$row" "$tmp/act.rows" ||
        fail "handouts/09-activations.md: the row '$row' is not lab2_activations' ($(grep "^$(echo "$row" | cut -d' ' -f1-2) " "$tmp/act.rows"))"
done < "$tmp/h09.rows"

if [ "$failures" -gt 0 ]; then
    echo "quotes: $failures quotes differ from the run"
    exit 1
fi
echo "quotes: $quoted quoted slips and reports, the counts of checks, handout 00's figures and the $(wc -l < "$tmp/h09.rows") rows of handout 09's tables agree with the runs"
