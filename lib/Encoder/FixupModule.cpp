//===- FixupModule.cpp - The fixup core module ----------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Builds the fixup module described in FixupModule.h.
///
//===----------------------------------------------------------------------===//

#include "wcl/Encoder/FixupModule.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace wcl;
using wasm::ExternType;

uint32_t FixupModule::internType(const wasm::FuncType &type) {
  return module.addType(type);
}

void FixupModule::useInstance(StringRef instance) {
  if (!is_contained(instances, instance))
    instances.push_back(instance.str());
}

void FixupModule::importMainMemoryAndTable() {
  if (hasMemoryAndTable)
    return;
  hasMemoryAndTable = true;
  useInstance("main");
  wasm::MemoryType memory; // minimum 0: any memory satisfies it
  module.importMemory("main", "memory", memory);
  wasm::TableType table;
  table.elemType = wasm::funcRef();
  module.importTable("main", "__indirect_function_table", table);
}

uint32_t FixupModule::importGlobalOnce(StringRef instance, StringRef name,
                                       const wasm::GlobalType &type) {
  auto [it, inserted] = globals.try_emplace({instance.str(), name.str()}, 0);
  if (!inserted)
    return it->second;
  useInstance(instance);
  it->second = module.importGlobal(instance, name, type);
  module.names().setName(wasm::CoreNameKind::Global, it->second, name);
  return it->second;
}

uint32_t FixupModule::importGlobal(StringRef instance, StringRef name,
                                   bool isMutable) {
  wasm::GlobalType type;
  type.type = wasm::i32Type();
  type.mutable_ = isMutable;
  return importGlobalOnce(instance, name, type);
}

uint32_t FixupModule::importFuncRefGlobal(StringRef instance, StringRef name,
                                          uint32_t typeIndex) {
  wasm::GlobalType type;
  type.type.code = 0x64; // (ref $t), non-nullable
  type.type.ref.nullable = false;
  type.type.ref.heapType = typeIndex;
  type.mutable_ = true;
  return importGlobalOnce(instance, name, type);
}

uint32_t FixupModule::importFunc(StringRef instance, StringRef name,
                                 const wasm::FuncType &type) {
  auto [it, inserted] = funcs.try_emplace({instance.str(), name.str()}, 0);
  if (!inserted)
    return it->second;
  useInstance(instance);
  it->second = module.importFunc(instance, name, internType(type));
  module.names().setFunctionName(it->second, name);
  return it->second;
}

uint32_t FixupModule::addExportedFunction(StringRef exportName,
                                          StringRef debugName,
                                          const wasm::FuncType &type,
                                          ArrayRef<uint8_t> code,
                                          ArrayRef<wasm::ValType> locals) {
  uint32_t f = module.addFunction(internType(type), locals, code);
  module.names().setFunctionName(f, debugName);
  module.addExport(exportName, ExternType::Kind::Func, f);
  return f;
}

uint32_t FixupModule::addFunction(StringRef debugName,
                                  const wasm::FuncType &type,
                                  ArrayRef<uint8_t> code) {
  uint32_t f = module.addFunction(internType(type), {}, code);
  module.names().setFunctionName(f, debugName);
  return f;
}

void FixupModule::addAbiStep(ArrayRef<uint8_t> code) {
  abiCode.insert(abiCode.end(), code.begin(), code.end());
}

void FixupModule::prependAbiStep(ArrayRef<uint8_t> code) {
  abiCode.insert(abiCode.begin(), code.begin(), code.end());
}

void FixupModule::addUserStep(uint32_t func) { userCalls.push_back(func); }

uint32_t FixupModule::importTable(StringRef instance, StringRef name,
                                  uint32_t size) {
  useInstance(instance);
  wasm::TableType table;
  table.elemType = wasm::funcRef();
  table.limits.min = size;
  table.limits.max = size;
  return module.importTable(instance, name, table);
}

void FixupModule::addElementsToTable(uint32_t table, uint32_t offset,
                                     ArrayRef<uint32_t> elems) {
  hasSegments = true;
  // Table 0 takes the short encoding, as wasm-encoder writes it.
  module.elemSection().addActive(
      table == 0 ? std::nullopt : std::optional<uint32_t>(table),
      wasm::InitExpr::i32Const(static_cast<int32_t>(offset)), elems);
}

void FixupModule::addDeclaredElements(ArrayRef<uint32_t> funcs) {
  hasSegments = true;
  module.elemSection().addDeclared(funcs);
}

void FixupModule::addElements(uint32_t offset, ArrayRef<uint32_t> elems) {
  hasSegments = true;
  module.elemSection().addActive(
      std::nullopt, wasm::InitExpr::i32Const(static_cast<int32_t>(offset)),
      elems);
}

void FixupModule::addData(uint32_t offset, ArrayRef<uint8_t> bytes) {
  hasSegments = true;
  module.addActiveData(
      0, wasm::InitExpr::i32Const(static_cast<int32_t>(offset)), bytes);
}

bool FixupModule::empty() const {
  return instances.empty() && !hasSegments && abiCode.empty() &&
         userCalls.empty();
}

std::vector<uint8_t> FixupModule::finish() {
  // One user call and nothing else: that function is the start function
  // itself, no wrapper needed.
  if (abiCode.empty() && userCalls.size() == 1 && !taskHook) {
    module.setStart(userCalls.front());
  } else if (!abiCode.empty() || !userCalls.empty()) {
    std::vector<uint8_t> code =
        wasm::encodeInstructions([&](wasm::InstrEmitter &ins) {
          ins.raw(abiCode);
          if (taskHook && !userCalls.empty())
            ins.i32Const(6).call(*taskHook);
          for (uint32_t f : userCalls)
            ins.call(f);
          if (taskHook && !userCalls.empty())
            ins.i32Const(7).call(*taskHook);
          ins.end();
        });
    uint32_t start = module.addFunction(thunkType(), {}, code);
    module.names().setFunctionName(start, "start");
    module.setStart(start);
  }
  module.names().setModuleName("wit-component:fixups");
  return module.finish();
}
