//===- ComponentDumper.cpp - Dump a component -----------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Prints a component section by section, in file order, because in a
/// component order is meaning: every definition appends to an index space,
/// and later definitions refer to earlier ones by index. Each item is one
/// line labelled with the index it receives ("CoreInstance 2", "Func 1"), and
/// its references print as "<sort> <index>", followed by the debug name from
/// the component-name section when there is one, so a test can pin the
/// wiring of a component with plain CHECK lines. Types, nested components
/// and core modules, which have structure of their own, are nested scopes.
///
/// Everything is printed through ScopedPrinter; labels within one scope are
/// unique (they carry the index space and index) so JSON output has no
/// duplicate keys.
///
//===----------------------------------------------------------------------===//

#include "wcl/Component/ComponentReader.h"
#include "wcl/Dump/Dump.h"
#include "wcl/Wasm/CoreTypes.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ScopedPrinter.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::component;
using namespace wcl::dump;
using namespace wcl::wasm;

namespace {

const EnumEntry<unsigned> sectionTypes[] = {
    {"CUSTOM", unsigned(ComponentSectionId::Custom)},
    {"CORE_MODULE", unsigned(ComponentSectionId::CoreModule)},
    {"CORE_INSTANCE", unsigned(ComponentSectionId::CoreInstance)},
    {"CORE_TYPE", unsigned(ComponentSectionId::CoreType)},
    {"COMPONENT", unsigned(ComponentSectionId::Component)},
    {"INSTANCE", unsigned(ComponentSectionId::Instance)},
    {"ALIAS", unsigned(ComponentSectionId::Alias)},
    {"TYPE", unsigned(ComponentSectionId::Type)},
    {"CANON", unsigned(ComponentSectionId::Canon)},
    {"START", unsigned(ComponentSectionId::Start)},
    {"IMPORT", unsigned(ComponentSectionId::Import)},
    {"EXPORT", unsigned(ComponentSectionId::Export)},
    {"VALUE", unsigned(ComponentSectionId::Value)},
};

/// Characters the text format allows in a bare `$id`.
bool isIdChar(char c) {
  return isAlnum(c) || StringRef("!#$%&'*+-./:<=>?@\\^_`|~").contains(c);
}

/// A string literal as the text format writes it.
std::string quote(StringRef s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) {
      out += '\\';
      out += hexdigit(c >> 4, true);
      out += hexdigit(c & 0xf, true);
    } else {
      out += char(c);
    }
  }
  return out + "\"";
}

/// `$name`, or `$"name"` when it has characters an id cannot.
std::string dollarName(StringRef name) {
  if (!name.empty() && all_of(name, isIdChar))
    return ("$" + name).str();
  return "$" + quote(name);
}

std::string hex(uint64_t v) { return "0x" + utohexstr(v); }

std::string valType(const component::ValType &t) {
  if (t.isIndex)
    return utostr(t.index);
  return primitiveName(t.primitive).str();
}

