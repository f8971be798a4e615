//===- Driver.cpp - The wasm-component flavor -----------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Option parsing for the wasm-component flavor, shaped like lld's wasm
/// driver: an OptTable generated from Options.td, @response files expanded
/// after a first parse has found --rsp-quoting, diagnostics reported and
/// counted with a checkpoint after parsing, then readConfigs maps options
/// onto Config fields and checkOptions rejects bad combinations.
///
//===----------------------------------------------------------------------===//

#include "wcl/Driver/Driver.h"
#include "Config.h"
#include "WasiAdapters.h"
#include "wcl/Component/ComponentReader.h"
#include "wcl/Dylink/DylibMetadata.h"
#include "wcl/Encoder/ComponentEncoder.h"
#include "wcl/Link/Layout.h"
#include "wcl/Link/LinkComponent.h"
#include "wcl/Link/LinkMap.h"
#include "wcl/Link/Linker.h"
#include "wcl/Support/Diagnostics.h"
#include "wcl/Support/Error.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Option/Arg.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Option/Option.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileOutputBuffer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/StringSaver.h"
#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

using namespace llvm;
using namespace llvm::opt;
using namespace wcl;

namespace {

enum {
  OPT_INVALID = 0,
#define OPTION(...) LLVM_MAKE_OPT_ID(__VA_ARGS__),
#include "Options.inc"
#undef OPTION
};

#define OPTTABLE_STR_TABLE_CODE
#include "Options.inc"
#undef OPTTABLE_STR_TABLE_CODE

#define OPTTABLE_PREFIXES_TABLE_CODE
#include "Options.inc"
#undef OPTTABLE_PREFIXES_TABLE_CODE

constexpr OptTable::Info optInfo[] = {
#define OPTION(...) LLVM_CONSTRUCT_OPT_INFO(__VA_ARGS__),
#include "Options.inc"
#undef OPTION
};

class ComponentOptTable : public GenericOptTable {
public:
  ComponentOptTable()
      : GenericOptTable(OptionStrTable, OptionPrefixesTable, optInfo) {}

  /// Parses \p argv (without the program name), expanding @response files.
  /// Strings the expansion creates live in \p alloc. Unknown arguments are
  /// left for the caller to report once --error-limit is known.
  InputArgList parse(ArrayRef<const char *> argv, BumpPtrAllocator &alloc,
                     Diagnostics &diags);
};

} // namespace

InputArgList ComponentOptTable::parse(ArrayRef<const char *> argv,
                                      BumpPtrAllocator &alloc,
                                      Diagnostics &diags) {
  SmallVector<const char *, 256> vec(argv.begin(), argv.end());
  unsigned missingIndex, missingCount;

  // The quoting style must be known before response files are read, so look
  // for --rsp-quoting first, as lld does.
  InputArgList args = ParseArgs(vec, missingIndex, missingCount);
  cl::TokenizerCallback tokenizer = cl::TokenizeGNUCommandLine;
  if (Arg *arg = args.getLastArg(OPT_rsp_quoting)) {
    StringRef style = arg->getValue();
    if (style == "windows")
      tokenizer = cl::TokenizeWindowsCommandLine;
    else if (style != "posix")
      diags.error("invalid response file quoting: " + style +
                  " (expected posix or windows)");
  }

  cl::ExpansionContext ectx(alloc, tokenizer);
  if (Error e = ectx.expandResponseFiles(vec))
    diags.error(std::move(e));

  args = ParseArgs(vec, missingIndex, missingCount);
  if (missingCount)
    diags.error(Twine(args.getArgString(missingIndex)) + ": missing argument");
  return args;
}

/// Splits a `[NAME=]PATH` argument as wasm-tools does: the text before the
/// first '=' is the name; without one the name is the file name.
static NamedInput parseNamedInput(StringRef text, bool dlOpenable) {
  NamedInput input;
  input.dlOpenable = dlOpenable;
  auto [name, path] = text.split('=');
  if (text.contains('=')) {
    input.name = name.str();
    input.path = path.str();
  } else {
    input.name = sys::path::filename(text).str();
    input.path = text.str();
  }
  return input;
}

/// An adapter's default name is its file name up to the first '.', so
/// `wasi_snapshot_preview1.reactor.wasm` adapts `wasi_snapshot_preview1`.
static NamedInput parseAdapter(StringRef text) {
  if (text.contains('='))
    return parseNamedInput(text, false);
  NamedInput input;
  input.path = text.str();
  input.name = sys::path::filename(text).split('.').first.str();
  return input;
}

