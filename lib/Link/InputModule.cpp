//===- InputModule.cpp - An input of a link, parsed once ------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The one place a link parses its inputs, so the --verbose trace shows
/// one `parse` line per input however often the linker restarts.
///
//===----------------------------------------------------------------------===//

#include "wcl/Link/InputModule.h"
#include "wcl/Support/Diagnostics.h"
#include "wcl/Support/Error.h"
#include "wcl/Wasm/BinaryReader.h"

using namespace llvm;
using namespace wcl;

ModuleBytes ModuleBytes::fromFile(std::unique_ptr<MemoryBuffer> file) {
  ModuleBytes bytes;
  bytes.data = ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(file->getBufferStart()),
      file->getBufferSize());
  bytes.file = std::move(file);
  return bytes;
}

ModuleBytes ModuleBytes::fromVector(std::vector<uint8_t> vector) {
  ModuleBytes bytes;
  bytes.vector = std::move(vector);
  bytes.data = bytes.vector;
  return bytes;
}

ModuleBytes ModuleBytes::fromStatic(ArrayRef<uint8_t> data) {
  ModuleBytes bytes;
  bytes.data = data;
  return bytes;
}

Expected<ParsedModule> ParsedModule::parse(ModuleBytes bytes, StringRef what,
                                           Diagnostics *diags) {
  if (diags)
    diags->log("parse " + what);
  Expected<wasm::CoreModule> mod = wasm::readCoreModule(bytes.data, 0);
  if (!mod)
    return mod.takeError();
  return ParsedModule{std::move(bytes), std::move(*mod)};
}

Expected<std::shared_ptr<const InputModule>>
InputModule::create(std::string name, ParsedModule parsed, bool dlOpenable,
                    ArrayRef<std::string> adapterNames, bool requireDylink) {
  auto input = std::make_shared<InputModule>();
  input->name = std::move(name);
  input->dlOpenable = dlOpenable;
  input->parsed = std::move(parsed);
  SmallVector<StringRef, 4> adapters(adapterNames.begin(), adapterNames.end());
  Expected<dylink::DylibMetadata> meta = dylink::DylibMetadata::create(
      input->name, input->parsed.module, adapters, requireDylink);
  if (!meta)
    return addContext(meta.takeError(), input->name);
  input->meta = std::move(*meta);
  return std::shared_ptr<const InputModule>(std::move(input));
}

Expected<std::shared_ptr<const InputModule>>
InputModule::read(std::string name, ModuleBytes bytes, bool dlOpenable,
                  ArrayRef<std::string> adapterNames, Diagnostics *diags,
                  bool requireDylink) {
  wasm::BinaryReader preamble(bytes.data);
  Expected<wasm::BinaryKind> kind = wasm::readPreamble(preamble);
  if (!kind)
    return addContext(kind.takeError(), name);
  if (*kind == wasm::BinaryKind::Component)
    return addContext(createError("is a component, not a core module; only "
                                  "core dynamic libraries can be linked"),
                      name);
  Expected<ParsedModule> parsed =
      ParsedModule::parse(std::move(bytes), name, diags);
  if (!parsed)
    return addContext(parsed.takeError(), name);
  return create(std::move(name), std::move(*parsed), dlOpenable, adapterNames,
                requireDylink);
}