std::string definedType(const DefinedType &d) {
  std::string s;
  raw_string_ostream os(s);
  switch (d.kind) {
  case DefinedType::Kind::Primitive:
    return primitiveName(d.primitive).str();
  case DefinedType::Kind::Record:
    os << "(record";
    for (const LabeledValType &f : d.fields)
      os << " (field " << quote(f.label) << ' ' << valType(f.type) << ')';
    os << ')';
    break;
  case DefinedType::Kind::Variant:
    os << "(variant";
    for (const DefinedType::Case &c : d.cases) {
      os << " (case " << quote(c.label);
      if (c.type)
        os << ' ' << valType(*c.type);
      os << ')';
    }
    os << ')';
    break;
  case DefinedType::Kind::List:
    os << "(list " << valType(*d.first) << ')';
    break;
  case DefinedType::Kind::FixedList:
    os << "(list " << valType(*d.first) << ' ' << d.length << ')';
    break;
  case DefinedType::Kind::Tuple:
    os << "(tuple";
    for (const component::ValType &t : d.types)
      os << ' ' << valType(t);
    os << ')';
    break;
  case DefinedType::Kind::Flags:
  case DefinedType::Kind::Enum:
    os << (d.kind == DefinedType::Kind::Flags ? "(flags" : "(enum");
    for (StringRef l : d.labels)
      os << ' ' << quote(l);
    os << ')';
    break;
  case DefinedType::Kind::Option:
    os << "(option " << valType(*d.first) << ')';
    break;
  case DefinedType::Kind::Result:
    os << "(result";
    if (d.first)
      os << ' ' << valType(*d.first);
    if (d.second)
      os << " (error " << valType(*d.second) << ')';
    os << ')';
    break;
  case DefinedType::Kind::Own:
    os << "(own " << d.resource << ')';
    break;
  case DefinedType::Kind::Borrow:
    os << "(borrow " << d.resource << ')';
    break;
  case DefinedType::Kind::Stream:
  case DefinedType::Kind::Future:
    os << (d.kind == DefinedType::Kind::Stream ? "(stream" : "(future");
    if (d.first)
      os << ' ' << valType(*d.first);
    os << ')';
    break;
  case DefinedType::Kind::Map:
    os << "(map " << valType(*d.first) << ' ' << valType(*d.second) << ')';
    break;
  }
  return s;
}

std::string funcType(const component::FuncType &f) {
  std::string s = f.isAsync ? "(func async" : "(func";
  for (const LabeledValType &p : f.params)
    s += " (param " + quote(p.label) + " " + valType(p.type) + ")";
  if (f.result)
    s += " (result " + valType(*f.result) + ")";
  return s + ")";
}

/// One-line rendering of a type definition that has no declarations.
std::string simpleType(const TypeDef &t) {
  switch (t.kind) {
  case TypeDef::Kind::Defined:
    return definedType(t.defined);
  case TypeDef::Kind::Func:
    return funcType(t.func);
  case TypeDef::Kind::Resource: {
    std::string s = "(resource (rep " + wasm::toString(t.resource.rep) + ")";
    if (t.resource.dtor)
      s += " (dtor (func " + utostr(*t.resource.dtor) + "))";
    return s + ")";
  }
  case TypeDef::Kind::Component:
  case TypeDef::Kind::Instance:
    break;
  }
  return "";
}

std::string externName(const ExternName &n) {
  std::string s = quote(n.name);
  if (n.implements)
    s += " (implements " + quote(*n.implements) + ")";
  if (n.versionSuffix)
    s += " (versionsuffix " + quote(*n.versionSuffix) + ")";
  if (n.externalId)
    s += " (external-id " + quote(*n.externalId) + ")";
  return s;
}

std::string moduleDeclLine(const ModuleDecl &d) {
  switch (d.kind) {
  case ModuleDecl::Kind::Import:
    return "import " + quote(d.import.module) + " " + quote(d.import.field) +
           " " + wasm::toString(d.import.type);
  case ModuleDecl::Kind::Type:
    return ""; // printed per member
  case ModuleDecl::Kind::Alias:
    return "alias outer " + utostr(d.outerCount) + " " + utostr(d.outerIndex);
  case ModuleDecl::Kind::Export:
    return "export " + quote(d.exportName) + " " + wasm::toString(d.exportType);
  }
  return "";
}

class ComponentDumper {
public:
  ComponentDumper(ScopedPrinter &w, const Component &c, const DumpOptions &opts)
      : w(w), c(c), opts(opts) {
    if (const CustomSection *cs = c.findCustom(ComponentNameSectionName)) {
      Expected<ComponentNames> n =
          readComponentNames(cs->payload, cs->payloadOffset);
      if (n)
        names = std::move(*n);
      else
        consumeError(n.takeError()); // reported where the section is dumped
    }
  }

