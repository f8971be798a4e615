//===- TypeEncoders.cpp - Component type and definition encoders ----------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The encoders of component productions that do not need a builder (value
/// types, defined types, extern names, canonical options, aliases) and the
/// module, component and instance type encoders built from them. They are
/// apart from ComponentBuilder because they encode a production, while the
/// builder lays out sections and numbers index spaces; the type encoders
/// number only the spaces of the type they build.
///
//===----------------------------------------------------------------------===//

#include "BuilderParts.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include <cassert>

using namespace llvm;
using namespace wcl;
using namespace wcl::component;
using namespace wcl::component::builder;
using namespace wcl::wasm;

//===----------------------------------------------------------------------===//
// Encoders
//===----------------------------------------------------------------------===//

IndexSpace builder::spaceOf(ComponentExportKind kind) {
  switch (kind) {
  case ComponentExportKind::Module:
    return IndexSpace::CoreModule;
  case ComponentExportKind::Func:
    return IndexSpace::Func;
  case ComponentExportKind::Value:
    return IndexSpace::Value;
  case ComponentExportKind::Type:
    return IndexSpace::Type;
  case ComponentExportKind::Component:
    return IndexSpace::Component;
  case ComponentExportKind::Instance:
    return IndexSpace::Instance;
  }
  llvm_unreachable("unknown export kind");
}

IndexSpace builder::spaceOf(ExternType::Kind kind) {
  return coreIndexSpace(kind);
}

IndexSpace builder::spaceOf(OuterAliasKind kind) {
  switch (kind) {
  case OuterAliasKind::CoreModule:
    return IndexSpace::CoreModule;
  case OuterAliasKind::CoreType:
    return IndexSpace::CoreType;
  case OuterAliasKind::Type:
    return IndexSpace::Type;
  case OuterAliasKind::Component:
    return IndexSpace::Component;
  }
  llvm_unreachable("unknown outer alias kind");
}

ComponentExportKind ComponentTypeRef::exportKind() const {
  switch (kind) {
  case ExternKind::CoreModule:
    return ComponentExportKind::Module;
  case ExternKind::Func:
    return ComponentExportKind::Func;
  case ExternKind::Value:
    return ComponentExportKind::Value;
  case ExternKind::Type:
    return ComponentExportKind::Type;
  case ExternKind::Component:
    return ComponentExportKind::Component;
  case ExternKind::Instance:
    return ComponentExportKind::Instance;
  }
  llvm_unreachable("unknown extern kind");
}

void wcl::component::writeComponentValType(raw_ostream &os,
                                           ComponentValType type) {
  if (type.isIndex)
    writeSleb128(os, type.index);
  else
    writeU8(os, static_cast<uint8_t>(type.primitive));
}

static void writeOptionalValType(raw_ostream &os,
                                 std::optional<ComponentValType> type) {
  if (!type) {
    writeU8(os, 0x00);
    return;
  }
  writeU8(os, 0x01);
  writeComponentValType(os, *type);
}

void wcl::component::writeExternName(raw_ostream &os,
                                     const ComponentExternName &name) {
  SmallVector<std::pair<uint8_t, StringRef>, 3> attrs;
  if (name.implements)
    attrs.push_back({0x00, *name.implements});
  if (name.versionSuffix)
    attrs.push_back({0x01, *name.versionSuffix});
  if (name.externalId)
    attrs.push_back({0x02, *name.externalId});
  // 0x00 is the plain form; 0x01 is a legacy plain form nothing writes.
  writeU8(os, attrs.empty() ? 0x00 : 0x02);
  writeName(os, name.name);
  if (attrs.empty())
    return;
  writeUleb128(os, attrs.size());
  for (const auto &[tag, value] : attrs) {
    writeU8(os, tag);
    writeName(os, value);
  }
}

void wcl::component::writeExportKind(raw_ostream &os,
                                     ComponentExportKind kind) {
  switch (kind) {
  case ComponentExportKind::Module:
    writeU8(os, static_cast<uint8_t>(Sort::Core));
    writeU8(os, static_cast<uint8_t>(CoreSort::Module));
    return;
  case ComponentExportKind::Func:
    writeU8(os, static_cast<uint8_t>(Sort::Func));
    return;
  case ComponentExportKind::Value:
    writeU8(os, static_cast<uint8_t>(Sort::Value));
    return;
  case ComponentExportKind::Type:
    writeU8(os, static_cast<uint8_t>(Sort::Type));
    return;
  case ComponentExportKind::Component:
    writeU8(os, static_cast<uint8_t>(Sort::Component));
    return;
  case ComponentExportKind::Instance:
    writeU8(os, static_cast<uint8_t>(Sort::Instance));
    return;
  }
}

