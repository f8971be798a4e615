//===- Subtyping.cpp - Matching and substitution of component types -------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Whether a component-level item can stand where a type is expected
/// (Explainer.md "Subtyping"), with wasm-tools' message for the first
/// difference, and the substitution of resources that instantiation and
/// imports perform. A ResourceMap maps expected resources to actual ones;
/// an entry whose value is 0 is bound by the first comparison that meets
/// it, which is how an instantiation's arguments supply a component's
/// imported resources.
///
//===----------------------------------------------------------------------===//

#include "Types.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::validate;
using wasm::TypeCode;
using Kind = DefinedT::Kind;

StringRef validate::entityKindName(Entity::Kind kind) {
  switch (kind) {
  case Entity::Kind::Module:
    return "module";
  case Entity::Kind::Func:
    return "func";
  case Entity::Kind::Value:
    return "value";
  case Entity::Kind::Type:
    return "type";
  case Entity::Kind::Component:
    return "component";
  case Entity::Kind::Instance:
    return "instance";
  }
  return "item";
}

static StringRef definedKindName(Kind k) {
  switch (k) {
  case Kind::Primitive:
    return "primitive";
  case Kind::Record:
    return "record";
  case Kind::Variant:
    return "variant";
  case Kind::List:
    return "list";
  case Kind::FixedList:
    return "fixed-length list";
  case Kind::Tuple:
    return "tuple";
  case Kind::Flags:
    return "flags";
  case Kind::Enum:
    return "enum";
  case Kind::Option:
    return "option";
  case Kind::Result:
    return "result";
  case Kind::Own:
    return "own";
  case Kind::Borrow:
    return "borrow";
  case Kind::Stream:
    return "stream";
  case Kind::Future:
    return "future";
  case Kind::Map:
    return "map";
  }
  return "type";
}

static StringRef primName(TypeCode c) { return component::primitiveName(c); }

std::string validate::valTypeKindName(const TypeArena &arena,
                                      const CValType &v) {
  if (v.isPrim)
    return primName(v.prim).str();
  const DefinedT &d = arena.types[v.id].defined;
  if (d.kind == Kind::Primitive)
    return primName(d.prim).str();
  return definedKindName(d.kind).str();
}

namespace {

class Matcher {
public:
  Matcher(const TypeArena &arena, ResourceMap &map) : arena(arena), map(map) {}

  std::string entity(const Entity &a, const Entity &b);
  std::string val(const CValType &a, const CValType &b);
  std::string type(TypeId a, TypeId b);

private:
  std::string resource(ResourceId a, ResourceId b);
  std::string defined(const DefinedT &a, const DefinedT &b);
  std::string func(const FuncT &a, const FuncT &b);
  /// Every item of \p expected is in \p actual with a matching type;
  /// \p kind ("import", "export") and \p context ("instance export") word
  /// the messages.
  std::string items(const NamedList<Entity> &actual,
                    const NamedList<Entity> &expected, llvm::StringRef kind,
                    llvm::StringRef context);
  std::string instance(const ComponentT &a, const ComponentT &b);
  std::string componentT(const ComponentT &a, const ComponentT &b);
  std::string module(const ModuleType &a, const ModuleType &b);
  std::string optVal(const std::optional<CValType> &a,
                     const std::optional<CValType> &b, StringRef what);

  const TypeArena &arena;
  ResourceMap &map;
};

} // namespace

static std::string nest(const Twine &head, const std::string &detail) {
  return (head + "\n" + detail).str();
}

std::string Matcher::resource(ResourceId a, ResourceId b) {
  auto it = map.find(b);
  if (it != map.end()) {
    if (it->second == 0) {
      it->second = a;
      return "";
    }
    b = it->second;
  }
  if (a == b)
    return "";
  return "resource types are not the same (" + utostr(a) + " vs. " + utostr(b) +
         ")";
}

std::string Matcher::val(const CValType &a, const CValType &b) {
  auto primMismatch = [](TypeCode x, TypeCode y) -> std::string {
    if (x == y)
      return "";
    return ("expected primitive `" + primName(y) + "` found primitive `" +
            primName(x) + "`")
        .str();
  };
  if (a.isPrim && b.isPrim)
    return primMismatch(a.prim, b.prim);
  if (a.isPrim) {
    const DefinedT &d = arena.types[b.id].defined;
    if (d.kind == Kind::Primitive)
      return primMismatch(a.prim, d.prim);
    return ("expected " + definedKindName(d.kind) + ", found " +
            primName(a.prim))
        .str();
  }
  if (b.isPrim) {
    const DefinedT &d = arena.types[a.id].defined;
    if (d.kind == Kind::Primitive)
      return primMismatch(d.prim, b.prim);
    return ("expected " + primName(b.prim) + ", found " +
            definedKindName(d.kind))
        .str();
  }
  if (a.id == b.id)
    return "";
  return defined(arena.types[a.id].defined, arena.types[b.id].defined);
}

