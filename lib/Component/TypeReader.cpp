//===- TypeReader.cpp - Component types -----------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Readers of the component type productions: value types, extern names and
/// descriptions, core types (rec groups and module types, whose members are
/// decoded by the core reader of CoreTypes.h so both layers agree on one
/// encoding), defined value types, and component and instance types with
/// their declarations. Component, instance and module types have index
/// spaces of their own; the readers number each declaration in them as the
/// spec does, so the dumper and the WIT decoder can resolve indices inside a
/// type. Nesting is bounded (MaxNesting) so that a small malicious file
/// cannot exhaust the stack.
///
//===----------------------------------------------------------------------===//

#include "ReaderParts.h"
#include "wcl/Wasm/CoreTypes.h"
#include <memory>

using namespace llvm;
using namespace wcl;
using namespace wcl::component;
using namespace wcl::component::reader;
using namespace wcl::wasm;

StringRef wcl::component::primitiveName(TypeCode code) {
  switch (code) {
  case TypeCode::Bool:
    return "bool";
  case TypeCode::S8:
    return "s8";
  case TypeCode::U8:
    return "u8";
  case TypeCode::S16:
    return "s16";
  case TypeCode::U16:
    return "u16";
  case TypeCode::S32:
    return "s32";
  case TypeCode::U32:
    return "u32";
  case TypeCode::S64:
    return "s64";
  case TypeCode::U64:
    return "u64";
  case TypeCode::F32:
    return "f32";
  case TypeCode::F64:
    return "f64";
  case TypeCode::Char:
    return "char";
  case TypeCode::String:
    return "string";
  case TypeCode::ErrorContext:
    return "error-context";
  default:
    return "";
  }
}

//===----------------------------------------------------------------------===//
// Value types and names
//===----------------------------------------------------------------------===//

Expected<component::ValType> reader::readCompValType(BinaryReader &r) {
  uint64_t at = r.offset();
  uint8_t b;
  if (Error e = r.peekU8().moveInto(b))
    return std::move(e);
  if (!primitiveName(TypeCode(b)).empty()) {
    consumeError(r.readU8().takeError());
    return component::ValType::prim(TypeCode(b));
  }
  // Type indices share the encoding with type codes: a non-negative s33.
  int64_t v;
  if (Error e = r.readVarS33().moveInto(v))
    return std::move(e);
  if (v < 0)
    return unknownByte(at, b, "value type");
  return component::ValType::typeIndex(uint32_t(v));
}

/// `<T>?`: 0x00 for none, 0x01 followed by a valtype.
static Error readOptValType(BinaryReader &r,
                            std::optional<component::ValType> &out) {
  bool present;
  if (Error e = readFlag(r, "optional value type").moveInto(present))
    return e;
  if (!present) {
    out.reset();
    return Error::success();
  }
  return readCompValType(r).moveInto(out);
}

static Error readLabeledValType(BinaryReader &r, LabeledValType &out) {
  if (Error e = r.readName().moveInto(out.label))
    return e;
  return readCompValType(r).moveInto(out.type);
}

Expected<std::optional<component::ValType>>
reader::readResultList(BinaryReader &r) {
  uint64_t at = r.offset();
  uint8_t b;
  if (Error e = r.readU8().moveInto(b))
    return std::move(e);
  if (b == 0x00) {
    component::ValType t;
    if (Error e = readCompValType(r).moveInto(t))
      return std::move(e);
    return std::optional<component::ValType>(t);
  }
  if (b != 0x01)
    return unknownByte(at, b, "result list");
  at = r.offset();
  uint8_t zero;
  if (Error e = r.readU8().moveInto(zero))
    return std::move(e);
  if (zero != 0x00)
    return BinaryReader::errorAt(at, "invalid result list: expected 0x00 "
                                     "after 0x01, found " +
                                         hexByte(zero));
  return std::optional<component::ValType>();
}