void wcl::component::writeTypeRef(raw_ostream &os,
                                  const ComponentTypeRef &ref) {
  // The externdesc tags are the sort bytes, core module included.
  writeExportKind(os, ref.exportKind());
  switch (ref.kind) {
  case ExternKind::CoreModule:
  case ExternKind::Func:
  case ExternKind::Component:
  case ExternKind::Instance:
    writeUleb128(os, ref.index);
    return;
  case ExternKind::Type:
    if (ref.bound == ComponentTypeRef::Bound::SubResource) {
      writeU8(os, 0x01);
    } else {
      writeU8(os, 0x00);
      writeUleb128(os, ref.index);
    }
    return;
  case ExternKind::Value:
    // wasmparser reads a bare valtype here, not Binary.md's valuebound.
    writeComponentValType(os, ref.value);
    return;
  }
}

void wcl::component::writeCanonOptions(raw_ostream &os,
                                       ArrayRef<CanonicalOption> options) {
  writeUleb128(os, options.size());
  for (const CanonicalOption &option : options) {
    writeU8(os, static_cast<uint8_t>(option.opt));
    switch (option.opt) {
    case CanonOpt::Memory:
    case CanonOpt::Realloc:
    case CanonOpt::PostReturn:
    case CanonOpt::Callback:
    case CanonOpt::CoreType:
      writeUleb128(os, option.index);
      break;
    default:
      break;
    }
  }
}

/// resultlist: `0x00 t` for one result, `0x01 0x00` for none.
void builder::writeResultList(raw_ostream &os,
                              std::optional<ComponentValType> result) {
  if (result) {
    writeU8(os, 0x00);
    writeComponentValType(os, *result);
  } else {
    writeU8(os, 0x01);
    writeU8(os, 0x00);
  }
}

void wcl::component::writeComponentFuncType(
    raw_ostream &os, ArrayRef<NamedValType> params,
    std::optional<ComponentValType> result, bool isAsync) {
  writeU8(os,
          static_cast<uint8_t>(isAsync ? TypeCode::AsyncFunc : TypeCode::Func));
  writeUleb128(os, params.size());
  for (const NamedValType &param : params) {
    writeName(os, param.name);
    writeComponentValType(os, param.type);
  }
  writeResultList(os, result);
}

void wcl::component::writePrimitiveType(raw_ostream &os, TypeCode code) {
  writeU8(os, static_cast<uint8_t>(code));
}

void wcl::component::writeRecordType(raw_ostream &os,
                                     ArrayRef<NamedValType> fields) {
  writeU8(os, static_cast<uint8_t>(TypeCode::Record));
  writeUleb128(os, fields.size());
  for (const NamedValType &field : fields) {
    writeName(os, field.name);
    writeComponentValType(os, field.type);
  }
}

void wcl::component::writeVariantType(raw_ostream &os,
                                      ArrayRef<VariantCase> cases) {
  writeU8(os, static_cast<uint8_t>(TypeCode::Variant));
  writeUleb128(os, cases.size());
  for (const VariantCase &c : cases) {
    writeName(os, c.name);
    writeOptionalValType(os, c.type);
    writeU8(os, 0x00); // the retired `refines` slot
  }
}

void wcl::component::writeListType(raw_ostream &os, ComponentValType element) {
  writeU8(os, static_cast<uint8_t>(TypeCode::List));
  writeComponentValType(os, element);
}

void wcl::component::writeMapType(raw_ostream &os, ComponentValType key,
                                  ComponentValType value) {
  writeU8(os, static_cast<uint8_t>(TypeCode::Map));
  writeComponentValType(os, key);
  writeComponentValType(os, value);
}

void wcl::component::writeFixedListType(raw_ostream &os,
                                        ComponentValType element,
                                        uint32_t length) {
  writeU8(os, static_cast<uint8_t>(TypeCode::FixedList));
  writeComponentValType(os, element);
  writeUleb128(os, length);
}

void wcl::component::writeTupleType(raw_ostream &os,
                                    ArrayRef<ComponentValType> types) {
  writeU8(os, static_cast<uint8_t>(TypeCode::Tuple));
  writeUleb128(os, types.size());
  for (ComponentValType type : types)
    writeComponentValType(os, type);
}

