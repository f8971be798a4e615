//===- ReaderParts.h - Component reader productions -------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The component reader is split the way wasmparser splits its component
/// readers: index spaces and sorts, types, aliases, canonical functions, the
/// name section, and the section walker that ties them together. This
/// private header declares what those files share: the small productions
/// (sorts, flags, value types, extern names and descriptions) and the reader
/// of each larger one. Each function reads one production from the cursor
/// and fails with an error at the offset of the first bad byte.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_COMPONENT_READERPARTS_H
#define WCL_LIB_COMPONENT_READERPARTS_H

#include "wcl/Component/ComponentReader.h"
#include "wcl/Wasm/BinaryReader.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace wcl {
namespace component {
namespace reader {

using wasm::BinaryReader;

/// Deeper nesting than this is refused rather than recursed into; real
/// components nest a handful of levels.
inline constexpr unsigned MaxNesting = 100;

/// "0x0a": how errors show a byte.
std::string hexByte(uint8_t b);
/// "unknown <what> 0x..": the error for a byte outside a production's set.
llvm::Error unknownByte(uint64_t at, uint8_t b, const llvm::Twine &what);

//===----------------------------------------------------------------------===//
// Sorts (IndexSpaces.cpp)
//===----------------------------------------------------------------------===//

llvm::Expected<wasm::CoreSort> readCoreSort(BinaryReader &r);
llvm::Expected<SortKind> readSort(BinaryReader &r);
llvm::Expected<SortIndex> readSortIndex(BinaryReader &r);
/// A 0x00/0x01 byte (async?, cancel?, sh?, and similar markers); \p what
/// names it in the error.
llvm::Expected<bool> readFlag(BinaryReader &r, const llvm::Twine &what);

//===----------------------------------------------------------------------===//
// Types (TypeReader.cpp)
//===----------------------------------------------------------------------===//

/// valtype: a primitive type code or a type index.
llvm::Expected<component::ValType> readCompValType(BinaryReader &r);
/// resultlist: 0x00 valtype, or 0x01 0x00 for no result.
llvm::Expected<std::optional<component::ValType>>
readResultList(BinaryReader &r);
llvm::Expected<ExternName> readExternName(BinaryReader &r);
llvm::Expected<ExternDesc> readExternDesc(BinaryReader &r);
/// core:type, as the core type section and instance/component type
/// declarations hold it.
llvm::Expected<CoreTypeDef> readCoreType(BinaryReader &r);
/// A type section entry (deftype); \p depth is how deeply the component or
/// type holding it is nested.
llvm::Expected<TypeDef> readTypeDef(BinaryReader &r, unsigned depth);

//===----------------------------------------------------------------------===//
// Aliases (AliasReader.cpp) and canonical functions (CanonReader.cpp)
//===----------------------------------------------------------------------===//

llvm::Expected<Alias> readAlias(BinaryReader &r);
llvm::Expected<Canon> readCanon(BinaryReader &r);

} // namespace reader
} // namespace component
} // namespace wcl

#endif // WCL_LIB_COMPONENT_READERPARTS_H
