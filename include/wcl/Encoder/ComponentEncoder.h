//===- wcl/Encoder/ComponentEncoder.h - Modules to a component --*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// ComponentEncoder turns a main core module plus libraries into a component.
/// Every module's `component-type*` sections are decoded into one
/// wit::Resolve (an interface several modules name is one interface) and
/// their worlds merged into the component's. Emission runs in named phases
/// (lib/Encoder/Encoding.h), each traced through EncoderOptions::log:
///
///   read modules (each input parsed once) -> decode worlds -> live types ->
///   imports -> classify imports -> core modules and the shim module ->
///   exported types -> instantiate main, adapters, libraries -> fixup ->
///   exports (lifts and shim components)
///
/// Inputs are bytes the encoder parses, or modules the caller has parsed
/// (the caller keeps them alive until encode() returns), so that a link
/// parses each library once.
///
/// Each library comes with LibraryArgs: for each import module it may import
/// from (env, GOT.mem, GOT.func, adapters), the items that satisfy it and
/// where they come from (the main instance or an earlier library's). Only
/// items a library actually imports are materialized, each import module as
/// one bag-of-exports core instance, in the order the library's import
/// section first names them. Imports no item covers are WIT functions
/// (lowered directly, or through a shim when they need memory or realloc)
/// or component-model intrinsics (resources, context slots, threads).
///
//===----------------------------------------------------------------------===//

#ifndef WCL_ENCODER_COMPONENTENCODER_H
#define WCL_ENCODER_COMPONENTENCODER_H

#include "wcl/Encoder/FixupModule.h"
#include "wcl/Encoder/Metadata.h"
#include "wcl/Wasm/CoreTypes.h"
#include "wcl/Wasm/CustomSections.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wcl {

/// One import a library may have and what satisfies it.
struct LibraryItem {
  /// The import's field name.
  std::string alias;
  wasm::ExternType::Kind kind = wasm::ExternType::Kind::Func;
  /// The library instance to take it from; empty means the main instance.
  std::string fromLibrary;
  /// The export of that instance.
  std::string exportName;
};

struct LibraryArgs {
  /// Import module name -> the items it offers.
  std::vector<std::pair<std::string, std::vector<LibraryItem>>> modules;
};

struct EncoderOptions {
  /// Write the component-name section and set each library's module name.
  bool debugNames = true;
  /// Shims call through a `(mut (ref $sig))` global with return_call_ref,
  /// set by the fixup, instead of call_indirect through a table.
  bool returnCallRef = false;
  /// Accept only the standard (`cm32p2`) names for a module's component-model
  /// imports and exports (--reject-legacy-names).
  bool rejectLegacyNames = false;
  /// Adapters allocate whole pages with memory.grow instead of calling the
  /// main module's realloc (--realloc-via-memory-grow).
  bool reallocViaMemoryGrow = false;
  /// --import-name OLD=NEW: top-level instance imports to rename.
  std::vector<std::pair<std::string, std::string>> importNames;
  /// Unify imports of one interface at semver-compatible versions
  /// (`a:b/c@0.2.0` and `@0.2.1` become one import of the newer).
  bool mergeImportsBySemver = true;
  /// Where the phases are traced (--verbose), if anywhere.
  std::function<void(const llvm::Twine &)> log;
};

namespace encoder {
class Encoding;
} // namespace encoder

class ComponentEncoder {
public:
  explicit ComponentEncoder(EncoderOptions options) : options(options) {}

  /// The main module (for links, the synthesized env module), as bytes the
  /// encoder parses.
  void setMainModule(std::vector<uint8_t> bytes) { main = std::move(bytes); }
  /// The main module, parsed by the caller, which keeps it and its bytes
  /// alive until encode() returns.
  void setMainModule(const wasm::CoreModule &module) { mainParsed = &module; }
  /// An adapter (--adapt NAME=FILE): instantiated after main, garbage-
  /// collected down to the exports that are imported from it.
  void addAdapter(std::string name, llvm::ArrayRef<uint8_t> bytes) {
    adapters.push_back({std::move(name), bytes, nullptr, {}});
  }
  /// A library, in instantiation order, as bytes the encoder parses.
  void addLibrary(std::string name, llvm::ArrayRef<uint8_t> bytes,
                  LibraryArgs args) {
    libraries.push_back({std::move(name), bytes, nullptr, std::move(args)});
  }
  /// A library parsed by the caller, which keeps it and its bytes alive
  /// until encode() returns.
  void addLibrary(std::string name, const wasm::CoreModule &module,
                  LibraryArgs args) {
    libraries.push_back({std::move(name), {}, &module, std::move(args)});
  }

  using FixupHook = llvm::function_ref<llvm::Error(FixupModule &)>;
  /// Writes the component. \p fixupHook adds the caller's steps to the
  /// fixup module before it is written.
  llvm::Expected<std::vector<uint8_t>> encode(FixupHook fixupHook);

private:
  friend class encoder::Encoding;
  /// An input: bytes to parse, or a module the caller parsed.
  struct Input {
    std::string name;
    llvm::ArrayRef<uint8_t> bytes;
    const wasm::CoreModule *parsed = nullptr;
    LibraryArgs args;
  };
  EncoderOptions options;
  std::vector<uint8_t> main;
  const wasm::CoreModule *mainParsed = nullptr;
  std::vector<Input> libraries;
  std::vector<Input> adapters;
};

} // namespace wcl

#endif // WCL_ENCODER_COMPONENTENCODER_H
