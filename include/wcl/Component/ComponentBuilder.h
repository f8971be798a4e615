//===- wcl/Component/ComponentBuilder.h - Component writer ------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// ComponentBuilder writes a component binary (component-model Binary.md)
/// item by item. Every method that defines something returns the index it
/// gets in its index space (one of the 13 wasm::IndexSpace), so callers never
/// count. Consecutive items of the same kind share one section; a different
/// kind closes the open section and starts a new one, which is how
/// wasm-encoder's ComponentBuilder lays out wit-component's output, and what
/// wcl must reproduce for its output to match wasm-tools'. Debug names given
/// to items are written as the `component-name` section by finish(), followed
/// by the `producers` section.
///
/// Types are written through small encoders: free functions for the defined
/// value types, ComponentTypeEncoder for the declarations of instance and
/// component types, ModuleTypeEncoder for core module types. Embedded core
/// modules and components are copied as given, never re-encoded.
///
/// Passing an index that was never handed out, or a declaration a type kind
/// cannot hold, is a bug in the caller and asserts at most; nothing here
/// checks types (the validator does that, after the fact).
///
//===----------------------------------------------------------------------===//

#ifndef WCL_COMPONENT_COMPONENTBUILDER_H
#define WCL_COMPONENT_COMPONENTBUILDER_H

#include "wcl/Wasm/Binary.h"
#include "wcl/Wasm/CoreTypes.h"
#include "wcl/Wasm/CustomSections.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace wcl {
namespace component {

//===----------------------------------------------------------------------===//
// Vocabulary
//===----------------------------------------------------------------------===//

/// A component value type: a primitive (TypeCode Bool..String or
/// ErrorContext) or the index of a defined type.
struct ComponentValType {
  bool isIndex = false;
  wasm::TypeCode primitive = wasm::TypeCode::Bool;
  uint32_t index = 0;

  static ComponentValType prim(wasm::TypeCode code) { return {false, code, 0}; }
  static ComponentValType type(uint32_t index) {
    return {true, wasm::TypeCode::Bool, index};
  }
};

/// What an export, an alias of an instance export, or an instantiation
/// argument names: one of the component sorts, or a core module (the one
/// core sort that crosses component boundaries).
enum class ComponentExportKind : uint8_t {
  Module,
  Func,
  Value,
  Type,
  Component,
  Instance,
};

/// The sorts an outer alias may name.
enum class OuterAliasKind : uint8_t { CoreModule, CoreType, Type, Component };

/// An import or export name with its optional attributes (nameattributes).
/// Without attributes it encodes in the plain 0x00 form.
struct ComponentExternName {
  ComponentExternName(llvm::StringRef name) : name(name) {}
  ComponentExternName(const char *name) : name(name) {}

  llvm::StringRef name;
  std::optional<llvm::StringRef> implements;
  std::optional<llvm::StringRef> versionSuffix;
  std::optional<llvm::StringRef> externalId;
};

/// externdesc: the type of an import, of an export ascription or of a
/// declaration inside an instance or component type.
struct ComponentTypeRef {
  enum class Bound : uint8_t { Eq, SubResource };

  wasm::ExternKind kind = wasm::ExternKind::Func;
  /// CoreModule: a core type index; Func, Component, Instance: a type index;
  /// Type with Bound::Eq: the type it equals.
  uint32_t index = 0;
  Bound bound = Bound::Eq;
  /// Value: its type.
  ComponentValType value;

  static ComponentTypeRef module(uint32_t coreType) {
    return {wasm::ExternKind::CoreModule, coreType};
  }
  static ComponentTypeRef func(uint32_t type) {
    return {wasm::ExternKind::Func, type};
  }
  static ComponentTypeRef instance(uint32_t type) {
    return {wasm::ExternKind::Instance, type};
  }
  static ComponentTypeRef component(uint32_t type) {
    return {wasm::ExternKind::Component, type};
  }
  static ComponentTypeRef typeEq(uint32_t type) {
    return {wasm::ExternKind::Type, type, Bound::Eq};
  }
  static ComponentTypeRef subResource() {
    return {wasm::ExternKind::Type, 0, Bound::SubResource};
  }
  static ComponentTypeRef valueOf(ComponentValType type) {
    return {wasm::ExternKind::Value, 0, Bound::Eq, type};
  }

