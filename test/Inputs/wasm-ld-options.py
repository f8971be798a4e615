#!/usr/bin/env python3
"""wasm-ld-options.py WASM_LD WASM_COMPONENT_LD OBJECT

Checks that every option `WASM_LD --help` lists reaches wasm-ld unchanged
through the wasm-component flavor, in every spelling wasm-ld itself accepts.

For each option the script builds the usual spellings (one or two dashes;
`=` or a separate value; joined short forms), keeps those the real wasm-ld
parses (no "unknown argument"), and runs `WASM_COMPONENT_LD -### SPELLING
in.o -o out.wasm` (in.o a copy of OBJECT, so that wasm-ld is needed),
whose printed wasm-ld command must hold exactly those
tokens, in order, then `-o` and the output (the file, or the pipe a module
on its way to a component goes through). Options the driver answers itself (help, version, -o) are
left out. Prints one line per failure and a summary.
"""
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

wasm_ld, component_ld, obj = sys.argv[1:4]

# The driver's own: they print and exit (help, version) or name the output.
OWN = {"--help", "--version", "-v", "-V", "-o"}

# Values wasm-ld parses without complaint, where "x" would not do.
VALUES = {
    "build-id": "fast", "color-diagnostics": "never", "error-limit": "5",
    "global-base": "1024", "initial-heap": "65536", "initial-memory": "131072",
    "max-memory": "131072", "page-size": "65536", "table-base": "1",
    "threads": "1", "thinlto-jobs": "1", "lto-partitions": "1",
    "unresolved-symbols": "ignore-all", "import-memory": "env,memory",
    "wrap": "a=b", "rsp-quoting": "posix", "O": "1", "m": "wasm32",
    "z": "stack-size=65536", "features": "mutable-globals",
    "extra-features": "mutable-globals", "lto-O": "2", "lto-CGO": "2",
}


def options():
    text = subprocess.run([wasm_ld, "--help"], capture_output=True,
                          text=True).stdout
    for line in text.splitlines():
        m = re.match(r"  (-{1,2}[A-Za-z][^ ]*)( <[^>]*>)?(?:\s|$)", line)
        if m:
            yield m.group(1), bool(m.group(2))


def spellings(spelled, separate):
    dashes = "--" if spelled.startswith("--") else "-"
    body = spelled[len(dashes):]
    if "=" in body:  # --name=<value>, --name=[a,b]
        name = body.split("=", 1)[0]
        v = VALUES.get(name, "x")
        for d in ("--", "-"):
            yield [f"{d}{name}={v}"]
            yield [f"{d}{name}", v]
    elif "<" in body:  # --lto-O<opt-level>: value joined without `=`
        name = body.split("<", 1)[0]
        for d in ("--", "-"):
            yield [f"{d}{name}{VALUES.get(name, '2')}"]
    elif separate:  # --entry <entry>, -L <dir>
        v = VALUES.get(body, "x")
        for d in ("--", "-"):
            yield [f"{d}{body}", v]
            yield [f"{d}{body}={v}"]
        if dashes == "-":
            yield [f"-{body}{v}"]
    else:  # a flag
        for d in ("--", "-"):
            yield [f"{d}{body}"]


def wasm_ld_accepts(tokens, cwd):
    r = subprocess.run([wasm_ld, *tokens], capture_output=True, text=True,
                       cwd=cwd)
    return "unknown argument" not in r.stderr


def forwarded(tokens, cwd):
    r = subprocess.run([component_ld, "-###", *tokens, "in.o", "-o",
                        "out.wasm"], capture_output=True, text=True, cwd=cwd)
    if r.returncode != 0:
        return None, r.stderr.strip()
    return shlex.split(r.stdout.strip()), ""


checked = failed = 0
with tempfile.TemporaryDirectory() as cwd:
    shutil.copy(obj, cwd + "/in.o")
    seen = set()
    for spelled, separate in options():
        if spelled in OWN:
            continue
        for tokens in spellings(spelled, separate):
            key = tuple(tokens)
            if key in seen or not wasm_ld_accepts(tokens, cwd):
                continue
            seen.add(key)
            checked += 1
            got, err = forwarded(tokens, cwd)
            # The module goes to the user's file, or, on its way to a
            # component, to a pipe of the driver's (/proc/self/fd/N).
            want = ["wasm-ld", *tokens, "in.o", "-o"]
            if (got is None or got[:-1] != want or
                    not re.fullmatch(r"out\.wasm|/proc/self/fd/\d+", got[-1])):
                failed += 1
                print(f"FAIL {' '.join(tokens)}: got {got} {err}")
print(f"{checked} spellings checked, {failed} failed")
sys.exit(1 if failed or checked < 150 else 0)
