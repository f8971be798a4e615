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
#include "wcl/Support/Error.h"
#include "wcl/Wasm/CustomSections.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::driver;

bool driver::isLinkedModule(StringRef path, ParsedInputs &parsed,
                            Diagnostics &diags) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> mb = openInput(path);
  if (!mb)
    return false; // wasm-ld reports the missing file
  Expected<ParsedModule> mod =
      ParsedModule::parse(ModuleBytes::fromFile(std::move(*mb)), path, &diags);
  if (!mod) {
    consumeError(mod.takeError()); // not a module we can take; wasm-ld may
    return false;
  }
  // Relocatable objects carry a `linking` section; dylibs `dylink.0`.
  bool linked =
      !mod->module.findCustomSection("linking") && !mod->module.dylink;
  parsed.insert_or_assign(path.str(), std::move(*mod));
  return linked;
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

bool driver::componentizeParsed(const Config &config,
                                const wasm::CoreModule &mod, StringRef path,
                                raw_ostream &stdoutOS, Diagnostics &diags) {
  AdapterSet adapters;
  if (!adapters.read(config, AdapterSet::importsWasi(mod),
                     mod.findExport("_start") != nullptr, diags))
    return false;
  ComponentEncoder encoder(encoderOptionsFrom(config, diags));
  // Parsed once already, here or after wasm-ld; \p mod and its bytes
  // outlive encode().
  encoder.setMainModule(mod);
  for (const AdapterInput &adapter : adapters.inputs())
    encoder.addAdapter(adapter.name, adapter.bytes);
  Expected<std::vector<uint8_t>> component =
      encoder.encode([](FixupModule &) { return Error::success(); });
  if (!component) {
    diags.error(addContext(component.takeError(), path));
    return false;
  }
  if (config.validate &&
      !validateOutput(*component, "component-new encoding", diags))
    return false;
  return writeOutput(config, config.outputFile, toStringRef(*component),
                     stdoutOS, diags);
}
