#!/usr/bin/env python3
"""Feeds wcl-validate truncated and byte-flipped copies of every binary in
the given directories (deterministically chosen), and checks that each copy
gets at most one `FILE: offset ...` error line and that wcl-validate exits 0
or 1: bad input is an error, never a crash.

usage: mutate.py WCL_VALIDATE OUTDIR FILE...
"""
import os
import random
import subprocess
import sys


def main():
    tool, out, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(15)
    made = []
    for n, path in enumerate(sorted(inputs)):
        data = open(path, "rb").read()
        if len(data) < 9:
            continue
        variants = [data[:rng.randrange(8, len(data))] for _ in range(2)]
        for _ in range(3):
            b = bytearray(data)
            i = rng.randrange(8, len(b))
            b[i] ^= 1 << rng.randrange(8)
            variants.append(bytes(b))
        for k, v in enumerate(variants):
            name = os.path.join(out, f"{n}-{k}.wasm")
            with open(name, "wb") as f:
                f.write(v)
            made.append(name)
    bad = 0
    for i in range(0, len(made), 500):
        batch = made[i:i + 500]
        p = subprocess.run([tool, "--features", "all"] + batch,
                           capture_output=True, text=True)
        if p.returncode not in (0, 1):
            print(f"CRASH: exit {p.returncode} in a batch from {batch[0]}")
            bad += 1
            continue
        counts = {}
        for line in p.stderr.splitlines():
            head = line.split(": ", 1)[0]
            if head in batch:
                counts[head] = counts.get(head, 0) + 1
        for f, c in counts.items():
            if c != 1:
                print(f"MORE THAN ONE ERROR: {f}")
                bad += 1
    print(f"mutated {len(made)} files, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
