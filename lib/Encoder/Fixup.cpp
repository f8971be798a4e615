//===- Fixup.cpp - The fixup phase ----------------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The fixup module runs once every module is instantiated: it fills the
/// shim table with the functions the shims stand for (which exist only now),
/// runs the caller's steps (a link's relocations and constructors) and, when
/// main exports `__wasm_task_hook`, wraps every function the component calls
/// into a module in hook(start) ... hook(end).
///
//===----------------------------------------------------------------------===//

#include "Encoding.h"
#include "wcl/Support/Error.h"
#include "wcl/WIT/CanonicalABI.h"
#include "wcl/Wasm/Instructions.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::encoder;
using wasm::ExternType;

namespace {

/// A function of some module wrapped in hook(start) ... hook(end).
struct Wrapper {
  uint32_t target;
  wasm::FuncType type;
  int32_t start, end;
  std::string coreName;
  /// (module index, core export name), for the functions lifts and
  /// canonical options use; none for the shim table's destructors.
  std::optional<std::pair<unsigned, std::string>> key;
};

/// The body of \p w: hook(start), the call, hook(end) (for an async
/// function, AsyncBlock or AsyncFinish by the status it returns).
std::vector<uint8_t> wrapperCode(const Wrapper &w, uint32_t hook) {
  uint32_t status = w.type.params.size(); // a local, for async ends
  return wasm::encodeInstructions([&](wasm::InstrEmitter &e) {
    e.i32Const(w.start).call(hook);
    for (unsigned p = 0; p < w.type.params.size(); ++p)
      e.localGet(p);
    e.call(w.target);
    if (w.end == HookEndFromStatus)
      e.localSet(status)
          .i32Const(HookAsyncBlock)
          .i32Const(HookAsyncFinish)
          .localGet(status)
          .select()
          .call(hook)
          .localGet(status);
    else
      e.i32Const(w.end).call(hook);
    e.end();
  });
}

bool isRealloc(StringRef legacy) {
  return legacy == "cabi_realloc" || legacy == "cabi_import_realloc" ||
         legacy == "cabi_export_realloc" || legacy == "canonical_abi_realloc";
}

} // namespace

