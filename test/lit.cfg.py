# -*- Python -*-
# lit configuration for wcl. Tests build their inputs (llvm-mc, yaml2obj,
# clang-22, our own wasm-ld), run our tools and check wcl-readobj output with
# FileCheck.
import os
import shutil

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "wcl"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".test", ".s", ".yaml", ".c"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.wcl_obj_root, "test")

llvm_config.use_default_substitutions()
# Our tools first: `wasm-ld` in a test is our symlink to wcl, not LLVM's.
# (append_path=True puts the directory at the front of PATH.)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.wcl_tools_dir, append_path=True)

tool_dirs = [config.wcl_tools_dir, config.llvm_tools_dir]
tools = [
    ToolSubst("wcl", unresolved="fatal"),
    ToolSubst("wcl-readobj", unresolved="fatal"),
    ToolSubst("wcl-gc", unresolved="fatal"),
    ToolSubst("wcl-wit", unresolved="fatal"),
    ToolSubst("wcl-validate", unresolved="fatal"),
    ToolSubst("wasm-component-ld", unresolved="fatal"),
    ToolSubst("wasm-ld", unresolved="fatal"),
    "llvm-mc",
    "yaml2obj",
    "obj2yaml",
    "split-file",
]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# The binary itself, for tests that make their own flavor symlinks.
config.substitutions.append(("%wcl_bin", os.path.join(config.wcl_tools_dir, "wcl")))

config.substitutions.append(("%wcl_tools_dir", config.wcl_tools_dir))
if config.clang:
    config.available_features.add("clang")
    config.substitutions.append(
        ("%clang_wasm", config.clang + " --target=wasm32-unknown-unknown"))
    # The recipe for a freestanding wasm dylib (reference/toolchain.md §2).
    config.substitutions.append(
        ("%dylib_flags",
         "-fPIC -fvisibility=default -nostdlib -shared "
         "-Wl,--experimental-pic -Wl,--entry=__wasm_call_ctors"))
    # After %clang_wasm: lit substitutes in order and %clang is its prefix.
    config.substitutions.append(("%clang", config.clang))

jco = os.path.join(config.jco_dir, "node_modules", ".bin", "jco")
if config.node and os.path.exists(jco):
    config.available_features.add("jco")
    # %jco_dir before %jco: lit substitutes in order and %jco is its prefix.
    config.substitutions.append(("%jco_dir", config.jco_dir))
    config.substitutions.append(("%jco", jco))
    config.substitutions.append(("%node", config.node))

# LLVM's own wasm-ld (lld-22), as the reference for its option table.
lld_wasm = os.path.join(config.llvm_tools_dir, "wasm-ld")
if os.path.exists(lld_wasm):
    config.available_features.add("lld-wasm")
    config.substitutions.append(("%lld_wasm", lld_wasm))

# Debian's wasi-libc (utils/setup installs it): a WASI preview1 sysroot
# split into /usr/include/wasm32-wasi and /usr/lib/wasm32-wasi.
if os.path.exists("/usr/lib/wasm32-wasi/libc.a"):
    config.available_features.add("wasi-libc")

# Debian's rustc with its wasm32 standard library (utils/setup installs
# them when the distribution has them): rustc links through us.
if os.path.exists("/usr/bin/rustc") and os.path.isdir("/usr/lib/rustlib/wasm32-wasi"):
    config.available_features.add("rustc-wasm32")
    config.substitutions.append(("%rustc", "/usr/bin/rustc"))

# CMake, to check what CMake-based build systems make of our output.
if shutil.which("cmake"):
    config.available_features.add("cmake")

# The component-link corpus beside the project (../shared), when present.
shared = os.path.normpath(os.path.join(config.wcl_src_root, "..", "shared"))
if os.path.isdir(os.path.join(shared, "conformance", "cases")):
    config.available_features.add("corpus")
    config.substitutions.append(("%corpus", os.path.join(shared, "conformance")))

# ASan builds: lsan and the in-process lld do not always agree about exit-time
# allocations; leaks are checked by the dedicated sanitizer run instead.
config.environment["ASAN_OPTIONS"] = "detect_leaks=0"
