//===- Validate.cpp - The validator's entry point
//--------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// validate(): the preamble says whether the bytes are a core module or a
/// component; the matching reader decodes them and the matching validator
/// checks what was decoded.
///
//===----------------------------------------------------------------------===//

#include "wcl/Validate/Validate.h"
#include "ComponentValidator.h"
#include "ModuleValidator.h"
#include "wcl/Component/ComponentReader.h"
#include "wcl/Support/Error.h"
#include "wcl/Wasm/BinaryReader.h"
#include "wcl/Wasm/ModuleReader.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::validate;

Error validate::validate(ArrayRef<uint8_t> bytes, const Features &features) {
  wasm::BinaryReader r(bytes, 0);
  wasm::BinaryKind kind;
  if (Error e = wasm::readPreamble(r).moveInto(kind))
    return e;
  if (kind == wasm::BinaryKind::CoreModule) {
    wasm::CoreModule m;
    if (Error e = wasm::readCoreModule(bytes, 0).moveInto(m))
      return e;
    TypeArena arena;
    return validateModule(m, features, arena).takeError();
  }
  if (!features.has(Feature::ComponentModel))
    return createErrorAt(0, "component model feature is not enabled");
  std::unique_ptr<component::Component> c;
  if (Error e = component::readComponent(bytes, 0).moveInto(c))
    return e;
  return validateComponent(*c, features);
}
