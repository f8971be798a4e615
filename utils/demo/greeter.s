# The library the demo's main library calls: one function, one data word.
  .globl answer
answer:
  .functype answer () -> (i32)
  global.get counter@GOT
  i32.load 0
  i32.const 42
  i32.add
  end_function

  .section .data.counter,"",@
  .globl counter
counter:
  .int32 0
  .size counter, 4