/// Reads a `--name[=bool]` option: bare means true.
static bool getBoolEq(InputArgList &args, unsigned flagId, unsigned eqId,
                      bool defaultValue, Diagnostics &diags) {
  Arg *arg = args.getLastArg(flagId, eqId);
  if (!arg)
    return defaultValue;
  if (arg->getOption().getID() == flagId)
    return true;
  StringRef v = arg->getValue();
  if (v == "true")
    return true;
  if (v == "false")
    return false;
  diags.error("invalid value '" + v + "' for " + arg->getSpelling() +
              ": expected true or false");
  return defaultValue;
}

static void readConfigs(InputArgList &args, Config &config,
                        Diagnostics &diags) {
  if (Arg *arg = args.getLastArg(OPT_o, OPT_output))
    config.outputFile = arg->getValue();

  // Libraries keep their command-line order, plain and --dl-openable
  // interleaved.
  for (Arg *arg : args.filtered(OPT_INPUT, OPT_dl_openable))
    config.inputs.push_back(parseNamedInput(
        arg->getValue(), arg->getOption().getID() == OPT_dl_openable));
  for (Arg *arg : args.filtered(OPT_adapt))
    config.adapters.push_back(parseAdapter(arg->getValue()));

  config.stubMissingFunctions = args.hasArg(OPT_stub_missing_functions);
  config.useBuiltInLibdl = args.hasArg(OPT_use_built_in_libdl);
  if (Arg *arg = args.getLastArg(OPT_stack_size)) {
    uint32_t size;
    if (!to_integer(arg->getValue(), size))
      diags.error("invalid --stack-size: " + Twine(arg->getValue()) +
                  " (expected a number of bytes)");
    else
      config.stackSize = size;
  }
  config.debugNames =
      getBoolEq(args, OPT_debug_names, OPT_debug_names_eq, true, diags);
  config.validate =
      getBoolEq(args, OPT_validate, OPT_validate_eq, false, diags) ||
      getBoolEq(args, OPT_validate_component, OPT_validate_component_eq, false,
                diags);
  config.mergeImportsBasedOnSemver =
      getBoolEq(args, OPT_merge_imports_based_on_semver,
                OPT_merge_imports_based_on_semver_eq, true, diags);
  config.rejectLegacyNames = args.hasArg(OPT_reject_legacy_names);
  config.reallocViaMemoryGrow = args.hasArg(OPT_realloc_via_memory_grow);
  config.returnCallRef = args.hasArg(OPT_return_call_ref);
  for (Arg *arg : args.filtered(OPT_import_name)) {
    StringRef v = arg->getValue();
    if (!v.contains('=')) {
      diags.error("invalid --import-name " + v + ": expected OLD=NEW");
      continue;
    }
    auto [from, to] = v.split('=');
    config.importName.emplace_back(from.str(), to.str());
  }
  for (Arg *arg : args.filtered(OPT_component_type))
    config.componentType.push_back(arg->getValue());
  if (Arg *arg = args.getLastArg(OPT_string_encoding)) {
    StringRef v = arg->getValue();
    if (v == "utf8")
      config.stringEncoding = StringEncoding::Utf8;
    else if (v == "utf16")
      config.stringEncoding = StringEncoding::Utf16;
    else if (v == "compact-utf16")
      config.stringEncoding = StringEncoding::CompactUtf16;
    else
      diags.error("invalid --string-encoding: " + v +
                  " (expected utf8, utf16 or compact-utf16)");
  }
  config.skipWitComponent = args.hasArg(OPT_skip_wit_component);
  if (Arg *arg = args.getLastArg(OPT_wasi_adapter))
    config.wasiAdapter = arg->getValue();
  for (Arg *arg : args.filtered(OPT_append_lld_flag))
    config.appendLldFlag.push_back(arg->getValue());
  if (Arg *arg = args.getLastArg(OPT_map))
    config.mapFile = arg->getValue();
  config.verbose = args.hasArg(OPT_verbose);
}

static void checkOptions(const Config &config, Diagnostics &diags) {
  // Accepted for command-line compatibility; say so rather than pretend.
  if (config.validate)
    diags.warn("--validate: wcl has no component validator yet; the output "
               "is not validated");
  // Library names become import and instance names in the component, so two
  // libraries may not share one.
  StringMap<const NamedInput *> seen;
  for (const NamedInput &input : config.inputs) {
    auto [it, inserted] = seen.try_emplace(input.name, &input);
    if (!inserted)
      diags.error("duplicate library name '" + input.name +
                  "': " + it->second->path + " and " + input.path +
                  " (name one with NAME=PATH)");
  }
}

