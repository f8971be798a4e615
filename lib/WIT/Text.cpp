//===- Text.cpp - WIT text packages into a Resolve ------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Loading WIT text: the files of a package (one file, or a folder's
/// `.wit` files sorted by path), the nested packages they declare, the
/// packages in `deps/` (folders, `.wit` files and binary `.wasm`
/// packages), all parsed into one source map and resolved in dependency
/// order into a copy of the caller's Resolve, which replaces it only when
/// everything succeeded.
///
//===----------------------------------------------------------------------===//

#include "wcl/WIT/Text.h"
#include "TextResolver.h"
#include "TopoSort.h"
#include "wcl/WIT/Decode.h"
#include "wcl/WIT/Parser.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <map>

using namespace llvm;
using namespace wcl;
using namespace wcl::wit;

static std::vector<std::pair<PackageName, Span>>
foreignDeps(const UnresolvedPackage &pkg);

namespace {

/// Everything parsed for one call, alive until resolution is done.
class Loader {
public:
  SourceMap sources;
  std::vector<std::unique_ptr<ast::PackageFile>> files;
  /// Every package found, main ones of each group and nested ones.
  std::vector<UnresolvedPackage> packages;
  std::optional<size_t> mainPackage;
  std::vector<size_t> mainNested;
  /// Binary packages from `deps/`, already resolved; in the dependency
  /// order they come after the text packages (node packages.size() + i).
  struct BinaryPackage {
    std::string path;
    std::vector<uint8_t> bytes;
    PackageName name;
    /// The other packages it uses, which must be resolved before it.
    std::vector<PackageName> uses;
  };
  std::vector<BinaryPackage> binaries;

  Error addGroup(ArrayRef<std::pair<std::string, std::string>> texts,
                 bool isMain);
  Error addPath(StringRef path, bool isMain);
  Expected<ParsedPackages> resolve(Resolve &r, const Features &features);

private:
  Error addBinary(StringRef path);
  Error checkDuplicates();
  std::string nodeName(size_t i) const {
    return i < packages.size() ? packages[i].name.toName().toString()
                               : binaries[i - packages.size()].name.toString();
  }
};

} // namespace

static Expected<std::string> readFile(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buf = MemoryBuffer::getFile(path);
  if (!buf)
    return createStringError(buf.getError(), "failed to read file " + path +
                                                 ": " +
                                                 buf.getError().message());
  return (*buf)->getBuffer().str();
}

/// A group is one package's files (and the packages nested in them).
Error Loader::addGroup(ArrayRef<std::pair<std::string, std::string>> texts,
                       bool isMain) {
  UnresolvedPackage main;
  std::optional<Span> nameSpan;
  std::optional<Span> docsSpan;
  std::vector<size_t> nested;
  for (const auto &[path, text] : texts) {
    uint32_t base = sources.add(path, text);
    Expected<ast::PackageFile> f = parseFile(text, base);
    if (!f)
      return f.takeError();
    files.push_back(std::make_unique<ast::PackageFile>(std::move(*f)));
    ast::PackageFile *file = files.back().get();
    if (file->name) {
      if (!main.name.ns.name.empty() &&
          !(main.name.toName() == file->name->toName()))
        return spanError(file->name->span,
                         "package identifier `" +
                             file->name->toName().toString() +
                             "` does not match previous package name of `" +
                             main.name.toName().toString() + "`");
      if (!file->name->docs.comments.empty()) {
        if (docsSpan)
          return spanError(file->name->docs.span,
                           "found doc comments on multiple 'package' items");
        docsSpan = file->name->docs.span;
        main.name = *file->name;
      } else if (main.name.ns.name.empty()) {
        main.name = *file->name;
      }
      nameSpan = file->name->span;
    }
    for (const ast::Item &item : file->items) {
      if (item.kind != ast::Item::Kind::Package)
        continue;
      for (const ast::Item &inner : item.package->items)
        if (inner.kind == ast::Item::Kind::Package)
          return spanError(inner.package->name->span,
                           "nested packages must be placed at the top-level");
      UnresolvedPackage p;
      p.name = *item.package->name;
      p.files.push_back(item.package.get());
      nested.push_back(packages.size());
      packages.push_back(std::move(p));
    }
    main.files.push_back(file);
  }
  bool anyItems = any_of(main.files, [](const ast::PackageFile *f) {
    return any_of(f->items, [](const ast::Item &i) {
      return i.kind != ast::Item::Kind::Package;
    });
  });
  if (!nameSpan) {
    if (anyItems || nested.empty())
      return createStringError(
          "no `package` header was found in any WIT file for this package");
  }
  if (isMain) {
    mainNested = nested;
    if (nameSpan) {
      mainPackage = packages.size();
      packages.push_back(std::move(main));
    }
  } else if (nameSpan) {
    packages.push_back(std::move(main));
  }
  return Error::success();
}

