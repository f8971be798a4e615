//===- FuncValidator.cpp - Function bodies and constant expressions -------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Function bodies, type-checked instruction by instruction with the
/// operand stack and control frames of the core specification's validation
/// algorithm (Appendix "Validation Algorithm"), and constant expressions.
/// Checked: control flow (blocks, branches, br_table, calls, tail calls,
/// call_ref, exceptions with try_table), locals, globals, tables, memories
/// (loads, stores, bulk memory, memory64), numeric instructions,
/// saturating truncation, wide arithmetic and reference instructions. The
/// GC (0xfb), SIMD (0xfd) and atomic (0xfe) instructions are decoded but
/// not yet type-checked: a body that uses one is checked up to it.
///
//===----------------------------------------------------------------------===//

#include "ModuleValidator.h"
#include "wcl/Support/Error.h"
#include "wcl/Wasm/Instructions.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::validate;
using namespace wcl::wasm;

static constexpr uint8_t I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c;

namespace {

/// An operand: a value type, or unknown below an unreachable instruction.
struct Operand {
  bool known = true;
  ValType type;
};

struct Frame {
  uint8_t opcode = 0x02;
  SmallVector<ValType, 2> params, results;
  size_t height = 0;
  bool unreachable = false;
};

class FuncChecker {
public:
  FuncChecker(const ModuleContext &ctx) : ctx(ctx) {}

  Error run(uint32_t funcIndex, const FunctionBody &body);

private:
  Error instr(const Instr &in);
  Error numeric(const Instr &in, bool &handled);
  Error misc(const Instr &in);
  Error memoryOp(const Instr &in, bool &handled);
  Error control(const Instr &in, bool &handled);
  Error calls(const Instr &in, bool &handled);
  Error variable(const Instr &in, bool &handled);
  Error reference(const Instr &in, bool &handled);

  Error fail(const Twine &msg) { return createErrorAt(at, msg); }
  void push(const ValType &t) { stack.push_back({true, t}); }
  Expected<Operand> pop();
  Error pop(const ValType &expected);
  Error popAll(ArrayRef<ValType> types) {
    for (size_t i = types.size(); i-- > 0;)
      if (Error e = pop(types[i]))
        return e;
    return Error::success();
  }
  void pushAll(ArrayRef<ValType> types) {
    for (const ValType &t : types)
      push(t);
  }
  Error op(ArrayRef<uint8_t> in, ArrayRef<uint8_t> out) {
    for (size_t i = in.size(); i-- > 0;)
      if (Error e = pop(numType(in[i])))
        return e;
    for (uint8_t o : out)
      push(numType(o));
    return Error::success();
  }
  void pushFrame(uint8_t opcode, ArrayRef<ValType> params,
                 ArrayRef<ValType> results) {
    Frame f;
    f.opcode = opcode;
    f.params.assign(params.begin(), params.end());
    f.results.assign(results.begin(), results.end());
    f.height = stack.size();
    frames.push_back(std::move(f));
    pushAll(params);
  }
  Expected<Frame> popFrame();
  void setUnreachable() {
    stack.resize(frames.back().height);
    frames.back().unreachable = true;
  }
  Expected<const Frame *> label(uint32_t depth) {
    if (depth >= frames.size())
      return fail("unknown label: branch depth too large");
    return &frames[frames.size() - 1 - depth];
  }
  static ArrayRef<ValType> labelTypes(const Frame &f) {
    return f.opcode == 0x03 ? ArrayRef<ValType>(f.params)
                            : ArrayRef<ValType>(f.results);
  }
  Error blockSig(const BlockType &bt, SmallVectorImpl<ValType> &params,
                 SmallVectorImpl<ValType> &results);
  Expected<const FuncType *> funcTypeAt(uint32_t typeIndex);
  Expected<const FuncType *> funcOf(uint32_t funcIndex);
  Expected<uint8_t> memoryAddr(uint32_t memory);
  Expected<const TableType *> table(uint32_t index);
  Error call(const FuncType &ft, bool tail);
  bool subtype(const ValType &a, const ValType &b) const {
    return coreValSubtype(ctx.arena, a, b);
  }
  std::string text(const ValType &v) const { return toString(v); }