/// Writes \p text to \p path through a temporary file, so a failure never
/// leaves a partial file behind.
static bool writeFile(StringRef path, StringRef text, Diagnostics &diags) {
  Expected<std::unique_ptr<FileOutputBuffer>> out =
      FileOutputBuffer::create(path, text.size());
  if (!out) {
    diags.error("cannot open " + path + ": " + toString(out.takeError()));
    return false;
  }
  std::copy(text.begin(), text.end(), (*out)->getBufferStart());
  if (Error e = (*out)->commit()) {
    diags.error("cannot write " + path + ": " + toString(std::move(e)));
    return false;
  }
  return true;
}

enum class InputKind { DynamicLibrary, Other, Unreadable };

/// Whether \p path is a wasm dynamic library: a core module whose first
/// section is `dylink.0` (DynamicLinking.md requires it first). Only the
/// header is read, so large archives and objects cost nothing. An unreadable
/// file is reported later, by the path that opens it.
static InputKind classifyInput(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> mb =
      MemoryBuffer::getFileSlice(path, /*MapSize=*/64, /*Offset=*/0);
  if (!mb)
    return InputKind::Unreadable;
  StringRef b = (*mb)->getBuffer();
  static const char header[] = "\0asm\x01\0\0\0\0";
  if (!b.starts_with(StringRef(header, 9)) || b.size() < 11)
    return InputKind::Other;
  // Section size (a LEB), then the name "dylink.0".
  size_t pos = 9;
  while (pos < b.size() && (uint8_t(b[pos]) & 0x80))
    ++pos;
  ++pos;
  return b.substr(pos).starts_with("\x08"
                                   "dylink.0")
             ? InputKind::DynamicLibrary
             : InputKind::Other;
}

/// Writes the component for core module \p mod (\p bytes), read from
/// \p path, with the built-in WASI adapter if \p builtInWasiAdapter.
static bool componentizeBytes(const Config &config, ArrayRef<uint8_t> bytes,
                              const wasm::CoreModule &mod, StringRef path,
                              bool builtInWasiAdapter, Diagnostics &diags);

/// Runs wasm-ld (whose argv ends in `-o -`) and returns the module it
/// writes, without a file: lld writes an output named `-` to standard
/// output through llvm::outs(), so for the link descriptor 1 is pointed at
/// an anonymous in-memory file (memfd) while lld's own messages go to a
/// string, passed on to \p stdoutOS afterwards. std::nullopt when the link
/// failed (lld has said why).
static Expected<std::optional<std::vector<uint8_t>>>
runWasmLdToMemory(ArrayRef<const char *> argv, raw_ostream &stdoutOS,
                  raw_ostream &stderrOS, StringRef lldName) {
#ifdef __linux__
  outs().flush();
  int memory = memfd_create("wcl-wasm-ld-output", MFD_CLOEXEC);
  if (memory < 0)
    return createError(
        "cannot create an in-memory file for wasm-ld's "
        "output: " +
        std::error_code(errno, std::generic_category()).message());
  int saved = dup(STDOUT_FILENO);
  if (saved < 0 || dup2(memory, STDOUT_FILENO) < 0) {
    close(memory);
    return createError("cannot redirect standard output for wasm-ld");
  }
  std::string messages;
  raw_string_ostream lldStdout(messages);
  int rc = runWasmLd(argv, lldStdout, stderrOS, lldName);
  outs().flush();
  dup2(saved, STDOUT_FILENO);
  close(saved);
  stdoutOS << messages;
  stdoutOS.flush();
  std::vector<uint8_t> bytes;
  off_t size = lseek(memory, 0, SEEK_END);
  if (rc == 0 && size > 0) {
    bytes.resize(size);
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = pread(memory, bytes.data() + done, bytes.size() - done, done);
      if (n <= 0)
        break;
      done += n;
    }
    bytes.resize(done);
  }
  close(memory);
  if (rc != 0)
    return std::nullopt;
  return std::optional<std::vector<uint8_t>>(std::move(bytes));
#else
  return createError("linking objects into a component needs an in-memory "
                     "file for wasm-ld's output, which this platform lacks");
#endif
}

/// Objects, archives and -shared: wasm-ld (in-process) does the link with
/// every argument that is not ours, in order.
static bool linkDylibs(const Config &config, Diagnostics &diags);

