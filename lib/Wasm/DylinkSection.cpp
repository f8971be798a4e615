//===- DylinkSection.cpp - The dylink.0 section ---------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Decodes `dylink.0`. Each subsection is read through a sub-reader bounded
/// by its size and must be consumed exactly, so a subsection that says more
/// or less than its size is an error at the byte where they disagree.
/// Subsections of an unknown id are kept raw, as the convention lets new
/// ones be added.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/DylinkSection.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/Wasm.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::wasm;

/// Reads `vec(name)`.
template <typename VecT>
static Error readNameVector(BinaryReader &reader, VecT &out) {
  return reader.readVector(1, [&]() -> Error {
    StringRef s;
    if (Error e = reader.readName().moveInto(s))
      return e;
    out.push_back(s);
    return Error::success();
  });
}

static Error readMemInfo(BinaryReader &sub, DylinkInfo &info) {
  DylinkInfo::MemInfo mem;
  for (uint32_t *field : {&mem.memorySize, &mem.memoryAlignment, &mem.tableSize,
                          &mem.tableAlignment})
    if (Error e = sub.readVarU32().moveInto(*field))
      return e;
  info.memInfo = mem;
  return Error::success();
}

static Error readExportInfo(BinaryReader &sub, DylinkInfo &info) {
  return sub.readVector(2, [&]() -> Error {
    DylinkInfo::ExportInfo exp;
    if (Error e = sub.readName().moveInto(exp.name))
      return e;
    if (Error e = sub.readVarU32().moveInto(exp.flags))
      return e;
    info.exportInfo.push_back(exp);
    return Error::success();
  });
}

static Error readImportInfo(BinaryReader &sub, DylinkInfo &info) {
  return sub.readVector(3, [&]() -> Error {
    DylinkInfo::ImportInfo imp;
    if (Error e = sub.readName().moveInto(imp.module))
      return e;
    if (Error e = sub.readName().moveInto(imp.field))
      return e;
    if (Error e = sub.readVarU32().moveInto(imp.flags))
      return e;
    info.importInfo.push_back(imp);
    return Error::success();
  });
}

static Error readDylinkSubsection(uint8_t id, BinaryReader &sub,
                                  DylinkInfo &info) {
  switch (id) {
  case llvm::wasm::WASM_DYLINK_MEM_INFO:
    return readMemInfo(sub, info);
  case llvm::wasm::WASM_DYLINK_NEEDED:
    return readNameVector(sub, info.needed);
  case llvm::wasm::WASM_DYLINK_RUNTIME_PATH:
    return readNameVector(sub, info.runtimePath);
  case llvm::wasm::WASM_DYLINK_EXPORT_INFO:
    return readExportInfo(sub, info);
  case llvm::wasm::WASM_DYLINK_IMPORT_INFO:
    return readImportInfo(sub, info);
  default:
    info.unknown.push_back({id, sub.offset(), sub.data()});
    return sub.skip(sub.remaining());
  }
}

Expected<DylinkInfo> wcl::wasm::readDylinkSection(BinaryReader &reader) {
  DylinkInfo info;
  while (!reader.atEnd()) {
    uint8_t id;
    BinaryReader sub({});
    if (Error e = reader.readSubsection(id, sub))
      return std::move(e);
    if (Error e = readDylinkSubsection(id, sub, info))
      return std::move(e);
    if (Error e = sub.expectEnd("dylink.0 subsection " + utostr(id)))
      return std::move(e);
  }
  return info;
}