  /// The sort of the described item.
  ComponentExportKind exportKind() const;
};

/// canonopt with its immediate.
struct CanonicalOption {
  wasm::CanonOpt opt = wasm::CanonOpt::StringUtf8;
  /// Memory, Realloc, PostReturn, Callback, CoreType: the index.
  uint32_t index = 0;

  static CanonicalOption utf8() { return {wasm::CanonOpt::StringUtf8}; }
  static CanonicalOption utf16() { return {wasm::CanonOpt::StringUtf16}; }
  static CanonicalOption latin1Utf16() {
    return {wasm::CanonOpt::StringLatin1Utf16};
  }
  static CanonicalOption memory(uint32_t m) {
    return {wasm::CanonOpt::Memory, m};
  }
  static CanonicalOption realloc(uint32_t f) {
    return {wasm::CanonOpt::Realloc, f};
  }
  static CanonicalOption postReturn(uint32_t f) {
    return {wasm::CanonOpt::PostReturn, f};
  }
  static CanonicalOption async() { return {wasm::CanonOpt::Async}; }
  static CanonicalOption callback(uint32_t f) {
    return {wasm::CanonOpt::Callback, f};
  }
  static CanonicalOption coreType(uint32_t t) {
    return {wasm::CanonOpt::CoreType, t};
  }
  static CanonicalOption gc() { return {wasm::CanonOpt::Gc}; }
};

/// A labelled value type: a parameter, a record field.
struct NamedValType {
  llvm::StringRef name;
  ComponentValType type;
};

struct VariantCase {
  llvm::StringRef name;
  std::optional<ComponentValType> type;
};

/// An item of a core instance built from exports.
struct CoreExportItem {
  llvm::StringRef name;
  wasm::ExternType::Kind kind = wasm::ExternType::Kind::Func;
  uint32_t index = 0;
};

/// An instantiation argument or an item of an instance built from exports.
struct ComponentItem {
  llvm::StringRef name;
  ComponentExportKind kind = ComponentExportKind::Func;
  uint32_t index = 0;
};

//===----------------------------------------------------------------------===//
// Encoders
//===----------------------------------------------------------------------===//

/// A valtype: a primitive code, or a type index as an s33 (type indices and
/// type codes share the encoding, so indices are signed LEBs).
void writeComponentValType(llvm::raw_ostream &os, ComponentValType type);
void writeExternName(llvm::raw_ostream &os, const ComponentExternName &name);
void writeTypeRef(llvm::raw_ostream &os, const ComponentTypeRef &ref);
/// The sort bytes of \p kind (core modules are `0x00 0x11`).
void writeExportKind(llvm::raw_ostream &os, ComponentExportKind kind);
void writeCanonOptions(llvm::raw_ostream &os,
                       llvm::ArrayRef<CanonicalOption> options);

/// Type definitions (the body of one `type`, without the section framing).
void writeComponentFuncType(llvm::raw_ostream &os,
                            llvm::ArrayRef<NamedValType> params,
                            std::optional<ComponentValType> result,
                            bool isAsync = false);
void writePrimitiveType(llvm::raw_ostream &os, wasm::TypeCode code);
void writeRecordType(llvm::raw_ostream &os,
                     llvm::ArrayRef<NamedValType> fields);
void writeVariantType(llvm::raw_ostream &os, llvm::ArrayRef<VariantCase> cases);
void writeListType(llvm::raw_ostream &os, ComponentValType element);
void writeMapType(llvm::raw_ostream &os, ComponentValType key,
                  ComponentValType value);
void writeFixedListType(llvm::raw_ostream &os, ComponentValType element,
                        uint32_t length);
void writeTupleType(llvm::raw_ostream &os,
                    llvm::ArrayRef<ComponentValType> types);
void writeFlagsType(llvm::raw_ostream &os,
                    llvm::ArrayRef<llvm::StringRef> names);
void writeEnumType(llvm::raw_ostream &os,
                   llvm::ArrayRef<llvm::StringRef> names);
void writeOptionType(llvm::raw_ostream &os, ComponentValType type);
void writeResultType(llvm::raw_ostream &os, std::optional<ComponentValType> ok,
                     std::optional<ComponentValType> err);
void writeOwnType(llvm::raw_ostream &os, uint32_t resource);
void writeBorrowType(llvm::raw_ostream &os, uint32_t resource);
void writeStreamType(llvm::raw_ostream &os,
                     std::optional<ComponentValType> payload);
void writeFutureType(llvm::raw_ostream &os,
                     std::optional<ComponentValType> payload);
void writeResourceType(llvm::raw_ostream &os, const wasm::ValType &rep,
                       std::optional<uint32_t> dtor);

/// The declarations of a core module type (`0x50 vec(moduledecl)`), used to
/// import or ascribe core modules.
class ModuleTypeEncoder {
public:
  /// Returns the new type's index inside the module type.
  uint32_t addFuncType(const wasm::FuncType &type);
  uint32_t aliasOuterCoreType(uint32_t count, uint32_t index);
  void addImport(llvm::StringRef module, llvm::StringRef field,
                 const wasm::ExternType &type);
  void addExport(llvm::StringRef name, const wasm::ExternType &type);
  void write(llvm::raw_ostream &os) const;

private:
  llvm::raw_svector_ostream newDecl(uint8_t tag);