/// The shared libraries among wasm-ld's inputs: `.so` paths, and `-lNAME`
/// found as `libNAME.so` on the `-L` path the way wasm-ld searches it for
/// a dynamic link (each directory in order; a `.so` before a `.a`).
static std::vector<NamedInput> sharedLibraryInputs(const Config &config) {
  std::vector<NamedInput> out;
  for (const NamedInput &input : config.inputs)
    if (!input.dlOpenable &&
        classifyInput(input.path) == InputKind::DynamicLibrary)
      out.push_back(input);
  std::vector<std::string> dirs, libs;
  ArrayRef<std::string> args = config.wasmLdArgs;
  for (size_t i = 0; i < args.size(); ++i) {
    StringRef a = args[i];
    auto value = [&](StringRef shortForm,
                     StringRef longForm) -> std::optional<std::string> {
      if (a == shortForm || a == longForm || a == "-" + longForm.str())
        return i + 1 < args.size() ? std::optional(args[++i]) : std::nullopt;
      if (a.starts_with(shortForm) && a.size() > shortForm.size() &&
          !a.starts_with("--"))
        return a.drop_front(shortForm.size()).str();
      for (StringRef dashes : {"--", "-"})
        if (a.starts_with((dashes + longForm.drop_front(2) + "=").str()))
          return a.split('=').second.str();
      return std::nullopt;
    };
    if (std::optional<std::string> dir = value("-L", "--library-path"))
      dirs.push_back(*dir);
    else if (std::optional<std::string> lib = value("-l", "--library"))
      libs.push_back(*lib);
  }
  for (const std::string &lib : libs) {
    if (StringRef(lib).starts_with(":"))
      continue; // -l:file names an exact file, which wasm-ld opens itself
    for (const std::string &dir : dirs) {
      SmallString<128> so(dir), archive(dir);
      sys::path::append(so, "lib" + lib + ".so");
      sys::path::append(archive, "lib" + lib + ".a");
      if (sys::fs::exists(so)) {
        out.push_back({sys::path::filename(so).str(), so.str().str(), false});
        break;
      }
      if (sys::fs::exists(archive))
        break;
    }
  }
  return out;
}

