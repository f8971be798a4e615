//===- PackagePrinter.cpp - whole WIT packages as text --------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Packages printed as wit-component prints them: interfaces then worlds in
/// package order; in an interface the `use`s (grouped by interface), then
/// the other types with a blank line between items, then functions; in a
/// world the imported interfaces, the types, the imported functions and,
/// after a blank line, the exports. Output goes through a small writer
/// that indents lazily, as wit-component's does, so blank lines and
/// braces come out the same.
///
//===----------------------------------------------------------------------===//

#include "wcl/WIT/Printer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include <map>

using namespace llvm;
using namespace wcl;
using namespace wcl::wit;

namespace {

class Writer {
public:
  explicit Writer(raw_ostream &os) : os(os) {}

  void str(StringRef s) {
    indentIfNeeded();
    os << s;
  }
  void newline() {
    os << "\n";
    needsIndent = true;
  }
  void semicolon() {
    os << ";";
    newline();
  }
  void open() {
    os << " {";
    ++depth;
    newline();
  }
  void close() {
    if (depth)
      --depth;
    indentIfNeeded();
    os << "}";
    newline();
  }
  void doc(StringRef line) {
    indentIfNeeded();
    os << "///";
    if (!line.empty())
      os << " " << line;
    newline();
  }

private:
  void indentIfNeeded() {
    if (needsIndent)
      os.indent(2 * depth);
    needsIndent = false;
  }
  raw_ostream &os;
  unsigned depth = 0;
  bool needsIndent = false;
};

bool isKeyword(StringRef name) {
  static const StringSet<> keywords = {
      "use",      "type",    "func",        "u8",
      "u16",      "u32",     "u64",         "s8",
      "s16",      "s32",     "s64",         "f32",
      "f64",      "float32", "float64",     "char",
      "resource", "record",  "flags",       "variant",
      "enum",     "bool",    "string",      "option",
      "result",   "future",  "stream",      "list",
      "own",      "borrow",  "_",           "as",
      "from",     "static",  "interface",   "tuple",
      "world",    "import",  "export",      "package",
      "with",     "include", "constructor", "error-context",
      "async",    "map"};
  return keywords.contains(name);
}

std::string escape(StringRef name) {
  return isKeyword(name) ? "%" + name.str() : name.str();
}

class PackagePrinter {
public:
  PackagePrinter(const Resolve &r, raw_ostream &os) : r(r), out(os) {}

  void printPackage(PackageId id, bool isMain);

private:
  const Resolve &r;
  Writer out;
  bool anyItems = false;

  void newItem() {
    if (anyItems)
      out.newline();
    anyItems = true;
  }
  void docs(const Docs &d) {
    if (!d)
      return;
    SmallVector<StringRef, 8> lines;
    StringRef(*d).split(lines, '\n');
    for (StringRef l : lines)
      out.doc(l);
  }
  void stability(const Stability &s);
  std::string typeName(Type t);
  std::string structure(const TypeDef &d);
  std::string interfacePath(InterfaceId id, PackageId from);
  void printInterface(InterfaceId id);
  void printTypes(TypeOwner owner, PackageId pkg,
                  const std::vector<std::pair<std::string, TypeId>> &types,
                  const std::map<uint32_t, std::vector<const Function *>> &rf);
  void printResource(TypeId id, const std::vector<const Function *> &funcs);
  void declareType(TypeId id);
  std::string signature(const Function &f);
  void printWorld(WorldId id);
  void printWorldItem(const WorldKey &key, const WorldItem &item, PackageId pkg,
                      StringRef dir);
};

} // namespace

void PackagePrinter::stability(const Stability &s) {
  if (s.kind == Stability::Kind::Unknown)
    return;
  if (s.kind == Stability::Kind::Stable)
    out.str("@since(version = " + s.value + ")");
  else
    out.str("@unstable(feature = " + s.value + ")");
  out.newline();
  if (s.deprecated) {
    out.str("@deprecated(version = " + *s.deprecated + ")");
    out.newline();
  }
}

