## Hand-written functions covering instruction families clang does not emit
## from plain C: multi-value blocks, tail calls, exceptions, reference types,
## table instructions, atomics, SIMD lane and memory instructions.

  .globaltype __stack_pointer, i32
  .tagtype __cpp_exception i32
  .globl __cpp_exception
__cpp_exception:

  .tabletype table, funcref
  .globl table
table:

  .functype helper (i32) -> (i32)

  .section .text.helper,"",@
  .globl helper
  .type helper,@function
helper:
  .functype helper (i32) -> (i32)
  local.get 0
  i32.const 1
  i32.add
  end_function

  .section .text.tail,"",@
  .globl tail
  .type tail,@function
tail:
  .functype tail (i32) -> (i32)
  local.get 0
  return_call helper
  end_function

  .section .text.blocks,"",@
  .globl blocks
  .type blocks,@function
blocks:
  .functype blocks (i32) -> (i32)
  .local i64, f32
  global.get __stack_pointer
  local.set 0
  block i32
  i32.const 7
  local.get 0
  br_if 0
  drop
  loop
  local.get 0
  i32.const 1
  i32.sub
  local.tee 0
  br_if 0
  end_loop
  i32.const 7
  end_block
  local.get 0
  if i32
  i32.const 1
  else
  i32.const 2
  end_if
  i32.add
  i32.extend8_s
  f32.const 2.5
  i32.trunc_sat_f32_s
  i32.add
  end_function

  .section .text.throws,"",@
  .globl throws
  .type throws,@function
throws:
  .functype throws (i32) -> (i32)
  try i32
  local.get 0
  throw __cpp_exception
  catch __cpp_exception
  end_try
  end_function

  .section .text.refs,"",@
  .globl refs
  .type refs,@function
refs:
  .functype refs (i32) -> (i32)
  i32.const 0
  table.get table
  ref.is_null
  ref.null_func
  drop
  table.size table
  i32.add
  local.get 0
  call_indirect (i32) -> (i32)
  end_function

  .section .text.atomics,"",@
  .globl atomics
  .type atomics,@function
atomics:
  .functype atomics (i32) -> (i32)
  local.get 0
  i32.const 1
  i32.atomic.rmw.add 8
  local.get 0
  i32.const 0
  i32.const 2
  i32.atomic.rmw.cmpxchg 0
  i32.add
  atomic.fence
  end_function

  .section .text.simd,"",@
  .globl simd
  .type simd,@function
simd:
  .functype simd (i32) -> (i32)
  local.get 0
  v128.load 16
  local.get 0
  v128.load32_zero 0
  i32x4.add
  i8x16.extract_lane_u 3
  local.get 0
  i64.load32_u 4
  i32.wrap_i64
  i32.add
  end_function

  .section .text.bulk,"",@
  .globl bulk
  .type bulk,@function
bulk:
  .functype bulk (i32, i32, i32) -> ()
  local.get 0
  local.get 1
  local.get 2
  memory.copy 0, 0
  local.get 0
  i32.const 0
  local.get 2
  memory.fill 0
  end_function
