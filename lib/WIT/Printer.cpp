//===- Printer.cpp - WIT text from the type model -------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// WIT text from the type model, in wit-component's layout, so that what
/// `wcl-readobj --wit` prints can be compared with what wasm-tools prints.
///
//===----------------------------------------------------------------------===//

#include "wcl/WIT/Printer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include <set>

using namespace llvm;
using namespace wcl;
using namespace wcl::wit;

namespace {

/// A WIT identifier, `%`-escaped where it is a keyword.
std::string ident(StringRef name) {
  static const StringSet<> keywords = {
      "as",     "async",  "bool",    "borrow",  "char",      "constructor",
      "enum",   "export", "f32",     "f64",     "flags",     "from",
      "func",   "future", "import",  "include", "interface", "list",
      "option", "own",    "package", "record",  "resource",  "result",
      "s16",    "s32",    "s64",     "s8",      "static",    "stream",
      "string", "tuple",  "type",    "u16",     "u32",       "u64",
      "u8",     "use",    "variant", "with",    "world",     "error-context"};
  return keywords.contains(name) ? "%" + name.str() : name.str();
}

class Printer {
public:
  Printer(const Resolve &resolve, raw_ostream &os) : resolve(resolve), os(os) {}

  void print(WorldId worldId);

private:
  const Resolve &resolve;
  raw_ostream &os;
  /// The package being printed: interfaces in it are named without it.
  std::optional<PackageId> current;

  void indent(unsigned depth) { os.indent(2 * depth); }
  std::string typeName(Type t);
  std::string structure(const TypeDef &def);
  std::string interfaceRef(InterfaceId id);
  std::string implementsRef(llvm::StringRef id);
  std::string signature(const Function &f, bool dropSelf);
  void printTypeDef(TypeId id, StringRef name, unsigned depth,
                    std::optional<InterfaceId> scope);
  void printFunctions(const NameMap<Function> &functions, unsigned depth);
  void printInterfaceBody(InterfaceId id, unsigned depth);
  void printWorldItems(const World &world, unsigned depth);
  void printPackage(PackageId pkg, const std::set<uint32_t> &interfaces,
                    std::optional<WorldId> world, unsigned depth);
};

} // namespace

std::string Printer::interfaceRef(InterfaceId id) {
  const Interface &iface = resolve.get(id);
  if (!iface.name)
    return "<inline interface>";
  if (iface.package && current && *iface.package == *current)
    return ident(*iface.name);
  return resolve.idOf(id).value_or(*iface.name);
}

/// `ns:pkg/i@v` as a reference from the package being printed: `i` within
/// that package.
std::string Printer::implementsRef(StringRef id) {
  if (current) {
    std::string prefix = resolve.get(*current).name.ns + ":" +
                         resolve.get(*current).name.name + "/";
    StringRef rest = id;
    std::optional<std::string> version = resolve.get(*current).name.version;
    if (rest.consume_front(prefix) &&
        (version ? rest.consume_back("@" + *version) : !rest.contains('@')))
      return ident(rest);
  }
  return id.str();
}

std::string Printer::typeName(Type t) {
  if (!t.isId)
    return toString(t.prim).str();
  const TypeDef &def = resolve.get(t.id);
  return def.name ? ident(*def.name) : structure(def);
}

/// How an anonymous definition is spelled where it is used.
std::string Printer::structure(const TypeDef &def) {
  auto opt = [&](const std::optional<Type> &x) {
    return x ? typeName(*x) : std::string("_");
  };
  switch (def.kind) {
  case TypeDefKind::Own:
    return typeName(Type::of(def.resource));
  case TypeDefKind::Borrow:
    return "borrow<" + typeName(Type::of(def.resource)) + ">";
  case TypeDefKind::Option:
    return "option<" + typeName(*def.element) + ">";
  case TypeDefKind::List:
    return "list<" + typeName(*def.element) + ">";
  case TypeDefKind::Map:
    return "map<" + typeName(def.types[0]) + ", " + typeName(def.types[1]) +
           ">";
  case TypeDefKind::FixedList:
    return "list<" + typeName(*def.element) + ", " +
           std::to_string(def.length) + ">";
  case TypeDefKind::Future:
    return def.element ? "future<" + typeName(*def.element) + ">" : "future";
  case TypeDefKind::Stream:
    return def.element ? "stream<" + typeName(*def.element) + ">" : "stream";
  case TypeDefKind::Result:
    if (!def.element && !def.error)
      return "result";
    if (!def.error)
      return "result<" + typeName(*def.element) + ">";
    return "result<" + opt(def.element) + ", " + typeName(*def.error) + ">";
  case TypeDefKind::Tuple: {
    std::string s = "tuple<";
    ListSeparator sep(", ");
    for (Type x : def.types)
      s += std::string(StringRef(sep)) + typeName(x);
    return s + ">";
  }
  case TypeDefKind::Alias:
    return typeName(*def.element);
  default:
    // Records, variants, enums, flags and resources always have names.
    return "<anonymous type>";
  }
}

