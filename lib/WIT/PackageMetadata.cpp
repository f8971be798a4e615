//===- PackageMetadata.cpp - The package-docs custom section --------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Writing goes through a small JSON writer rather than llvm::json, because
/// the bytes must be serde_json's: fields in wit-parser's declaration order
/// (llvm::json::Object sorts its keys) and serde_json's string escapes.
/// Reading uses llvm::json; the order of keys does not matter there.
///
/// Where things are recorded (wit-parser's `metadata.rs`): a package's
/// interfaces and worlds by name; in a world, inline interfaces, functions
/// and types by their plain names (exports apart, since an import and an
/// export may share a name), and the gates and docs of interfaces imported
/// or exported by path keyed by the interface's id.
///
//===----------------------------------------------------------------------===//

#include "PackageMetadata.h"
#include "wcl/Support/Error.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::wit;

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

/// A JSON string as serde_json escapes it.
static std::string quote(StringRef s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      continue;
    case '\\':
      out += "\\\\";
      continue;
    case '\b':
      out += "\\b";
      continue;
    case '\f':
      out += "\\f";
      continue;
    case '\n':
      out += "\\n";
      continue;
    case '\r':
      out += "\\r";
      continue;
    case '\t':
      out += "\\t";
      continue;
    default:
      break;
    }
    if (c < 0x20) {
      out += "\\u00";
      out += hexdigit(c >> 4, true);
      out += hexdigit(c & 15, true);
    } else {
      out += char(c);
    }
  }
  return out + "\"";
}

namespace {
/// One JSON object; a field whose value is empty is left out, as serde's
/// `skip_serializing_if` leaves out empty maps and absent values.
class Obj {
public:
  Obj &field(StringRef key, const std::string &json) {
    if (json.empty())
      return *this;
    if (!body.empty())
      body += ',';
    body += quote(key) + ":" + json;
    return *this;
  }
  Obj &docs(const Docs &d) { return field("docs", d ? quote(*d) : ""); }
  bool empty() const { return body.empty(); }
  /// The object, or "" when it has no fields.
  std::string str() const { return body.empty() ? "" : "{" + body + "}"; }
  std::string always() const { return "{" + body + "}"; }

private:
  std::string body;
};
} // namespace

static std::string stability(const Stability &s) {
  if (s.kind == Stability::Kind::Unknown)
    return "";
  Obj inner;
  bool stable = s.kind == Stability::Kind::Stable;
  inner.field(stable ? "since" : "feature", quote(s.value));
  inner.field("deprecated", s.deprecated ? quote(*s.deprecated) : "");
  return Obj().field(stable ? "stable" : "unstable", inner.always()).str();
}

static std::string typeMetadata(const TypeDef &t) {
  Obj items;
  auto item = [&](StringRef name, const Docs &d) {
    if (d)
      items.field(name, quote(*d));
  };
  for (const Field &f : t.fields)
    item(f.name, f.docs);
  for (const Case &c : t.cases)
    item(c.name, c.docs);
  for (size_t i = 0; i < t.nameDocs.size() && i < t.names.size(); ++i)
    item(t.names[i], t.nameDocs[i]);
  return Obj()
      .docs(t.docs)
      .field("stability", stability(t.stability))
      .field("items", items.str())
      .str();
}

static std::string functionMetadata(const Function &f) {
  return Obj().docs(f.docs).field("stability", stability(f.stability)).str();
}

static std::string interfaceMetadata(const Resolve &r, InterfaceId id) {
  const Interface &iface = r.get(id);
  Obj funcs, types;
  for (const auto &[name, f] : iface.functions)
    funcs.field(name, functionMetadata(f));
  for (const auto &[name, t] : iface.types)
    types.field(name, typeMetadata(r.get(t)));
  return Obj()
      .docs(iface.docs)
      .field("stability", stability(iface.stability))
      .field("funcs", funcs.str())
      .field("types", types.str())
      .str();
}

/// Whether a world item names a package interface rather than holding an
/// inline one: by path, or a plain name implementing one.
static bool byReference(const Resolve &r, const WorldKey &key,
                        const WorldItem &item) {
  const Interface &iface = r.get(item.interface);
  return key.interface || iface.implements || iface.name;
}