/// One `nameattribute` of a 0x02-form name.
static Error readNameAttribute(BinaryReader &r, ExternName &n) {
  uint64_t at = r.offset();
  uint8_t tag;
  if (Error e = r.readU8().moveInto(tag))
    return e;
  std::optional<StringRef> *slot;
  StringRef what;
  switch (tag) {
  case 0x00:
    slot = &n.implements;
    what = "implements";
    break;
  case 0x01:
    slot = &n.versionSuffix;
    what = "versionsuffix";
    break;
  case 0x02:
    slot = &n.externalId;
    what = "external-id";
    break;
  default:
    return unknownByte(at, tag, "name attribute");
  }
  if (*slot)
    return BinaryReader::errorAt(at,
                                 "duplicate '" + what + "' attribute in name");
  return r.readName().moveInto(*slot);
}

Expected<ExternName> reader::readExternName(BinaryReader &r) {
  ExternName n;
  n.offset = r.offset();
  if (Error e = r.readU8().moveInto(n.form))
    return std::move(e);
  if (n.form > 0x02)
    return unknownByte(n.offset, n.form, "name form");
  if (Error e = r.readName().moveInto(n.name))
    return std::move(e);
  if (n.form != 0x02)
    return n;
  if (Error e = r.readVector(2, [&] { return readNameAttribute(r, n); }))
    return std::move(e);
  return n;
}

/// Reads the bound of a type or value extern description: 0x00 (eq, an index
/// follows) or 0x01 (sub resource for types, a valtype for values).
static Error readBound(BinaryReader &r, uint8_t &bound, StringRef what) {
  uint64_t at = r.offset();
  if (Error e = r.readU8().moveInto(bound))
    return e;
  if (bound > 0x01)
    return unknownByte(at, bound, what);
  return Error::success();
}

Expected<ExternDesc> reader::readExternDesc(BinaryReader &r) {
  ExternDesc d;
  uint64_t at = r.offset();
  uint8_t b;
  if (Error e = r.readU8().moveInto(b))
    return std::move(e);
  switch (b) {
  case 0x00: {
    uint64_t sortAt = r.offset();
    uint8_t s;
    if (Error e = r.readU8().moveInto(s))
      return std::move(e);
    if (s != uint8_t(CoreSort::Module))
      return BinaryReader::errorAt(sortAt, "invalid extern type: core sort " +
                                               hexByte(s) +
                                               " is not module (0x11)");
    d.kind = ExternKind::CoreModule;
    break;
  }
  case 0x01:
  case 0x04:
  case 0x05:
    d.kind = ExternKind(b);
    break;
  case 0x02:
    // (value t): a value type follows directly, with no bound byte
    // (wasmparser's ComponentTypeRef::Value).
    d.kind = ExternKind::Value;
    d.bound = ExternDesc::Bound::ValType;
    if (Error e = readCompValType(r).moveInto(d.value))
      return std::move(e);
    return d;
  case 0x03: {
    d.kind = ExternKind::Type;
    uint8_t bound;
    if (Error e = readBound(r, bound, "type bound"))
      return std::move(e);
    if (bound == 0x01) {
      d.bound = ExternDesc::Bound::SubResource;
      return d;
    }
    d.bound = ExternDesc::Bound::Eq;
    break;
  }
  default:
    return unknownByte(at, b, "extern type");
  }
  if (Error e = r.readVarU32().moveInto(d.index))
    return std::move(e);
  return d;
}

//===----------------------------------------------------------------------===//
// Core types
//===----------------------------------------------------------------------===//

namespace {

/// Per-scope index counters of a component or instance type, or of a
/// module type (which only uses the core spaces).
using ScopeCounts = std::array<uint32_t, NumIndexSpaces>;

} // namespace

static uint32_t bump(ScopeCounts &counts, IndexSpace s, uint32_t n = 1) {
  uint32_t first = counts[size_t(s)];
  counts[size_t(s)] += n;
  return first;
}

/// `0x02 0x10 0x01 ct idx`: the one alias a module type may declare.
static Error readModuleTypeAlias(BinaryReader &r, ModuleDecl &d) {
  uint64_t at = r.offset();
  uint8_t sort;
  if (Error e = r.readU8().moveInto(sort))
    return e;
  if (sort != uint8_t(CoreSort::Type))
    return unknownByte(at, sort, "module type alias sort");
  at = r.offset();
  uint8_t target;
  if (Error e = r.readU8().moveInto(target))
    return e;
  if (target != 0x01)
    return unknownByte(at, target, "module type alias target");
  if (Error e = r.readVarU32().moveInto(d.outerCount))
    return e;
  return r.readVarU32().moveInto(d.outerIndex);
}

