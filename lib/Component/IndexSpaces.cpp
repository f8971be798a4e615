//===- IndexSpaces.cpp - Sorts and index spaces ---------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Sorts, the index spaces they number items in, and the readers of the
/// sort productions. Every definition in a component appends to the index
/// space of its sort, so these mappings are what the section walker, the
/// dumper and the WIT decoder agree on when they say "core func 7". The
/// byte-level helpers every component production uses (flags, error
/// wording) live here too, as sorts are the smallest productions.
///
//===----------------------------------------------------------------------===//

#include "ReaderParts.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::component;
using namespace wcl::wasm;

std::string reader::hexByte(uint8_t b) { return "0x" + utohexstr(b, true, 2); }

Error reader::unknownByte(uint64_t at, uint8_t b, const Twine &what) {
  return BinaryReader::errorAt(at, "unknown " + what + " " + hexByte(b));
}

//===----------------------------------------------------------------------===//
// Sorts and index spaces
//===----------------------------------------------------------------------===//

IndexSpace SortKind::space() const {
  switch (sort) {
  case Sort::Core:
    switch (core) {
    case CoreSort::Func:
      return IndexSpace::CoreFunc;
    case CoreSort::Table:
      return IndexSpace::CoreTable;
    case CoreSort::Memory:
      return IndexSpace::CoreMemory;
    case CoreSort::Global:
      return IndexSpace::CoreGlobal;
    case CoreSort::Tag:
      return IndexSpace::CoreTag;
    case CoreSort::Type:
      return IndexSpace::CoreType;
    case CoreSort::Module:
      return IndexSpace::CoreModule;
    case CoreSort::Instance:
      return IndexSpace::CoreInstance;
    }
    break;
  case Sort::Func:
    return IndexSpace::Func;
  case Sort::Value:
    return IndexSpace::Value;
  case Sort::Type:
    return IndexSpace::Type;
  case Sort::Component:
    return IndexSpace::Component;
  case Sort::Instance:
    return IndexSpace::Instance;
  }
  llvm_unreachable("sort kinds are only built from decoded sort bytes");
}

SortKind wcl::component::sortOf(IndexSpace space) {
  switch (space) {
  case IndexSpace::CoreFunc:
    return SortKind::coreSort(CoreSort::Func);
  case IndexSpace::CoreTable:
    return SortKind::coreSort(CoreSort::Table);
  case IndexSpace::CoreMemory:
    return SortKind::coreSort(CoreSort::Memory);
  case IndexSpace::CoreGlobal:
    return SortKind::coreSort(CoreSort::Global);
  case IndexSpace::CoreTag:
    return SortKind::coreSort(CoreSort::Tag);
  case IndexSpace::CoreType:
    return SortKind::coreSort(CoreSort::Type);
  case IndexSpace::CoreModule:
    return SortKind::coreSort(CoreSort::Module);
  case IndexSpace::CoreInstance:
    return SortKind::coreSort(CoreSort::Instance);
  case IndexSpace::Func:
    return SortKind::of(Sort::Func);
  case IndexSpace::Value:
    return SortKind::of(Sort::Value);
  case IndexSpace::Type:
    return SortKind::of(Sort::Type);
  case IndexSpace::Component:
    return SortKind::of(Sort::Component);
  case IndexSpace::Instance:
    return SortKind::of(Sort::Instance);
  }
  llvm_unreachable("unknown index space");
}

std::string wcl::component::toString(SortKind sort) {
  if (sort.isCore())
    return ("core " + wasm::toString(sort.core)).str();
  return wasm::toString(sort.sort).str();
}

StringRef wcl::component::toString(IndexSpace space) {
  switch (space) {
  case IndexSpace::CoreFunc:
    return "CoreFunc";
  case IndexSpace::CoreTable:
    return "CoreTable";
  case IndexSpace::CoreMemory:
    return "CoreMemory";
  case IndexSpace::CoreGlobal:
    return "CoreGlobal";
  case IndexSpace::CoreTag:
    return "CoreTag";
  case IndexSpace::CoreType:
    return "CoreType";
  case IndexSpace::CoreModule:
    return "CoreModule";
  case IndexSpace::CoreInstance:
    return "CoreInstance";
  case IndexSpace::Func:
    return "Func";
  case IndexSpace::Value:
    return "Value";
  case IndexSpace::Type:
    return "Type";
  case IndexSpace::Component:
    return "Component";
  case IndexSpace::Instance:
    return "Instance";
  }
  llvm_unreachable("unknown index space");
}

SortKind ExternDesc::sort() const {
  switch (kind) {
  case ExternKind::CoreModule:
    return SortKind::coreSort(CoreSort::Module);
  case ExternKind::Func:
    return SortKind::of(Sort::Func);
  case ExternKind::Value:
    return SortKind::of(Sort::Value);
  case ExternKind::Type:
    return SortKind::of(Sort::Type);
  case ExternKind::Component:
    return SortKind::of(Sort::Component);
  case ExternKind::Instance:
    return SortKind::of(Sort::Instance);
  }
  llvm_unreachable("extern kinds are only built from decoded bytes");
}

const IndexEntry *Component::lookup(IndexSpace s, uint32_t index) const {
  const std::vector<IndexEntry> &entries = spaces[size_t(s)];
  return index < entries.size() ? &entries[index] : nullptr;
}

//===----------------------------------------------------------------------===//
// Reading sorts
//===----------------------------------------------------------------------===//

Expected<CoreSort> reader::readCoreSort(BinaryReader &r) {
  uint64_t at = r.offset();
  uint8_t b;
  if (Error e = r.readU8().moveInto(b))
    return std::move(e);
  switch (b) {
  case 0x00:
  case 0x01:
  case 0x02:
  case 0x03:
  case 0x04:
  case 0x10:
  case 0x11:
  case 0x12:
    return CoreSort(b);
  default:
    return unknownByte(at, b, "core sort");
  }
}

Expected<SortKind> reader::readSort(BinaryReader &r) {
  uint64_t at = r.offset();
  uint8_t b;
  if (Error e = r.readU8().moveInto(b))
    return std::move(e);
  switch (b) {
  case 0x00: {
    CoreSort core;
    if (Error e = readCoreSort(r).moveInto(core))
      return std::move(e);
    return SortKind::coreSort(core);
  }
  case 0x01:
  case 0x02:
  case 0x03:
  case 0x04:
  case 0x05:
    return SortKind::of(Sort(b));
  default:
    return unknownByte(at, b, "sort");
  }
}

Expected<SortIndex> reader::readSortIndex(BinaryReader &r) {
  SortIndex item;
  if (Error e = readSort(r).moveInto(item.sort))
    return std::move(e);
  if (Error e = r.readVarU32().moveInto(item.index))
    return std::move(e);
  return item;
}

Expected<bool> reader::readFlag(BinaryReader &r, const Twine &what) {
  uint64_t at = r.offset();
  uint8_t b;
  if (Error e = r.readU8().moveInto(b))
    return std::move(e);
  if (b > 1)
    return BinaryReader::errorAt(at, "invalid " + what + " flag " + hexByte(b) +
                                         " (expected 0 or 1)");
  return b == 1;
}