Error Loader::addPath(StringRef path, bool isMain) {
  std::vector<std::pair<std::string, std::string>> texts;
  if (!sys::fs::is_directory(path)) {
    if (path.ends_with(".wat"))
      return createStringError(
          path + ": WIT packages in the WebAssembly text format are not "
                 "supported; write it as a binary (`wasm-tools parse`) or "
                 "as WIT");
    if (path.ends_with(".wasm"))
      return addBinary(path);
    Expected<std::string> text = readFile(path);
    if (!text)
      return text.takeError();
    texts.push_back({path.str(), std::move(*text)});
    return addGroup(texts, isMain);
  }
  std::error_code ec;
  std::vector<std::string> names;
  for (sys::fs::directory_iterator it(path, ec), end; it != end && !ec;
       it.increment(ec)) {
    if (sys::fs::is_directory(it->path()) ||
        !StringRef(it->path()).ends_with(".wit"))
      continue;
    names.push_back(it->path());
  }
  if (ec)
    return createStringError(ec, "failed to read directory " + path + ": " +
                                     ec.message());
  llvm::sort(names);
  for (const std::string &n : names) {
    Expected<std::string> text = readFile(n);
    if (!text)
      return text.takeError();
    texts.push_back({n, std::move(*text)});
  }
  return addGroup(texts, isMain);
}

/// A binary package is decoded once here, into a Resolve of its own, to
/// learn its name and the packages it uses, and again when its turn in the
/// dependency order comes.
Error Loader::addBinary(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buf = MemoryBuffer::getFile(path);
  if (!buf)
    return createStringError(buf.getError(), "failed to read file " + path +
                                                 ": " +
                                                 buf.getError().message());
  BinaryPackage b;
  b.path = path.str();
  ArrayRef<uint8_t> bytes = arrayRefFromStringRef((*buf)->getBuffer());
  b.bytes.assign(bytes.begin(), bytes.end());
  Resolve scratch;
  Expected<PackageId> id = decodeWitPackage(scratch, b.bytes);
  if (!id)
    return createStringError(path + ": " + toString(id.takeError()));
  b.name = scratch.get(*id).name;
  for (auto [i, p] : enumerate(scratch.packages))
    if (i != id->index)
      b.uses.push_back(p.name);
  binaries.push_back(std::move(b));
  return Error::success();
}

Error Loader::checkDuplicates() {
  std::map<std::string, size_t> seen;
  for (auto [i, p] : enumerate(packages)) {
    auto [it, fresh] = seen.insert({p.name.toName().toString(), i});
    if (fresh)
      continue;
    const UnresolvedPackage &prev = packages[it->second];
    return createStringError("package `" + it->first +
                             "` is defined in two different locations:\n" +
                             "  * " + sources.location(p.name.span.start) +
                             "\n  * " + sources.location(prev.name.span.start));
  }
  for (const BinaryPackage &b : binaries) {
    auto [it, fresh] = seen.insert({b.name.toString(), ~size_t(0)});
    if (!fresh)
      return createStringError("package `" + it->first +
                               "` is defined in two different locations, "
                               "one of them " +
                               b.path);
  }
  return Error::success();
}

Expected<ParsedPackages> Loader::resolve(Resolve &r, const Features &features) {
  if (Error e = checkDuplicates())
    return std::move(e);
  size_t nodes = packages.size() + binaries.size();
  std::map<std::string, size_t> byName;
  for (size_t i = 0; i < nodes; ++i)
    byName[nodeName(i)] = i;
  std::vector<std::vector<TopoDep>> deps(nodes);
  auto addDep = [&](size_t from, const PackageName &name, Span span) {
    auto it = byName.find(name.toString());
    if (it != byName.end())
      deps[from].push_back({it->second, span, name.toString()});
  };
  for (auto [i, p] : enumerate(packages))
    for (auto &[name, span] : foreignDeps(p))
      addDep(i, name, span);
  for (auto [i, b] : enumerate(binaries))
    for (const PackageName &name : b.uses)
      addDep(packages.size() + i, name, Span{0, 0});
  Expected<std::vector<size_t>> order =
      topoSort("package", deps, [&](size_t i) { return nodeName(i); });
  if (!order)
    return handleErrors(order.takeError(), [](const SpanError &e) -> Error {
      std::string msg = e.message;
      StringRef m = msg;
      if (m.consume_back(" depends on itself"))
        msg = m.str() + " creates a dependency cycle";
      return spanError(e.span, msg);
    });
  Resolve work = r;
  ParsedPackages out;
  std::map<size_t, PackageId> ids;
  for (size_t i : *order) {
    if (i >= packages.size()) {
      const BinaryPackage &b = binaries[i - packages.size()];
      bool known = any_of(work.packages,
                          [&](const Package &p) { return p.name == b.name; });
      if (known)
        continue;
      if (Expected<PackageId> id = decodeWitPackage(work, b.bytes); !id)
        return createStringError(b.path + ": " + toString(id.takeError()));
      continue;
    }
    // A package the Resolve already has (a dependency two `--component-type`
    // folders share) is taken as it is; the package being loaded must be
    // new.
    PackageName name = packages[i].name.toName();
    std::optional<PackageId> existing;
    for (auto [k, p] : enumerate(work.packages))
      if (p.name == name)
        existing = PackageId{uint32_t(k)};
    bool isMain =
        (mainPackage && i == *mainPackage) || is_contained(mainNested, i);
    if (existing && !isMain) {
      ids[i] = *existing;
      continue;
    }
    if (existing)
      return spanError(packages[i].name.span,
                       "package `" + name.toString() +
                           "` is already defined; wcl does not merge two "
                           "definitions of one package");
    Expected<PackageId> id = resolvePackage(work, packages[i], features);
    if (!id)
      return id.takeError();
    ids[i] = *id;
  }
  if (mainPackage)
    out.main = ids[*mainPackage];
  for (size_t n : mainNested)
    out.nested.push_back(ids[n]);
  if (!mainPackage && !mainNested.empty()) {
    // A file of nested packages only: the last is the main one.
    out.main = out.nested.back();
    out.nested.pop_back();
  }
  r = std::move(work);
  return out;
}

