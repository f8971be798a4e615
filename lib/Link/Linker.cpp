//===- Linker.cpp - Planning a shared-everything link ---------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The planning phases of the shared-everything linker. The behaviour (which
/// library wins a duplicate symbol, when stubs are made, which libraries are
/// dropped, the instantiation order with cycles, which functions go through
/// the env module's table) follows wit-component's `component link`, because
/// its outputs are the reference; the messages are wcl's own, one line per
/// problem, naming the library and the symbol, while keeping wasm-tools'
/// wording so scripts that match on it keep working.
///
//===----------------------------------------------------------------------===//

#include "wcl/Link/Linker.h"
#include "StubLibrary.h"
#include "wcl/Dylink/Names.h"
#include "wcl/Support/Diagnostics.h"
#include "wcl/Support/Error.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/BinaryFormat/Wasm.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::dylink;

std::optional<unsigned> LinkPlan::findLibrary(StringRef libName) const {
  auto it = libraryIndex.find(libName);
  if (it == libraryIndex.end())
    return std::nullopt;
  return it->second;
}

std::optional<unsigned> LinkPlan::exporterOf(const ExportKey &key) const {
  auto it = resolution.byKey.find(key);
  if (it == resolution.byKey.end())
    return std::nullopt;
  return it->second;
}

namespace {

/// A symbol some library imports and no library exports.
struct MissingSymbol {
  unsigned importer;
  ExportKey key;
  uint32_t flags;
};

/// The planning phases over one library list. A restart (stubs added,
/// libraries dropped) builds a new PlanBuilder.
class PlanBuilder {
public:
  PlanBuilder(LinkPlan &plan) : plan(plan) {}

  Error checkNeeded();
  void resolveSymbols();
  /// Exporters of every key, in library order; the first wins. Keys are
  /// kept in first-export order so that iterating is deterministic.
  using ExporterMap = MapVector<ExportKey, SmallVector<unsigned, 1>>;
  ExporterMap exporters;
  std::vector<MissingSymbol> missing;

  void findDependencies();
  /// Libraries no root reaches, with the reason for the map.
  std::vector<DroppedLibrary> findUnreachable();
  void topoSort();
  Error findEnvExports();
  Error checkEntryPoints();

private:
  void topoAdd(SetVector<unsigned> &sorted, unsigned element);

  LinkPlan &plan;
};

} // namespace

Error PlanBuilder::checkNeeded() {
  StringSet<> present;
  for (const PlannedLibrary &lib : plan.libraries)
    present.insert(lib.meta().name);
  std::string lines;
  for (const PlannedLibrary &lib : plan.libraries) {
    SmallVector<StringRef, 4> absent;
    for (StringRef needed : lib.meta().neededLibs)
      if (!present.contains(needed))
        absent.push_back(needed);
    if (absent.empty())
      continue;
    lines += "\n\t" + lib.meta().name + " needs " + join(absent, ", ");
  }
  if (lines.empty())
    return Error::success();
  return createError("missing libraries:" + lines +
                     "\n(every library named in a dylink.0 `needed` entry "
                     "must be an input; add it, or name an input NAME=PATH "
                     "to match)");
}

