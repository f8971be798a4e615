//===- ComponentReader.cpp - Component binary reader ----------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Decodes component binaries section by section. Core types inside a
/// component (its core type section, module types, core imports and exports
/// in declarations) are decoded with the core reader of CoreTypes.h so both
/// layers agree on one encoding. Index numbering follows the spec: every
/// definition that introduces an item (import, alias, canon, export, ...)
/// appends to its sort's index space in file order, which is what lets the
/// dumper print `-> core func 7` and the WIT decoder resolve a type index to
/// its definition.
///
/// Nesting (components in components, types in types) is bounded so that a
/// small malicious file cannot exhaust the stack.
///
//===----------------------------------------------------------------------===//

#include "wcl/Component/ComponentReader.h"
#include "wcl/Support/Error.h"
#include "wcl/Wasm/BinaryReader.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::component;
using namespace wcl::wasm;

// Deeper nesting than this is refused rather than recursed into; real
// components nest a handful of levels.
static constexpr unsigned MaxNesting = 100;
// A start function's results each add a value index; the reader materialises
// index entries, so their count must be bounded by something other than the
// input size.
static constexpr uint32_t MaxStartResults = 1000;

static std::string hexByte(uint8_t b) { return "0x" + utohexstr(b, true, 2); }

//===----------------------------------------------------------------------===//
// Sorts and index spaces
//===----------------------------------------------------------------------===//

IndexSpace SortKind::space() const {
  switch (sort) {
  case Sort::Core:
    switch (core) {
    case CoreSort::Func:
      return IndexSpace::CoreFunc;
    case CoreSort::Table:
      return IndexSpace::CoreTable;
    case CoreSort::Memory:
      return IndexSpace::CoreMemory;
    case CoreSort::Global:
      return IndexSpace::CoreGlobal;
    case CoreSort::Tag:
      return IndexSpace::CoreTag;
    case CoreSort::Type:
      return IndexSpace::CoreType;
    case CoreSort::Module:
      return IndexSpace::CoreModule;
    case CoreSort::Instance:
      return IndexSpace::CoreInstance;
    }
    break;
  case Sort::Func:
    return IndexSpace::Func;
  case Sort::Value:
    return IndexSpace::Value;
  case Sort::Type:
    return IndexSpace::Type;
  case Sort::Component:
    return IndexSpace::Component;
  case Sort::Instance:
    return IndexSpace::Instance;
  }
  llvm_unreachable("sort kinds are only built from decoded sort bytes");
}

SortKind wcl::component::sortOf(IndexSpace space) {
  switch (space) {
  case IndexSpace::CoreFunc:
    return SortKind::coreSort(CoreSort::Func);
  case IndexSpace::CoreTable:
    return SortKind::coreSort(CoreSort::Table);
  case IndexSpace::CoreMemory:
    return SortKind::coreSort(CoreSort::Memory);
  case IndexSpace::CoreGlobal:
    return SortKind::coreSort(CoreSort::Global);
  case IndexSpace::CoreTag:
    return SortKind::coreSort(CoreSort::Tag);
  case IndexSpace::CoreType:
    return SortKind::coreSort(CoreSort::Type);
  case IndexSpace::CoreModule:
    return SortKind::coreSort(CoreSort::Module);
  case IndexSpace::CoreInstance:
    return SortKind::coreSort(CoreSort::Instance);
  case IndexSpace::Func:
    return SortKind::of(Sort::Func);
  case IndexSpace::Value:
    return SortKind::of(Sort::Value);
  case IndexSpace::Type:
    return SortKind::of(Sort::Type);
  case IndexSpace::Component:
    return SortKind::of(Sort::Component);
  case IndexSpace::Instance:
    return SortKind::of(Sort::Instance);
  }
  llvm_unreachable("unknown index space");
}

std::string wcl::component::toString(SortKind sort) {
  if (sort.isCore())
    return ("core " + wasm::toString(sort.core)).str();
  return wasm::toString(sort.sort).str();
}

StringRef wcl::component::toString(IndexSpace space) {
  switch (space) {
  case IndexSpace::CoreFunc:
    return "CoreFunc";
  case IndexSpace::CoreTable:
    return "CoreTable";
  case IndexSpace::CoreMemory:
    return "CoreMemory";
  case IndexSpace::CoreGlobal:
    return "CoreGlobal";
  case IndexSpace::CoreTag:
    return "CoreTag";
  case IndexSpace::CoreType:
    return "CoreType";
  case IndexSpace::CoreModule:
    return "CoreModule";
  case IndexSpace::CoreInstance:
    return "CoreInstance";
  case IndexSpace::Func:
    return "Func";
  case IndexSpace::Value:
    return "Value";
  case IndexSpace::Type:
    return "Type";
  case IndexSpace::Component:
    return "Component";
  case IndexSpace::Instance:
    return "Instance";
  }
  llvm_unreachable("unknown index space");
}

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

SortKind ExternDesc::sort() const {
  switch (kind) {
  case ExternKind::CoreModule:
    return SortKind::coreSort(CoreSort::Module);
  case ExternKind::Func:
    return SortKind::of(Sort::Func);
  case ExternKind::Value:
    return SortKind::of(Sort::Value);
  case ExternKind::Type:
    return SortKind::of(Sort::Type);
  case ExternKind::Component:
    return SortKind::of(Sort::Component);
  case ExternKind::Instance:
    return SortKind::of(Sort::Instance);
  }
  llvm_unreachable("extern kinds are only built from decoded bytes");
}

const IndexEntry *Component::lookup(IndexSpace s, uint32_t index) const {
  const std::vector<IndexEntry> &entries = spaces[size_t(s)];
  return index < entries.size() ? &entries[index] : nullptr;
}

const CustomSection *Component::findCustom(StringRef name) const {
  for (const CustomSection &c : customs)
    if (c.name == name)
      return &c;
  return nullptr;
}

StringRef ComponentNames::lookup(IndexSpace space, uint32_t index) const {
  const DenseMap<uint32_t, StringRef> &m = bySpace[size_t(space)];
  auto it = m.find(index);
  return it == m.end() ? StringRef() : it->second;
}

//===----------------------------------------------------------------------===//
// Small productions
//===----------------------------------------------------------------------===//