  Error dump();

private:
  Error dumpSection(const component::Section &sec);
  void dumpCustom(const CustomSection &cs);
  void dumpCoreInstance(const CoreInstance &inst);
  void dumpCoreType(const CoreTypeDef &t, bool named);
  void dumpType(const TypeDef &t, bool named);
  void dumpDecl(const Decl &d);
  void dumpInstance(const Instance &inst);
  void dumpAlias(const component::Alias &a, bool named);
  void dumpCanon(const Canon &cn);
  void dumpStart(const Start &st, size_t ordinal);
  void dumpImport(const component::Import &imp);
  void dumpExport(const component::Export &ex);
  void dumpValue(const component::Value &v);

  /// The debug name of \p index in \p space, if any.
  StringRef nameOf(IndexSpace space, uint32_t index) const {
    return names ? names->lookup(space, index) : StringRef();
  }
  /// "CoreFunc 7 $name": the label of the item that gets index \p index.
  std::string label(IndexSpace space, uint32_t index, bool named) const {
    std::string s = (component::toString(space) + " " + Twine(index)).str();
    if (named)
      if (StringRef n = nameOf(space, index); !n.empty())
        s += " " + dollarName(n);
    return s;
  }
  /// "7 $name": a reference to index \p index of \p space.
  std::string idx(IndexSpace space, uint32_t index, bool named) const {
    std::string s = utostr(index);
    if (named)
      if (StringRef n = nameOf(space, index); !n.empty())
        s += " " + dollarName(n);
    return s;
  }
  /// "core func 7 $name".
  std::string ref(SortKind sort, uint32_t index, bool named) const {
    return component::toString(sort) + " " + idx(sort.space(), index, named);
  }
  std::string ref(IndexSpace space, uint32_t index, bool named) const {
    return ref(sortOf(space), index, named);
  }
  std::string externDesc(const ExternDesc &d, bool named) const;
  std::string canonOptions(const Canon &cn) const;
  /// The offset suffix of a one-line item.
  std::string at(uint64_t offset) const {
    return opts.offsets ? "  @" + hex(offset) : "";
  }
  void printOffset(StringRef label, uint64_t offset) {
    if (opts.offsets)
      w.printHex(label, offset);
  }
  void line(const Twine &label, const Twine &value, uint64_t offset) {
    w.printString(label.str(), (value + at(offset)).str());
  }

  bool json() const {
    return w.getKind() == ScopedPrinter::ScopedPrinterKind::JSON;
  }
  /// The members that identify an item in JSON: its kind (the index space
  /// in kebab case, `core-func`), index and debug name.
  void printIdentity(StringRef kind, std::optional<uint32_t> index,
                     StringRef name) {
    w.printString("kind", kind);
    if (index)
      w.printNumber("index", *index);
    if (!name.empty())
      w.printString("name", name);
  }
  static std::string kindOf(IndexSpace space) {
    std::string out;
    for (char ch : component::toString(space)) {
      if (isUpper(ch) && !out.empty())
        out += '-';
      out += toLower(ch);
    }
    return out;
  }
  /// One item that gets index \p index of \p space. Text: the line
  /// "CoreFunc 7 $name: VALUE  @0x..". JSON: an object with its identity,
  /// "text" and "offset", which `jq` can select on.
  void item(IndexSpace space, uint32_t index, bool named, const Twine &value,
            uint64_t offset) {
    if (!json())
      return line(label(space, index, named), value, offset);
    otherItem(kindOf(space), index, named ? nameOf(space, index) : "", value,
              offset);
  }
  /// An item outside the index spaces (an export of a module type, a start
  /// function): \p textLabel in text, \p kind and \p ordinal in JSON.
  void otherItem(StringRef kind, std::optional<uint32_t> ordinal,
                 StringRef name, const Twine &value, uint64_t offset,
                 const Twine &textLabel = "") {
    if (!json())
      return line(textLabel, value, offset);
    DictScope d(w);
    printIdentity(kind, ordinal, name);
    w.printString("text", value.str());
    if (opts.offsets)
      w.printNumber("offset", offset);
  }
  /// The scope of an item with members of its own (a module, a component,
  /// a component or instance type): labelled in text, an object with its
  /// identity in JSON.
  struct ItemScope {
    ItemScope(ComponentDumper &dumper, IndexSpace space, uint32_t index,
              bool named) {
      if (!dumper.json()) {
        scope.emplace(dumper.w, dumper.label(space, index, named));
        return;
      }
      scope.emplace(dumper.w);
      dumper.printIdentity(kindOf(space), index,
                           named ? dumper.nameOf(space, index) : "");
    }
    std::optional<DictScope> scope;
  };
  /// In JSON, opens \p list, the list of the items that follow (a
  /// section's, a type's declarations); in text they are members of the
  /// enclosing scope. (Scopes close when destroyed, so they are built in
  /// place, never moved.)
  void openItemList(std::optional<ListScope> &list, StringRef name) {
    if (json())
      list.emplace(w, name);
  }

