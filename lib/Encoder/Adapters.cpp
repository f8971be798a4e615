//===- Adapters.cpp - Adapters prepared for a component -------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// An adapter joins a component reduced to what one main module needs: the
/// roots are what main imports from it and what its world exports, the rest
/// is collected away and the module rebuilt as wit-component's adapter GC
/// rebuilds it (see Adapters.h for the rules).
///
//===----------------------------------------------------------------------===//

#include "Adapters.h"
#include "CoreNames.h"
#include "Metadata.h"
#include "wcl/Support/Error.h"
#include "wcl/Wasm/Instructions.h"
#include "wcl/Wasm/ModuleGC.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include <map>

using namespace llvm;
using namespace wcl;
using wasm::ExternType;
using wasm::IndexKind;

namespace {

constexpr int32_t PageSize = 65536;

/// `realloc(old, oldSize, align, newSize)` for one fresh page at a time:
/// anything else traps, as does running out of memory.
std::vector<uint8_t> reallocViaMemoryGrow() {
  return wasm::encodeInstructions([](wasm::InstrEmitter &e) {
    e.i32Const(0).localGet(0).i32Ne().if_().unreachable().end();
    e.i32Const(0).localGet(1).i32Ne().if_().unreachable().end();
    e.i32Const(PageSize).localGet(3).i32Ne().if_().unreachable().end();
    e.i32Const(1).memoryGrow(0).localTee(4);
    e.i32Const(-1).i32Eq().if_().unreachable().end();
    e.localGet(4).i32Const(16).i32Shl().end();
  });
}

/// Allocates a one-page stack through \p realloc and points \p sp at its
/// top; with \p state, only the first time (0 unallocated, 1 allocating,
/// 2 allocated), since realloc may re-enter the adapter.
std::vector<uint8_t> allocateStack(uint32_t realloc, uint32_t sp,
                                   std::optional<uint32_t> state) {
  return wasm::encodeInstructions([&](wasm::InstrEmitter &e) {
    if (state)
      e.globalGet(*state).i32Const(0).i32Eq().if_().i32Const(1).globalSet(
          *state);
    e.i32Const(0).i32Const(0).i32Const(8).i32Const(PageSize).call(realloc);
    e.i32Const(PageSize).i32Add().globalSet(sp);
    if (state)
      e.i32Const(2).globalSet(*state).end();
    e.end();
  });
}

wasm::FuncType reallocType() {
  wasm::FuncType t;
  t.params.assign(4, wasm::i32Type());
  t.results.push_back(wasm::i32Type());
  return t;
}

bool isReallocImport(const wasm::ImportEntry &imp) {
  return imp.module == "__main_module__" &&
         (imp.field == "cabi_realloc" || imp.field == "canonical_abi_realloc");
}

/// One adapter rebuilt from what its garbage collection left live, in
/// wit-component's order, one step per kind of item.
class AdapterBuilder {
public:
  AdapterBuilder(const wasm::CoreModule &mod, ArrayRef<std::string> required,
                 std::optional<StringRef> mainRealloc)
      : mod(mod), required(required), mainRealloc(mainRealloc), gc(mod) {}

  Expected<std::vector<uint8_t>> run();

private:
  std::vector<uint32_t> live(IndexKind kind, uint32_t n) const;
  std::optional<StringRef> nameOf(wasm::CoreNameKind kind, uint32_t i) const {
    return mod.names ? mod.names->lookup(kind, i) : std::nullopt;
  }
  /// Index maps for rewriting, as far as items are placed.
  wasm::IndexMaps maps() const;
  Error placeTypes();
  Error placeMemoriesAndTables();
  Expected<std::optional<uint32_t>> findGlobal(StringRef name) const;
  void placeFunctions();
  Error defineGlobals();
  void keepExports();
  Error writeCode();
  void addStack();
  Error writeExports();
  void writeNames();

