// A freestanding program that makes clang emit a wide range of instructions:
// br_table, call_indirect through a table, globals, loads and stores of every
// width, bulk memory, saturating conversions, sign extension, SIMD.
#include <wasm_simd128.h>

typedef int (*binop)(int, int);

static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }
static binop ops[] = {add, sub, mul};

int counter;
char buffer[256];
long long wide[4] = {1, 2, 3, 4};

__attribute__((export_name("apply"))) int apply(int op, int a, int b) {
  return ops[op % 3](a, b);
}

__attribute__((export_name("classify"))) int classify(int x) {
  switch (x) {
  case 0: return 10;
  case 1: return 20;
  case 2: return 35;
  case 3: return 47;
  case 4: return 51;
  default: return -1;
  }
}

__attribute__((export_name("copy"))) void copy(char *dst, const char *src,
                                                unsigned n) {
  __builtin_memcpy(dst, src, n);
  __builtin_memset(buffer, 0, n < 256 ? n : 256);
  counter += n;
}

__attribute__((export_name("convert"))) int convert(double d, short s,
                                                    signed char c) {
  return (int)d + s + c + (int)(float)wide[d > 0];
}

__attribute__((export_name("dot"))) float dot(const float *a, const float *b) {
  v128_t va = wasm_v128_load(a);
  v128_t vb = wasm_v128_load(b);
  v128_t p = wasm_f32x4_mul(va, vb);
  v128_t s = wasm_i8x16_shuffle(p, p, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15,
                                8, 9, 10, 11);
  p = wasm_f32x4_add(p, s);
  p = wasm_v128_load32_lane(b + 4, p, 1);
  return wasm_f32x4_extract_lane(p, 0) + wasm_f32x4_extract_lane(p, 2);
}

__attribute__((export_name("unused"))) int unused(int x) {
  return classify(x) + counter;
}