  const ModuleContext &ctx;
  SmallVector<ValType, 8> locals;
  SmallVector<Operand, 32> stack;
  SmallVector<Frame, 16> frames;
  const FuncType *self = nullptr;
  uint64_t at = 0;
};

} // namespace

Expected<Operand> FuncChecker::pop() {
  Frame &f = frames.back();
  if (stack.size() == f.height) {
    if (f.unreachable)
      return Operand{false, {}};
    return fail("type mismatch: expected a type but nothing on stack");
  }
  Operand o = stack.back();
  stack.pop_back();
  return o;
}

Error FuncChecker::pop(const ValType &expected) {
  Frame &f = frames.back();
  if (stack.size() == f.height) {
    if (f.unreachable)
      return Error::success();
    return fail("type mismatch: expected " + text(expected) +
                " but nothing on stack");
  }
  Operand o = stack.back();
  stack.pop_back();
  if (o.known && !subtype(o.type, expected))
    return fail("type mismatch: expected " + text(expected) + ", found " +
                text(o.type));
  return Error::success();
}

Expected<Frame> FuncChecker::popFrame() {
  if (Error e = popAll(frames.back().results))
    return std::move(e);
  if (stack.size() != frames.back().height)
    return fail("type mismatch: values remaining on stack at end of block");
  Frame f = frames.pop_back_val();
  return f;
}

Expected<const FuncType *> FuncChecker::funcTypeAt(uint32_t typeIndex) {
  if (typeIndex >= ctx.types.size())
    return fail("unknown type " + Twine(typeIndex) +
                ": type index out of bounds");
  const FuncType *ft = ctx.funcType(ctx.types[typeIndex]);
  if (!ft)
    return fail("type index " + Twine(typeIndex) + " is not a function type");
  return ft;
}

Expected<const FuncType *> FuncChecker::funcOf(uint32_t funcIndex) {
  if (funcIndex >= ctx.funcs.size())
    return fail("unknown function " + Twine(funcIndex) +
                ": function index out of bounds");
  return ctx.funcType(ctx.funcs[funcIndex]);
}

Expected<uint8_t> FuncChecker::memoryAddr(uint32_t memory) {
  if (memory >= ctx.memories.size())
    return fail("unknown memory " + Twine(memory) +
                ": memory index out of bounds");
  return ctx.memories[memory].limits.is64 ? I64 : I32;
}

Expected<const TableType *> FuncChecker::table(uint32_t index) {
  if (index >= ctx.tables.size())
    return fail("unknown table " + Twine(index) +
                ": table index out of bounds");
  return &ctx.tables[index];
}

Error FuncChecker::blockSig(const BlockType &bt,
                            SmallVectorImpl<ValType> &params,
                            SmallVectorImpl<ValType> &results) {
  switch (bt.kind) {
  case BlockType::Kind::Empty:
    return Error::success();
  case BlockType::Kind::Value: {
    ValType v = bt.type;
    if (Error e = ctx.toArena(v, at))
      return e;
    results.push_back(v);
    return Error::success();
  }
  case BlockType::Kind::Func: {
    const FuncType *ft;
    if (Error e = funcTypeAt(bt.typeIndex).moveInto(ft))
      return e;
    params.append(ft->params.begin(), ft->params.end());
    results.append(ft->results.begin(), ft->results.end());
    return Error::success();
  }
  }
  return Error::success();
}

Error FuncChecker::call(const FuncType &ft, bool tail) {
  if (Error e = popAll(ft.params))
    return e;
  if (!tail) {
    pushAll(ft.results);
    return Error::success();
  }
  if (!ctx.features.has(Feature::TailCall))
    return fail("tail calls support is not enabled");
  // A tail call returns the callee's results from this function.
  if (ft.results.size() != self->results.size())
    return fail("type mismatch: current function requires result type [" +
                Twine(self->results.size()) +
                " values] but callee returns a different count");
  for (size_t i = 0; i < ft.results.size(); ++i)
    if (!subtype(ft.results[i], self->results[i]))
      return fail("type mismatch: current function requires result type " +
                  text(self->results[i]) + " but callee returns " +
                  text(ft.results[i]));
  setUnreachable();
  return Error::success();
}