static bool runWasmLdPath(const Config &config, raw_ostream &stdoutOS,
                          raw_ostream &stderrOS, StringRef progname,
                          Diagnostics &diags) {
  if (config.outputFile.empty()) {
    diags.error("no output file: pass -o FILE");
    return false;
  }
  // A component is made from wasm-ld's core module, which lld writes to a
  // file: a fresh directory next to the output, under the output's own file
  // name (lld records it in the name section), removed afterwards.
  bool componentize = !config.shared && !config.skipWitComponent;
  // With shared libraries among the inputs, the program is linked as a
  // position-independent executable and then composed with them by the
  // shared-everything linker, in this one call.
  std::vector<NamedInput> sharedLibs;
  if (componentize)
    sharedLibs = sharedLibraryInputs(config);
  if (config.dryRun) {
    // Like clang's -### (on stdout): the wasm-ld command, each argument
    // quoted, with the flags a link against shared libraries adds.
    std::string line = "\"wasm-ld\"";
    auto add = [&](StringRef a) {
      line += " \"";
      for (char c : a) {
        if (c == '"' || c == '\\')
          line += '\\';
        line += c;
      }
      line += "\"";
    };
    for (const std::string &a : config.wasmLdArgs)
      add(a);
    for (const std::string &a : config.appendLldFlag)
      add(a);
    if (!sharedLibs.empty())
      for (const char *flag : {"-pie", "--experimental-pic", "--import-memory"})
        if (!is_contained(config.wasmLdArgs, flag))
          add(flag);
    add("-o");
    add(config.outputFile);
    diags.message(line, stdoutOS);
    return true;
  }
  // A truncated or corrupt WebAssembly input gets one error line before
  // wasm-ld reads it: lld 22 aborts on some (a section size past the end
  // of the file).
  for (const NamedInput &input : config.inputs) {
    if (classifyInput(input.path) == InputKind::Unreadable)
      continue; // wasm-ld reports missing files itself
    ErrorOr<std::unique_ptr<MemoryBuffer>> mb =
        MemoryBuffer::getFile(input.path, /*IsText=*/false,
                              /*RequiresNullTerminator=*/false);
    if (!mb || !(*mb)->getBuffer().starts_with(StringRef("\0asm", 4)))
      continue;
    Expected<wasm::CoreModule> mod = wasm::readCoreModule(
        ArrayRef<uint8_t>(
            reinterpret_cast<const uint8_t *>((*mb)->getBufferStart()),
            (*mb)->getBufferSize()),
        0);
    // Components are not linker inputs; the reader says which they are.
    if (!mod) {
      diags.error(addContext(mod.takeError(), input.path));
      return false;
    }
  }

  SmallVector<const char *, 64> argv{"wasm-component-ld"};
  for (const std::string &a : config.wasmLdArgs)
    argv.push_back(a.c_str());
  for (const std::string &a : config.appendLldFlag)
    argv.push_back(a.c_str());
  if (!sharedLibs.empty())
    for (const char *flag : {"-pie", "--experimental-pic", "--import-memory"})
      if (!is_contained(config.wasmLdArgs, flag))
        argv.push_back(flag);
  argv.push_back("-o");
  // A module to componentize goes to standard output, which is captured in
  // memory (see runWasmLdToMemory); anything else to its file.
  argv.push_back(componentize ? "-" : config.outputFile.c_str());
  if (config.verbose) {
    std::string line = "wasm-ld";
    for (const char *a : ArrayRef<const char *>(argv).drop_front())
      line += std::string(" ") + a;
    diags.log(line);
  }
  // lld prefixes its diagnostics with our program name, so a user sees one
  // tool; a failed link writes no output (lld commits atomically).
  // lld recognizes its wasm flavor from a dash-separated "wasm" in the name.
  StringRef lldName = getFlavorFromProgname(progname) == Flavor::WasmComponent
                          ? progname
                          : StringRef("wasm-component-ld");
  if (!componentize)
    return runWasmLd(argv, stdoutOS, stderrOS, lldName) == 0;
  Expected<std::optional<std::vector<uint8_t>>> linked =
      runWasmLdToMemory(argv, stdoutOS, stderrOS, lldName);
  if (!linked) {
    diags.error(linked.takeError());
    return false;
  }
  if (!*linked)
    return false; // wasm-ld reported why
  Expected<wasm::CoreModule> mod = wasm::readCoreModule(**linked, 0);
  if (!mod) {
    diags.error(addContext(mod.takeError(), "wasm-ld's output"));
    return false;
  }
  // lld names the module after its output file, here `-`: give it the
  // name it would have had written to the output path.
  std::vector<uint8_t> bytes = std::move(**linked);
  if (mod->names &&
      mod->names->getModuleName() == std::optional<StringRef>("-")) {
    bytes =
        rewriteModuleForComponent(*mod, sys::path::filename(config.outputFile),
                                  nullptr, /*keepWitMetadata=*/true);
    mod = wasm::readCoreModule(bytes, 0);
    if (!mod) {
      diags.error(addContext(mod.takeError(), "wasm-ld's output"));
      return false;
    }
  }
  if (!sharedLibs.empty()) {
    Config link = config;
    link.inputs.clear();
    NamedInput main{sys::path::filename(config.outputFile).str(),
                    config.outputFile, false};
    main.contents =
        std::shared_ptr<MemoryBuffer>(MemoryBuffer::getMemBufferCopy(
            StringRef(reinterpret_cast<const char *>(bytes.data()),
                      bytes.size()),
            config.outputFile));
    link.inputs.push_back(std::move(main));
    llvm::append_range(link.inputs, sharedLibs);
    for (const NamedInput &input : config.inputs)
      if (input.dlOpenable)
        link.inputs.push_back(input);
    return linkDylibs(link, diags);
  }
  // -pie (or -r) output is not a program: it would need the shared-
  // everything linker, with the libraries it was linked against.
  if (mod->dylink || mod->findCustomSection("linking")) {
    diags.error("wasm-ld produced a " +
                Twine(mod->dylink ? "position-independent module"
                                  : "relocatable object") +
                ", not a program; pass --skip-wit-component to keep it as "
                "is");
    return false;
  }
  return componentizeBytes(config, bytes, *mod, config.outputFile,
                           /*builtInWasiAdapter=*/true, diags);
}

/// The `component new` path for one linked core module: its WIT metadata
/// says what it imports and exports. Returns std::nullopt when \p path is
/// not such a module (an object file, for example), so wasm-ld gets it.

static std::optional<bool>
componentizeModule(const Config &config, StringRef path, Diagnostics &diags) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> mb =
      MemoryBuffer::getFile(path, /*IsText=*/false,
                            /*RequiresNullTerminator=*/false);
  if (!mb)
    return std::nullopt;
  ArrayRef<uint8_t> bytes(
      reinterpret_cast<const uint8_t *>((*mb)->getBufferStart()),
      (*mb)->getBufferSize());
  Expected<wasm::CoreModule> mod = wasm::readCoreModule(bytes, 0);
  if (!mod) {
    consumeError(mod.takeError()); // not a module we can take; wasm-ld may
    return std::nullopt;
  }
  // Relocatable objects carry a `linking` section; dylibs `dylink.0`.
  if (mod->findCustomSection("linking") || mod->dylink)
    return std::nullopt;
  return componentizeBytes(config, bytes, *mod, path,
                           /*builtInWasiAdapter=*/false, diags);
}