  const wasm::CoreModule &mod;
  ArrayRef<std::string> required;
  std::optional<StringRef> mainRealloc;
  wasm::ModuleGC gc;
  wasm::CoreModuleBuilder out;
  /// The imports of each kind, by index in their kind's space.
  std::map<std::pair<ExternType::Kind, uint32_t>, const wasm::ImportEntry *>
      importOf;
  /// Old index -> new index, per kind (IndexMap::Removed if dropped).
  std::vector<uint32_t> types, funcs, tables, memories, globals;
  /// An existing `() -> ()` type, for a start function.
  std::optional<uint32_t> emptyType;
  unsigned numMemories = 0;
  std::vector<uint32_t> liveGlobals, liveFuncs;
  /// The stack pointer and allocation state globals, found by name.
  std::optional<uint32_t> sp, state;
  std::optional<uint32_t> reallocIndex;
  /// Functions defined here: live definitions, and a realloc import that
  /// becomes a local function.
  std::vector<uint32_t> locals;
  std::vector<std::pair<uint32_t, std::string>> funcNames;
  /// Exports call `allocate_stack` first (a stack allocated lazily through
  /// main's realloc, guarded by the allocation state).
  bool lazy = false;
  std::optional<uint32_t> lazyIndex;
  std::vector<const wasm::Export *> exports;
  std::vector<uint32_t> exportedFuncs;
};

std::vector<uint32_t> AdapterBuilder::live(IndexKind kind, uint32_t n) const {
  std::vector<uint32_t> v;
  for (uint32_t i = 0; i < n; ++i)
    if (gc.isLive(kind, i))
      v.push_back(i);
  return v;
}

wasm::IndexMaps AdapterBuilder::maps() const {
  wasm::IndexMaps m;
  m.types = wasm::IndexMap(types);
  m.funcs = wasm::IndexMap(funcs);
  m.tables = wasm::IndexMap(tables);
  m.memories = wasm::IndexMap(memories);
  m.globals = wasm::IndexMap(globals);
  return m;
}

/// Types, in their order; an existing `() -> ()` serves a start function.
Error AdapterBuilder::placeTypes() {
  for (uint32_t i : live(IndexKind::Type, mod.types.size())) {
    const wasm::FuncType *ft = mod.getFuncType(i);
    if (!ft)
      return createError("adapter modules may only define function types");
    types[i] = out.appendType(*ft);
    if (ft->params.empty() && ft->results.empty())
      emptyType = types[i];
  }
  return Error::success();
}

/// The one memory an adapter may use is imported; it has no tables.
Error AdapterBuilder::placeMemoriesAndTables() {
  for (uint32_t i : live(IndexKind::Memory, mod.numMemories())) {
    if (i >= mod.numImportedMemories)
      return createError("adapter modules may not define a memory of their "
                         "own");
    const wasm::ImportEntry *imp = importOf.at({ExternType::Kind::Memory, i});
    memories[i] = out.importMemory(imp->module, imp->field, imp->type.memory);
    ++numMemories;
  }
  if (numMemories > 1)
    return createError("adapter modules may not use multiple memories");
  if (!live(IndexKind::Table, mod.numTables()).empty())
    return createError("adapter modules may not use tables");
  return Error::success();
}

/// The live mutable i32 global called \p name, if there is one.
Expected<std::optional<uint32_t>>
AdapterBuilder::findGlobal(StringRef name) const {
  std::optional<uint32_t> found;
  for (uint32_t i : liveGlobals) {
    const wasm::GlobalType &t =
        i < mod.numImportedGlobals
            ? importOf.at({ExternType::Kind::Global, i})->type.global
            : mod.globals[i - mod.numImportedGlobals].type;
    if (!t.mutable_ || !wasm::isSameValType(t.type, wasm::i32Type()) ||
        nameOf(wasm::CoreNameKind::Global, i) != std::optional(name))
      continue;
    if (found)
      return createError("adapter has several mutable i32 globals named " +
                         name);
    found = i;
  }
  return found;
}

/// Function imports (the realloc import bound to main's, or turned into a
/// local function without it), then definitions, numbered after every
/// import.
void AdapterBuilder::placeFunctions() {
  liveFuncs = live(IndexKind::Func, mod.numFunctions());
  for (uint32_t i : liveFuncs) {
    if (i >= mod.numImportedFuncs) {
      locals.push_back(i);
      continue;
    }
    const wasm::ImportEntry *imp = importOf.at({ExternType::Kind::Func, i});
    bool realloc = isReallocImport(*imp);
    if (realloc && !mainRealloc) {
      locals.push_back(i);
      continue;
    }
    StringRef field = realloc ? *mainRealloc : imp->field;
    funcs[i] = out.importFunc(imp->module, field, types[imp->type.funcType]);
    if (realloc)
      reallocIndex = funcs[i];
  }
  // A stack allocated through main's realloc needs it imported.
  if (mainRealloc && sp && !reallocIndex) {
    reallocIndex = out.importFunc("__main_module__", *mainRealloc,
                                  out.appendType(reallocType()));
    funcNames.push_back({*reallocIndex, mainRealloc->str()});
  }
  uint32_t next = out.numImportedFuncs();
  for (uint32_t i : locals) {
    funcs[i] = next++;
    if (i < mod.numImportedFuncs)
      reallocIndex = funcs[i]; // the realloc import, now local
  }
  lazy = sp && state && mainRealloc;
  if (lazy)
    lazyIndex = next++;
}

/// Globals defined here, their initializers remapped.
Error AdapterBuilder::defineGlobals() {
  wasm::IndexMaps m = maps();
  for (uint32_t i : liveGlobals) {
    if (i < mod.numImportedGlobals)
      continue;
    const wasm::Global &g = mod.globals[i - mod.numImportedGlobals];
    SmallString<16> init;
    raw_svector_ostream os(init);
    if (Error e = wasm::rewriteExpr(os, g.init.bytes, g.init.offset, m))
      return e;
    globals[i] = out.addGlobal(
        g.type, wasm::InitExpr::raw(arrayRefFromStringRef(init).drop_back()));
  }
  return Error::success();
}

/// The exports that remain, in the order wit-component leaves them
/// (removing an export moves the last one into its place).
void AdapterBuilder::keepExports() {
  for (const wasm::Export &e : mod.exports)
    exports.push_back(&e);
  for (const wasm::Export &e : mod.exports) {
    if (is_contained(required, e.name.str()))
      continue;
    auto it = find(exports, &e);
    *it = exports.back();
    exports.pop_back();
  }
  for (const wasm::Export *e : exports)
    if (e->kind == ExternType::Kind::Func)
      exportedFuncs.push_back(e->index);
}

/// The bodies of the local functions, rewritten to the new indices; with a
/// lazy stack, exports call `allocate_stack` first.
Error AdapterBuilder::writeCode() {
  wasm::IndexMaps m = maps();
  for (uint32_t i : locals) {
    if (i < mod.numImportedFuncs) {
      std::vector<uint8_t> code = reallocViaMemoryGrow();
      const wasm::ValType local = wasm::i32Type();
      out.addFunction(
          types[importOf.at({ExternType::Kind::Func, i})->type.funcType],
          ArrayRef(local), code);
      continue;
    }
    const wasm::FunctionBody &body = mod.bodies[i - mod.numImportedFuncs];
    SmallString<256> buf;
    raw_svector_ostream os(buf);
    if (lazy && is_contained(exportedFuncs, i)) {
      if (Error e = wasm::rewriteLocals(os, body, m))
        return e;
      std::vector<uint8_t> call = wasm::encodeInstructions(
          [&](wasm::InstrEmitter &e) { e.call(*lazyIndex); });
      os << toStringRef(call);
      if (Error e = wasm::rewriteExpr(os, body.code, body.codeOffset, m))
        return e;
    } else if (Error e = wasm::rewriteFunctionBody(os, body, m)) {
      return e;
    }
    out.addFunctionBody(types[mod.funcTypes[i - mod.numImportedFuncs]],
                        arrayRefFromStringRef(buf));
  }
  return Error::success();
}

/// The stack: allocated lazily, or by a start function (through a safe
/// realloc, else memory.grow).
void AdapterBuilder::addStack() {
  if (lazy)
    out.addFunction(
        out.appendType(wasm::FuncType()), {},
        allocateStack(*reallocIndex, globals[*sp], globals[*state]));
  // Without a safe realloc (none, or no state to stop re-entry), the stack
  // comes from memory.grow.
  if (sp && (!reallocIndex || !state))
    reallocIndex =
        out.addFunction(out.appendType(reallocType()),
                        ArrayRef(wasm::i32Type()), reallocViaMemoryGrow());
  if (sp && !lazy && numMemories > 0) {
    uint32_t type = emptyType ? *emptyType : out.appendType(wasm::FuncType());
    std::optional<uint32_t> st;
    if (state)
      st = globals[*state];
    uint32_t start = out.addFunction(
        type, {}, allocateStack(*reallocIndex, globals[*sp], st));
    funcNames.push_back({start, "allocate_stack"});
    out.setStart(start);
  }
}

Error AdapterBuilder::writeExports() {
  for (const wasm::Export *e : exports) {
    uint32_t index = 0;
    switch (e->kind) {
    case ExternType::Kind::Func:
      index = funcs[e->index];
      break;
    case ExternType::Kind::Memory:
      index = memories[e->index];
      break;
    case ExternType::Kind::Global:
      index = globals[e->index];
      break;
    case ExternType::Kind::Table:
      index = tables[e->index];
      break;
    default:
      return createError("adapter exports an unsupported kind of item");
    }
    out.addExport(e->name, e->kind, index);
  }
  return Error::success();
}

/// The functions and globals that had names, then the synthesized
/// functions'.
void AdapterBuilder::writeNames() {
  for (uint32_t i : liveFuncs)
    if (std::optional<StringRef> n = nameOf(wasm::CoreNameKind::Function, i))
      out.names().setFunctionName(funcs[i], *n);
  for (auto &[index, name] : funcNames)
    out.names().setFunctionName(index, name);
  // (wit-component's rule, which also names an imported realloc so when
  // the adapter has no allocation state.)
  if (reallocIndex && (!mainRealloc || !state))
    out.names().setFunctionName(*reallocIndex, "realloc_via_memory_grow");
  if (lazyIndex)
    out.names().setFunctionName(*lazyIndex, "allocate_stack");
  for (uint32_t i : liveGlobals)
    if (std::optional<StringRef> n = nameOf(wasm::CoreNameKind::Global, i))
      out.names().setName(wasm::CoreNameKind::Global, globals[i], *n);
}

Expected<std::vector<uint8_t>> AdapterBuilder::run() {
  for (const std::string &name : required)
    if (Error e = gc.addRootExport(name)) {
      consumeError(std::move(e));
      return createError("adapter module does not have export `" + name + "`");
    }
  if (Error e = gc.run())
    return std::move(e);
  for (const wasm::ImportEntry &imp : mod.imports)
    importOf[{imp.type.kind, imp.index}] = &imp;
  auto newMap = [](size_t n) {
    return std::vector<uint32_t>(n, wasm::IndexMap::Removed);
  };
  types = newMap(mod.types.size());
  funcs = newMap(mod.numFunctions());
  tables = newMap(mod.numTables());
  memories = newMap(mod.numMemories());
  globals = newMap(mod.numGlobals());

  if (Error e = placeTypes())
    return std::move(e);
  if (Error e = placeMemoriesAndTables())
    return std::move(e);
  liveGlobals = live(IndexKind::Global, mod.numGlobals());
  for (uint32_t i : liveGlobals)
    if (i < mod.numImportedGlobals) {
      const wasm::ImportEntry *imp = importOf.at({ExternType::Kind::Global, i});
      globals[i] = out.importGlobal(imp->module, imp->field, imp->type.global);
    }
  Expected<std::optional<uint32_t>> foundSp = findGlobal("__stack_pointer");
  if (!foundSp)
    return foundSp.takeError();
  sp = *foundSp;
  Expected<std::optional<uint32_t>> foundState = findGlobal("allocation_state");
  if (!foundState)
    return foundState.takeError();
  state = *foundState;

  placeFunctions();
  if (Error e = defineGlobals())
    return std::move(e);
  keepExports();
  if (Error e = writeCode())
    return std::move(e);
  addStack();
  if (Error e = writeExports())
    return std::move(e);
  writeNames();
  // The adapter's world stays with it; the encoder strips it when the
  // module joins the component.
  for (const wasm::Section &sec : mod.sections)
    if (sec.isCustom() &&
        sec.name.starts_with(wasm::ComponentTypeSectionPrefix))
      out.addCustomSection(sec.name, sec.content);
  return out.finish();
}

} // namespace