Error FuncChecker::control(const Instr &in, bool &handled) {
  handled = true;
  switch (in.code) {
  case 0x00: // unreachable
    setUnreachable();
    return Error::success();
  case 0x01: // nop
    return Error::success();
  case 0x02:   // block
  case 0x03:   // loop
  case 0x04: { // if
    SmallVector<ValType, 2> params, results;
    if (Error e = blockSig(in.blockType, params, results))
      return e;
    if (in.code == 0x04)
      if (Error e = pop(numType(I32)))
        return e;
    if (Error e = popAll(params))
      return e;
    pushFrame(uint8_t(in.code), params, results);
    return Error::success();
  }
  case 0x05: { // else
    if (frames.back().opcode != 0x04)
      return fail("else found outside of an `if` block");
    Frame f;
    if (Error e = popFrame().moveInto(f))
      return e;
    pushFrame(0x05, f.params, f.results);
    return Error::success();
  }
  case 0x0b: { // end
    Frame f;
    if (Error e = popFrame().moveInto(f))
      return e;
    // An `if` without `else` passes its parameters through as results.
    if (f.opcode == 0x04) {
      if (f.params.size() != f.results.size())
        return fail("type mismatch: if without else must have matching "
                    "params and results");
      for (size_t i = 0; i < f.params.size(); ++i)
        if (!subtype(f.params[i], f.results[i]))
          return fail("type mismatch: expected " + text(f.results[i]) +
                      ", found " + text(f.params[i]));
    }
    if (!frames.empty())
      pushAll(f.results);
    return Error::success();
  }
  case 0x0c:   // br
  case 0x0d: { // br_if
    const Frame *target;
    if (Error e = label(in.index()).moveInto(target))
      return e;
    if (in.code == 0x0d)
      if (Error e = pop(numType(I32)))
        return e;
    SmallVector<ValType, 2> types(labelTypes(*target));
    if (Error e = popAll(types))
      return e;
    if (in.code == 0x0c)
      setUnreachable();
    else
      pushAll(types);
    return Error::success();
  }
  case 0x0e: { // br_table: the last index is the default
    if (Error e = pop(numType(I32)))
      return e;
    const Frame *def;
    if (Error e = label(in.indices.back().value).moveInto(def))
      return e;
    size_t arity = labelTypes(*def).size();
    for (const IndexImm &imm : in.indices) {
      const Frame *target;
      if (Error e = label(imm.value).moveInto(target))
        return e;
      SmallVector<ValType, 2> types(labelTypes(*target));
      if (types.size() != arity)
        return fail("type mismatch: br_table target labels have different "
                    "number of types");
      // Check each target without consuming the operands.
      SmallVector<Operand, 32> saved = stack;
      if (Error e = popAll(types))
        return e;
      stack = std::move(saved);
    }
    setUnreachable();
    return Error::success();
  }
  case 0x0f: // return
    if (Error e = popAll(self->results))
      return e;
    setUnreachable();
    return Error::success();
  case 0x06: // try
  case 0x07: // catch
  case 0x09: // rethrow
  case 0x18: // delegate
  case 0x19: // catch_all
    return fail("legacy exceptions support is not enabled");
  default:
    handled = false;
    return Error::success();
  }
}