static void writeLabels(raw_ostream &os, TypeCode code,
                        ArrayRef<StringRef> names) {
  writeU8(os, static_cast<uint8_t>(code));
  writeUleb128(os, names.size());
  for (StringRef name : names)
    writeName(os, name);
}

void wcl::component::writeFlagsType(raw_ostream &os,
                                    ArrayRef<StringRef> names) {
  writeLabels(os, TypeCode::Flags, names);
}

void wcl::component::writeEnumType(raw_ostream &os, ArrayRef<StringRef> names) {
  writeLabels(os, TypeCode::Enum, names);
}

void wcl::component::writeOptionType(raw_ostream &os, ComponentValType type) {
  writeU8(os, static_cast<uint8_t>(TypeCode::Option));
  writeComponentValType(os, type);
}

void wcl::component::writeResultType(raw_ostream &os,
                                     std::optional<ComponentValType> ok,
                                     std::optional<ComponentValType> err) {
  writeU8(os, static_cast<uint8_t>(TypeCode::Result));
  writeOptionalValType(os, ok);
  writeOptionalValType(os, err);
}

void wcl::component::writeOwnType(raw_ostream &os, uint32_t resource) {
  writeU8(os, static_cast<uint8_t>(TypeCode::Own));
  writeUleb128(os, resource);
}

void wcl::component::writeBorrowType(raw_ostream &os, uint32_t resource) {
  writeU8(os, static_cast<uint8_t>(TypeCode::Borrow));
  writeUleb128(os, resource);
}

void wcl::component::writeStreamType(raw_ostream &os,
                                     std::optional<ComponentValType> payload) {
  writeU8(os, static_cast<uint8_t>(TypeCode::Stream));
  writeOptionalValType(os, payload);
}

void wcl::component::writeFutureType(raw_ostream &os,
                                     std::optional<ComponentValType> payload) {
  writeU8(os, static_cast<uint8_t>(TypeCode::Future));
  writeOptionalValType(os, payload);
}

void wcl::component::writeResourceType(raw_ostream &os, const ValType &rep,
                                       std::optional<uint32_t> dtor) {
  writeU8(os, static_cast<uint8_t>(TypeCode::Resource));
  writeValType(os, rep);
  if (dtor) {
    writeU8(os, 0x01);
    writeUleb128(os, *dtor);
  } else {
    writeU8(os, 0x00);
  }
}

/// An alias body (sort, target, target immediates).
void builder::writeAliasExport(raw_ostream &os, uint32_t instance,
                               StringRef name, ComponentExportKind kind) {
  writeExportKind(os, kind);
  writeU8(os, static_cast<uint8_t>(AliasTarget::Export));
  writeUleb128(os, instance);
  writeName(os, name);
}

void builder::writeAliasOuter(raw_ostream &os, OuterAliasKind kind,
                              uint32_t count, uint32_t index) {
  switch (kind) {
  case OuterAliasKind::CoreModule:
    writeExportKind(os, ComponentExportKind::Module);
    break;
  case OuterAliasKind::CoreType:
    writeU8(os, static_cast<uint8_t>(Sort::Core));
    writeU8(os, static_cast<uint8_t>(CoreSort::Type));
    break;
  case OuterAliasKind::Type:
    writeExportKind(os, ComponentExportKind::Type);
    break;
  case OuterAliasKind::Component:
    writeExportKind(os, ComponentExportKind::Component);
    break;
  }
  writeU8(os, static_cast<uint8_t>(AliasTarget::Outer));
  writeUleb128(os, count);
  writeUleb128(os, index);
}

//===----------------------------------------------------------------------===//
// ModuleTypeEncoder
//===----------------------------------------------------------------------===//

raw_svector_ostream ModuleTypeEncoder::newDecl(uint8_t tag) {
  ++numDecls;
  decls.push_back(static_cast<char>(tag));
  return raw_svector_ostream(decls);
}

uint32_t ModuleTypeEncoder::addFuncType(const FuncType &type) {
  raw_svector_ostream os = newDecl(0x01);
  writeFuncType(os, type);
  return numTypes++;
}

uint32_t ModuleTypeEncoder::aliasOuterCoreType(uint32_t count, uint32_t index) {
  raw_svector_ostream os = newDecl(0x02);
  // core:alias is `0x10 0x01 ct idx`: the type sort, then the outer target.
  writeU8(os, static_cast<uint8_t>(CoreSort::Type));
  writeU8(os, 0x01);
  writeUleb128(os, count);
  writeUleb128(os, index);
  return numTypes++;
}