Expected<std::vector<uint8_t>>
wcl::gcAdapter(const wasm::CoreModule &mod, ArrayRef<std::string> required,
               std::optional<StringRef> mainRealloc) {
  return AdapterBuilder(mod, required, mainRealloc).run();
}

/// The legacy names of the exports that mean something to the component
/// model under \p world: its functions with their post-returns, resource
/// destructors, memory, reallocs, initializer and task hook.
static std::vector<std::string>
classifiedExportNames(const wit::Resolve &resolve,
                      std::optional<wit::WorldId> world) {
  std::vector<std::string> out = {"memory",
                                  "cabi_realloc",
                                  "cabi_import_realloc",
                                  "cabi_export_realloc",
                                  "canonical_abi_realloc",
                                  "cabi_realloc_adapter",
                                  "_initialize",
                                  "__indirect_function_table",
                                  "__wasm_task_hook"};
  if (!world)
    return out;
  auto addFunc = [&](const std::string &coreName) {
    out.push_back(coreName);
    out.push_back("cabi_post_" + coreName);
  };
  for (const auto &[key, item] : resolve.get(*world).exports) {
    if (item.kind == wit::WorldItem::Kind::Function) {
      addFunc(item.function.name);
      continue;
    }
    if (item.kind != wit::WorldItem::Kind::Interface)
      continue;
    std::string iface = resolve.nameOf(key);
    const wit::Interface &i = resolve.get(item.interface);
    for (const auto &[fname, f] : i.functions)
      addFunc(iface + "#" + f.name);
    for (const auto &[tname, t] : i.types)
      if (resolve.get(t).kind == wit::TypeDefKind::Resource)
        out.push_back(iface + "#[dtor]" + tname);
  }
  return out;
}

