//===- ComponentReader.cpp - Component binary reader ----------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The section walker of the component reader: it frames each section,
/// hands it to one read<Section> method per section id, and records which
/// items the section added. Index numbering follows the spec: every
/// definition that introduces an item (import, alias, canon, export, ...)
/// appends to its sort's index space in file order, which is what lets the
/// dumper print `-> core func 7` and the WIT decoder resolve a type index to
/// its definition. The productions the sections hold are read by the other
/// files of this directory (see ReaderParts.h).
///
//===----------------------------------------------------------------------===//

#include "ReaderParts.h"
#include "wcl/Support/Error.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::component;
using namespace wcl::component::reader;
using namespace wcl::wasm;

// A start function's results each add a value index; the reader materialises
// index entries, so their count must be bounded by something other than the
// input size.
static constexpr uint32_t MaxStartResults = 1000;

const CustomSection *Component::findCustom(StringRef name) const {
  for (const CustomSection &c : customs)
    if (c.name == name)
      return &c;
  return nullptr;
}

namespace {

/// Reads the sections of one component into it.
class ComponentParser {
public:
  ComponentParser(Component &c, unsigned depth) : c(c), depth(depth) {}

  Error parse(BinaryReader &r);

private:
  Error readSection(BinaryReader &s, Section &sec);
  Error readSectionBody(BinaryReader &s, Section &sec);
  /// How many items of the kind section \p id holds have been read so far.
  size_t numItems(ComponentSectionId id) const;

  Error readCustomSection(BinaryReader &s, const Section &sec);
  Error readCoreModuleSection(BinaryReader &s);
  Error readCoreInstanceSection(BinaryReader &s);
  Error readCoreInstance(BinaryReader &s);
  Error readCoreTypeSection(BinaryReader &s);
  Error readComponentSection(BinaryReader &s, const Section &sec);
  Error readInstanceSection(BinaryReader &s);
  Error readInstance(BinaryReader &s);
  Error readAliasSection(BinaryReader &s);
  Error readTypeSection(BinaryReader &s);
  Error readCanonSection(BinaryReader &s);
  Error readStartSection(BinaryReader &s);
  Error readImportSection(BinaryReader &s);
  Error readExportSection(BinaryReader &s);
  Error readValueSection(BinaryReader &s);

  /// Appends item \p item of the section kind \p kind to \p space and
  /// returns its index.
  uint32_t define(IndexSpace space, ComponentSectionId kind, uint32_t item,
                  uint32_t sub = 0) {
    std::vector<IndexEntry> &entries = c.spaces[size_t(space)];
    entries.push_back({kind, item, sub});
    return uint32_t(entries.size() - 1);
  }

  Component &c;
  unsigned depth;
};

} // namespace

