#!/usr/bin/env python3
"""Writes small malformed WebAssembly objects and libraries into a directory,
one file per way LLVM's WasmObjectFile could be made to abort (a short read,
a subsection past its section, an absurd count, an index one past the end).
Each is a core module that wcl's module reader accepts, so only the checks
of the custom sections (wcl/Wasm/LinkingSections.h) stand between it and
wasm-ld. Usage: hostile-inputs.py DIR; the file names say what each is."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wasmenc import name, section, uleb  # noqa: E402


def custom(cname, content):
    return section(0, name(cname) + content)


def sub(sid, payload):
    return bytes([sid]) + uleb(len(payload)) + payload


def module(*sections):
    return b"\0asm\1\0\0\0" + b"".join(sections)


# One function type () -> (), one defined function, one memory and one
# one-byte data segment: enough for symbols to name.
TYPES = section(1, uleb(1) + b"\x60\x00\x00")
FUNCS = section(3, uleb(1) + uleb(0))
MEMORY = section(5, uleb(1) + b"\x00\x01")
CODE = section(10, uleb(1) + uleb(2) + b"\x00\x0b")
DATA = section(11, uleb(1) + b"\x00\x41\x00\x0b" + uleb(1) + b"x")
BODY = [TYPES, FUNCS, MEMORY, CODE, DATA]
DYLINK = custom("dylink.0", sub(1, uleb(16) + uleb(0) + uleb(0) + uleb(0)))
# A library imports its memory.
IMPORTS = section(2, uleb(1) + name("env") + name("memory") + b"\x02\x00\x01")
LIBRARY = [TYPES, IMPORTS, FUNCS, CODE, DATA]


def obj(*customs):
    return module(*BODY, *customs)


def linking(*subsections):
    return custom("linking", uleb(2) + b"".join(subsections))


FUNC_SYM = b"\x00" + uleb(0) + uleb(0) + name("f")  # defined function 0
# A well-formed linking section, so that the input is an object.
LINKING = linking(sub(8, uleb(1) + FUNC_SYM))

INPUTS = {
    # A symbol table whose count asks for 2^32-1 symbols.
    "symtab-huge-count.o": obj(linking(sub(8, b"\xff\xff\xff\xff\x0f"))),
    # A section symbol naming section 40 of 5.
    "symtab-section-index.o": obj(
        linking(sub(8, uleb(1) + b"\x03" + uleb(2) + uleb(40)))),
    # A symbol name whose length runs past the subsection.
    "symtab-short-string.o": obj(
        linking(sub(8, uleb(1) + b"\x00" + uleb(0) + uleb(0) + b"\x09f"))),
    # A linking subsection whose size runs past the section.
    "linking-subsection-size.o": obj(linking(b"\x08\x7f" + uleb(0))),
    # A linking section with an unterminated LEB.
    "linking-bad-leb.o": obj(custom("linking", b"\x82\x80\x80\x80\x80\x80")),
    # init functions asking for 2^32-1 entries.
    "initfuncs-huge-count.o": obj(
        linking(sub(8, uleb(1) + FUNC_SYM), sub(6, b"\xff\xff\xff\xff\x0f"))),
    # A 32-bit addend that does not fit in 32 bits.
    "reloc-addend-range.o": obj(
        linking(sub(8, uleb(1) + b"\x01" + uleb(0) + name("d") + uleb(0) +
                    uleb(0) + uleb(1))),
        custom("reloc.DATA", uleb(4) + uleb(1) + uleb(5) + uleb(0) + uleb(0) +
               b"\x80\x80\x80\x80\x80\x80\x01")),
    # A reloc section that ends in the middle of an entry.
    "reloc-truncated.o": obj(linking(sub(8, uleb(1) + FUNC_SYM)),
                             custom("reloc.CODE", uleb(3) + uleb(2) + b"\x00")),
    # A name section naming data segment 1 of 1 (one past the end).
    "name-data-one-past.o": obj(LINKING, custom("name", sub(9, uleb(1) + uleb(1) +
                                                   name("d")))),
    # A second name section, malformed (the module reader decodes only the
    # first).
    "name-second-bad.o": obj(LINKING, custom("name", sub(1, uleb(1) + uleb(0) +
                                                name("f"))),
                             custom("name", sub(1, uleb(5) + uleb(0)))),
    # The legacy dylink section, cut short.
    "dylink-legacy-short.o": module(custom("dylink", uleb(1) + uleb(2)), *BODY,
                                     LINKING),
    # A library whose needed list has 2^32-1 entries.
    "needed-huge-count.so": module(
        custom("dylink.0", sub(2, b"\xff\xff\xff\xff\x0f")), *LIBRARY),
    # A library whose name section names data segment 1 of 1.
    "name-data-one-past.so": module(DYLINK, *LIBRARY, custom(
        "name", sub(9, uleb(1) + uleb(1) + name("d")))),
    # A library with a second, truncated dylink.0 section.
    "dylink-second-bad.so": module(
        DYLINK, *LIBRARY, custom("dylink.0", sub(2, uleb(3) + name("a")))),
}



def archive(members):
    """A GNU archive without a symbol table (llvm-ar would parse, and abort
    on, the members)."""
    out = b"!<arch>\n"
    for mname, data in members:
        header = "%-16s%-12s%-6s%-6s%-8s%-10d`\n" % (mname + "/", 0, 0, 0, 644,
                                                    len(data))
        out += header.encode() + data + (b"\n" if len(data) % 2 else b"")
    return out


# An archive whose member has the huge symbol table count.
INPUTS["libsym.a"] = archive([("bad.o", INPUTS["symtab-huge-count.o"])])

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for fname, data in INPUTS.items():
    with open(os.path.join(out, fname), "wb") as f:
        f.write(data)
