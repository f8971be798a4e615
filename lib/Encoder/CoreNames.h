//===- CoreNames.h - Component-model names of core imports/exports -*- C++ -*-//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A core module names what it imports from and exports to its WIT world in
/// one of two manglings. The legacy one (`$root`, `[export]iface`,
/// `iface#f`, `cabi_post_f`, `[resource-drop]r`, `memory`, `cabi_realloc`)
/// and the standard one of WebAssembly/component-model#378 (`cm32p2`,
/// `cm32p2|iface` with the version cut to its semver track, `cm32p2|_ex_iface`,
/// `cm32p2|iface|f`, `_post`, `r_drop`, `r_dtor`, `cm32p2_memory`, ...).
///
/// CoreNames translates a module's standard names to their legacy spelling,
/// so that classification is written once; the module's own names are what
/// the component uses to instantiate it and alias its exports.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_ENCODER_CORENAMES_H
#define WCL_LIB_ENCODER_CORENAMES_H

#include "wcl/WIT/Resolve.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wcl {

class CoreNames {
public:
  /// The names of \p mod, whose world is \p world. With \p rejectLegacy only
  /// standard names count: legacy exports are ignored and a legacy function
  /// import is an error unless \p providedElsewhere claims it (a linker item
  /// or an adapter export).
  static llvm::Expected<CoreNames>
  get(const wasm::CoreModule &mod, const wit::Resolve &resolve,
      std::optional<wit::WorldId> world, bool rejectLegacy,
      llvm::function_ref<bool(const wasm::ImportEntry &)> providedElsewhere);

  /// The module and field of \p imp, an import of this module, spelled the
  /// legacy way.
  llvm::StringRef importModule(const wasm::ImportEntry &imp) const {
    return imports[&imp - firstImport].first;
  }
  llvm::StringRef importField(const wasm::ImportEntry &imp) const {
    return imports[&imp - firstImport].second;
  }
  /// The export whose legacy spelling is \p legacyName, if any.
  const wasm::Export *findExport(llvm::StringRef legacyName) const;
  /// Like findExport, but only a function export.
  const wasm::Export *findFunc(llvm::StringRef legacyName) const;
  /// The exports with a component-model meaning, in the module's order, each
  /// with its legacy spelling.
  llvm::ArrayRef<std::pair<std::string, const wasm::Export *>>
  orderedExports() const {
    return ordered;
  }

private:
  const wasm::ImportEntry *firstImport = nullptr;
  std::vector<std::pair<std::string, std::string>> imports;
  std::vector<std::pair<std::string, const wasm::Export *>> ordered;
  std::map<std::string, const wasm::Export *, std::less<>> exports;
};

/// The field an import had before deduplication renamed it: `f` for
/// `f [v2]` (wit-component renames the later copies of a repeated import).
llvm::StringRef originalImportField(llvm::StringRef field);

} // namespace wcl

#endif // WCL_LIB_ENCODER_CORENAMES_H
