//===- wcl/WIT/CanonicalABI.h - Sizes, flattening, options -----*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The parts of the Canonical ABI (design/mvp/CanonicalABI.md) the encoder
/// needs: the size and alignment of a WIT type in linear memory, its
/// flattening into core value types, the core signature of a function when
/// it is lifted (exported) or lowered (imported), and which canonical
/// options (memory, realloc, string-encoding) that lift or lower needs.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WIT_CANONICALABI_H
#define WCL_WIT_CANONICALABI_H

#include "wcl/WIT/Resolve.h"
#include "wcl/Wasm/CoreTypes.h"
#include "llvm/ADT/SmallVector.h"

namespace wcl {
namespace wit {

/// MAX_FLAT_PARAMS and MAX_FLAT_RESULTS of the synchronous ABI.
constexpr unsigned MaxFlatParams = 16;
constexpr unsigned MaxFlatResults = 1;

struct SizeAlign {
  uint32_t size = 0;
  uint32_t align = 1;
};

/// elem_size / alignment of \p t (wasm32: pointers are 4 bytes).
SizeAlign sizeAlign(const Resolve &resolve, Type t);

/// Appends the flattening of \p t (flatten_type) to \p out.
void flatten(const Resolve &resolve, Type t,
             llvm::SmallVectorImpl<wasm::ValType> &out);

/// Whether a function is being lifted (a core export becomes a component
/// function) or lowered (a component function becomes a core import).
/// Which side of the boundary a core function is on: a lifted export or a
/// lowered import, each synchronous or async. An async lift either returns
/// a status code and is resumed through a callback (LiftAsync) or runs on
/// its own stack to completion (LiftAsyncStackful); either delivers its
/// result with `task.return`. An async lowering returns a subtask status and
/// writes its result through a pointer.
enum class AbiVariant : uint8_t {
  Lift,
  Lower,
  LiftAsync,
  LiftAsyncStackful,
  LowerAsync,
};

/// Flat parameters an async lowering passes directly; more go by pointer.
constexpr unsigned MaxFlatAsyncParams = 4;

/// The canonical options a lift or lower of a function needs.
struct RequiredOptions {
  bool memory = false;
  bool realloc = false;
  bool stringEncoding = false;
  /// The `async` option (async variants).
  bool async = false;
};

/// A function's core signature under one variant, and what it needs.
struct FunctionAbi {
  wasm::FuncType core;
  /// Parameters passed through memory (more than MaxFlatParams flat
  /// values): a lift receives a pointer, a lower passes one.
  bool paramsSpilled = false;
  /// Results returned through memory (more than MaxFlatResults flat
  /// values): a lift returns a pointer, a lower takes a return pointer.
  bool resultsSpilled = false;
  RequiredOptions options;
};

/// The core signature of \p f lifted or lowered with the synchronous ABI
/// and the canonical options it needs (wit-component's RequiredOptions):
/// - lower: memory for lists/strings anywhere or spilled values; realloc
///   for lists/strings in the result; string-encoding for strings.
/// - lift: memory for lists/strings anywhere or spilled values; realloc for
///   lists/strings in the params or spilled params; string-encoding for
///   strings.
FunctionAbi functionAbi(const Resolve &resolve, const Function &f,
                        AbiVariant variant);

} // namespace wit
} // namespace wcl

#endif // WCL_WIT_CANONICALABI_H