  ScopedPrinter &w;
  const Component &c;
  const DumpOptions &opts;
  std::optional<ComponentNames> names;
};

std::string ComponentDumper::externDesc(const ExternDesc &d, bool named) const {
  switch (d.kind) {
  case ExternKind::CoreModule:
    return "(core module (type " + idx(IndexSpace::CoreType, d.index, named) +
           "))";
  case ExternKind::Func:
    return "(func (type " + idx(IndexSpace::Type, d.index, named) + "))";
  case ExternKind::Component:
    return "(component (type " + idx(IndexSpace::Type, d.index, named) + "))";
  case ExternKind::Instance:
    return "(instance (type " + idx(IndexSpace::Type, d.index, named) + "))";
  case ExternKind::Value:
    if (d.bound == ExternDesc::Bound::ValType)
      return "(value " + valType(d.value) + ")";
    return "(value (eq " + idx(IndexSpace::Value, d.index, named) + "))";
  case ExternKind::Type:
    if (d.bound == ExternDesc::Bound::SubResource)
      return "(type (sub resource))";
    return "(type (eq " + idx(IndexSpace::Type, d.index, named) + "))";
  }
  return "";
}

std::string ComponentDumper::canonOptions(const Canon &cn) const {
  std::string s;
  for (const CanonOption &o : cn.options) {
    s += ' ';
    switch (o.kind) {
    case CanonOpt::StringUtf8:
      s += "string-encoding=utf8";
      break;
    case CanonOpt::StringUtf16:
      s += "string-encoding=utf16";
      break;
    case CanonOpt::StringLatin1Utf16:
      s += "string-encoding=latin1+utf16";
      break;
    case CanonOpt::Memory:
      s += "(memory " + idx(IndexSpace::CoreMemory, o.index, true) + ")";
      break;
    case CanonOpt::Realloc:
      s += "(realloc " + idx(IndexSpace::CoreFunc, o.index, true) + ")";
      break;
    case CanonOpt::PostReturn:
      s += "(post-return " + idx(IndexSpace::CoreFunc, o.index, true) + ")";
      break;
    case CanonOpt::Async:
      s += "async";
      break;
    case CanonOpt::Callback:
      s += "(callback " + idx(IndexSpace::CoreFunc, o.index, true) + ")";
      break;
    case CanonOpt::CoreType:
      s += "(core-type " + idx(IndexSpace::CoreType, o.index, true) + ")";
      break;
    case CanonOpt::Gc:
      s += "gc";
      break;
    }
  }
  return s;
}

Error ComponentDumper::dump() {
  ListScope sections(w, "Sections");
  for (size_t i = 0; i < c.sections.size(); ++i) {
    DictScope d(w, "Section");
    w.printNumber("Index", uint64_t(i));
    if (Error e = dumpSection(c.sections[i]))
      return e;
  }
  return Error::success();
}