static Expected<ModuleDecl> readModuleDecl(BinaryReader &r,
                                           ScopeCounts &counts) {
  ModuleDecl d;
  d.offset = r.offset();
  uint8_t tag;
  if (Error e = r.readU8().moveInto(tag))
    return std::move(e);
  switch (tag) {
  case 0x00:
    d.kind = ModuleDecl::Kind::Import;
    if (Error e = wasm::readImport(r).moveInto(d.import))
      return std::move(e);
    d.index = bump(counts, coreIndexSpace(d.import.type.kind));
    return d;
  case 0x01:
    d.kind = ModuleDecl::Kind::Type;
    if (Error e = readRecGroup(r).moveInto(d.type))
      return std::move(e);
    d.index = bump(counts, IndexSpace::CoreType, d.type.types.size());
    return d;
  case 0x02:
    d.kind = ModuleDecl::Kind::Alias;
    if (Error e = readModuleTypeAlias(r, d))
      return std::move(e);
    d.index = bump(counts, IndexSpace::CoreType);
    return d;
  case 0x03:
    d.kind = ModuleDecl::Kind::Export;
    if (Error e = r.readName().moveInto(d.exportName))
      return std::move(e);
    if (Error e = readExternType(r).moveInto(d.exportType))
      return std::move(e);
    return d;
  default:
    return unknownByte(d.offset, tag, "module type declaration");
  }
}

Expected<CoreTypeDef> reader::readCoreType(BinaryReader &r) {
  CoreTypeDef t;
  t.offset = r.offset();
  uint8_t lead;
  if (Error e = r.peekU8().moveInto(lead))
    return std::move(e);
  if (lead == 0x00) {
    // A non-final `sub` is written 0x00 0x50 here, because a bare 0x50
    // means a module type in this position.
    consumeError(r.readU8().takeError());
    uint64_t at = r.offset();
    uint8_t sub;
    if (Error e = r.readU8().moveInto(sub))
      return std::move(e);
    if (sub != 0x50)
      return BinaryReader::errorAt(at, "invalid core type: expected 0x50 "
                                       "after 0x00, found " +
                                           hexByte(sub));
    t.kind = CoreTypeDef::Kind::Rec;
    t.rec.explicitRec = false;
    if (Error e =
            readSubTypeAfter(0x50, r).moveInto(t.rec.types.emplace_back()))
      return std::move(e);
    return t;
  }
  if (lead == uint8_t(CoreTypeCode::Module)) {
    consumeError(r.readU8().takeError());
    t.kind = CoreTypeDef::Kind::Module;
    // A module type is validated with an initially empty type index space.
    ScopeCounts counts{};
    if (Error e = r.readVector(2, [&]() {
          return readModuleDecl(r, counts).moveInto(t.decls.emplace_back());
        }))
      return std::move(e);
    return t;
  }
  t.kind = CoreTypeDef::Kind::Rec;
  if (Error e = readRecGroup(r).moveInto(t.rec))
    return std::move(e);
  return t;
}

//===----------------------------------------------------------------------===//
// Defined types
//===----------------------------------------------------------------------===//

static Error readVariantCase(BinaryReader &r, DefinedType::Case &c) {
  if (Error e = r.readName().moveInto(c.label))
    return e;
  if (Error e = readOptValType(r, c.type))
    return e;
  // The trailing 0x00 is a reserved "refines" slot, now always empty.
  uint64_t zeroAt = r.offset();
  uint8_t zero;
  if (Error e = r.readU8().moveInto(zero))
    return e;
  if (zero != 0x00)
    return BinaryReader::errorAt(zeroAt, "invalid variant case: expected 0x00 "
                                         "after the case type, found " +
                                             hexByte(zero));
  return Error::success();
}