std::string Printer::signature(const Function &f, bool dropSelf) {
  std::string s = "(";
  ListSeparator sep(", ");
  for (const auto &[i, p] : enumerate(f.params)) {
    if (dropSelf && i == 0)
      continue;
    s += std::string(StringRef(sep)) + ident(p.first) + ": " +
         typeName(p.second);
  }
  s += ")";
  if (f.result && f.kind != FunctionKind::Constructor)
    s += " -> " + typeName(*f.result);
  return s;
}

void Printer::printTypeDef(TypeId id, StringRef name, unsigned depth,
                           std::optional<InterfaceId> scope) {
  const TypeDef &def = resolve.get(id);
  indent(depth);
  switch (def.kind) {
  case TypeDefKind::Record:
    os << "record " << ident(name) << " {\n";
    for (const Field &f : def.fields) {
      indent(depth + 1);
      os << ident(f.name) << ": " << typeName(f.type) << ",\n";
    }
    break;
  case TypeDefKind::Variant:
    os << "variant " << ident(name) << " {\n";
    for (const Case &c : def.cases) {
      indent(depth + 1);
      os << ident(c.name);
      if (c.type)
        os << "(" << typeName(*c.type) << ")";
      os << ",\n";
    }
    break;
  case TypeDefKind::Enum:
  case TypeDefKind::Flags:
    os << (def.kind == TypeDefKind::Enum ? "enum " : "flags ") << ident(name)
       << " {\n";
    for (const std::string &n : def.names) {
      indent(depth + 1);
      os << ident(n) << ",\n";
    }
    break;
  case TypeDefKind::Resource: {
    // A resource's functions are printed inside it.
    std::vector<const Function *> members;
    if (scope)
      for (const auto &[fname, f] : resolve.get(*scope).functions)
        if (f.kind != FunctionKind::Freestanding && f.resource == id)
          members.push_back(&f);
    os << "resource " << ident(name);
    if (members.empty()) {
      os << ";\n";
      return;
    }
    os << " {\n";
    for (const Function *f : members) {
      indent(depth + 1);
      if (f->kind == FunctionKind::Constructor) {
        os << "constructor" << signature(*f, false) << ";\n";
        continue;
      }
      os << ident(f->itemName()) << ": "
         << (f->kind == FunctionKind::Static ? "static " : "")
         << (f->isAsync ? "async " : "") << "func"
         << signature(*f, f->kind == FunctionKind::Method) << ";\n";
    }
    break;
  }
  case TypeDefKind::Alias: {
    // `use iface.{t}` when the target is another interface's named type.
    const TypeDef *target = def.element && def.element->isId
                                ? &resolve.get(def.element->id)
                                : nullptr;
    if (target && target->name &&
        target->owner.kind == TypeOwner::Kind::Interface &&
        !(scope && target->owner.interfaceId() == *scope)) {
      os << "use " << interfaceRef(target->owner.interfaceId()) << ".{"
         << ident(*target->name);
      if (*target->name != name)
        os << " as " << ident(name);
      os << "};\n";
      return;
    }
    os << "type " << ident(name) << " = " << typeName(*def.element) << ";\n";
    return;
  }
  default:
    // A name for a structural type: `type t = list<u8>;`.
    os << "type " << ident(name) << " = " << structure(def) << ";\n";
    return;
  }
  indent(depth);
  os << "}\n";
}

void Printer::printFunctions(const NameMap<Function> &functions,
                             unsigned depth) {
  for (const auto &[fname, f] : functions) {
    if (f.kind != FunctionKind::Freestanding)
      continue;
    indent(depth);
    os << ident(f.itemName()) << ": " << (f.isAsync ? "async " : "") << "func"
       << signature(f, false) << ";\n";
  }
}

void Printer::printInterfaceBody(InterfaceId id, unsigned depth) {
  const Interface &iface = resolve.get(id);
  for (const auto &[tname, t] : iface.types)
    printTypeDef(t, tname, depth, id);
  printFunctions(iface.functions, depth);
}