Error ComponentDumper::dumpSection(const component::Section &sec) {
  using Id = ComponentSectionId;
  w.printEnum("Type", unsigned(sec.id), ArrayRef(sectionTypes));
  printOffset("Offset", sec.offset);
  w.printNumber("Size", uint64_t(sec.payload.size()));
  if (sec.id != Id::Custom && sec.id != Id::CoreModule &&
      sec.id != Id::Component && sec.id != Id::Start)
    w.printNumber("Count", sec.count);
  std::optional<ListScope> items;
  if (sec.id != Id::Custom)
    openItemList(items, "Items");
  for (uint32_t i = sec.first, e = sec.first + sec.count; i < e; ++i) {
    switch (sec.id) {
    case Id::Custom:
      dumpCustom(c.customs[i]);
      break;
    case Id::CoreModule: {
      const component::CoreModule &m = c.coreModules[i];
      ItemScope d(*this, IndexSpace::CoreModule, m.index, true);
      printOffset("Offset", m.offset);
      w.printNumber("Size", uint64_t(m.bytes.size()));
      if (Error e = dumpCoreModule(w, m.bytes, m.offset, opts))
        return e;
      break;
    }
    case Id::CoreInstance:
      dumpCoreInstance(c.coreInstances[i]);
      break;
    case Id::CoreType:
      dumpCoreType(c.coreTypes[i], /*named=*/true);
      break;
    case Id::Component: {
      const Component &nested = *c.components[i];
      ItemScope d(*this, IndexSpace::Component, nested.index, true);
      printOffset("Offset", nested.offset);
      w.printNumber("Size", uint64_t(nested.bytes.size()));
      ComponentDumper inner(w, nested, opts);
      if (Error e = inner.dump())
        return e;
      break;
    }
    case Id::Instance:
      dumpInstance(c.instances[i]);
      break;
    case Id::Alias:
      dumpAlias(c.aliases[i], /*named=*/true);
      break;
    case Id::Type:
      dumpType(c.types[i], /*named=*/true);
      break;
    case Id::Canon:
      dumpCanon(c.canons[i]);
      break;
    case Id::Start:
      dumpStart(c.starts[i], i);
      break;
    case Id::Import:
      dumpImport(c.imports[i]);
      break;
    case Id::Export:
      dumpExport(c.exports[i]);
      break;
    case Id::Value:
      dumpValue(c.values[i]);
      break;
    }
  }
  return Error::success();
}

void ComponentDumper::dumpCustom(const CustomSection &cs) {
  w.printString("Name", cs.name);
  if (cs.name == ComponentNameSectionName) {
    Expected<ComponentNames> n =
        readComponentNames(cs.payload, cs.payloadOffset);
    if (!n) {
      // A broken name section does not make the component unusable.
      w.printString("Error", toString(n.takeError()));
      return;
    }
    DictScope d(w, "ComponentNames");
    if (n->component)
      w.printString("Component", *n->component);
    for (const ComponentNames::Map &m : n->maps) {
      DictScope ms(w, component::toString(m.sort.space()));
      printOffset("Offset", m.offset);
      for (const auto &[index, name] : m.names)
        w.printString(utostr(index), name);
    }
    for (const auto &[offset, id] : n->unknown)
      w.printString(("Unknown " + hex(offset)), "subsection " + utostr(id));
    return;
  }
  if (cs.name == ProducersSectionName) {
    BinaryReader r(cs.payload, cs.payloadOffset);
    Expected<ProducersSection> p = readProducersSection(r);
    if (!p) {
      w.printString("Error", toString(p.takeError()));
      return;
    }
    DictScope d(w, "Producers");
    for (const ProducersSection::Field &f : p->fields) {
      DictScope fs(w, f.name);
      for (const ProducersSection::Value &v : f.values)
        w.printString(v.name, v.version);
    }
    return;
  }
  if (opts.sectionData)
    w.printBinaryBlock("SectionData", cs.payload);
}

