//===- wcl/Link/LinkFixups.h - The linker's part of the fixup ---*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What the shared-everything linker adds to the fixup module: GOT.mem
/// values, the dlopen table's global slots, data relocations and
/// constructors (in input order, after all instances exist), TLS library
/// info, the dlopen and env-forwarding table elements, and the data segments
/// of the dlopen table and TLS bookkeeping.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LINK_LINKFIXUPS_H
#define WCL_LINK_LINKFIXUPS_H

#include "wcl/Encoder/FixupModule.h"
#include "wcl/Link/Layout.h"
#include "wcl/Link/Linker.h"

namespace wcl {

/// The instance name the fixup imports a library's exports from.
inline llvm::StringRef fixupInstanceName(const PlannedLibrary &lib) {
  return lib.meta().name;
}

llvm::Error addLinkFixups(FixupModule &fixup, const LinkPlan &plan,
                          const Layout &layout);

} // namespace wcl

#endif // WCL_LINK_LINKFIXUPS_H
