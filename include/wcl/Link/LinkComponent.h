//===- wcl/Link/LinkComponent.h - A planned link to a component -*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The last phase of a shared-everything link: the env module, every library
/// wired to it and to the libraries instantiated before it, and the fixup
/// module, handed to the ComponentEncoder.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LINK_LINKCOMPONENT_H
#define WCL_LINK_LINKCOMPONENT_H

#include "wcl/Encoder/ComponentEncoder.h"
#include "wcl/Link/Layout.h"
#include "wcl/Link/Linker.h"

namespace wcl {

/// What each library of \p plan imports from `env`, `GOT.mem`, `GOT.func`
/// and adapters, and where each item comes from.
LibraryArgs libraryArgs(const LinkPlan &plan, unsigned library,
                        llvm::ArrayRef<bool> instantiated);

/// An --adapt adapter: its name (the import module it provides) and bytes.
struct AdapterInput {
  std::string name;
  llvm::ArrayRef<uint8_t> bytes;
};

llvm::Expected<std::vector<uint8_t>>
linkComponent(const LinkPlan &plan, const Layout &layout,
              const EncoderOptions &options,
              llvm::ArrayRef<AdapterInput> adapters = {});

} // namespace wcl

#endif // WCL_LINK_LINKCOMPONENT_H