std::string Matcher::optVal(const std::optional<CValType> &a,
                            const std::optional<CValType> &b, StringRef what) {
  if (a.has_value() != b.has_value())
    return ("expected " + what +
            (b ? " type, but found none" : " type to not be present"))
        .str();
  if (!a)
    return "";
  std::string why = val(*a, *b);
  return why.empty() ? why : nest("type mismatch in " + what + " variant", why);
}

std::string Matcher::defined(const DefinedT &a, const DefinedT &b) {
  if (a.kind != b.kind) {
    if (a.kind == Kind::Primitive || b.kind == Kind::Primitive)
      if (a.kind == Kind::Primitive && b.kind == Kind::Primitive)
        return "";
    return ("expected " + definedKindName(b.kind) + ", found " +
            definedKindName(a.kind))
        .str();
  }
  switch (a.kind) {
  case Kind::Primitive:
    if (a.prim != b.prim)
      return ("expected primitive `" + primName(b.prim) +
              "` found primitive `" + primName(a.prim) + "`")
          .str();
    return "";
  case Kind::Record:
    if (a.fields.size() != b.fields.size())
      return "expected " + utostr(b.fields.size()) + " fields, found " +
             utostr(a.fields.size());
    for (size_t i = 0; i < a.fields.size(); ++i) {
      if (a.fields[i].first != b.fields[i].first)
        return "expected field name `" + b.fields[i].first + "`, found `" +
               a.fields[i].first + "`";
      std::string why = val(a.fields[i].second, b.fields[i].second);
      if (!why.empty())
        return nest("type mismatch in record field `" + a.fields[i].first + "`",
                    why);
    }
    return "";
  case Kind::Variant:
    if (a.cases.size() != b.cases.size())
      return "expected " + utostr(b.cases.size()) + " cases, found " +
             utostr(a.cases.size());
    for (size_t i = 0; i < a.cases.size(); ++i) {
      const auto &x = a.cases[i], &y = b.cases[i];
      if (x.first != y.first)
        return "expected case named `" + y.first + "`, found `" + x.first + "`";
      if (y.second && !x.second)
        return "expected case `" + x.first + "` to have a type, found none";
      if (!y.second && x.second)
        return "expected case `" + x.first + "` to have no type";
      if (x.second) {
        std::string why = val(*x.second, *y.second);
        if (!why.empty())
          return nest("type mismatch in variant case `" + x.first + "`", why);
      }
    }
    return "";
  case Kind::Tuple:
    if (a.types.size() != b.types.size())
      return "expected " + utostr(b.types.size()) + " types, found " +
             utostr(a.types.size());
    for (size_t i = 0; i < a.types.size(); ++i) {
      std::string why = val(a.types[i], b.types[i]);
      if (!why.empty())
        return nest("type mismatch in tuple field " + Twine(i), why);
    }
    return "";
  case Kind::Flags:
    return a.labels == b.labels ? "" : "mismatch in flags elements";
  case Kind::Enum:
    return a.labels == b.labels ? "" : "mismatch in enum elements";
  case Kind::FixedList:
    if (a.length != b.length)
      return "expected fixed-length " + utostr(b.length) + ", found size " +
             utostr(a.length);
    [[fallthrough]];
  case Kind::List:
  case Kind::Option: {
    std::string why = val(*a.first, *b.first);
    return why.empty() ? why
                       : nest("type mismatch in " + definedKindName(a.kind) +
                                  " element",
                              why);
  }
  case Kind::Map: {
    std::string why = val(*a.first, *b.first);
    if (why.empty())
      why = val(*a.second, *b.second);
    return why.empty() ? why : nest("type mismatch in map", why);
  }
  case Kind::Result: {
    std::string why = optVal(a.first, b.first, "ok");
    return why.empty() ? optVal(a.second, b.second, "err") : why;
  }
  case Kind::Own:
  case Kind::Borrow:
    return resource(a.resource, b.resource);
  case Kind::Stream:
  case Kind::Future: {
    if (a.first.has_value() != b.first.has_value())
      return ("expected " + definedKindName(a.kind) +
              (b.first ? " payload, found none" : " without a payload"))
          .str();
    if (!a.first)
      return "";
    std::string why = val(*a.first, *b.first);
    return why.empty() ? why
                       : nest("type mismatch in " + definedKindName(a.kind) +
                                  " payload",
                              why);
  }
  }
  return "";
}

