//===- Encoding.h - One run of ComponentEncoder::encode ---------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Encoding is what ComponentEncoder::encode does, as a list of named phases
/// over shared state, in the order wit-component emits a component:
///
///   readModules      each input parsed once; adapters reduced for main
///   decodeWorlds     every module's world decoded, checked and merged
///   findLiveTypes    the types the component's imports will need
///   encodeImports    imported interfaces, types and functions
///   classifyImports  what satisfies each import of each module
///   encodeCoreModules main, the adapters and libraries, the shim module
///   defineExportedTypes exported resources and their interfaces' types
///   instantiate      main, then each module in order
///   encodeFixup      the fixup module: shim targets, task-hook wrappers
///   encodeExports    lifts and the exported interfaces' shim components
///
/// The phases live in World.cpp (reading and the world), ComponentEncoder.cpp
/// (imports through instantiation), Fixup.cpp and Exports.cpp.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_ENCODER_ENCODING_H
#define WCL_LIB_ENCODER_ENCODING_H

#include "Classify.h"
#include "CoreNames.h"
#include "EncodingState.h"
#include "wcl/Encoder/ComponentEncoder.h"
#include "wcl/WIT/Resolve.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wcl {
namespace encoder {

/// One module of the component, in instantiation order: main (index 0),
/// then the adapters main needs, then the libraries.
struct ModuleInfo {
  /// The instance name: "main", an adapter's or a library's name.
  std::string name;
  const wasm::CoreModule *mod = nullptr;
  /// What satisfies its linker imports (adapters and libraries).
  LibraryArgs args;
  bool isAdapter = false;
  /// Its decoded world, if it carries one, and its names in the legacy
  /// spelling classification uses.
  std::optional<wit::WorldId> world;
  /// The bindgen tools its metadata records (main's join its producers).
  wasm::ProducersBuilder producers;
  CoreNames names;
  /// How each of its imports is satisfied.
  std::vector<ResolvedImport> imports;
  /// Its index in the component's core module index space.
  uint32_t coreModule = 0;
};

class Encoding {
public:
  Encoding(const ComponentEncoder &inputs, const EncoderOptions &options,
           ComponentEncoder::FixupHook fixupHook);

  llvm::Expected<std::vector<uint8_t>> run();

private:
  static constexpr unsigned MainIndex = 0;

  void log(const llvm::Twine &msg) const {
    if (options.log)
      options.log(msg);
  }
  /// \p bytes parsed, kept until the component is written.
  llvm::Expected<const wasm::CoreModule *> parse(llvm::ArrayRef<uint8_t> bytes,
                                                 const llvm::Twine &what);

  // World.cpp
  llvm::Error readModules();
  llvm::Error decodeWorlds();
  llvm::Error findLiveTypes();
  void addLiveImports(const ModuleInfo &m);
  void addLiveExportTypes();
  std::vector<std::string> moduleNamesOf(wit::InterfaceId id) const;

  // ComponentEncoder.cpp
  llvm::Error encodeImports();
  void importInterface(const wit::WorldKey &key, const wit::WorldItem &item);
  llvm::Error classifyImports();
  void findExportedResources();
  void addDtorShims(unsigned li);
  llvm::Error encodeCoreModules();
  llvm::Error defineExportedTypes();
  llvm::Error instantiate();
  std::vector<std::pair<llvm::StringRef, uint32_t>>
  instantiateArgs(llvm::ArrayRef<ResolvedImport> imports);
  component::CanonicalOption memoryOption();

  // Fixup.cpp
  llvm::Error encodeFixup();
  void wrapTaskHooks(FixupModule &fixup, uint32_t hook,
                     std::vector<uint32_t> &actualFuncs);
  llvm::Error instantiateFixup(FixupModule &fixup, uint32_t fixupModule);
  llvm::Expected<uint32_t> shimTarget(unsigned i);
  llvm::Expected<uint32_t> indirectLowering(unsigned i);

  // Exports.cpp
  llvm::Error encodeExports();
  llvm::Expected<uint32_t> lift(unsigned li, const wit::Function &f,
                                llvm::StringRef coreName, uint32_t type);
  uint32_t coreExport(unsigned from, llvm::StringRef name);
  llvm::Error exportInterface(unsigned li, const std::string &exportName,
                              wit::InterfaceId ifaceId);
  llvm::Expected<uint32_t>
  encodeShimComponent(wit::InterfaceId ifaceId, llvm::StringRef exportName,
                      std::vector<std::string> &importNames,
                      std::vector<component::ComponentItem> &args);

  const ComponentEncoder &inputs;
  const EncoderOptions &options;
  ComponentEncoder::FixupHook fixupHook;
  EncodingState state;
  component::ComponentBuilder &builder;
  wit::Resolve resolve;

  /// What the component refers to until it is written: modules parsed here
  /// and bytes built here (rewritten modules, the shim and fixup modules).
  std::deque<wasm::CoreModule> parsed;
  std::deque<std::vector<uint8_t>> buffers;

  std::vector<ModuleInfo> modules;
  llvm::StringSet<> libraryNames, adapterNames;
  /// Interfaces only an adapter's world imports: main may name them, but
  /// wit-component has no metadata (string encoding) for main's lowering.
  llvm::StringSet<> adapterOnlyImports;

  /// The component's world: every module's, merged in instantiation order.
  wit::WorldId merged;
  /// Every module's imports: legacy module name -> the legacy field names
  /// imported from it, without an async-lower prefix (which functions of a
  /// world are used is asked per function: a hash lookup each).
  llvm::StringMap<llvm::StringSet<>> importedFields;
  /// The live types, in the order wit-component finds them.
  wit::LiveTypes live;

  /// Each exported resource, with the shim of its destructor if the module
  /// exports one (`iface#[dtor]r`), and where to find it by (module,
  /// destructor's legacy name).
  struct PendingResource {
    wit::TypeId resource;
    std::optional<unsigned> dtorShim;
  };
  std::vector<PendingResource> pendingResources;
  std::map<std::pair<unsigned, std::string>, size_t> resourceByDtor;

  uint32_t mainInstance = 0;
  /// main's memory and realloc, under the names main exports them by.
  llvm::StringRef mainMemory, mainRealloc;
  bool haveMemory = false;
  /// The task-hook wrappers the fixup exports: (module, core export) and
  /// the wrapper's export name, in wrapper order.
  std::vector<std::pair<std::pair<unsigned, std::string>, std::string>> hooked;
  /// The fixup's task-hook wrapper of each (module, core export).
  std::map<std::pair<unsigned, std::string>, uint32_t> hookFuncs;
};

} // namespace encoder
} // namespace wcl

#endif // WCL_LIB_ENCODER_ENCODING_H