static std::string worldMetadata(const Resolve &r, WorldId id) {
  const World &w = r.get(id);
  // Indexed [export]: imports and exports are recorded apart.
  Obj inlineIfaces[2], funcs[2], types, gates[2], docs[2];
  for (int exp = 0; exp < 2; ++exp)
    for (const auto &[key, item] : exp ? w.exports : w.imports) {
      switch (item.kind) {
      case WorldItem::Kind::Interface:
        if (byReference(r, key, item)) {
          std::string name = r.nameOf(key);
          gates[exp].field(name, stability(item.stability));
          docs[exp].field(name, item.docs ? quote(*item.docs) : "");
        } else {
          inlineIfaces[exp].field(key.name,
                                  interfaceMetadata(r, item.interface));
        }
        break;
      case WorldItem::Kind::Type:
        types.field(key.name, typeMetadata(r.get(item.type)));
        break;
      case WorldItem::Kind::Function:
        funcs[exp].field(key.name, functionMetadata(item.function));
        break;
      }
    }
  return Obj()
      .docs(w.docs)
      .field("stability", stability(w.stability))
      .field("interfaces", inlineIfaces[0].str())
      .field("types", types.str())
      .field("funcs", funcs[0].str())
      .field("interface_exports", inlineIfaces[1].str())
      .field("func_exports", funcs[1].str())
      .field("interface_import_stability", gates[0].str())
      .field("interface_export_stability", gates[1].str())
      .field("interface_import_docs", docs[0].str())
      .field("interface_export_docs", docs[1].str())
      .str();
}

