//===- wcl/Component/ComponentReader.h - Component reader -----*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A decoder for component binaries (design/mvp/Binary.md). It turns a
/// component into a plain data model: its sections in file order, and the
/// items of each kind (imports, aliases, canon definitions, ...) in vectors of
/// their own, every item carrying its absolute file offset and the index it
/// receives in its index space. The model points into the input: names are
/// StringRefs and embedded modules ArrayRefs of the caller's buffer, which
/// must outlive it.
///
/// The reader decodes but does not validate: indices are recorded, not
/// checked against their index spaces, and type rules are not applied. Any
/// malformed encoding is an llvm::Error naming the absolute offset of the
/// bad byte. Its users are the dumper behind wcl-readobj and the WIT decoder,
/// which reads `component-type` custom sections (components holding a type
/// section) through readComponent().
///
/// The reader is one walker over the sections (ComponentReader.cpp) with a
/// file per kind of item it decodes: TypeReader.cpp (type definitions and
/// declarators), AliasReader.cpp, CanonReader.cpp, NameReader.cpp (the
/// `component-name` section), and IndexSpaces.cpp (which index each item
/// receives).
///
//===----------------------------------------------------------------------===//

#ifndef WCL_COMPONENT_COMPONENTREADER_H
#define WCL_COMPONENT_COMPONENTREADER_H

#include "wcl/Wasm/Binary.h"
#include "wcl/Wasm/CoreTypes.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wcl {
namespace component {

using wasm::IndexSpace;

/// A sort together with its core sort: the kind of thing an index names.
struct SortKind {
  wasm::Sort sort = wasm::Sort::Func;
  /// Meaningful only when sort is Sort::Core.
  wasm::CoreSort core = wasm::CoreSort::Func;

  static SortKind coreSort(wasm::CoreSort s) { return {wasm::Sort::Core, s}; }
  static SortKind of(wasm::Sort s) { return {s, wasm::CoreSort::Func}; }
  bool isCore() const { return sort == wasm::Sort::Core; }
  /// The index space items of this sort are numbered in.
  IndexSpace space() const;
  bool operator==(const SortKind &o) const {
    return sort == o.sort && (!isCore() || core == o.core);
  }
  bool operator!=(const SortKind &o) const { return !(*this == o); }
};

/// The sort whose items live in \p space.
SortKind sortOf(IndexSpace space);
/// "core func", "func", "type", ... as the text format spells sorts.
std::string toString(SortKind sort);
/// "CoreFunc", "Func", "Type", ...: a label for an index space.
llvm::StringRef toString(IndexSpace space);

struct SortIndex {
  SortKind sort;
  uint32_t index = 0;
};

/// valtype: a primitive value type or the index of a defined type.
struct ValType {
  bool isIndex = false;
  /// The primitive's type code (bool ... string, error-context) unless
  /// isIndex.
  wasm::TypeCode primitive = wasm::TypeCode::Bool;
  uint32_t index = 0;

  static ValType prim(wasm::TypeCode c) { return {false, c, 0}; }
  static ValType typeIndex(uint32_t i) {
    return {true, wasm::TypeCode::Bool, i};
  }
};

/// The text name of a primitive value type code ("u32", "error-context"),
/// or an empty string for a code that is not one.
llvm::StringRef primitiveName(wasm::TypeCode code);

/// nameattributes: an import or export name with its optional attributes.
struct ExternName {
  uint64_t offset = 0;
  /// The discriminant byte: 0x00 and 0x01 (legacy) are plain names, 0x02
  /// carries attributes.
  uint8_t form = 0;
  llvm::StringRef name;
  std::optional<llvm::StringRef> implements;
  std::optional<llvm::StringRef> versionSuffix;
  std::optional<llvm::StringRef> externalId;
};

/// externdesc: the type an import, an export ascription or a declaration
/// gives an item.
struct ExternDesc {
  enum class Bound : uint8_t {
    Eq,          ///< (type (eq i)) / (value (eq i))
    SubResource, ///< (type (sub resource))
    ValType,     ///< (value t)
  };
  wasm::ExternKind kind = wasm::ExternKind::Func;
  /// CoreModule: core type index; Func/Component/Instance: type index; Type
  /// or Value with Bound::Eq: the type or value index.
  uint32_t index = 0;
  Bound bound = Bound::Eq;
  ValType value; ///< Value with Bound::ValType

