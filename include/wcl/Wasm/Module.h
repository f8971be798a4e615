//===- wcl/Wasm/Module.h - The decoded core module --------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// CoreModule, what the module reader (ModuleReader.h) produces: a plain
/// value holding vectors of decoded items in section order, each with where
/// it lies in the file, and StringRef/ArrayRef pointing into the input, which
/// must outlive it. The dumper prints it; the linker and the encoder use it
/// to find imports, exports, and dylink.0 metadata, and to copy sections
/// verbatim. It lives apart from the reader so that users that only look at
/// a module see the model, not how it is decoded.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WASM_MODULE_H
#define WCL_WASM_MODULE_H

#include "wcl/Wasm/Binary.h"
#include "wcl/Wasm/ConstExpr.h"
#include "wcl/Wasm/CoreTypes.h"
#include "wcl/Wasm/CustomSections.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>

namespace wcl {
namespace wasm {

/// A section as found in the file.
struct Section {
  /// Section id (llvm::wasm::WASM_SEC_*).
  uint8_t id = 0;
  /// Absolute offset of the id byte.
  uint64_t offset = 0;
  /// Everything after the size field.
  llvm::ArrayRef<uint8_t> payload;
  uint64_t payloadOffset = 0;
  /// Custom sections: the name and what follows it. Other sections: empty
  /// name and content == payload.
  llvm::StringRef name;
  llvm::ArrayRef<uint8_t> content;
  uint64_t contentOffset = 0;

  bool isCustom() const { return id == 0; }
  /// The whole section, header included, e.g. to copy it to an output.
  llvm::ArrayRef<uint8_t> bytesIn(llvm::ArrayRef<uint8_t> file,
                                  uint64_t fileBase) const {
    return file.slice(offset - fileBase,
                      payloadOffset - offset + payload.size());
  }
};

/// A type section entry: the types it defines are
/// CoreModule::types[firstType, firstType + numTypes).
struct RecGroupInfo {
  uint32_t firstType = 0;
  uint32_t numTypes = 0;
  bool explicitRec = false;
};

/// An import, with where it lies and its index in its index space.
struct ImportEntry : Import {
  uint64_t offset = 0;
  uint32_t index = 0;
};

struct Table {
  TableType type;
  /// Function-references tables may carry an initialiser (0x40 0x00 form).
  std::optional<ConstExpr> init;
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

struct Export {
  llvm::StringRef name;
  ExternType::Kind kind = ExternType::Kind::Func;
  uint32_t index = 0;
  uint64_t offset = 0;
};

struct ElemSegment {
  enum class Mode : uint8_t { Active, Passive, Declarative };
  /// The encoding (0..7), as the flags field holds it.
  uint32_t flags = 0;
  Mode mode = Mode::Active;
  uint32_t tableIndex = 0;
  /// Active segments: where in the table.
  std::optional<ConstExpr> offsetExpr;
  RefType elemType{true, false, -0x10}; // funcref
  /// Encodings 4..7 list expressions, 0..3 function indices.
  bool usesExprs = false;
  llvm::SmallVector<uint32_t, 0> functions;
  llvm::SmallVector<ConstExpr, 0> exprs;
  uint64_t offset = 0;
};

struct LocalDecl {
  uint32_t count = 0;
  ValType type;
};

/// A code section entry. Instructions are not decoded.
struct FunctionBody {
  /// Absolute offset of the body's size field.
  uint64_t offset = 0;
  /// The body after its size field: local declarations, then code.
  llvm::ArrayRef<uint8_t> body;
  uint64_t bodyOffset = 0;
  llvm::SmallVector<LocalDecl, 2> locals;
  /// The instructions (after the local declarations), the final `end`
  /// included.
  llvm::ArrayRef<uint8_t> code;
  uint64_t codeOffset = 0;
};

struct DataSegment {
  enum class Mode : uint8_t { Active, Passive };
  uint32_t flags = 0;
  Mode mode = Mode::Active;
  uint32_t memoryIndex = 0;
  std::optional<ConstExpr> offsetExpr;
  llvm::ArrayRef<uint8_t> content;
  uint64_t contentOffset = 0;
  uint64_t offset = 0;
};

/// A decoded core module. Index spaces start with the imports of their kind;
/// the vectors of definitions (funcTypes, tables, ...) hold only what the
/// module defines, so definition i has index numImported<Kind> + i.
struct CoreModule {
  /// The input (preamble included) and the absolute offset of its first byte.
  llvm::ArrayRef<uint8_t> bytes;
  uint64_t base = 0;

  /// Every section, custom ones included, in file order.
  llvm::SmallVector<Section, 0> sections;

  /// The type index space, flattened over rec groups.
  llvm::SmallVector<SubType, 0> types;
  llvm::SmallVector<RecGroupInfo, 0> recGroups;
  llvm::SmallVector<ImportEntry, 0> imports;
  /// Type indices of the defined functions (function section).
  llvm::SmallVector<uint32_t, 0> funcTypes;
  llvm::SmallVector<Table, 0> tables;
  llvm::SmallVector<MemoryType, 0> memories;
  llvm::SmallVector<Global, 0> globals;
  llvm::SmallVector<TagType, 0> tags;
  llvm::SmallVector<Export, 0> exports;
  std::optional<uint32_t> startFunction;
  llvm::SmallVector<ElemSegment, 0> elemSegments;
  std::optional<uint32_t> dataCount;
  llvm::SmallVector<FunctionBody, 0> bodies;
  llvm::SmallVector<DataSegment, 0> dataSegments;

  uint32_t numImportedFuncs = 0;
  uint32_t numImportedTables = 0;
  uint32_t numImportedMemories = 0;
  uint32_t numImportedGlobals = 0;
  uint32_t numImportedTags = 0;

  /// Decoded custom sections (the first of each name; later ones are only in
  /// `sections`).
  std::optional<DylinkInfo> dylink;
  std::optional<NameSection> names;
  std::optional<ProducersSection> producers;
  std::optional<llvm::SmallVector<TargetFeature, 0>> targetFeatures;

  uint32_t numFunctions() const { return numImportedFuncs + funcTypes.size(); }
  uint32_t numTables() const { return numImportedTables + tables.size(); }
  uint32_t numMemories() const { return numImportedMemories + memories.size(); }
  uint32_t numGlobals() const { return numImportedGlobals + globals.size(); }
  uint32_t numTags() const { return numImportedTags + tags.size(); }

  /// The function type at \p typeIndex, or null if it is out of range or not
  /// a function type.
  const FuncType *getFuncType(uint32_t typeIndex) const;
  /// The type index of function \p funcIndex (imported or defined).
  std::optional<uint32_t> getFunctionTypeIndex(uint32_t funcIndex) const;
  const Export *findExport(llvm::StringRef name) const;
  /// The first custom section called \p name.
  const Section *findCustomSection(llvm::StringRef name) const;
};

/// "TYPE", "IMPORT", ..., "CUSTOM", as llvm-readobj names them; empty for an
/// unknown id.
llvm::StringRef sectionIdName(uint8_t id);
/// The position of non-custom section \p id in the order the spec requires
/// (1 for type ... 13 for data; the tag section sits between memory and
/// global, datacount before code); 0 for custom and unknown ids.
unsigned sectionRank(uint8_t id);
llvm::StringRef toString(ElemSegment::Mode mode);
llvm::StringRef toString(DataSegment::Mode mode);

} // namespace wasm
} // namespace wcl

#endif // WCL_WASM_MODULE_H
