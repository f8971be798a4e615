//===- CheckWorld.cpp - A module against its world ------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The checks of CheckWorld.h, exports first and then imports, in the order
/// wit-component reports them, so that the first error is the same one.
///
//===----------------------------------------------------------------------===//

#include "CheckWorld.h"
#include "wcl/Support/Error.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::encoder;
using wasm::ExternType;

/// A core signature as wasm-tools prints it in errors: `[I32, I32] -> [I32]`.
static std::string sigString(const wasm::FuncType &ft) {
  auto list = [](ArrayRef<wasm::ValType> types) {
    std::string out = "[";
    for (size_t i = 0; i < types.size(); ++i) {
      if (i)
        out += ", ";
      std::string t = wasm::toString(types[i]);
      for (char &c : t)
        c = llvm::toUpper(c);
      out += t;
    }
    return out + "]";
  };
  return list(ft.params) + " -> " + list(ft.results);
}

static bool sameSig(const wasm::FuncType &a, const wasm::FuncType &b) {
  auto same = [](ArrayRef<wasm::ValType> x, ArrayRef<wasm::ValType> y) {
    if (x.size() != y.size())
      return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (!wasm::isSameValType(x[i], y[i]))
        return false;
    return true;
  };
  return same(a.params, b.params) && same(a.results, b.results);
}

Expected<std::optional<LiftTarget>>
encoder::findLiftTarget(const CoreNames &names, StringRef coreName) {
  if (const wasm::Export *e = names.findFunc(coreName))
    return LiftTarget{e, wit::AbiVariant::Lift, nullptr};
  std::string async = ("[async-lift]" + coreName).str();
  if (const wasm::Export *e = names.findFunc(async)) {
    const wasm::Export *callback = names.findFunc("[callback]" + async);
    if (!callback)
      return createError("missing callback for `" + async + "`");
    return LiftTarget{e, wit::AbiVariant::LiftAsync, callback};
  }
  if (const wasm::Export *e =
          names.findFunc(("[async-lift-stackful]" + coreName).str()))
    return LiftTarget{e, wit::AbiVariant::LiftAsyncStackful, nullptr};
  return std::nullopt;
}

/// An error in wit-component's words for a module that does not match its
/// world.
static Error notValid(const Twine &msg) {
  return createError("failed to decode world from module: module was not "
                     "valid: " +
                     msg);
}

/// Every export of \p world has a core function of the type its lift needs.
static Error checkExports(const wasm::CoreModule &mod, const CoreNames &names,
                          const wit::Resolve &resolve,
                          const wit::World &world) {
  auto fail = notValid;
  auto sigOf = [&](const wasm::Export *e) -> const wasm::FuncType * {
    std::optional<uint32_t> t = mod.getFunctionTypeIndex(e->index);
    return t ? mod.getFuncType(*t) : nullptr;
  };
  // The core function lifted for \p coreName, its signature and the one
  // the lift needs; an error for a missing callback.
  struct Found {
    const wasm::FuncType *have = nullptr;
    wasm::FuncType want;
  };
  auto lookup = [&](StringRef coreName,
                    const wit::Function &f) -> Expected<std::optional<Found>> {
    Expected<std::optional<LiftTarget>> target =
        findLiftTarget(names, coreName);
    if (!target)
      return target.takeError();
    if (!*target || !sigOf((*target)->core))
      return std::nullopt;
    return Found{sigOf((*target)->core),
                 wit::functionAbi(resolve, f, (*target)->variant).core};
  };
  for (const auto &[key, item] : world.exports) {
    std::string name = resolve.nameOf(key);
    if (item.kind == wit::WorldItem::Kind::Function) {
      const wit::Function &f = item.function;
      Expected<std::optional<Found>> found = lookup(f.name, f);
      if (!found)
        return fail(toString(found.takeError()));
      if (!*found)
        return fail("failed to find export of function `" + f.name + "`");
      const wasm::FuncType *ft = (*found)->have;
      const wasm::FuncType &want = (*found)->want;
      if (!sameSig(*ft, want))
        return fail("failed to classify export `" + f.name +
                    "`: failed to validate export for `" + f.name +
                    "`: type mismatch for function `" + f.name +
                    "`: expected `" + sigString(want) + "` but found `" +
                    sigString(*ft) + "`");
      continue;
    }
    if (item.kind != wit::WorldItem::Kind::Interface)
      continue;
    for (const auto &[fname, f] : resolve.get(item.interface).functions) {
      std::string core = name + "#" + f.name;
      Expected<std::optional<Found>> found = lookup(core, f);
      if (!found)
        return fail(toString(found.takeError()));
      if (!*found)
        return fail("failed to find export of interface `" + name +
                    "` function `" + f.name + "`");
      const wasm::FuncType *ft = (*found)->have;
      const wasm::FuncType &want = (*found)->want;
      if (!sameSig(*ft, want))
        return fail("failed to classify export `" + core +
                    "`: failed to validate export for `" + name +
                    "`: type mismatch for function `" + f.name +
                    "`: expected `" + sigString(want) + "` but found `" +
                    sigString(*ft) + "`");
    }
  }
  return Error::success();
}

