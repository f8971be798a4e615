//===- Sort.h - Sorting vectors of heavy elements ---------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// sortIndirect: sorts a vector whose elements are expensive to move (symbols
/// holding SmallVectors) by sorting their indices and moving each element
/// once. A dylib's exports and imports are sorted this way; llvm::sort on
/// the elements themselves spent most of its time in SmallVector moves.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_SUPPORT_SORT_H
#define WCL_SUPPORT_SORT_H

#include "llvm/ADT/STLExtras.h"
#include <cstdint>
#include <numeric>
#include <vector>

namespace wcl {

/// Sorts \p elements by \p less. Like llvm::sort, the order of elements that
/// compare equal is unspecified, so \p less should order every field that
/// tells elements apart.
template <typename T, typename Less>
void sortIndirect(std::vector<T> &elements, Less less) {
  std::vector<uint32_t> order(elements.size());
  std::iota(order.begin(), order.end(), 0);
  llvm::sort(order, [&](uint32_t a, uint32_t b) {
    return less(elements[a], elements[b]);
  });
  std::vector<T> sorted;
  sorted.reserve(elements.size());
  for (uint32_t i : order)
    sorted.push_back(std::move(elements[i]));
  elements = std::move(sorted);
}

} // namespace wcl

#endif // WCL_SUPPORT_SORT_H