Error FuncChecker::calls(const Instr &in, bool &handled) {
  handled = true;
  switch (in.code) {
  case 0x10:   // call
  case 0x12: { // return_call
    const FuncType *ft;
    if (Error e = funcOf(in.index()).moveInto(ft))
      return e;
    return call(*ft, in.code == 0x12);
  }
  case 0x11:   // call_indirect
  case 0x13: { // return_call_indirect
    const FuncType *ft;
    if (Error e = funcTypeAt(in.index(0)).moveInto(ft))
      return e;
    const TableType *t;
    if (Error e = table(in.index(1)).moveInto(t))
      return e;
    if (topHeapType(ctx.arena, t->elemType.heapType) != heaptype::Func)
      return fail("type mismatch: indirect calls must go through a table "
                  "with type <= funcref");
    if (Error e = pop(numType(t->limits.is64 ? I64 : I32)))
      return e;
    return call(*ft, in.code == 0x13);
  }
  case 0x14:   // call_ref
  case 0x15: { // return_call_ref
    const FuncType *ft;
    if (Error e = funcTypeAt(in.index()).moveInto(ft))
      return e;
    if (Error e = pop(refType(true, ctx.types[in.index()])))
      return e;
    return call(*ft, in.code == 0x15);
  }
  case 0x08: { // throw
    if (in.index() >= ctx.tags.size())
      return fail("unknown tag " + Twine(in.index()) +
                  ": tag index out of bounds");
    if (Error e = popAll(ctx.funcType(ctx.tags[in.index()])->params))
      return e;
    setUnreachable();
    return Error::success();
  }
  case 0x0a: // throw_ref
    if (Error e = pop(refType(true, heaptype::Exn)))
      return e;
    setUnreachable();
    return Error::success();
  case 0x1f: { // try_table
    if (!ctx.features.has(Feature::Exceptions))
      return fail("exceptions proposal not enabled");
    SmallVector<ValType, 2> params, results;
    if (Error e = blockSig(in.blockType, params, results))
      return e;
    if (Error e = popAll(params))
      return e;
    for (const Catch &c : in.catches) {
      const Frame *target;
      if (Error e = label(c.label).moveInto(target))
        return e;
      SmallVector<ValType, 2> sent;
      if (c.kind == Catch::Kind::Catch || c.kind == Catch::Kind::CatchRef) {
        if (c.tag >= ctx.tags.size())
          return fail("unknown tag " + Twine(c.tag) +
                      ": tag index out of bounds");
        const FuncType *ft = ctx.funcType(ctx.tags[c.tag]);
        sent.append(ft->params.begin(), ft->params.end());
      }
      if (c.kind == Catch::Kind::CatchRef || c.kind == Catch::Kind::AllRef)
        sent.push_back(refType(false, heaptype::Exn));
      ArrayRef<ValType> want = labelTypes(*target);
      bool ok = want.size() == sent.size();
      for (size_t i = 0; ok && i < sent.size(); ++i)
        ok = subtype(sent[i], want[i]);
      if (!ok)
        return fail("type mismatch: catch label must match the values the "
                    "catch clause sends");
    }
    pushFrame(0x1f, params, results);
    return Error::success();
  }
  default:
    handled = false;
    return Error::success();
  }
}

Error FuncChecker::variable(const Instr &in, bool &handled) {
  handled = true;
  switch (in.code) {
  case 0x1a: { // drop
    Operand o;
    return pop().moveInto(o);
  }
  case 0x1b:   // select
  case 0x1c: { // select t
    if (Error e = pop(numType(I32)))
      return e;
    if (in.code == 0x1c) {
      if (in.selectTypes.size() != 1)
        return fail("invalid result arity for select");
      ValType t = in.selectTypes[0];
      if (Error e = ctx.toArena(t, at))
        return e;
      if (Error e = pop(t))
        return e;
      if (Error e = pop(t))
        return e;
      push(t);
      return Error::success();
    }
    Operand a, b;
    if (Error e = pop().moveInto(a))
      return e;
    if (Error e = pop().moveInto(b))
      return e;
    if ((a.known && a.type.isRef()) || (b.known && b.type.isRef()))
      return fail("type mismatch: select only takes integral types");
    if (a.known && b.known && a.type.code != b.type.code)
      return fail("type mismatch: select operands have different types");
    if (a.known)
      push(a.type);
    else if (b.known)
      push(b.type);
    else
      stack.push_back({false, {}});
    return Error::success();
  }
  case 0x20:   // local.get
  case 0x21:   // local.set
  case 0x22: { // local.tee
    if (in.index() >= locals.size())
      return fail("unknown local " + Twine(in.index()) +
                  ": local index out of bounds");
    const ValType &t = locals[in.index()];
    if (in.code == 0x20) {
      push(t);
      return Error::success();
    }
    if (Error e = pop(t))
      return e;
    if (in.code == 0x22)
      push(t);
    return Error::success();
  }
  case 0x23:   // global.get
  case 0x24: { // global.set
    if (in.index() >= ctx.globals.size())
      return fail("unknown global " + Twine(in.index()) +
                  ": global index out of bounds");
    const GlobalType &g = ctx.globals[in.index()];
    if (in.code == 0x23) {
      push(g.type);
      return Error::success();
    }
    if (!g.mutable_)
      return fail("global is immutable: cannot modify it with `global.set`");
    return pop(g.type);
  }
  case 0x25:   // table.get
  case 0x26: { // table.set
    const TableType *t;
    if (Error e = table(in.index()).moveInto(t))
      return e;
    ValType elem = refType(t->elemType.nullable, t->elemType.heapType);
    uint8_t idx = t->limits.is64 ? I64 : I32;
    if (in.code == 0x25) {
      if (Error e = pop(numType(idx)))
        return e;
      push(elem);
      return Error::success();
    }
    if (Error e = pop(elem))
      return e;
    return pop(numType(idx));
  }
  default:
    handled = false;
    return Error::success();
  }
}

