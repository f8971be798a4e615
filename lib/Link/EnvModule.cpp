//===- EnvModule.cpp - The synthesized env module -------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Writes the env module. Its shape follows wit-component's so the linked
/// component matches `wasm-tools component link` item for item: every
/// function, imported or defined, gets a type of its own (type index ==
/// function index, which is what each forwarding `call_indirect` names), and
/// exports come in the order cabi_realloc, globals, forwarding functions,
/// TLS accessors, adapter re-exports, _start, table, memory.
///
//===----------------------------------------------------------------------===//

#include "wcl/Link/EnvModule.h"
#include "wcl/Dylink/Names.h"
#include "wcl/Encoder/Metadata.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Config/llvm-config.h"
#include <map>
#include <tuple>

using namespace llvm;
using namespace wcl;
using namespace wcl::dylink;
using wasm::CoreModuleBuilder;
using wasm::ExternType;
using wasm::InstrEmitter;

static wasm::ValType coreValType(ValueType t) {
  switch (t) {
  case ValueType::I32:
    return wasm::i32Type();
  case ValueType::I64:
    return wasm::i64Type();
  case ValueType::F32:
    return wasm::f32Type();
  case ValueType::F64:
    return wasm::f64Type();
  }
  return wasm::i32Type();
}

wasm::FuncType wcl::toCoreFuncType(const FunctionType &type) {
  wasm::FuncType ft;
  for (ValueType p : type.params)
    ft.params.push_back(coreValType(p));
  for (ValueType r : type.results)
    ft.results.push_back(coreValType(r));
  return ft;
}

namespace {

/// Adds function types one per function, never shared, so that a function's
/// type index equals its function index.
class EnvBuilder {
public:
  uint32_t newType(const wasm::FuncType &ft) {
    wasm::RecGroup group;
    wasm::SubType sub;
    sub.composite.func = ft;
    group.types.push_back(std::move(sub));
    return module.addRecGroup(group);
  }
  uint32_t importFunc(StringRef moduleName, StringRef field,
                      const wasm::FuncType &ft) {
    return module.importFunc(moduleName, field, newType(ft));
  }
  uint32_t defineFunc(const wasm::FuncType &ft, ArrayRef<wasm::ValType> locals,
                      ArrayRef<uint8_t> code) {
    return module.addFunction(newType(ft), locals, code);
  }

  CoreModuleBuilder module;
};

/// A function body: \p emit's instructions and the final `end`.
template <typename Fn> std::vector<uint8_t> body(Fn emit) {
  return wasm::encodeInstructions([&](InstrEmitter &e) {
    emit(e);
    e.end();
  });
}

} // namespace

/// TLS base accessors, one pair per library that imports them. A library
/// without TLS of its own gets trapping ones: nothing should call them.
/// With \p contextGet1 (threads), each thread's bases are found through
/// its context slot 1.
static void addTlsAccessors(EnvBuilder &b, const LinkPlan &plan,
                            const Layout &layout,
                            std::optional<uint32_t> contextGet1) {
  const auto &libs = plan.libraries;
  wasm::FuncType i32Result;
  i32Result.results.push_back(wasm::i32Type());
  wasm::FuncType i32Param;
  i32Param.params.push_back(wasm::i32Type());
  for (unsigned li = 0; li < libs.size(); ++li) {
    const DylibMetadata &m = libs[li].meta();
    std::string getName = m.name + ":" + names::GetTlsBase.str();
    std::string setName = m.name + ":" + names::SetTlsBase.str();
    std::optional<uint32_t> slot = layout.tls.slots[li];
    if (!slot) {
      auto trap = body([](InstrEmitter &ins) { ins.unreachable(); });
      if (m.needsGetTlsBase)
        b.module.addExport(getName, ExternType::Kind::Func,
                           b.defineFunc(i32Result, {}, trap));
      if (m.needsSetTlsBase)
        b.module.addExport(setName, ExternType::Kind::Func,
                           b.defineFunc(i32Param, {}, trap));
      continue;
    }
    wasm::MemArg arg{/*alignLog2=*/2, /*offset=*/uint64_t(*slot) * 4, 0};
    int32_t mainBase = static_cast<int32_t>(layout.tls.mainThreadTlsBase);
    if (m.needsGetTlsBase) {
      auto code = body([&](InstrEmitter &ins) {
        if (contextGet1)
          ins.call(*contextGet1);
        else
          ins.i32Const(mainBase);
        ins.i32Load(arg);
      });
      b.module.addExport(getName, ExternType::Kind::Func,
                         b.defineFunc(i32Result, {}, code));
    }
    if (m.needsSetTlsBase) {
      std::vector<wasm::ValType> locals;
      if (contextGet1)
        locals.push_back(wasm::i32Type());
      auto code = body([&](InstrEmitter &ins) {
        if (contextGet1) {
          // The main thread has no context value yet: its base lives in
          // the main-thread array; other threads store through theirs.
          ins.call(*contextGet1).localTee(1).i32Eqz().if_();
          ins.i32Const(mainBase).localGet(0).i32Store(arg);
          ins.else_().localGet(1).localGet(0).i32Store(arg).end();
        } else {
          ins.i32Const(mainBase).localGet(0).i32Store(arg);
        }
      });
      b.module.addExport(setName, ExternType::Kind::Func,
                         b.defineFunc(i32Param, locals, code));
    }
  }
}

