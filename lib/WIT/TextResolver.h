//===- TextResolver.h - WIT syntax trees into a Resolve ---------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The resolver of one package's syntax trees (internal to the WIT layer;
/// Text.h is the public interface).
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_WIT_TEXTRESOLVER_H
#define WCL_LIB_WIT_TEXTRESOLVER_H

#include "wcl/WIT/AST.h"
#include "wcl/WIT/Text.h"

namespace wcl {
namespace wit {

/// One package's worth of syntax: its name, and the item lists of the
/// files (or the nested `package { ... }` block) that declare it.
struct UnresolvedPackage {
  ast::PackageName name;
  std::vector<const ast::PackageFile *> files;
};

/// Resolves \p pkg into \p resolve, whose existing packages are its
/// dependencies. On error \p resolve may hold a partial package; callers
/// work on a copy.
llvm::Expected<PackageId> resolvePackage(Resolve &resolve,
                                         const UnresolvedPackage &pkg,
                                         const Features &features);

/// Adds to world \p id the imports its items imply and orders its items
/// as wit-parser does; \p span is the world's, for errors.
llvm::Error elaborateWorld(Resolve &resolve, WorldId id, Span span);

/// A world's imports or exports while they are being built, in order.
using ItemList = std::vector<std::pair<WorldKey, WorldItem>>;

/// The item \p key names in \p list, if any.
inline WorldItem *findItem(ItemList &list, const WorldKey &key) {
  for (auto &[k, item] : list)
    if (k == key)
      return &item;
  return nullptr;
}

} // namespace wit
} // namespace wcl

#endif // WCL_LIB_WIT_TEXTRESOLVER_H
