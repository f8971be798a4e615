//===- Classify.h - What satisfies each core import -------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Classification (wit-component's validation.rs): every import of every
/// module is matched, in its legacy spelling, against what can satisfy it:
/// a linker item, a function of the world (lowered directly or through a
/// shim), a resource intrinsic, a context slot, a threading accessor or one
/// of the component model's built-ins. An import nothing satisfies is an
/// error that names it and says what is missing.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_ENCODER_CLASSIFY_H
#define WCL_LIB_ENCODER_CLASSIFY_H

#include "CoreNames.h"
#include "EncodingState.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <vector>

namespace wcl {
namespace encoder {

/// One import of a module and how it will be satisfied.
struct ResolvedImport {
  llvm::StringRef module, field;
  wasm::ExternType::Kind kind;
  /// Either an item (from main or a library instance) or an intrinsic.
  const LibraryItem *item = nullptr;
  std::optional<Intrinsic> intrinsic;
};

/// A WIT function import's name without the `[async-lower]` that asks for
/// an async lowering.
inline llvm::StringRef withoutAsyncLower(llvm::StringRef field) {
  field.consume_front("[async-lower]");
  return field;
}

/// The resource \p name of interface \p iface, if it has one.
std::optional<wit::TypeId> findResource(const wit::Resolve &resolve,
                                        wit::InterfaceId iface,
                                        llvm::StringRef name);

/// `[future-OP-N]f` / `[stream-OP-N]f` (N an index into f's futures and
/// streams, or `unit`), with `[async-lower]` for the operations that may
/// block. A unit payload is a type added to \p resolve.
std::optional<BuiltinSpec>
classifyPayload(wit::Resolve &resolve, std::optional<wit::WorldId> world,
                llvm::StringRef module, llvm::StringRef field,
                const std::optional<ReallocSource> &realloc);

/// Classifies the imports of the main module: functions of libraries and
/// adapters (\p libraries) become shims; the rest are intrinsics and WIT
/// functions. Imports come grouped by module, as wit-component walks them.
llvm::Expected<std::vector<ResolvedImport>>
resolveMainImports(const wasm::CoreModule &main, const CoreNames &names,
                   const llvm::StringSet<> &libraries,
                   std::optional<wit::WorldId> world, EncodingState &state);

/// Classifies a library's imports: linker items (\p args) first, then the
/// intrinsics the component model provides.
llvm::Expected<std::vector<ResolvedImport>>
resolveLibraryImports(llvm::StringRef libName, const wasm::CoreModule &mod,
                      const CoreNames &names, const CoreNames *mainNames,
                      const LibraryArgs &args,
                      std::optional<wit::WorldId> world, EncodingState &state);

} // namespace encoder
} // namespace wcl

#endif // WCL_LIB_ENCODER_CLASSIFY_H