  /// The sort the described item belongs to.
  SortKind sort() const;
};

//===----------------------------------------------------------------------===//
// Custom sections
//===----------------------------------------------------------------------===//

struct CustomSection {
  uint64_t offset = 0; ///< of the section id byte
  llvm::StringRef name;
  uint64_t payloadOffset = 0; ///< of the first byte after the name
  llvm::ArrayRef<uint8_t> payload;
};

/// The decoded `component-name` section.
struct ComponentNames {
  struct Map {
    uint64_t offset = 0;
    SortKind sort;
    llvm::SmallVector<std::pair<uint32_t, llvm::StringRef>, 0> names;
  };
  std::optional<llvm::StringRef> component;
  std::vector<Map> maps;
  /// Subsections with unknown ids or sorts, kept as (offset, id).
  llvm::SmallVector<std::pair<uint64_t, uint8_t>, 0> unknown;

  /// The name of index \p index in \p space, or an empty string.
  llvm::StringRef lookup(IndexSpace space, uint32_t index) const;

private:
  friend llvm::Expected<ComponentNames>
      readComponentNames(llvm::ArrayRef<uint8_t>, uint64_t);
  std::array<llvm::DenseMap<uint32_t, llvm::StringRef>, wasm::NumIndexSpaces>
      bySpace;
};

/// Decodes the payload of a `component-name` custom section, whose first
/// byte is at file offset \p base. (`producers` sections have the same
/// encoding in modules and components: wasm::readProducersSection.)
llvm::Expected<ComponentNames>
readComponentNames(llvm::ArrayRef<uint8_t> payload, uint64_t base);

//===----------------------------------------------------------------------===//
// Core definitions
//===----------------------------------------------------------------------===//

/// A core module embedded in the component, not parsed here.
struct CoreModule {
  uint64_t offset = 0;           ///< of the module's first byte ("\0asm")
  llvm::ArrayRef<uint8_t> bytes; ///< preamble included
  uint32_t index = 0;            ///< core module index
};

struct CoreInstance {
  struct Arg {
    llvm::StringRef name;
    uint32_t instance = 0; ///< core instance index
  };
  struct Export {
    llvm::StringRef name;
    wasm::CoreSort sort = wasm::CoreSort::Func;
    uint32_t index = 0;
  };
  uint64_t offset = 0;
  wasm::InstanceExpr expr = wasm::InstanceExpr::Instantiate;
  uint32_t module = 0; ///< Instantiate: core module index
  llvm::SmallVector<Arg, 2> args;
  llvm::SmallVector<Export, 2> exports; ///< FromExports
  uint32_t index = 0;                   ///< core instance index
};

/// A declaration of a core module type (core:moduledecl).
struct ModuleDecl {
  enum class Kind : uint8_t { Import, Type, Alias, Export };
  uint64_t offset = 0;
  Kind kind = Kind::Import;
  wasm::Import import; ///< Import
  wasm::RecGroup type; ///< Type
  uint32_t outerCount = 0,
           outerIndex = 0;     ///< Alias: (alias outer ct idx (type))
  llvm::StringRef exportName;  ///< Export
  wasm::ExternType exportType; ///< Export
  /// The index the declaration receives in the module type's own spaces:
  /// its core type for Type (the first of the group) and Alias, its
  /// func/table/memory/global/tag for Import. Unused for Export.
  uint32_t index = 0;
};

/// core:type: a rec group (WebAssembly GC types) or a module type.
struct CoreTypeDef {
  enum class Kind : uint8_t { Rec, Module };
  uint64_t offset = 0;
  Kind kind = Kind::Rec;
  wasm::RecGroup rec;            ///< Rec
  std::vector<ModuleDecl> decls; ///< Module
  /// The first core type index it defines; a rec group defines one per
  /// member, a module type one.
  uint32_t index = 0;
  uint32_t numTypes() const {
    return kind == Kind::Rec ? uint32_t(rec.types.size()) : 1;
  }
};

//===----------------------------------------------------------------------===//
// Component-level definitions
//===----------------------------------------------------------------------===//

struct Alias {
  uint64_t offset = 0;
  wasm::AliasTarget target = wasm::AliasTarget::Export;
  SortKind sort;
  uint32_t instance = 0;   ///< Export: instance; CoreExport: core instance
  llvm::StringRef name;    ///< Export, CoreExport
  uint32_t count = 0;      ///< Outer: how many scopes out
  uint32_t outerIndex = 0; ///< Outer: index in that scope's space
  uint32_t index = 0;      ///< the index it receives in sort's space
};

struct LabeledValType {
  llvm::StringRef label;
  ValType type;
};

/// defvaltype.
struct DefinedType {
  enum class Kind : uint8_t {
    Primitive,
    Record,
    Variant,
    List,
    FixedList,
    Tuple,
    Flags,
    Enum,
    Option,
    Result,
    Own,
    Borrow,
    Stream,
    Future,
    Map,
  };
  struct Case {
    llvm::StringRef label;
    std::optional<ValType> type;
  };
  Kind kind = Kind::Primitive;
  wasm::TypeCode primitive = wasm::TypeCode::Bool; ///< Primitive
  llvm::SmallVector<LabeledValType, 0> fields;     ///< Record
  llvm::SmallVector<Case, 0> cases;                ///< Variant
  llvm::SmallVector<ValType, 0> types;             ///< Tuple
  llvm::SmallVector<llvm::StringRef, 0> labels;    ///< Flags, Enum
  /// List/FixedList/Option element, Result ok, Stream/Future payload, Map
  /// key.
  std::optional<ValType> first;
  /// Result error, Map value.
  std::optional<ValType> second;
  uint32_t length = 0;   ///< FixedList
  uint32_t resource = 0; ///< Own, Borrow: resource type index
};

struct FuncType {
  bool isAsync = false;
  llvm::SmallVector<LabeledValType, 4> params;
  std::optional<ValType> result;
};

struct ResourceType {
  wasm::ValType rep;
  std::optional<uint32_t> dtor; ///< core func index
};

struct Decl;

/// deftype: a component-level type definition.
struct TypeDef {
  enum class Kind : uint8_t { Defined, Func, Component, Instance, Resource };
  uint64_t offset = 0;
  Kind kind = Kind::Defined;
  DefinedType defined;     ///< Defined
  FuncType func;           ///< Func
  std::vector<Decl> decls; ///< Component, Instance
  ResourceType resource;   ///< Resource
  uint32_t index = 0;      ///< type index in the enclosing scope

