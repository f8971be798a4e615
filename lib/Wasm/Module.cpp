//===- Module.cpp - The decoded core module -------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The queries users ask of a decoded CoreModule (a function's type, an
/// export by name, a custom section), and the section-id tables the reader,
/// the dumper and the module GC share: names as llvm-readobj prints them,
/// and each section's rank in the order the spec requires.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/Module.h"
#include "llvm/BinaryFormat/Wasm.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::wasm;

const FuncType *CoreModule::getFuncType(uint32_t typeIndex) const {
  if (typeIndex >= types.size())
    return nullptr;
  const CompositeType &comp = types[typeIndex].composite;
  return comp.kind == CompositeType::Kind::Func ? &comp.func : nullptr;
}

std::optional<uint32_t>
CoreModule::getFunctionTypeIndex(uint32_t funcIndex) const {
  if (funcIndex < numImportedFuncs) {
    for (const ImportEntry &imp : imports)
      if (imp.type.kind == ExternType::Kind::Func && imp.index == funcIndex)
        return imp.type.funcType;
    return std::nullopt;
  }
  uint32_t defined = funcIndex - numImportedFuncs;
  if (defined < funcTypes.size())
    return funcTypes[defined];
  return std::nullopt;
}

const Export *CoreModule::findExport(StringRef name) const {
  for (const Export &exp : exports)
    if (exp.name == name)
      return &exp;
  return nullptr;
}

const Section *CoreModule::findCustomSection(StringRef name) const {
  for (const Section &sec : sections)
    if (sec.isCustom() && sec.name == name)
      return &sec;
  return nullptr;
}

StringRef wcl::wasm::toString(ElemSegment::Mode mode) {
  switch (mode) {
  case ElemSegment::Mode::Active:
    return "active";
  case ElemSegment::Mode::Passive:
    return "passive";
  case ElemSegment::Mode::Declarative:
    return "declarative";
  }
  return "";
}

StringRef wcl::wasm::toString(DataSegment::Mode mode) {
  return mode == DataSegment::Mode::Active ? "active" : "passive";
}

StringRef wcl::wasm::sectionIdName(uint8_t id) {
  switch (id) {
  case llvm::wasm::WASM_SEC_CUSTOM:
    return "CUSTOM";
  case llvm::wasm::WASM_SEC_TYPE:
    return "TYPE";
  case llvm::wasm::WASM_SEC_IMPORT:
    return "IMPORT";
  case llvm::wasm::WASM_SEC_FUNCTION:
    return "FUNCTION";
  case llvm::wasm::WASM_SEC_TABLE:
    return "TABLE";
  case llvm::wasm::WASM_SEC_MEMORY:
    return "MEMORY";
  case llvm::wasm::WASM_SEC_GLOBAL:
    return "GLOBAL";
  case llvm::wasm::WASM_SEC_EXPORT:
    return "EXPORT";
  case llvm::wasm::WASM_SEC_START:
    return "START";
  case llvm::wasm::WASM_SEC_ELEM:
    return "ELEM";
  case llvm::wasm::WASM_SEC_CODE:
    return "CODE";
  case llvm::wasm::WASM_SEC_DATA:
    return "DATA";
  case llvm::wasm::WASM_SEC_DATACOUNT:
    return "DATACOUNT";
  case llvm::wasm::WASM_SEC_TAG:
    return "TAG";
  default:
    return "";
  }
}

/// The position of each non-custom section in the order the spec requires.
/// The tag section sits between memory and global; datacount before code.
unsigned wcl::wasm::sectionRank(uint8_t id) {
  switch (id) {
  case llvm::wasm::WASM_SEC_TYPE:
    return 1;
  case llvm::wasm::WASM_SEC_IMPORT:
    return 2;
  case llvm::wasm::WASM_SEC_FUNCTION:
    return 3;
  case llvm::wasm::WASM_SEC_TABLE:
    return 4;
  case llvm::wasm::WASM_SEC_MEMORY:
    return 5;
  case llvm::wasm::WASM_SEC_TAG:
    return 6;
  case llvm::wasm::WASM_SEC_GLOBAL:
    return 7;
  case llvm::wasm::WASM_SEC_EXPORT:
    return 8;
  case llvm::wasm::WASM_SEC_START:
    return 9;
  case llvm::wasm::WASM_SEC_ELEM:
    return 10;
  case llvm::wasm::WASM_SEC_DATACOUNT:
    return 11;
  case llvm::wasm::WASM_SEC_CODE:
    return 12;
  case llvm::wasm::WASM_SEC_DATA:
    return 13;
  default:
    return 0;
  }
}
