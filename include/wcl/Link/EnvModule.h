//===- wcl/Link/EnvModule.h - The synthesized env module --------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The env ("main") module of a shared-everything link: it owns the memory,
/// the function table and the stack, exports every library's
/// `{lib}:memory_base`/`{lib}:table_base` and GOT globals, and forwards
/// functions that cannot be wired directly (cycles, GOT.func entries)
/// through `call_indirect` on the shared table. Every library instance
/// imports its `env`, `GOT.mem` and `GOT.func` items from it.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LINK_ENVMODULE_H
#define WCL_LINK_ENVMODULE_H

#include "wcl/Link/Layout.h"
#include "wcl/Link/Linker.h"
#include "wcl/Wasm/CoreTypes.h"
#include <vector>

namespace wcl {

/// wcl's function type as a core wasm one.
wasm::FuncType toCoreFuncType(const dylink::FunctionType &type);

/// The env module's bytes. The module has no name or data; the fixup code
/// fills what must be computed at instantiation time.
std::vector<uint8_t> buildEnvModule(const LinkPlan &plan, const Layout &layout);

} // namespace wcl

#endif // WCL_LINK_ENVMODULE_H