/// With a task hook, the fixup wraps every function the component calls into
/// a module: each lifted export (0/1) and its post-return (10/11), module by
/// module in export order; then every realloc a canonical option may use
/// (12/13); then the resource destructors the shim table holds (8/9). Lifts,
/// options and shims use the wrappers, exported as hook0, hook1, ... in
/// wrapper order, the order wit-component aliases them in.
void Encoding::wrapTaskHooks(FixupModule &fixup, uint32_t hook,
                             std::vector<uint32_t> &actualFuncs) {
  std::vector<Wrapper> wrappers;
  auto wrap = [&](unsigned li, const wasm::Export &e, int32_t start,
                  int32_t end) {
    const wasm::CoreModule &mod = *modules[li].mod;
    std::optional<uint32_t> t = mod.getFunctionTypeIndex(e.index);
    const wasm::FuncType *ft = t ? mod.getFuncType(*t) : nullptr;
    if (!ft)
      return;
    uint32_t target = fixup.importFunc(modules[li].name, e.name, *ft);
    wrappers.push_back({target, *ft, start, end, e.name.str(),
                        std::make_pair(li, e.name.str())});
  };
  for (unsigned li = 0; li < modules.size(); ++li) {
    std::optional<wit::WorldId> w = modules[li].world;
    if (!w)
      continue;
    // The legacy names of the world's exported functions.
    StringSet<> lifted;
    for (const auto &[key, item] : resolve.get(*w).exports) {
      if (item.kind == wit::WorldItem::Kind::Function)
        lifted.insert(item.function.name);
      else if (item.kind == wit::WorldItem::Kind::Interface)
        for (const auto &[fname, f] : resolve.get(item.interface).functions)
          lifted.insert(resolve.nameOf(key) + "#" + f.name);
    }
    const CoreNames &names = modules[li].names;
    for (const auto &[legacy, e] : names.orderedExports()) {
      StringRef base = legacy;
      bool callback = base.consume_front("[async-lift]");
      bool stackful = !callback && base.consume_front("[async-lift-stackful]");
      if (e->kind != ExternType::Kind::Func || !lifted.contains(base))
        continue;
      if (callback) {
        // Whether the task finished or waits is in the status code.
        wrap(li, *e, HookAsyncStart, HookEndFromStatus);
        if (const wasm::Export *cb = names.findFunc("[callback]" + legacy))
          wrap(li, *cb, HookAsyncResume, HookEndFromStatus);
      } else if (stackful) {
        wrap(li, *e, HookAsyncStart, HookAsyncFinish);
      } else {
        wrap(li, *e, HookSyncStart, HookSyncFinish);
        if (const wasm::Export *post = names.findFunc("cabi_post_" + legacy))
          wrap(li, *post, HookPostReturnStart, HookPostReturnFinish);
      }
    }
  }
  for (unsigned li = 0; li < modules.size(); ++li)
    for (const auto &[legacy, e] : modules[li].names.orderedExports())
      if (e->kind == ExternType::Kind::Func && isRealloc(legacy))
        wrap(li, *e, HookReallocStart, HookReallocFinish);
  // The shim table's destructors and reallocs are filled with wrappers.
  std::vector<std::optional<unsigned>> fillWrapper(state.shims.size());
  for (unsigned i = 0; i < state.shims.size(); ++i) {
    const Shim &shim = state.shims[i];
    if (shim.kind == Shim::Kind::ResourceDtor) {
      fillWrapper[i] = wrappers.size();
      wrappers.push_back({actualFuncs[i], shim.type, HookDtorStart,
                          HookDtorFinish, "resource-dtor", std::nullopt});
    } else if (shim.kind == Shim::Kind::Realloc) {
      unsigned li = MainIndex;
      for (unsigned l = 1; l < modules.size(); ++l)
        if (modules[l].name == shim.instance)
          li = l;
      for (unsigned wi = 0; wi < wrappers.size(); ++wi)
        if (wrappers[wi].key &&
            *wrappers[wi].key == std::make_pair(li, shim.exportName))
          fillWrapper[i] = wi;
    }
  }
  std::vector<uint32_t> defined;
  for (unsigned wi = 0; wi < wrappers.size(); ++wi) {
    const Wrapper &w = wrappers[wi];
    std::vector<uint8_t> code = wrapperCode(w, hook);
    std::vector<wasm::ValType> locals;
    if (w.end == HookEndFromStatus)
      locals.push_back(wasm::i32Type());
    if (w.key) {
      std::string exportName = "hook" + std::to_string(wi);
      defined.push_back(fixup.addExportedFunction(
          exportName, "hook-" + w.coreName, w.type, code, locals));
      hooked.push_back({*w.key, exportName});
    } else {
      defined.push_back(fixup.addFunction("hook-" + w.coreName, w.type, code));
    }
  }
  for (unsigned i = 0; i < state.shims.size(); ++i)
    if (fillWrapper[i])
      actualFuncs[i] = defined[*fillWrapper[i]];
}

