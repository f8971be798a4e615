# The demo's main library: calls `answer` from libgreeter.so through env.
  .functype answer () -> (i32)
  .globl run
run:
  .functype run () -> (i32)
  call answer
  end_function
