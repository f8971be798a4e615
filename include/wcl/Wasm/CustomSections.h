//===- wcl/Wasm/CustomSections.h - producers and name writers ---*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Writers for the metadata custom sections wcl emits: `producers`
/// (tool-conventions ProducersSection.md), the core `name` section (core
/// spec appendix plus the extended-name-section subsections), and the
/// component `component-name` section (component-model Binary.md, "Name
/// Section"). They are builders: callers record names as they go, and the
/// section is written once at the end with every name map sorted by index,
/// so the output does not depend on the order names were recorded in.
///
/// The producers builder keeps wasm-metadata's merge rules, because wcl's
/// output must carry the same producers as wasm-tools': fields stay in first-
/// seen order, a field that exists is extended, and a tool name that exists
/// keeps its place and gets the new version.
///
/// The decoders of these sections live with the readers (ModuleReader.h,
/// ComponentReader.h); ProducersBuilder::parse exists so that producers of
/// inputs can be merged into an output.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WASM_CUSTOMSECTIONS_H
#define WCL_WASM_CUSTOMSECTIONS_H

#include "wcl/Wasm/Binary.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wcl {
namespace wasm {

/// Index → name, kept sorted by index as the name section requires.
using NameMap = std::map<uint32_t, std::string>;

/// Writes `vec(idx name)` for \p names.
void writeNameMap(llvm::raw_ostream &os, const NameMap &names);

//===----------------------------------------------------------------------===//
// producers
//===----------------------------------------------------------------------===//

class ProducersBuilder {
public:
  struct Field {
    std::string name;
    /// (tool or language name, version), in first-added order.
    std::vector<std::pair<std::string, std::string>> values;
  };

  /// Adds \p name at \p version to \p field ("language", "processed-by",
  /// "sdk"). An existing name keeps its position and takes the new version.
  void add(llvm::StringRef field, llvm::StringRef name,
           llvm::StringRef version);
  /// Adds every value of \p other, in its order.
  void merge(const ProducersBuilder &other);
  /// Decodes a `producers` payload (what follows the section name), e.g. of
  /// an input module, so that it can be merged. Duplicate names within a
  /// field collapse as add() does.
  static llvm::Expected<ProducersBuilder> parse(llvm::ArrayRef<uint8_t> payload,
                                                uint64_t base = 0);

  bool empty() const { return fields.empty(); }
  llvm::ArrayRef<Field> getFields() const { return fields; }

  /// The payload: `vec(field)` with `field ::= name vec(name version)`.
  void writePayload(llvm::raw_ostream &os) const;
  /// The whole custom section, id and size included.
  void writeTo(llvm::raw_ostream &os) const;

private:
  std::vector<Field> fields;
};

//===----------------------------------------------------------------------===//
// Core `name` section
//===----------------------------------------------------------------------===//

/// The core `name` section. Subsections are written in increasing id order,
/// as the spec asks: module, functions, locals, labels, types, tables,
/// memories, globals, elem segments, data segments, fields, tags.
class NameSectionBuilder {
public:
  void setModuleName(llvm::StringRef name) { moduleName = name.str(); }
  /// Names item \p index in a plain name map: \p kind is one of Function,
  /// Type, Table, Memory, Global, ElemSegment, DataSegment, Tag.
  void setName(CoreNameKind kind, uint32_t index, llvm::StringRef name);
  void setFunctionName(uint32_t func, llvm::StringRef name) {
    setName(CoreNameKind::Function, func, name);
  }
  /// Names item \p inner of \p outer in an indirect name map: \p kind is
  /// Local (locals of a function), Label or Field (fields of a type).
  void setIndirectName(CoreNameKind kind, uint32_t outer, uint32_t inner,
                       llvm::StringRef name);
  void setLocalName(uint32_t func, uint32_t local, llvm::StringRef name) {
    setIndirectName(CoreNameKind::Local, func, local, name);
  }

  bool empty() const;
  void writePayload(llvm::raw_ostream &os) const;
  void writeTo(llvm::raw_ostream &os) const;

private:
  static constexpr unsigned NumKinds = 12;
  std::optional<std::string> moduleName;
  /// Indexed by CoreNameKind; only the kinds named above are used.
  NameMap maps[NumKinds];
  std::map<uint32_t, NameMap> indirectMaps[NumKinds];
};

//===----------------------------------------------------------------------===//
// component-name
//===----------------------------------------------------------------------===//

/// The `component-name` section. Subsections are written in the order they
/// are added: the component's own name first (when set), then one sort-name
/// subsection per addSortNames call. The order of sorts is the caller's
/// choice because wasm-tools' is not canonical and wcl reproduces it (see
/// ComponentBuilder::finish).
class ComponentNameSectionBuilder {
public:
  void setComponentName(llvm::StringRef name) { componentName = name.str(); }
  /// A core sort's names (func, table, memory, global, tag, type, module,
  /// instance). Empty maps are skipped.
  void addCoreSortNames(CoreSort sort, const NameMap &names);
  /// A component sort's names (func, value, type, component, instance).
  /// Empty maps are skipped.
  void addSortNames(Sort sort, const NameMap &names);

  bool empty() const { return !componentName && subsections.empty(); }
  void writePayload(llvm::raw_ostream &os) const;
  void writeTo(llvm::raw_ostream &os) const;

private:
  std::optional<std::string> componentName;
  /// Encoded sort-name subsection contents (`sort namemap`), in order.
  std::vector<std::string> subsections;
};

} // namespace wasm
} // namespace wcl

#endif // WCL_WASM_CUSTOMSECTIONS_H
