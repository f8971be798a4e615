//===- ConstExpr.cpp - Core constant expressions --------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Decodes and prints constant expressions. The decoder knows only the
/// instructions the spec (with extended-const, GC and SIMD) allows in a
/// constant expression, and refuses any other: without a full opcode table
/// the length of an unknown instruction is unknown, so the `end` could not
/// be found anyway. Printing follows the text format so that dumps match
/// what `wasm-tools print` shows for the same initialisers.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/ConstExpr.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/Wasm.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <cstring>

using namespace llvm;
using namespace wcl;
using namespace wcl::wasm;

std::optional<int64_t> ConstExpr::getIntConstant() const {
  if (instrs.size() == 1 && (instrs[0].op == ConstInstr::Op::I32Const ||
                             instrs[0].op == ConstInstr::Op::I64Const))
    return int64_t(instrs[0].imm);
  return std::nullopt;
}

std::optional<uint32_t> ConstExpr::getGlobalGet() const {
  if (instrs.size() == 1 && instrs[0].op == ConstInstr::Op::GlobalGet)
    return uint32_t(instrs[0].imm);
  return std::nullopt;
}

static Error unsupported(uint64_t at, const Twine &opcode) {
  return BinaryReader::errorAt(at, "unsupported instruction " + opcode +
                                       " in constant expression");
}

/// The 0xfb-prefixed (GC) instructions a constant expression may hold.
static Error readGCConstInstr(uint64_t at, BinaryReader &reader,
                              ConstInstr &instr) {
  using Op = ConstInstr::Op;
  uint32_t sub;
  if (Error e = reader.readVarU32().moveInto(sub))
    return e;
  switch (sub) {
  case llvm::wasm::WASM_OPCODE_STRUCT_NEW:
    instr.op = Op::StructNew;
    return reader.readVarU32().moveInto(instr.imm);
  case llvm::wasm::WASM_OPCODE_STRUCT_NEW_DEFAULT:
    instr.op = Op::StructNewDefault;
    return reader.readVarU32().moveInto(instr.imm);
  case llvm::wasm::WASM_OPCODE_ARRAY_NEW:
    instr.op = Op::ArrayNew;
    return reader.readVarU32().moveInto(instr.imm);
  case llvm::wasm::WASM_OPCODE_ARRAY_NEW_DEFAULT:
    instr.op = Op::ArrayNewDefault;
    return reader.readVarU32().moveInto(instr.imm);
  case llvm::wasm::WASM_OPCODE_ARRAY_NEW_FIXED:
    instr.op = Op::ArrayNewFixed;
    if (Error e = reader.readVarU32().moveInto(instr.imm))
      return e;
    return reader.readVarU32().moveInto(instr.imm2);
  case llvm::wasm::WASM_OPCODE_REF_I31:
    instr.op = Op::RefI31;
    return Error::success();
  case 0x1a:
    instr.op = Op::AnyConvertExtern;
    return Error::success();
  case 0x1b:
    instr.op = Op::ExternConvertAny;
    return Error::success();
  default:
    return unsupported(at, "0xfb " + Twine(sub));
  }
}

/// Reads one instruction of a constant expression after its opcode \p op
/// (at \p at).
static Error readConstInstr(uint8_t op, uint64_t at, BinaryReader &reader,
                            ConstInstr &instr) {
  using Op = ConstInstr::Op;
  switch (op) {
  case llvm::wasm::WASM_OPCODE_I32_CONST: {
    instr.op = Op::I32Const;
    int32_t v;
    if (Error e = reader.readVarS32().moveInto(v))
      return e;
    instr.imm = uint64_t(int64_t(v));
    return Error::success();
  }
  case llvm::wasm::WASM_OPCODE_I64_CONST: {
    instr.op = Op::I64Const;
    int64_t v;
    if (Error e = reader.readVarS64().moveInto(v))
      return e;
    instr.imm = uint64_t(v);
    return Error::success();
  }
  case llvm::wasm::WASM_OPCODE_F32_CONST:
    instr.op = Op::F32Const;
    return reader.readU32LE().moveInto(instr.imm);
  case llvm::wasm::WASM_OPCODE_F64_CONST:
    instr.op = Op::F64Const;
    return reader.readU64LE().moveInto(instr.imm);
  case llvm::wasm::WASM_OPCODE_GLOBAL_GET:
    instr.op = Op::GlobalGet;
    return reader.readVarU32().moveInto(instr.imm);
  case llvm::wasm::WASM_OPCODE_REF_NULL:
    instr.op = Op::RefNull;
    instr.refType.nullable = true;
    return readHeapType(reader, instr.refType);
  case llvm::wasm::WASM_OPCODE_REF_FUNC:
    instr.op = Op::RefFunc;
    return reader.readVarU32().moveInto(instr.imm);
  case llvm::wasm::WASM_OPCODE_I32_ADD:
    instr.op = Op::I32Add;
    return Error::success();
  case llvm::wasm::WASM_OPCODE_I32_SUB:
    instr.op = Op::I32Sub;
    return Error::success();
  case llvm::wasm::WASM_OPCODE_I32_MUL:
    instr.op = Op::I32Mul;
    return Error::success();
  case llvm::wasm::WASM_OPCODE_I64_ADD:
    instr.op = Op::I64Add;
    return Error::success();
  case llvm::wasm::WASM_OPCODE_I64_SUB:
    instr.op = Op::I64Sub;
    return Error::success();
  case llvm::wasm::WASM_OPCODE_I64_MUL:
    instr.op = Op::I64Mul;
    return Error::success();
  case llvm::wasm::WASM_OPCODE_GC_PREFIX:
    return readGCConstInstr(at, reader, instr);
  case 0xfd: { // SIMD prefix
    uint32_t sub;
    if (Error e = reader.readVarU32().moveInto(sub))
      return e;
    if (sub != 12) // v128.const
      return unsupported(at, "0xfd " + Twine(sub));
    instr.op = Op::V128Const;
    return reader.skip(16);
  }
  default:
    return unsupported(at, "0x" + utohexstr(op, /*LowerCase=*/true));
  }
}

