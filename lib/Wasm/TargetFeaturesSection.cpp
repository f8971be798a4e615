//===- TargetFeaturesSection.cpp - The target_features section ------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Decodes `target_features`: a vector of (prefix, name). A prefix other
/// than '+', '-' or '=' is an error rather than a guess, because the prefix
/// is all the entry says about how the feature is used.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/TargetFeaturesSection.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::wasm;

Expected<SmallVector<TargetFeature, 0>>
wcl::wasm::readTargetFeaturesSection(BinaryReader &reader) {
  SmallVector<TargetFeature, 0> features;
  if (Error e = reader.readVector(2, [&]() -> Error {
        uint64_t at = reader.offset();
        uint8_t prefix;
        if (Error e = reader.readU8().moveInto(prefix))
          return e;
        if (prefix != '+' && prefix != '-' && prefix != '=')
          return BinaryReader::errorAt(
              at, "unknown feature policy prefix 0x" +
                      utohexstr(prefix, /*LowerCase=*/true));
        StringRef name;
        if (Error e = reader.readName().moveInto(name))
          return e;
        features.push_back({char(prefix), name});
        return Error::success();
      }))
    return std::move(e);
  if (Error e = reader.expectEnd("target_features section"))
    return std::move(e);
  return features;
}
