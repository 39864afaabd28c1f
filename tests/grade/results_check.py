"""results_check.py — reads every results.json below the folders given, as a
Gradescope consumer would: strict UTF-8, then JSON. With --channel A B, also
reads the covert-channel attack's two submissions in the first folder: no
visible test of either may show ("CHANNEL xxxx") what a hidden test of the
same submission saw ("SAW xxxx"), the attack must have seen something, and
the two must never have been given the same hidden input.

    python3 tests/grade/results_check.py GRADES... [--channel A B]

Prints one line per fault; exit 1 when there is any."""
import glob
import json
import os
import re
import sys


def load(path):
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8", "strict"))


def hashes(test, word):
    return set(re.findall(word + r" ([0-9a-f]{4})", test["output"]))


def check_files(folders, faults):
    for folder in folders:
        for path in sorted(glob.glob(os.path.join(folder, "*", "results.json"))):
            try:
                r = load(path)
            except (UnicodeDecodeError, ValueError) as e:
                faults.append("%s is not strict UTF-8 JSON: %s" % (path, e))
                continue
            if not isinstance(r.get("tests"), list) or "submission" not in r.get("extra_data", {}):
                faults.append("%s lacks its tests or extra_data.submission" % path)


def check_channel(folder, names, faults):
    saw = {}
    for name in names:
        r = load(os.path.join(folder, name, "results.json"))
        shown = set()
        saw[name] = set()
        for t in r["tests"]:
            if t["visibility"] == "visible":
                shown |= hashes(t, "CHANNEL")
            else:
                saw[name] |= hashes(t, "SAW")
        if not saw[name]:
            faults.append("%s: no hidden test saw an input (the attack did not run)" % name)
        if shown & saw[name]:
            faults.append("%s: a visible test shows what a hidden test saw: %s"
                          % (name, sorted(shown & saw[name])))
    shared = saw[names[0]] & saw[names[1]]
    if shared:
        faults.append("%s and %s were given the same hidden inputs: %s"
                      % (names[0], names[1], sorted(shared)))


def main(argv):
    faults = []
    channel = []
    if "--channel" in argv:
        at = argv.index("--channel")
        channel, argv = argv[at + 1:at + 3], argv[:at]
    check_files(argv, faults)
    if channel:
        check_channel(argv[0], channel, faults)
    for f in faults:
        print(f)
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