void ComponentDumper::dumpCoreInstance(const CoreInstance &inst) {
  std::string s;
  if (inst.expr == InstanceExpr::Instantiate) {
    s = "instantiate module " + idx(IndexSpace::CoreModule, inst.module, true);
    for (const CoreInstance::Arg &a : inst.args)
      s += ", with " + quote(a.name) + " -> " +
           ref(IndexSpace::CoreInstance, a.instance, true);
  } else {
    s = "exports";
    if (inst.exports.empty())
      s += " (none)";
    for (size_t i = 0; i < inst.exports.size(); ++i) {
      const CoreInstance::Export &e = inst.exports[i];
      s += (i ? ", " : " ") + quote(e.name) + " -> " +
           ref(SortKind::coreSort(e.sort), e.index, true);
    }
  }
  item(IndexSpace::CoreInstance, inst.index, true, s, inst.offset);
}

void ComponentDumper::dumpCoreType(const CoreTypeDef &t, bool named) {
  if (t.kind == CoreTypeDef::Kind::Rec) {
    size_t n = t.rec.types.size();
    for (size_t i = 0; i < n; ++i) {
      std::string s = wasm::toString(t.rec.types[i]);
      if (t.rec.explicitRec)
        s = "(rec " + utostr(i) + "/" + utostr(n) + ") " + s;
      item(IndexSpace::CoreType, t.index + i, named, s, t.offset);
    }
    if (n == 0)
      otherItem("core-type", std::nullopt, "", "(rec)", t.offset,
                "CoreType (empty rec at " + hex(t.offset) + ")");
    return;
  }
  ItemScope d(*this, IndexSpace::CoreType, t.index, named);
  w.printString("Kind", "module");
  printOffset("Offset", t.offset);
  std::optional<ListScope> decls;
  openItemList(decls, "Decls");
  unsigned exports = 0;
  for (const ModuleDecl &md : t.decls) {
    switch (md.kind) {
    case ModuleDecl::Kind::Import:
      item(wasm::coreIndexSpace(md.import.type.kind), md.index, false,
           moduleDeclLine(md), md.offset);
      break;
    case ModuleDecl::Kind::Type:
      for (size_t i = 0; i < md.type.types.size(); ++i)
        item(IndexSpace::CoreType, md.index + i, false,
             wasm::toString(md.type.types[i]), md.offset);
      break;
    case ModuleDecl::Kind::Alias:
      item(IndexSpace::CoreType, md.index, false, moduleDeclLine(md),
           md.offset);
      break;
    case ModuleDecl::Kind::Export:
      otherItem("export", exports, "", moduleDeclLine(md), md.offset,
                "Export " + Twine(exports));
      ++exports;
      break;
    }
  }
}

void ComponentDumper::dumpType(const TypeDef &t, bool named) {
  if (t.kind != TypeDef::Kind::Component && t.kind != TypeDef::Kind::Instance) {
    item(IndexSpace::Type, t.index, named, simpleType(t), t.offset);
    return;
  }
  ItemScope d(*this, IndexSpace::Type, t.index, named);
  w.printString("Kind",
                t.kind == TypeDef::Kind::Component ? "component" : "instance");
  printOffset("Offset", t.offset);
  std::optional<ListScope> decls;
  openItemList(decls, "Decls");
  for (const Decl &decl : t.decls)
    dumpDecl(decl);
}

void ComponentDumper::dumpDecl(const Decl &d) {
  // Declarations live in the type's own index spaces, which the name
  // section does not cover: no names here.
  switch (d.kind) {
  case Decl::Kind::CoreType:
    dumpCoreType(*d.coreType, /*named=*/false);
    return;
  case Decl::Kind::Type:
    dumpType(*d.type, /*named=*/false);
    return;
  case Decl::Kind::Alias:
    dumpAlias(d.alias, /*named=*/false);
    return;
  case Decl::Kind::Import:
  case Decl::Kind::Export:
    item(d.space, d.index, false,
         (d.kind == Decl::Kind::Import ? "import " : "export ") +
             externName(d.name) + " " + externDesc(d.desc, false),
         d.offset);
    return;
  }
}

