//===- TypeDefs.cpp - Type definitions of components ----------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Component-level type definitions (defined value types, function types,
/// component and instance types with their declarations, resources), core
/// types and module types, and the extern descriptors of imports and
/// exports, each checked as it is turned into an arena type.
///
//===----------------------------------------------------------------------===//

#include "ComponentValidator.h"
#include "ModuleValidator.h"
#include "wcl/Support/Error.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::validate;
using namespace wcl::component;
using wasm::TypeCode;
using Kind = DefinedT::Kind;

Expected<CValType> ComponentValidator::valType(const ValType &v,
                                               uint64_t offset) {
  if (!v.isIndex) {
    if (v.primitive == TypeCode::ErrorContext &&
        !features.has(Feature::CmErrorContext))
      return createErrorAt(offset, "`error-context` requires the component "
                                   "model error-context feature");
    return CValType::primitive(v.primitive);
  }
  TypeId id;
  if (Error e = typeAt(v.index, offset).moveInto(id))
    return std::move(e);
  if (arena.types[id].kind != CType::Kind::Defined)
    return createErrorAt(offset, "type index " + Twine(v.index) +
                                     " is not a defined type");
  return CValType::defined(id);
}

/// Checks that the labels of a record, variant, flags or enum are kebab
/// names, unique without regard to case.
static Error checkLabels(ArrayRef<StringRef> labels, StringRef what,
                         StringRef prevWhat, uint64_t offset) {
  StringMap<StringRef> seen;
  for (StringRef l : labels) {
    if (Error e = checkLabel(l, what, offset))
      return e;
    auto ins = seen.try_emplace(l.lower(), l);
    if (!ins.second)
      return createErrorAt(offset, what + " name `" + l +
                                       "` conflicts with previous " + prevWhat +
                                       " name `" + ins.first->second + "`");
  }
  return Error::success();
}

