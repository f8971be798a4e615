//===- ConstExprValidator.cpp - Constant expressions ----------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Constant expressions (global initialisers, segment offsets, table
/// initialisers): only constant instructions, reading only imported (and
/// with GC, earlier) immutable globals, leaving one value of the expected
/// type. GC allocations in them are decoded but not typed.
///
//===----------------------------------------------------------------------===//

#include "ModuleValidator.h"
#include "wcl/Support/Error.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::validate;
using namespace wcl::wasm;

static constexpr uint8_t I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c,
                         V128 = 0x7b;

Error validate::validateConstExpr(const ModuleContext &ctx,
                                  const ConstExpr &expr,
                                  const ValType &expected) {
  SmallVector<ValType, 4> stack;
  uint64_t at = expr.offset;
  auto popNum = [&](uint8_t code) -> Error {
    if (stack.empty() || stack.back().code != code)
      return createErrorAt(
          at, "type mismatch: expected " + toString(numType(code)) +
                  (stack.empty() ? " but nothing on stack"
                                 : ", found " + toString(stack.back())));
    stack.pop_back();
    return Error::success();
  };
  for (const ConstInstr &i : expr.instrs) {
    using Op = ConstInstr::Op;
    switch (i.op) {
    case Op::I32Const:
      stack.push_back(numType(I32));
      break;
    case Op::I64Const:
      stack.push_back(numType(I64));
      break;
    case Op::F32Const:
      stack.push_back(numType(F32));
      break;
    case Op::F64Const:
      stack.push_back(numType(F64));
      break;
    case Op::V128Const:
      stack.push_back(numType(V128));
      break;
    case Op::GlobalGet: {
      if (i.imm >= ctx.globals.size())
        return createErrorAt(at, "unknown global " + Twine(i.imm) +
                                     ": global index out of bounds");
      if (i.imm >= ctx.numConstGlobals)
        return createErrorAt(at, "constant expression required: global.get "
                                 "of locally defined global");
      if (ctx.globals[i.imm].mutable_)
        return createErrorAt(at, "constant expression required: global.get "
                                 "of mutable global");
      stack.push_back(ctx.globals[i.imm].type);
      break;
    }
    case Op::RefNull: {
      ValType v = refType(true, i.refType.heapType);
      v.ref.shared = i.refType.shared;
      if (Error e = ctx.toArena(v, at))
        return e;
      stack.push_back(v);
      break;
    }
    case Op::RefFunc:
      if (i.imm >= ctx.funcs.size())
        return createErrorAt(at, "unknown function " + Twine(i.imm) +
                                     ": function index out of bounds");
      stack.push_back(
          refType(false, ctx.features.has(Feature::FunctionReferences)
                             ? int64_t(ctx.funcs[i.imm])
                             : heaptype::Func));
      break;
    case Op::I32Add:
    case Op::I32Sub:
    case Op::I32Mul:
    case Op::I64Add:
    case Op::I64Sub:
    case Op::I64Mul: {
      if (!ctx.features.has(Feature::ExtendedConst))
        return createErrorAt(at, "constant expression required: non-constant "
                                 "operator");
      uint8_t t = i.op <= Op::I32Mul ? I32 : I64;
      if (Error e = popNum(t))
        return e;
      if (Error e = popNum(t))
        return e;
      stack.push_back(numType(t));
      break;
    }
    default:
      // GC allocations in constant expressions are decoded, not typed.
      return Error::success();
    }
  }
  if (stack.size() != 1)
    return createErrorAt(
        at, stack.empty() ? Twine("type mismatch: expected " +
                                  toString(expected) + " but nothing on stack")
                          : Twine("type mismatch: values remaining on "
                                  "stack at end of block"));
  if (!coreValSubtype(ctx.arena, stack[0], expected))
    return createErrorAt(at, "type mismatch: expected " + toString(expected) +
                                 ", found " + toString(stack[0]));
  return Error::success();
}
