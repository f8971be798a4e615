//===- wcl/Validate/Validate.h - Validation of modules and components -*- C++
//-*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The validator: a core module or a component, decoded by the readers of
/// the Wasm and Component layers, checked against the rules of the core
/// specification and the Component Model (design/mvp/Explainer.md and
/// Binary.md), with wasm-tools' wording where its tests expect a message.
///
/// Which proposals are allowed is a Features set named as wasmparser names
/// its WasmFeatures, with wasmparser's defaults, so the same `--features`
/// list means the same thing to wasm-tools and to wcl.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_VALIDATE_VALIDATE_H
#define WCL_VALIDATE_VALIDATE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <bitset>
#include <cstdint>

namespace wcl {
namespace validate {

/// One proposal or extension that gates some construct.
enum class Feature : uint8_t {
#define WCL_FEATURE(ID, NAME, DEFAULT) ID,
#include "wcl/Validate/Features.def"
  NumFeatures
};

/// wasmparser's name of \p f ("cm-async", "gc").
llvm::StringRef featureName(Feature f);

/// A set of enabled features; the default one is wasmparser's default.
class Features {
public:
  Features();
  /// Every feature on, as wasmparser's WasmFeatures::all().
  static Features all();
  /// Nothing on.
  static Features none();

  bool has(Feature f) const { return bits[size_t(f)]; }
  void set(Feature f, bool on = true) { bits[size_t(f)] = on; }

  /// Applies a wasm-tools `--features` list: comma-separated names added to
  /// this set, `-name` removes one, `all` turns everything on, and the
  /// groups `mvp`, `wasm1`, `wasm2`, `wasm3` start over from that group. An
  /// error names an unknown feature.
  llvm::Error apply(llvm::StringRef list);

private:
  std::bitset<size_t(Feature::NumFeatures)> bits;
};

/// Validates the module or component in \p bytes (preamble included). The
/// error, if any, is the first one found: "offset 0x..: message", the offset
/// absolute in \p bytes.
llvm::Error validate(llvm::ArrayRef<uint8_t> bytes, const Features &features);

} // namespace validate
} // namespace wcl

#endif // WCL_VALIDATE_VALIDATE_H
