## A relocatable object from llvm-mc: the reader walks the linking and reloc.*
## custom sections without decoding them, and shows imports the way wasm-ld
## will see them (memory, function, global, each at index 0 of its space).

# RUN: llvm-mc -filetype=obj -triple=wasm32-unknown-unknown %s -o %t.o
# RUN: wcl-readobj --no-offsets %t.o | FileCheck %s

  .globaltype __stack_pointer, i32
  .functype ext (i32) -> (i32)

  .section .text.foo,"",@
  .globl foo
  .type foo,@function
foo:
  .functype foo (i32, i32) -> (i32)
  .local i64, i32, i32
  local.get 0
  call ext
  global.get __stack_pointer
  i32.add
  end_function

  .section .data.d,"",@
  .globl d
d:
  .int32 42
  .size d, 4

# CHECK:      File: {{.*}}.o
# CHECK-NEXT: Format: core-module
# CHECK-NEXT: Version: 1
# CHECK-NEXT: Sections [
# CHECK-NEXT:   Section {
# CHECK-NEXT:     Index: 0
# CHECK-NEXT:     Type: TYPE (0x1)
# CHECK-NEXT:     Size: 12
# CHECK-NEXT:   }
# CHECK:          Index: 6
# CHECK-NEXT:     Type: CUSTOM (0x0)
# CHECK-NEXT:     Name: linking
# CHECK:          Index: 7
# CHECK-NEXT:     Type: CUSTOM (0x0)
# CHECK-NEXT:     Name: reloc.CODE
# CHECK:      Imports [
# CHECK-NEXT:   Import {
# CHECK-NEXT:     Module: env
# CHECK-NEXT:     Field: __linear_memory
# CHECK-NEXT:     Kind: memory
# CHECK-NEXT:     Index: 0
# CHECK-NEXT:     Type: (memory 1)
# CHECK-NEXT:   }
# CHECK-NEXT:   Import {
# CHECK-NEXT:     Module: env
# CHECK-NEXT:     Field: ext
# CHECK-NEXT:     Kind: func
# CHECK-NEXT:     Index: 0
# CHECK-NEXT:     Type: (func (type 1))
# CHECK-NEXT:     Signature: (func (param i32) (result i32))
# CHECK-NEXT:   }
# CHECK-NEXT:   Import {
# CHECK-NEXT:     Module: env
# CHECK-NEXT:     Field: __stack_pointer
# CHECK-NEXT:     Kind: global
# CHECK-NEXT:     Index: 0
# CHECK-NEXT:     Type: (global (mut i32))
# CHECK-NEXT:   }
# CHECK-NEXT: ]
# CHECK-NEXT: Functions [
# CHECK-NEXT:   Function {
# CHECK-NEXT:     Index: 1
# CHECK-NEXT:     TypeIndex: 0
# CHECK-NEXT:     Signature: (func (param i32 i32) (result i32))
# CHECK-NEXT:     Size: {{[0-9]+}}
# CHECK-NEXT:     Locals: [1 x i64, 2 x i32]
# CHECK-NEXT:   }
# CHECK-NEXT: ]
# CHECK-NEXT: DataCount: 1
# CHECK-NEXT: DataSegments [
# CHECK-NEXT:   DataSegment {
# CHECK-NEXT:     Index: 0
# CHECK-NEXT:     Mode: active
# CHECK-NEXT:     Memory: 0
# CHECK-NEXT:     OffsetExpr: i32.const 0
# CHECK-NEXT:     Size: 4
# CHECK-NEXT:   }
# CHECK-NEXT: ]
# CHECK-NOT:  {{.}}

## --section-data adds the bytes of sections, bodies and segments.
# RUN: wcl-readobj --no-offsets --section-data %t.o | FileCheck %s --check-prefix=DATA
# DATA:      Name: reloc.CODE
# DATA:      SectionData (
# DATA:      Functions [
# DATA:        Code (
# DATA-NEXT:     0000: 2000{{.*}}
# DATA:      DataSegment {
# DATA:        Data (
# DATA-NEXT:     0000: 2A000000 {{.*}}|*...|