  llvm::SmallVector<char, 0> decls;
  uint32_t numDecls = 0;
  uint32_t numTypes = 0;
};

/// The declarations of an instance type (`0x42`) or component type (`0x41`).
/// Like the builder, it numbers the index spaces the type's declarations
/// introduce, so later declarations can refer to earlier ones.
class ComponentTypeEncoder {
public:
  enum class Kind : uint8_t { Component, Instance };
  explicit ComponentTypeEncoder(Kind kind = Kind::Component) : kind(kind) {}

  /// A core function type; returns its core type index.
  uint32_t addCoreFuncType(const wasm::FuncType &type);
  uint32_t addCoreModuleType(const ModuleTypeEncoder &type);
  /// A type whose body \p encode writes; returns its type index.
  uint32_t addType(llvm::function_ref<void(llvm::raw_ostream &)> encode);
  uint32_t addTypeRaw(llvm::ArrayRef<uint8_t> deftype);
  uint32_t addFuncType(llvm::ArrayRef<NamedValType> params,
                       std::optional<ComponentValType> result,
                       bool isAsync = false);
  uint32_t addInstanceType(const ComponentTypeEncoder &type);
  uint32_t addComponentType(const ComponentTypeEncoder &type);
  uint32_t aliasExport(uint32_t instance, llvm::StringRef name,
                       ComponentExportKind kind);
  uint32_t aliasOuter(OuterAliasKind kind, uint32_t count, uint32_t index);
  /// Component types only.
  uint32_t addImport(const ComponentExternName &name,
                     const ComponentTypeRef &type);
  uint32_t addExport(const ComponentExternName &name,
                     const ComponentTypeRef &type);

  uint32_t count(wasm::IndexSpace space) const {
    return counts[static_cast<uint8_t>(space)];
  }
  bool empty() const { return numDecls == 0; }
  void write(llvm::raw_ostream &os) const;

private:
  llvm::raw_svector_ostream newDecl(uint8_t tag);
  uint32_t bump(wasm::IndexSpace space) {
    return counts[static_cast<uint8_t>(space)]++;
  }

  Kind kind;
  llvm::SmallVector<char, 0> decls;
  uint32_t numDecls = 0;
  std::array<uint32_t, wasm::NumIndexSpaces> counts = {};
};

//===----------------------------------------------------------------------===//
// ComponentBuilder
//===----------------------------------------------------------------------===//

class ComponentBuilder {
public:
  // Core modules and instances.
  uint32_t coreModule(llvm::ArrayRef<uint8_t> bytes,
                      llvm::StringRef debugName = {});
  /// Instantiates \p module with (name, core instance) arguments.
  uint32_t
  coreInstantiate(uint32_t module,
                  llvm::ArrayRef<std::pair<llvm::StringRef, uint32_t>> args,
                  llvm::StringRef debugName = {});
  uint32_t coreInstanceFromExports(llvm::ArrayRef<CoreExportItem> exports,
                                   llvm::StringRef debugName = {});