Error FuncChecker::reference(const Instr &in, bool &handled) {
  handled = true;
  switch (in.code) {
  case 0xd0: { // ref.null
    ValType v = refType(true, in.refType.heapType);
    v.ref.shared = in.refType.shared;
    if (Error e = ctx.toArena(v, at))
      return e;
    push(v);
    return Error::success();
  }
  case 0xd1: { // ref.is_null
    Operand o;
    if (Error e = pop().moveInto(o))
      return e;
    if (o.known && !o.type.isRef())
      return fail("type mismatch: expected reference, found " + text(o.type));
    push(numType(I32));
    return Error::success();
  }
  case 0xd2: { // ref.func
    if (in.index() >= ctx.funcs.size())
      return fail("unknown function " + Twine(in.index()) +
                  ": function index out of bounds");
    if (!ctx.declaredFuncs.count(in.index()))
      return fail("undeclared function reference");
    push(refType(false, ctx.features.has(Feature::FunctionReferences)
                            ? int64_t(ctx.funcs[in.index()])
                            : heaptype::Func));
    return Error::success();
  }
  case 0xd3: // ref.eq
    if (Error e = pop(refType(true, heaptype::Eq)))
      return e;
    if (Error e = pop(refType(true, heaptype::Eq)))
      return e;
    push(numType(I32));
    return Error::success();
  case 0xd4:   // ref.as_non_null
  case 0xd5:   // br_on_null
  case 0xd6: { // br_on_non_null
    Operand o;
    if (Error e = pop().moveInto(o))
      return e;
    if (o.known && !o.type.isRef())
      return fail("type mismatch: expected reference, found " + text(o.type));
    ValType nonNull = o.known ? o.type : refType(false, heaptype::Any);
    nonNull.code = 0x64;
    nonNull.ref.nullable = false;
    if (in.code == 0xd4) {
      push(nonNull);
      return Error::success();
    }
    const Frame *target;
    if (Error e = label(in.index()).moveInto(target))
      return e;
    SmallVector<ValType, 2> types(labelTypes(*target));
    if (in.code == 0xd5) {
      if (Error e = popAll(types))
        return e;
      pushAll(types);
      push(nonNull);
      return Error::success();
    }
    if (types.empty())
      return fail("type mismatch: br_on_non_null target has no label types");
    if (!o.known || subtype(nonNull, types.back())) {
      types.pop_back();
      if (Error e = popAll(types))
        return e;
      pushAll(types);
      return Error::success();
    }
    return fail("type mismatch: expected " + text(types.back()) + ", found " +
                text(nonNull));
  }
  default:
    handled = false;
    return Error::success();
  }
}

Error FuncChecker::memoryOp(const Instr &in, bool &handled) {
  handled = true;
  // Loads 0x28..0x35 and stores 0x36..0x3e: value type and natural
  // alignment (log2).
  static constexpr struct {
    uint8_t type, align;
  } access[] = {
      {I32, 2}, {I64, 3}, {F32, 2}, {F64, 3}, {I32, 0}, {I32, 0},
      {I32, 1}, {I32, 1}, {I64, 0}, {I64, 0}, {I64, 1}, {I64, 1},
      {I64, 2}, {I64, 2}, {I32, 2}, {I64, 3}, {F32, 2}, {F64, 3},
      {I32, 0}, {I32, 1}, {I64, 0}, {I64, 1}, {I64, 2},
  };
  if (in.code >= 0x28 && in.code <= 0x3e) {
    uint8_t addr;
    if (Error e = memoryAddr(in.memArg.memory).moveInto(addr))
      return e;
    auto a = access[in.code - 0x28];
    if (in.memArg.alignLog2 > a.align)
      return fail("alignment must not be larger than natural");
    if (addr == I32 && in.memArg.offset > UINT32_MAX)
      return fail("offset out of range: must be <= 2**32");
    if (in.code <= 0x35)
      return op({addr}, {a.type});
    return op({addr, a.type}, {});
  }
  if (in.code == 0x3f || in.code == 0x40) {
    uint8_t addr;
    if (Error e = memoryAddr(in.index()).moveInto(addr))
      return e;
    return in.code == 0x3f ? op({}, {addr}) : op({addr}, {addr});
  }
  handled = false;
  return Error::success();
}