Expected<TypeId> ComponentValidator::definedType(const DefinedType &d,
                                                 uint64_t offset) {
  CType t;
  t.kind = CType::Kind::Defined;
  DefinedT &out = t.defined;
  out.kind = d.kind;
  out.prim = d.primitive;
  auto vt = [&](const ValType &v) -> Expected<CValType> {
    return valType(v, offset);
  };
  switch (d.kind) {
  case Kind::Primitive:
    if (d.primitive == TypeCode::ErrorContext &&
        !features.has(Feature::CmErrorContext))
      return createErrorAt(offset, "`error-context` requires the component "
                                   "model error-context feature");
    break;
  case Kind::Record: {
    if (d.fields.empty())
      return createErrorAt(offset, "record type must have at least one "
                                   "field");
    SmallVector<StringRef, 8> labels;
    for (const LabeledValType &f : d.fields)
      labels.push_back(f.label);
    if (Error e = checkLabels(labels, "record field", "field", offset))
      return std::move(e);
    for (const LabeledValType &f : d.fields) {
      CValType v;
      if (Error e = vt(f.type).moveInto(v))
        return std::move(e);
      out.fields.emplace_back(f.label.str(), v);
    }
    break;
  }
  case Kind::Variant: {
    if (d.cases.empty())
      return createErrorAt(offset, "variant type must have at least one "
                                   "case");
    SmallVector<StringRef, 8> labels;
    for (const DefinedType::Case &c : d.cases)
      labels.push_back(c.label);
    if (Error e = checkLabels(labels, "variant case", "case", offset))
      return std::move(e);
    for (const DefinedType::Case &c : d.cases) {
      std::optional<CValType> v;
      if (c.type) {
        CValType x;
        if (Error e = vt(*c.type).moveInto(x))
          return std::move(e);
        v = x;
      }
      out.cases.emplace_back(c.label.str(), v);
    }
    break;
  }
  case Kind::Tuple:
    if (d.types.empty())
      return createErrorAt(offset, "tuple type must have at least one type");
    for (const ValType &v : d.types) {
      CValType x;
      if (Error e = vt(v).moveInto(x))
        return std::move(e);
      out.types.push_back(x);
    }
    break;
  case Kind::Flags:
    if (d.labels.empty())
      return createErrorAt(offset, "flags must have at least one entry");
    if (d.labels.size() > 32)
      return createErrorAt(offset, "cannot have more than 32 flags");
    if (Error e = checkLabels(d.labels, "flag", "flag", offset))
      return std::move(e);
    for (StringRef l : d.labels)
      out.labels.push_back(l.str());
    break;
  case Kind::Enum:
    if (d.labels.empty())
      return createErrorAt(offset, "enum type must have at least one "
                                   "variant");
    if (Error e = checkLabels(d.labels, "enum tag", "tag", offset))
      return std::move(e);
    for (StringRef l : d.labels)
      out.labels.push_back(l.str());
    break;
  case Kind::FixedList:
    if (!features.has(Feature::CmFixedLengthLists))
      return createErrorAt(offset, "Fixed-length lists require the component "
                                   "model fixed-length lists feature");
    if (d.length == 0)
      return createErrorAt(offset, "Fixed-length lists must have more than "
                                   "zero elements");
    if (d.length > (1u << 30))
      return createErrorAt(offset, "fixed-length list element count exceeds "
                                   "limit of 1073741824");
    out.length = d.length;
    [[fallthrough]];
  case Kind::List:
  case Kind::Option:
    if (d.first)
      if (Error e = vt(*d.first).moveInto(out.first.emplace()))
        return std::move(e);
    break;
  case Kind::Result:
    if (d.first)
      if (Error e = vt(*d.first).moveInto(out.first.emplace()))
        return std::move(e);
    if (d.second)
      if (Error e = vt(*d.second).moveInto(out.second.emplace()))
        return std::move(e);
    break;
  case Kind::Own:
  case Kind::Borrow:
    if (Error e = resourceAt(d.resource, offset).moveInto(out.resource))
      return std::move(e);
    out.resourceType = cur().types[d.resource];
    t.mentionsResources = true;
    break;
  case Kind::Stream:
  case Kind::Future:
    if (!features.has(Feature::CmAsync))
      return createErrorAt(offset, "component model async support is not "
                                   "enabled");
    if (d.first) {
      if (Error e = vt(*d.first).moveInto(out.first.emplace()))
        return std::move(e);
      const CValType &elem = *out.first;
      bool isChar =
          elem.isPrim ? elem.prim == TypeCode::Char
                      : arena.types[elem.id].defined.kind == Kind::Primitive &&
                            arena.types[elem.id].defined.prim == TypeCode::Char;
      if (d.kind == Kind::Stream && isChar)
        return createErrorAt(offset,
                             "`stream<char>` is not valid at this time, use "
                             "`stream<u8>` with a defined by encoding "
                             "instead for now");
    }
    break;
  case Kind::Map:
    if (!features.has(Feature::CmMap))
      return createErrorAt(offset, "Maps require the component model map "
                                   "feature");
    if (Error e = vt(*d.first).moveInto(out.first.emplace()))
      return std::move(e);
    if (Error e = vt(*d.second).moveInto(out.second.emplace()))
      return std::move(e);
    break;
  }
  return arena.add(std::move(t));
}

Expected<TypeId> ComponentValidator::funcType(const FuncType &f,
                                              uint64_t offset) {
  if (f.isAsync && !features.has(Feature::CmAsync))
    return createErrorAt(offset, "async component functions require the "
                                 "component model async feature");
  CType t;
  t.kind = CType::Kind::Func;
  t.func.isAsync = f.isAsync;
  StringMap<StringRef> seen;
  for (const LabeledValType &p : f.params) {
    if (Error e = checkLabel(p.label, "function parameter", offset))
      return std::move(e);
    auto ins = seen.try_emplace(p.label.lower(), p.label);
    if (!ins.second)
      return createErrorAt(offset, "function parameter name `" + p.label +
                                       "` conflicts with previous parameter "
                                       "name `" +
                                       ins.first->second + "`");
    CValType v;
    if (Error e = valType(p.type, offset).moveInto(v))
      return std::move(e);
    t.func.params.emplace_back(p.label.str(), v);
  }
  if (f.result) {
    CValType v;
    if (Error e = valType(*f.result, offset).moveInto(v))
      return std::move(e);
    bool borrow = false;
    forEachResource(arena, v, [&](ResourceId, bool b) { borrow |= b; });
    if (borrow)
      return createErrorAt(offset, "function result cannot contain a "
                                   "`borrow` type");
    t.func.result = v;
  }
  return arena.add(std::move(t));
}