std::string Matcher::func(const FuncT &a, const FuncT &b) {
  if (a.isAsync != b.isAsync)
    return a.isAsync ? "expected sync function, found async function"
                     : "expected async function, found sync function";
  if (a.params.size() != b.params.size())
    return "expected " + utostr(b.params.size()) + " parameters, found " +
           utostr(a.params.size());
  for (size_t i = 0; i < a.params.size(); ++i) {
    if (a.params[i].first != b.params[i].first)
      return "expected parameter named `" + b.params[i].first + "`, found `" +
             a.params[i].first + "`";
    // Parameters are contravariant, but value types are matched as equal.
    std::string why = val(a.params[i].second, b.params[i].second);
    if (!why.empty())
      return nest("type mismatch in function parameter `" + a.params[i].first +
                      "`",
                  why);
  }
  if (a.result.has_value() != b.result.has_value())
    return b.result ? "expected a result, found none"
                    : "expected no result, found one";
  if (a.result) {
    std::string why = val(*a.result, *b.result);
    if (!why.empty())
      return nest("type mismatch with result type", why);
  }
  return "";
}

std::string Matcher::items(const NamedList<Entity> &actual,
                           const NamedList<Entity> &expected, StringRef kind,
                           StringRef context) {
  for (const auto &x : expected.items) {
    const Entity *y = actual.find(x.first);
    if (!y)
      return ("missing expected " + kind + " `" + x.first + "`").str();
    std::string why = entity(*y, x.second);
    if (!why.empty())
      return nest("type mismatch in " + context + " `" + x.first + "`", why);
  }
  return "";
}

std::string Matcher::instance(const ComponentT &a, const ComponentT &b) {
  return items(a.exports, b.exports, "export", "instance export");
}

std::string Matcher::componentT(const ComponentT &a, const ComponentT &b) {
  // Imports are contravariant: what a needs, b must promise to give.
  for (ResourceId r : a.importedResources)
    map.try_emplace(r, 0);
  std::string why = items(b.imports, a.imports, "import", "import");
  if (!why.empty())
    return why;
  return items(a.exports, b.exports, "export", "export");
}

std::string Matcher::module(const ModuleType &a, const ModuleType &b) {
  // b's imports by "module\0field", the last of duplicates winning: one
  // lookup per import of a instead of a scan of b's.
  StringMap<const ModuleType::Import *> provided;
  for (const ModuleType::Import &z : b.imports)
    provided[(z.module + Twine('\0') + z.field).str()] = &z;
  for (const ModuleType::Import &x : a.imports) {
    const ModuleType::Import *y =
        provided.lookup((x.module + Twine('\0') + x.field).str());
    if (!y)
      return "missing expected import `" + x.module + "::" + x.field + "`";
    std::string why = coreExternMismatch(arena, y->type, x.type);
    if (!why.empty())
      return nest("type mismatch in import `" + x.module + "::" + x.field + "`",
                  why);
  }
  for (const auto &x : b.exports.items) {
    const CoreExtern *y = a.exports.find(x.first);
    if (!y)
      return "missing expected export `" + x.first + "`";
    std::string why = coreExternMismatch(arena, *y, x.second);
    if (!why.empty())
      return nest("type mismatch in export `" + x.first + "`", why);
  }
  return "";
}

std::string Matcher::type(TypeId a, TypeId b) {
  if (a == b)
    return "";
  const CType &x = arena.types[a], &y = arena.types[b];
  if (y.kind == CType::Kind::Resource) {
    if (x.kind != CType::Kind::Resource)
      return "expected resource, found defined type";
    return resource(x.resource, y.resource);
  }
  if (x.kind == CType::Kind::Resource)
    return "expected defined type, found resource";
  if (x.kind != y.kind) {
    auto name = [](CType::Kind k) -> StringRef {
      switch (k) {
      case CType::Kind::Defined:
        return "defined type";
      case CType::Kind::Func:
        return "func";
      case CType::Kind::Component:
        return "component";
      case CType::Kind::Instance:
        return "instance";
      case CType::Kind::Resource:
        return "resource";
      }
      return "type";
    };
    return ("expected " + name(y.kind) + ", found " + name(x.kind)).str();
  }
  switch (x.kind) {
  case CType::Kind::Defined:
    return defined(x.defined, y.defined);
  case CType::Kind::Func:
    return func(x.func, y.func);
  case CType::Kind::Instance:
    return instance(x.comp, y.comp);
  case CType::Kind::Component:
    return componentT(x.comp, y.comp);
  case CType::Kind::Resource:
    break;
  }
  return "";
}

