//===- ComponentDriver.h - Files of the wasm-component flavor ---*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What the files of the wasm-component flavor share. Driver.cpp turns
/// options into a Config and chooses one of three paths; each path has its
/// own file: the shared-everything link of dynamic libraries (Driver.cpp,
/// a thin call into lib/Link), a wasm-ld run in-process (WasmLd.cpp) and
/// `component new` on one linked module (Componentize.cpp). The option table
/// and the path choice are declared here too, so unit tests can reach them.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_DRIVER_COMPONENTDRIVER_H
#define WCL_LIB_DRIVER_COMPONENTDRIVER_H

#include "Config.h"
#include "wcl/Encoder/ComponentEncoder.h"
#include "wcl/Link/InputModule.h"
#include "wcl/Link/LinkComponent.h"
#include "wcl/Link/Linker.h"
#include "wcl/Support/Diagnostics.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace wcl {
namespace driver {

//===----------------------------------------------------------------------===//
// Options (Driver.cpp)
//===----------------------------------------------------------------------===//

/// The option table generated from Options.td.
class ComponentOptTable : public llvm::opt::GenericOptTable {
public:
  ComponentOptTable();

  /// Parses \p argv (without the program name), expanding @response files.
  /// Strings the expansion creates live in \p alloc. Unknown arguments are
  /// left for the caller to report once --error-limit is known.
  llvm::opt::InputArgList parse(llvm::ArrayRef<const char *> argv,
                                llvm::BumpPtrAllocator &alloc,
                                Diagnostics &diags);
};

/// Maps \p args onto \p config, and collects the arguments wasm-ld gets:
/// every argument that is not wcl's, and those of wcl's that Options.td
/// marks as wasm-ld's too, each as spelled.
void readConfigs(const llvm::opt::InputArgList &args, Config &config,
                 Diagnostics &diags);

/// Rejects bad combinations of options (the dynamic-library path only).
void checkOptions(const Config &config, Diagnostics &diags);

//===----------------------------------------------------------------------===//
// Choosing a path (Driver.cpp)
//===----------------------------------------------------------------------===//

enum class InputKind { DynamicLibrary, Other, Unreadable };

/// Whether \p path is a wasm dynamic library: a core module whose first
/// section is `dylink.0`. Only the header is read.
InputKind classifyInput(llvm::StringRef path);

enum class LinkPath {
  /// Only dynamic libraries: the shared-everything linker composes them.
  Dylibs,
  /// One input and no wasm-ld options: `component new` if the input is a
  /// linked core module, otherwise wasm-ld.
  ComponentNew,
  /// Objects, archives or -shared: wasm-ld links first.
  WasmLd,
};

/// The path a link with \p config takes (inputs are classified by header).
LinkPath choosePath(const Config &config);

//===----------------------------------------------------------------------===//
// The paths
//===----------------------------------------------------------------------===//

/// Writes \p text to \p path through a temporary file, so a failure never
/// leaves a partial file behind.
bool writeFile(llvm::StringRef path, llvm::StringRef text, Diagnostics &diags);

/// An input of the shared-everything link: a file to read and parse, or a
/// module parsed already (wasm-ld's output, or an input the wasm-ld path
/// checked before running wasm-ld).
struct LinkInput {
  NamedInput named;
  std::optional<ParsedModule> parsed;
};

/// The link options \p config sets.
LinkOptions linkOptionsFrom(const Config &config);

/// Makes one InputModule per input, in order: every file is read first (an
/// error for each that cannot be), then each is parsed, unless it was
/// already, and its metadata read. std::nullopt after an error.
std::optional<std::vector<std::shared_ptr<const InputModule>>>
readInputModules(const Config &config, std::vector<LinkInput> inputs,
                 Diagnostics &diags);

/// The shared-everything path: \p inputs, parsed, are linked into a
/// component (Driver.cpp).
bool linkDylibs(const Config &config,
                std::vector<std::shared_ptr<const InputModule>> inputs,
                Diagnostics &diags);

/// Input modules parsed already, by path, so that no input is parsed twice
/// on the way from one path to another.
using ParsedInputs = std::map<std::string, ParsedModule>;

/// Objects, archives and -shared: wasm-ld (in-process) links with every
/// argument that is not wcl's, in order; the result is componentized, or
/// linked with the shared libraries among the inputs (WasmLd.cpp).
/// \p parsed holds inputs parsed before (by componentizeModule).
bool runWasmLdPath(const Config &config, ParsedInputs parsed,
                   llvm::raw_ostream &stdoutOS, llvm::raw_ostream &stderrOS,
                   llvm::StringRef progname, Diagnostics &diags);

/// The `component new` path for the linked core module at \p path: its WIT
/// metadata says what it imports and exports. std::nullopt when \p path is
/// not such a module (an object file, for example), so wasm-ld gets it
/// (Componentize.cpp); the module it parsed is then left in \p parsed.
std::optional<bool> componentizeModule(const Config &config,
                                       llvm::StringRef path,
                                       ParsedInputs &parsed,
                                       Diagnostics &diags);

/// Writes the component for core module \p mod, read from \p path, with
/// the built-in WASI adapter if \p builtInWasiAdapter. The encoder takes
/// \p mod as parsed; it and its bytes must outlive the call.
bool componentizeParsed(const Config &config, const wasm::CoreModule &mod,
                        llvm::StringRef path, bool builtInWasiAdapter,
                        Diagnostics &diags);

/// The encoder options the command line sets.
EncoderOptions encoderOptionsFrom(const Config &config, Diagnostics &diags);

/// Reads every `--adapt [NAME=]FILE` into \p adapters; the bytes live in
/// \p buffers. False, with an error, when a file cannot be read.
bool readAdapters(const Config &config, Diagnostics &diags,
                  std::vector<std::unique_ptr<llvm::MemoryBuffer>> &buffers,
                  std::vector<AdapterInput> &adapters);

} // namespace driver
} // namespace wcl

#endif // WCL_LIB_DRIVER_COMPONENTDRIVER_H