Expected<ConstExpr> wcl::wasm::readConstExpr(BinaryReader &reader) {
  ConstExpr expr;
  expr.offset = reader.offset();
  size_t startPos = reader.position();
  for (;;) {
    uint64_t at = reader.offset();
    size_t pos = reader.position();
    uint8_t op;
    if (Error e = reader.readU8().moveInto(op))
      return std::move(e);
    if (op == llvm::wasm::WASM_OPCODE_END)
      break;
    ConstInstr instr;
    if (Error e = readConstInstr(op, at, reader, instr))
      return std::move(e);
    instr.bytes = reader.data().slice(pos, reader.position() - pos);
    expr.instrs.push_back(instr);
  }
  expr.bytes = reader.data().slice(startPos, reader.position() - startPos);
  return expr;
}

static std::string floatBits(uint64_t bits, bool isDouble) {
  // Hex bits keep NaN payloads and are exact; the value is a convenience.
  double value;
  if (isDouble) {
    std::memcpy(&value, &bits, sizeof(value));
  } else {
    uint32_t b32 = uint32_t(bits);
    float f;
    std::memcpy(&f, &b32, sizeof(f));
    value = f;
  }
  std::string s;
  raw_string_ostream os(s);
  os << format("%g", value) << " (0x"
     << format_hex_no_prefix(bits, isDouble ? 16 : 8) << ")";
  return s;
}

std::string wcl::wasm::toString(const ConstInstr &instr) {
  using Op = ConstInstr::Op;
  switch (instr.op) {
  case Op::I32Const:
    return "i32.const " + itostr(int32_t(instr.imm));
  case Op::I64Const:
    return "i64.const " + itostr(int64_t(instr.imm));
  case Op::F32Const:
    return "f32.const " + floatBits(instr.imm, false);
  case Op::F64Const:
    return "f64.const " + floatBits(instr.imm, true);
  case Op::V128Const: {
    std::string s = "v128.const i8x16";
    // The value is the last 16 bytes of the instruction.
    ArrayRef<uint8_t> value =
        instr.bytes.size() >= 16 ? instr.bytes.take_back(16) : instr.bytes;
    for (uint8_t b : value)
      s += " 0x" + utohexstr(b, /*LowerCase=*/true, 2);
    return s;
  }
  case Op::GlobalGet:
    return "global.get " + utostr(instr.imm);
  case Op::RefNull: {
    StringRef abstract = abstractHeapTypeName(instr.refType.heapType);
    std::string heap = instr.refType.heapType >= 0
                           ? utostr(uint64_t(instr.refType.heapType))
                           : abstract.str();
    if (instr.refType.shared)
      heap = "(shared " + heap + ")";
    return "ref.null " + heap;
  }
  case Op::RefFunc:
    return "ref.func " + utostr(instr.imm);
  case Op::I32Add:
    return "i32.add";
  case Op::I32Sub:
    return "i32.sub";
  case Op::I32Mul:
    return "i32.mul";
  case Op::I64Add:
    return "i64.add";
  case Op::I64Sub:
    return "i64.sub";
  case Op::I64Mul:
    return "i64.mul";
  case Op::StructNew:
    return "struct.new " + utostr(instr.imm);
  case Op::StructNewDefault:
    return "struct.new_default " + utostr(instr.imm);
  case Op::ArrayNew:
    return "array.new " + utostr(instr.imm);
  case Op::ArrayNewDefault:
    return "array.new_default " + utostr(instr.imm);
  case Op::ArrayNewFixed:
    return "array.new_fixed " + utostr(instr.imm) + " " + utostr(instr.imm2);
  case Op::RefI31:
    return "ref.i31";
  case Op::AnyConvertExtern:
    return "any.convert_extern";
  case Op::ExternConvertAny:
    return "extern.convert_any";
  }
  return "<unknown>";
}

std::string wcl::wasm::toString(const ConstExpr &expr) {
  std::string s;
  for (const ConstInstr &instr : expr.instrs) {
    if (!s.empty())
      s += " ";
    s += toString(instr);
  }
  return s;
}