/// The packages \p l loaded resolved into \p resolve, unless loading
/// failed with \p e; any error rendered against the loaded sources.
static Expected<ParsedPackages>
resolveLoaded(Loader &l, Error e, Resolve &resolve, const Features &features) {
  if (!e) {
    Expected<ParsedPackages> p = l.resolve(resolve, features);
    if (p)
      return p;
    e = p.takeError();
  }
  return l.sources.render(std::move(e));
}

Expected<ParsedPackages> wit::parseWitText(Resolve &resolve, StringRef path,
                                           StringRef contents,
                                           const Features &features) {
  Loader l;
  std::pair<std::string, std::string> text{path.str(), contents.str()};
  Error e = l.addGroup(text, true);
  return resolveLoaded(l, std::move(e), resolve, features);
}

Expected<ParsedPackages> wit::parseWitPath(Resolve &resolve, StringRef path,
                                           const Features &features) {
  Loader l;
  Error e = Error::success();
  if (sys::fs::is_directory(path)) {
    SmallString<256> deps(path);
    sys::path::append(deps, "deps");
    std::error_code ec;
    std::vector<std::string> entries;
    for (sys::fs::directory_iterator it(deps, ec), end; it != end && !ec;
         it.increment(ec))
      entries.push_back(it->path());
    llvm::sort(entries);
    for (const std::string &d : entries) {
      if (!sys::fs::is_directory(d) && !StringRef(d).ends_with(".wit") &&
          !StringRef(d).ends_with(".wasm") && !StringRef(d).ends_with(".wat"))
        continue;
      if ((e = l.addPath(d, false)))
        break;
    }
  }
  if (!e)
    e = l.addPath(path, true);
  return resolveLoaded(l, std::move(e), resolve, features);
}

Expected<WorldId> wit::selectWorld(const Resolve &resolve, PackageId pkg,
                                   StringRef name) {
  const Package &p = resolve.get(pkg);
  if (name.empty()) {
    if (p.worlds.size() == 1)
      return p.worlds.begin()->second;
    if (p.worlds.empty())
      return createStringError("no worlds found in package `" +
                               p.name.toString() + "`");
    return createStringError("multiple worlds found in package `" +
                             p.name.toString() +
                             "`: one must be explicitly chosen");
  }
  auto it = p.worlds.find(name.str());
  if (it == p.worlds.end())
    return createStringError("world `" + name + "` not found in package `" +
                             p.name.toString() + "`");
  return it->second;
}

static void pathDeps(const ast::UsePath &p,
                     std::vector<std::pair<PackageName, Span>> &out) {
  if (p.package)
    out.push_back({p.package->toName(), p.package->span});
}

static void itemsDeps(const std::vector<ast::InterfaceItem> &items,
                      std::vector<std::pair<PackageName, Span>> &out) {
  for (const ast::InterfaceItem &i : items)
    if (i.kind == ast::InterfaceItem::Kind::Use)
      pathDeps(i.use.from, out);
}

static std::vector<std::pair<PackageName, Span>>
foreignDeps(const UnresolvedPackage &pkg) {
  std::vector<std::pair<PackageName, Span>> out;
  for (const ast::PackageFile *f : pkg.files)
    for (const ast::Item &item : f->items) {
      switch (item.kind) {
      case ast::Item::Kind::Use:
        pathDeps(item.use.item, out);
        break;
      case ast::Item::Kind::Interface:
        itemsDeps(item.interface.items, out);
        break;
      case ast::Item::Kind::World:
        for (const ast::WorldItem &w : item.world.items) {
          if (w.kind == ast::WorldItem::Kind::Use)
            pathDeps(w.use.from, out);
          else if (w.kind == ast::WorldItem::Kind::Include)
            pathDeps(w.include.from, out);
          else if (w.kind == ast::WorldItem::Kind::Import ||
                   w.kind == ast::WorldItem::Kind::Export) {
            if (w.ext.kind == ast::Extern::Kind::Interface)
              itemsDeps(w.ext.items, out);
            else if (w.ext.kind != ast::Extern::Kind::Func)
              pathDeps(w.ext.path, out);
          }
        }
        break;
      case ast::Item::Kind::Package:
        break;
      }
    }
  return out;
}
