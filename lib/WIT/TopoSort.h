//===- TopoSort.h - wit-parser's order for named items ----------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The topological sort the WIT resolver orders types and items with:
/// among the nodes whose dependencies are done, the earliest declared goes
/// first (wit-parser's order, which the printed and encoded output follow).
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_WIT_TOPOSORT_H
#define WCL_LIB_WIT_TOPOSORT_H

#include "wcl/WIT/SourceMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <functional>
#include <queue>
#include <string>
#include <vector>

namespace wcl {
namespace wit {

/// An edge to node \p target (~0 when the name is unknown), written at
/// \p span as \p name.
struct TopoDep {
  size_t target;
  Span span;
  std::string name;
};

/// The nodes of \p deps in dependency order; "KIND `name` does not exist"
/// for an unknown name, "KIND `name` depends on itself" for a cycle (at
/// the declaration when \p declSpan is given, else at the reference).
inline llvm::Expected<std::vector<size_t>>
topoSort(llvm::StringRef kind, const std::vector<std::vector<TopoDep>> &deps,
         llvm::function_ref<std::string(size_t)> nameOf,
         llvm::function_ref<Span(size_t)> declSpan = nullptr) {
  size_t n = deps.size();
  std::vector<size_t> remaining(n);
  std::vector<std::vector<size_t>> reverse(n);
  for (size_t i = 0; i < n; ++i) {
    remaining[i] = deps[i].size();
    for (const TopoDep &d : deps[i]) {
      if (d.target >= n)
        return spanError(d.span, kind + " `" + d.name + "` does not exist");
      reverse[d.target].push_back(i);
    }
  }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<size_t>> ready;
  for (size_t i = 0; i < n; ++i)
    if (remaining[i] == 0)
      ready.push(i);
  std::vector<size_t> order;
  while (!ready.empty()) {
    size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    for (size_t j : reverse[i])
      if (--remaining[j] == 0)
        ready.push(j);
  }
  if (order.size() == n)
    return order;
  for (size_t i = 0; i < n; ++i) {
    if (remaining[i] == 0)
      continue;
    for (const TopoDep &d : deps[i])
      if (remaining[d.target] != 0)
        return spanError(declSpan ? declSpan(d.target) : d.span,
                         kind + " `" + d.name + "` depends on itself");
  }
  return spanError({0, 0}, kind + " `" + nameOf(0) + "` depends on itself");
}

} // namespace wit
} // namespace wcl

#endif // WCL_LIB_WIT_TOPOSORT_H
