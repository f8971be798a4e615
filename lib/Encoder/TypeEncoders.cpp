//===- TypeEncoders.cpp - Where WIT types are encoded ---------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The destinations of TypeEncoders.h: what each does with a type definition,
/// a named type, a resource, and a type owned by another interface.
///
//===----------------------------------------------------------------------===//

#include "TypeEncoders.h"
#include "llvm/ADT/STLExtras.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::encoder;

uint32_t RootTypeEncoder::defineType(function_ref<void(raw_ostream &)> encode) {
  return state.builder.defineType(encode);
}

std::optional<uint32_t> RootTypeEncoder::exportType(uint32_t index,
                                                    StringRef name) {
  if (iface)
    return std::nullopt;
  if (importTypes)
    return state.builder.addImport(name,
                                   component::ComponentTypeRef::typeEq(index));
  return state.builder.addExport(name, component::ComponentExportKind::Type,
                                 index);
}

uint32_t RootTypeEncoder::exportResource(StringRef name) {
  return state.builder.addImport(name,
                                 component::ComponentTypeRef::subResource());
}

uint32_t RootTypeEncoder::importType(wit::InterfaceId owner, wit::TypeId id) {
  return state.aliasInstanceType(owner, id);
}

uint32_t
InstanceTypeEncoder::defineType(function_ref<void(raw_ostream &)> encode) {
  return type.addType(encode);
}

std::optional<uint32_t> InstanceTypeEncoder::exportType(uint32_t index,
                                                        StringRef name) {
  return type.addExport(name, component::ComponentTypeRef::typeEq(index));
}

uint32_t InstanceTypeEncoder::exportResource(StringRef name) {
  return type.addExport(name, component::ComponentTypeRef::subResource());
}

uint32_t InstanceTypeEncoder::importType(wit::InterfaceId owner,
                                         wit::TypeId id) {
  return type.aliasOuter(component::OuterAliasKind::Type, 1,
                         state.aliasInstanceType(owner, id));
}

uint32_t
ShimComponentEncoder::defineType(function_ref<void(raw_ostream &)> encode) {
  return component.defineType(encode);
}

std::optional<uint32_t> ShimComponentEncoder::exportType(uint32_t index,
                                                         StringRef name) {
  if (exportTypes)
    return component.addExport(name, component::ComponentExportKind::Type,
                               index);
  std::string n = uniqueImportName(name);
  uint32_t r = component.addImport(StringRef(n),
                                   component::ComponentTypeRef::typeEq(index));
  imports.push_back({n, r});
  return r;
}

uint32_t ShimComponentEncoder::exportResource(StringRef name) {
  std::string n = uniqueImportName(name);
  uint32_t r = component.addImport(StringRef(n),
                                   component::ComponentTypeRef::subResource());
  imports.push_back({n, r});
  return r;
}

uint32_t ShimComponentEncoder::importType(wit::InterfaceId, wit::TypeId) {
  return 0; // never called: interface() is switched to the type's owner
}

std::string ShimComponentEncoder::uniqueImportName(StringRef name) {
  std::string n = ("import-type-" + name).str();
  for (unsigned i = 0; any_of(imports, [&](auto &p) { return p.first == n; });
       ++i)
    n += std::to_string(i);
  return n;
}

std::string encoder::importFuncName(const wit::Function &f) {
  StringRef item = f.itemName();
  std::string resource;
  if (f.kind == wit::FunctionKind::Method ||
      f.kind == wit::FunctionKind::Static)
    resource = StringRef(f.name).split(']').second.split('.').first.str();
  switch (f.kind) {
  case wit::FunctionKind::Freestanding:
    return ("import-func-" + item).str();
  case wit::FunctionKind::Constructor:
    return ("import-constructor-" + item).str();
  case wit::FunctionKind::Method:
    return "import-method-" + resource + "-" + item.str();
  case wit::FunctionKind::Static:
    return "import-static-" + resource + "-" + item.str();
  }
  return "";
}
