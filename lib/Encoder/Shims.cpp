//===- Shims.cpp - The shim module ----------------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Builds the shim module (see Shims.h): one forwarding stub per shim, the
/// memory main imports, and the TLS base of a module built for threads that
/// runs without them.
///
//===----------------------------------------------------------------------===//

#include "Shims.h"
#include "wcl/Wasm/Instructions.h"
#include "wcl/Wasm/Writer.h"
#include <map>

using namespace llvm;
using namespace wcl;
using namespace wcl::encoder;
using wasm::ExternType;

std::vector<uint8_t>
encoder::buildShimModule(ArrayRef<Shim> shims, bool returnCallRef,
                         const std::optional<wasm::MemoryType> &memory,
                         const std::optional<wasm::ValType> &tlsBase) {
  wasm::CoreModuleBuilder module;
  uint32_t tableIndex = 0;
  if (!returnCallRef && !shims.empty()) {
    wasm::TableType table;
    table.elemType = wasm::funcRef();
    table.limits.min = shims.size();
    table.limits.max = shims.size();
    tableIndex = module.addTable(table);
  }
  auto toBytes = [](const std::vector<uint8_t> &v) {
    return ArrayRef<uint8_t>(v);
  };
  std::map<uint32_t, uint32_t> trapStubs;
  for (unsigned i = 0; i < shims.size(); ++i) {
    uint32_t type = module.addType(shims[i].type);
    std::optional<uint32_t> global;
    if (returnCallRef) {
      // Until the fixup runs, each global holds a stub that traps; one
      // stub per signature, defined before the first shim that needs it.
      auto [it, isNew] = trapStubs.try_emplace(type, 0);
      if (isNew) {
        std::vector<uint8_t> trap = wasm::encodeInstructions(
            [](wasm::InstrEmitter &e) { e.unreachable().end(); });
        it->second = module.addFunction(type, {}, toBytes(trap));
        module.names().setFunctionName(it->second,
                                       "trap stub before initialization");
      }
      uint32_t stub = it->second;
      wasm::GlobalType gt;
      gt.type.code = 0x64; // (ref $type)
      gt.type.ref.nullable = false;
      gt.type.ref.heapType = type;
      gt.mutable_ = true;
      global = module.addGlobal(gt, wasm::InitExpr::refFunc(stub));
      module.addExport("g" + std::to_string(i), ExternType::Kind::Global,
                       *global);
    }
    std::vector<uint8_t> code =
        wasm::encodeInstructions([&](wasm::InstrEmitter &ins) {
          for (unsigned p = 0; p < shims[i].type.params.size(); ++p)
            ins.localGet(p);
          if (returnCallRef)
            ins.globalGet(*global).returnCallRef(type);
          else
            ins.i32Const(static_cast<int32_t>(i))
                .callIndirect(type, tableIndex);
          ins.end();
        });
    uint32_t f = module.addFunction(type, {}, toBytes(code));
    module.addExport(std::to_string(i), ExternType::Kind::Func, f);
    module.names().setFunctionName(f, shims[i].debugName);
  }
  if (!returnCallRef && !shims.empty())
    module.addExport("$imports", ExternType::Kind::Table, tableIndex);
  if (memory)
    module.addExport("$memory", ExternType::Kind::Memory,
                     module.addMemory(*memory));
  // Without threads, the TLS base of a module built for them is a global
  // here, read and written through two accessors.
  if (tlsBase) {
    wasm::FuncType getType, setType;
    getType.results.push_back(*tlsBase);
    setType.params.push_back(*tlsBase);
    uint32_t getIndex = module.addType(getType),
             setIndex = module.addType(setType);
    wasm::GlobalType gt;
    gt.type = *tlsBase;
    gt.mutable_ = true;
    uint32_t global =
        module.addGlobal(gt, wasm::isSameValType(*tlsBase, wasm::i64Type())
                                 ? wasm::InitExpr::i64Const(0)
                                 : wasm::InitExpr::i32Const(0));
    std::vector<uint8_t> getCode = wasm::encodeInstructions(
        [&](wasm::InstrEmitter &e) { e.globalGet(global).end(); });
    std::vector<uint8_t> setCode = wasm::encodeInstructions(
        [&](wasm::InstrEmitter &e) { e.localGet(0).globalSet(global).end(); });
    uint32_t get = module.addFunction(getIndex, {}, toBytes(getCode));
    uint32_t set = module.addFunction(setIndex, {}, toBytes(setCode));
    module.addExport("$get-tls-base", ExternType::Kind::Func, get);
    module.addExport("$set-tls-base", ExternType::Kind::Func, set);
    module.names().setFunctionName(get, "$get-tls-base");
    module.names().setFunctionName(set, "$set-tls-base");
  }
  module.names().setModuleName("wit-component:shim");
  return module.finish();
}

/// The shim through which a lowering reaches \p realloc.
Shim encoder::reallocShim(const ReallocSource &realloc) {
  wasm::FuncType sig;
  sig.params.assign(4, wasm::i32Type());
  sig.results.push_back(wasm::i32Type());
  return Shim{Shim::Kind::Realloc,
              "realloc-" + realloc.module + "-" + realloc.exportName, sig,
              realloc.module, realloc.exportName};
}
