## `ref.func` in code needs its function declared outside code. wasm-ld
## declares `target` only through the export --export-all gives it; once the
## GC drops that export, it declares the function in a new declarative
## element segment so that the module still validates.

# RUN: llvm-mc -filetype=obj -triple=wasm32-unknown-unknown -mattr=+reference-types %s -o %t.o
# RUN: wasm-ld --no-entry --export-all %t.o -o %t.wasm
# RUN: wcl-readobj --no-offsets %t.wasm | FileCheck %s --check-prefix=IN
# RUN: wcl-gc --keep user %t.wasm -o %t.user.wasm
# RUN: wcl-readobj --no-offsets %t.user.wasm | FileCheck %s

# IN-NOT: ElemSegments

# CHECK:      Exports [
# CHECK-NEXT:   Export {
# CHECK-NEXT:     Name: user
# CHECK-NEXT:     Kind: func
# CHECK-NEXT:     Index: 1
# CHECK-NEXT:   }
# CHECK-NEXT: ]
# CHECK-NEXT: ElemSegments [
# CHECK-NEXT:   ElemSegment {
# CHECK-NEXT:     Index: 0
# CHECK-NEXT:     Flags: 3
# CHECK-NEXT:     Mode: declarative
# CHECK-NEXT:     ElemType: funcref
# CHECK-NEXT:     Functions: [0]
# CHECK-NEXT:   }
# CHECK-NEXT: ]

  .functype target () -> ()
  .section .text.target,"",@
  .globl target
  .type target,@function
target:
  .functype target () -> ()
  end_function

  .section .text.user,"",@
  .globl user
  .type user,@function
user:
  .functype user () -> (i32)
  ref.func target
  ref.is_null
  end_function