std::string PackagePrinter::typeName(Type t) {
  if (!t.isId)
    return toString(t.prim).str();
  const TypeDef &d = r.get(t.id);
  if (d.name)
    return escape(*d.name);
  return structure(d);
}

std::string PackagePrinter::structure(const TypeDef &d) {
  auto opt = [&](const std::optional<Type> &x) {
    return x ? typeName(*x) : std::string("_");
  };
  switch (d.kind) {
  case TypeDefKind::Own:
    return typeName(Type::of(d.resource));
  case TypeDefKind::Borrow:
    return "borrow<" + typeName(Type::of(d.resource)) + ">";
  case TypeDefKind::Option:
    return "option<" + typeName(*d.element) + ">";
  case TypeDefKind::List:
    return "list<" + typeName(*d.element) + ">";
  case TypeDefKind::Map:
    return "map<" + typeName(d.types[0]) + ", " + typeName(d.types[1]) + ">";
  case TypeDefKind::FixedList:
    return "list<" + typeName(*d.element) + ", " + std::to_string(d.length) +
           ">";
  case TypeDefKind::Future:
    return d.element ? "future<" + typeName(*d.element) + ">" : "future";
  case TypeDefKind::Stream:
    return d.element ? "stream<" + typeName(*d.element) + ">" : "stream";
  case TypeDefKind::Result:
    if (!d.element && !d.error)
      return "result";
    if (!d.error)
      return "result<" + typeName(*d.element) + ">";
    return "result<" + opt(d.element) + ", " + typeName(*d.error) + ">";
  case TypeDefKind::Tuple: {
    std::string s = "tuple<";
    for (auto [i, x] : enumerate(d.types))
      s += (i ? ", " : "") + typeName(x);
    return s + ">";
  }
  case TypeDefKind::Alias:
    return typeName(*d.element);
  default:
    return "<anonymous>";
  }
}

std::string PackagePrinter::interfacePath(InterfaceId id, PackageId from) {
  const Interface &i = r.get(id);
  if (i.package && *i.package == from)
    return escape(*i.name);
  const PackageName &p = r.get(*i.package).name;
  std::string s = escape(p.ns) + ":" + escape(p.name) + "/" + escape(*i.name);
  if (p.version)
    s += "@" + *p.version;
  return s;
}

void PackagePrinter::printPackage(PackageId id, bool isMain) {
  const Package &p = r.get(id);
  docs(p.docs);
  out.str("package " + escape(p.name.ns) + ":" + escape(p.name.name));
  if (p.name.version)
    out.str("@" + *p.name.version);
  if (isMain) {
    out.semicolon();
    out.newline();
  } else {
    out.open();
  }
  for (const auto &[name, iid] : p.interfaces) {
    docs(r.get(iid).docs);
    stability(r.get(iid).stability);
    out.str("interface " + escape(name));
    out.open();
    printInterface(iid);
    out.close();
    if (isMain)
      out.newline();
  }
  for (const auto &[name, wid] : p.worlds) {
    docs(r.get(wid).docs);
    stability(r.get(wid).stability);
    out.str("world " + escape(name));
    out.open();
    printWorld(wid);
    out.close();
  }
  if (!isMain)
    out.close();
}

void PackagePrinter::printInterface(InterfaceId id) {
  bool prev = std::exchange(anyItems, false);
  const Interface &iface = r.get(id);
  std::map<uint32_t, std::vector<const Function *>> resourceFuncs;
  std::vector<const Function *> freestanding;
  for (const auto &[name, f] : iface.functions) {
    if (f.kind == FunctionKind::Freestanding)
      freestanding.push_back(&f);
    else
      resourceFuncs[f.resource.index].push_back(&f);
  }
  std::vector<std::pair<std::string, TypeId>> types(iface.types.begin(),
                                                    iface.types.end());
  printTypes(TypeOwner::interface(id), *iface.package, types, resourceFuncs);
  for (const Function *f : freestanding) {
    newItem();
    docs(f->docs);
    stability(f->stability);
    out.str(escape(f->name) + ": " + signature(*f));
    out.semicolon();
  }
  anyItems = prev;
}

