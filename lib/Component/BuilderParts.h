//===- BuilderParts.h - Encoders shared by the component writer -*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The few encoders and mappings that both ComponentBuilder.cpp and
/// TypeEncoders.cpp use but the public header does not offer: which index
/// space an export, import or outer-alias kind adds to, and the alias and
/// result-list bodies that the builder and the type encoders both write.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_COMPONENT_BUILDERPARTS_H
#define WCL_LIB_COMPONENT_BUILDERPARTS_H

#include "wcl/Component/ComponentBuilder.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>
#include <optional>

namespace wcl {
namespace component {
namespace builder {

/// The index space an item of \p kind is numbered in.
wasm::IndexSpace spaceOf(ComponentExportKind kind);
wasm::IndexSpace spaceOf(wasm::ExternType::Kind kind);
wasm::IndexSpace spaceOf(OuterAliasKind kind);

/// resultlist: `0x00 t` for one result, `0x01 0x00` for none.
void writeResultList(llvm::raw_ostream &os,
                     std::optional<ComponentValType> result);
/// An alias body (sort, target, target immediates).
void writeAliasExport(llvm::raw_ostream &os, uint32_t instance,
                      llvm::StringRef name, ComponentExportKind kind);
void writeAliasOuter(llvm::raw_ostream &os, OuterAliasKind kind, uint32_t count,
                     uint32_t index);

} // namespace builder
} // namespace component
} // namespace wcl

#endif // WCL_LIB_COMPONENT_BUILDERPARTS_H
