//===- wcl/Link/Linker.h - The shared-everything linker ---------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The shared-everything linker composes dynamic libraries (core modules with
/// dylink.0) into one component, as `wasm-tools component link` does. It
/// works in named phases over the libraries' DylibMetadata:
///
///   checkNeeded -> resolveSymbols -> (stubs) -> findDependencies ->
///   findUnreachable -> topoSort -> findEnvExports -> checkEntryPoints
///
/// (the memory and table layout is computed from the plan afterwards, by
/// computeLayout in Layout.h).
///
/// Each input is parsed once, before planning (InputModule). Adding the stub
/// library or dropping unreachable libraries restarts the
/// phases with the new library list, as wit-component does, so every phase
/// sees a consistent set. The result is a LinkPlan: everything the env
/// module, the fixup code, the component wiring and the --Map report need.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LINK_LINKER_H
#define WCL_LINK_LINKER_H

#include "wcl/Dylink/DylibMetadata.h"
#include "wcl/Link/InputModule.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wcl {

class Diagnostics;

/// The libdl.so that --use-built-in-libdl adds (built from
/// lib/Link/libdl/libdl.c).
llvm::ArrayRef<uint8_t> getBuiltinLibdl();

/// Name under which the built-in libdl is linked; `needed` entries and
/// dlopen lookups use it.
inline constexpr llvm::StringLiteral BuiltinLibdlName = "libdl.so";

/// wit-component's default stack: 16 pages.
inline constexpr uint32_t DefaultStackSize = 16 * 65536;

struct LinkOptions {
  uint32_t stackSize = DefaultStackSize;
  bool stubMissingFunctions = false;
  bool useBuiltInLibdl = false;
  /// Names of --adapt adapters: imports from these modules are adapter
  /// imports, not component imports.
  std::vector<std::string> adapterNames;
};

/// A library of the final link and why it is in it.
struct PlannedLibrary {
  /// The parsed input (shared with the linker and the other plans).
  std::shared_ptr<const InputModule> input;
  bool dlOpenable = false;
  /// Transitive dependencies in discovery order (may contain the library
  /// itself when it imports its own exports).
  llvm::SetVector<unsigned> dependencies;

  const dylink::DylibMetadata &meta() const { return input->meta; }
};

/// A library dropped because nothing reachable needs it.
struct DroppedLibrary {
  std::string name;
  std::string reason;
};

/// A function the env module re-exports through the shared table, because
/// a GOT.func entry needs a table slot or an import cannot be satisfied
/// directly (a cycle, or a self-import).
struct EnvExport {
  llvm::StringRef name;
  dylink::FunctionType type;
  unsigned exporter;
};

/// Where each symbol import of the link was resolved.
struct SymbolResolution {
  /// ExportKey -> index of the first library exporting it, for env functions,
  /// GOT.mem data and tags (wit-component resolves by key, globally).
  llvm::DenseMap<dylink::ExportKey, unsigned> byKey;
  /// Function name -> first library exporting a function of that name, for
  /// GOT.func entries (which bind by name, whatever the signature). When
  /// several signatures share the name, the smallest ExportKey's first
  /// exporter is taken, so the choice does not depend on input order.
  llvm::DenseMap<llvm::StringRef, unsigned> functionsByName;
  std::optional<unsigned> cabiReallocExporter;
  std::optional<unsigned> taskHookExporter;
};

struct LinkPlan {
  LinkOptions options;
  /// Libraries in input order (plain and dl-openable interleaved as given;
  /// the stub library, if any, last).
  std::vector<PlannedLibrary> libraries;
  /// Library name -> index into libraries.
  llvm::StringMap<unsigned> libraryIndex;
  std::vector<DroppedLibrary> dropped;
  SymbolResolution resolution;
  /// Instantiation order.
  std::vector<unsigned> topoOrder;
  std::vector<EnvExport> envExports;
  bool reexportCabiRealloc = false;

  /// Index of the library called \p name, if any.
  std::optional<unsigned> findLibrary(llvm::StringRef name) const;
  /// The library that satisfies \p key, if any.
  std::optional<unsigned> exporterOf(const dylink::ExportKey &key) const;
};

class Linker {
public:
  /// With \p diags, the phases and restarts are traced under --verbose.
  explicit Linker(LinkOptions options, Diagnostics *diags = nullptr)
      : options(std::move(options)), diags(diags) {}

  /// An input library, parsed already; libraries keep the order they are
  /// added in.
  void addLibrary(std::shared_ptr<const InputModule> input) {
    inputs.push_back(std::move(input));
  }

  /// Runs the planning phases. Errors name the library and symbol.
  llvm::Expected<LinkPlan> plan();

private:
  LinkOptions options;
  Diagnostics *diags;
  std::vector<std::shared_ptr<const InputModule>> inputs;
};

} // namespace wcl

#endif // WCL_LINK_LINKER_H
