## A dylib linked by wasm-ld --experimental-pic -shared: its dylink.0 section
## is decoded in full: mem-info, needed libraries, import-info with the WEAK
## flag of a weak undefined function, export-info with the TLS flag.

# RUN: rm -rf %t && split-file %s %t && cd %t
# RUN: llvm-mc -filetype=obj -triple=wasm32-unknown-unknown bar.s -o bar.o
# RUN: wasm-ld --experimental-pic -shared bar.o -o libbar.so
# RUN: llvm-mc -filetype=obj -triple=wasm32-unknown-unknown foo.s -o foo.o
# RUN: wasm-ld --experimental-pic -shared --shared-memory foo.o libbar.so \
# RUN:   --rpath=/opt/lib -o libfoo.so
# RUN: wcl-readobj --no-offsets libfoo.so | FileCheck %s

## dylink.0 must come first, before the type section.
# CHECK:      Sections [
# CHECK-NEXT:   Section {
# CHECK-NEXT:     Index: 0
# CHECK-NEXT:     Type: CUSTOM (0x0)
# CHECK-NEXT:     Name: dylink.0
# CHECK-NEXT:     Size: {{[0-9]+}}
# CHECK-NEXT:   }
# CHECK-NEXT:   Section {
# CHECK-NEXT:     Index: 1
# CHECK-NEXT:     Type: TYPE (0x1)

## Imported functions come first in the function index space.
# CHECK:          Field: weak_fn
# CHECK-NEXT:     Kind: func
# CHECK-NEXT:     Index: 0
# CHECK:          Field: strong_fn
# CHECK-NEXT:     Kind: func
# CHECK-NEXT:     Index: 1
# CHECK:      Functions [
# CHECK-NEXT:   Function {
# CHECK-NEXT:     Index: 2
# CHECK-NEXT:     Name: __wasm_call_ctors

# CHECK:      Exports [
# CHECK:          Name: tls_var
# CHECK-NEXT:     Kind: global
# CHECK-NEXT:     Index: {{[0-9]+}}

# CHECK:      Dylink {
# CHECK-NEXT:   MemInfo {
# CHECK-NEXT:     MemorySize: 20
# CHECK-NEXT:     MemoryAlignment: 3
# CHECK-NEXT:     TableSize: 0
# CHECK-NEXT:     TableAlignment: 0
# CHECK-NEXT:   }
# CHECK-NEXT:   Needed [
# CHECK-NEXT:     libbar.so
# CHECK-NEXT:   ]
# CHECK-NEXT:   ExportInfo [
# CHECK-NEXT:     Export {
# CHECK-NEXT:       Name: tls_var
# CHECK-NEXT:       Flags [ (0x100)
# CHECK-NEXT:         TLS (0x100)
# CHECK-NEXT:       ]
# CHECK-NEXT:     }
# CHECK-NEXT:   ]
# CHECK-NEXT:   ImportInfo [
# CHECK-NEXT:     Import {
# CHECK-NEXT:       Module: env
# CHECK-NEXT:       Field: weak_fn
# CHECK-NEXT:       Flags [ (0x11)
# CHECK-NEXT:         UNDEFINED (0x10)
# CHECK-NEXT:         WEAK (0x1)
# CHECK-NEXT:       ]
# CHECK-NEXT:     }
# CHECK-NEXT:   ]
# CHECK-NEXT:   RuntimePath [
# CHECK-NEXT:     /opt/lib
# CHECK-NEXT:   ]
# CHECK-NEXT: }
# CHECK-NEXT: Names [
# CHECK-NEXT:   ModuleName {
# CHECK-NEXT:     Name: libfoo.so
# CHECK-NEXT:   }
# CHECK:      TargetFeatures [
# CHECK-NEXT:   +atomics
# CHECK-NEXT:   +bulk-memory
# CHECK-NEXT:   +mutable-globals
# CHECK-NEXT: ]

#--- bar.s
  .section .text.strong_fn,"",@
  .globl strong_fn
  .type strong_fn,@function
strong_fn:
  .functype strong_fn () -> (i32)
  i32.const 1
  end_function

#--- foo.s
  .functype weak_fn () -> (i32)
  .weak weak_fn
  .functype strong_fn () -> (i32)

  .section .text.get,"",@
  .globl get
  .type get,@function
get:
  .functype get () -> (i32)
  call weak_fn
  call strong_fn
  i32.add
  end_function

  .section .tdata.tls_var,"T",@
  .globl tls_var
  .p2align 2
tls_var:
  .int32 7
  .size tls_var, 4

  .section .data.dat,"",@
  .globl dat
  .p2align 3
dat:
  .int32 1
  .int32 2
  .size dat, 8

## TLS needs shared memory, which needs atomics and bulk-memory.
  .section .custom_section.target_features,"",@
  .int8 2
  .int8 43
  .int8 7
  .ascii "atomics"
  .int8 43
  .int8 11
  .ascii "bulk-memory"
