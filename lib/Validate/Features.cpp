//===- Features.cpp - Feature sets named as wasm-tools names them ---------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The Features set and wasm-tools' `--features` syntax, so that a feature
/// list copied from a wast script's RUN line selects the same constructs.
///
//===----------------------------------------------------------------------===//

#include "wcl/Support/Error.h"
#include "wcl/Validate/Validate.h"
#include "llvm/ADT/SmallVector.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::validate;

namespace {
struct FeatureInfo {
  StringLiteral name;
  bool isDefault;
};
} // namespace

static constexpr FeatureInfo infos[] = {
#define WCL_FEATURE(ID, NAME, DEFAULT) {NAME, DEFAULT},
#include "wcl/Validate/Features.def"
};

StringRef validate::featureName(Feature f) { return infos[size_t(f)].name; }

Features::Features() {
  for (size_t i = 0; i < size_t(Feature::NumFeatures); ++i)
    bits[i] = infos[i].isDefault;
}

Features Features::all() {
  Features f;
  f.bits.set();
  return f;
}

Features Features::none() {
  Features f;
  f.bits.reset();
  return f;
}

/// wasmparser's version groups: each is the one before plus its additions.
static void setGroup(Features &f, StringRef group) {
  f = Features::none();
  f.set(Feature::Floats);
  f.set(Feature::GcTypes);
  if (group == "wasm1" || group == "mvp")
    return;
  for (Feature x :
       {Feature::BulkMemory, Feature::ReferenceTypes, Feature::SignExtension,
        Feature::MutableGlobal, Feature::SaturatingFloatToInt,
        Feature::MultiValue, Feature::Simd, Feature::BulkMemoryOpt,
        Feature::CallIndirectOverlong})
    f.set(x);
  if (group == "wasm2")
    return;
  for (Feature x :
       {Feature::Gc, Feature::TailCall, Feature::ExtendedConst,
        Feature::FunctionReferences, Feature::MultiMemory, Feature::RelaxedSimd,
        Feature::Threads, Feature::Exceptions, Feature::Memory64})
    f.set(x);
}

Error Features::apply(StringRef list) {
  SmallVector<StringRef, 8> parts;
  list.split(parts, ',', -1, false);
  for (StringRef part : parts) {
    part = part.trim();
    bool on = !part.consume_front("-");
    if (part == "all") {
      bits = on ? Features::all().bits : Features::none().bits;
      continue;
    }
    if (part == "mvp" || part == "wasm1" || part == "wasm2" ||
        part == "wasm3") {
      setGroup(*this, part);
      continue;
    }
    if (part == "default") {
      *this = Features();
      continue;
    }
    bool found = false;
    for (size_t i = 0; i < size_t(Feature::NumFeatures); ++i)
      if (infos[i].name == part) {
        bits[i] = on;
        found = true;
      }
    if (!found)
      return createError("unknown feature '" + part + "'");
  }
  return Error::success();
}