std::vector<uint8_t> wcl::buildEnvModule(const LinkPlan &plan,
                                         const Layout &layout) {
  EnvBuilder b;
  const auto &libs = plan.libraries;
  wasm::FuncType thunk;
  wasm::FuncType i32Result;
  i32Result.results.push_back(wasm::i32Type());

  // Adapter imports are passed through (deduplicated across libraries) and
  // re-exported as "module:name" for libraries to import.
  struct Reexport {
    std::string name;
    ExternType::Kind kind;
    uint32_t index;
  };
  std::vector<Reexport> reexports;
  std::map<std::tuple<StringRef, StringRef, SymbolType, uint32_t>, bool>
      seenImports;
  std::optional<uint32_t> wasiStart;
  for (const PlannedLibrary &lib : libs) {
    for (const AdapterImport &imp : lib.meta().adapterImports) {
      if (imp.type.kind == SymbolType::Kind::Tag)
        continue;
      if (!seenImports
               .try_emplace({imp.module, imp.name, imp.type, imp.flags}, true)
               .second)
        continue;
      std::string name = (imp.module + ":" + imp.name).str();
      if (imp.type.kind == SymbolType::Kind::Function) {
        uint32_t f =
            b.importFunc(imp.module, imp.name, toCoreFuncType(imp.type.func));
        reexports.push_back({name, ExternType::Kind::Func, f});
      } else {
        wasm::GlobalType gt;
        gt.type = coreValType(imp.type.global.type);
        gt.mutable_ = imp.type.global.isMutable;
        uint32_t g = b.module.importGlobal(imp.module, imp.name, gt);
        reexports.push_back({name, ExternType::Kind::Global, g});
      }
    }
    if (lib.meta().hasWasiStart && !wasiStart)
      wasiStart = b.importFunc(lib.meta().name, names::Start, thunk);
  }

  // The main realloc: imported straight from the first library exporting
  // one, unless env already forwards cabi_realloc through the table.
  if (plan.resolution.cabiReallocExporter && !plan.reexportCabiRealloc) {
    wasm::FuncType realloc;
    realloc.params.assign(4, wasm::i32Type());
    realloc.results.push_back(wasm::i32Type());
    uint32_t f =
        b.importFunc(libs[*plan.resolution.cabiReallocExporter].meta().name,
                     names::CabiRealloc, realloc);
    b.module.addExport(names::CabiRealloc, ExternType::Kind::Func, f);
  }

  // Per-thread TLS bases live in context slot 1 when a library may spawn
  // threads.
  bool needsTlsAccessors = any_of(libs, [](const PlannedLibrary &l) {
    return l.meta().needsGetTlsBase || l.meta().needsSetTlsBase;
  });
  bool usesThreads = any_of(libs, [](const PlannedLibrary &l) {
    return l.meta().usesThreadNewIndirect;
  });
  std::optional<uint32_t> contextGet1;
  if (needsTlsAccessors && usesThreads)
    contextGet1 = b.importFunc(names::Root, names::ContextGet1, i32Result);

  for (const EnvGlobal &g : layout.globals) {
    wasm::GlobalType gt;
    gt.type = wasm::i32Type();
    gt.mutable_ = g.isMutable;
    uint32_t index = b.module.addGlobal(
        gt, wasm::InitExpr::i32Const(static_cast<int32_t>(g.value)));
    b.module.addExport(g.name, ExternType::Kind::Global, index);
  }

  // Forwarders: push the arguments, then call through the shared table at
  // the export's slot with the forwarder's own type.
  for (unsigned i = 0; i < plan.envExports.size(); ++i) {
    const EnvExport &e = plan.envExports[i];
    wasm::FuncType ft = toCoreFuncType(e.type);
    uint32_t expectedIndex = b.module.numFuncs();
    std::vector<uint8_t> code = body([&](InstrEmitter &ins) {
      for (unsigned p = 0; p < ft.params.size(); ++p)
        ins.localGet(p);
      ins.i32Const(static_cast<int32_t>(layout.indirectionTableBase + i));
      ins.callIndirect(/*type=*/expectedIndex, /*table=*/0);
    });
    uint32_t f = b.defineFunc(ft, {}, code);
    b.module.addExport(e.name, ExternType::Kind::Func, f);
  }

  addTlsAccessors(b, plan, layout, contextGet1);

  for (const Reexport &r : reexports)
    b.module.addExport(r.name, r.kind, r.index);
  if (wasiStart)
    b.module.addExport(names::Start, ExternType::Kind::Func, *wasiStart);

  wasm::TableType table;
  table.elemType = wasm::funcRef();
  table.limits.min = layout.tableSize;
  b.module.addExport(names::IndirectFunctionTable, ExternType::Kind::Table,
                     b.module.addTable(table));
  wasm::MemoryType memory;
  memory.limits.min = layout.memoryPages;
  b.module.addExport(names::Memory, ExternType::Kind::Memory,
                     b.module.addMemory(memory));

  wasm::ProducersBuilder producers;
  addProcessedByWcl(producers);
  SmallVector<char, 64> payload;
  raw_svector_ostream pos(payload);
  producers.writePayload(pos);
  b.module.addCustomSection(
      "producers",
      ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(payload.data()),
                        payload.size()));
  return b.module.finish();
}