void PackagePrinter::printTypes(
    TypeOwner owner, PackageId pkg,
    const std::vector<std::pair<std::string, TypeId>> &types,
    const std::map<uint32_t, std::vector<const Function *>> &rf) {
  struct Import {
    TypeOwner from;
    const TypeDef *def;
    std::vector<std::pair<std::string, std::string>> names;
  };
  std::vector<Import> imports;
  std::vector<TypeId> declare;
  for (const auto &[name, id] : types) {
    const TypeDef &d = r.get(id);
    if (d.kind == TypeDefKind::Alias && d.element && d.element->isId) {
      const TypeDef &other = r.get(d.element->id);
      if (other.owner.kind != TypeOwner::Kind::None &&
          !(other.owner == owner)) {
        if (!imports.empty() && imports.back().from == other.owner &&
            imports.back().def->stability == d.stability) {
          imports.back().names.push_back({name, *other.name});
          continue;
        }
        imports.push_back({other.owner, &d, {{name, *other.name}}});
        continue;
      }
    }
    declare.push_back(id);
  }
  for (const Import &imp : imports) {
    anyItems = true;
    stability(imp.def->stability);
    std::string s = "use " + interfacePath(imp.from.interfaceId(), pkg) + ".{";
    for (auto [i, n] : enumerate(imp.names)) {
      if (i)
        s += ", ";
      s += n.first == n.second ? escape(n.first)
                               : escape(n.second) + " as " + escape(n.first);
    }
    out.str(s + "}");
    out.semicolon();
  }
  static const std::vector<const Function *> none;
  for (TypeId id : declare) {
    newItem();
    const TypeDef &d = r.get(id);
    docs(d.docs);
    stability(d.stability);
    if (d.kind == TypeDefKind::Resource) {
      auto it = rf.find(id.index);
      printResource(id, it == rf.end() ? none : it->second);
    } else {
      declareType(id);
    }
  }
}

void PackagePrinter::printResource(TypeId id,
                                   const std::vector<const Function *> &funcs) {
  out.str("resource " + escape(*r.get(id).name));
  if (funcs.empty()) {
    out.semicolon();
    return;
  }
  out.open();
  for (const Function *f : funcs) {
    docs(f->docs);
    stability(f->stability);
    if (f->kind == FunctionKind::Method)
      out.str(escape(f->itemName()) + ": ");
    else if (f->kind == FunctionKind::Static)
      out.str(escape(f->itemName()) + ": static ");
    out.str(signature(*f));
    out.semicolon();
  }
  out.close();
}

std::string PackagePrinter::signature(const Function &f) {
  std::string s = f.isAsync ? "async " : "";
  s += f.kind == FunctionKind::Constructor ? "constructor(" : "func(";
  bool first = true;
  for (auto [i, p] : enumerate(f.params)) {
    if (i == 0 && f.kind == FunctionKind::Method)
      continue;
    s += (first ? "" : ", ") + escape(p.first) + ": " + typeName(p.second);
    first = false;
  }
  s += ")";
  // `constructor()` returning its own resource is the shorthand form.
  if (f.kind == FunctionKind::Constructor && f.result && f.result->isId &&
      r.get(f.result->id).kind == TypeDefKind::Own && !r.get(f.result->id).name)
    return s;
  if (f.result)
    s += " -> " + typeName(*f.result);
  return s;
}

