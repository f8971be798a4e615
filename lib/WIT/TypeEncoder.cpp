//===- TypeEncoder.cpp - WIT types to component types ---------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The destination-independent half of type encoding. Types are encoded
/// depth first, so a definition's operands always precede it, and each id is
/// looked up before it is encoded so a type reached twice is encoded once.
///
//===----------------------------------------------------------------------===//

#include "wcl/WIT/TypeEncoder.h"
#include "llvm/ADT/SmallVector.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::wit;
using component::ComponentValType;
using wasm::TypeCode;

static TypeCode primCode(Prim p) {
  switch (p) {
  case Prim::Bool:
    return TypeCode::Bool;
  case Prim::S8:
    return TypeCode::S8;
  case Prim::U8:
    return TypeCode::U8;
  case Prim::S16:
    return TypeCode::S16;
  case Prim::U16:
    return TypeCode::U16;
  case Prim::S32:
    return TypeCode::S32;
  case Prim::U32:
    return TypeCode::U32;
  case Prim::S64:
    return TypeCode::S64;
  case Prim::U64:
    return TypeCode::U64;
  case Prim::F32:
    return TypeCode::F32;
  case Prim::F64:
    return TypeCode::F64;
  case Prim::Char:
    return TypeCode::Char;
  case Prim::String:
    return TypeCode::String;
  case Prim::ErrorContext:
    return TypeCode::ErrorContext;
  }
  return TypeCode::Bool;
}

static void appendType(std::string &out, Type t) {
  out +=
      t.isId ? "#" + std::to_string(t.id.index) : std::string(toString(t.prim));
  out += ',';
}

static void appendOptional(std::string &out, const std::optional<Type> &t) {
  if (t)
    appendType(out, *t);
  else
    out += "_,";
}

std::string wit::defKey(const Resolve &resolve, const TypeDef &def) {
  (void)resolve;
  std::string k = std::to_string(unsigned(def.kind)) + ":";
  for (const Field &f : def.fields) {
    k += f.name + "=";
    appendType(k, f.type);
  }
  for (const Case &c : def.cases) {
    k += c.name + "=";
    appendOptional(k, c.type);
  }
  for (const std::string &n : def.names)
    k += n + ",";
  for (Type t : def.types)
    appendType(k, t);
  appendOptional(k, def.element);
  appendOptional(k, def.error);
  k += std::to_string(def.length) + "," + std::to_string(def.resource.index);
  return k;
}

std::string wit::funcKey(const Resolve &resolve, const Function &f) {
  (void)resolve;
  std::string k = f.isAsync ? "async(" : "(";
  for (const auto &[name, t] : f.params) {
    k += name + "=";
    appendType(k, t);
  }
  k += ")->";
  appendOptional(k, f.result);
  return k;
}

std::optional<uint32_t> TypeMaps::lookup(const Resolve &resolve,
                                         TypeId id) const {
  auto it = idToIndex.find(id.index);
  if (it != idToIndex.end())
    return it->second;
  const TypeDef &def = resolve.get(id);
  if (!def.name) {
    auto d = defToIndex.find(defKey(resolve, def));
    if (d != defToIndex.end())
      return d->second;
  }
  return std::nullopt;
}

void TypeMaps::insert(const Resolve &resolve, TypeId id, uint32_t index) {
  idToIndex[id.index] = index;
  const TypeDef &def = resolve.get(id);
  if (!def.name)
    defToIndex[defKey(resolve, def)] = index;
}

std::optional<ComponentValType>
ValTypeEncoder::encodeOptional(const std::optional<Type> &t) {
  if (!t)
    return std::nullopt;
  return encodeValType(*t);
}