std::string Matcher::entity(const Entity &a, const Entity &b) {
  if (a.kind != b.kind)
    return ("expected " + entityKindName(b.kind) + ", found " +
            entityKindName(a.kind))
        .str();
  switch (a.kind) {
  case Entity::Kind::Module:
    if (a.id == b.id)
      return "";
    return module(arena.modules[a.id], arena.modules[b.id]);
  case Entity::Kind::Value:
    return val(a.value, b.value);
  default:
    return type(a.id, b.id);
  }
}

std::string validate::entityMismatch(const TypeArena &arena, const Entity &a,
                                     const Entity &b, ResourceMap &map) {
  return Matcher(arena, map).entity(a, b);
}

std::string validate::valTypeMismatch(const TypeArena &arena, const CValType &a,
                                      const CValType &b, ResourceMap &map) {
  return Matcher(arena, map).val(a, b);
}

std::string validate::typeMismatch(const TypeArena &arena, TypeId a, TypeId b,
                                   ResourceMap &map) {
  return Matcher(arena, map).type(a, b);
}

//===----------------------------------------------------------------------===//
// Substitution
//===----------------------------------------------------------------------===//

namespace {

class Substituter {
public:
  Substituter(TypeArena &arena, const ResourceMap &map,
              const TypeMap &types = TypeMap())
      : arena(arena), map(map), types(types) {}

  TypeId type(TypeId id);
  CValType val(const CValType &v) {
    return v.isPrim ? v : CValType::defined(type(v.id));
  }
  Entity entity(const Entity &e) {
    Entity out = e;
    if (e.kind == Entity::Kind::Value)
      out.value = val(e.value);
    else if (e.kind != Entity::Kind::Module)
      out.id = type(e.id);
    return out;
  }

private:
  ResourceId res(ResourceId r) {
    auto it = map.find(r);
    return it == map.end() || it->second == 0 ? r : it->second;
  }
  bool mentions(TypeId id);

  TypeArena &arena;
  const ResourceMap &map;
  TypeMap types;
  DenseMap<TypeId, TypeId> done;
};

} // namespace

bool Substituter::mentions(TypeId id) {
  bool found = false;
  Entity e;
  e.kind = Entity::Kind::Type;
  e.id = id;
  forEachResource(
      arena, e,
      [&](ResourceId r, bool) {
        if (map.count(r))
          found = true;
      },
      [&](TypeId t) {
        if (types.count(t))
          found = true;
      });
  return found;
}

TypeId Substituter::type(TypeId id) {
  auto it = done.find(id);
  if (it != done.end())
    return it->second;
  auto replaced = types.find(id);
  if (replaced != types.end())
    return done[id] = replaced->second;
  if (!mentions(id))
    return done[id] = id;
  CType t = CType(arena.types[id]);
  switch (t.kind) {
  case CType::Kind::Resource:
    t.resource = res(t.resource);
    break;
  case CType::Kind::Defined: {
    DefinedT &d = t.defined;
    for (auto &f : d.fields)
      f.second = val(f.second);
    for (auto &c : d.cases)
      if (c.second)
        c.second = val(*c.second);
    for (CValType &x : d.types)
      x = val(x);
    if (d.first)
      d.first = val(*d.first);
    if (d.second)
      d.second = val(*d.second);
    d.resource = res(d.resource);
    break;
  }
  case CType::Kind::Func:
    for (auto &p : t.func.params)
      p.second = val(p.second);
    if (t.func.result)
      t.func.result = val(*t.func.result);
    break;
  case CType::Kind::Component:
  case CType::Kind::Instance: {
    ComponentT c;
    for (const auto &x : t.comp.imports.items)
      c.imports.add(x.first, entity(x.second));
    for (const auto &x : t.comp.exports.items)
      c.exports.add(x.first, entity(x.second));
    for (ResourceId r : t.comp.importedResources)
      c.importedResources.push_back(res(r));
    for (TypeId x : t.comp.importedTypes)
      c.importedTypes.push_back(type(x));
    for (ResourceId r : t.comp.definedResources)
      c.definedResources.push_back(res(r));
    t.comp = std::move(c);
    break;
  }
  }
  TypeId out = arena.add(std::move(t));
  done[id] = out;
  return out;
}