  // Move-only: declarations own their nested types. Saying so explicitly
  // keeps std::vector from picking the (ill-formed) copy when it grows.
  TypeDef() = default;
  TypeDef(TypeDef &&) = default;
  TypeDef &operator=(TypeDef &&) = default;
  TypeDef(const TypeDef &) = delete;
  TypeDef &operator=(const TypeDef &) = delete;
};

/// componentdecl / instancedecl. Component and instance types have index
/// spaces of their own, starting empty; `space` and `index` say where the
/// declaration lands in them.
struct Decl {
  enum class Kind : uint8_t { CoreType, Type, Alias, Import, Export };
  uint64_t offset = 0;
  Kind kind = Kind::Type;
  std::unique_ptr<CoreTypeDef> coreType; ///< CoreType
  std::unique_ptr<TypeDef> type;         ///< Type
  Alias alias;                           ///< Alias
  ExternName name;                       ///< Import, Export
  ExternDesc desc;                       ///< Import, Export
  /// The space the declaration adds to and its index there (the first
  /// index for a core rec group).
  IndexSpace space = IndexSpace::Type;
  uint32_t index = 0;
};

struct Instance {
  struct Arg {
    llvm::StringRef name;
    SortIndex item;
  };
  struct Export {
    ExternName name;
    SortIndex item;
  };
  uint64_t offset = 0;
  wasm::InstanceExpr expr = wasm::InstanceExpr::Instantiate;
  uint32_t component = 0; ///< Instantiate: component index
  llvm::SmallVector<Arg, 2> args;
  llvm::SmallVector<Export, 2> exports; ///< FromExports
  uint32_t index = 0;                   ///< instance index
};

struct CanonOption {
  wasm::CanonOpt kind = wasm::CanonOpt::StringUtf8;
  uint32_t index = 0; ///< Memory, Realloc, PostReturn, Callback, CoreType
};

/// A canonical definition. Which fields are meaningful depends on `op`
/// (Binary.md "Canonical Definitions"); the reader fills the ones its
/// encoding carries and leaves the others zero.
struct Canon {
  uint64_t offset = 0;
  wasm::CanonOp op = wasm::CanonOp::Lift;
  /// Lift: core func; Lower: func.
  uint32_t func = 0;
  /// Lift: func type; resource.*: resource type; stream.* / future.*: the
  /// stream or future type; thread.new-indirect / spawn-*: core func type.
  uint32_t type = 0;
  /// thread.new-indirect, thread.spawn-indirect: core table.
  uint32_t table = 0;
  /// waitable-set.wait / poll: core memory.
  uint32_t memory = 0;
  /// subtask.cancel and *.cancel-read/-write: async; thread.* and
  /// waitable-set.wait/poll: cancellable.
  bool flag = false;
  /// task.return: the result, if any.
  std::optional<ValType> result;
  /// context.get / context.set: the core value type and slot.
  wasm::ValType coreType;
  uint32_t slot = 0;
  llvm::SmallVector<CanonOption, 2> options;
  /// Lift adds a func, every other definition a core func.
  uint32_t index = 0;