/// Numeric instructions 0x41..0xc4 as (inputs) -> (outputs).
Error FuncChecker::numeric(const Instr &in, bool &handled) {
  handled = true;
  uint32_t c = in.code;
  if (c == 0x41)
    return op({}, {I32});
  if (c == 0x42)
    return op({}, {I64});
  if (c == 0x43)
    return op({}, {F32});
  if (c == 0x44)
    return op({}, {F64});
  if (c == 0x45)
    return op({I32}, {I32});
  if (c >= 0x46 && c <= 0x4f)
    return op({I32, I32}, {I32});
  if (c == 0x50)
    return op({I64}, {I32});
  if (c >= 0x51 && c <= 0x5a)
    return op({I64, I64}, {I32});
  if (c >= 0x5b && c <= 0x60)
    return op({F32, F32}, {I32});
  if (c >= 0x61 && c <= 0x66)
    return op({F64, F64}, {I32});
  if (c >= 0x67 && c <= 0x69)
    return op({I32}, {I32});
  if (c >= 0x6a && c <= 0x78)
    return op({I32, I32}, {I32});
  if (c >= 0x79 && c <= 0x7b)
    return op({I64}, {I64});
  if (c >= 0x7c && c <= 0x8a)
    return op({I64, I64}, {I64});
  if (c >= 0x8b && c <= 0x91)
    return op({F32}, {F32});
  if (c >= 0x92 && c <= 0x98)
    return op({F32, F32}, {F32});
  if (c >= 0x99 && c <= 0x9f)
    return op({F64}, {F64});
  if (c >= 0xa0 && c <= 0xa6)
    return op({F64, F64}, {F64});
  // Conversions: (input, output) for 0xa7..0xc4.
  static constexpr uint8_t conv[][2] = {
      {I64, I32}, {F32, I32}, {F32, I32}, {F64, I32}, {F64, I32}, {I32, I64},
      {I32, I64}, {F32, I64}, {F32, I64}, {F64, I64}, {F64, I64}, {I32, F32},
      {I32, F32}, {I64, F32}, {I64, F32}, {F64, F32}, {I32, F64}, {I32, F64},
      {I64, F64}, {I64, F64}, {F32, F64}, {F32, I32}, {F64, I64}, {I32, F32},
      {I64, F64}, {I32, I32}, {I32, I32}, {I64, I64}, {I64, I64}, {I64, I64},
  };
  if (c >= 0xa7 && c <= 0xc4)
    return op({conv[c - 0xa7][0]}, {conv[c - 0xa7][1]});
  handled = false;
  return Error::success();
}