/// The encoder options the command line sets.
static EncoderOptions encoderOptionsFrom(const Config &config) {
  EncoderOptions options;
  options.debugNames = config.debugNames;
  options.returnCallRef = config.returnCallRef;
  options.rejectLegacyNames = config.rejectLegacyNames;
  options.reallocViaMemoryGrow = config.reallocViaMemoryGrow;
  options.importNames = config.importName;
  options.mergeImportsBySemver = config.mergeImportsBasedOnSemver;
  return options;
}

/// Reads every `--adapt [NAME=]FILE` into \p adapters; the bytes live in
/// \p buffers. False, with an error, when a file cannot be read.
static bool readAdapters(const Config &config, Diagnostics &diags,
                         std::vector<std::unique_ptr<MemoryBuffer>> &buffers,
                         std::vector<AdapterInput> &adapters) {
  for (const NamedInput &adapter : config.adapters) {
    ErrorOr<std::unique_ptr<MemoryBuffer>> mb =
        MemoryBuffer::getFile(adapter.path, /*IsText=*/false,
                              /*RequiresNullTerminator=*/false);
    if (!mb) {
      diags.error("cannot open " + adapter.path + ": " +
                  mb.getError().message());
      return false;
    }
    adapters.push_back(
        {adapter.name, ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(
                                             (*mb)->getBufferStart()),
                                         (*mb)->getBufferSize())});
    buffers.push_back(std::move(*mb));
  }
  return true;
}

/// The WASI preview1 adapter for a module wasm-ld linked: --wasi-adapter's
/// choice (command, reactor, none or a file), by default the command adapter
/// when the module exports `_start` and the reactor otherwise, as
/// wasm-component-ld chooses. Empty for none. \p storage keeps a file's
/// bytes alive.
static Expected<ArrayRef<uint8_t>>
wasiAdapterFor(const Config &config, const wasm::CoreModule &mod,
               std::unique_ptr<MemoryBuffer> &storage) {
  StringRef choice = config.wasiAdapter;
  if (choice.empty())
    choice = mod.findExport("_start") ? "command" : "reactor";
  if (choice == "none")
    return ArrayRef<uint8_t>();
  if (choice == "command" || choice == "reactor") {
    bool command = choice == "command";
    ArrayRef<uint8_t> bytes(
        command ? wclWasiCommandAdapter : wclWasiReactorAdapter,
        command ? wclWasiCommandAdapterSize : wclWasiReactorAdapterSize);
    if (bytes.empty())
      return createError("this wcl was built without the WASI " + choice +
                         " adapter (utils/setup provides it through jco); "
                         "pass --wasi-adapter=PATH or --wasi-adapter=none");
    return bytes;
  }
  if (choice == "proxy")
    return createError("--wasi-adapter=proxy: wcl does not embed the proxy "
                       "adapter; pass its file as --wasi-adapter=PATH");
  ErrorOr<std::unique_ptr<MemoryBuffer>> mb =
      MemoryBuffer::getFile(choice, /*IsText=*/false,
                            /*RequiresNullTerminator=*/false);
  if (!mb)
    return createError("--wasi-adapter: cannot open " + choice + ": " +
                       mb.getError().message());
  storage = std::move(*mb);
  return ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(storage->getBufferStart()),
      storage->getBufferSize());
}