namespace {

Error unknownByte(uint64_t at, uint8_t b, const Twine &what) {
  return BinaryReader::errorAt(at, "unknown " + what + " " + hexByte(b));
}

Expected<CoreSort> readCoreSort(BinaryReader &r) {
  uint64_t at = r.offset();
  Expected<uint8_t> b = r.readU8();
  if (!b)
    return b.takeError();
  switch (*b) {
  case 0x00:
  case 0x01:
  case 0x02:
  case 0x03:
  case 0x04:
  case 0x10:
  case 0x11:
  case 0x12:
    return CoreSort(*b);
  default:
    return unknownByte(at, *b, "core sort");
  }
}

Expected<SortKind> readSort(BinaryReader &r) {
  uint64_t at = r.offset();
  Expected<uint8_t> b = r.readU8();
  if (!b)
    return b.takeError();
  switch (*b) {
  case 0x00: {
    Expected<CoreSort> core = readCoreSort(r);
    if (!core)
      return core.takeError();
    return SortKind::coreSort(*core);
  }
  case 0x01:
  case 0x02:
  case 0x03:
  case 0x04:
  case 0x05:
    return SortKind::of(Sort(*b));
  default:
    return unknownByte(at, *b, "sort");
  }
}

Expected<SortIndex> readSortIndex(BinaryReader &r) {
  Expected<SortKind> sort = readSort(r);
  if (!sort)
    return sort.takeError();
  Expected<uint32_t> idx = r.readVarU32();
  if (!idx)
    return idx.takeError();
  return SortIndex{*sort, *idx};
}

/// A 0x00/0x01 byte (async?, cancel?, sh?, and similar markers).
Expected<bool> readFlag(BinaryReader &r, const Twine &what) {
  uint64_t at = r.offset();
  Expected<uint8_t> b = r.readU8();
  if (!b)
    return b.takeError();
  if (*b > 1)
    return BinaryReader::errorAt(at, "invalid " + what + " flag " +
                                         hexByte(*b) + " (expected 0 or 1)");
  return *b == 1;
}

Expected<component::ValType> readCompValType(BinaryReader &r) {
  uint64_t at = r.offset();
  Expected<uint8_t> b = r.peekU8();
  if (!b)
    return b.takeError();
  if (!primitiveName(TypeCode(*b)).empty()) {
    consumeError(r.readU8().takeError());
    return component::ValType::prim(TypeCode(*b));
  }
  // Type indices share the encoding with type codes: a non-negative s33.
  Expected<int64_t> v = r.readVarS33();
  if (!v)
    return v.takeError();
  if (*v < 0)
    return unknownByte(at, *b, "value type");
  return component::ValType::typeIndex(uint32_t(*v));
}

/// `<T>?`: 0x00 for none, 0x01 followed by a valtype.
Expected<std::optional<component::ValType>> readOptValType(BinaryReader &r) {
  Expected<bool> present = readFlag(r, "optional value type");
  if (!present)
    return present.takeError();
  if (!*present)
    return std::optional<component::ValType>();
  Expected<component::ValType> t = readCompValType(r);
  if (!t)
    return t.takeError();
  return std::optional<component::ValType>(*t);
}

Expected<LabeledValType> readLabeledValType(BinaryReader &r) {
  Expected<StringRef> label = r.readName();
  if (!label)
    return label.takeError();
  Expected<component::ValType> t = readCompValType(r);
  if (!t)
    return t.takeError();
  return LabeledValType{*label, *t};
}

/// resultlist: 0x00 valtype, or 0x01 0x00 for no result.
Expected<std::optional<component::ValType>> readResultList(BinaryReader &r) {
  uint64_t at = r.offset();
  Expected<uint8_t> b = r.readU8();
  if (!b)
    return b.takeError();
  if (*b == 0x00) {
    Expected<component::ValType> t = readCompValType(r);
    if (!t)
      return t.takeError();
    return std::optional<component::ValType>(*t);
  }
  if (*b != 0x01)
    return unknownByte(at, *b, "result list");
  at = r.offset();
  Expected<uint8_t> zero = r.readU8();
  if (!zero)
    return zero.takeError();
  if (*zero != 0x00)
    return BinaryReader::errorAt(at, "invalid result list: expected 0x00 "
                                     "after 0x01, found " +
                                         hexByte(*zero));
  return std::optional<component::ValType>();
}

Expected<ExternName> readExternName(BinaryReader &r) {
  ExternName n;
  n.offset = r.offset();
  Expected<uint8_t> form = r.readU8();
  if (!form)
    return form.takeError();
  if (*form > 0x02)
    return unknownByte(n.offset, *form, "name form");
  n.form = *form;
  Expected<StringRef> name = r.readName();
  if (!name)
    return name.takeError();
  n.name = *name;
  if (n.form != 0x02)
    return n;
  Expected<uint32_t> count = r.readCount(2);
  if (!count)
    return count.takeError();
  for (uint32_t i = 0; i < *count; ++i) {
    uint64_t at = r.offset();
    Expected<uint8_t> tag = r.readU8();
    if (!tag)
      return tag.takeError();
    std::optional<StringRef> *slot;
    StringRef what;
    switch (*tag) {
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
      return unknownByte(at, *tag, "name attribute");
    }
    if (*slot)
      return BinaryReader::errorAt(at, "duplicate '" + what +
                                           "' attribute in name");
    Expected<StringRef> value = r.readName();
    if (!value)
      return value.takeError();
    *slot = *value;
  }
  return n;
}

Expected<ExternDesc> readExternDesc(BinaryReader &r) {
  ExternDesc d;
  uint64_t at = r.offset();
  Expected<uint8_t> b = r.readU8();
  if (!b)
    return b.takeError();
  switch (*b) {
  case 0x00: {
    uint64_t sortAt = r.offset();
    Expected<uint8_t> s = r.readU8();
    if (!s)
      return s.takeError();
    if (*s != uint8_t(CoreSort::Module))
      return BinaryReader::errorAt(sortAt, "invalid extern type: core sort " +
                                               hexByte(*s) +
                                               " is not module (0x11)");
    d.kind = ExternKind::CoreModule;
    break;
  }
  case 0x01:
  case 0x04:
  case 0x05:
    d.kind = ExternKind(*b);
    break;
  case 0x02: {
    d.kind = ExternKind::Value;
    uint64_t boundAt = r.offset();
    Expected<uint8_t> bound = r.readU8();
    if (!bound)
      return bound.takeError();
    if (*bound == 0x00) {
      d.bound = ExternDesc::Bound::Eq;
      break;
    }
    if (*bound != 0x01)
      return unknownByte(boundAt, *bound, "value bound");
    d.bound = ExternDesc::Bound::ValType;
    Expected<component::ValType> t = readCompValType(r);
    if (!t)
      return t.takeError();
    d.value = *t;
    return d;
  }
  case 0x03: {
    d.kind = ExternKind::Type;
    uint64_t boundAt = r.offset();
    Expected<uint8_t> bound = r.readU8();
    if (!bound)
      return bound.takeError();
    if (*bound == 0x01) {
      d.bound = ExternDesc::Bound::SubResource;
      return d;
    }
    if (*bound != 0x00)
      return unknownByte(boundAt, *bound, "type bound");
    d.bound = ExternDesc::Bound::Eq;
    break;
  }
  default:
    return unknownByte(at, *b, "extern type");
  }
  Expected<uint32_t> idx = r.readVarU32();
  if (!idx)
    return idx.takeError();
  d.index = *idx;
  return d;
}

Expected<Alias> readAlias(BinaryReader &r) {
  Alias a;
  a.offset = r.offset();
  Expected<SortKind> sort = readSort(r);
  if (!sort)
    return sort.takeError();
  a.sort = *sort;
  uint64_t at = r.offset();
  Expected<uint8_t> target = r.readU8();
  if (!target)
    return target.takeError();
  switch (*target) {
  case 0x00:
  case 0x01: {
    a.target = AliasTarget(*target);
    if (a.target == AliasTarget::CoreExport && !a.sort.isCore())
      return BinaryReader::errorAt(a.offset,
                                   "core export alias of non-core sort " +
                                       component::toString(a.sort));
    Expected<uint32_t> inst = r.readVarU32();
    if (!inst)
      return inst.takeError();
    a.instance = *inst;
    Expected<StringRef> name = r.readName();
    if (!name)
      return name.takeError();
    a.name = *name;
    return a;
  }
  case 0x02: {
    a.target = AliasTarget::Outer;
    // Only these sorts can be reached across scopes (Binary.md, outer
    // aliases); anything else cannot be given a meaning.
    bool ok =
        a.sort.isCore()
            ? (a.sort.core == CoreSort::Module || a.sort.core == CoreSort::Type)
            : (a.sort.sort == Sort::Type || a.sort.sort == Sort::Component);
    if (!ok)
      return BinaryReader::errorAt(a.offset, "invalid outer alias sort " +
                                                 component::toString(a.sort));
    Expected<uint32_t> count = r.readVarU32();
    if (!count)
      return count.takeError();
    Expected<uint32_t> idx = r.readVarU32();
    if (!idx)
      return idx.takeError();
    a.count = *count;
    a.outerIndex = *idx;
    return a;
  }
  default:
    return unknownByte(at, *target, "alias target");
  }
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

/// Per-scope index counters of a component or instance type, or of a
/// module type (which only uses the core spaces).
using ScopeCounts = std::array<uint32_t, NumIndexSpaces>;

uint32_t bump(ScopeCounts &counts, IndexSpace s, uint32_t n = 1) {
  uint32_t first = counts[size_t(s)];
  counts[size_t(s)] += n;
  return first;
}

Expected<ModuleDecl> readModuleDecl(BinaryReader &r, ScopeCounts &counts) {
  ModuleDecl d;
  d.offset = r.offset();
  Expected<uint8_t> tag = r.readU8();
  if (!tag)
    return tag.takeError();
  switch (*tag) {
  case 0x00: {
    d.kind = ModuleDecl::Kind::Import;
    Expected<wasm::Import> imp = wasm::readImport(r);
    if (!imp)
      return imp.takeError();
    d.import = *imp;
    IndexSpace s = IndexSpace::CoreFunc;
    switch (d.import.type.kind) {
    case ExternType::Kind::Func:
      s = IndexSpace::CoreFunc;
      break;
    case ExternType::Kind::Table:
      s = IndexSpace::CoreTable;
      break;
    case ExternType::Kind::Memory:
      s = IndexSpace::CoreMemory;
      break;
    case ExternType::Kind::Global:
      s = IndexSpace::CoreGlobal;
      break;
    case ExternType::Kind::Tag:
      s = IndexSpace::CoreTag;
      break;
    }
    d.index = bump(counts, s);
    return d;
  }
  case 0x01: {
    d.kind = ModuleDecl::Kind::Type;
    Expected<RecGroup> rec = readRecGroup(r);
    if (!rec)
      return rec.takeError();
    d.type = std::move(*rec);
    d.index = bump(counts, IndexSpace::CoreType, d.type.types.size());
    return d;
  }
  case 0x02: {
    d.kind = ModuleDecl::Kind::Alias;
    uint64_t at = r.offset();
    Expected<uint8_t> sort = r.readU8();
    if (!sort)
      return sort.takeError();
    if (*sort != uint8_t(CoreSort::Type))
      return unknownByte(at, *sort, "module type alias sort");
    at = r.offset();
    Expected<uint8_t> target = r.readU8();
    if (!target)
      return target.takeError();
    if (*target != 0x01)
      return unknownByte(at, *target, "module type alias target");
    Expected<uint32_t> count = r.readVarU32();
    if (!count)
      return count.takeError();
    Expected<uint32_t> idx = r.readVarU32();
    if (!idx)
      return idx.takeError();
    d.outerCount = *count;
    d.outerIndex = *idx;
    d.index = bump(counts, IndexSpace::CoreType);
    return d;
  }
  case 0x03: {
    d.kind = ModuleDecl::Kind::Export;
    Expected<StringRef> name = r.readName();
    if (!name)
      return name.takeError();
    d.exportName = *name;
    Expected<ExternType> type = readExternType(r);
    if (!type)
      return type.takeError();
    d.exportType = *type;
    return d;
  }
  default:
    return unknownByte(d.offset, *tag, "module type declaration");
  }
}

/// core:type, as the core type section and instance/component type
/// declarations hold it.
Expected<CoreTypeDef> readCoreType(BinaryReader &r) {
  CoreTypeDef t;
  t.offset = r.offset();
  Expected<uint8_t> lead = r.peekU8();
  if (!lead)
    return lead.takeError();
  if (*lead == 0x00) {
    // A non-final `sub` is written 0x00 0x50 here, because a bare 0x50
    // means a module type in this position.
    consumeError(r.readU8().takeError());
    uint64_t at = r.offset();
    Expected<uint8_t> sub = r.readU8();
    if (!sub)
      return sub.takeError();
    if (*sub != 0x50)
      return BinaryReader::errorAt(at, "invalid core type: expected 0x50 "
                                       "after 0x00, found " +
                                           hexByte(*sub));
    Expected<SubType> st = readSubTypeAfter(0x50, r);
    if (!st)
      return st.takeError();
    t.kind = CoreTypeDef::Kind::Rec;
    t.rec.explicitRec = false;
    t.rec.types.push_back(std::move(*st));
    return t;
  }
  if (*lead == uint8_t(CoreTypeCode::Module)) {
    consumeError(r.readU8().takeError());
    t.kind = CoreTypeDef::Kind::Module;
    Expected<uint32_t> count = r.readCount(2);
    if (!count)
      return count.takeError();
    // A module type is validated with an initially empty type index space.
    ScopeCounts counts{};
    for (uint32_t i = 0; i < *count; ++i) {
      Expected<ModuleDecl> d = readModuleDecl(r, counts);
      if (!d)
        return d.takeError();
      t.decls.push_back(std::move(*d));
    }
    return t;
  }
  Expected<RecGroup> rec = readRecGroup(r);
  if (!rec)
    return rec.takeError();
  t.kind = CoreTypeDef::Kind::Rec;
  t.rec = std::move(*rec);
  return t;
}

Expected<DefinedType> readDefinedType(uint8_t lead, uint64_t at,
                                      BinaryReader &r) {
  DefinedType d;
  auto readOne = [&](std::optional<component::ValType> &slot) -> Error {
    Expected<component::ValType> t = readCompValType(r);
    if (!t)
      return t.takeError();
    slot = *t;
    return Error::success();
  };
  auto readOpt = [&](std::optional<component::ValType> &slot) -> Error {
    Expected<std::optional<component::ValType>> t = readOptValType(r);
    if (!t)
      return t.takeError();
    slot = *t;
    return Error::success();
  };
  if (!primitiveName(TypeCode(lead)).empty()) {
    d.kind = DefinedType::Kind::Primitive;
    d.primitive = TypeCode(lead);
    return d;
  }
  switch (TypeCode(lead)) {
  case TypeCode::Record: {
    d.kind = DefinedType::Kind::Record;
    Expected<uint32_t> n = r.readCount(2);
    if (!n)
      return n.takeError();
    for (uint32_t i = 0; i < *n; ++i) {
      Expected<LabeledValType> f = readLabeledValType(r);
      if (!f)
        return f.takeError();
      d.fields.push_back(*f);
    }
    return d;
  }
  case TypeCode::Variant: {
    d.kind = DefinedType::Kind::Variant;
    Expected<uint32_t> n = r.readCount(3);
    if (!n)
      return n.takeError();
    for (uint32_t i = 0; i < *n; ++i) {
      DefinedType::Case c;
      Expected<StringRef> label = r.readName();
      if (!label)
        return label.takeError();
      c.label = *label;
      if (Error e = readOpt(c.type))
        return std::move(e);
      // The trailing 0x00 is a reserved "refines" slot, now always empty.
      uint64_t zeroAt = r.offset();
      Expected<uint8_t> zero = r.readU8();
      if (!zero)
        return zero.takeError();
      if (*zero != 0x00)
        return BinaryReader::errorAt(zeroAt,
                                     "invalid variant case: expected 0x00 "
                                     "after the case type, found " +
                                         hexByte(*zero));
      d.cases.push_back(c);
    }
    return d;
  }
  case TypeCode::List:
    d.kind = DefinedType::Kind::List;
    if (Error e = readOne(d.first))
      return std::move(e);
    return d;
  case TypeCode::FixedList: {
    d.kind = DefinedType::Kind::FixedList;
    if (Error e = readOne(d.first))
      return std::move(e);
    Expected<uint32_t> len = r.readVarU32();
    if (!len)
      return len.takeError();
    d.length = *len;
    return d;
  }
  case TypeCode::Tuple: {
    d.kind = DefinedType::Kind::Tuple;
    Expected<uint32_t> n = r.readCount(1);
    if (!n)
      return n.takeError();
    for (uint32_t i = 0; i < *n; ++i) {
      Expected<component::ValType> t = readCompValType(r);
      if (!t)
        return t.takeError();
      d.types.push_back(*t);
    }
    return d;
  }
  case TypeCode::Flags:
  case TypeCode::Enum: {
    d.kind = TypeCode(lead) == TypeCode::Flags ? DefinedType::Kind::Flags
                                               : DefinedType::Kind::Enum;
    Expected<uint32_t> n = r.readCount(1);
    if (!n)
      return n.takeError();
    for (uint32_t i = 0; i < *n; ++i) {
      Expected<StringRef> label = r.readName();
      if (!label)
        return label.takeError();
      d.labels.push_back(*label);
    }
    return d;
  }
  case TypeCode::Option:
    d.kind = DefinedType::Kind::Option;
    if (Error e = readOne(d.first))
      return std::move(e);
    return d;
  case TypeCode::Result:
    d.kind = DefinedType::Kind::Result;
    if (Error e = readOpt(d.first))
      return std::move(e);
    if (Error e = readOpt(d.second))
      return std::move(e);
    return d;
  case TypeCode::Own:
  case TypeCode::Borrow: {
    d.kind = TypeCode(lead) == TypeCode::Own ? DefinedType::Kind::Own
                                             : DefinedType::Kind::Borrow;
    Expected<uint32_t> idx = r.readVarU32();
    if (!idx)
      return idx.takeError();
    d.resource = *idx;
    return d;
  }
  case TypeCode::Stream:
  case TypeCode::Future:
    d.kind = TypeCode(lead) == TypeCode::Stream ? DefinedType::Kind::Stream
                                                : DefinedType::Kind::Future;
    if (Error e = readOpt(d.first))
      return std::move(e);
    return d;
  case TypeCode::Map:
    d.kind = DefinedType::Kind::Map;
    if (Error e = readOne(d.first))
      return std::move(e);
    if (Error e = readOne(d.second))
      return std::move(e);
    return d;
  default:
    return unknownByte(at, lead, "type constructor");
  }
}

class TypeReader {
public:
  explicit TypeReader(unsigned depth) : depth(depth) {}

  Expected<TypeDef> readTypeDef(BinaryReader &r);

private:
  Expected<Decl> readDecl(BinaryReader &r, bool inComponentType,
                          ScopeCounts &counts);

  unsigned depth;
};

Expected<TypeDef> TypeReader::readTypeDef(BinaryReader &r) {
  TypeDef t;
  t.offset = r.offset();
  Expected<uint8_t> lead = r.readU8();
  if (!lead)
    return lead.takeError();
  switch (*lead) {
  case uint8_t(TypeCode::Resource): {
    t.kind = TypeDef::Kind::Resource;
    Expected<wasm::ValType> rep = wasm::readValType(r);
    if (!rep)
      return rep.takeError();
    t.resource.rep = *rep;
    Expected<bool> hasDtor = readFlag(r, "resource destructor");
    if (!hasDtor)
      return hasDtor.takeError();
    if (*hasDtor) {
      Expected<uint32_t> dtor = r.readVarU32();
      if (!dtor)
        return dtor.takeError();
      t.resource.dtor = *dtor;
    }
    return t;
  }
  case uint8_t(TypeCode::Func):
  case uint8_t(TypeCode::AsyncFunc): {
    t.kind = TypeDef::Kind::Func;
    t.func.isAsync = *lead == uint8_t(TypeCode::AsyncFunc);
    Expected<uint32_t> n = r.readCount(2);
    if (!n)
      return n.takeError();
    for (uint32_t i = 0; i < *n; ++i) {
      Expected<LabeledValType> p = readLabeledValType(r);
      if (!p)
        return p.takeError();
      t.func.params.push_back(*p);
    }
    Expected<std::optional<component::ValType>> res = readResultList(r);
    if (!res)
      return res.takeError();
    t.func.result = *res;
    return t;
  }
  case uint8_t(TypeCode::Component):
  case uint8_t(TypeCode::Instance): {
    bool isComponent = *lead == uint8_t(TypeCode::Component);
    t.kind = isComponent ? TypeDef::Kind::Component : TypeDef::Kind::Instance;
    if (depth >= MaxNesting)
      return BinaryReader::errorAt(t.offset, "types nested too deeply");
    Expected<uint32_t> n = r.readCount(2);
    if (!n)
      return n.takeError();
    // Each component and instance type starts with empty index spaces.
    ScopeCounts counts{};
    TypeReader inner(depth + 1);
    for (uint32_t i = 0; i < *n; ++i) {
      Expected<Decl> d = inner.readDecl(r, isComponent, counts);
      if (!d)
        return d.takeError();
      t.decls.push_back(std::move(*d));
    }
    return t;
  }
  default: {
    t.kind = TypeDef::Kind::Defined;
    Expected<DefinedType> d = readDefinedType(*lead, t.offset, r);
    if (!d)
      return d.takeError();
    t.defined = std::move(*d);
    return t;
  }
  }
}

Expected<Decl> TypeReader::readDecl(BinaryReader &r, bool inComponentType,
                                    ScopeCounts &counts) {
  Decl d;
  d.offset = r.offset();
  Expected<uint8_t> tag = r.readU8();
  if (!tag)
    return tag.takeError();
  switch (*tag) {
  case 0x00: {
    d.kind = Decl::Kind::CoreType;
    Expected<CoreTypeDef> ct = readCoreType(r);
    if (!ct)
      return ct.takeError();
    d.space = IndexSpace::CoreType;
    d.index = bump(counts, d.space, ct->numTypes());
    ct->index = d.index;
    d.coreType = std::make_unique<CoreTypeDef>(std::move(*ct));
    return d;
  }
  case 0x01: {
    d.kind = Decl::Kind::Type;
    Expected<TypeDef> t = readTypeDef(r);
    if (!t)
      return t.takeError();
    d.space = IndexSpace::Type;
    d.index = bump(counts, d.space);
    t->index = d.index;
    d.type = std::make_unique<TypeDef>(std::move(*t));
    return d;
  }
  case 0x02: {
    d.kind = Decl::Kind::Alias;
    Expected<Alias> a = readAlias(r);
    if (!a)
      return a.takeError();
    d.alias = *a;
    d.space = d.alias.sort.space();
    d.index = bump(counts, d.space);
    d.alias.index = d.index;
    return d;
  }
  case 0x03:
  case 0x04: {
    if (*tag == 0x03 && !inComponentType)
      return BinaryReader::errorAt(d.offset,
                                   "import declaration in an instance type");
    d.kind = *tag == 0x03 ? Decl::Kind::Import : Decl::Kind::Export;
    Expected<ExternName> name = readExternName(r);
    if (!name)
      return name.takeError();
    d.name = *name;
    Expected<ExternDesc> desc = readExternDesc(r);
    if (!desc)
      return desc.takeError();
    d.desc = *desc;
    d.space = d.desc.sort().space();
    d.index = bump(counts, d.space);
    return d;
  }
  default:
    return unknownByte(d.offset, *tag,
                       inComponentType ? "component type declaration"
                                       : "instance type declaration");
  }
}

//===----------------------------------------------------------------------===//
// Canonical definitions
//===----------------------------------------------------------------------===//

Error readCanonOptions(BinaryReader &r, Canon &c) {
  Expected<uint32_t> n = r.readCount(1);
  if (!n)
    return n.takeError();
  for (uint32_t i = 0; i < *n; ++i) {
    uint64_t at = r.offset();
    Expected<uint8_t> b = r.readU8();
    if (!b)
      return b.takeError();
    CanonOption o;
    switch (*b) {
    case uint8_t(CanonOpt::StringUtf8):
    case uint8_t(CanonOpt::StringUtf16):
    case uint8_t(CanonOpt::StringLatin1Utf16):
    case uint8_t(CanonOpt::Async):
    case uint8_t(CanonOpt::Gc):
      o.kind = CanonOpt(*b);
      break;
    case uint8_t(CanonOpt::Memory):
    case uint8_t(CanonOpt::Realloc):
    case uint8_t(CanonOpt::PostReturn):
    case uint8_t(CanonOpt::Callback):
    case uint8_t(CanonOpt::CoreType): {
      o.kind = CanonOpt(*b);
      Expected<uint32_t> idx = r.readVarU32();
      if (!idx)
        return idx.takeError();
      o.index = *idx;
      break;
    }
    default:
      return unknownByte(at, *b, "canonical option");
    }
    c.options.push_back(o);
  }
  return Error::success();
}

Expected<Canon> readCanon(BinaryReader &r) {
  Canon c;
  c.offset = r.offset();
  Expected<uint8_t> op = r.readU8();
  if (!op)
    return op.takeError();
  auto u32 = [&](uint32_t &slot) -> Error {
    Expected<uint32_t> v = r.readVarU32();
    if (!v)
      return v.takeError();
    slot = *v;
    return Error::success();
  };
  auto flag = [&](const Twine &what) -> Error {
    Expected<bool> v = readFlag(r, what);
    if (!v)
      return v.takeError();
    c.flag = *v;
    return Error::success();
  };
  // lift and lower carry a 0x00 for the func / core func sort.
  auto funcSort = [&]() -> Error {
    uint64_t at = r.offset();
    Expected<uint8_t> b = r.readU8();
    if (!b)
      return b.takeError();
    if (*b != 0x00)
      return BinaryReader::errorAt(at,
                                   "invalid canonical " + wasm::toString(c.op) +
                                       ": expected 0x00, found " + hexByte(*b));
    return Error::success();
  };

  switch (*op) {
  case uint8_t(CanonOp::Lift):
    c.op = CanonOp::Lift;
    if (Error e = funcSort())
      return std::move(e);
    if (Error e = u32(c.func))
      return std::move(e);
    if (Error e = readCanonOptions(r, c))
      return std::move(e);
    if (Error e = u32(c.type))
      return std::move(e);
    return c;
  case uint8_t(CanonOp::Lower):
    c.op = CanonOp::Lower;
    if (Error e = funcSort())
      return std::move(e);
    if (Error e = u32(c.func))
      return std::move(e);
    if (Error e = readCanonOptions(r, c))
      return std::move(e);
    return c;

  // One type index.
  case uint8_t(CanonOp::ResourceNew):
  case uint8_t(CanonOp::ResourceDrop):
  case uint8_t(CanonOp::ResourceRep):
  case uint8_t(CanonOp::StreamNew):
  case uint8_t(CanonOp::StreamDropReadable):
  case uint8_t(CanonOp::StreamDropWritable):
  case uint8_t(CanonOp::FutureNew):
  case uint8_t(CanonOp::FutureDropReadable):
  case uint8_t(CanonOp::FutureDropWritable):
  case uint8_t(CanonOp::ThreadSpawnRef):
    c.op = CanonOp(*op);
    if (c.op == CanonOp::ThreadSpawnRef)
      if (Error e = flag("shared"))
        return std::move(e);
    if (Error e = u32(c.type))
      return std::move(e);
    return c;

  // No immediates.
  case uint8_t(CanonOp::BackpressureInc):
  case uint8_t(CanonOp::BackpressureDec):
  case uint8_t(CanonOp::TaskCancel):
  case uint8_t(CanonOp::SubtaskDrop):
  case uint8_t(CanonOp::ErrorContextDrop):
  case uint8_t(CanonOp::WaitableSetNew):
  case uint8_t(CanonOp::WaitableSetDrop):
  case uint8_t(CanonOp::WaitableJoin):
  case uint8_t(CanonOp::ThreadIndex):
  case uint8_t(CanonOp::ThreadResumeLater):
    c.op = CanonOp(*op);
    return c;

  case uint8_t(CanonOp::ThreadAvailableParallelism):
    c.op = CanonOp(*op);
    if (Error e = flag("shared"))
      return std::move(e);
    return c;

  case uint8_t(CanonOp::TaskReturn): {
    c.op = CanonOp::TaskReturn;
    Expected<std::optional<component::ValType>> res = readResultList(r);
    if (!res)
      return res.takeError();
    c.result = *res;
    if (Error e = readCanonOptions(r, c))
      return std::move(e);
    return c;
  }

  case uint8_t(CanonOp::ContextGet):
  case uint8_t(CanonOp::ContextSet): {
    c.op = CanonOp(*op);
    Expected<wasm::ValType> t = wasm::readValType(r);
    if (!t)
      return t.takeError();
    c.coreType = *t;
    if (Error e = u32(c.slot))
      return std::move(e);
    return c;
  }

  case uint8_t(CanonOp::SubtaskCancel):
    c.op = CanonOp::SubtaskCancel;
    if (Error e = flag("async"))
      return std::move(e);
    return c;

  // A type index and options.
  case uint8_t(CanonOp::StreamRead):
  case uint8_t(CanonOp::StreamWrite):
  case uint8_t(CanonOp::FutureRead):
  case uint8_t(CanonOp::FutureWrite):
    c.op = CanonOp(*op);
    if (Error e = u32(c.type))
      return std::move(e);
    if (Error e = readCanonOptions(r, c))
      return std::move(e);
    return c;

  // A type index and async?.
  case uint8_t(CanonOp::StreamCancelRead):
  case uint8_t(CanonOp::StreamCancelWrite):
  case uint8_t(CanonOp::FutureCancelRead):
  case uint8_t(CanonOp::FutureCancelWrite):
    c.op = CanonOp(*op);
    if (Error e = u32(c.type))
      return std::move(e);
    if (Error e = flag("async"))
      return std::move(e);
    return c;

  case uint8_t(CanonOp::ErrorContextNew):
  case uint8_t(CanonOp::ErrorContextDebugMessage):
    c.op = CanonOp(*op);
    if (Error e = readCanonOptions(r, c))
      return std::move(e);
    return c;

  case uint8_t(CanonOp::WaitableSetWait):
  case uint8_t(CanonOp::WaitableSetPoll):
    c.op = CanonOp(*op);
    if (Error e = flag("cancellable"))
      return std::move(e);
    if (Error e = u32(c.memory))
      return std::move(e);
    return c;

  // cancel? only.
  case uint8_t(CanonOp::ThreadYield):
  case uint8_t(CanonOp::ThreadSuspend):
  case uint8_t(CanonOp::ThreadSuspendThenResume):
  case uint8_t(CanonOp::ThreadYieldThenResume):
  case uint8_t(CanonOp::ThreadSuspendThenPromote):
  case uint8_t(CanonOp::ThreadYieldThenPromote):
    c.op = CanonOp(*op);
    if (Error e = flag("cancellable"))
      return std::move(e);
    return c;

  case uint8_t(CanonOp::ThreadNewIndirect):
  case uint8_t(CanonOp::ThreadSpawnIndirect):
    c.op = CanonOp(*op);
    if (c.op == CanonOp::ThreadSpawnIndirect)
      if (Error e = flag("shared"))
        return std::move(e);
    if (Error e = u32(c.type))
      return std::move(e);
    if (Error e = u32(c.table))
      return std::move(e);
    return c;

  default:
    return unknownByte(c.offset, *op, "canonical function opcode");
  }
}

//===----------------------------------------------------------------------===//
// Sections
//===----------------------------------------------------------------------===//

class ComponentParser {
public:
  ComponentParser(Component &c, unsigned depth) : c(c), depth(depth) {}

  Error parse(BinaryReader &r);

private:
  Error parseSection(ComponentSectionId id, BinaryReader &s, Section &sec);
  /// Appends item \p item of \p kind to \p space and returns its index.
  uint32_t define(IndexSpace space, ComponentSectionId kind, uint32_t item,
                  uint32_t sub = 0) {
    std::vector<IndexEntry> &entries = c.spaces[size_t(space)];
    entries.push_back({kind, item, sub});
    return uint32_t(entries.size() - 1);
  }
  template <typename F> Error forEach(BinaryReader &s, unsigned minSize, F f) {
    Expected<uint32_t> n = s.readCount(minSize);
    if (!n)
      return n.takeError();
    for (uint32_t i = 0; i < *n; ++i)
      if (Error e = f())
        return e;
    return Error::success();
  }

  Component &c;
  unsigned depth;
};

Expected<std::unique_ptr<Component>>
readComponentAt(ArrayRef<uint8_t> bytes, uint64_t base, unsigned depth) {
  BinaryReader r(bytes, base);
  Expected<BinaryKind> kind = readPreamble(r);
  if (!kind)
    return kind.takeError();
  if (*kind != BinaryKind::Component)
    return BinaryReader::errorAt(base,
                                 "expected a component, found a core module");
  auto c = std::make_unique<Component>();
  c->bytes = bytes;
  c->offset = base;
  ComponentParser p(*c, depth);
  if (Error e = p.parse(r))
    return std::move(e);
  return std::move(c);
}

Error ComponentParser::parse(BinaryReader &r) {
  while (!r.atEnd()) {
    Section sec;
    sec.offset = r.offset();
    Expected<uint8_t> id = r.readU8();
    if (!id)
      return id.takeError();
    if (*id > LastComponentSectionId)
      return BinaryReader::errorAt(sec.offset, "unknown component section id " +
                                                   hexByte(*id));
    sec.id = ComponentSectionId(*id);
    uint64_t sizeAt = r.offset();
    Expected<uint32_t> size = r.readVarU32();
    if (!size)
      return size.takeError();
    if (*size > r.remaining())
      // Worded as the core module reader words it.
      return BinaryReader::errorAt(sizeAt, "section size " + Twine(*size) +
                                               " goes past the end of the "
                                               "input (" +
                                               byteCount(r.remaining()) +
                                               " left)");
    Expected<BinaryReader> s = r.readSubReader(*size);
    if (!s)
      return s.takeError();
    sec.payloadOffset = s->offset();
    sec.payload = s->data();
    if (Error e = parseSection(sec.id, *s, sec))
      return e;
    c.sections.push_back(sec);
  }
  return Error::success();
}

Error ComponentParser::parseSection(ComponentSectionId id, BinaryReader &s,
                                    Section &sec) {
  using Id = ComponentSectionId;
  auto finish = [&](size_t before, size_t after) {
    sec.first = uint32_t(before);
    sec.count = uint32_t(after - before);
    return s.expectEnd((wasm::toString(id) + " section").str());
  };

  switch (id) {
  case Id::Custom: {
    CustomSection cs;
    cs.offset = sec.offset;
    Expected<StringRef> name = s.readName();
    if (!name)
      return name.takeError();
    cs.name = *name;
    cs.payloadOffset = s.offset();
    Expected<ArrayRef<uint8_t>> rest = s.readBytes(s.remaining());
    if (!rest)
      return rest.takeError();
    cs.payload = *rest;
    size_t before = c.customs.size();
    c.customs.push_back(cs);
    return finish(before, c.customs.size());
  }

  case Id::CoreModule: {
    CoreModule m;
    m.offset = s.offset();
    Expected<ArrayRef<uint8_t>> bytes = s.readBytes(s.remaining());
    if (!bytes)
      return bytes.takeError();
    m.bytes = *bytes;
    size_t before = c.coreModules.size();
    m.index = define(IndexSpace::CoreModule, id, before);
    c.coreModules.push_back(m);
    return finish(before, c.coreModules.size());
  }

  case Id::CoreInstance: {
    size_t before = c.coreInstances.size();
    if (Error e = forEach(s, 2, [&]() -> Error {
          CoreInstance inst;
          inst.offset = s.offset();
          Expected<uint8_t> tag = s.readU8();
          if (!tag)
            return tag.takeError();
          if (*tag == uint8_t(InstanceExpr::Instantiate)) {
            inst.expr = InstanceExpr::Instantiate;
            Expected<uint32_t> mod = s.readVarU32();
            if (!mod)
              return mod.takeError();
            inst.module = *mod;
            if (Error e = forEach(s, 3, [&]() -> Error {
                  CoreInstance::Arg arg;
                  Expected<StringRef> name = s.readName();
                  if (!name)
                    return name.takeError();
                  arg.name = *name;
                  uint64_t at = s.offset();
                  Expected<uint8_t> sort = s.readU8();
                  if (!sort)
                    return sort.takeError();
                  // Core instantiation takes instances only, for now.
                  if (*sort != uint8_t(CoreSort::Instance))
                    return unknownByte(at, *sort,
                                       "core instantiation argument sort");
                  Expected<uint32_t> idx = s.readVarU32();
                  if (!idx)
                    return idx.takeError();
                  arg.instance = *idx;
                  inst.args.push_back(arg);
                  return Error::success();
                }))
              return e;
          } else if (*tag == uint8_t(InstanceExpr::FromExports)) {
            inst.expr = InstanceExpr::FromExports;
            if (Error e = forEach(s, 3, [&]() -> Error {
                  CoreInstance::Export ex;
                  Expected<StringRef> name = s.readName();
                  if (!name)
                    return name.takeError();
                  ex.name = *name;
                  Expected<CoreSort> sort = readCoreSort(s);
                  if (!sort)
                    return sort.takeError();
                  ex.sort = *sort;
                  Expected<uint32_t> idx = s.readVarU32();
                  if (!idx)
                    return idx.takeError();
                  ex.index = *idx;
                  inst.exports.push_back(ex);
                  return Error::success();
                }))
              return e;
          } else {
            return unknownByte(inst.offset, *tag, "core instance expression");
          }
          inst.index =
              define(IndexSpace::CoreInstance, id, c.coreInstances.size());
          c.coreInstances.push_back(std::move(inst));
          return Error::success();
        }))
      return e;
    return finish(before, c.coreInstances.size());
  }

  case Id::CoreType: {
    size_t before = c.coreTypes.size();
    if (Error e = forEach(s, 1, [&]() -> Error {
          Expected<CoreTypeDef> t = readCoreType(s);
          if (!t)
            return t.takeError();
          uint32_t item = c.coreTypes.size();
          t->index = uint32_t(c.space(IndexSpace::CoreType).size());
          for (uint32_t i = 0, e = t->numTypes(); i < e; ++i)
            define(IndexSpace::CoreType, id, item, i);
          c.coreTypes.push_back(std::move(*t));
          return Error::success();
        }))
      return e;
    return finish(before, c.coreTypes.size());
  }

  case Id::Component: {
    if (depth >= MaxNesting)
      return BinaryReader::errorAt(sec.offset, "components nested too deeply");
    Expected<std::unique_ptr<Component>> nested =
        readComponentAt(s.data(), s.offset(), depth + 1);
    if (!nested)
      return nested.takeError();
    consumeError(s.skip(s.remaining()));
    size_t before = c.components.size();
    (*nested)->index = define(IndexSpace::Component, id, before);
    c.components.push_back(std::move(*nested));
    return finish(before, c.components.size());
  }

  case Id::Instance: {
    size_t before = c.instances.size();
    if (Error e = forEach(s, 2, [&]() -> Error {
          Instance inst;
          inst.offset = s.offset();
          Expected<uint8_t> tag = s.readU8();
          if (!tag)
            return tag.takeError();
          if (*tag == uint8_t(InstanceExpr::Instantiate)) {
            inst.expr = InstanceExpr::Instantiate;
            Expected<uint32_t> comp = s.readVarU32();
            if (!comp)
              return comp.takeError();
            inst.component = *comp;
            if (Error e = forEach(s, 3, [&]() -> Error {
                  Instance::Arg arg;
                  Expected<StringRef> name = s.readName();
                  if (!name)
                    return name.takeError();
                  arg.name = *name;
                  Expected<SortIndex> item = readSortIndex(s);
                  if (!item)
                    return item.takeError();
                  arg.item = *item;
                  inst.args.push_back(arg);
                  return Error::success();
                }))
              return e;
          } else if (*tag == uint8_t(InstanceExpr::FromExports)) {
            inst.expr = InstanceExpr::FromExports;
            if (Error e = forEach(s, 4, [&]() -> Error {
                  Instance::Export ex;
                  Expected<ExternName> name = readExternName(s);
                  if (!name)
                    return name.takeError();
                  ex.name = *name;
                  Expected<SortIndex> item = readSortIndex(s);
                  if (!item)
                    return item.takeError();
                  ex.item = *item;
                  inst.exports.push_back(ex);
                  return Error::success();
                }))
              return e;
          } else {
            return unknownByte(inst.offset, *tag, "instance expression");
          }
          inst.index = define(IndexSpace::Instance, id, c.instances.size());
          c.instances.push_back(std::move(inst));
          return Error::success();
        }))
      return e;
    return finish(before, c.instances.size());
  }

  case Id::Alias: {
    size_t before = c.aliases.size();
    if (Error e = forEach(s, 3, [&]() -> Error {
          Expected<Alias> a = readAlias(s);
          if (!a)
            return a.takeError();
          a->index = define(a->sort.space(), id, c.aliases.size());
          c.aliases.push_back(*a);
          return Error::success();
        }))
      return e;
    return finish(before, c.aliases.size());
  }

  case Id::Type: {
    size_t before = c.types.size();
    TypeReader tr(0);
    if (Error e = forEach(s, 1, [&]() -> Error {
          Expected<TypeDef> t = tr.readTypeDef(s);
          if (!t)
            return t.takeError();
          t->index = define(IndexSpace::Type, id, c.types.size());
          c.types.push_back(std::move(*t));
          return Error::success();
        }))
      return e;
    return finish(before, c.types.size());
  }

  case Id::Canon: {
    size_t before = c.canons.size();
    if (Error e = forEach(s, 1, [&]() -> Error {
          Expected<Canon> cn = readCanon(s);
          if (!cn)
            return cn.takeError();
          cn->index = define(cn->sort().space(), id, c.canons.size());
          c.canons.push_back(std::move(*cn));
          return Error::success();
        }))
      return e;
    return finish(before, c.canons.size());
  }

  case Id::Start: {
    Start st;
    st.offset = s.offset();
    Expected<uint32_t> func = s.readVarU32();
    if (!func)
      return func.takeError();
    st.func = *func;
    if (Error e = forEach(s, 1, [&]() -> Error {
          Expected<uint32_t> v = s.readVarU32();
          if (!v)
            return v.takeError();
          st.args.push_back(*v);
          return Error::success();
        }))
      return e;
    uint64_t at = s.offset();
    Expected<uint32_t> results = s.readVarU32();
    if (!results)
      return results.takeError();
    if (*results > MaxStartResults)
      return BinaryReader::errorAt(
          at, "start function result count " + Twine(*results) +
                  " is too large (at most " + Twine(MaxStartResults) + ")");
    st.results = *results;
    size_t before = c.starts.size();
    st.firstResult = uint32_t(c.space(IndexSpace::Value).size());
    for (uint32_t i = 0; i < st.results; ++i)
      define(IndexSpace::Value, id, before, i);
    c.starts.push_back(std::move(st));
    return finish(before, c.starts.size());
  }

  case Id::Import: {
    size_t before = c.imports.size();
    if (Error e = forEach(s, 4, [&]() -> Error {
          component::Import imp;
          imp.offset = s.offset();
          Expected<ExternName> name = readExternName(s);
          if (!name)
            return name.takeError();
          imp.name = *name;
          Expected<ExternDesc> desc = readExternDesc(s);
          if (!desc)
            return desc.takeError();
          imp.desc = *desc;
          imp.index = define(imp.desc.sort().space(), id, c.imports.size());
          c.imports.push_back(imp);
          return Error::success();
        }))
      return e;
    return finish(before, c.imports.size());
  }

  case Id::Export: {
    size_t before = c.exports.size();
    if (Error e = forEach(s, 5, [&]() -> Error {
          Export ex;
          ex.offset = s.offset();
          Expected<ExternName> name = readExternName(s);
          if (!name)
            return name.takeError();
          ex.name = *name;
          Expected<SortIndex> item = readSortIndex(s);
          if (!item)
            return item.takeError();
          ex.item = *item;
          Expected<bool> hasType = readFlag(s, "export type");
          if (!hasType)
            return hasType.takeError();
          if (*hasType) {
            Expected<ExternDesc> desc = readExternDesc(s);
            if (!desc)
              return desc.takeError();
            ex.desc = *desc;
          }
          ex.index = define(ex.item.sort.space(), id, c.exports.size());
          c.exports.push_back(ex);
          return Error::success();
        }))
      return e;
    return finish(before, c.exports.size());
  }

  case Id::Value: {
    size_t before = c.values.size();
    if (Error e = forEach(s, 2, [&]() -> Error {
          Value v;
          v.offset = s.offset();
          Expected<component::ValType> t = readCompValType(s);
          if (!t)
            return t.takeError();
          v.type = *t;
          Expected<uint32_t> len = s.readVarU32();
          if (!len)
            return len.takeError();
          Expected<ArrayRef<uint8_t>> bytes = s.readBytes(*len);
          if (!bytes)
            return bytes.takeError();
          v.bytes = *bytes;
          v.index = define(IndexSpace::Value, id, c.values.size());
          c.values.push_back(v);
          return Error::success();
        }))
      return e;
    return finish(before, c.values.size());
  }
  }
  llvm_unreachable("section ids are checked before parseSection");
}

} // namespace

Expected<std::unique_ptr<Component>>
wcl::component::readComponent(ArrayRef<uint8_t> bytes, uint64_t base) {
  return readComponentAt(bytes, base, 0);
}

//===----------------------------------------------------------------------===//
// Custom sections
//===----------------------------------------------------------------------===//

Expected<ComponentNames>
wcl::component::readComponentNames(ArrayRef<uint8_t> payload, uint64_t base) {
  ComponentNames names;
  BinaryReader r(payload, base);
  while (!r.atEnd()) {
    uint64_t at = r.offset();
    Expected<uint8_t> id = r.readU8();
    if (!id)
      return id.takeError();
    Expected<uint32_t> size = r.readVarU32();
    if (!size)
      return size.takeError();
    Expected<BinaryReader> sub = r.readSubReader(*size);
    if (!sub)
      return sub.takeError();
    switch (ComponentNameKind(*id)) {
    case ComponentNameKind::Component: {
      Expected<StringRef> name = sub->readName();
      if (!name)
        return name.takeError();
      names.component = *name;
      if (Error e = sub->expectEnd("component name subsection"))
        return std::move(e);
      continue;
    }
    case ComponentNameKind::Sort: {
      ComponentNames::Map map;
      map.offset = at;
      // A sort this reader does not know is not an error: name sections
      // must never make a component unreadable.
      Expected<SortKind> sort = readSort(*sub);
      if (!sort) {
        consumeError(sort.takeError());
        names.unknown.push_back({at, *id});
        continue;
      }
      map.sort = *sort;
      Expected<uint32_t> n = sub->readCount(2);
      if (!n)
        return n.takeError();
      auto &lookup = names.bySpace[size_t(map.sort.space())];
      for (uint32_t i = 0; i < *n; ++i) {
        Expected<uint32_t> idx = sub->readVarU32();
        if (!idx)
          return idx.takeError();
        Expected<StringRef> name = sub->readName();
        if (!name)
          return name.takeError();
        map.names.push_back({*idx, *name});
        lookup.try_emplace(*idx, *name);
      }
      if (Error e = sub->expectEnd("sort name subsection"))
        return std::move(e);
      names.maps.push_back(std::move(map));
      continue;
    }
    }
    names.unknown.push_back({at, *id});
  }
  return std::move(names);
}
