//===- AliasReader.cpp - Component aliases --------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Reads an alias: an export of an instance, an export of a core instance,
/// or an item of an enclosing scope. Aliases appear both in alias sections
/// and in component and instance type declarations, so the reader is shared
/// by the section walker and the type reader. The sort rules it checks are
/// the ones that decide which index space the alias adds to.
///
//===----------------------------------------------------------------------===//

#include "ReaderParts.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::component;
using namespace wcl::component::reader;
using namespace wcl::wasm;

/// Only these sorts can be reached across scopes (Binary.md, outer aliases);
/// anything else cannot be given a meaning.
static bool isOuterAliasSort(SortKind sort) {
  if (sort.isCore())
    return sort.core == CoreSort::Module || sort.core == CoreSort::Type;
  return sort.sort == Sort::Type || sort.sort == Sort::Component;
}

Expected<Alias> reader::readAlias(BinaryReader &r) {
  Alias a;
  a.offset = r.offset();
  if (Error e = readSort(r).moveInto(a.sort))
    return std::move(e);
  uint64_t at = r.offset();
  uint8_t target;
  if (Error e = r.readU8().moveInto(target))
    return std::move(e);
  switch (target) {
  case 0x00:
  case 0x01:
    a.target = AliasTarget(target);
    if (a.target == AliasTarget::CoreExport && !a.sort.isCore())
      return BinaryReader::errorAt(a.offset,
                                   "core export alias of non-core sort " +
                                       component::toString(a.sort));
    if (Error e = r.readVarU32().moveInto(a.instance))
      return std::move(e);
    if (Error e = r.readName().moveInto(a.name))
      return std::move(e);
    return a;
  case 0x02:
    a.target = AliasTarget::Outer;
    if (!isOuterAliasSort(a.sort))
      return BinaryReader::errorAt(a.offset, "invalid outer alias sort " +
                                                 component::toString(a.sort));
    if (Error e = r.readVarU32().moveInto(a.count))
      return std::move(e);
    if (Error e = r.readVarU32().moveInto(a.outerIndex))
      return std::move(e);
    return a;
  default:
    return unknownByte(at, target, "alias target");
  }
}
