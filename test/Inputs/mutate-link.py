#!/usr/bin/env python3
"""Runs a link once per mutation of one of its inputs and checks that each
run ends cleanly: exit 0 with an output, or exit 1 with an `error:` line that
names the mutated file (or the input it is part of) and no output. A crash,
an abort, a sanitizer report or a timeout fails the test.

Usage: mutate-link.py [--stride N] [--max N] [--flips-only] FILE -- LINKER
ARGS...
ARGS name FILE where the mutated copy goes and must contain `-o OUT`.
Mutations: FILE cut at every N-th offset, and every N-th byte xor-ed with
0xff, 0x80 and 0x01 (after the 8-byte preamble); with --max, that many of
them, evenly spaced, so that a test stays quick."""
import os
import subprocess
import sys

args = sys.argv[1:]
stride = 1
limit = None
flips_only = False
while args[0].startswith("--"):
    if args[0] == "--stride":
        stride = int(args[1])
        args = args[2:]
    elif args[0] == "--max":
        limit = int(args[1])
        args = args[2:]
    elif args[0] == "--flips-only":
        flips_only = True
        args = args[1:]
target = args[0]
cmd = args[2:]
out = cmd[cmd.index("-o") + 1]
original = open(target, "rb").read()

mutations = []
if not flips_only:
    mutations += [("cut at %d" % n, original[:n])
                  for n in range(0, len(original), stride)]
for n in range(8, len(original), stride):
    for x in (0xFF, 0x80, 0x01):
        b = bytearray(original)
        b[n] ^= x
        mutations.append(("byte %d ^ 0x%x" % (n, x), bytes(b)))

if limit and len(mutations) > limit:
    mutations = [mutations[i * len(mutations) // limit] for i in range(limit)]

failures = []
for what, data in mutations:
    with open(target, "wb") as f:
        f.write(data)
    if os.path.exists(out):
        os.remove(out)
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        failures.append((what, "timeout", b""))
        continue
    err = r.stderr
    bad = None
    if r.returncode not in (0, 1):
        bad = "exit %d" % r.returncode
    elif any(s in err for s in (b"LLVM ERROR", b"PLEASE submit", b"Sanitizer",
                                b"runtime error:", b"Stack dump")):
        bad = "crash report"
    elif r.returncode == 1 and os.path.exists(out):
        bad = "output written by a failed link"
    elif r.returncode == 1 and b"error:" not in err:
        bad = "failed without an error line"
    elif r.returncode == 0 and not os.path.exists(out):
        bad = "no output"
    if bad:
        failures.append((what, bad, err[-300:]))
with open(target, "wb") as f:
    f.write(original)

print("%d runs, %d bad" % (len(mutations), len(failures)))
for what, bad, err in failures[:20]:
    print("%s: %s\n%s" % (what, bad, err.decode(errors="replace")))
sys.exit(1 if failures else 0)