Error ComponentValidator::typeDef(const TypeDef &t) {
  Scope &s = cur();
  switch (t.kind) {
  case TypeDef::Kind::Resource: {
    if (s.kind != Scope::Kind::Component)
      return createErrorAt(t.offset, "resources can only be defined within "
                                     "a concrete component");
    const wasm::ValType &rep = t.resource.rep;
    if (rep.code != 0x7f && rep.code != 0x7e)
      return createErrorAt(t.offset, "resources can only be represented by "
                                     "`i32` or `i64`");
    if (rep.code == 0x7e && !features.has(Feature::Cm64))
      return createErrorAt(t.offset, "resources with `i64` require the "
                                     "`cm64` feature to be enabled");
    if (t.resource.dtor) {
      uint32_t f = *t.resource.dtor;
      if (f >= s.coreFuncs.size())
        return createErrorAt(t.offset, "unknown function " + Twine(f) +
                                           ": function index out of bounds");
      TypeId ft = s.coreFuncs[f];
      const wasm::FuncType &sig = arena.core[ft].composite.func;
      if (sig.params.size() != 1 || sig.params[0].code != rep.code ||
          !sig.results.empty())
        return createErrorAt(t.offset, "core function " + Twine(f) +
                                           " has wrong signature for a "
                                           "destructor");
    }
    ResourceId r = arena.newResource();
    arena.resourceRep[r] = rep.code;
    s.localResources.insert(r);
    s.knownResources.insert(r);
    s.self.definedResources.push_back(r);
    s.types.push_back(arena.addResource(r));
    return Error::success();
  }
  case TypeDef::Kind::Defined: {
    TypeId id;
    if (Error e = definedType(t.defined, t.offset).moveInto(id))
      return e;
    s.types.push_back(id);
    return Error::success();
  }
  case TypeDef::Kind::Func: {
    TypeId id;
    if (Error e = funcType(t.func, t.offset).moveInto(id))
      return e;
    s.types.push_back(id);
    return Error::success();
  }
  case TypeDef::Kind::Component:
  case TypeDef::Kind::Instance: {
    TypeId id;
    if (Error e = declaredType(t).moveInto(id))
      return e;
    if (arena.types[id].size > MaxTypeSize)
      return createErrorAt(t.offset, "effective type size exceeds the limit "
                                     "of " +
                                         Twine(MaxTypeSize));
    s.types.push_back(id);
    return Error::success();
  }
  }
  return Error::success();
}

Expected<TypeId> ComponentValidator::declaredType(const TypeDef &t) {
  bool isInstance = t.kind == TypeDef::Kind::Instance;
  scopes.emplace_back();
  Scope &outer = scopes[scopes.size() - 2];
  cur().kind =
      isInstance ? Scope::Kind::InstanceType : Scope::Kind::ComponentType;
  cur().knownResources = outer.knownResources;
  for (const Decl &d : t.decls) {
    Error err = Error::success();
    switch (d.kind) {
    case Decl::Kind::CoreType:
      err = coreTypeDef(*d.coreType);
      break;
    case Decl::Kind::Type:
      err = typeDef(*d.type);
      break;
    case Decl::Kind::Alias:
      err = alias(d.alias, true);
      break;
    case Decl::Kind::Import:
      err = importItem(d.offset, d.name, d.desc);
      break;
    case Decl::Kind::Export: {
      Entity e;
      if (Error x = externDesc(d.desc, d.offset).moveInto(e))
        return std::move(x);
      if (e.kind == Entity::Kind::Type &&
          d.desc.bound == ExternDesc::Bound::SubResource)
        cur().self.definedResources.push_back(arena.types[e.id].resource);
      if (e.kind == Entity::Kind::Instance) {
        e = freshen(e);
        for (ResourceId r : arena.types[e.id].comp.definedResources)
          cur().self.definedResources.push_back(r);
      }
      if (Error x = checkExportName(d.name, d.offset, e))
        return std::move(x);
      if (cur().kind == Scope::Kind::ComponentType && !isNamed(e, false))
        return createErrorAt(d.offset, entityKindName(e.kind) +
                                           " not valid to be used as export");
      if (std::optional<std::string> prev =
              cur().exportNames.insert(d.name.name))
        return createErrorAt(d.offset, "export name `" + d.name.name +
                                           "` conflicts with previous name "
                                           "`" +
                                           *prev + "`");
      push(e);
      recordNamed(d.name.name, e, false);
      // A resource a type declares by exporting it is its own.
      if (e.kind == Entity::Kind::Type &&
          arena.types[e.id].kind == CType::Kind::Resource)
        cur().named.resources.insert(arena.types[e.id].resource);
      cur().self.exports.add(d.name.name, e);
      break;
    }
    }
    if (err) {
      scopes.pop_back();
      return std::move(err);
    }
  }
  CType out;
  out.kind = isInstance ? CType::Kind::Instance : CType::Kind::Component;
  out.comp = std::move(cur().self);
  scopes.pop_back();
  return arena.add(std::move(out));
}