Error FuncChecker::misc(const Instr &in) {
  uint32_t c = in.code;
  static constexpr uint8_t satIn[] = {F32, F32, F64, F64, F32, F32, F64, F64};
  if (c <= 7)
    return op({satIn[c]}, {c < 4 ? I32 : I64});
  auto tableIdx = [&](uint32_t t) -> Expected<uint8_t> {
    const TableType *tt;
    if (Error e = table(t).moveInto(tt))
      return std::move(e);
    return tt->limits.is64 ? I64 : I32;
  };
  switch (c) {
  case 8: { // memory.init data mem
    if (!ctx.dataCount)
      return fail("data count section required");
    if (in.index(0) >= *ctx.dataCount)
      return fail("unknown data segment " + Twine(in.index(0)));
    uint8_t addr;
    if (Error e = memoryAddr(in.index(1)).moveInto(addr))
      return e;
    return op({addr, I32, I32}, {});
  }
  case 9: // data.drop
    if (!ctx.dataCount)
      return fail("data count section required");
    if (in.index() >= *ctx.dataCount)
      return fail("unknown data segment " + Twine(in.index()));
    return Error::success();
  case 10: { // memory.copy dst src
    uint8_t dst, src;
    if (Error e = memoryAddr(in.index(0)).moveInto(dst))
      return e;
    if (Error e = memoryAddr(in.index(1)).moveInto(src))
      return e;
    return op({dst, src, dst == I64 && src == I64 ? I64 : I32}, {});
  }
  case 11: { // memory.fill
    uint8_t addr;
    if (Error e = memoryAddr(in.index()).moveInto(addr))
      return e;
    return op({addr, I32, addr}, {});
  }
  case 12: { // table.init elem table
    if (in.index(0) >= ctx.elems.size())
      return fail("unknown elem segment " + Twine(in.index(0)) +
                  ": segment index out of bounds");
    uint8_t idx;
    if (Error e = tableIdx(in.index(1)).moveInto(idx))
      return e;
    if (!coreRefSubtype(ctx.arena, ctx.elems[in.index(0)],
                        ctx.tables[in.index(1)].elemType))
      return fail("type mismatch");
    return op({idx, I32, I32}, {});
  }
  case 13: // elem.drop
    if (in.index() >= ctx.elems.size())
      return fail("unknown elem segment " + Twine(in.index()) +
                  ": segment index out of bounds");
    return Error::success();
  case 14: { // table.copy dst src
    uint8_t dst, src;
    if (Error e = tableIdx(in.index(0)).moveInto(dst))
      return e;
    if (Error e = tableIdx(in.index(1)).moveInto(src))
      return e;
    if (!coreRefSubtype(ctx.arena, ctx.tables[in.index(1)].elemType,
                        ctx.tables[in.index(0)].elemType))
      return fail("type mismatch");
    return op({dst, src, dst == I64 && src == I64 ? I64 : I32}, {});
  }
  case 15:   // table.grow
  case 16:   // table.size
  case 17: { // table.fill
    uint8_t idx;
    if (Error e = tableIdx(in.index()).moveInto(idx))
      return e;
    const RefType &rt = ctx.tables[in.index()].elemType;
    ValType elem = refType(rt.nullable, rt.heapType);
    if (c == 16)
      return op({}, {idx});
    if (c == 15) {
      if (Error e = pop(numType(idx)))
        return e;
      if (Error e = pop(elem))
        return e;
      push(numType(idx));
      return Error::success();
    }
    if (Error e = pop(numType(idx)))
      return e;
    if (Error e = pop(elem))
      return e;
    return pop(numType(idx));
  }
  case 19: // i64.add128
  case 20: // i64.sub128
    return op({I64, I64, I64, I64}, {I64, I64});
  case 21: // i64.mul_wide_s
  case 22: // i64.mul_wide_u
    return op({I64, I64}, {I64, I64});
  default:
    return fail("unknown 0xfc subopcode: 0x" + Twine::utohexstr(c));
  }
}

Error FuncChecker::instr(const Instr &in) {
  at = in.offset;
  if (in.prefix == prefix::Misc)
    return misc(in);
  bool handled = false;
  for (auto step : {&FuncChecker::control, &FuncChecker::calls,
                    &FuncChecker::variable, &FuncChecker::reference,
                    &FuncChecker::memoryOp, &FuncChecker::numeric}) {
    if (Error e = (this->*step)(in, handled))
      return e;
    if (handled)
      return Error::success();
  }
  return fail("unknown opcode");
}

Error FuncChecker::run(uint32_t funcIndex, const FunctionBody &body) {
  self = ctx.funcType(ctx.funcs[funcIndex]);
  locals.assign(self->params.begin(), self->params.end());
  for (const LocalDecl &d : body.locals) {
    ValType t = d.type;
    if (Error e = ctx.toArena(t, body.bodyOffset))
      return e;
    locals.append(d.count, t);
  }
  pushFrame(0x02, {}, self->results);
  stack.clear(); // the function's frame starts empty
  // GC, SIMD and atomic instructions are not typed yet: from the first
  // one on, the body is only decoded.
  bool typing = true;
  return forEachInstr(
      body.code, body.codeOffset, [&](const Instr &in) -> Error {
        if (!typing)
          return Error::success();
        if (in.prefix == prefix::GC || in.prefix == prefix::SIMD ||
            in.prefix == prefix::Atomic) {
          typing = false;
          return Error::success();
        }
        return instr(in);
      });
}

Error validate::validateFunctionBody(const ModuleContext &ctx,
                                     uint32_t funcIndex,
                                     const FunctionBody &body) {
  return FuncChecker(ctx).run(funcIndex, body);
}
