## lld's wasm flavor runs in-process behind our `wasm-ld` symlink and behind
## `wcl -flavor wasm`, and can run several times in one process.

## lld writes the output's file name into the name section, so the outputs
## compared below share a basename in different directories.
# RUN: rm -rf %t && mkdir -p %t/1 %t/2 %t/3
# RUN: llvm-mc -filetype=obj -triple=wasm32-unknown-unknown %s -o %t/a.o
# RUN: wasm-ld --experimental-pic -shared %t/a.o -o %t/1/lib.so
# RUN: wcl -flavor wasm --experimental-pic -shared %t/a.o -o %t/2/lib.so
# RUN: WCL_IN_TEST=3 wasm-ld --experimental-pic -shared %t/a.o -o %t/3/lib.so
# RUN: cmp %t/1/lib.so %t/2/lib.so
# RUN: cmp %t/1/lib.so %t/3/lib.so

## lld's own diagnostics come through unchanged, and a second run after a
## failure in the same process still works.
# RUN: not wasm-ld %t/missing.o -o %t/x 2>&1 | FileCheck %s --check-prefix=MISSING
# MISSING: wasm-ld: error: cannot open {{.*}}missing.o
# RUN: not env WCL_IN_TEST=2 wasm-ld %t/missing.o -o %t/x 2>&1 | FileCheck %s --check-prefix=TWICE
# TWICE-COUNT-2: error: cannot open

  .globl get_answer
get_answer:
  .functype get_answer () -> (i32)
  i32.const 42
  end_function