void ComponentDumper::dumpInstance(const Instance &inst) {
  std::string s;
  if (inst.expr == InstanceExpr::Instantiate) {
    s = "instantiate component " +
        idx(IndexSpace::Component, inst.component, true);
    for (const Instance::Arg &a : inst.args)
      s += ", with " + quote(a.name) + " -> " +
           ref(a.item.sort, a.item.index, true);
  } else {
    s = "exports";
    if (inst.exports.empty())
      s += " (none)";
    for (size_t i = 0; i < inst.exports.size(); ++i) {
      const Instance::Export &e = inst.exports[i];
      s += (i ? ", " : " ") + externName(e.name) + " -> " +
           ref(e.item.sort, e.item.index, true);
    }
  }
  item(IndexSpace::Instance, inst.index, true, s, inst.offset);
}

void ComponentDumper::dumpAlias(const component::Alias &a, bool named) {
  std::string s;
  switch (a.target) {
  case AliasTarget::Export:
    s = "alias export instance " +
        idx(IndexSpace::Instance, a.instance, named) + " " + quote(a.name);
    break;
  case AliasTarget::CoreExport:
    s = "alias core export instance " +
        idx(IndexSpace::CoreInstance, a.instance, named) + " " + quote(a.name);
    break;
  case AliasTarget::Outer:
    s = "alias outer " + utostr(a.count) + " " + utostr(a.outerIndex);
    break;
  }
  item(a.sort.space(), a.index, named, s, a.offset);
}

void ComponentDumper::dumpCanon(const Canon &cn) {
  std::string s = wasm::toString(cn.op).str();
  auto typeRef = [&](uint32_t i) {
    return " type " + idx(IndexSpace::Type, i, true);
  };
  switch (cn.op) {
  case CanonOp::Lift:
    s += " core func " + idx(IndexSpace::CoreFunc, cn.func, true) + " (type " +
         idx(IndexSpace::Type, cn.type, true) + ")" + canonOptions(cn);
    break;
  case CanonOp::Lower:
    s += " func " + idx(IndexSpace::Func, cn.func, true) + canonOptions(cn);
    break;
  case CanonOp::ResourceNew:
  case CanonOp::ResourceDrop:
  case CanonOp::ResourceRep:
  case CanonOp::StreamNew:
  case CanonOp::StreamDropReadable:
  case CanonOp::StreamDropWritable:
  case CanonOp::FutureNew:
  case CanonOp::FutureDropReadable:
  case CanonOp::FutureDropWritable:
    s += typeRef(cn.type);
    break;
  case CanonOp::StreamRead:
  case CanonOp::StreamWrite:
  case CanonOp::FutureRead:
  case CanonOp::FutureWrite:
    s += typeRef(cn.type) + canonOptions(cn);
    break;
  case CanonOp::StreamCancelRead:
  case CanonOp::StreamCancelWrite:
  case CanonOp::FutureCancelRead:
  case CanonOp::FutureCancelWrite:
    s += typeRef(cn.type);
    if (cn.flag)
      s += " async";
    break;
  case CanonOp::SubtaskCancel:
    if (cn.flag)
      s += " async";
    break;
  case CanonOp::TaskReturn:
    if (cn.result)
      s += " (result " + valType(*cn.result) + ")";
    s += canonOptions(cn);
    break;
  case CanonOp::ContextGet:
  case CanonOp::ContextSet:
    s += " " + wasm::toString(cn.coreType) + " " + utostr(cn.slot);
    break;
  case CanonOp::ErrorContextNew:
  case CanonOp::ErrorContextDebugMessage:
    s += canonOptions(cn);
    break;
  case CanonOp::WaitableSetWait:
  case CanonOp::WaitableSetPoll:
    if (cn.flag)
      s += " cancellable";
    s += " (memory " + idx(IndexSpace::CoreMemory, cn.memory, true) + ")";
    break;
  case CanonOp::ThreadYield:
  case CanonOp::ThreadSuspend:
  case CanonOp::ThreadSuspendThenResume:
  case CanonOp::ThreadYieldThenResume:
  case CanonOp::ThreadSuspendThenPromote:
  case CanonOp::ThreadYieldThenPromote:
    if (cn.flag)
      s += " cancellable";
    break;
  case CanonOp::ThreadNewIndirect:
  case CanonOp::ThreadSpawnIndirect:
    if (cn.flag)
      s += " shared";
    s += " core type " + idx(IndexSpace::CoreType, cn.type, true) + " (table " +
         idx(IndexSpace::CoreTable, cn.table, true) + ")";
    break;
  case CanonOp::ThreadSpawnRef:
    if (cn.flag)
      s += " shared";
    s += " core type " + idx(IndexSpace::CoreType, cn.type, true);
    break;
  case CanonOp::ThreadAvailableParallelism:
    if (cn.flag)
      s += " shared";
    break;
  case CanonOp::TaskCancel:
  case CanonOp::SubtaskDrop:
  case CanonOp::ErrorContextDrop:
  case CanonOp::WaitableSetNew:
  case CanonOp::WaitableSetDrop:
  case CanonOp::WaitableJoin:
  case CanonOp::BackpressureInc:
  case CanonOp::BackpressureDec:
  case CanonOp::ThreadIndex:
  case CanonOp::ThreadResumeLater:
    break;
  }
  item(cn.sort().space(), cn.index, true, s, cn.offset);
}

