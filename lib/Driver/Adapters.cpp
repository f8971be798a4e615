//===- Adapters.cpp - The adapters a component gets -----------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Every path that makes a component takes its adapters from here: the
/// `--adapt [NAME=]FILE` files, and the WASI preview1 adapter embedded at
/// build time, which wasm-component-ld adds for modules built against WASI
/// preview1 (`wasi_snapshot_preview1` imports). wcl offers it on every path
/// — objects, a single module, dynamic libraries — unless
/// `--wasi-adapter=none` or an `--adapt` adapter takes that name.
///
//===----------------------------------------------------------------------===//

#include "ComponentDriver.h"
#include "WasiAdapters.h"
#include "wcl/Support/Error.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::driver;

static constexpr StringLiteral WasiModule = "wasi_snapshot_preview1";

bool AdapterSet::offersWasi(const Config &config) {
  if (config.wasiAdapter == "none")
    return false;
  for (const NamedInput &adapter : config.adapters)
    if (adapter.name == WasiModule)
      return false;
  return true;
}

std::vector<std::string> AdapterSet::names(const Config &config) {
  std::vector<std::string> out;
  if (offersWasi(config))
    out.push_back(WasiModule.str());
  for (const NamedInput &adapter : config.adapters)
    out.push_back(adapter.name);
  return out;
}

bool AdapterSet::importsWasi(const wasm::CoreModule &mod) {
  for (const wasm::ImportEntry &imp : mod.imports)
    if (imp.module == WasiModule)
      return true;
  return false;
}

/// The built-in adapter \p config selects: --wasi-adapter's choice (command,
/// reactor or a file), by default the command adapter for a program (one
/// that exports `_start`) and the reactor otherwise, as wasm-component-ld
/// chooses.
bool AdapterSet::addWasi(const Config &config, bool exportsStart,
                         Diagnostics &diags) {
  StringRef choice = config.wasiAdapter;
  if (choice.empty())
    choice = exportsStart ? "command" : "reactor";
  if (choice == "command" || choice == "reactor") {
    bool command = choice == "command";
    ArrayRef<uint8_t> bytes(
        command ? wclWasiCommandAdapter : wclWasiReactorAdapter,
        command ? wclWasiCommandAdapterSize : wclWasiReactorAdapterSize);
    if (bytes.empty()) {
      diags.error("this wcl was built without the WASI " + choice +
                  " adapter (utils/setup provides it through jco); pass "
                  "--wasi-adapter=PATH or --adapt " +
                  WasiModule + "=PATH");
      return false;
    }
    list.push_back({WasiModule.str(), bytes});
    return true;
  }
  if (choice == "proxy") {
    diags.error("--wasi-adapter=proxy: wcl does not embed the proxy adapter; "
                "pass its file as --wasi-adapter=PATH");
    return false;
  }
  return addFile(WasiModule, choice, "--wasi-adapter", diags);
}

bool AdapterSet::addFile(StringRef name, StringRef path, StringRef option,
                         Diagnostics &diags) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> mb =
      MemoryBuffer::getFile(path, /*IsText=*/false,
                            /*RequiresNullTerminator=*/false);
  if (!mb) {
    diags.error(option + ": cannot open " + path + ": " +
                mb.getError().message());
    return false;
  }
  list.push_back(
      {name.str(), ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(
                                         (*mb)->getBufferStart()),
                                     (*mb)->getBufferSize())});
  buffers.push_back(std::move(*mb));
  return true;
}

bool AdapterSet::read(const Config &config, bool importsWasi, bool exportsStart,
                      Diagnostics &diags) {
  // The WASI adapter first, under the module name it adapts; then the
  // --adapt adapters in command-line order. A --wasi-adapter given
  // explicitly is added even without imports: the encoder drops an
  // adapter nothing uses.
  if (offersWasi(config) && (importsWasi || !config.wasiAdapter.empty()))
    if (!addWasi(config, exportsStart, diags))
      return false;
  for (const NamedInput &adapter : config.adapters)
    if (!addFile(adapter.name, adapter.path, "--adapt", diags))
      return false;
  return true;
}