Expected<Entity> ComponentValidator::externDesc(const ExternDesc &d,
                                                uint64_t offset) {
  Entity e;
  switch (d.kind) {
  case wasm::ExternKind::CoreModule: {
    if (d.index >= cur().coreTypes.size())
      return createErrorAt(offset, "unknown core type " + Twine(d.index) +
                                       ": type index out of bounds");
    if (!cur().coreTypes[d.index].isModule)
      return createErrorAt(offset, "core type index " + Twine(d.index) +
                                       " is not a module type");
    e.kind = Entity::Kind::Module;
    e.id = cur().coreTypes[d.index].id;
    return e;
  }
  case wasm::ExternKind::Func:
    e.kind = Entity::Kind::Func;
    if (Error err = funcTypeAt(d.index, offset).moveInto(e.id))
      return std::move(err);
    return e;
  case wasm::ExternKind::Value:
    if (!features.has(Feature::CmValues))
      return createErrorAt(offset, "support for component model `value`s "
                                   "is not enabled");
    e.kind = Entity::Kind::Value;
    if (Error err = valType(d.value, offset).moveInto(e.value))
      return std::move(err);
    return e;
  case wasm::ExternKind::Type:
    e.kind = Entity::Kind::Type;
    if (d.bound == ExternDesc::Bound::SubResource) {
      ResourceId r = arena.newResource();
      cur().knownResources.insert(r);
      e.id = arena.addResource(r);
      return e;
    }
    if (Error err = typeAt(d.index, offset).moveInto(e.id))
      return std::move(err);
    return e;
  case wasm::ExternKind::Component:
  case wasm::ExternKind::Instance: {
    bool inst = d.kind == wasm::ExternKind::Instance;
    e.kind = inst ? Entity::Kind::Instance : Entity::Kind::Component;
    if (Error err = typeAt(d.index, offset).moveInto(e.id))
      return std::move(err);
    if (arena.types[e.id].kind !=
        (inst ? CType::Kind::Instance : CType::Kind::Component))
      return createErrorAt(offset, "type index " + Twine(d.index) + " is not " +
                                       (inst ? "an instance" : "a component") +
                                       " type");
    return e;
  }
  }
  return e;
}

/// Reports a concrete heap type that names a module type: a rec group can
/// only refer to core types.
static Error checkNoModuleRefs(const wasm::RecGroup &g,
                               ArrayRef<CoreTypeRef> space, uint64_t offset) {
  auto check = [&](const wasm::ValType &v) -> Error {
    if (v.isRef() && v.ref.heapType >= 0 &&
        uint64_t(v.ref.heapType) < space.size() &&
        space[v.ref.heapType].isModule)
      return createErrorAt(offset, "type index " + Twine(v.ref.heapType) +
                                       " is a module type, not a sub type");
    return Error::success();
  };
  for (const wasm::SubType &t : g.types) {
    for (uint32_t s : t.supertypes)
      if (s < space.size() && space[s].isModule)
        return createErrorAt(offset, "type index " + Twine(s) +
                                         " is a module type, not a sub type");
    for (const wasm::ValType &v : t.composite.func.params)
      if (Error e = check(v))
        return e;
    for (const wasm::ValType &v : t.composite.func.results)
      if (Error e = check(v))
        return e;
    for (const wasm::FieldType &f : t.composite.fields)
      if (Error e = check(f.type))
        return e;
  }
  return Error::success();
}