void ComponentDumper::dumpStart(const Start &st, size_t ordinal) {
  std::string s = "func " + idx(IndexSpace::Func, st.func, true);
  for (uint32_t a : st.args)
    s += " (value " + idx(IndexSpace::Value, a, true) + ")";
  s += " -> " + utostr(st.results) + " results";
  if (st.results)
    s += " (value " + utostr(st.firstResult) + ".." +
         utostr(st.firstResult + st.results - 1) + ")";
  otherItem("start", ordinal, "", s, st.offset, "Start " + Twine(ordinal));
}

void ComponentDumper::dumpImport(const component::Import &imp) {
  item(imp.desc.sort().space(), imp.index, true,
       "import " + externName(imp.name) + " " + externDesc(imp.desc, true),
       imp.offset);
}

void ComponentDumper::dumpExport(const component::Export &ex) {
  std::string s = "export " + externName(ex.name) + " -> " +
                  ref(ex.item.sort, ex.item.index, true);
  if (ex.desc)
    s += " " + externDesc(*ex.desc, true);
  item(ex.item.sort.space(), ex.index, true, s, ex.offset);
}

void ComponentDumper::dumpValue(const component::Value &v) {
  item(IndexSpace::Value, v.index, true,
       valType(v.type) + " (" + utostr(v.bytes.size()) + " bytes)", v.offset);
  if (opts.sectionData)
    w.printBinaryBlock("Value " + utostr(v.index) + " data", v.bytes);
}

} // namespace

Error wcl::dump::dumpComponent(ScopedPrinter &w, ArrayRef<uint8_t> bytes,
                               uint64_t base, const DumpOptions &opts) {
  // Read everything first: a malformed component prints nothing at all.
  Expected<std::unique_ptr<Component>> c = readComponent(bytes, base);
  if (!c)
    return c.takeError();
  w.printString("Format", "component");
  w.printNumber("Version", 0xdu);
  w.printNumber("Layer", 1u);
  return ComponentDumper(w, **c, opts).dump();
}