static bool componentizeBytes(const Config &config, ArrayRef<uint8_t> bytes,
                              const wasm::CoreModule &module, StringRef path,
                              bool builtInWasiAdapter, Diagnostics &diags) {
  const wasm::CoreModule *mod = &module;
  // The bindgen tools recorded in the metadata join the module's producers,
  // as `processed-by` entries with wcl itself.
  wasm::ProducersBuilder producers;
  for (const wasm::Section &sec : mod->sections) {
    if (!sec.isCustom() ||
        !sec.name.starts_with(wasm::ComponentTypeSectionPrefix))
      continue;
    if (Expected<std::unique_ptr<component::Component>> meta =
            component::readComponent(sec.content, sec.contentOffset)) {
      if (const component::CustomSection *p =
              (*meta)->findCustom(wasm::ProducersSectionName)) {
        if (Expected<wasm::ProducersBuilder> more =
                wasm::ProducersBuilder::parse(p->payload, p->payloadOffset))
          producers.merge(*more);
        else
          consumeError(more.takeError());
      }
    } else {
      consumeError(meta.takeError()); // reported by the encoder
    }
  }
  // The built-in WASI adapter (for modules wasm-ld linked here) comes first,
  // under the module name it adapts; then `--adapt [NAME=]FILE` adapters.
  std::unique_ptr<MemoryBuffer> wasiStorage;
  ArrayRef<uint8_t> wasiAdapter;
  if (builtInWasiAdapter) {
    Expected<ArrayRef<uint8_t>> a = wasiAdapterFor(config, *mod, wasiStorage);
    if (!a) {
      diags.error(a.takeError());
      return false;
    }
    wasiAdapter = *a;
  }
  std::vector<std::unique_ptr<MemoryBuffer>> adapterBuffers;
  std::vector<AdapterInput> adapters;
  if (!readAdapters(config, diags, adapterBuffers, adapters))
    return false;
  ComponentEncoder encoder(encoderOptionsFrom(config));
  encoder.setMainModule(std::vector<uint8_t>(bytes.begin(), bytes.end()));
  wasm::ProducersBuilder mainProducers;
  mainProducers.add("processed-by", "wcl", WCL_VERSION);
  mainProducers.merge(producers);
  encoder.setMainProducers(std::move(mainProducers));
  if (!wasiAdapter.empty())
    encoder.addAdapter("wasi_snapshot_preview1", wasiAdapter);
  for (const AdapterInput &adapter : adapters)
    encoder.addAdapter(adapter.name, adapter.bytes);
  Expected<std::vector<uint8_t>> component =
      encoder.encode([](FixupModule &) { return Error::success(); });
  if (!component) {
    diags.error(addContext(component.takeError(), path));
    return false;
  }
  return writeFile(config.outputFile,
                   StringRef(reinterpret_cast<const char *>(component->data()),
                             component->size()),
                   diags);
}

/// The shared-everything path: every input is a dynamic library.
static bool linkDylibs(const Config &config, Diagnostics &diags) {
  LinkOptions options;
  if (config.stackSize)
    options.stackSize = *config.stackSize;
  options.stubMissingFunctions = config.stubMissingFunctions;
  options.useBuiltInLibdl = config.useBuiltInLibdl;
  for (const NamedInput &adapter : config.adapters)
    options.adapterNames.push_back(adapter.name);

  // The buffers outlive the link: metadata refers into them.
  std::vector<std::unique_ptr<MemoryBuffer>> buffers;
  Linker linker(options);
  for (const NamedInput &input : config.inputs) {
    if (input.contents) {
      LibraryInput lib;
      lib.name = input.name;
      lib.buffer = input.contents->getMemBufferRef();
      lib.dlOpenable = input.dlOpenable;
      linker.addLibrary(std::move(lib));
      continue;
    }
    ErrorOr<std::unique_ptr<MemoryBuffer>> mb =
        MemoryBuffer::getFile(input.path, /*IsText=*/false,
                              /*RequiresNullTerminator=*/false);
    if (!mb) {
      diags.error("cannot open " + input.path + ": " + mb.getError().message());
      continue;
    }
    LibraryInput lib;
    lib.name = input.name;
    lib.buffer = MemoryBufferRef((*mb)->getBuffer(), input.path);
    lib.dlOpenable = input.dlOpenable;
    linker.addLibrary(std::move(lib));
    buffers.push_back(std::move(*mb));
  }
  if (diags.errorCount())
    return false;

  diags.log("-- plan");
  Expected<LinkPlan> plan = linker.plan();
  if (!plan) {
    diags.error(plan.takeError());
    return false;
  }
  diags.log("-- layout");
  Expected<Layout> layout = computeLayout(*plan);
  if (!layout) {
    diags.error(layout.takeError());
    return false;
  }
  if (!config.mapFile.empty()) {
    std::string text;
    raw_string_ostream os(text);
    writeLinkMap(os, *plan, *layout);
    if (!writeFile(config.mapFile, text, diags))
      return false;
  }
  diags.log("-- encode");
  std::vector<AdapterInput> adapterInputs;
  if (!readAdapters(config, diags, buffers, adapterInputs))
    return false;
  Expected<std::vector<uint8_t>> component =
      linkComponent(*plan, *layout, encoderOptionsFrom(config), adapterInputs);
  if (!component) {
    diags.error(component.takeError());
    return false;
  }
  return writeFile(config.outputFile,
                   StringRef(reinterpret_cast<const char *>(component->data()),
                             component->size()),
                   diags);
}