TypeId validate::substitute(TypeArena &arena, TypeId id,
                            const ResourceMap &map) {
  return Substituter(arena, map).type(id);
}
Entity validate::substitute(TypeArena &arena, const Entity &e,
                            const ResourceMap &map, const TypeMap &types) {
  return Substituter(arena, map, types).entity(e);
}
CValType validate::substitute(TypeArena &arena, const CValType &v,
                              const ResourceMap &map) {
  return Substituter(arena, map).val(v);
}

//===----------------------------------------------------------------------===//
// Resources a type mentions
//===----------------------------------------------------------------------===//

namespace {
class ResourceWalker {
public:
  ResourceWalker(const TypeArena &arena,
                 function_ref<void(ResourceId, bool)> fn,
                 function_ref<void(TypeId)> onType)
      : arena(arena), fn(fn), onType(onType) {}

  void val(const CValType &v) {
    if (!v.isPrim)
      type(v.id);
  }
  void entity(const Entity &e) {
    if (e.kind == Entity::Kind::Value)
      val(e.value);
    else if (e.kind != Entity::Kind::Module)
      type(e.id);
  }
  void type(TypeId id) {
    if (!seen.insert(id).second)
      return;
    if (onType)
      onType(id);
    const CType &t = arena.types[id];
    switch (t.kind) {
    case CType::Kind::Resource:
      fn(t.resource, false);
      return;
    case CType::Kind::Defined: {
      const DefinedT &d = t.defined;
      if (d.kind == Kind::Own || d.kind == Kind::Borrow)
        fn(d.resource, d.kind == Kind::Borrow);
      for (const auto &f : d.fields)
        val(f.second);
      for (const auto &c : d.cases)
        if (c.second)
          val(*c.second);
      for (const CValType &x : d.types)
        val(x);
      if (d.first)
        val(*d.first);
      if (d.second)
        val(*d.second);
      return;
    }
    case CType::Kind::Func:
      for (const auto &p : t.func.params)
        val(p.second);
      if (t.func.result)
        val(*t.func.result);
      return;
    case CType::Kind::Component:
    case CType::Kind::Instance:
      for (const auto &x : t.comp.imports.items)
        entity(x.second);
      for (const auto &x : t.comp.exports.items)
        entity(x.second);
      return;
    }
  }

private:
  const TypeArena &arena;
  function_ref<void(ResourceId, bool)> fn;
  function_ref<void(TypeId)> onType;
  DenseSet<TypeId> seen;
};
} // namespace

void validate::forEachResource(const TypeArena &arena, const CValType &v,
                               function_ref<void(ResourceId, bool)> fn) {
  ResourceWalker(arena, fn, nullptr).val(v);
}
void validate::forEachResource(const TypeArena &arena, const Entity &e,
                               function_ref<void(ResourceId, bool)> fn,
                               function_ref<void(TypeId)> onType) {
  ResourceWalker(arena, fn, onType).entity(e);
}

//===----------------------------------------------------------------------===//
// Effective size
//===----------------------------------------------------------------------===//

static uint64_t sizeOf(const TypeArena &arena, const CValType &v) {
  return v.isPrim ? 1 : arena.types[v.id].size;
}

static uint64_t sizeOf(const TypeArena &arena, const Entity &e) {
  switch (e.kind) {
  case Entity::Kind::Module:
    return 1;
  case Entity::Kind::Value:
    return sizeOf(arena, e.value);
  default:
    return arena.types[e.id].size;
  }
}

uint64_t validate::typeSize(const TypeArena &arena, const CType &t) {
  // Saturating well above the limit keeps the sums from overflowing.
  uint64_t n = 1;
  auto add = [&](uint64_t x) { n = std::min<uint64_t>(n + x, 1ull << 40); };
  switch (t.kind) {
  case CType::Kind::Resource:
    break;
  case CType::Kind::Defined:
    for (const auto &f : t.defined.fields)
      add(sizeOf(arena, f.second));
    for (const auto &c : t.defined.cases)
      add(c.second ? sizeOf(arena, *c.second) : 1);
    for (const CValType &x : t.defined.types)
      add(sizeOf(arena, x));
    if (t.defined.first)
      add(sizeOf(arena, *t.defined.first));
    if (t.defined.second)
      add(sizeOf(arena, *t.defined.second));
    break;
  case CType::Kind::Func:
    for (const auto &p : t.func.params)
      add(sizeOf(arena, p.second));
    if (t.func.result)
      add(sizeOf(arena, *t.func.result));
    break;
  case CType::Kind::Component:
  case CType::Kind::Instance:
    for (const auto &x : t.comp.imports.items)
      add(sizeOf(arena, x.second));
    for (const auto &x : t.comp.exports.items)
      add(sizeOf(arena, x.second));
    break;
  }
  return n;
}
