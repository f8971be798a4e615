//===- wcl/Dylink/DylibMetadata.h - A dylib for the linker ------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// DylibMetadata is one flat record per input library, made in a single pass
/// over the module wasm::readCoreModule decoded: its dylink.0 information, its
/// imports sorted into the groups the shared-everything linker resolves
/// differently (env functions, GOT.mem and GOT.func symbols, tags, adapter
/// imports, linker-provided globals), its exports with their types, and flags
/// for the special exports a loader calls. The linker never looks at the module
/// again except to copy its bytes.
///
/// Sets are kept sorted in the orders wit-component uses (names bytewise,
/// value types I32 < I64 < F32 < F64, function types by params then
/// results), because those orders reach the output: global order, env
/// re-export order, error messages.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_DYLINK_DYLIBMETADATA_H
#define WCL_DYLINK_DYLIBMETADATA_H

#include "wcl/Wasm/Binary.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMapInfo.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace wcl {
namespace dylink {

/// The core value types a symbol of a dylib may have.
enum class ValueType : uint8_t { I32, I64, F32, F64 };

struct FunctionType {
  llvm::SmallVector<ValueType, 4> params;
  llvm::SmallVector<ValueType, 1> results;
};
bool operator==(const FunctionType &a, const FunctionType &b);
bool operator<(const FunctionType &a, const FunctionType &b);

struct GlobalSig {
  ValueType type = ValueType::I32;
  bool isMutable = false;
  bool shared = false;
};

/// The type a symbol is exported or imported with. Symbols match only when
/// their types are equal.
struct SymbolType {
  enum class Kind : uint8_t { Function, Global, Tag };
  Kind kind = Kind::Function;
  FunctionType func; ///< Function and Tag
  GlobalSig global;  ///< Global

  static SymbolType function(FunctionType ty);
  static SymbolType tag(FunctionType ty);
  static SymbolType globalOf(ValueType ty, bool isMutable);
};
bool operator==(const SymbolType &a, const SymbolType &b);
bool operator<(const SymbolType &a, const SymbolType &b);

/// "function [I32, I64] -> [F32]", "global mut I32", "tag [I32] -> []": the
/// spelling of wasm-tools' messages, which users and tests match on.
std::string toString(const SymbolType &type);
std::string toString(const FunctionType &type);
llvm::StringRef toString(ValueType type);

struct ExportKey {
  llvm::StringRef name;
  SymbolType type;
};
bool operator==(const ExportKey &a, const ExportKey &b);
bool operator<(const ExportKey &a, const ExportKey &b);
/// A hash consistent with operator==, for the symbol tables of a link.
llvm::hash_code hash_value(const ExportKey &key);

struct DylibExport {
  ExportKey key;
  /// dylink.0 EXPORT_INFO flags (e.g. WASM_SYMBOL_TLS), 0 if none.
  uint32_t flags = 0;
};

/// An `env` function import that another library must satisfy.
struct EnvImport {
  llvm::StringRef name;
  FunctionType type;
  /// dylink.0 IMPORT_INFO flags; WASM_SYMBOL_BINDING_WEAK marks weak imports.
  uint32_t flags = 0;
};

/// An `env` exception-tag import.
struct TagImport {
  llvm::StringRef name;
  FunctionType type;
};

/// An import from an adapter module (by the adapter's name).
struct AdapterImport {
  llvm::StringRef module;
  llvm::StringRef name;
  SymbolType type;
  uint32_t flags = 0;
};

/// dylink.0 MEM_INFO. Without one, wit-component assumes alignment 2^1 for
/// both; a MEM_INFO replaces all four fields.
struct MemInfo {
  uint32_t memorySize = 0;
  uint32_t memoryAlignment = 1;
  uint32_t tableSize = 0;
  uint32_t tableAlignment = 1;
};

struct DylibMetadata {
  /// The metadata of \p module, parsed already, as the library \p name.
  /// \p adapterNames are the names of --adapt adapters, whose imports are
  /// recorded separately. With \p requireDylink (every user input), a module
  /// without dylink.0 or with a memory of its own is rejected with an error
  /// that says how to build one; the linker's own stub library passes false.
  /// The result refers into \p module's bytes.
  static llvm::Expected<DylibMetadata>
  create(llvm::StringRef name, const wasm::CoreModule &module,
         llvm::ArrayRef<llvm::StringRef> adapterNames = {},
         bool requireDylink = true);

  std::string name;

  MemInfo memInfo;
  std::vector<llvm::StringRef> neededLibs;
  std::vector<llvm::StringRef> runtimePath;

  std::vector<EnvImport> envImports;                 ///< sorted, unique
  std::vector<llvm::StringRef> memoryAddressImports; ///< GOT.mem, sorted
  std::vector<llvm::StringRef> tableAddressImports;  ///< GOT.func, sorted
  std::vector<TagImport> tagImports;                 ///< sorted
  std::vector<AdapterImport> adapterImports;         ///< sorted
  std::vector<DylibExport> exports;                  ///< sorted by key

  /// Whether the world in the `component-type*` sections exports anything
  /// (a reachability root for pruning).
  bool hasComponentExports = false;

  bool hasDataRelocs = false;      ///< exports __wasm_apply_data_relocs
  bool hasCtors = false;           ///< exports __wasm_call_ctors
  bool hasInitialize = false;      ///< exports _initialize
  bool hasWasiStart = false;       ///< exports _start
  bool hasLibraryTlsInfo = false;  ///< exports __wasm_library_tls_info
  bool exportsCabiRealloc = false; ///< cabi_realloc: (i32 x4) -> i32
  bool exportsTaskHook = false;    ///< __wasm_task_hook: (i32) -> ()
  /// Exports __wasm_set_libraries: (i32) -> (), the older libdl protocol
  /// (wit-component before #2588 passed the dlopen table's address to it;
  /// the current protocol is the GOT.mem symbol __wasm_libdl_libraries).
  bool exportsSetLibraries = false;

  bool needsStackPointer = false;
  bool needsInitStackPointer = false;
  bool needsHeapBase = false;
  bool needsHeapEnd = false;
  bool needsStackHigh = false;
  bool needsStackLow = false;
  bool needsLibdlLibraries = false;
  bool needsProgramTlsInfo = false;
  bool needsGetTlsBase = false;
  bool needsSetTlsBase = false;
  bool isAsyncified = false;
  bool usesThreadNewIndirect = false;

  /// The export called \p name, if any.
  const DylibExport *findExport(llvm::StringRef name) const;
  /// The env import called \p name, if any.
  const EnvImport *findEnvImport(llvm::StringRef name) const;
};

} // namespace dylink
} // namespace wcl

/// ExportKey as a DenseMap key: symbol resolution looks every import up by
/// (name, type), so a link is linear in its symbols.
template <> struct llvm::DenseMapInfo<wcl::dylink::ExportKey> {
  using Key = wcl::dylink::ExportKey;
  static Key getEmptyKey() {
    return {DenseMapInfo<StringRef>::getEmptyKey(), {}};
  }
  static Key getTombstoneKey() {
    return {DenseMapInfo<StringRef>::getTombstoneKey(), {}};
  }
  static unsigned getHashValue(const Key &key) {
    return static_cast<unsigned>(hash_value(key));
  }
  static bool isEqual(const Key &a, const Key &b) {
    // The empty and tombstone names are sentinel pointers: compare them
    // as DenseMapInfo<StringRef> does, before looking at the types.
    if (!DenseMapInfo<StringRef>::isEqual(a.name, b.name))
      return false;
    return a.type == b.type;
  }
};

#endif // WCL_DYLINK_DYLIBMETADATA_H
