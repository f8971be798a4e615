//===- wcl/Link/Layout.h - Memory and table layout of a link ----*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Where everything of a shared-everything link lives in the one linear
/// memory and the one function table, computed from a LinkPlan:
///
///   memory: [0, stack) stack | dlopen lookup table | TLS bookkeeping |
///           each library's data, aligned | heap up to the next page
///   table:  0 null | dlopen-able functions | each library's table region |
///           one slot per env re-export
///
/// It also renders the dlopen/dlsym lookup table byte for byte in the layout
/// wit-component's libdl (and wcl's own) binary-searches at run time.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LINK_LAYOUT_H
#define WCL_LINK_LAYOUT_H

#include "wcl/Link/Linker.h"
#include <optional>
#include <string>
#include <vector>

namespace wcl {

/// A global exported by the env module: an i32 with a constant initial value.
struct EnvGlobal {
  std::string name;
  uint32_t value = 0;
  bool isMutable = true;
};

/// The dlopen/dlsym lookup table.
struct DlTable {
  uint32_t memoryBase = 0;
  uint32_t tableBase = 0;
  std::vector<uint8_t> bytes;
  /// Address of the root `{count, libraries*}` record.
  uint32_t librariesAddress = 0;
  /// Functions that get table slots tableBase, tableBase+1, ... in order.
  std::vector<std::pair<unsigned, llvm::StringRef>> functions;
  /// Words the fixup must fill with `{lib}:memory_base + {lib}.{sym}`.
  struct GlobalSlot {
    unsigned library;
    llvm::StringRef symbol;
    uint32_t address;
  };
  std::vector<GlobalSlot> globalSlots;
};

/// Thread-local storage bookkeeping (the `__wasm_program_tls_info` struct and
/// the per-library base arrays).
struct TlsLayout {
  bool reserved = false;
  uint32_t mainThreadTlsBase = 0;
  uint32_t libraryInfo = 0;
  uint32_t programInfo = 0;
  /// Per library (input order): its slot, if it has TLS of its own.
  std::vector<std::optional<uint32_t>> slots;
  /// Static bytes of the program-info struct (empty unless requested).
  std::vector<uint8_t> programInfoBytes;
};

struct LibraryLayout {
  uint32_t memoryBase = 0;
  uint32_t tableBase = 0;
};

struct Layout {
  DlTable dl;
  TlsLayout tls;
  std::vector<LibraryLayout> libraries; ///< input order
  /// Globals the env module defines and exports, in definition order.
  std::vector<EnvGlobal> globals;
  /// First table slot of the env re-exports (plan.envExports[i] is at
  /// indirectionTableBase + i).
  uint32_t indirectionTableBase = 0;
  /// Minimum size of the shared table.
  uint32_t tableSize = 0;
  uint32_t heapBase = 0;
  uint32_t heapEnd = 0;
  uint32_t memoryPages = 0;
};

inline constexpr uint32_t PageSize = 65536;
inline constexpr uint32_t HeapAlignment = 16;

/// Lays out \p plan. Fails only if the layout overflows 32 bits.
llvm::Expected<Layout> computeLayout(const LinkPlan &plan);

} // namespace wcl

#endif // WCL_LINK_LAYOUT_H