/// The parts of a defvaltype after its lead byte \p code, into \p d (whose
/// kind is set).
static Error readDefinedTypeBody(TypeCode code, BinaryReader &r,
                                 DefinedType &d) {
  switch (code) {
  case TypeCode::Record:
    return r.readVector(
        2, [&] { return readLabeledValType(r, d.fields.emplace_back()); });
  case TypeCode::Variant:
    return r.readVector(
        3, [&] { return readVariantCase(r, d.cases.emplace_back()); });
  case TypeCode::FixedList:
    if (Error e = readCompValType(r).moveInto(d.first))
      return e;
    return r.readVarU32().moveInto(d.length);
  case TypeCode::Tuple:
    return r.readVector(
        1, [&] { return readCompValType(r).moveInto(d.types.emplace_back()); });
  case TypeCode::Flags:
  case TypeCode::Enum:
    return r.readVector(
        1, [&] { return r.readName().moveInto(d.labels.emplace_back()); });
  case TypeCode::List:
  case TypeCode::Option:
    return readCompValType(r).moveInto(d.first);
  case TypeCode::Result:
    if (Error e = readOptValType(r, d.first))
      return e;
    return readOptValType(r, d.second);
  case TypeCode::Own:
  case TypeCode::Borrow:
    return r.readVarU32().moveInto(d.resource);
  case TypeCode::Stream:
  case TypeCode::Future:
    return readOptValType(r, d.first);
  case TypeCode::Map:
    if (Error e = readCompValType(r).moveInto(d.first))
      return e;
    return readCompValType(r).moveInto(d.second);
  default:
    llvm_unreachable("definedTypeKind accepts only the codes handled here");
  }
}

/// The DefinedType kind of lead byte \p code, if it starts a defvaltype
/// other than a primitive.
static std::optional<DefinedType::Kind> definedTypeKind(TypeCode code) {
  using Kind = DefinedType::Kind;
  switch (code) {
  case TypeCode::Record:
    return Kind::Record;
  case TypeCode::Variant:
    return Kind::Variant;
  case TypeCode::List:
    return Kind::List;
  case TypeCode::FixedList:
    return Kind::FixedList;
  case TypeCode::Tuple:
    return Kind::Tuple;
  case TypeCode::Flags:
    return Kind::Flags;
  case TypeCode::Enum:
    return Kind::Enum;
  case TypeCode::Option:
    return Kind::Option;
  case TypeCode::Result:
    return Kind::Result;
  case TypeCode::Own:
    return Kind::Own;
  case TypeCode::Borrow:
    return Kind::Borrow;
  case TypeCode::Stream:
    return Kind::Stream;
  case TypeCode::Future:
    return Kind::Future;
  case TypeCode::Map:
    return Kind::Map;
  default:
    return std::nullopt;
  }
}

static Expected<DefinedType> readDefinedType(uint8_t lead, uint64_t at,
                                             BinaryReader &r) {
  DefinedType d;
  if (!primitiveName(TypeCode(lead)).empty()) {
    d.kind = DefinedType::Kind::Primitive;
    d.primitive = TypeCode(lead);
    return d;
  }
  std::optional<DefinedType::Kind> kind = definedTypeKind(TypeCode(lead));
  if (!kind)
    return unknownByte(at, lead, "type constructor");
  d.kind = *kind;
  if (Error e = readDefinedTypeBody(TypeCode(lead), r, d))
    return std::move(e);
  return d;
}

//===----------------------------------------------------------------------===//
// Type definitions and declarations
//===----------------------------------------------------------------------===//

namespace {

/// Reads deftypes, tracking how deeply component and instance types nest.
class TypeReader {
public:
  explicit TypeReader(unsigned depth) : depth(depth) {}

  Expected<TypeDef> readTypeDef(BinaryReader &r);

private:
  Error readResourceType(BinaryReader &r, ResourceType &out);
  Error readFuncType(BinaryReader &r, uint8_t lead, component::FuncType &out);
  Error readDecls(BinaryReader &r, TypeDef &t);
  Expected<Decl> readDecl(BinaryReader &r, bool inComponentType,
                          ScopeCounts &counts);

  unsigned depth;
};

} // namespace

Error TypeReader::readResourceType(BinaryReader &r, ResourceType &out) {
  if (Error e = wasm::readValType(r).moveInto(out.rep))
    return e;
  bool hasDtor;
  if (Error e = readFlag(r, "resource destructor").moveInto(hasDtor))
    return e;
  if (!hasDtor)
    return Error::success();
  return r.readVarU32().moveInto(out.dtor);
}

Error TypeReader::readFuncType(BinaryReader &r, uint8_t lead,
                               component::FuncType &out) {
  out.isAsync = lead == uint8_t(TypeCode::AsyncFunc);
  if (Error e = r.readVector(
          2, [&] { return readLabeledValType(r, out.params.emplace_back()); }))
    return e;
  return readResultList(r).moveInto(out.result);
}