bool component::link(ArrayRef<const char *> argsArr, raw_ostream &stdoutOS,
                     raw_ostream &stderrOS, bool exitEarly,
                     bool disableOutput) {
  StringRef progname =
      argsArr.empty() ? "wasm-component-ld" : sys::path::stem(argsArr[0]);
  Diagnostics diags(stderrOS, progname);
  ArrayRef<const char *> argv = argsArr.drop_front(argsArr.empty() ? 0 : 1);
  // rustc passes `-flavor wasm` first, believing it talks to lld.
  if (argv.size() >= 2 && StringRef(argv[0]) == "-flavor")
    argv = argv.drop_front(2);

  BumpPtrAllocator alloc;
  ComponentOptTable table;
  InputArgList args = table.parse(argv, alloc, diags);

  // --error-limit and --fatal-warnings first: every later diagnostic depends
  // on them.
  if (Arg *arg = args.getLastArg(OPT_error_limit)) {
    unsigned limit;
    if (!to_integer(arg->getValue(), limit))
      diags.error("--error-limit: number expected, but got " +
                  Twine(arg->getValue()));
    else
      diags.errorLimit = limit;
  }
  diags.fatalWarnings =
      args.hasFlag(OPT_fatal_warnings, OPT_no_fatal_warnings, false);

  if (args.hasArg(OPT_help)) {
    std::string usage = (progname + " [options] <inputs>").str();
    table.printHelp(stdoutOS, usage.c_str(),
                    "wcl: the WebAssembly Component Linker",
                    /*ShowHidden=*/false, /*ShowAllAliases=*/false);
    stdoutOS.flush();
    return diags.errorCount() == 0;
  }
  if (args.hasArg(OPT_version) || args.hasArg(OPT_v)) {
    diags.message(getVersionString(), stdoutOS);
    return diags.errorCount() == 0;
  }
  if (diags.errorCount())
    return false;

  Config config;
  readConfigs(args, config, diags);
  diags.verbose = config.verbose;
  config.dryRun = args.hasArg(OPT_dry_run);
  // wasm-component-ld parses these WIT files and embeds their world; wcl
  // cannot parse WIT text yet, and silently dropping the world would give
  // a component without the interface the user asked for.
  if (!config.componentType.empty()) {
    diags.error("--component-type " + config.componentType.front() +
                ": not supported yet: wcl has no WIT text parser; embed the "
                "world into an object or module instead (wit-bindgen does, "
                "or `wasm-tools component embed`)");
    return false;
  }
  // What wasm-ld gets: every argument that is not ours, and those of ours
  // that wasm-ld has too, each exactly as spelled (its argv tokens).
  std::vector<Arg *> all(args.begin(), args.end());
  for (size_t i = 0; i < all.size(); ++i) {
    Arg *arg = all[i];
    unsigned id = arg->getOption().getID();
    bool forward = id == OPT_INPUT || id == OPT_UNKNOWN ||
                   arg->getOption().matches(OPT_error_limit) ||
                   arg->getOption().matches(OPT_fatal_warnings) ||
                   arg->getOption().matches(OPT_no_fatal_warnings) ||
                   arg->getOption().matches(OPT_verbose) ||
                   arg->getOption().matches(OPT_rsp_quoting) ||
                   arg->getOption().matches(OPT_map);
    if (!forward)
      continue;
    unsigned end = i + 1 < all.size() ? all[i + 1]->getIndex()
                                      : args.getNumInputArgStrings();
    for (unsigned t = arg->getIndex(); t < end; ++t) {
      StringRef token = args.getArgString(t);
      config.wasmLdArgs.push_back(token.str());
      config.shared |= token == "-shared" || token == "--shared";
    }
  }

  // Which path: -shared or object/archive inputs go to wasm-ld; only
  // dynamic libraries are linked into a component here.
  bool needsWasmLd = config.shared;
  for (const NamedInput &input : config.inputs)
    if (!input.dlOpenable && classifyInput(input.path) == InputKind::Other)
      needsWasmLd = true;
  // One linked module (not an object) is componentized directly.
  if (needsWasmLd && !config.shared && config.inputs.size() == 1 &&
      config.wasmLdArgs.size() == 1 && !config.outputFile.empty()) {
    if (std::optional<bool> done =
            componentizeModule(config, config.inputs[0].path, diags))
      return *done;
  }
  if (needsWasmLd)
    return runWasmLdPath(config, stdoutOS, stderrOS, progname, diags);

  for (Arg *arg : args.filtered(OPT_UNKNOWN))
    diags.error("unknown argument: " + arg->getAsString(args) +
                " (options other than wcl's go to wasm-ld, which runs only "
                "when object files or -shared are given)");
  checkOptions(config, diags);
  if (diags.errorCount())
    return false;

  if (config.inputs.empty()) {
    diags.error("no input files");
    return false;
  }
  if (config.outputFile.empty()) {
    diags.error("no output file: pass -o FILE");
    return false;
  }
  if (config.dryRun)
    return true; // no wasm-ld runs for dynamic libraries alone
  return linkDylibs(config, diags);
}
