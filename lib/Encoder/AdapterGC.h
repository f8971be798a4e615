//===- AdapterGC.h - Reduce an adapter module to what is used ---*- C++ -*-===//
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

#ifndef WCL_LIB_ENCODER_ADAPTERGC_H
#define WCL_LIB_ENCODER_ADAPTERGC_H

#include "wcl/Wasm/ModuleReader.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
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

} // namespace wcl

#endif // WCL_LIB_ENCODER_ADAPTERGC_H