std::string wit::encodePackageMetadata(const Resolve &r, PackageId pkg) {
  const Package &p = r.get(pkg);
  Obj worlds, interfaces;
  for (const auto &[name, id] : p.worlds)
    worlds.field(name, worldMetadata(r, id));
  for (const auto &[name, id] : p.interfaces)
    interfaces.field(name, interfaceMetadata(r, id));
  return "\x01" + Obj()
                      .docs(p.docs)
                      .field("worlds", worlds.str())
                      .field("interfaces", interfaces.str())
                      .always();
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

namespace {
/// Applies the JSON to a Resolve; the first problem is kept as the error.
class Injector {
public:
  explicit Injector(Resolve &r) : r(r) {}

  Error package(PackageId pkg, const json::Object &o);

private:
  Error world(WorldId id, const json::Object &o);
  Error interface(InterfaceId id, const json::Object &o);
  Error type(TypeId id, const json::Object &o);
  Error function(Function &f, const json::Value &v);
  Error worldInterfaces(WorldId id, const json::Object &o, bool exportsOnly);
  Error worldFunctions(WorldId id, const json::Object &o, bool exportsOnly);
  Error worldByPath(WorldId id, const json::Object &o, bool exports,
                    bool isDocs);

  Resolve &r;
};
} // namespace

static Error unexpected(const Twine &what) {
  return createError("package-docs: " + what);
}

/// The fields of \p o among \p known, or an error naming one that is not
/// (wit-parser denies unknown fields).
static Error checkFields(const json::Object &o,
                         std::initializer_list<StringRef> known) {
  for (const auto &kv : o)
    if (!is_contained(known, StringRef(kv.first)))
      return unexpected("unknown field `" + StringRef(kv.first) + "`");
  return Error::success();
}

static Expected<Docs> readDocs(const json::Object &o) {
  const json::Value *v = o.get("docs");
  if (!v || v->kind() == json::Value::Null)
    return Docs();
  if (std::optional<StringRef> s = v->getAsString())
    return Docs(s->str());
  return unexpected("`docs` is not a string");
}

static Expected<Stability> readStability(const json::Object &o) {
  Stability s;
  const json::Value *v = o.get("stability");
  if (!v || v->getAsString() == std::optional<StringRef>("unknown"))
    return s;
  const json::Object *so = v->getAsObject();
  if (!so || so->size() != 1)
    return unexpected("`stability` is not a gate");
  StringRef kind = so->begin()->first;
  const json::Object *inner = so->begin()->second.getAsObject();
  StringRef valueKey = kind == "stable" ? "since" : "feature";
  if (!inner || (kind != "stable" && kind != "unstable"))
    return unexpected("unknown stability `" + kind + "`");
  std::optional<StringRef> value = inner->getString(valueKey);
  if (!value)
    return unexpected("stability without `" + valueKey + "`");
  s.kind =
      kind == "stable" ? Stability::Kind::Stable : Stability::Kind::Unstable;
  s.value = value->str();
  if (std::optional<StringRef> d = inner->getString("deprecated"))
    s.deprecated = d->str();
  return s;
}

/// Iterates the string-keyed entries of object field \p key of \p o that
/// are themselves of the JSON kind \p body needs.
template <typename F>
static Error eachEntry(const json::Object &o, StringRef key, F body) {
  const json::Value *v = o.get(key);
  if (!v)
    return Error::success();
  const json::Object *m = v->getAsObject();
  if (!m)
    return unexpected("`" + key + "` is not an object");
  // json::Object is unordered; sort for a deterministic first error.
  std::vector<std::pair<std::string, const json::Value *>> entries;
  for (const auto &kv : *m)
    entries.push_back({kv.first.str(), &kv.second});
  llvm::sort(entries);
  for (const auto &[name, value] : entries)
    if (Error e = body(StringRef(name), *value))
      return e;
  return Error::success();
}

Error Injector::type(TypeId id, const json::Object &o) {
  if (Error e = checkFields(o, {"docs", "stability", "items"}))
    return e;
  TypeDef &t = r.get(id);
  if (Error e = eachEntry(
          o, "items", [&](StringRef name, const json::Value &v) -> Error {
            std::optional<StringRef> text = v.getAsString();
            if (!text)
              return unexpected("the docs of `" + name + "` are not a string");
            for (Field &f : t.fields)
              if (f.name == name)
                return f.docs = text->str(), Error::success();
            for (Case &c : t.cases)
              if (c.name == name)
                return c.docs = text->str(), Error::success();
            for (size_t i = 0; i < t.names.size(); ++i)
              if (t.names[i] == name) {
                t.nameDocs.resize(t.names.size());
                t.nameDocs[i] = text->str();
                return Error::success();
              }
            return unexpected("type `" + t.name.value_or("") +
                              "` has no item `" + name + "`");
          }))
    return e;
  Expected<Docs> d = readDocs(o);
  Expected<Stability> s = readStability(o);
  if (!d || !s)
    return joinErrors(d.takeError(), s.takeError());
  t.docs = std::move(*d);
  t.stability = std::move(*s);
  return Error::success();
}

Error Injector::function(Function &f, const json::Value &v) {
  // Format 0 recorded a function's docs alone, as a string.
  if (v.kind() == json::Value::Null)
    return f.docs.reset(), Error::success();
  if (std::optional<StringRef> s = v.getAsString())
    return f.docs = s->str(), Error::success();
  const json::Object *o = v.getAsObject();
  if (!o)
    return unexpected("function `" + f.name + "` has malformed docs");
  if (Error e = checkFields(*o, {"docs", "stability"}))
    return e;
  Expected<Docs> d = readDocs(*o);
  Expected<Stability> s = readStability(*o);
  if (!d || !s)
    return joinErrors(d.takeError(), s.takeError());
  f.docs = std::move(*d);
  f.stability = std::move(*s);
  return Error::success();
}

Error Injector::interface(InterfaceId id, const json::Object &o) {
  if (Error e = checkFields(o, {"docs", "stability", "funcs", "types"}))
    return e;
  if (Error e = eachEntry(
          o, "types", [&](StringRef name, const json::Value &v) -> Error {
            auto it = r.get(id).types.find(name.str());
            const json::Object *to = v.getAsObject();
            if (it == r.get(id).types.end() || !to)
              return unexpected("missing type \"" + name + "\"");
            return type(it->second, *to);
          }))
    return e;
  if (Error e = eachEntry(
          o, "funcs", [&](StringRef name, const json::Value &v) -> Error {
            auto it = r.get(id).functions.find(name.str());
            if (it == r.get(id).functions.end())
              return unexpected("missing func \"" + name + "\"");
            return function(it->second, v);
          }))
    return e;
  Expected<Docs> d = readDocs(o);
  Expected<Stability> s = readStability(o);
  if (!d || !s)
    return joinErrors(d.takeError(), s.takeError());
  r.get(id).docs = std::move(*d);
  r.get(id).stability = std::move(*s);
  return Error::success();
}

/// The item of \p w called \p name by its plain name: an import (unless
/// \p exportsOnly), else an export.
static WorldItem *findNamed(World &w, StringRef name, bool exportsOnly) {
  for (int exp = exportsOnly ? 1 : 0; exp < 2; ++exp)
    for (auto &[key, item] : exp ? w.exports : w.imports)
      if (!key.interface && key.name == name)
        return &item;
  return nullptr;
}

Error Injector::worldInterfaces(WorldId id, const json::Object &o,
                                bool exportsOnly) {
  return eachEntry(o, exportsOnly ? "interface_exports" : "interfaces",
                   [&](StringRef name, const json::Value &v) -> Error {
                     WorldItem *item = findNamed(r.get(id), name, exportsOnly);
                     const json::Object *io = v.getAsObject();
                     if (!item || !io ||
                         item->kind != WorldItem::Kind::Interface)
                       return unexpected("missing interface \"" + name + "\"");
                     Expected<Stability> s = readStability(*io);
                     if (!s)
                       return s.takeError();
                     item->stability = *s;
                     return interface(item->interface, *io);
                   });
}

Error Injector::worldFunctions(WorldId id, const json::Object &o,
                               bool exportsOnly) {
  return eachEntry(o, exportsOnly ? "func_exports" : "funcs",
                   [&](StringRef name, const json::Value &v) -> Error {
                     WorldItem *item = findNamed(r.get(id), name, exportsOnly);
                     if (!item || item->kind != WorldItem::Kind::Function)
                       return unexpected("missing func \"" + name + "\"");
                     return function(item->function, v);
                   });
}

Error Injector::worldByPath(WorldId id, const json::Object &o, bool exports,
                            bool isDocs) {
  std::string key = std::string("interface_") +
                    (exports ? "export_" : "import_") +
                    (isDocs ? "docs" : "stability");
  return eachEntry(o, key, [&](StringRef name, const json::Value &v) -> Error {
    World &w = r.get(id);
    WorldItem *found = nullptr;
    for (auto &[k, item] : exports ? w.exports : w.imports)
      if (item.kind == WorldItem::Kind::Interface && r.nameOf(k) == name)
        found = &item;
    if (!found)
      return unexpected("missing interface `" + name + "`");
    if (isDocs) {
      std::optional<StringRef> s = v.getAsString();
      if (!s)
        return unexpected("the docs of `" + name + "` are not a string");
      found->docs = s->str();
      return Error::success();
    }
    json::Object wrapped{{"stability", v}};
    Expected<Stability> s = readStability(wrapped);
    if (!s)
      return s.takeError();
    found->stability = *s;
    return Error::success();
  });
}

Error Injector::world(WorldId id, const json::Object &o) {
  if (Error e = checkFields(
          o, {"docs", "stability", "interfaces", "types", "funcs",
              "interface_exports", "func_exports", "interface_import_stability",
              "interface_export_stability", "interface_import_docs",
              "interface_export_docs"}))
    return e;
  for (bool exportsOnly : {false, true})
    if (Error e = worldInterfaces(id, o, exportsOnly))
      return e;
  if (Error e = eachEntry(
          o, "types", [&](StringRef name, const json::Value &v) -> Error {
            WorldItem *item = findNamed(r.get(id), name, false);
            const json::Object *to = v.getAsObject();
            if (!item || !to || item->kind != WorldItem::Kind::Type)
              return unexpected("missing type \"" + name + "\"");
            return type(item->type, *to);
          }))
    return e;
  for (bool exports : {false, true})
    for (bool isDocs : {false, true})
      if (Error e = worldByPath(id, o, exports, isDocs))
        return e;
  for (bool exportsOnly : {false, true})
    if (Error e = worldFunctions(id, o, exportsOnly))
      return e;
  Expected<Docs> d = readDocs(o);
  Expected<Stability> s = readStability(o);
  if (!d || !s)
    return joinErrors(d.takeError(), s.takeError());
  r.get(id).docs = std::move(*d);
  r.get(id).stability = std::move(*s);
  return Error::success();
}

Error Injector::package(PackageId pkg, const json::Object &o) {
  if (Error e = checkFields(o, {"docs", "worlds", "interfaces"}))
    return e;
  auto lookup = [&](auto &map, StringRef name) {
    auto it = map.find(name.str());
    return it == map.end() ? std::nullopt : std::optional(it->second);
  };
  if (Error e = eachEntry(
          o, "worlds", [&](StringRef name, const json::Value &v) -> Error {
            auto id = lookup(r.get(pkg).worlds, name);
            const json::Object *wo = v.getAsObject();
            if (!id || !wo)
              return unexpected("missing world \"" + name + "\"");
            return world(*id, *wo);
          }))
    return e;
  if (Error e = eachEntry(
          o, "interfaces", [&](StringRef name, const json::Value &v) -> Error {
            auto id = lookup(r.get(pkg).interfaces, name);
            const json::Object *io = v.getAsObject();
            if (!id || !io)
              return unexpected("missing interface \"" + name + "\"");
            return interface(*id, *io);
          }))
    return e;
  Expected<Docs> d = readDocs(o);
  if (!d)
    return d.takeError();
  if (*d)
    r.get(pkg).docs = std::move(*d);
  return Error::success();
}

Error wit::injectPackageMetadata(Resolve &r, PackageId pkg,
                                 ArrayRef<uint8_t> payload) {
  if (payload.empty() || payload[0] > 1)
    return createError("expected package-docs version 1, got " +
                       (payload.empty() ? Twine("none") : Twine(payload[0])));
  Expected<json::Value> v = json::parse(toStringRef(payload.drop_front()));
  if (!v)
    return unexpected(toString(v.takeError()));
  const json::Object *o = v->getAsObject();
  if (!o)
    return unexpected("not a JSON object");
  return Injector(r).package(pkg, *o);
}
