//===- wcl/Wasm/NameSection.h - Core and component name sections *- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The core `name` section (core spec appendix plus the
/// extended-name-section subsections): its decoded form and reader, and the
/// builders that write it and the component `component-name` section
/// (component-model Binary.md, "Name Section"). Reader and writers sit
/// together so that the subsection ids and name-map encoding are in one
/// place. Builders record names as they go and write every name map sorted
/// by index, so the output does not depend on the order names were recorded
/// in. The component-name reader is in the component layer
/// (ComponentReader.h), because it decodes into component sorts.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WASM_NAMESECTION_H
#define WCL_WASM_NAMESECTION_H

#include "wcl/Wasm/Binary.h"
#include "wcl/Wasm/BinaryReader.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wcl {
namespace wasm {

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

struct Naming {
  uint32_t index = 0;
  llvm::StringRef name;
};

struct IndirectNaming {
  uint32_t index = 0;
  llvm::SmallVector<Naming, 0> names;
};

/// One subsection of the `name` section. Which member is filled depends on
/// the id: Module → moduleName; Local, Label, Field → indirectNames; the
/// other known ids → names; unknown ids only content.
struct NameSubsection {
  uint8_t id = 0;
  bool known = false;
  uint64_t offset = 0;
  llvm::ArrayRef<uint8_t> content;
  llvm::StringRef moduleName;
  llvm::SmallVector<Naming, 0> names;
  /// Whether \p names is in increasing index order, as the spec requires
  /// (then lookup() searches it by bisection; a malformed one is scanned).
  bool sorted = true;
  llvm::SmallVector<IndirectNaming, 0> indirectNames;
};

struct NameSection {
  llvm::SmallVector<NameSubsection, 2> subsections;

  std::optional<llvm::StringRef> getModuleName() const;
  /// The name of item \p index in the name map of kind \p kind (Function,
  /// Type, Table, Memory, Global, ElemSegment, DataSegment, Tag), if any.
  std::optional<llvm::StringRef> lookup(CoreNameKind kind,
                                        uint32_t index) const;
};

/// Decodes a `name` section's content (what follows the name), consuming the
/// whole reader. Unknown subsections are kept as bytes.
llvm::Expected<NameSection> readNameSection(BinaryReader &reader);

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

/// Index → name, kept sorted by index as the name section requires.
using NameMap = std::map<uint32_t, std::string>;

/// Writes `vec(idx name)` for \p names.
void writeNameMap(llvm::raw_ostream &os, const NameMap &names);

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

#endif // WCL_WASM_NAMESECTION_H