void Printer::printWorldItems(const World &world, unsigned depth) {
  auto items = [&](StringRef dir,
                   const std::vector<std::pair<WorldKey, WorldItem>> &list) {
    for (const auto &[key, item] : list) {
      if (item.kind == WorldItem::Kind::Type) {
        if (dir == "import")
          printTypeDef(item.type, key.name, depth, std::nullopt);
        continue;
      }
      indent(depth);
      os << dir << " ";
      if (item.kind == WorldItem::Kind::Function) {
        const Function &f = item.function;
        os << ident(key.name) << ": " << (f.isAsync ? "async " : "") << "func"
           << signature(f, false) << ";\n";
        continue;
      }
      if (key.interface) {
        os << interfaceRef(*key.interface) << ";\n";
        continue;
      }
      if (const std::optional<std::string> &impl =
              resolve.get(item.interface).implements) {
        os << ident(key.name) << ": " << implementsRef(*impl) << ";\n";
        continue;
      }
      os << ident(key.name) << ": interface {\n";
      printInterfaceBody(item.interface, depth + 1);
      indent(depth);
      os << "}\n";
    }
  };
  items("import", world.imports);
  items("export", world.exports);
}

void Printer::printPackage(PackageId pkg, const std::set<uint32_t> &interfaces,
                           std::optional<WorldId> world, unsigned depth) {
  current = pkg;
  bool first = true;
  for (uint32_t i : interfaces) {
    InterfaceId id{i};
    const Interface &iface = resolve.get(id);
    if (!iface.package || *iface.package != pkg)
      continue;
    StringRef iname = *iface.name;
    if (!first)
      os << "\n";
    first = false;
    indent(depth);
    os << "interface " << ident(iname) << " {\n";
    printInterfaceBody(id, depth + 1);
    indent(depth);
    os << "}\n";
  }
  if (world) {
    if (!first)
      os << "\n";
    indent(depth);
    os << "world " << ident(resolve.get(*world).name) << " {\n";
    printWorldItems(resolve.get(*world), depth + 1);
    indent(depth);
    os << "}\n";
  }
}

void Printer::print(WorldId worldId) {
  const World &world = resolve.get(worldId);
  // The named interfaces the world reaches, directly or through types.
  std::set<uint32_t> used;
  std::vector<InterfaceId> work;
  auto reach = [&](InterfaceId id) {
    if (resolve.get(id).name && used.insert(id.index).second)
      work.push_back(id);
  };
  LiveTypes live;
  for (const auto *list : {&world.imports, &world.exports})
    for (const auto &[key, item] : *list) {
      if (item.kind == WorldItem::Kind::Interface) {
        reach(item.interface);
        live.addInterface(resolve, item.interface);
      } else if (item.kind == WorldItem::Kind::Function) {
        live.addFunction(resolve, item.function);
      } else {
        live.addTypeId(resolve, item.type);
      }
    }
  while (!work.empty()) {
    InterfaceId id = work.back();
    work.pop_back();
    LiveTypes more;
    more.addInterface(resolve, id);
    for (TypeId t : more.types())
      live.addTypeId(resolve, t);
  }
  for (TypeId t : live.types()) {
    const TypeOwner &owner = resolve.get(t).owner;
    if (owner.kind == TypeOwner::Kind::Interface)
      reach(owner.interfaceId());
  }
  // Interfaces reached only through types may use further interfaces.
  for (bool changed = true; changed;) {
    changed = false;
    for (uint32_t i : std::set<uint32_t>(used)) {
      LiveTypes more;
      more.addInterface(resolve, {i});
      for (TypeId t : more.types()) {
        const TypeOwner &owner = resolve.get(t).owner;
        if (owner.kind == TypeOwner::Kind::Interface &&
            !used.count(owner.index)) {
          reach(owner.interfaceId());
          changed = true;
        }
      }
    }
  }

  std::optional<PackageId> home = world.package;
  if (home)
    os << "package " << resolve.get(*home).name.toString() << ";\n\n";
  if (home)
    printPackage(*home, used, worldId, 0);
  else {
    os << "world " << ident(world.name) << " {\n";
    printWorldItems(world, 1);
    os << "}\n";
  }
  for (uint32_t p = 0; p < resolve.packages.size(); ++p) {
    if (home && p == home->index)
      continue;
    bool any = any_of(used, [&](uint32_t i) {
      const Interface &iface = resolve.interfaces[i];
      return iface.package && iface.package->index == p;
    });
    if (!any)
      continue;
    os << "\npackage " << resolve.packages[p].name.toString() << " {\n";
    printPackage(PackageId{p}, used, std::nullopt, 1);
    os << "}\n";
  }
}

void wit::printWorld(const Resolve &resolve, WorldId world, raw_ostream &os) {
  Printer(resolve, os).print(world);
}
