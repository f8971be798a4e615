//===- Adapters.h - Adapters prepared for a component -----------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// An adapter (`--adapt`, the WASI preview1 adapters) is a hand-written
/// module that exports far more than one program uses. Before it joins a
/// component it is reduced to the exports that are required and rebuilt the
/// way wit-component's adapter GC rebuilds it, because the adapter runs
/// without a libc of its own:
///
/// - its `__main_module__::cabi_realloc` (or `canonical_abi_realloc`)
///   import is bound to the main module's realloc under that module's
///   export name; when main has none (or --realloc-via-memory-grow), the
///   import becomes a local function that allocates whole pages with
///   `memory.grow`;
/// - an adapter with a `__stack_pointer` global gets a stack: with an
///   `allocation_state` global and main's realloc, every export first calls
///   `allocate_stack`, which allocates one page through realloc the first
///   time (lazily, so that realloc may call back into the adapter); otherwise
///   a start function allocates it eagerly.
///
/// The output lists items in wit-component's order (imports by kind:
/// memories, tables, globals, functions), so that components come out as
/// wasm-tools writes them. Liveness is wasm::ModuleGC's.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_ENCODER_ADAPTERS_H
#define WCL_LIB_ENCODER_ADAPTERS_H

#include "wcl/Encoder/ComponentEncoder.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace wcl {

/// Reduces adapter \p mod to the exports \p required and what they reach.
/// \p mainRealloc is the export name of the main module's realloc to bind
/// the adapter's realloc import to, if any.
llvm::Expected<std::vector<uint8_t>>
gcAdapter(const wasm::CoreModule &mod, llvm::ArrayRef<std::string> required,
          std::optional<llvm::StringRef> mainRealloc);

namespace encoder {

/// An adapter reduced for one main module: its module (parsed from bytes the
/// caller's buffers own) and what it takes from main.
struct PreparedAdapter {
  const wasm::CoreModule *module = nullptr;
  LibraryArgs args;
};

/// Prepares adapter \p name (module \p adapter) for instantiation after
/// \p main: nothing if main imports nothing from it and its world exports
/// nothing (wit-component leaves such an adapter out); otherwise the
/// adapter garbage-collected down to what main imports from it and what its
/// world exports, with bytes appended to \p buffers and the parsed module
/// to \p modules, and arguments that take its `__main_module__` imports
/// from main's exports and `env.memory` from main's memory. The interfaces
/// its world imports are added to \p worldImports.
llvm::Expected<std::optional<PreparedAdapter>>
prepareAdapter(llvm::StringRef name, const wasm::CoreModule &adapter,
               const wasm::CoreModule &main, const EncoderOptions &options,
               std::deque<std::vector<uint8_t>> &buffers,
               std::deque<wasm::CoreModule> &modules,
               llvm::StringSet<> &worldImports);

} // namespace encoder
} // namespace wcl

#endif // WCL_LIB_ENCODER_ADAPTERS_H
