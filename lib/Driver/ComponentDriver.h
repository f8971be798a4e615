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

/// wasm-ld's `--help`, from the in-process wasm-ld (WasmLdOptions.cpp).
llvm::StringRef getWasmLdHelp();

/// Whether wasm-ld's option \p spelling (as given, without `=`) takes its
/// value as the next argument, by wasm-ld's own table.
bool wasmLdTakesSeparateValue(llvm::StringRef spelling);

/// Rejects bad combinations of options; on every path.
void checkOptions(const Config &config, Diagnostics &diags);

//===----------------------------------------------------------------------===//
// Choosing a path (Driver.cpp)
//===----------------------------------------------------------------------===//

/// Input modules parsed already, by path, so that no input is parsed twice
/// on the way from one path to another.
using ParsedInputs = std::map<std::string, ParsedModule>;

/// An input's bytes: a file, or standard input for `-` (read once per
/// process; every open gets a copy).
llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>>
openInput(llvm::StringRef path);

enum class InputKind { DynamicLibrary, Other, Unreadable };

/// Whether \p path is a wasm dynamic library: a core module whose first
/// section is `dylink.0`. Only the header is read.
InputKind classifyInput(llvm::StringRef path);

enum class LinkPath {
  /// Only dynamic libraries: the shared-everything linker composes them.
  Dylibs,
  /// One linked core module and no wasm-ld options: `component new`.
  ComponentNew,
  /// Objects, archives or -shared: wasm-ld links first (and the shared-
  /// everything linker after it when `.so` files are among the inputs).
  WasmLd,
};

/// The path a link with \p config takes. Inputs are classified by their
/// header; a single input is parsed (and kept in \p parsed) to tell a
/// linked module from an object.
LinkPath choosePath(const Config &config, ParsedInputs &parsed,
                    Diagnostics &diags);

/// Warns about options that do nothing on \p path, saying why; errors for
/// wasm-ld's options where no wasm-ld runs.
void checkPathOptions(const llvm::opt::InputArgList &args, const Config &config,
                      LinkPath path, Diagnostics &diags);

//===----------------------------------------------------------------------===//
// The paths
//===----------------------------------------------------------------------===//

/// Writes \p text to \p path through a temporary file renamed over it, so
/// a failure never leaves a partial file behind or changes an existing one.
bool writeFile(llvm::StringRef path, llvm::StringRef text, Diagnostics &diags);

/// An output of the link (the component, or the map): to \p stdoutOS for
/// `-`, nowhere with the API's disableOutput, else through writeFile.
/// Validates a component wcl produced in \p phase; a failure is an internal
/// error, reported, and the caller writes nothing.
bool validateOutput(llvm::ArrayRef<uint8_t> component, llvm::StringRef phase,
                    Diagnostics &diags);

bool writeOutput(const Config &config, llvm::StringRef path,
                 llvm::StringRef bytes, llvm::raw_ostream &stdoutOS,
                 Diagnostics &diags);

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
/// already, and its metadata read (imports from AdapterSet::names kept for
/// the adapters). std::nullopt after an error.
std::optional<std::vector<std::shared_ptr<const InputModule>>>
readInputModules(const Config &config, std::vector<LinkInput> inputs,
                 Diagnostics &diags);

/// The shared-everything path: \p inputs, parsed, are linked into a
/// component (Driver.cpp). \p ldMap is wasm-ld's map of the first input
/// when wasm-ld made it, written before the link plan under --Map.
bool linkDylibs(const Config &config,
                std::vector<std::shared_ptr<const InputModule>> inputs,
                llvm::StringRef ldMap, llvm::raw_ostream &stdoutOS,
                Diagnostics &diags);

/// Objects, archives and -shared: wasm-ld (in-process) links with every
/// argument that is not wcl's, in order; the result is componentized, or
/// linked with the shared libraries among the inputs (WasmLd.cpp).
/// \p parsed holds inputs parsed before (by isLinkedModule).
bool runWasmLdPath(const Config &config, ParsedInputs parsed,
                   llvm::raw_ostream &stdoutOS, llvm::raw_ostream &stderrOS,
                   llvm::StringRef progname, Diagnostics &diags);

/// Whether the input at \p path is a linked core module, which the
/// `component new` path takes as it is (Componentize.cpp). It is parsed
/// and kept in \p parsed whatever it is, so no later path parses it again;
/// false for objects, dynamic libraries and what does not parse (wasm-ld
/// reads archives and reports the rest).
bool isLinkedModule(llvm::StringRef path, ParsedInputs &parsed,
                    Diagnostics &diags);

/// Writes the component for core module \p mod, read from \p path, with
/// its adapters (AdapterSet). The encoder takes \p mod as parsed; it and
/// its bytes must outlive the call.
bool componentizeParsed(const Config &config, const wasm::CoreModule &mod,
                        llvm::StringRef path, llvm::raw_ostream &stdoutOS,
                        Diagnostics &diags);

/// The encoder options the command line sets.
EncoderOptions encoderOptionsFrom(const Config &config, Diagnostics &diags);

/// The adapters of one component (Adapters.cpp): the `--adapt` files and
/// the built-in WASI preview1 adapter, which owns their bytes.
class AdapterSet {
public:
  /// Whether modules importing `wasi_snapshot_preview1` get the built-in
  /// adapter: unless --wasi-adapter=none or an --adapt adapter has the name.
  static bool offersWasi(const Config &config);
  /// The import module names adapters will provide, for the linker.
  static std::vector<std::string> names(const Config &config);
  /// Whether \p mod imports from `wasi_snapshot_preview1`.
  static bool importsWasi(const wasm::CoreModule &mod);

  /// Reads the --adapt files, after the WASI adapter when it is offered and
  /// \p importsWasi (or --wasi-adapter names one); \p exportsStart makes
  /// the command adapter the default over the reactor. False after an
  /// error.
  bool read(const Config &config, bool importsWasi, bool exportsStart,
            Diagnostics &diags);
  llvm::ArrayRef<AdapterInput> inputs() const { return list; }

private:
  bool addWasi(const Config &config, bool exportsStart, Diagnostics &diags);
  bool addFile(llvm::StringRef name, llvm::StringRef path,
               llvm::StringRef option, Diagnostics &diags);

  std::vector<std::unique_ptr<llvm::MemoryBuffer>> buffers;
  std::vector<AdapterInput> list;
};

} // namespace driver
} // namespace wcl

#endif // WCL_LIB_DRIVER_COMPONENTDRIVER_H