static Expected<std::unique_ptr<Component>>
readComponentAt(ArrayRef<uint8_t> bytes, uint64_t base, unsigned depth) {
  BinaryReader r(bytes, base);
  BinaryKind kind;
  if (Error e = readPreamble(r).moveInto(kind))
    return std::move(e);
  if (kind != BinaryKind::Component)
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

Expected<std::unique_ptr<Component>>
wcl::component::readComponent(ArrayRef<uint8_t> bytes, uint64_t base) {
  return readComponentAt(bytes, base, 0);
}

Error ComponentParser::parse(BinaryReader &r) {
  while (!r.atEnd()) {
    Section sec;
    sec.offset = r.offset();
    uint8_t id;
    if (Error e = r.readU8().moveInto(id))
      return e;
    if (id > LastComponentSectionId)
      return BinaryReader::errorAt(sec.offset, "unknown component section id " +
                                                   hexByte(id));
    sec.id = ComponentSectionId(id);
    uint64_t sizeAt = r.offset();
    uint32_t size;
    if (Error e = r.readVarU32().moveInto(size))
      return e;
    if (size > r.remaining())
      // Worded as the core module reader words it.
      return BinaryReader::errorAt(sizeAt, "section size " + Twine(size) +
                                               " goes past the end of the "
                                               "input (" +
                                               byteCount(r.remaining()) +
                                               " left)");
    BinaryReader s({});
    if (Error e = r.readSubReader(size).moveInto(s))
      return e;
    sec.payloadOffset = s.offset();
    sec.payload = s.data();
    if (Error e = readSection(s, sec))
      return e;
    c.sections.push_back(sec);
  }
  return Error::success();
}

/// Reads the section's items, records which they are, and checks that
/// nothing follows them.
Error ComponentParser::readSection(BinaryReader &s, Section &sec) {
  size_t before = numItems(sec.id);
  if (Error e = readSectionBody(s, sec))
    return e;
  sec.first = uint32_t(before);
  sec.count = uint32_t(numItems(sec.id) - before);
  return s.expectEnd((wasm::toString(sec.id) + " section").str());
}

Error ComponentParser::readSectionBody(BinaryReader &s, Section &sec) {
  using Id = ComponentSectionId;
  switch (sec.id) {
  case Id::Custom:
    return readCustomSection(s, sec);
  case Id::CoreModule:
    return readCoreModuleSection(s);
  case Id::CoreInstance:
    return readCoreInstanceSection(s);
  case Id::CoreType:
    return readCoreTypeSection(s);
  case Id::Component:
    return readComponentSection(s, sec);
  case Id::Instance:
    return readInstanceSection(s);
  case Id::Alias:
    return readAliasSection(s);
  case Id::Type:
    return readTypeSection(s);
  case Id::Canon:
    return readCanonSection(s);
  case Id::Start:
    return readStartSection(s);
  case Id::Import:
    return readImportSection(s);
  case Id::Export:
    return readExportSection(s);
  case Id::Value:
    return readValueSection(s);
  }
  llvm_unreachable("section ids are checked before readSection");
}

size_t ComponentParser::numItems(ComponentSectionId id) const {
  using Id = ComponentSectionId;
  switch (id) {
  case Id::Custom:
    return c.customs.size();
  case Id::CoreModule:
    return c.coreModules.size();
  case Id::CoreInstance:
    return c.coreInstances.size();
  case Id::CoreType:
    return c.coreTypes.size();
  case Id::Component:
    return c.components.size();
  case Id::Instance:
    return c.instances.size();
  case Id::Alias:
    return c.aliases.size();
  case Id::Type:
    return c.types.size();
  case Id::Canon:
    return c.canons.size();
  case Id::Start:
    return c.starts.size();
  case Id::Import:
    return c.imports.size();
  case Id::Export:
    return c.exports.size();
  case Id::Value:
    return c.values.size();
  }
  llvm_unreachable("section ids are checked before readSection");
}

Error ComponentParser::readCustomSection(BinaryReader &s, const Section &sec) {
  CustomSection cs;
  cs.offset = sec.offset;
  if (Error e = s.readName().moveInto(cs.name))
    return e;
  cs.payloadOffset = s.offset();
  if (Error e = s.readBytes(s.remaining()).moveInto(cs.payload))
    return e;
  c.customs.push_back(cs);
  return Error::success();
}

Error ComponentParser::readCoreModuleSection(BinaryReader &s) {
  CoreModule m;
  m.offset = s.offset();
  if (Error e = s.readBytes(s.remaining()).moveInto(m.bytes))
    return e;
  m.index = define(IndexSpace::CoreModule, ComponentSectionId::CoreModule,
                   c.coreModules.size());
  c.coreModules.push_back(m);
  return Error::success();
}

Error ComponentParser::readCoreInstanceSection(BinaryReader &s) {
  return s.readVector(2, [&] { return readCoreInstance(s); });
}

/// An instance expression, core or component: `0x00 idx vec(arg)`
/// instantiates the module or component \p instantiated names, `0x01
/// vec(export)` bundles existing items. Core and component instances share
/// this shape and differ in their arguments and exports, which \p readArg
/// and \p readExport read (an export taking at least \p exportMinSize
/// bytes).
template <typename InstanceT>
static Error
readInstanceExpr(BinaryReader &s, InstanceT &inst, uint32_t &instantiated,
                 unsigned exportMinSize, function_ref<Error()> readArg,
                 function_ref<Error()> readExport, const Twine &what) {
  inst.offset = s.offset();
  uint8_t tag;
  if (Error e = s.readU8().moveInto(tag))
    return e;
  if (tag == uint8_t(InstanceExpr::Instantiate)) {
    inst.expr = InstanceExpr::Instantiate;
    if (Error e = s.readVarU32().moveInto(instantiated))
      return e;
    return s.readVector(3, readArg);
  }
  if (tag == uint8_t(InstanceExpr::FromExports)) {
    inst.expr = InstanceExpr::FromExports;
    return s.readVector(exportMinSize, readExport);
  }
  return unknownByte(inst.offset, tag, what);
}

/// `(with name (instance i))`: core instantiation takes instances only.
static Error readCoreInstantiateArg(BinaryReader &s, CoreInstance &inst) {
  CoreInstance::Arg arg;
  if (Error e = s.readName().moveInto(arg.name))
    return e;
  uint64_t at = s.offset();
  uint8_t sort;
  if (Error e = s.readU8().moveInto(sort))
    return e;
  if (sort != uint8_t(CoreSort::Instance))
    return unknownByte(at, sort, "core instantiation argument sort");
  if (Error e = s.readVarU32().moveInto(arg.instance))
    return e;
  inst.args.push_back(arg);
  return Error::success();
}

static Error readCoreInlineExport(BinaryReader &s, CoreInstance &inst) {
  CoreInstance::Export ex;
  if (Error e = s.readName().moveInto(ex.name))
    return e;
  if (Error e = readCoreSort(s).moveInto(ex.sort))
    return e;
  if (Error e = s.readVarU32().moveInto(ex.index))
    return e;
  inst.exports.push_back(ex);
  return Error::success();
}

Error ComponentParser::readCoreInstance(BinaryReader &s) {
  CoreInstance inst;
  if (Error e = readInstanceExpr(
          s, inst, inst.module, 3,
          [&] { return readCoreInstantiateArg(s, inst); },
          [&] { return readCoreInlineExport(s, inst); },
          "core instance expression"))
    return e;
  inst.index = define(IndexSpace::CoreInstance,
                      ComponentSectionId::CoreInstance, c.coreInstances.size());
  c.coreInstances.push_back(std::move(inst));
  return Error::success();
}

Error ComponentParser::readCoreTypeSection(BinaryReader &s) {
  return s.readVector(1, [&]() -> Error {
    CoreTypeDef t;
    if (Error e = readCoreType(s).moveInto(t))
      return e;
    uint32_t item = c.coreTypes.size();
    t.index = uint32_t(c.space(IndexSpace::CoreType).size());
    for (uint32_t i = 0, e = t.numTypes(); i < e; ++i)
      define(IndexSpace::CoreType, ComponentSectionId::CoreType, item, i);
    c.coreTypes.push_back(std::move(t));
    return Error::success();
  });
}

Error ComponentParser::readComponentSection(BinaryReader &s,
                                            const Section &sec) {
  if (depth >= MaxNesting)
    return BinaryReader::errorAt(sec.offset, "components nested too deeply");
  std::unique_ptr<Component> nested;
  if (Error e =
          readComponentAt(s.data(), s.offset(), depth + 1).moveInto(nested))
    return e;
  consumeError(s.skip(s.remaining()));
  nested->index = define(IndexSpace::Component, ComponentSectionId::Component,
                         c.components.size());
  c.components.push_back(std::move(nested));
  return Error::success();
}

Error ComponentParser::readInstanceSection(BinaryReader &s) {
  return s.readVector(2, [&] { return readInstance(s); });
}

static Error readInstantiateArg(BinaryReader &s, Instance &inst) {
  Instance::Arg arg;
  if (Error e = s.readName().moveInto(arg.name))
    return e;
  if (Error e = readSortIndex(s).moveInto(arg.item))
    return e;
  inst.args.push_back(arg);
  return Error::success();
}

static Error readInlineExport(BinaryReader &s, Instance &inst) {
  Instance::Export ex;
  if (Error e = readExternName(s).moveInto(ex.name))
    return e;
  if (Error e = readSortIndex(s).moveInto(ex.item))
    return e;
  inst.exports.push_back(ex);
  return Error::success();
}

Error ComponentParser::readInstance(BinaryReader &s) {
  Instance inst;
  if (Error e = readInstanceExpr(
          s, inst, inst.component, 4,
          [&] { return readInstantiateArg(s, inst); },
          [&] { return readInlineExport(s, inst); }, "instance expression"))
    return e;
  inst.index = define(IndexSpace::Instance, ComponentSectionId::Instance,
                      c.instances.size());
  c.instances.push_back(std::move(inst));
  return Error::success();
}

Error ComponentParser::readAliasSection(BinaryReader &s) {
  return s.readVector(3, [&]() -> Error {
    Alias a;
    if (Error e = readAlias(s).moveInto(a))
      return e;
    a.index =
        define(a.sort.space(), ComponentSectionId::Alias, c.aliases.size());
    c.aliases.push_back(a);
    return Error::success();
  });
}

Error ComponentParser::readTypeSection(BinaryReader &s) {
  return s.readVector(1, [&]() -> Error {
    TypeDef t;
    if (Error e = readTypeDef(s, 0).moveInto(t))
      return e;
    t.index =
        define(IndexSpace::Type, ComponentSectionId::Type, c.types.size());
    c.types.push_back(std::move(t));
    return Error::success();
  });
}

Error ComponentParser::readCanonSection(BinaryReader &s) {
  return s.readVector(1, [&]() -> Error {
    Canon cn;
    if (Error e = readCanon(s).moveInto(cn))
      return e;
    cn.index =
        define(cn.sort().space(), ComponentSectionId::Canon, c.canons.size());
    c.canons.push_back(std::move(cn));
    return Error::success();
  });
}

Error ComponentParser::readStartSection(BinaryReader &s) {
  Start st;
  st.offset = s.offset();
  if (Error e = s.readVarU32().moveInto(st.func))
    return e;
  if (Error e = s.readVector(
          1, [&] { return s.readVarU32().moveInto(st.args.emplace_back()); }))
    return e;
  uint64_t at = s.offset();
  if (Error e = s.readVarU32().moveInto(st.results))
    return e;
  if (st.results > MaxStartResults)
    return BinaryReader::errorAt(
        at, "start function result count " + Twine(st.results) +
                " is too large (at most " + Twine(MaxStartResults) + ")");
  uint32_t item = c.starts.size();
  st.firstResult = uint32_t(c.space(IndexSpace::Value).size());
  for (uint32_t i = 0; i < st.results; ++i)
    define(IndexSpace::Value, ComponentSectionId::Start, item, i);
  c.starts.push_back(std::move(st));
  return Error::success();
}

Error ComponentParser::readImportSection(BinaryReader &s) {
  return s.readVector(4, [&]() -> Error {
    component::Import imp;
    imp.offset = s.offset();
    if (Error e = readExternName(s).moveInto(imp.name))
      return e;
    if (Error e = readExternDesc(s).moveInto(imp.desc))
      return e;
    imp.index = define(imp.desc.sort().space(), ComponentSectionId::Import,
                       c.imports.size());
    c.imports.push_back(imp);
    return Error::success();
  });
}

Error ComponentParser::readExportSection(BinaryReader &s) {
  return s.readVector(5, [&]() -> Error {
    Export ex;
    ex.offset = s.offset();
    if (Error e = readExternName(s).moveInto(ex.name))
      return e;
    if (Error e = readSortIndex(s).moveInto(ex.item))
      return e;
    bool hasType;
    if (Error e = readFlag(s, "export type").moveInto(hasType))
      return e;
    if (hasType)
      if (Error e = readExternDesc(s).moveInto(ex.desc))
        return e;
    ex.index = define(ex.item.sort.space(), ComponentSectionId::Export,
                      c.exports.size());
    c.exports.push_back(ex);
    return Error::success();
  });
}

Error ComponentParser::readValueSection(BinaryReader &s) {
  return s.readVector(2, [&]() -> Error {
    Value v;
    v.offset = s.offset();
    if (Error e = readCompValType(s).moveInto(v.type))
      return e;
    uint32_t len;
    if (Error e = s.readVarU32().moveInto(len))
      return e;
    if (Error e = s.readBytes(len).moveInto(v.bytes))
      return e;
    v.index =
        define(IndexSpace::Value, ComponentSectionId::Value, c.values.size());
    c.values.push_back(v);
    return Error::success();
  });
}
