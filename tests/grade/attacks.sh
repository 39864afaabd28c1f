#!/bin/sh
# attacks.sh — the grader against a class of cheating submissions:
#   sh tests/grade/attacks.sh BUILD
# Most attacks are the all-stubs submission (which scores 0) with attack code
# in src/sigmoid.c: a constructor that runs when the probe starts, or lines
# the compiler meets; a few are the reference with one function made to
# cheat (tests/grade/attacks/*.c). An attack that gets what it is after
# prints "ATTACK-WON: ..." (which the grader keeps in the results as
# printing) or changes a file or a process we check from here. The class is
# graded while two busy loops load both cores, while a second grader grades
# another class beside it, and (as root, with a v1 memory cgroup) inside a
# 2 GiB memory cgroup of its own. For every attack, after `make grade`'s
# script has graded the class:
#   - it scores 0, the stub's score (no point over the same code without it);
#     a consistent forgery of every lab scores 0; golden points special-cased
#     score no more than the same slip everywhere;
#   - the classmate graded beside it (the reference) has the results it has
#     when graded alone, under no load: no other student's result changed,
#     and the second grader's class keeps full marks;
#   - nothing a hidden test's process saw reaches a visible test's output,
#     and two submissions never share a hidden input;
#   - every results.json is strict UTF-8 JSON (Python's json reads it), every
#     gradebook row has every column and "graded", and a name that a
#     spreadsheet would take for a formula is not one;
#   - the instructor's files are unchanged, and nothing of theirs (a
#     reference line, a table's seed) shows in any results.json;
#   - no process of the sandbox's uids, and no process it started, is left.
set -u
build=${1:-build}
here=$(pwd)
dir="$here/$build/attack-test"
subs="$dir/submissions"
grades="$dir/grades"
failures=0
fail() { printf 'attacks: FAIL: %s\n' "$*"; failures=$((failures + 1)); }
rm -rf "$dir"
mkdir -p "$subs"
editable=$(grep -l 'BEGIN SOLUTION' src/*.c)

stubs() {
    mkdir -p "$subs/$1/src"
    for f in $editable; do "$build/strip" "$f" "$f" "$subs/$1/$f"; done
}

# attack NAME 'C text': the stubs, with the C text appended to sigmoid.c.
attack() {
    stubs "$1"
    printf '%s\n' "$2" >> "$subs/$1/src/sigmoid.c"
}

# attack_file NAME FILE: the stubs, with tests/grade/attacks/FILE appended
# to sigmoid.c (_GNU_SOURCE first).
attack_file() {
    stubs "$1"
    f="$subs/$1/src/sigmoid.c"
    { echo "#define _GNU_SOURCE"; cat "$f"; cat "tests/grade/attacks/$2"; } > "$f.new" && mv "$f.new" "$f"
}

# cheat_ce NAME FILE: the reference, with softmax_cross_entropy renamed
# softmax_cross_entropy_right and tests/grade/attacks/FILE defining it again.
cheat_ce() {
    mkdir -p "$subs/$1/src"
    for f in $editable; do cp "$f" "$subs/$1/$f"; done
    { echo "#define _GNU_SOURCE"; echo "#define softmax_cross_entropy softmax_cross_entropy_right"
      cat src/cross_entropy.c; echo "#undef softmax_cross_entropy"; cat "tests/grade/attacks/$2"; } \
        > "$subs/$1/src/cross_entropy.c"
}

# What the attacks aim at, as C strings.
head_c="#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#define ROOT \"$here\"
#define GRADES \"$grades\""

mkdir -p "$subs/victim/src"
for f in $editable; do cp "$f" "$subs/victim/$f"; done
stubs stub

attack forge "$head_c
/* Answers nobody asked for, and old-style PASS reports, on every descriptor. */
__attribute__((constructor)) static void forge(void)
{
    char junk[8192];
    memset(junk, 0, sizeof junk);
    memcpy(junk, \"GLCHECK\", 8);
    for (int fd = 3; fd < 10; fd++)
        write(fd, junk, sizeof junk);
}"

attack include_reference "#include \"$here/src/softmax.c\"
#include \"../../../../../../src/sigmoid.c\""

attack exec_probe "$head_c
__attribute__((constructor)) static void run_others(void)
{
    const char *paths[] = { ROOT \"/build/grade-probe\", ROOT \"/build/grade\", \"/tmp\" };
    for (int i = 0; i < 2; i++)
        if (access(paths[i], X_OK) == 0)
            fprintf(stderr, \"ATTACK-WON: can run %s\\n\", paths[i]);
    DIR *d = opendir(paths[2]);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strncmp(e->d_name, \"gradlab-\", 8) == 0)
            fprintf(stderr, \"ATTACK-WON: sees %s\\n\", e->d_name);
}"

attack read_memory "$head_c
/* The grader's memory (it holds reference values), by /proc/PID/mem. */
__attribute__((constructor)) static void peek(void)
{
    DIR *d = opendir(\"/proc\");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char path[300], cmd[4096] = \"\";
        snprintf(path, sizeof path, \"/proc/%s/cmdline\", e->d_name);
        FILE *f = fopen(path, \"r\");
        size_t n = f ? fread(cmd, 1, sizeof cmd - 1, f) : 0;
        if (f) fclose(f);
        for (size_t i = 0; i < n; i++) if (!cmd[i]) cmd[i] = ' ';
        snprintf(path, sizeof path, \"/proc/%s/mem\", e->d_name);
        int fd = strstr(cmd, \"--submission\") ? open(path, O_RDONLY) : -1;
        if (fd >= 0)
            fprintf(stderr, \"ATTACK-WON: opened the grader's memory %s\\n\", path);
    }
}"

attack write_results "$head_c
__attribute__((constructor)) static void scribble(void)
{
    const char *targets[] = { GRADES \"/victim/results.json\", GRADES \"/gradebook.csv\",
                              ROOT \"/labs/lab1/teach/table.txt\", ROOT \"/build/grade\" };
    for (int i = 0; i < 4; i++) {
        FILE *f = fopen(targets[i], \"a\");
        if (f && fputs(\"{\\\"score\\\": 91}\", f) >= 0 && fclose(f) == 0)
            fprintf(stderr, \"ATTACK-WON: wrote %s\\n\", targets[i]);
    }
    if (mkdir(GRADES \"/write_results/results.json.tmp\", 0777) == 0)
        fprintf(stderr, \"ATTACK-WON: blocked the grader's write\\n\");
}"

attack escape "$head_c
/* setsid and a double fork, then rewrite a classmate's results after grading. */
__attribute__((constructor)) static void escape(void)
{
    if (fork() != 0)
        return;
    setsid();
    if (fork() != 0)
        _exit(0);
    execl(\"/bin/sh\", \"sh\", \"-c\", \"sleep 2; echo '{\\\"score\\\": 91}' > \" GRADES
          \"/victim/results.json; : gradlab-attack-escaped\", (char *)NULL);
    _exit(0);
}"

attack kill_grader "$head_c
__attribute__((constructor)) static void kill_all(void)
{
    kill(getppid(), SIGKILL);
    kill(-1, SIGKILL);
    system(\"pkill -9 -f grade.sh; pkill -9 -f build/grade; killall -9 sh\");
}"

attack flood "$head_c
__attribute__((constructor)) static void flood(void)
{
    for (int i = 0; i < 5000; i++)
        if (fork() == 0) {
            execl(\"/bin/sleep\", \"sleep\", \"29.5\", (char *)NULL);
            _exit(0);
        }
}"

attack disk_fill "$head_c
__attribute__((constructor)) static void fill(void)
{
    static char chunk[1 << 20];
    const char *dirs[] = { \"/tmp\", \"/dev/shm\", \".\", \"/var/tmp\" };
    size_t total = 0;
    for (int d = 0; d < 4; d++) {
        size_t before = total;
        for (int i = 0; i < 4000; i++) {
            char path[300];
            snprintf(path, sizeof path, \"%s/gradlab-attack-fill.%d.%d\", dirs[d], d, i);
            FILE *f = fopen(path, \"w\");
            if (!f) break;
            size_t w = fwrite(chunk, 1, sizeof chunk, f);
            if (fclose(f) != 0 || w != sizeof chunk) break;
            total += w;
        }
        fprintf(stderr, \"%s: %zu MiB; \", dirs[d], (total - before) >> 20);
    }
    fprintf(stderr, \"DISK-FILLED: %zu MiB\\n\", total >> 20);
}"

attack compiler_bomb '#include "/dev/zero"'

attack leak_messages "#include \"$here/labs/lab1/teach/table.txt\"
$head_c
/* A stub's message carrying what the student may not see. */
__attribute__((constructor)) static void leak(void)
{
    char buf[400] = \"\";
    FILE *f = fopen(ROOT \"/labs/lab1/teach/table.txt\", \"r\");
    if (f) { fread(buf, 1, sizeof buf - 1, f); fclose(f); }
    fprintf(stderr, \"not implemented: %s\\n\", buf);
    _exit(77);
}"

# Archives and folders that are not regular files.
stubs symlink_folder
rm -f "$subs/symlink_folder/src/sigmoid.c"
ln -s "$here/src/sigmoid.c" "$subs/symlink_folder/src/sigmoid.c"
ln "$subs/symlink_folder/src/softmax.c" "$subs/softmax-copy.c.keep" 2>/dev/null
mkdir -p "$dir/tar1/x"
ln -s "$here/src" "$dir/tar1/x/src"
tar czf "$subs/symlink_tarball.tar.gz" -C "$dir/tar1" x
mkdir -p "$dir/tar2"
cp src/sigmoid.c "$dir/tar2/sigmoid.c"
tar czf "$subs/dotdot_tarball.tar.gz" -C "$dir/tar2" --transform 's|^|../../|' sigmoid.c

# A consistent forgery of every lab, golden points special-cased beside the
# same slip everywhere (the control), a symbolic link for the whole src
# folder, a covert channel (twice: two submissions must never share a hidden
# input), and a memfd hog.
attack_file forge_consistent forge.c
cheat_ce golden_special golden.c
cheat_ce ce_doubled golden.c
sed -i 's/if (grad_theta == NULL \&\& at_golden_point(theta, n))/if (0)/' "$subs/ce_doubled/src/cross_entropy.c"
cheat_ce covert_a covert.c
cheat_ce covert_b covert.c
attack_file memfd_hog memfd.c
mkdir -p "$subs/symlink_dir"
ln -s "$here/src" "$subs/symlink_dir/src"

# Bytes that are not UTF-8 (a surrogate, an overlong '/', a code point past
# U+10FFFF) in a compiler message and in a refused file's name, and the
# reference under a name a spreadsheet would read as a formula.
stubs utf8_names
printf '#error "\355\240\200 \300\257 \364\220\200\200"\n' >> "$subs/utf8_names/src/sigmoid.c"
ln -s /etc/passwd "$subs/utf8_names/src/bad$(printf '\355\240\200\300\257')name.c"
mkdir -p "$dir/tar3/src"
cp $editable "$dir/tar3/src/"
tar czf "$subs/+1+SUM.A2-@A3.tar.gz" -C "$dir/tar3" src

attacks="forge include_reference exec_probe read_memory write_results escape kill_grader
flood disk_fill compiler_bomb leak_messages symlink_folder symlink_tarball dotdot_tarball
forge_consistent symlink_dir memfd_hog utf8_names"

# The instructor's files, to compare after grading.
sums() { find src labs/lab*/teach "$build/grade" "$build/grade-probe" -type f -exec sha256sum {} + | LC_ALL=C sort; }
sums > "$dir/before.sums"

# The victim alone first: its results when no attacker is graded beside it
# and nothing else runs.
mkdir -p "$dir/alone"
cp -R "$subs/victim" "$dir/alone/"
sh labs/teach/grade.sh --build "$build" --grades "$dir/alone-grades" --submissions "$dir/alone" \
    --timeout 5 > "$dir/alone.log" 2>&1 || fail "grading the victim alone failed"

# A second class for a second grader at the same time: two copies of the reference.
mkdir -p "$dir/class2"
for t in twin1 twin2; do cp -R "$subs/victim" "$dir/class2/$t"; done

# Load: two busy loops, one per core, for as long as the class grades.
sh -c 'while :; do :; done' & busy1=$!
sh -c 'while :; do :; done' & busy2=$!

# The class in a 2 GiB memory cgroup of its own (root and a v1 memory
# hierarchy), as a machine that bounds the grader's memory would have it.
outer=""
mem=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' /proc/self/cgroup 2>/dev/null)
if [ "$(id -u)" = 0 ] && [ -n "$mem" ] && [ -d "/sys/fs/cgroup/memory$mem" ]; then
    outer="/sys/fs/cgroup/memory${mem%/}/gradlab-attacks.$$"
    { mkdir "$outer" && echo $((2 << 30)) > "$outer/memory.limit_in_bytes"; } 2>/dev/null || outer=""
fi
[ -n "$outer" ] || echo "attacks: no v1 memory cgroup to bound the class in: graded without one"

start=$(date +%s)
sh labs/teach/grade.sh --build "$build" --grades "$dir/grades2" --submissions "$dir/class2" \
    --timeout 5 > "$dir/grade2.log" 2>&1 &
second=$!
sh -c '[ -z "$1" ] || echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$outer" \
    sh labs/teach/grade.sh --build "$build" --grades "$grades" --submissions "$subs" --timeout 5 \
    > "$dir/grade.log" 2>&1
rc=$?
wait "$second"
rc2=$?
took=$(( $(date +%s) - start ))
kill "$busy1" "$busy2" 2>/dev/null
wait "$busy1" "$busy2" 2>/dev/null
echo "attacks: graded $(ls -d "$grades"/*/ | wc -l) submissions in $took s, both cores busy and a second grader beside it (log: $dir/grade.log)"
[ "$rc" = 0 ] || fail "grade.sh exited $rc: $(tail -n 2 "$dir/grade.log")"
[ "$rc2" = 0 ] || fail "the second grader exited $rc2: $(tail -n 2 "$dir/grade2.log")"
if [ -n "$outer" ]; then
    oom=$(awk '$1 == "oom_kill" { print $2 }' "$outer/memory.oom_control")
    [ "${oom:-0}" = 0 ] || fail "the 2 GiB cgroup around the grader ran out of memory ($oom kills)"
    rmdir "$outer" 2>/dev/null
fi
sleep 3                                        # the escaped writer would have struck by now

book="$grades/gradebook.csv"
score() { awk -F, -v s="$1" '$1 == s { print $2 }' "$book"; }
for a in stub $attacks; do
    got=$(score "$a")
    [ "$got" = 0 ] || fail "$a scored '$got', not 0 (the stubs' score)"
done
special=$(score golden_special) control=$(score ce_doubled)
[ -n "$special" ] && [ -n "$control" ] && awk -v a="$special" -v b="$control" 'BEGIN { exit !(a <= b) }' ||
    fail "golden points special-cased scored '$special', more than the same slip everywhere ('$control')"
[ "$(score victim)" = "$(awk -F, '$1 == "victim" { print $2 }' "$dir/alone-grades/gradebook.csv")" ] ||
    fail "the victim scored $(score victim) beside the attackers"
full=$(awk -F, 'NR == 2 { print $3 }' "$book")
for t in twin1 twin2; do
    got=$(awk -F, -v s="$t" '$1 == s { print $2 }' "$dir/grades2/gradebook.csv")
    [ "$got" = "$full" ] || fail "the second grader's $t scored '$got', not $full"
done
strip_time() { sed -e 's/"execution_time": [0-9]*/"execution_time": T/' -e 's/evaluations, [^"\\]*/evaluations, T/g' \
                   -e 's/(uid [0-9]*)/(uid U)/' "$1"; }
strip_time "$grades/victim/results.json" > "$dir/victim.now"
strip_time "$dir/alone-grades/victim/results.json" > "$dir/victim.alone"
cmp -s "$dir/victim.now" "$dir/victim.alone" ||
    fail "the victim's results.json changed beside the attackers: $(diff "$dir/victim.alone" "$dir/victim.now" | head -n 4)"
sums > "$dir/after.sums"
cmp -s "$dir/before.sums" "$dir/after.sums" || fail "an instructor's file changed: $(diff "$dir/before.sums" "$dir/after.sums" | head -n 2)"

# Every row has every column and the status "graded"; the formula name is text.
cols=$(head -n 1 "$book" | awk -F, '{ print NF }')
awk -F, -v n="$cols" 'NF != n || (NR > 1 && $NF != "graded") { print "row " NR ": " $0; bad = 1 } END { exit bad }' \
    "$book" > "$dir/rows.txt" || fail "gradebook rows without every column or not graded: $(head -n 2 "$dir/rows.txt")"
grep -q "^'+1+SUM.A2-@A3," "$book" || fail "the name +1+SUM.A2-@A3 is not neutralised in the gradebook"
[ "$(score "'+1+SUM.A2-@A3")" = "$full" ] || fail "the reference named +1+SUM.A2-@A3 scored '$(score "'+1+SUM.A2-@A3")', not $full"

# Every results.json is strict UTF-8 JSON; the channel carries no hidden input.
if command -v python3 >/dev/null 2>&1; then
    python3 tests/grade/results_check.py "$grades" "$dir/grades2" "$dir/alone-grades" \
        --channel covert_a covert_b > "$dir/json.txt" 2>&1 || fail "$(head -n 3 "$dir/json.txt")"
else
    fail "python3 is needed to read results.json as a consumer does (CI installs it)"
fi

# Without bubblewrap (uid and rlimits only) world-readable files and the
# shared /tmp stay reachable: said, and not counted as failures there.
isolation=$(sed -n 's/^grade: isolation: //p' "$dir/grade.log" | head -n 1)
won=$(grep -ho 'ATTACK-WON[^\\]*' "$grades"/*/results.json | LC_ALL=C sort -u)
case $isolation in
    bubblewrap*) [ -z "$won" ] || fail "an attack won: $(echo "$won" | head -n 3)" ;;
    *) [ -z "$won" ] || echo "attacks: not blocked by this isolation ($isolation): $won" ;;
esac
for seed in $(awk '$1 == "seed" { print $2 }' labs/lab*/teach/table.txt); do
    ! grep -qi "$seed" "$grades"/*/results.json || fail "a table's seed $seed shows in the results"
done
! grep -q 'BEGIN SOLUTION' "$grades"/*/results.json || fail "reference source shows in the results"
! grep -q 'where the reference has' "$grades"/*/results.json || fail "a reference value shows in the results"
grep -q 'DISK-FILLED' "$grades/disk_fill/results.json" || fail "disk_fill did not run"
filled=$(grep -o 'DISK-FILLED: [0-9]*' "$grades/disk_fill/results.json" | head -n 1 | awk '{ print $2 }')
case $isolation in bubblewrap*) ;; *) filled=0 ;; esac     # no disk limit without it
[ "${filled:-999}" -le 32 ] || fail "disk_fill wrote $filled MiB (limit: 16 MiB in each of /tmp and /dev/shm)"
! ls /tmp/gradlab-attack-fill.* /var/tmp/gradlab-attack-fill.* >/dev/null 2>&1 || fail "disk_fill's files are left on this machine"
# A uid whose lease another grader holds now (make check beside a real
# grading) is that grader's; any other uid of the pool must have no process.
leased_elsewhere() { [ -e "/run/gradlab-uids/$1" ] && ! flock -n "/run/gradlab-uids/$1" true 2>/dev/null; }
left=$(ps -eo uid=,args= | awk '$1 >= 61000 && $1 < 62000' | while read -r uid rest; do
    leased_elsewhere "$uid" || echo "$uid $rest"; done | head -n 3)
[ -z "$left" ] || fail "processes of the sandbox's uids are left: $left"
! grep -qs 'gradlab-attack-escaped\|29[.]5' /proc/[0-9]*/cmdline || fail "a process an attack started is left"
grep -q 'Refused, not a regular file of your own: src/sigmoid.c (a symbolic link)' "$grades/symlink_folder/results.json" ||
    fail "symlink_folder: no line refusing the link"
grep -q 'Refused, not a regular file of your own: src (a symbolic link)' "$grades/symlink_dir/results.json" ||
    fail "symlink_dir: no line refusing the linked folder"
grep -q 'Not in your submission, so graded as not implemented: src/activation.c' "$grades/symlink_dir/results.json" ||
    fail "symlink_dir: files were taken through the linked folder"
grep -q 'was not unpacked: it holds something that is not a file or folder' "$grades/symlink_tarball/results.json" ||
    fail "symlink_tarball: no line refusing the archive"
grep -q 'was not unpacked: it holds an absolute or .. path' "$grades/dotdot_tarball/results.json" ||
    fail "dotdot_tarball: no line refusing the archive"
grep -q 'did not compile' "$grades/compiler_bomb/results.json" || fail "compiler_bomb: not a compile failure"
grep -q 'the compiler: cc1: out of memory' "$grades/compiler_bomb/results.json" || fail "compiler_bomb: the compiler's own message is not shown"
grep -q "src/softmax.c (a hard link)" "$grades/symlink_folder/results.json" || fail "symlink_folder: no line refusing the hard link"
grep -q 'did not compile' "$grades/include_reference/results.json" || fail "include_reference compiled"
grep -q 'did not compile' "$grades/utf8_names/results.json" || fail "utf8_names compiled"
students=$(find "$subs" -mindepth 1 -maxdepth 1 \( -type d -o -name '*.tar.gz' \) | wc -l)
[ "$(wc -l < "$book")" = $((students + 1)) ] || fail "the gradebook has $(($(wc -l < "$book") - 1)) students, not $students"

if [ "$failures" -gt 0 ]; then
    echo "attacks: $failures failures"
    exit 1
fi
echo "attacks: isolation: $isolation"
echo "attacks: all $(echo $attacks | wc -w) attacks scored 0, and golden points special-cased no more than the slip itself ($special and $control); the victim's results did not change under load beside a second grader; no hidden input reached a visible output; every results.json is strict JSON; no instructor file changed, nothing leaked, nothing is left running"
