//===- CoreNames.cpp - Component-model names of core imports/exports ------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The translation of CoreNames.h: each standard (`cm32p2`) name is mapped
/// to its legacy spelling once, when the module is read, so that
/// classification and lifting compare legacy names only.
///
//===----------------------------------------------------------------------===//

#include "CoreNames.h"
#include "wcl/Support/Error.h"

using namespace llvm;
using namespace wcl;

using WorldItems = std::vector<std::pair<wit::WorldKey, wit::WorldItem>>;

/// The legacy name of the interface the standard mangling calls \p name
/// among \p items: a plain world key matches by name, an interface by its
/// canonicalized id (`ns:pkg/i@0.2` for version 0.2.1).
static std::optional<std::string> legacyInterface(const wit::Resolve &resolve,
                                                  const WorldItems &items,
                                                  StringRef name) {
  for (const auto &[key, item] : items) {
    if (item.kind != wit::WorldItem::Kind::Interface)
      continue;
    if (key.interface ? resolve.canonicalizedIdOf(item.interface) == name.str()
                      : key.name == name)
      return resolve.nameOf(key);
  }
  return std::nullopt;
}

/// The field a deduplicated import had: `f` for `f [v2]`.
StringRef wcl::originalImportField(StringRef field) {
  StringRef base = field, v = field;
  if (!v.consume_back("]"))
    return field;
  size_t pos = v.rfind(" [v");
  unsigned n;
  if (pos == StringRef::npos || v.drop_front(pos + 3).getAsInteger(10, n))
    return field;
  return base.take_front(pos);
}

/// The world import a legacy module name stands for: itself, or an
/// interface of the world at another version on the same semver track
/// (`wasi:io/streams@0.2.6` for a world importing `@0.2.12`), as
/// wit-component matches them.
static std::string semverMatchedImport(const wit::Resolve &resolve,
                                       const WorldItems &items,
                                       StringRef module) {
  auto [name, version] = module.split('@');
  if (version.empty())
    return module.str();
  std::optional<std::string> match;
  for (const auto &[key, item] : items) {
    if (item.kind != wit::WorldItem::Kind::Interface || !key.interface)
      continue;
    std::string id = resolve.nameOf(key);
    if (id == module)
      return id;
    auto [otherName, otherVersion] = StringRef(id).split('@');
    if (otherName == name && !otherVersion.empty() &&
        wit::semverTrack(otherVersion) == wit::semverTrack(version))
      match = id;
  }
  return match.value_or(module.str());
}

/// A resource intrinsic's legacy field: `r_drop` -> `[resource-drop]r`.
/// WIT identifiers are kebab-case, so an underscore suffix cannot be part of
/// a function's name.
static std::string legacyIntrinsic(StringRef field, bool exported) {
  StringRef r = field;
  if (r.consume_back("_drop"))
    return ("[resource-drop]" + r).str();
  if (exported && r.consume_back("_new"))
    return ("[resource-new]" + r).str();
  if (exported && r.consume_back("_rep"))
    return ("[resource-rep]" + r).str();
  return field.str();
}

Expected<CoreNames> CoreNames::get(
    const wasm::CoreModule &mod, const wit::Resolve &resolve,
    std::optional<wit::WorldId> world, bool rejectLegacy,
    function_ref<bool(const wasm::ImportEntry &)> providedElsewhere) {
  CoreNames names;
  names.firstImport = mod.imports.data();
  static const WorldItems none;
  const WorldItems &worldImports = world ? resolve.get(*world).imports : none;
  const WorldItems &worldExports = world ? resolve.get(*world).exports : none;
  rejectLegacy &= world.has_value();

  for (const wasm::ImportEntry &imp : mod.imports) {
    auto fail = [&](const Twine &why) {
      return createError("failed to resolve import `" + imp.module +
                         "::" + imp.field + "`: " + why);
    };
    StringRef rest = imp.module;
    if (!rest.consume_front("cm32p2")) {
      if (rejectLegacy && imp.type.kind == wasm::ExternType::Kind::Func &&
          !providedElsewhere(imp))
        return fail("unknown or invalid component model import syntax "
                    "(--reject-legacy-names accepts only `cm32p2` names)");
      names.imports.push_back(
          {semverMatchedImport(resolve, worldImports, imp.module),
           originalImportField(imp.field).str()});
      continue;
    }
    if (rest.empty()) {
      names.imports.push_back(
          {"$root", legacyIntrinsic(originalImportField(imp.field), false)});
      continue;
    }
    if (rest == "_ex_") {
      names.imports.push_back(
          {"[export]$root", originalImportField(imp.field).str()});
      continue;
    }
    if (!rest.consume_front("|"))
      return fail("unknown or invalid component model import syntax");
    bool exported = rest.consume_front("_ex_");
    std::optional<std::string> iface =
        legacyInterface(resolve, exported ? worldExports : worldImports, rest);
    if (!iface)
      return fail("failed to find world item corresponding to interface `" +
                  rest + "`");
    names.imports.push_back(
        {exported ? "[export]" + *iface : *iface,
         legacyIntrinsic(originalImportField(imp.field), exported)});
  }

  for (const wasm::Export &e : mod.exports) {
    StringRef rest = e.name;
    std::string legacy;
    if (!rest.consume_front("cm32p2")) {
      if (rejectLegacy)
        continue;
      legacy = e.name.str();
    } else if (rest == "_memory") {
      legacy = "memory";
    } else if (rest == "_realloc") {
      legacy = "cabi_realloc";
    } else if (rest == "_initialize") {
      legacy = "_initialize";
    } else if (rest.consume_front("||")) {
      legacy =
          rest.consume_back("_post") ? ("cabi_post_" + rest).str() : rest.str();
    } else if (rest.consume_front("|")) {
      auto [ifaceName, item] = rest.split('|');
      std::optional<std::string> iface =
          legacyInterface(resolve, worldExports, ifaceName);
      if (!iface || item.empty())
        continue; // not one of the world's; unknown exports are ignored
      if (item.consume_back("_dtor"))
        legacy = *iface + "#[dtor]" + item.str();
      else if (item.consume_back("_post"))
        legacy = "cabi_post_" + *iface + "#" + item.str();
      else
        legacy = *iface + "#" + item.str();
    } else {
      continue;
    }
    if (names.exports.try_emplace(legacy, &e).second)
      names.ordered.push_back({std::move(legacy), &e});
  }
  return names;
}

const wasm::Export *CoreNames::findExport(StringRef legacyName) const {
  auto it = exports.find(legacyName);
  return it == exports.end() ? nullptr : it->second;
}

const wasm::Export *CoreNames::findFunc(StringRef legacyName) const {
  const wasm::Export *e = findExport(legacyName);
  return e && e->kind == wasm::ExternType::Kind::Func ? e : nullptr;
}