void PlanBuilder::resolveSymbols() {
  for (unsigned i = 0; i < plan.libraries.size(); ++i)
    for (const DylibExport &exp : plan.libraries[i].meta().exports)
      exporters[exp.key].push_back(i);

  SymbolResolution &res = plan.resolution;
  // GOT.func binds by name: of the signatures a name is exported with, the
  // smallest key wins, whatever order the libraries came in.
  DenseMap<StringRef, const ExporterMap::value_type *> byName;
  for (const ExporterMap::value_type &entry : exporters) {
    if (entry.first.type.kind != SymbolType::Kind::Function)
      continue;
    auto [it, inserted] = byName.try_emplace(entry.first.name, &entry);
    if (!inserted && entry.first < it->second->first)
      it->second = &entry;
  }
  for (auto &[name, entry] : byName)
    res.functionsByName[name] = entry->second.front();

  auto triage = [&](unsigned importer, ExportKey key, uint32_t flags) {
    auto it = exporters.find(key);
    if (it != exporters.end())
      res.byKey.try_emplace(key, it->second.front());
    else
      missing.push_back({importer, std::move(key), flags});
  };

  for (unsigned i = 0; i < plan.libraries.size(); ++i) {
    const DylibMetadata &meta = plan.libraries[i].meta();
    for (const EnvImport &imp : meta.envImports)
      triage(i, {imp.name, SymbolType::function(imp.type)}, imp.flags);
    // GOT.mem binds only to immutable i32 exports: the address of the data.
    for (StringRef sym : meta.memoryAddressImports)
      triage(i, {sym, SymbolType::globalOf(ValueType::I32, false)}, 0);
    for (const TagImport &imp : meta.tagImports)
      triage(i, {imp.name, SymbolType::tag(imp.type)}, 0);
  }
  for (unsigned i = 0; i < plan.libraries.size(); ++i) {
    const DylibMetadata &meta = plan.libraries[i].meta();
    for (StringRef sym : meta.tableAddressImports) {
      if (res.functionsByName.count(sym))
        continue;
      // A GOT.func entry for a function the library also imports from env
      // was already reported with its real type above.
      if (meta.findEnvImport(sym))
        continue;
      missing.push_back({i, {sym, SymbolType::function({})}, 0});
    }
  }

  ExportKey realloc{names::CabiRealloc,
                    SymbolType::function({{ValueType::I32, ValueType::I32,
                                           ValueType::I32, ValueType::I32},
                                          {ValueType::I32}})};
  if (auto it = exporters.find(realloc); it != exporters.end())
    res.cabiReallocExporter = it->second.front();
  // The task hook is re-exported by env even though nobody imports it, so the
  // encoder can find it on the main module.
  ExportKey hook{names::TaskHook, SymbolType::function({{ValueType::I32}, {}})};
  if (auto it = exporters.find(hook); it != exporters.end()) {
    res.taskHookExporter = it->second.front();
    res.byKey.try_emplace(hook, it->second.front());
  }
}

void PlanBuilder::findDependencies() {
  unsigned n = plan.libraries.size();
  // Direct dependencies: needed libraries, then the exporter of each env
  // import (possibly the library itself).
  for (unsigned i = 0; i < n; ++i) {
    PlannedLibrary &lib = plan.libraries[i];
    lib.dependencies.clear();
    for (StringRef needed : lib.meta().neededLibs)
      if (std::optional<unsigned> d = plan.findLibrary(needed))
        lib.dependencies.insert(*d);
    for (const EnvImport &imp : lib.meta().envImports)
      if (std::optional<unsigned> d =
              plan.exporterOf({imp.name, SymbolType::function(imp.type)}))
        lib.dependencies.insert(*d);
  }
  // Transitive closure as a fixpoint: each round adds, per library, the
  // dependencies of its dependencies as they stood at the start of the round.
  while (true) {
    std::vector<SetVector<unsigned>> added(n);
    bool changed = false;
    for (unsigned i = 0; i < n; ++i) {
      const SetVector<unsigned> &deps = plan.libraries[i].dependencies;
      for (unsigned d : deps)
        for (unsigned dd : plan.libraries[d].dependencies)
          if (!deps.contains(dd) && added[i].insert(dd))
            changed = true;
    }
    if (!changed)
      return;
    for (unsigned i = 0; i < n; ++i)
      plan.libraries[i].dependencies.insert(added[i].begin(), added[i].end());
  }
}

std::vector<DroppedLibrary> PlanBuilder::findUnreachable() {
  // Roots: what the component exposes (WIT exports), what dlopen may load,
  // and a command's _start. Everything else must be needed by a root.
  SmallVector<bool, 16> reachable(plan.libraries.size(), false);
  for (unsigned i = 0; i < plan.libraries.size(); ++i) {
    const PlannedLibrary &lib = plan.libraries[i];
    if (!(lib.meta().hasComponentExports || lib.dlOpenable ||
          lib.meta().hasWasiStart))
      continue;
    reachable[i] = true;
    for (unsigned d : lib.dependencies)
      reachable[d] = true;
  }
  std::vector<DroppedLibrary> dropped;
  for (unsigned i = 0; i < plan.libraries.size(); ++i)
    if (!reachable[i])
      dropped.push_back(
          {plan.libraries[i].meta().name,
           "no library with component exports, no --dl-openable library and "
           "no library exporting _start depends on it"});
  return dropped;
}

void PlanBuilder::topoAdd(SetVector<unsigned> &sorted, unsigned element) {
  const SetVector<unsigned> &deps = plan.libraries[element].dependencies;
  auto dependsOnElement = [&](unsigned d) {
    return plan.libraries[d].dependencies.contains(element);
  };
  // Dependencies first, except those in a cycle with this library, which
  // come right after it.
  for (unsigned d : deps)
    if (!sorted.contains(d) && !dependsOnElement(d))
      topoAdd(sorted, d);
  sorted.insert(element);
  for (unsigned d : deps)
    if (!sorted.contains(d) && dependsOnElement(d))
      topoAdd(sorted, d);
}

