//===- wcl/WIT/Decode.h - component-type sections to a Resolve -*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Decoding of the `component-type*` custom sections that wit-bindgen and
/// wasm-tools embed in core modules: a component binary whose single type
/// export is a component type wrapping the world (wit-component's metadata
/// format). The world, the interfaces it uses and their types are added to
/// a Resolve; interfaces already there under the same name are merged with
/// the new ones (same functions must have the same types).
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WIT_DECODE_H
#define WCL_WIT_DECODE_H

#include "wcl/WIT/Resolve.h"
#include "wcl/Wasm/ProducersSection.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

namespace wcl {
namespace wit {

/// What a component-type section says besides its world.
struct WorldMetadata {
  WorldId world;
  /// The string encoding bindings were generated for (0 utf8, 1 utf16,
  /// 2 compact utf16), from the `wit-component-encoding` section.
  uint8_t stringEncoding = 0;
  /// The tools that generated the bindings (wit-bindgen and its language),
  /// from the section's own `producers`; they join the embedding module's
  /// `processed-by`. Left empty when that section does not decode: it is
  /// informational, and wit-component's metadata tolerates its absence.
  wasm::ProducersBuilder producers;
};

/// Decodes the payload of a `component-type*` custom section, whose first
/// byte is at file offset \p base, into \p resolve.
llvm::Expected<WorldMetadata>
decodeWorld(Resolve &resolve, llvm::ArrayRef<uint8_t> payload, uint64_t base);

/// If \p a and \p b are the same interface at two semver-compatible
/// versions (`a:b/c@0.2.0`, `a:b/c@0.2.1`), the newer of the two.
std::optional<InterfaceId> semverMatch(const Resolve &resolve, InterfaceId a,
                                       InterfaceId b);

/// Merges world \p from into world \p into (both in \p resolve): imports
/// and exports are unioned by name; an import of an interface whose id
/// differs only by a semver-compatible version from one already imported
/// (`a:b/c@0.2.0` and `a:b/c@0.2.1`) is unified with the newer one when
/// \p semver is set. Exporting the same name twice is an error.
llvm::Error mergeWorlds(Resolve &resolve, WorldId into, WorldId from,
                        bool semver = true);

/// Whether \p bytes begin with a component's preamble (as opposed to a
/// core module's, or text).
bool isComponentBinary(llvm::ArrayRef<uint8_t> bytes);

/// Decodes a binary WIT package (Encode.h's encodePackage, `wasm-tools
/// component wit --wasm`) into \p resolve and returns the package; the
/// interfaces of other packages it uses come along, as far as it uses them.
/// On error \p resolve is left as it was.
llvm::Expected<PackageId> decodeWitPackage(Resolve &resolve,
                                           llvm::ArrayRef<uint8_t> bytes);

} // namespace wit
} // namespace wcl

#endif // WCL_WIT_DECODE_H