/// The canon lower that fills IndirectLowering shim \p i, with main's memory
/// and the importing module's realloc (or main's).
Expected<uint32_t> Encoding::indirectLowering(unsigned i) {
  const Shim &shim = state.shims[i];
  wit::FunctionAbi abi = wit::functionAbi(
      resolve, *shim.function,
      shim.async ? wit::AbiVariant::LowerAsync : wit::AbiVariant::Lower);
  uint32_t func = state.importedFunc(shim.importedInstance, shim.function->name,
                                     "shim|" + std::to_string(i));
  std::vector<component::CanonicalOption> opts;
  if (abi.options.memory && !haveMemory)
    return createError("failed to lower " + shim.exportName +
                       ": module does not export a memory named "
                       "`memory`");
  if (abi.options.memory)
    opts.push_back(memoryOption());
  if (abi.options.realloc) {
    // The library's own import realloc, else main's.
    uint32_t lib = state.instances.lookup(shim.instance);
    const CoreNames *names = nullptr;
    for (const ModuleInfo &m : modules)
      if (m.name == shim.instance)
        names = &m.names;
    const wasm::Export *own = nullptr;
    if (names && !(own = names->findFunc("cabi_import_realloc")))
      own = names->findFunc("cabi_realloc");
    uint32_t realloc =
        shim.reallocShim
            ? state.aliasCore(*state.shimInstance,
                              std::to_string(*shim.reallocShim),
                              ExternType::Kind::Func,
                              state.shims[*shim.reallocShim].debugName)
        : own ? state.aliasCore(lib, own->name, ExternType::Kind::Func)
              : state.aliasCore(mainInstance, mainRealloc,
                                ExternType::Kind::Func);
    opts.push_back(component::CanonicalOption::realloc(realloc));
  }
  if (abi.options.stringEncoding)
    opts.push_back(component::CanonicalOption::utf8());
  if (shim.async)
    opts.push_back(component::CanonicalOption::async());
  return builder.canonLower(func, opts, state.name(shim.debugName));
}

/// The function that fills shim \p i, now that everything exists.
Expected<uint32_t> Encoding::shimTarget(unsigned i) {
  const Shim &shim = state.shims[i];
  switch (shim.kind) {
  case Shim::Kind::AdapterExport: {
    auto it = state.instances.find(shim.instance);
    if (it == state.instances.end())
      return createError("internal error: no instance " + shim.instance);
    return state.aliasCore(it->second, shim.exportName, ExternType::Kind::Func);
  }
  case Shim::Kind::Realloc:
  case Shim::Kind::ResourceDtor: {
    uint32_t inst = state.instances.lookup(shim.instance);
    return state.aliasCore(inst, shim.exportName, ExternType::Kind::Func);
  }
  case Shim::Kind::IndirectLowering:
    return indirectLowering(i);
  case Shim::Kind::Builtin: {
    const BuiltinSpec &spec = *shim.builtin;
    if (!haveMemory)
      return createError("failed to lower " + shim.exportName +
                         ": module does not export a memory named "
                         "`memory`");
    uint32_t memory = memoryOption().index;
    std::optional<uint32_t> realloc;
    if (shim.reallocShim) {
      realloc = state.aliasCore(
          *state.shimInstance, std::to_string(*shim.reallocShim),
          ExternType::Kind::Func, state.shims[*shim.reallocShim].debugName);
    } else if (spec.realloc) {
      // (For task.return the alias, named `realloc`, goes unused, as in
      // wit-component.)
      bool taskReturn = spec.op == BuiltinSpec::Op::TaskReturn;
      uint32_t r =
          state.aliasCore(state.instances.lookup(spec.realloc->module),
                          spec.realloc->exportName, ExternType::Kind::Func,
                          taskReturn ? "realloc" : "");
      if (!taskReturn)
        realloc = r;
    }
    return state.builtin(spec, memory, realloc);
  }
  case Shim::Kind::ThreadNewIndirect: {
    // A new thread starts at a `(func (param i32))` in the main table.
    wasm::FuncType start;
    start.params.push_back(wasm::i32Type());
    uint32_t type = builder.coreFuncType(start, state.name("thread-start"));
    uint32_t table =
        state.aliasCore(mainInstance, "__indirect_function_table",
                        ExternType::Kind::Table, "indirect-function-table");
    return builder.threadNewIndirect(type, table);
  }
  }
  return createError("internal error: unknown shim kind");
}

