//===- LinkFixups.cpp - The linker's part of the fixup --------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Adds the linker's steps to the fixup module, in wit-component's order so
/// that imports and the start function read the same in both tools.
/// Constructors run in input order, not dependency order: each library's
/// own start section has already run at instantiation, in dependency order.
///
//===----------------------------------------------------------------------===//

#include "wcl/Link/LinkFixups.h"
#include "wcl/Dylink/Names.h"
#include "wcl/Link/EnvModule.h"
#include "wcl/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::dylink;
using wasm::InstrEmitter;

using wasm::encodeInstructions;

Error wcl::addLinkFixups(FixupModule &fixup, const LinkPlan &plan,
                         const Layout &layout) {
  const auto &libs = plan.libraries;
  // The thunk type first, so type numbering matches wit-component's.
  fixup.thunkType();
  fixup.importMainMemoryAndTable();
  auto memoryBase = [&](unsigned lib) {
    return fixup.importGlobal("main", libs[lib].meta().name + ":memory_base",
                              false);
  };
  const wasm::MemArg word{/*alignLog2=*/2, /*offset=*/0, /*memory=*/0};

  // dlsym of a global returns its address: memory_base + the export.
  for (const DlTable::GlobalSlot &slot : layout.dl.globalSlots) {
    uint32_t base = memoryBase(slot.library);
    uint32_t value =
        fixup.importGlobal(libs[slot.library].meta().name, slot.symbol, false);
    fixup.addAbiStep(encodeInstructions([&](InstrEmitter &i) {
      i.i32Const(static_cast<int32_t>(slot.address))
          .globalGet(base)
          .globalGet(value)
          .i32Add()
          .i32Store(word);
    }));
  }

  // GOT.mem: the exporter's memory_base plus the exported offset.
  for (unsigned li = 0; li < libs.size(); ++li) {
    for (StringRef sym : libs[li].meta().memoryAddressImports) {
      std::optional<unsigned> e =
          plan.exporterOf({sym, SymbolType::globalOf(ValueType::I32, false)});
      if (!e)
        return createError("unable to find " + sym + " in any library");
      uint32_t base = memoryBase(*e);
      uint32_t value = fixup.importGlobal(libs[*e].meta().name, sym, false);
      uint32_t got = fixup.importGlobal(
          "main", libs[li].meta().name + ":" + sym.str(), true);
      fixup.addAbiStep(encodeInstructions([&](InstrEmitter &i) {
        i.globalGet(base).globalGet(value).i32Add().globalSet(got);
      }));
    }
  }

  // A libdl built for the older protocol receives the table's address by a
  // call instead of reading __wasm_libdl_libraries; wcl supports both.
  wasm::FuncType i32Param;
  i32Param.params.push_back(wasm::i32Type());
  for (const PlannedLibrary &lib : libs)
    if (lib.meta().exportsSetLibraries) {
      uint32_t f =
          fixup.importFunc(lib.meta().name, names::SetLibraries, i32Param);
      fixup.addAbiStep(encodeInstructions([&](InstrEmitter &i) {
        i.i32Const(static_cast<int32_t>(layout.dl.librariesAddress)).call(f);
      }));
    }

  wasm::FuncType thunk;
  for (const PlannedLibrary &lib : libs)
    if (lib.meta().hasDataRelocs) {
      uint32_t f =
          fixup.importFunc(lib.meta().name, names::ApplyDataRelocs, thunk);
      fixup.addAbiStep(encodeInstructions([&](InstrEmitter &i) { i.call(f); }));
    }
  for (const PlannedLibrary &lib : libs) {
    if (lib.meta().hasCtors)
      fixup.addUserStep(
          fixup.importFunc(lib.meta().name, names::CallCtors, thunk));
    else if (lib.meta().hasInitialize)
      fixup.addUserStep(
          fixup.importFunc(lib.meta().name, names::Initialize, thunk));
  }

  std::vector<uint32_t> dlFuncs;
  for (auto [lib, sym] : layout.dl.functions) {
    const DylibExport *exp = libs[lib].meta().findExport(sym);
    dlFuncs.push_back(fixup.importFunc(libs[lib].meta().name, sym,
                                       toCoreFuncType(exp->key.type.func)));
  }
  std::vector<uint32_t> forwarded;
  for (const EnvExport &e : plan.envExports)
    forwarded.push_back(fixup.importFunc(libs[e.exporter].meta().name, e.name,
                                         toCoreFuncType(e.type)));

  // Each library's TLS info pointer, relocated, into the program's array.
  if (layout.tls.libraryInfo != 0) {
    for (unsigned li = 0; li < libs.size(); ++li) {
      std::optional<uint32_t> slot = layout.tls.slots[li];
      if (!slot)
        continue;
      uint32_t base = memoryBase(li);
      uint32_t info = fixup.importGlobal(libs[li].meta().name,
                                         names::LibraryTlsInfo, false);
      fixup.addAbiStep(encodeInstructions([&](InstrEmitter &i) {
        i.i32Const(static_cast<int32_t>(layout.tls.libraryInfo + *slot * 4))
            .globalGet(base)
            .globalGet(info)
            .i32Add()
            .i32Store(word);
      }));
    }
  }

  fixup.addElements(layout.dl.tableBase, dlFuncs);
  fixup.addElements(layout.indirectionTableBase, forwarded);
  fixup.addData(layout.dl.memoryBase, layout.dl.bytes);
  if (!layout.tls.programInfoBytes.empty())
    fixup.addData(layout.tls.programInfo, layout.tls.programInfoBytes);
  return Error::success();
}
