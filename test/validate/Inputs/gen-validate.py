#!/usr/bin/env python3
"""Writes small modules and components for test/validate, one valid and one
invalid per error class the validator reports. wcl has no text parser, so
the binaries are spelled out here with a few encoding helpers.

usage: gen-validate.py OUTDIR
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "Inputs"))
from wasmenc import name, section, vec  # noqa: E402
from wasmenc import uleb as leb  # noqa: E402

MODULE = b"\0asm\x01\0\0\0"
COMPONENT = b"\0asm\x0d\0\x01\0"
I32, I64 = b"\x7f", b"\x7e"


def functype(params, results):
    return b"\x60" + vec(params) + vec(results)


def module(types=(), imports=(), funcs=(), globals_=(), exports=(),
           bodies=(), memories=()):
    out = MODULE
    if types:
        out += section(1, vec(list(types)))
    if imports:
        out += section(2, vec(list(imports)))
    if funcs:
        out += section(3, vec([leb(t) for t in funcs]))
    if memories:
        out += section(5, vec(list(memories)))
    if globals_:
        out += section(6, vec(list(globals_)))
    if exports:
        out += section(7, vec(list(exports)))
    if bodies:
        out += section(10, vec([leb(len(b)) + b for b in bodies]))
    return out


def body(code):
    return vec([]) + code + b"\x0b"


def export(n, kind, idx):
    return name(n) + bytes([kind]) + leb(idx)


def core_module_section(m):
    return section(1, m)


def instantiate(module_idx, args):
    # args: [(name, core instance index)]
    return b"\x00" + leb(module_idx) + vec(
        [name(n) + b"\x12" + leb(i) for n, i in args])


def core_instances(*insts):
    return section(2, vec(list(insts)))


def alias_core_export(sort, inst, n):
    return b"\x00" + bytes([sort]) + b"\x01" + leb(inst) + name(n)


def aliases(*items):
    return section(6, vec(list(items)))


def component(*sections):
    return COMPONENT + b"".join(sections)


def write(outdir, fname, data):
    with open(os.path.join(outdir, fname), "wb") as f:
        f.write(data)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)

    # A function body: (func (result i32) i64.const 0) is a type mismatch.
    t = functype([], [I32])
    write(out, "body-ok.wasm",
          module(types=[t], funcs=[0], bodies=[body(b"\x41\x00")]))
    write(out, "body-mismatch.wasm",
          module(types=[t], funcs=[0], bodies=[body(b"\x42\x00")]))
    # br out of a block that leaves an i32 on the stack.
    write(out, "body-leftover.wasm",
          module(types=[functype([], [])], funcs=[0],
                 bodies=[body(b"\x41\x01")]))

    # An alias of a core export the instance does not have.
    m = module(types=[functype([], [])], funcs=[0],
               exports=[export("f", 0, 0)], bodies=[body(b"")])
    good = aliases(alias_core_export(0x00, 0, "f"))
    bad = aliases(alias_core_export(0x00, 0, "g"))
    write(out, "alias-ok.wasm",
          component(core_module_section(m),
                    core_instances(instantiate(0, [])), good))
    write(out, "alias-missing.wasm",
          component(core_module_section(m),
                    core_instances(instantiate(0, [])), bad))
    write(out, "alias-kind.wasm",
          component(core_module_section(m),
                    core_instances(instantiate(0, [])),
                    aliases(alias_core_export(0x03, 0, "f"))))

    # Module instantiation: "a" "f" must be a function, but a global is
    # given.
    provider = module(types=[functype([], [])], funcs=[0],
                      globals_=[I32 + b"\x00\x41\x00\x0b"],
                      exports=[export("f", 0, 0), export("g", 3, 0)],
                      bodies=[body(b"")])
    consumer = module(types=[functype([], [])],
                      imports=[name("a") + name("f") + b"\x00\x00"])
    args_ok = [("a", 0)]
    write(out, "instantiate-ok.wasm",
          component(core_module_section(provider),
                    core_module_section(consumer),
                    core_instances(instantiate(0, []),
                                   instantiate(1, args_ok))))
    glob_consumer = module(imports=[name("a") + name("f") + b"\x03\x7f\x00"])
    write(out, "instantiate-mismatch.wasm",
          component(core_module_section(provider),
                    core_module_section(glob_consumer),
                    core_instances(instantiate(0, []),
                                   instantiate(1, args_ok))))
    write(out, "instantiate-missing-arg.wasm",
          component(core_module_section(provider),
                    core_module_section(consumer),
                    core_instances(instantiate(0, []),
                                   instantiate(1, []))))

    # canon lift of (func (param "s" string)) needs a memory and realloc.
    lifted = module(types=[functype([I32, I32], []),
                           functype([I32, I32, I32, I32], [I32])],
                    funcs=[0, 1],
                    memories=[b"\x00\x01"],
                    exports=[export("f", 0, 0), export("realloc", 0, 1),
                             export("memory", 2, 0)],
                    bodies=[body(b""), body(b"\x41\x00")])
    strtype = section(7, vec([b"\x40" + vec([name("s") + b"\x73"])
                              + b"\x01\x00"]))
    core_aliases = aliases(alias_core_export(0x00, 0, "f"),
                           alias_core_export(0x00, 0, "realloc"),
                           alias_core_export(0x02, 0, "memory"))
    # canon lift: 0x00 0x00 corefunc opts type
    with_mem = b"\x00\x00" + leb(0) + vec([b"\x03\x00", b"\x04\x01"]) + leb(0)
    without = b"\x00\x00" + leb(0) + vec([]) + leb(0)
    base = [core_module_section(lifted), core_instances(instantiate(0, [])),
            core_aliases, strtype]
    write(out, "lift-ok.wasm", component(*base, section(8, vec([with_mem]))))
    write(out, "lift-no-memory.wasm",
          component(*base, section(8, vec([without]))))

    # Two exports with one name; names differ only in case also collide.
    em = module()
    exp = lambda n: b"\x00" + name(n) + b"\x00\x11" + leb(0) + b"\x00"
    write(out, "export-ok.wasm",
          component(core_module_section(em), section(11, vec([exp("a"),
                                                              exp("b")]))))
    write(out, "export-duplicate.wasm",
          component(core_module_section(em), section(11, vec([exp("a"),
                                                              exp("a")]))))
    write(out, "export-case.wasm",
          component(core_module_section(em), section(11, vec([exp("a-b"),
                                                              exp("A-B")]))))
    write(out, "export-not-kebab.wasm",
          component(core_module_section(em), section(11, vec([exp("a_b")]))))


if __name__ == "__main__":
    main()