  SortKind sort() const {
    return op == wasm::CanonOp::Lift ? SortKind::of(wasm::Sort::Func)
                                     : SortKind::coreSort(wasm::CoreSort::Func);
  }
};

struct Start {
  uint64_t offset = 0;
  uint32_t func = 0;
  llvm::SmallVector<uint32_t, 2> args; ///< value indices
  uint32_t results = 0;
  uint32_t firstResult = 0; ///< value index of the first result
};

struct Import {
  uint64_t offset = 0;
  ExternName name;
  ExternDesc desc;
  uint32_t index = 0; ///< in desc.sort()'s space
};

struct Export {
  uint64_t offset = 0;
  ExternName name;
  SortIndex item;
  std::optional<ExternDesc> desc; ///< the optional type ascription
  /// Exports add an index aliasing the exported item, in item.sort's space.
  uint32_t index = 0;
};

/// A value definition, kept undecoded: its bytes need the value's type.
struct Value {
  uint64_t offset = 0;
  ValType type;
  llvm::ArrayRef<uint8_t> bytes;
  uint32_t index = 0;
};

struct Component;

/// One section in file order. Its items are [first, first + count) of the
/// Component vector that holds its kind (customs, coreModules, ...).
struct Section {
  wasm::ComponentSectionId id = wasm::ComponentSectionId::Custom;
  uint64_t offset = 0;        ///< of the id byte
  uint64_t payloadOffset = 0; ///< of the first payload byte
  llvm::ArrayRef<uint8_t> payload;
  uint32_t first = 0;
  uint32_t count = 0;
};

/// What defines one index: the item vector (named by the section id that
/// holds such items) and the position in it. A core rec group defines
/// several core types, `sub` says which member; a start definition several
/// values.
struct IndexEntry {
  wasm::ComponentSectionId kind = wasm::ComponentSectionId::Import;
  uint32_t item = 0;
  uint32_t sub = 0;
};

struct Component {
  llvm::ArrayRef<uint8_t> bytes; ///< preamble included
  uint64_t offset = 0;           ///< of the preamble
  uint32_t index = 0;            ///< component index in the parent

  std::vector<Section> sections;
  std::vector<CustomSection> customs;
  std::vector<CoreModule> coreModules;
  std::vector<CoreInstance> coreInstances;
  std::vector<CoreTypeDef> coreTypes;
  std::vector<std::unique_ptr<Component>> components;
  std::vector<Instance> instances;
  std::vector<Alias> aliases;
  std::vector<TypeDef> types;
  std::vector<Canon> canons;
  std::vector<Start> starts;
  std::vector<Import> imports;
  std::vector<Export> exports;
  std::vector<Value> values;

  /// For each of the 13 index spaces, what defines each index, in order.
  std::array<std::vector<IndexEntry>, wasm::NumIndexSpaces> spaces;

  const std::vector<IndexEntry> &space(IndexSpace s) const {
    return spaces[size_t(s)];
  }
  /// The definition of \p index in \p s, or null when out of range.
  const IndexEntry *lookup(IndexSpace s, uint32_t index) const;
  /// The first custom section called \p name, or null.
  const CustomSection *findCustom(llvm::StringRef name) const;
};

/// Reads the component in \p bytes (preamble included), whose first byte is
/// at file offset \p base, with every nested component.
llvm::Expected<std::unique_ptr<Component>>
readComponent(llvm::ArrayRef<uint8_t> bytes, uint64_t base = 0);

} // namespace component
} // namespace wcl

#endif // WCL_COMPONENT_COMPONENTREADER_H