Error ComponentValidator::coreTypeDef(const CoreTypeDef &t) {
  Scope &s = cur();
  if (t.kind == CoreTypeDef::Kind::Module) {
    TypeId id;
    if (Error e = moduleType(t).moveInto(id))
      return e;
    s.coreTypes.push_back({true, id});
    return Error::success();
  }
  if (Error e = checkNoModuleRefs(t.rec, s.coreTypes, t.offset))
    return e;
  std::vector<TypeId> space;
  for (const CoreTypeRef &r : s.coreTypes)
    space.push_back(r.isModule ? UINT32_MAX : r.id);
  size_t before = space.size();
  if (Error e = addRecGroup(t.rec, t.offset, space, arena, features))
    return e;
  for (size_t k = before; k < space.size(); ++k)
    s.coreTypes.push_back({false, space[k]});
  return Error::success();
}

Expected<TypeId> ComponentValidator::moduleType(const CoreTypeDef &t) {
  ModuleType mt;
  std::vector<TypeId> space;
  StringSet<> importNames;
  for (const ModuleDecl &d : t.decls) {
    switch (d.kind) {
    case ModuleDecl::Kind::Type:
      if (Error e = addRecGroup(d.type, d.offset, space, arena, features))
        return std::move(e);
      break;
    case ModuleDecl::Kind::Alias: {
      // Outer aliases reach the core types of enclosing scopes; count 1 is
      // the scope holding this module type.
      if (d.outerCount == 0 || d.outerCount > scopes.size())
        return createErrorAt(d.offset, "invalid outer alias count of " +
                                           Twine(d.outerCount));
      Scope &outer = scopes[scopes.size() - d.outerCount];
      if (d.outerIndex >= outer.coreTypes.size())
        return createErrorAt(d.offset, "unknown core type " +
                                           Twine(d.outerIndex) +
                                           ": type index out of bounds");
      if (outer.coreTypes[d.outerIndex].isModule)
        return createErrorAt(d.offset, "type index " + Twine(d.outerIndex) +
                                           " is a module type, not a sub "
                                           "type");
      space.push_back(outer.coreTypes[d.outerIndex].id);
      break;
    }
    case ModuleDecl::Kind::Import:
    case ModuleDecl::Kind::Export: {
      const wasm::ExternType &x =
          d.kind == ModuleDecl::Kind::Import ? d.import.type : d.exportType;
      ModuleContext ctx(features, arena);
      ctx.types = space;
      CoreExtern ce;
      ce.kind = x.kind;
      uint32_t typeIndex =
          x.kind == wasm::ExternType::Kind::Tag ? x.tag.typeIndex : x.funcType;
      switch (x.kind) {
      case wasm::ExternType::Kind::Func:
      case wasm::ExternType::Kind::Tag:
        if (x.kind == wasm::ExternType::Kind::Tag &&
            !features.has(Feature::Exceptions))
          return createErrorAt(d.offset, "exceptions proposal not enabled");
        if (typeIndex >= space.size())
          return createErrorAt(d.offset, "unknown type " + Twine(typeIndex) +
                                             ": type index out of bounds");
        if (!ctx.funcType(space[typeIndex]))
          return createErrorAt(d.offset, "type index " + Twine(typeIndex) +
                                             " is not a function type");
        ce.func = space[typeIndex];
        break;
      case wasm::ExternType::Kind::Table:
        ce.table = x.table;
        if (Error e = ctx.toArena(ce.table.elemType, d.offset))
          return std::move(e);
        if (Error e = checkLimits(ce.table.limits, true, d.offset, features))
          return std::move(e);
        break;
      case wasm::ExternType::Kind::Memory:
        ce.memory = x.memory;
        if (Error e = checkLimits(ce.memory.limits, false, d.offset, features))
          return std::move(e);
        break;
      case wasm::ExternType::Kind::Global:
        ce.global = x.global;
        if (Error e = ctx.toArena(ce.global.type, d.offset))
          return std::move(e);
        break;
      }
      if (d.kind == ModuleDecl::Kind::Import) {
        if (!importNames
                 .insert((d.import.module + Twine('\0') + d.import.field).str())
                 .second)
          return createErrorAt(d.offset,
                               "duplicate import name `" + d.import.module +
                                   ":" + d.import.field + "` already defined");
        mt.imports.push_back({d.import.module.str(), d.import.field.str(), ce});
      } else if (!mt.exports.add(d.exportName, ce)) {
        return createErrorAt(d.offset, "duplicate export name `" +
                                           d.exportName + "` already defined");
      }
      break;
    }
    }
  }
  return arena.addModule(std::move(mt));
}
