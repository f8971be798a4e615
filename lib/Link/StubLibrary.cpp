//===- StubLibrary.cpp - Trapping stubs for missing functions -------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Writes the `wit-component:stubs` library. Unlike wit-component, a function
/// missing from several libraries gets one stub, not one export per
/// importer (which would make the module invalid).
///
//===----------------------------------------------------------------------===//

#include "StubLibrary.h"
#include "wcl/Link/EnvModule.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/StringSet.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::dylink;

std::vector<uint8_t> wcl::makeStubLibrary(ArrayRef<ExportKey> functions) {
  wasm::CoreModuleBuilder module;
  StringSet<> seen;
  const uint8_t trap[] = {0x00 /*unreachable*/, 0x0b /*end*/};
  for (const ExportKey &key : functions) {
    if (!seen.insert(key.name).second)
      continue;
    // One type per function, as wit-component writes it: type i is the
    // type of function i.
    wasm::RecGroup group;
    wasm::SubType sub;
    sub.composite.func = toCoreFuncType(key.type.func);
    group.types.push_back(std::move(sub));
    uint32_t type = module.addRecGroup(group);
    uint32_t f = module.addFunction(type, {}, trap);
    module.addExport(key.name, wasm::ExternType::Kind::Func, f);
  }
  return module.finish();
}
