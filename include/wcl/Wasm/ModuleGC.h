//===- wcl/Wasm/ModuleGC.h - Dead item removal for core modules -*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Garbage collection of a core module down to what a set of exports needs:
/// the reusable core of wit-component's adapter GC (`gc.rs`). Liveness starts
/// from the root exports, the start function and any extra roots, and follows
/// every index: function bodies, constant expressions, types (a live type
/// keeps its whole rec group, since rec groups define type identity),
/// imports, and segments. An active element segment is live when its table
/// is, an active data segment when its memory is; passive segments when an
/// instruction names them. Declarative element segments are kept, trimmed to
/// live functions, while a live `ref.func` needs them, and a function whose
/// only declaration was dropped (an export, a dead global) is declared in a
/// new declarative segment so that the output still validates.
///
/// The output keeps the live items in their original order with every index
/// remapped (IndexMaps, dense and monotone). Sections and items are copied
/// byte for byte unless something in them changes, so a module in which
/// everything is live comes out identical. Custom sections are kept in
/// place; the `name` section is renumbered, dropping entries of removed
/// items. Non-root exports are removed.
///
/// Adapter-specific transforms (importing cabi_realloc, injecting stack
/// allocation) build on this: extra roots keep what they will use,
/// getMaps() gives the new indices, and ModuleGCOptions::rewriteBody lets
/// them re-encode live function bodies themselves.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WASM_MODULEGC_H
#define WCL_WASM_MODULEGC_H

#include "wcl/Wasm/Instructions.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <memory>
#include <vector>

namespace wcl {
namespace wasm {

struct ModuleGCOptions {
  /// Keep the `name` section, renumbered; otherwise drop it.
  bool keepNames = true;
  /// Keep custom sections other than `name`, as they are.
  bool keepCustomSections = true;
  /// Drop `.debug_*` custom sections when any function body or the set of
  /// functions changed, since their code offsets would be stale.
  bool stripStaleDebugInfo = true;
  /// Writes a live defined function's body (local declarations and code,
  /// without the size prefix) in place of rewriteFunctionBody. \p oldIndex
  /// is the function's index in the input. Transforms that add instructions
  /// to some functions use it (rewriteLocals + their code + rewriteExpr).
  llvm::function_ref<llvm::Error(uint32_t oldIndex, const FunctionBody &body,
                                 const IndexMaps &maps, llvm::raw_ostream &os)>
      rewriteBody;
};

class ModuleGC {
public:
  /// \p mod and its bytes must outlive this object.
  explicit ModuleGC(const CoreModule &mod);
  ~ModuleGC();
  ModuleGC(const ModuleGC &) = delete;
  ModuleGC &operator=(const ModuleGC &) = delete;

  /// Keeps export \p name and what it reaches; an error when the module has
  /// no such export.
  llvm::Error addRootExport(llvm::StringRef name);
  /// Keeps every export.
  void addAllExports();
  /// Keeps item \p index of \p kind (a module index space) even when nothing
  /// reaches it, e.g. a global a later transform uses.
  void addRoot(IndexKind kind, uint32_t index);

  /// Computes liveness. An error for malformed input or an index out of
  /// range.
  llvm::Error run();

  /// After run(): whether item \p index of \p kind is kept.
  bool isLive(IndexKind kind, uint32_t index) const;
  /// After run(): the old -> new index maps of the output. Element segments
  /// the GC adds come after the mapped ones.
  const IndexMaps &getMaps() const;
  /// After run(): the reduced module.
  llvm::Expected<std::vector<uint8_t>>
  emit(const ModuleGCOptions &options = {}) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

/// Reduces \p mod to what the exports \p roots need.
llvm::Expected<std::vector<uint8_t>>
gcModule(const CoreModule &mod, llvm::ArrayRef<llvm::StringRef> roots,
         const ModuleGCOptions &options = {});

} // namespace wasm
} // namespace wcl

#endif // WCL_WASM_MODULEGC_H