void PackagePrinter::declareType(TypeId id) {
  const TypeDef &d = r.get(id);
  std::string name = escape(*d.name);
  auto members = [&](StringRef kw, size_t n, auto body) {
    out.str(kw.str() + " " + name);
    out.open();
    for (size_t i = 0; i < n; ++i)
      body(i);
    out.close();
  };
  switch (d.kind) {
  case TypeDefKind::Record:
    members("record", d.fields.size(), [&](size_t i) {
      docs(d.fields[i].docs);
      out.str(escape(d.fields[i].name) + ": " + typeName(d.fields[i].type) +
              ",");
      out.newline();
    });
    return;
  case TypeDefKind::Variant:
    members("variant", d.cases.size(), [&](size_t i) {
      docs(d.cases[i].docs);
      std::string s = escape(d.cases[i].name);
      if (d.cases[i].type)
        s += "(" + typeName(*d.cases[i].type) + ")";
      out.str(s + ",");
      out.newline();
    });
    return;
  case TypeDefKind::Flags:
  case TypeDefKind::Enum:
    members(d.kind == TypeDefKind::Flags ? "flags" : "enum", d.names.size(),
            [&](size_t i) {
              if (i < d.nameDocs.size())
                docs(d.nameDocs[i]);
              out.str(escape(d.names[i]) + ",");
              out.newline();
            });
    return;
  case TypeDefKind::Own:
    out.str("type " + name + " = own<" + typeName(Type::of(d.resource)) + ">");
    out.semicolon();
    return;
  case TypeDefKind::Alias:
    out.str("type " + name + " = " + typeName(*d.element));
    out.semicolon();
    return;
  default: {
    out.str("type " + name + " = " + structure(d));
    out.semicolon();
    return;
  }
  }
}

void PackagePrinter::printWorldItem(const WorldKey &key, const WorldItem &item,
                                    PackageId pkg, StringRef dir) {
  if (item.kind == WorldItem::Kind::Interface) {
    if (item.docs)
      docs(item.docs);
    else if (!key.interface)
      docs(r.get(item.interface).docs);
  } else {
    docs(item.function.docs);
  }
  stability(item.kind == WorldItem::Kind::Function ? item.function.stability
                                                   : item.stability);
  out.str(dir.str() + " ");
  if (key.interface) {
    out.str(interfacePath(*key.interface, pkg));
    out.semicolon();
    return;
  }
  if (item.kind == WorldItem::Kind::Function) {
    out.str(escape(key.name) + ": " + signature(item.function));
    out.semicolon();
    return;
  }
  const Interface &iface = r.get(item.interface);
  out.str(escape(key.name) + ": ");
  if (iface.implements) {
    // The copy a named item made of a package interface prints as that
    // interface's path.
    const Interface *orig = nullptr;
    InterfaceId origId;
    for (auto [i, x] : enumerate(r.interfaces))
      if (x.name && !x.implements && r.idOf({uint32_t(i)}) == iface.implements)
        orig = &x, origId = {uint32_t(i)};
    out.str(orig ? interfacePath(origId, pkg) : *iface.implements);
    out.semicolon();
    return;
  }
  out.str("interface");
  out.open();
  printInterface(item.interface);
  out.close();
}

void PackagePrinter::printWorld(WorldId id) {
  bool prev = std::exchange(anyItems, false);
  const World &w = r.get(id);
  PackageId pkg = *w.package;
  std::vector<std::pair<std::string, TypeId>> types;
  std::map<uint32_t, std::vector<const Function *>> resourceFuncs;
  std::vector<const std::pair<WorldKey, WorldItem> *> funcImports;
  for (const auto &entry : w.imports) {
    const auto &[key, item] = entry;
    if (item.kind == WorldItem::Kind::Type) {
      types.push_back({key.name, item.type});
      continue;
    }
    if (item.kind == WorldItem::Kind::Function) {
      if (item.function.kind != FunctionKind::Freestanding)
        resourceFuncs[item.function.resource.index].push_back(&item.function);
      else
        funcImports.push_back(&entry);
      continue;
    }
    printWorldItem(key, item, pkg, "import");
    anyItems = true;
  }
  printTypes(TypeOwner::world(id), pkg, types, resourceFuncs);
  for (const auto *entry : funcImports) {
    printWorldItem(entry->first, entry->second, pkg, "import");
    anyItems = true;
  }
  if (!w.exports.empty())
    newItem();
  for (const auto &[key, item] : w.exports)
    printWorldItem(key, item, pkg, "export");
  anyItems = prev;
}

void wit::printPackages(const Resolve &resolve, PackageId main,
                        ArrayRef<PackageId> nested, raw_ostream &os) {
  PackagePrinter p(resolve, os);
  p.printPackage(main, true);
  for (auto [i, id] : enumerate(nested)) {
    if (i) {
      os << "\n\n";
    }
    p.printPackage(id, false);
  }
}