void PlanBuilder::topoSort() {
  SetVector<unsigned> sorted;
  for (unsigned i = 0; i < plan.libraries.size(); ++i)
    topoAdd(sorted, i);
  plan.topoOrder.assign(sorted.begin(), sorted.end());
}

Error PlanBuilder::findEnvExports() {
  StringSet<> exported;
  SmallVector<bool, 16> seen(plan.libraries.size(), false);
  for (unsigned index : plan.topoOrder) {
    const DylibMetadata &meta = plan.libraries[index].meta();
    // GOT.func entries always go through env: the function needs a slot in
    // the shared table whoever exports it.
    for (StringRef sym : meta.tableAddressImports) {
      if (exported.contains(sym))
        continue;
      auto it = plan.resolution.functionsByName.find(sym);
      if (it == plan.resolution.functionsByName.end())
        continue; // only imported from env; handled below
      const DylibExport *exp =
          plan.libraries[it->second].meta().findExport(sym);
      plan.envExports.push_back({sym, exp->key.type.func, it->second});
      exported.insert(sym);
    }
    // An env import whose exporter is not instantiated yet (a cycle or a
    // self-import) cannot be wired directly; env forwards it.
    for (const EnvImport &imp : meta.envImports) {
      if (exported.contains(imp.name))
        continue;
      std::optional<unsigned> exporter =
          plan.exporterOf({imp.name, SymbolType::function(imp.type)});
      if (!exporter)
        return createError(meta.name + ": internal error: " + imp.name +
                           " was not resolved");
      if (!seen[*exporter]) {
        plan.envExports.push_back({imp.name, imp.type, *exporter});
        exported.insert(imp.name);
      }
    }
    seen[index] = true;
  }
  if (plan.resolution.taskHookExporter && !exported.contains(names::TaskHook))
    plan.envExports.push_back({names::TaskHook,
                               FunctionType{{ValueType::I32}, {}},
                               *plan.resolution.taskHookExporter});
  plan.reexportCabiRealloc = exported.contains(names::CabiRealloc);
  return Error::success();
}

Error PlanBuilder::checkEntryPoints() {
  for (const PlannedLibrary &lib : plan.libraries)
    if (lib.meta().hasCtors && lib.meta().hasInitialize)
      return createError("library " + lib.meta().name +
                         " exports both `__wasm_call_ctors` and "
                         "`_initialize`; expected at most one of the two "
                         "(a library is initialized once, by one of them)");
  // The env module re-exports one `_start`, the program's entry point; two
  // programs in one link is a mistake (wasm-tools stops here too).
  const PlannedLibrary *start = nullptr;
  for (const PlannedLibrary &lib : plan.libraries) {
    if (!lib.meta().hasWasiStart)
      continue;
    if (start)
      return createError(
          "libraries " + start->meta().name + " and " + lib.meta().name +
          " both export `_start`; a component has one entry point: link "
          "one of them as a library (without an entry point) or drop it");
    start = &lib;
  }
  return Error::success();
}

/// One line per unresolved symbol, in wasm-tools' wording, plus what was
/// searched: a same-named export of another type is the usual cause.
/// \p sameName holds the exporter entries of m's name, sorted by key.
static std::string
describeMissing(const LinkPlan &plan,
                ArrayRef<const PlanBuilder::ExporterMap::value_type *> sameName,
                const MissingSymbol &m) {
  std::string line = "\t" + plan.libraries[m.importer].meta().name + " needs " +
                     m.key.name.str() + " (" + toString(m.key.type) + ")";
  std::vector<std::string> mismatches;
  for (const PlanBuilder::ExporterMap::value_type *entry : sameName)
    for (unsigned l : entry->second)
      mismatches.push_back(plan.libraries[l].meta().name + " exports it as " +
                           toString(entry->first.type));
  if (!mismatches.empty())
    return line + ": " + join(mismatches, "; ");
  std::vector<std::string> searched;
  for (const PlannedLibrary &lib : plan.libraries)
    searched.push_back(lib.meta().name);
  return line + ": no library exports it (searched " + join(searched, ", ") +
         ")";
}