/// The declarations of a component or instance type (kind already set).
Error TypeReader::readDecls(BinaryReader &r, TypeDef &t) {
  if (depth >= MaxNesting)
    return BinaryReader::errorAt(t.offset, "types nested too deeply");
  bool isComponent = t.kind == TypeDef::Kind::Component;
  // Each component and instance type starts with empty index spaces.
  ScopeCounts counts{};
  TypeReader inner(depth + 1);
  return r.readVector(2, [&]() -> Error {
    Decl d;
    if (Error e = inner.readDecl(r, isComponent, counts).moveInto(d))
      return e;
    t.decls.push_back(std::move(d));
    return Error::success();
  });
}

Expected<TypeDef> TypeReader::readTypeDef(BinaryReader &r) {
  TypeDef t;
  t.offset = r.offset();
  uint8_t lead;
  if (Error e = r.readU8().moveInto(lead))
    return std::move(e);
  switch (lead) {
  case uint8_t(TypeCode::Resource):
    t.kind = TypeDef::Kind::Resource;
    if (Error e = readResourceType(r, t.resource))
      return std::move(e);
    return t;
  case uint8_t(TypeCode::Func):
  case uint8_t(TypeCode::AsyncFunc):
    t.kind = TypeDef::Kind::Func;
    if (Error e = readFuncType(r, lead, t.func))
      return std::move(e);
    return t;
  case uint8_t(TypeCode::Component):
  case uint8_t(TypeCode::Instance):
    t.kind = lead == uint8_t(TypeCode::Component) ? TypeDef::Kind::Component
                                                  : TypeDef::Kind::Instance;
    if (Error e = readDecls(r, t))
      return std::move(e);
    return t;
  default:
    t.kind = TypeDef::Kind::Defined;
    if (Error e = readDefinedType(lead, t.offset, r).moveInto(t.defined))
      return std::move(e);
    return t;
  }
}

Expected<Decl> TypeReader::readDecl(BinaryReader &r, bool inComponentType,
                                    ScopeCounts &counts) {
  Decl d;
  d.offset = r.offset();
  uint8_t tag;
  if (Error e = r.readU8().moveInto(tag))
    return std::move(e);
  switch (tag) {
  case 0x00: {
    d.kind = Decl::Kind::CoreType;
    CoreTypeDef ct;
    if (Error e = readCoreType(r).moveInto(ct))
      return std::move(e);
    d.space = IndexSpace::CoreType;
    d.index = bump(counts, d.space, ct.numTypes());
    ct.index = d.index;
    d.coreType = std::make_unique<CoreTypeDef>(std::move(ct));
    return d;
  }
  case 0x01: {
    d.kind = Decl::Kind::Type;
    TypeDef t;
    if (Error e = readTypeDef(r).moveInto(t))
      return std::move(e);
    d.space = IndexSpace::Type;
    d.index = bump(counts, d.space);
    t.index = d.index;
    d.type = std::make_unique<TypeDef>(std::move(t));
    return d;
  }
  case 0x02:
    d.kind = Decl::Kind::Alias;
    if (Error e = readAlias(r).moveInto(d.alias))
      return std::move(e);
    d.space = d.alias.sort.space();
    d.index = bump(counts, d.space);
    d.alias.index = d.index;
    return d;
  case 0x03:
  case 0x04:
    if (tag == 0x03 && !inComponentType)
      return BinaryReader::errorAt(d.offset,
                                   "import declaration in an instance type");
    d.kind = tag == 0x03 ? Decl::Kind::Import : Decl::Kind::Export;
    if (Error e = readExternName(r).moveInto(d.name))
      return std::move(e);
    if (Error e = readExternDesc(r).moveInto(d.desc))
      return std::move(e);
    d.space = d.desc.sort().space();
    d.index = bump(counts, d.space);
    return d;
  default:
    return unknownByte(d.offset, tag,
                       inComponentType ? "component type declaration"
                                       : "instance type declaration");
  }
}

Expected<TypeDef> reader::readTypeDef(BinaryReader &r, unsigned depth) {
  return TypeReader(depth).readTypeDef(r);
}
