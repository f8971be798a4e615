//===- LinkComponent.cpp - A planned link to a component ------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Wires each library's imports. An env function comes straight from its
/// exporter when that library is already instantiated; otherwise (a cycle,
/// or a library calling its own export through env) from the env module's
/// forwarder, which reaches the function through the shared table once the
/// fixup has filled it.
///
//===----------------------------------------------------------------------===//

#include "wcl/Link/LinkComponent.h"
#include "wcl/Dylink/Names.h"
#include "wcl/Link/EnvModule.h"
#include "wcl/Link/LinkFixups.h"
#include "wcl/Support/Error.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::dylink;
using Kind = wasm::ExternType::Kind;

LibraryArgs wcl::libraryArgs(const LinkPlan &plan, unsigned li,
                             ArrayRef<bool> instantiated) {
  const DylibMetadata &m = plan.libraries[li].meta();
  const std::string &lib = m.name;
  auto fromMain = [](StringRef alias, Kind kind, StringRef exportName) {
    return LibraryItem{alias.str(), kind, "", exportName.str()};
  };

  std::vector<LibraryItem> env = {
      fromMain(names::Memory, Kind::Memory, names::Memory),
      fromMain(names::IndirectFunctionTable, Kind::Table,
               names::IndirectFunctionTable),
      fromMain(names::StackPointer, Kind::Global, names::StackPointer),
      fromMain(names::InitStackPointer, Kind::Global, names::InitStackPointer),
      fromMain(names::MemoryBase, Kind::Global, lib + ":memory_base"),
      fromMain(names::TableBase, Kind::Global, lib + ":table_base"),
  };
  if (m.needsGetTlsBase)
    env.push_back(fromMain(names::GetTlsBase, Kind::Func,
                           lib + ":" + names::GetTlsBase.str()));
  if (m.needsSetTlsBase)
    env.push_back(fromMain(names::SetTlsBase, Kind::Func,
                           lib + ":" + names::SetTlsBase.str()));
  for (const EnvImport &imp : m.envImports) {
    std::optional<unsigned> e =
        plan.exporterOf({imp.name, SymbolType::function(imp.type)});
    if (e && *e != li && instantiated[*e])
      env.push_back({imp.name.str(), Kind::Func, plan.libraries[*e].meta().name,
                     imp.name.str()});
    else
      env.push_back(fromMain(imp.name, Kind::Func, imp.name));
  }
  for (const TagImport &tag : m.tagImports) {
    std::optional<unsigned> e =
        plan.exporterOf({tag.name, SymbolType::tag(tag.type)});
    // Tags cannot be forwarded; a tag from a library instantiated later is
    // reported by linkComponent before this is used.
    if (e)
      env.push_back({tag.name.str(), Kind::Tag, plan.libraries[*e].meta().name,
                     tag.name.str()});
  }
  if (m.isAsyncified) {
    env.push_back(
        fromMain(names::AsyncifyState, Kind::Global, names::AsyncifyState));
    env.push_back(
        fromMain(names::AsyncifyData, Kind::Global, names::AsyncifyData));
  }

  std::vector<LibraryItem> gotMem;
  for (StringRef sym : m.memoryAddressImports)
    gotMem.push_back(fromMain(sym, Kind::Global, lib + ":" + sym.str()));
  for (StringRef special :
       {names::HeapBase, names::HeapEnd, names::StackHigh, names::StackLow,
        names::LibdlLibraries, names::ProgramTlsInfo})
    gotMem.push_back(fromMain(special, Kind::Global, special));

  std::vector<LibraryItem> gotFunc;
  for (StringRef sym : m.tableAddressImports)
    gotFunc.push_back(fromMain(sym, Kind::Global, lib + ":" + sym.str()));

  LibraryArgs args;
  args.modules.push_back({names::Env.str(), std::move(env)});
  args.modules.push_back({names::GotMem.str(), std::move(gotMem)});
  args.modules.push_back({names::GotFunc.str(), std::move(gotFunc)});

  // Adapter imports pass through env, re-exported as "module:field".
  std::map<std::string, std::vector<LibraryItem>> adapters;
  for (const AdapterImport &imp : m.adapterImports)
    adapters[imp.module.str()].push_back(fromMain(
        imp.name,
        imp.type.kind == SymbolType::Kind::Global ? Kind::Global : Kind::Func,
        (imp.module + ":" + imp.name).str()));
  for (auto &[module, items] : adapters)
    args.modules.push_back({module, std::move(items)});
  return args;
}

Expected<std::vector<uint8_t>>
wcl::linkComponent(const LinkPlan &plan, const Layout &layout,
                   const EncoderOptions &options,
                   ArrayRef<AdapterInput> adapters) {
  ComponentEncoder encoder(options);
  encoder.setMainModule(buildEnvModule(plan, layout));
  for (const AdapterInput &adapter : adapters)
    encoder.addAdapter(adapter.name, adapter.bytes);

  SmallVector<bool, 16> instantiated(plan.libraries.size(), false);
  for (unsigned li : plan.topoOrder) {
    const PlannedLibrary &lib = plan.libraries[li];
    for (const TagImport &tag : lib.meta().tagImports) {
      std::optional<unsigned> e =
          plan.exporterOf({tag.name, SymbolType::tag(tag.type)});
      if (e && !instantiated[*e])
        return createError(
            lib.meta().name +
            ": circular dependency prevents direct tag "
            "import of " +
            tag.name + " from " + plan.libraries[*e].meta().name +
            " (tags cannot be forwarded through env; break the cycle)");
    }
    LibraryArgs args = libraryArgs(plan, li, instantiated);
    // The library was parsed once, when the link read it; the plan keeps
    // it (and its bytes) alive until encode() returns.
    encoder.addLibrary(lib.meta().name, lib.input->module(), std::move(args));
    instantiated[li] = true;
  }
  return encoder.encode(
      [&](FixupModule &fixup) { return addLinkFixups(fixup, plan, layout); });
}