  // Aliases.
  uint32_t aliasCoreExport(uint32_t instance, llvm::StringRef name,
                           wasm::ExternType::Kind kind,
                           llvm::StringRef debugName = {});
  /// Named after the export, as wasm-encoder does.
  uint32_t aliasExport(uint32_t instance, llvm::StringRef name,
                       ComponentExportKind kind);
  uint32_t aliasOuter(OuterAliasKind kind, uint32_t count, uint32_t index,
                      llvm::StringRef debugName = {});

  // Types.
  uint32_t coreFuncType(const wasm::FuncType &type,
                        llvm::StringRef debugName = {});
  uint32_t coreModuleType(const ModuleTypeEncoder &type,
                          llvm::StringRef debugName = {});
  uint32_t defineType(llvm::function_ref<void(llvm::raw_ostream &)> encode,
                      llvm::StringRef debugName = {});
  uint32_t defineTypeRaw(llvm::ArrayRef<uint8_t> deftype,
                         llvm::StringRef debugName = {});
  uint32_t definePrimitive(wasm::TypeCode code, llvm::StringRef debugName = {});
  uint32_t defineFuncType(llvm::ArrayRef<NamedValType> params,
                          std::optional<ComponentValType> result,
                          bool isAsync = false, llvm::StringRef debugName = {});
  uint32_t defineInstanceType(const ComponentTypeEncoder &type,
                              llvm::StringRef debugName = {});
  uint32_t defineComponentType(const ComponentTypeEncoder &type,
                               llvm::StringRef debugName = {});
  uint32_t defineResource(const wasm::ValType &rep,
                          std::optional<uint32_t> dtor,
                          llvm::StringRef debugName = {});

  // Imports and exports; both named after the extern name.
  uint32_t addImport(const ComponentExternName &name,
                     const ComponentTypeRef &type);
  /// Returns the index the export introduces in \p kind's index space.
  uint32_t addExport(const ComponentExternName &name, ComponentExportKind kind,
                     uint32_t index,
                     std::optional<ComponentTypeRef> type = std::nullopt);

  // Canonical definitions. Lift makes a component function, the others a
  // core function; built-ins are named after themselves as wasm-encoder
  // names them.
  uint32_t canonLift(uint32_t coreFunc, uint32_t type,
                     llvm::ArrayRef<CanonicalOption> options,
                     llvm::StringRef debugName = {});
  uint32_t canonLower(uint32_t func, llvm::ArrayRef<CanonicalOption> options,
                      llvm::StringRef debugName = {});
  uint32_t resourceNew(uint32_t type);
  uint32_t resourceDrop(uint32_t type);
  uint32_t resourceRep(uint32_t type);
  uint32_t taskReturn(std::optional<ComponentValType> result,
                      llvm::ArrayRef<CanonicalOption> options);
  uint32_t taskCancel();
  uint32_t contextGet(const wasm::ValType &type, uint32_t slot);
  uint32_t contextSet(const wasm::ValType &type, uint32_t slot);
  uint32_t backpressureInc();
  uint32_t backpressureDec();
  uint32_t subtaskDrop();
  uint32_t subtaskCancel(bool isAsync);
  uint32_t streamNew(uint32_t type);
  uint32_t streamRead(uint32_t type, llvm::ArrayRef<CanonicalOption> options);
  uint32_t streamWrite(uint32_t type, llvm::ArrayRef<CanonicalOption> options);
  uint32_t streamCancelRead(uint32_t type, bool isAsync);
  uint32_t streamCancelWrite(uint32_t type, bool isAsync);
  uint32_t streamDropReadable(uint32_t type);
  uint32_t streamDropWritable(uint32_t type);
  uint32_t futureNew(uint32_t type);
  uint32_t futureRead(uint32_t type, llvm::ArrayRef<CanonicalOption> options);
  uint32_t futureWrite(uint32_t type, llvm::ArrayRef<CanonicalOption> options);
  uint32_t futureCancelRead(uint32_t type, bool isAsync);
  uint32_t futureCancelWrite(uint32_t type, bool isAsync);
  uint32_t futureDropReadable(uint32_t type);
  uint32_t futureDropWritable(uint32_t type);
  uint32_t errorContextNew(llvm::ArrayRef<CanonicalOption> options);
  uint32_t errorContextDebugMessage(llvm::ArrayRef<CanonicalOption> options);
  uint32_t errorContextDrop();
  uint32_t waitableSetNew();
  uint32_t waitableSetWait(bool cancellable, uint32_t memory);
  uint32_t waitableSetPoll(bool cancellable, uint32_t memory);
  uint32_t waitableSetDrop();
  uint32_t waitableJoin();
  uint32_t threadIndex();
  uint32_t threadNewIndirect(uint32_t coreFuncType, uint32_t table);
  uint32_t threadResumeLater();
  uint32_t threadSuspend(bool cancellable);
  uint32_t threadYield(bool cancellable);
  uint32_t threadSuspendThenResume(bool cancellable);
  uint32_t threadYieldThenResume(bool cancellable);
  uint32_t threadSuspendThenPromote(bool cancellable);
  uint32_t threadYieldThenPromote(bool cancellable);
  uint32_t threadSpawnRef(uint32_t coreFuncType);
  uint32_t threadSpawnIndirect(uint32_t coreFuncType, uint32_t table);
  uint32_t threadAvailableParallelism();

