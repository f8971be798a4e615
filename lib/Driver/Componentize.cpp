//===- Componentize.cpp - `component new` on one linked module ------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The path that turns one linked core module into a component, as
/// `wasm-tools component new` does: given directly on the command line, or
/// made by wasm-ld in WasmLd.cpp. It lives apart from the option handling
/// because it owns the adapters: --adapt files, the WASI preview1 adapter
/// wasm-component-ld adds for modules it linked, and the producers entries
/// the bindgen tools recorded in the module's WIT metadata.
///
//===----------------------------------------------------------------------===//

#include "ComponentDriver.h"
#include "WasiAdapters.h"
#include "wcl/Component/ComponentReader.h"
#include "wcl/Support/Error.h"
#include "wcl/Wasm/CustomSections.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::driver;

std::optional<bool> driver::componentizeModule(const Config &config,
                                               StringRef path,
                                               ParsedInputs &parsedInputs,
                                               Diagnostics &diags) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> mb =
      MemoryBuffer::getFile(path, /*IsText=*/false,
                            /*RequiresNullTerminator=*/false);
  if (!mb)
    return std::nullopt;
  Expected<ParsedModule> parsed =
      ParsedModule::parse(ModuleBytes::fromFile(std::move(*mb)), path, &diags);
  if (!parsed) {
    consumeError(parsed.takeError()); // not a module we can take; wasm-ld may
    return std::nullopt;
  }
  // Relocatable objects carry a `linking` section; dylibs `dylink.0`.
  const wasm::CoreModule &mod = parsed->module;
  if (mod.findCustomSection("linking") || mod.dylink) {
    parsedInputs.insert_or_assign(path.str(), std::move(*parsed));
    return std::nullopt;
  }
  return componentizeParsed(config, mod, path,
                            /*builtInWasiAdapter=*/false, diags);
}

EncoderOptions driver::encoderOptionsFrom(const Config &config,
                                          Diagnostics &diags) {
  EncoderOptions options;
  // --verbose traces the encoder's phases as lld traces its own.
  if (diags.verbose)
    options.log = [&diags](const Twine &msg) { diags.log(msg); };
  options.debugNames = config.debugNames;
  options.returnCallRef = config.returnCallRef;
  options.rejectLegacyNames = config.rejectLegacyNames;
  options.reallocViaMemoryGrow = config.reallocViaMemoryGrow;
  options.importNames = config.importName;
  options.mergeImportsBySemver = config.mergeImportsBasedOnSemver;
  return options;
}

bool driver::readAdapters(const Config &config, Diagnostics &diags,
                          std::vector<std::unique_ptr<MemoryBuffer>> &buffers,
                          std::vector<AdapterInput> &adapters) {
  for (const NamedInput &adapter : config.adapters) {
    ErrorOr<std::unique_ptr<MemoryBuffer>> mb =
        MemoryBuffer::getFile(adapter.path, /*IsText=*/false,
                              /*RequiresNullTerminator=*/false);
    if (!mb) {
      diags.error("cannot open " + adapter.path + ": " +
                  mb.getError().message());
      return false;
    }
    adapters.push_back(
        {adapter.name, ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(
                                             (*mb)->getBufferStart()),
                                         (*mb)->getBufferSize())});
    buffers.push_back(std::move(*mb));
  }
  return true;
}

/// The WASI preview1 adapter for a module wasm-ld linked: --wasi-adapter's
/// choice (command, reactor, none or a file), by default the command adapter
/// when the module exports `_start` and the reactor otherwise, as
/// wasm-component-ld chooses. Empty for none. \p storage keeps a file's
/// bytes alive.
static Expected<ArrayRef<uint8_t>>
wasiAdapterFor(const Config &config, const wasm::CoreModule &mod,
               std::unique_ptr<MemoryBuffer> &storage) {
  StringRef choice = config.wasiAdapter;
  if (choice.empty())
    choice = mod.findExport("_start") ? "command" : "reactor";
  if (choice == "none")
    return ArrayRef<uint8_t>();
  if (choice == "command" || choice == "reactor") {
    bool command = choice == "command";
    ArrayRef<uint8_t> bytes(
        command ? wclWasiCommandAdapter : wclWasiReactorAdapter,
        command ? wclWasiCommandAdapterSize : wclWasiReactorAdapterSize);
    if (bytes.empty())
      return createError("this wcl was built without the WASI " + choice +
                         " adapter (utils/setup provides it through jco); "
                         "pass --wasi-adapter=PATH or --wasi-adapter=none");
    return bytes;
  }
  if (choice == "proxy")
    return createError("--wasi-adapter=proxy: wcl does not embed the proxy "
                       "adapter; pass its file as --wasi-adapter=PATH");
  ErrorOr<std::unique_ptr<MemoryBuffer>> mb =
      MemoryBuffer::getFile(choice, /*IsText=*/false,
                            /*RequiresNullTerminator=*/false);
  if (!mb)
    return createError("--wasi-adapter: cannot open " + choice + ": " +
                       mb.getError().message());
  storage = std::move(*mb);
  return ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(storage->getBufferStart()),
      storage->getBufferSize());
}

bool driver::componentizeParsed(const Config &config,
                                const wasm::CoreModule &mod, StringRef path,
                                bool builtInWasiAdapter, Diagnostics &diags) {
  // The built-in WASI adapter (for modules wasm-ld linked here) comes first,
  // under the module name it adapts; then `--adapt [NAME=]FILE` adapters.
  std::unique_ptr<MemoryBuffer> wasiStorage;
  ArrayRef<uint8_t> wasiAdapter;
  if (builtInWasiAdapter) {
    Expected<ArrayRef<uint8_t>> a = wasiAdapterFor(config, mod, wasiStorage);
    if (!a) {
      diags.error(a.takeError());
      return false;
    }
    wasiAdapter = *a;
  }
  std::vector<std::unique_ptr<MemoryBuffer>> adapterBuffers;
  std::vector<AdapterInput> adapters;
  if (!readAdapters(config, diags, adapterBuffers, adapters))
    return false;
  ComponentEncoder encoder(encoderOptionsFrom(config, diags));
  // Parsed once already, here or after wasm-ld; \p mod and its bytes
  // outlive encode().
  encoder.setMainModule(mod);
  if (!wasiAdapter.empty())
    encoder.addAdapter("wasi_snapshot_preview1", wasiAdapter);
  for (const AdapterInput &adapter : adapters)
    encoder.addAdapter(adapter.name, adapter.bytes);
  Expected<std::vector<uint8_t>> component =
      encoder.encode([](FixupModule &) { return Error::success(); });
  if (!component) {
    diags.error(addContext(component.takeError(), path));
    return false;
  }
  return writeFile(config.outputFile,
                   StringRef(reinterpret_cast<const char *>(component->data()),
                             component->size()),
                   diags);
}