/// Whether the missing symbols of a round may be stubbed: all functions,
/// and either --stub-missing-functions or all of them weak. Otherwise the
/// error that lists them.
static Error checkMissing(const LinkPlan &plan, const PlanBuilder &builder,
                          bool stubAllowed) {
  bool allFunctions = all_of(builder.missing, [](const MissingSymbol &m) {
    return m.key.type.kind == SymbolType::Kind::Function;
  });
  bool allWeak = all_of(builder.missing, [](const MissingSymbol &m) {
    return m.flags & llvm::wasm::WASM_SYMBOL_BINDING_WEAK;
  });
  if (stubAllowed && allFunctions &&
      (plan.options.stubMissingFunctions || allWeak))
    return Error::success();
  // Exports by name, for the "exports it as" hints: one pass over the
  // exporters, not one per missing symbol.
  StringMap<SmallVector<const PlanBuilder::ExporterMap::value_type *, 1>>
      byName;
  for (const MissingSymbol &m : builder.missing)
    byName.try_emplace(m.key.name);
  for (const PlanBuilder::ExporterMap::value_type &entry : builder.exporters)
    if (auto it = byName.find(entry.first.name); it != byName.end())
      it->second.push_back(&entry);
  for (auto &entry : byName)
    llvm::sort(entry.second,
               [](auto *a, auto *b) { return a->first < b->first; });
  std::string lines;
  for (const MissingSymbol &m : builder.missing)
    if (!(m.flags & llvm::wasm::WASM_SYMBOL_BINDING_WEAK))
      lines += "\n" + describeMissing(plan, byName.lookup(m.key.name), m);
  return createError("unresolved symbol(s):" + lines +
                     (allFunctions
                          ? "\n(--stub-missing-functions makes missing "
                            "functions trap when called)"
                          : ""));
}

Expected<LinkPlan> Linker::plan() {
  std::vector<std::shared_ptr<const InputModule>> libs = inputs;
  // The built-in libdl is linked like any library, last, under the name
  // other libraries' `needed` entries use for it.
  if (options.useBuiltInLibdl) {
    Expected<std::shared_ptr<const InputModule>> dl = InputModule::read(
        BuiltinLibdlName.str(), ModuleBytes::fromStatic(getBuiltinLibdl()),
        /*dlOpenable=*/false, options.adapterNames, diags);
    if (!dl)
      return dl.takeError();
    libs.push_back(std::move(*dl));
  }
  // Each round either finishes or changes the library list (adds the stub
  // library once, or drops unreachable ones), so this terminates. A round
  // reuses the parsed inputs; only the plan is made again.
  std::vector<DroppedLibrary> dropped;
  bool stubbed = false;
  while (true) {
    LinkPlan plan;
    plan.options = options;
    plan.dropped = dropped;
    for (const std::shared_ptr<const InputModule> &in : libs) {
      plan.libraryIndex.try_emplace(in->name, plan.libraries.size());
      PlannedLibrary lib;
      lib.input = in;
      lib.dlOpenable = in->dlOpenable;
      plan.libraries.push_back(std::move(lib));
    }

    PlanBuilder builder(plan);
    if (Error e = builder.checkNeeded())
      return std::move(e);
    builder.resolveSymbols();

    if (!builder.missing.empty()) {
      if (Error e = checkMissing(plan, builder, /*stubAllowed=*/!stubbed))
        return std::move(e);
      std::vector<ExportKey> keys;
      for (const MissingSymbol &m : builder.missing)
        keys.push_back(m.key);
      Expected<std::shared_ptr<const InputModule>> stub =
          InputModule::read(names::StubsLibrary.str(),
                            ModuleBytes::fromVector(makeStubLibrary(keys)),
                            /*dlOpenable=*/false, options.adapterNames, diags,
                            /*requireDylink=*/false);
      if (!stub)
        return stub.takeError();
      libs.push_back(std::move(*stub));
      stubbed = true;
      if (diags)
        diags->log("-- restart: " + Twine(keys.size()) +
                   " missing functions "
                   "stubbed");
      continue;
    }

    builder.findDependencies();
    std::vector<DroppedLibrary> unreachable = builder.findUnreachable();
    if (!unreachable.empty()) {
      StringSet<> drop;
      for (DroppedLibrary &d : unreachable) {
        if (diags)
          diags->log("-- restart: " + d.name + " dropped");
        drop.insert(d.name);
        dropped.push_back(std::move(d));
      }
      llvm::erase_if(libs, [&](const std::shared_ptr<const InputModule> &in) {
        return drop.contains(in->name);
      });
      continue;
    }

    builder.topoSort();
    if (Error e = builder.findEnvExports())
      return std::move(e);
    if (Error e = builder.checkEntryPoints())
      return std::move(e);
    return std::move(plan);
  }
}