  // Nested components and their instances.
  uint32_t nestedComponent(llvm::ArrayRef<uint8_t> bytes,
                           llvm::StringRef debugName = {});
  uint32_t instantiate(uint32_t component, llvm::ArrayRef<ComponentItem> args,
                       llvm::StringRef debugName = {});
  uint32_t instanceFromExports(llvm::ArrayRef<ComponentItem> exports,
                               llvm::StringRef debugName = {});

  /// A custom section at this point of the component.
  void customSection(llvm::StringRef name, llvm::ArrayRef<uint8_t> payload);

  /// The component's own name in `component-name`.
  void setComponentName(llvm::StringRef name) { componentName = name.str(); }
  /// Whether debug names (given or automatic) are recorded at all; without
  /// them no component-name section is written.
  void setRecordNames(bool record) { recordNames = record; }
  /// Records a debug name for an item created without one.
  void setName(wasm::IndexSpace space, uint32_t index, llvm::StringRef name);
  wasm::ProducersBuilder &producers() { return producersSection; }

  /// The number of items in \p space so far (the next index it hands out).
  uint32_t count(wasm::IndexSpace space) const {
    return counts[static_cast<uint8_t>(space)];
  }

  /// Writes the preamble, every section, then `component-name` (when any
  /// name was recorded) and `producers` (when not empty). Closes the open
  /// section, so nothing may be added afterwards.
  void finish(llvm::raw_ostream &os);

private:
  /// Starts one item of a batched section with id \p id, closing the open
  /// section first when it has a different id.
  llvm::raw_svector_ostream beginItem(wasm::ComponentSectionId id);
  /// Writes the open section, if any, to the output.
  void flush();
  /// Hands out the next index in \p space and records \p debugName for it.
  uint32_t add(wasm::IndexSpace space, llvm::StringRef debugName);
  uint32_t addCanon(llvm::function_ref<void(llvm::raw_ostream &)> encode,
                    llvm::StringRef debugName);
  /// The immediates of a built-in after its opcode: built-ins take at most
  /// an index, an options list, a flag and a second index, in that order.
  struct BuiltinImm {
    std::optional<uint32_t> index;
    std::optional<llvm::ArrayRef<CanonicalOption>> options;
    std::optional<bool> flag;
    std::optional<uint32_t> index2;
  };
  static void writeBuiltin(llvm::raw_ostream &os, wasm::CanonOp op,
                           const BuiltinImm &imm);
  uint32_t addBuiltin(wasm::CanonOp op, llvm::StringRef debugName,
                      const BuiltinImm &imm = {});
  uint32_t addAlias(wasm::IndexSpace space,
                    llvm::function_ref<void(llvm::raw_ostream &)> encode,
                    llvm::StringRef debugName);

  /// Finished sections, without the preamble.
  llvm::SmallVector<char, 0> out;
  /// The open batched section.
  std::optional<wasm::ComponentSectionId> openSection;
  llvm::SmallVector<char, 0> openBody;
  uint32_t openCount = 0;
  bool finished = false;

  std::array<uint32_t, wasm::NumIndexSpaces> counts = {};
  std::array<wasm::NameMap, wasm::NumIndexSpaces> names;
  bool recordNames = true;
  std::optional<std::string> componentName;
  wasm::ProducersBuilder producersSection;
};

} // namespace component
} // namespace wcl

#endif // WCL_COMPONENT_COMPONENTBUILDER_H