void ModuleTypeEncoder::addImport(StringRef module, StringRef field,
                                  const ExternType &type) {
  raw_svector_ostream os = newDecl(0x00);
  writeImport(os, module, field, type);
}

void ModuleTypeEncoder::addExport(StringRef name, const ExternType &type) {
  raw_svector_ostream os = newDecl(0x03);
  writeName(os, name);
  writeExternType(os, type);
}

void ModuleTypeEncoder::write(raw_ostream &os) const {
  writeU8(os, static_cast<uint8_t>(CoreTypeCode::Module));
  writeUleb128(os, numDecls);
  os << StringRef(decls.data(), decls.size());
}

//===----------------------------------------------------------------------===//
// ComponentTypeEncoder
//===----------------------------------------------------------------------===//

raw_svector_ostream ComponentTypeEncoder::newDecl(uint8_t tag) {
  ++numDecls;
  decls.push_back(static_cast<char>(tag));
  return raw_svector_ostream(decls);
}

uint32_t ComponentTypeEncoder::addCoreFuncType(const FuncType &type) {
  raw_svector_ostream os = newDecl(static_cast<uint8_t>(DeclTag::CoreType));
  writeFuncType(os, type);
  return bump(IndexSpace::CoreType);
}

uint32_t
ComponentTypeEncoder::addCoreModuleType(const ModuleTypeEncoder &type) {
  raw_svector_ostream os = newDecl(static_cast<uint8_t>(DeclTag::CoreType));
  type.write(os);
  return bump(IndexSpace::CoreType);
}

uint32_t
ComponentTypeEncoder::addType(function_ref<void(raw_ostream &)> encode) {
  raw_svector_ostream os = newDecl(static_cast<uint8_t>(DeclTag::Type));
  encode(os);
  return bump(IndexSpace::Type);
}

uint32_t ComponentTypeEncoder::addTypeRaw(ArrayRef<uint8_t> deftype) {
  return addType([&](raw_ostream &os) { writeBytes(os, deftype); });
}

uint32_t
ComponentTypeEncoder::addFuncType(ArrayRef<NamedValType> params,
                                  std::optional<ComponentValType> result,
                                  bool isAsync) {
  return addType([&](raw_ostream &os) {
    writeComponentFuncType(os, params, result, isAsync);
  });
}

uint32_t
ComponentTypeEncoder::addInstanceType(const ComponentTypeEncoder &type) {
  assert(type.kind == Kind::Instance && "not an instance type");
  return addType([&](raw_ostream &os) { type.write(os); });
}

uint32_t
ComponentTypeEncoder::addComponentType(const ComponentTypeEncoder &type) {
  assert(type.kind == Kind::Component && "not a component type");
  return addType([&](raw_ostream &os) { type.write(os); });
}

uint32_t ComponentTypeEncoder::aliasExport(uint32_t instance, StringRef name,
                                           ComponentExportKind exportKind) {
  raw_svector_ostream os = newDecl(static_cast<uint8_t>(DeclTag::Alias));
  writeAliasExport(os, instance, name, exportKind);
  return bump(spaceOf(exportKind));
}

uint32_t ComponentTypeEncoder::aliasOuter(OuterAliasKind aliasKind,
                                          uint32_t count, uint32_t index) {
  raw_svector_ostream os = newDecl(static_cast<uint8_t>(DeclTag::Alias));
  writeAliasOuter(os, aliasKind, count, index);
  return bump(spaceOf(aliasKind));
}

uint32_t ComponentTypeEncoder::addImport(const ComponentExternName &name,
                                         const ComponentTypeRef &type) {
  assert(kind == Kind::Component && "instance types have no imports");
  raw_svector_ostream os = newDecl(static_cast<uint8_t>(DeclTag::Import));
  writeExternName(os, name);
  writeTypeRef(os, type);
  return bump(spaceOf(type.exportKind()));
}

uint32_t ComponentTypeEncoder::addExport(const ComponentExternName &name,
                                         const ComponentTypeRef &type) {
  raw_svector_ostream os = newDecl(static_cast<uint8_t>(DeclTag::Export));
  writeExternName(os, name);
  writeTypeRef(os, type);
  return bump(spaceOf(type.exportKind()));
}

void ComponentTypeEncoder::write(raw_ostream &os) const {
  writeU8(os,
          static_cast<uint8_t>(kind == Kind::Component ? TypeCode::Component
                                                       : TypeCode::Instance));
  writeUleb128(os, numDecls);
  os << StringRef(decls.data(), decls.size());
}