/// Every import is a function of \p world (or an intrinsic, checked when it
/// is classified) of the type its lowering has.
static Error checkImports(const wasm::CoreModule &mod, const CoreNames &names,
                          const wit::Resolve &resolve, const wit::World &world,
                          bool isLibrary, const StringSet<> &providers,
                          const StringSet<> &adapterImports) {
  auto fail = notValid;
  for (const wasm::ImportEntry &imp : mod.imports) {
    // Adapters and libraries provide these.
    if (providers.contains(imp.module))
      continue;
    StringRef module = names.importModule(imp), field = names.importField(imp);
    const wit::WorldItem *iface = nullptr;
    for (const auto &[key, item] : world.imports)
      if (item.kind == wit::WorldItem::Kind::Interface &&
          resolve.nameOf(key) == module)
        iface = &item;
    // A library's env, GOT and adapter imports are the linker's business;
    // only its WIT imports are checked here.
    if (isLibrary && module != "$root" && !iface)
      continue;
    std::string where =
        ("failed to resolve import `" + imp.module + "::" + imp.field + "`: ")
            .str();
    if (imp.type.kind != ExternType::Kind::Func) {
      if (imp.module == "env" && imp.field == "memory")
        continue;
      return fail(where + "module is only allowed to import functions");
    }
    const wasm::FuncType *have = mod.getFuncType(imp.type.funcType);
    // The drop of a resource the world imports at top level.
    StringRef dropped = field;
    if (module == "$root" && dropped.consume_front("[resource-drop]")) {
      bool isResource = any_of(world.imports, [&](const auto &entry) {
        return entry.second.kind == wit::WorldItem::Kind::Type &&
               entry.first.name == dropped &&
               resolve.get(entry.second.type).kind ==
                   wit::TypeDefKind::Resource;
      });
      if (isResource) {
        wasm::FuncType want;
        want.params.push_back(wasm::i32Type());
        if (have && !sameSig(*have, want))
          return fail(where + "type mismatch for function `" + field +
                      "`: expected `" + sigString(want) + "` but found `" +
                      sigString(*have) + "`");
        continue;
      }
    }
    // Other intrinsics (`[context-get-0]`, `[resource-drop]r` of an
    // interface, ...) are checked when they are classified; at top level
    // anything else in brackets must be a world function.
    static constexpr StringLiteral rootIntrinsics[] = {
        "[context-", "[thread-",       "[cancellable]",   "[waitable",
        "[subtask-", "[backpressure-", "[error-context-", "[future-",
        "[stream-",  "[async-lower]",  "[task-"};
    if (field.starts_with("[") &&
        (module != "$root" || any_of(rootIntrinsics, [&](StringRef p) {
           return field.starts_with(p);
         })))
      continue;
    const wit::Function *f = nullptr;
    if (module == "$root") {
      for (const auto &[key, item] : world.imports)
        if (item.kind == wit::WorldItem::Kind::Function &&
            item.function.name == field)
          f = &item.function;
      if (!f)
        return fail(where + "no top-level imported function `" + field +
                    "` specified");
    } else {
      if (!iface) {
        if (module == "env" || module.starts_with("[export]"))
          continue; // classified later (intrinsics)
        if (adapterImports.contains(module))
          return createError(
              "failed to register indirect shims for main module: missing "
              "component metadata for import of `" +
              imp.module + "::" + imp.field + "`");
        return fail(where + "module requires an import interface named `" +
                    imp.module + "`");
      }
      const wit::Interface &i = resolve.get(iface->interface);
      auto it = i.functions.find(field.str());
      if (it == i.functions.end())
        return fail(where + "failed to validate import interface `" + module +
                    "`: import interface `" + imp.module +
                    "` is missing function `" + imp.field +
                    "` that is required by the module");
      f = &it->second;
    }
    if (f && have) {
      wasm::FuncType want =
          wit::functionAbi(resolve, *f, wit::AbiVariant::Lower).core;
      if (!sameSig(*have, want))
        return fail(
            where +
            (module == "$root"
                 ? std::string()
                 : ("failed to validate import interface `" + module + "`: ")
                       .str()) +
            "type mismatch for function `" + imp.field + "`: expected `" +
            sigString(want) + "` but found `" + sigString(*have) + "`");
    }
  }
  return Error::success();
}

Error encoder::validateAgainstWorld(const wasm::CoreModule &mod,
                                    const CoreNames &names,
                                    const wit::Resolve &resolve,
                                    wit::WorldId worldId, bool isLibrary,
                                    const StringSet<> &providers,
                                    const StringSet<> &adapterImports) {
  const wit::World &world = resolve.get(worldId);
  if (Error e = checkExports(mod, names, resolve, world))
    return e;
  return checkImports(mod, names, resolve, world, isLibrary, providers,
                      adapterImports);
}
