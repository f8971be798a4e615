//===- wcl/Wasm/ConstExpr.h - Core constant expressions ---------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Constant expressions (global and table initialisers, segment offsets,
/// element items) as the module reader decodes them. They are kept apart from
/// the section walker because they are a small instruction decoder of their
/// own: only the instructions a constant expression may hold are known,
/// which is what lets the reader find the final `end` without a full opcode
/// table.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WASM_CONSTEXPR_H
#define WCL_WASM_CONSTEXPR_H

#include "wcl/Wasm/BinaryReader.h"
#include "wcl/Wasm/CoreTypes.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <optional>
#include <string>

namespace wcl {
namespace wasm {

/// One instruction of a constant expression.
struct ConstInstr {
  enum class Op : uint8_t {
    I32Const,
    I64Const,
    F32Const,
    F64Const,
    V128Const,
    GlobalGet,
    RefNull,
    RefFunc,
    // extended-const
    I32Add,
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
    // GC
    StructNew,
    StructNewDefault,
    ArrayNew,
    ArrayNewDefault,
    ArrayNewFixed,
    RefI31,
    AnyConvertExtern,
    ExternConvertAny,
  };
  Op op = Op::I32Const;
  /// I32Const/I64Const: the value; F32Const/F64Const: the IEEE bits;
  /// GlobalGet/RefFunc: the index; StructNew*/ArrayNew*: the type index.
  uint64_t imm = 0;
  /// ArrayNewFixed: the element count.
  uint32_t imm2 = 0;
  /// RefNull: the heap type.
  RefType refType;
  /// The instruction's bytes, opcode included (V128Const's value lives here).
  llvm::ArrayRef<uint8_t> bytes;
};

/// A constant expression: initialisers of globals, tables, element and data
/// segment offsets, element items.
struct ConstExpr {
  /// Absolute offset of the first instruction.
  uint64_t offset = 0;
  /// Every byte of the expression, the final `end` included.
  llvm::ArrayRef<uint8_t> bytes;
  /// The instructions, without the final `end`.
  llvm::SmallVector<ConstInstr, 1> instrs;

  /// The value of a lone `i32.const` / `i64.const`, if that is what this is.
  std::optional<int64_t> getIntConstant() const;
  /// The index of a lone `global.get`, if that is what this is.
  std::optional<uint32_t> getGlobalGet() const;
};

/// A constant expression up to and including its `end`.
llvm::Expected<ConstExpr> readConstExpr(BinaryReader &reader);

/// "i32.const 1024", "global.get 1 i32.const 16 i32.add", ...
std::string toString(const ConstInstr &instr);
std::string toString(const ConstExpr &expr);

} // namespace wasm
} // namespace wcl

#endif // WCL_WASM_CONSTEXPR_H