/// Shim targets are imported first ("actual" i), then the caller's steps,
/// then the shim table, filled from the actual functions.
Error Encoding::encodeFixup() {
  FixupModule fixup;
  // What fills each shim: its "actual" import, or (with task hooks) a
  // wrapper.
  std::vector<uint32_t> actualFuncs, shimGlobals;
  for (unsigned i = 0; i < state.shims.size(); ++i) {
    actualFuncs.push_back(
        fixup.importFunc("actual", std::to_string(i), state.shims[i].type));
    if (options.returnCallRef)
      shimGlobals.push_back(
          fixup.importFuncRefGlobal("shim", "g" + std::to_string(i),
                                    fixup.internType(state.shims[i].type)));
  }
  const ModuleInfo &main = modules[MainIndex];
  // A main module's _initialize runs once everything is instantiated
  // (the `component new` path; the env module of a link has none).
  if (const wasm::Export *init = main.names.findFunc("_initialize"))
    fixup.addUserStep(fixup.importFunc("main", init->name, wasm::FuncType()));
  if (Error e = fixupHook(fixup))
    return e;
  // A task hook exported by main (for links, re-exported by env) brackets
  // initialization: hook(6) before constructors, hook(7) after.
  if (const wasm::Export *hook = main.mod->findExport("__wasm_task_hook")) {
    std::optional<uint32_t> type =
        hook->kind == ExternType::Kind::Func
            ? main.mod->getFunctionTypeIndex(hook->index)
            : std::nullopt;
    const wasm::FuncType *ft = type ? main.mod->getFuncType(*type) : nullptr;
    if (ft && ft->params.size() == 1 && ft->results.empty() &&
        wasm::isSameValType(ft->params[0], wasm::i32Type()))
      fixup.setTaskHook(fixup.importFunc("main", "__wasm_task_hook", *ft));
  }
  if (std::optional<uint32_t> hook = fixup.getTaskHook())
    wrapTaskHooks(fixup, *hook, actualFuncs);
  // In return_call_ref mode the start function first points each shim's
  // global at what fills it.
  if (options.returnCallRef) {
    std::vector<uint8_t> code;
    for (unsigned i = 0; i < state.shims.size(); ++i) {
      std::vector<uint8_t> step =
          wasm::encodeInstructions([&](wasm::InstrEmitter &e) {
            e.refFunc(actualFuncs[i]).globalSet(shimGlobals[i]);
          });
      llvm::append_range(code, step);
    }
    fixup.prependAbiStep(code);
  }
  if (!state.shims.empty()) {
    if (options.returnCallRef) {
      fixup.addDeclaredElements(actualFuncs);
    } else {
      uint32_t table =
          fixup.importTable("shim", "$imports", state.shims.size());
      fixup.addElementsToTable(table, 0, actualFuncs);
    }
  }
  if (fixup.empty())
    return Error::success();
  buffers.push_back(fixup.finish());
  uint32_t fixupModule =
      builder.coreModule(buffers.back(), state.name("wit-component-fixup"));
  return instantiateFixup(fixup, fixupModule);
}

/// The "actual" instance of the shims' targets, then the fixup instance;
/// the task-hook wrappers it exports are aliased for the lifts.
Error Encoding::instantiateFixup(FixupModule &fixup, uint32_t fixupModule) {
  std::vector<component::CoreExportItem> actual;
  std::vector<std::string> actualNames;
  actualNames.reserve(state.shims.size());
  for (unsigned i = 0; i < state.shims.size(); ++i) {
    Expected<uint32_t> f = shimTarget(i);
    if (!f)
      return f.takeError();
    actualNames.push_back(std::to_string(i));
    actual.push_back({actualNames.back(), ExternType::Kind::Func, *f});
  }
  if (!state.shims.empty())
    state.instances["actual"] =
        builder.coreInstanceFromExports(actual, state.name("actual"));
  if (state.shimInstance)
    state.instances["shim"] = *state.shimInstance;

  std::vector<std::pair<StringRef, uint32_t>> args;
  for (const std::string &inst : fixup.instanceArgs()) {
    auto it = state.instances.find(inst);
    if (it == state.instances.end())
      return createError("internal error: the fixup module imports from "
                         "unknown instance " +
                         inst);
    args.push_back({inst, it->second});
  }
  uint32_t fixupInstance =
      builder.coreInstantiate(fixupModule, args, state.name("fixup"));
  for (auto &[key, exportName] : hooked)
    hookFuncs[key] =
        state.aliasCore(fixupInstance, exportName, ExternType::Kind::Func);
  return Error::success();
}