uint32_t ValTypeEncoder::encodeDefinition(const TypeDef &def) {
  switch (def.kind) {
  case TypeDefKind::Record: {
    SmallVector<component::NamedValType, 8> fields;
    for (const Field &f : def.fields)
      fields.push_back({f.name, encodeValType(f.type)});
    return defineType(
        [&](raw_ostream &os) { component::writeRecordType(os, fields); });
  }
  case TypeDefKind::Tuple: {
    SmallVector<ComponentValType, 8> types;
    for (Type t : def.types)
      types.push_back(encodeValType(t));
    return defineType(
        [&](raw_ostream &os) { component::writeTupleType(os, types); });
  }
  case TypeDefKind::Flags:
  case TypeDefKind::Enum: {
    SmallVector<StringRef, 8> names(def.names.begin(), def.names.end());
    return defineType([&](raw_ostream &os) {
      if (def.kind == TypeDefKind::Flags)
        component::writeFlagsType(os, names);
      else
        component::writeEnumType(os, names);
    });
  }
  case TypeDefKind::Variant: {
    SmallVector<component::VariantCase, 8> cases;
    for (const Case &c : def.cases)
      cases.push_back({c.name, encodeOptional(c.type)});
    return defineType(
        [&](raw_ostream &os) { component::writeVariantType(os, cases); });
  }
  case TypeDefKind::Map: {
    ComponentValType k = encodeValType(def.types[0]);
    ComponentValType v = encodeValType(def.types[1]);
    return defineType(
        [&](raw_ostream &os) { component::writeMapType(os, k, v); });
  }
  case TypeDefKind::Option: {
    ComponentValType e = encodeValType(*def.element);
    return defineType(
        [&](raw_ostream &os) { component::writeOptionType(os, e); });
  }
  case TypeDefKind::Result: {
    std::optional<ComponentValType> ok = encodeOptional(def.element);
    std::optional<ComponentValType> err = encodeOptional(def.error);
    return defineType(
        [&](raw_ostream &os) { component::writeResultType(os, ok, err); });
  }
  case TypeDefKind::List: {
    ComponentValType e = encodeValType(*def.element);
    return defineType(
        [&](raw_ostream &os) { component::writeListType(os, e); });
  }
  case TypeDefKind::FixedList: {
    ComponentValType e = encodeValType(*def.element);
    return defineType([&](raw_ostream &os) {
      component::writeFixedListType(os, e, def.length);
    });
  }
  case TypeDefKind::Future:
  case TypeDefKind::Stream: {
    std::optional<ComponentValType> p = encodeOptional(def.element);
    return defineType([&](raw_ostream &os) {
      if (def.kind == TypeDefKind::Future)
        component::writeFutureType(os, p);
      else
        component::writeStreamType(os, p);
    });
  }
  case TypeDefKind::Own:
  case TypeDefKind::Borrow: {
    ComponentValType r = encodeValType(Type::of(def.resource));
    return defineType([&](raw_ostream &os) {
      if (def.kind == TypeDefKind::Own)
        component::writeOwnType(os, r.index);
      else
        component::writeBorrowType(os, r.index);
    });
  }
  case TypeDefKind::Alias:
  case TypeDefKind::Resource:
    break; // handled by encodeValType
  }
  return 0;
}

ComponentValType ValTypeEncoder::encodeValType(Type t) {
  if (!t.isId)
    return ComponentValType::prim(primCode(t.prim));
  if (std::optional<uint32_t> index = maps.lookup(resolve, t.id))
    return ComponentValType::type(*index);
  const TypeDef &def = resolve.get(t.id);
  // A type of another interface is brought in, not redefined.
  if (def.owner.kind == TypeOwner::Kind::Interface &&
      interface() != def.owner.interfaceId()) {
    uint32_t index = importType(def.owner.interfaceId(), t.id);
    maps.insert(resolve, t.id, index);
    return ComponentValType::type(index);
  }
  if (def.kind == TypeDefKind::Resource) {
    uint32_t index = exportResource(def.name ? *def.name : "");
    maps.idToIndex[t.id.index] = index;
    return ComponentValType::type(index);
  }
  ComponentValType encoded =
      def.kind == TypeDefKind::Alias
          ? encodeValType(*def.element)
          : ComponentValType::type(encodeDefinition(def));
  if (def.name) {
    uint32_t index = encoded.index;
    if (!encoded.isIndex) {
      // A named primitive needs an entry of its own to carry the name.
      TypeCode code = encoded.primitive;
      index = defineType(
          [&](raw_ostream &os) { component::writePrimitiveType(os, code); });
    }
    encoded =
        ComponentValType::type(exportType(index, *def.name).value_or(index));
  }
  if (encoded.isIndex)
    maps.insert(resolve, t.id, encoded.index);
  return encoded;
}

uint32_t ValTypeEncoder::encodeFuncType(const Function &f) {
  std::string key = funcKey(resolve, f);
  auto it = maps.funcTypes.find(key);
  if (it != maps.funcTypes.end())
    return it->second;
  SmallVector<component::NamedValType, 8> params;
  for (const auto &[name, t] : f.params)
    params.push_back({name, encodeValType(t)});
  std::optional<ComponentValType> result = encodeOptional(f.result);
  uint32_t index = defineType([&](raw_ostream &os) {
    component::writeComponentFuncType(os, params, result, f.isAsync);
  });
  maps.funcTypes[key] = index;
  return index;
}