Expected<std::optional<encoder::PreparedAdapter>> encoder::prepareAdapter(
    StringRef name, const wasm::CoreModule &adapter,
    const wasm::CoreModule &main, const EncoderOptions &options,
    std::deque<std::vector<uint8_t>> &buffers,
    std::deque<wasm::CoreModule> &modules, StringSet<> &worldImports) {
  const wasm::CoreModule *mod = &adapter;
  wit::Resolve scratch;
  Expected<ModuleWorld> decoded =
      decodeModuleWorld(scratch, *mod, options.mergeImportsBySemver);
  if (!decoded)
    return decoded.takeError();
  const std::optional<wit::WorldId> &world = decoded->world;
  Expected<CoreNames> names =
      CoreNames::get(*mod, scratch, world, options.rejectLegacyNames,
                     [](const wasm::ImportEntry &) { return true; });
  if (!names)
    return names.takeError();

  std::vector<std::string> roots;
  for (const wasm::ImportEntry &imp : main.imports)
    if (imp.module == name &&
        !is_contained(roots, originalImportField(imp.field)))
      roots.push_back(originalImportField(imp.field).str());
  bool exportsSomething = world && !scratch.get(*world).exports.empty();
  if (roots.empty() && !exportsSomething)
    return std::nullopt;
  if (world)
    for (const auto &[key, item] : scratch.get(*world).imports)
      if (item.kind == wit::WorldItem::Kind::Interface)
        worldImports.insert(scratch.nameOf(key));
  for (const std::string &legacy : classifiedExportNames(scratch, world))
    if (const wasm::Export *e = names->findExport(legacy))
      if (!is_contained(roots, e->name))
        roots.push_back(e->name.str());
  for (StringRef root : roots)
    if (!mod->findExport(root))
      return createError("adapter module did not export `" + root + "`");

  // The realloc the adapter may import from main: `cabi_realloc_adapter`,
  // else main's general-purpose one.
  std::optional<StringRef> mainRealloc;
  if (!options.reallocViaMemoryGrow)
    for (StringRef n :
         {"cabi_realloc_adapter", "canonical_abi_realloc", "cabi_realloc"})
      if (const wasm::Export *e = main.findExport(n);
          !mainRealloc && e && e->kind == ExternType::Kind::Func)
        mainRealloc = e->name;
  Expected<std::vector<uint8_t>> gced = gcAdapter(*mod, roots, mainRealloc);
  if (!gced)
    return gced.takeError();
  // The reduced module is parsed once, from bytes that stay where they are.
  buffers.push_back(std::move(*gced));
  Expected<wasm::CoreModule> small = wasm::readCoreModule(buffers.back(), 0);
  if (!small)
    return small.takeError();

  // What the adapter takes from main.
  LibraryArgs args;
  auto provide = [&](StringRef module, LibraryItem item) {
    for (auto &[m, items] : args.modules)
      if (m == module) {
        items.push_back(std::move(item));
        return;
      }
    args.modules.push_back({module.str(), {std::move(item)}});
  };
  for (const wasm::ImportEntry &imp : small->imports) {
    if (imp.module == "__main_module__") {
      const wasm::Export *e = main.findExport(imp.field);
      if (!e || e->kind != imp.type.kind)
        return createError("module does not export a " +
                           toString(imp.type.kind) + " named `" + imp.field +
                           "`");
      provide(imp.module, {imp.field.str(), imp.type.kind, "", e->name.str()});
    } else if (imp.module == "env" && imp.field == "memory" &&
               imp.type.kind == ExternType::Kind::Memory) {
      const wasm::Export *e = main.findExport("memory");
      if (!e || e->kind != ExternType::Kind::Memory)
        return createError("module does not export a memory named `memory`");
      provide(imp.module, {imp.field.str(), imp.type.kind, "", e->name.str()});
    }
  }
  modules.push_back(std::move(*small));
  return std::optional<PreparedAdapter>(
      PreparedAdapter{&modules.back(), std::move(args)});
}
