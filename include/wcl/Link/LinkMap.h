//===- wcl/Link/LinkMap.h - The --Map report --------------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// `--Map FILE` writes the link plan as text: each library's memory and table
/// placement, where every import of every library comes from, the GOT
/// entries, the order constructors run in, the dlopen table and the libraries
/// dropped as unreachable with the reason. It answers "why is my symbol
/// bound there" and "why is my library missing" without reading wasm.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LINK_LINKMAP_H
#define WCL_LINK_LINKMAP_H

#include "wcl/Link/Layout.h"
#include "wcl/Link/Linker.h"
#include "llvm/Support/raw_ostream.h"

namespace wcl {

void writeLinkMap(llvm::raw_ostream &os, const LinkPlan &plan,
                  const Layout &layout);

} // namespace wcl

#endif // WCL_LINK_LINKMAP_H
