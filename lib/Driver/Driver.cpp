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
/// onto Config fields and checkOptions rejects bad combinations. Then one of
/// three paths is chosen by what the inputs are; the dynamic-library path,
/// a call into lib/Link, is here, the other two have their own files.
///
//===----------------------------------------------------------------------===//

#include "wcl/Driver/Driver.h"
#include "ComponentDriver.h"
#include "wcl/Link/Layout.h"
#include "wcl/Link/LinkMap.h"
#include "wcl/Link/Linker.h"
#include "wcl/Support/Error.h"
#include "wcl/Validate/Validate.h"
#include "wcl/Wasm/BinaryReader.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Option/Arg.h"
#include "llvm/Option/Option.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileOutputBuffer.h"
#include "llvm/Support/Parallel.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/StringSaver.h"
#include <mutex>

using namespace llvm;
using namespace llvm::opt;
using namespace wcl;
using namespace wcl::driver;

namespace {

enum {
  OPT_INVALID = 0,
#define OPTION(...) LLVM_MAKE_OPT_ID(__VA_ARGS__),
#include "Options.inc"
#undef OPTION
};

/// Options.td's own flags, after llvm::opt::DriverFlag's bits.
enum ComponentFlag {
  /// wasm-ld has the option too: it is passed on when wasm-ld runs.
  WasmLdToo = (1 << 4),
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

} // namespace

ComponentOptTable::ComponentOptTable()
    : GenericOptTable(OptionStrTable, OptionPrefixesTable, optInfo) {}

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
static bool getBoolEq(const InputArgList &args, unsigned flagId, unsigned eqId,
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

/// What wasm-ld gets: every argument that is not ours, and those of ours
/// that wasm-ld has too (WasmLdToo in Options.td), each exactly as spelled
/// (its argv tokens).
static void collectWasmLdArgs(const InputArgList &args, Config &config) {
  std::vector<const Arg *> all(args.begin(), args.end());
  for (size_t i = 0; i < all.size(); ++i) {
    const Arg *arg = all[i];
    unsigned id = arg->getOption().getID();
    bool forward = id == OPT_INPUT || id == OPT_UNKNOWN ||
                   arg->getOption().hasFlag(WasmLdToo);
    if (!forward)
      continue;
    config.wasmLdOnlyArgs |= id == OPT_UNKNOWN;
    if (id == OPT_UNKNOWN) {
      StringRef spelling = args.getArgString(arg->getIndex());
      config.wasmLdLibraryArgs |= spelling.starts_with("-l") ||
                                  (spelling.starts_with("--library") &&
                                   !spelling.starts_with("--library-path"));
    }
    bool isMap = id == OPT_map || id == OPT_map_eq;
    unsigned end = i + 1 < all.size() ? all[i + 1]->getIndex()
                                      : args.getNumInputArgStrings();
    for (unsigned t = arg->getIndex(); t < end; ++t) {
      StringRef token = args.getArgString(t);
      if (isMap)
        config.mapTokens.push_back(config.wasmLdArgs.size());
      config.wasmLdArgs.push_back(token.str());
      config.shared |= token == "-shared" || token == "--shared";
    }
  }
}

static std::optional<StringEncoding> parseStringEncoding(StringRef v) {
  if (v == "utf8")
    return StringEncoding::Utf8;
  if (v == "utf16")
    return StringEncoding::Utf16;
  if (v == "compact-utf16")
    return StringEncoding::CompactUtf16;
  return std::nullopt;
}

void driver::readConfigs(const InputArgList &args, Config &config,
                         Diagnostics &diags) {
  if (Arg *arg = args.getLastArg(OPT_o, OPT_output))
    config.outputFile = arg->getValue();

  // The value of a wasm-ld option given as the next argument (`-L dir`)
  // parses as an input of ours; it is wasm-ld's.
  SmallDenseSet<unsigned, 8> wasmLdValues;
  for (Arg *arg : args.filtered(OPT_UNKNOWN))
    if (wasmLdTakesSeparateValue(args.getArgString(arg->getIndex())))
      wasmLdValues.insert(arg->getIndex() + 1);
  // `--validate false` (clap's style with a space) would make `false` an
  // input file; these booleans take their value after `=`.
  SmallDenseSet<unsigned, 8> boolValues;
  for (Arg *arg :
       args.filtered(OPT_debug_names, OPT_validate, OPT_validate_component,
                     OPT_merge_imports_based_on_semver, OPT_return_call_ref))
    boolValues.insert(arg->getIndex() + 1);
  for (Arg *arg : args.filtered(OPT_INPUT)) {
    StringRef v = arg->getValue();
    if (boolValues.contains(arg->getIndex()) && (v == "true" || v == "false"))
      diags.error(Twine(args.getArgString(arg->getIndex() - 1)) + " " + v +
                  ": write the value after '=' (" +
                  args.getArgString(arg->getIndex() - 1) + "=" + v + ")");
  }
  // Libraries keep their command-line order, plain and --dl-openable
  // interleaved.
  for (Arg *arg : args.filtered(OPT_INPUT, OPT_dl_openable)) {
    bool dlOpenable = arg->getOption().getID() == OPT_dl_openable;
    if (!dlOpenable && wasmLdValues.contains(arg->getIndex()))
      continue;
    config.inputs.push_back(parseNamedInput(arg->getValue(), dlOpenable));
  }
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
  bool validateOn =
      getBoolEq(args, OPT_validate, OPT_validate_eq, false, diags) ||
      getBoolEq(args, OPT_validate_component, OPT_validate_component_eq, false,
                diags);
  bool validateGiven =
      args.hasArg(OPT_validate, OPT_validate_eq, OPT_validate_component,
                  OPT_validate_component_eq);
  bool skip = args.hasArg(OPT_skip_validation);
  config.validate = validateOn && !skip;
  config.noValidate = skip || (validateGiven && !validateOn);
  config.mergeImportsBasedOnSemver =
      getBoolEq(args, OPT_merge_imports_based_on_semver,
                OPT_merge_imports_based_on_semver_eq, true, diags);
  config.rejectLegacyNames = args.hasArg(OPT_reject_legacy_names);
  config.reallocViaMemoryGrow = args.hasArg(OPT_realloc_via_memory_grow);
  config.returnCallRef = getBoolEq(args, OPT_return_call_ref,
                                   OPT_return_call_ref_eq, false, diags);
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
    if (std::optional<StringEncoding> e = parseStringEncoding(arg->getValue()))
      config.stringEncoding = *e;
    else
      diags.error("invalid --string-encoding: " + Twine(arg->getValue()) +
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
  config.dryRun = args.hasArg(OPT_dry_run);
  collectWasmLdArgs(args, config);
}

/// Library (or adapter) names become import and instance names in the
/// component, so two may not share one.
static void checkUniqueNames(ArrayRef<NamedInput> inputs, StringRef what,
                             Diagnostics &diags) {
  StringMap<const NamedInput *> seen;
  for (const NamedInput &input : inputs) {
    auto [it, inserted] = seen.try_emplace(input.name, &input);
    if (!inserted)
      diags.error("duplicate " + what + " name '" + input.name +
                  "': " + it->second->path + " and " + input.path +
                  " (name one with NAME=PATH)");
  }
}

void driver::checkOptions(const Config &config, Diagnostics &diags) {
  // wasm-component-ld parses these WIT files and embeds their world; wcl
  // cannot parse WIT text yet, and silently dropping the world would give
  // a component without the interface the user asked for.
  if (!config.componentType.empty())
    diags.error("--component-type " + config.componentType.front() +
                ": not supported yet: wcl has no WIT text parser; embed the "
                "world into an object or module instead (wit-bindgen does, "
                "or `wasm-tools component embed`)");
  // The env module's stack pointer starts at the top of the stack, which
  // the C ABI wants 16-byte aligned.
  if (config.stackSize && (*config.stackSize == 0 || *config.stackSize % 16))
    diags.error("--stack-size=" + Twine(*config.stackSize) +
                ": the stack size must be a positive multiple of 16");
  checkUniqueNames(config.inputs, "library", diags);
  checkUniqueNames(config.adapters, "adapter", diags);
}

bool driver::writeFile(StringRef path, StringRef text, Diagnostics &diags) {
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

ErrorOr<std::unique_ptr<MemoryBuffer>> driver::openInput(StringRef path) {
  if (path != "-")
    return MemoryBuffer::getFile(path, /*IsText=*/false,
                                 /*RequiresNullTerminator=*/false);
  static std::unique_ptr<MemoryBuffer> stdinBytes;
  static std::once_flag once;
  static std::error_code stdinError;
  std::call_once(once, [] {
    ErrorOr<std::unique_ptr<MemoryBuffer>> mb = MemoryBuffer::getSTDIN();
    if (mb)
      stdinBytes = std::move(*mb);
    else
      stdinError = mb.getError();
  });
  if (!stdinBytes)
    return stdinError;
  return MemoryBuffer::getMemBufferCopy(stdinBytes->getBuffer(), "-");
}

/// DynamicLinking.md requires `dylink.0` to be a dynamic library's first
/// section, so the first 64 bytes decide; large archives and objects cost
/// nothing. An unreadable file is reported later, by the path that opens it.
InputKind driver::classifyInput(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> mb =
      path == "-" ? openInput(path)
                  : MemoryBuffer::getFileSlice(path, /*MapSize=*/64,
                                               /*Offset=*/0);
  if (!mb)
    return InputKind::Unreadable;
  wasm::BinaryReader reader(ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>((*mb)->getBufferStart()),
      (*mb)->getBufferSize()));
  Expected<wasm::BinaryKind> kind = wasm::readPreamble(reader);
  if (!kind) {
    consumeError(kind.takeError()); // not wasm: wasm-ld decides what it is
    return InputKind::Other;
  }
  if (*kind != wasm::BinaryKind::CoreModule)
    return InputKind::Other;
  // A custom section (id 0), its size, then its name.
  Expected<uint8_t> id = reader.readU8();
  if (!id || *id != 0) {
    consumeError(id.takeError());
    return InputKind::Other;
  }
  Expected<uint32_t> size = reader.readVarU32();
  if (!size) {
    consumeError(size.takeError());
    return InputKind::Other;
  }
  Expected<StringRef> name = reader.readName();
  if (!name) {
    consumeError(name.takeError());
    return InputKind::Other;
  }
  return *name == wasm::DylinkSectionName ? InputKind::DynamicLibrary
                                          : InputKind::Other;
}

LinkPath driver::choosePath(const Config &config, ParsedInputs &parsed,
                            Diagnostics &diags) {
  // -shared, object/archive inputs, or only wasm-ld's own inputs (`-lc`)
  // go to wasm-ld; dynamic libraries alone are linked into a component
  // here.
  bool needsWasmLd = config.shared || config.wasmLdLibraryArgs;
  for (const NamedInput &input : config.inputs)
    if (!input.dlOpenable && classifyInput(input.path) == InputKind::Other)
      needsWasmLd = true;
  if (!needsWasmLd)
    return LinkPath::Dylibs;
  // One linked module (not an object) and nothing for wasm-ld to do: it is
  // componentized as it is.
  if (!config.shared && !config.wasmLdOnlyArgs && config.inputs.size() == 1 &&
      !config.inputs[0].dlOpenable &&
      isLinkedModule(config.inputs[0].path, parsed, diags))
    return LinkPath::ComponentNew;
  return LinkPath::WasmLd;
}

/// Options that only a link of dynamic libraries uses.
static const char *linkOnlyOption(const Config &config) {
  if (config.stackSize)
    return "--stack-size";
  if (config.stubMissingFunctions)
    return "--stub-missing-functions";
  if (config.useBuiltInLibdl)
    return "--use-built-in-libdl";
  return nullptr;
}

/// Options that only matter when a component is made.
static const char *componentOnlyOption(const Config &config) {
  if (!config.adapters.empty())
    return "--adapt";
  if (!config.wasiAdapter.empty())
    return "--wasi-adapter";
  if (!config.importName.empty())
    return "--import-name";
  if (config.rejectLegacyNames)
    return "--reject-legacy-names";
  if (config.reallocViaMemoryGrow)
    return "--realloc-via-memory-grow";
  if (config.returnCallRef)
    return "--return-call-ref";
  return nullptr;
}

void driver::checkPathOptions(const InputArgList &args, const Config &config,
                              LinkPath path, Diagnostics &diags) {
  bool composesLibraries = path == LinkPath::Dylibs;
  bool makesComponent = !config.shared && !config.skipWitComponent;
  if (path == LinkPath::WasmLd) {
    if (config.outputFile.empty() && !config.dryRun)
      diags.error("no output file: pass -o FILE");
    if (!makesComponent) {
      if (const char *option = componentOnlyOption(config))
        diags.warn(Twine(option) + " has no effect: with " +
                   (config.shared ? "-shared" : "--skip-wit-component") +
                   " wasm-ld's module is written as it is, not made a "
                   "component");
      return;
    }
    // wasm-ld's module is composed with the .so and --dl-openable inputs.
    composesLibraries = llvm::any_of(config.inputs, [](const NamedInput &in) {
      return in.dlOpenable ||
             classifyInput(in.path) == InputKind::DynamicLibrary;
    });
  }
  if (!composesLibraries)
    if (const char *option = linkOnlyOption(config))
      diags.warn(Twine(option) +
                 " has no effect: it applies to links of dynamic libraries "
                 "(.so inputs), and there are none");
  if (path == LinkPath::WasmLd)
    return;

  // No wasm-ld runs on the other two paths.
  StringRef what = path == LinkPath::Dylibs
                       ? "the inputs are dynamic libraries, which wcl links "
                         "itself"
                       : "the input is a linked module, which wcl "
                         "componentizes as it is";
  for (Arg *arg : args.filtered(OPT_UNKNOWN))
    diags.error("unknown argument: " + arg->getAsString(args) +
                " (options other than wcl's go to wasm-ld, which runs only "
                "when object files or -shared are given)");
  if (!config.appendLldFlag.empty())
    diags.warn("--append-lld-flag has no effect: no wasm-ld runs: " + what);
  if (config.skipWitComponent)
    diags.warn("--skip-wit-component has no effect: no wasm-ld runs: " + what);
  if (config.dryRun)
    diags.warn("-###: no wasm-ld command to print: " + what);
  else if (config.outputFile.empty())
    diags.error("no output file: pass -o FILE");
  if (path == LinkPath::ComponentNew && !config.mapFile.empty())
    diags.warn("--Map has no effect: " + what + ", without a link");
}

bool driver::validateOutput(ArrayRef<uint8_t> component, StringRef phase,
                            Diagnostics &diags) {
  // Every feature: the inputs chose their proposals, and the output only
  // has to be well-formed under them.
  if (Error e = validate::validate(component, validate::Features::all())) {
    diags.error("internal error: the component the " + phase +
                " produced is invalid: " + toString(std::move(e)) +
                " (please report this; --skip-validation writes it anyway)");
    return false;
  }
  return true;
}

bool driver::writeOutput(const Config &config, StringRef path, StringRef bytes,
                         raw_ostream &stdoutOS, Diagnostics &diags) {
  if (config.disableOutput)
    return true;
  if (path == "-") {
    stdoutOS << bytes;
    stdoutOS.flush();
    return true;
  }
  return writeFile(path, bytes, diags);
}

LinkOptions driver::linkOptionsFrom(const Config &config) {
  LinkOptions options;
  if (config.stackSize)
    options.stackSize = *config.stackSize;
  options.stubMissingFunctions = config.stubMissingFunctions;
  options.useBuiltInLibdl = config.useBuiltInLibdl;
  options.adapterNames = AdapterSet::names(config);
  return options;
}

std::optional<std::vector<std::shared_ptr<const InputModule>>>
driver::readInputModules(const Config &config, std::vector<LinkInput> inputs,
                         Diagnostics &diags) {
  diags.log("-- read inputs");
  // Every missing file is reported before any input is parsed.
  std::vector<std::unique_ptr<MemoryBuffer>> files(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].parsed)
      continue;
    const std::string &path = inputs[i].named.path;
    ErrorOr<std::unique_ptr<MemoryBuffer>> mb = openInput(path);
    if (!mb) {
      diags.error("cannot open " + path + ": " + mb.getError().message());
      continue;
    }
    files[i] = std::move(*mb);
  }
  if (diags.errorCount())
    return std::nullopt;

  std::vector<std::string> adapterNames = linkOptionsFrom(config).adapterNames;
  for (const LinkInput &input : inputs)
    if (!input.parsed)
      diags.log("parse " + input.named.name);
  // Inputs are independent, so each is parsed and its metadata read on a
  // thread of its own (--threads). Results are taken in input order, so the
  // output and the error reported do not depend on the thread count.
  using Result = Expected<std::shared_ptr<const InputModule>>;
  std::vector<std::optional<Result>> results(inputs.size());
  parallelFor(0, inputs.size(), [&](size_t i) {
    NamedInput &named = inputs[i].named;
    results[i].emplace(
        inputs[i].parsed
            ? InputModule::create(named.name, std::move(*inputs[i].parsed),
                                  named.dlOpenable, adapterNames)
            : InputModule::read(named.name,
                                ModuleBytes::fromFile(std::move(files[i])),
                                named.dlOpenable, adapterNames, nullptr));
  });
  std::vector<std::shared_ptr<const InputModule>> modules;
  for (std::optional<Result> &result : results) {
    if (!*result) {
      // The first failing input in command-line order is reported, as a
      // serial link would; the others are dropped with it.
      diags.error(result->takeError());
      for (std::optional<Result> &rest : results)
        if (!*rest)
          consumeError(rest->takeError());
      return std::nullopt;
    }
    modules.push_back(std::move(**result));
  }
  return modules;
}

/// The --Map text of a link: the link plan, after wasm-ld's map of the
/// main module when wasm-ld made it (objects and `.so` files in one call),
/// each under a header that says which it is.
static std::string linkMapText(const LinkPlan &plan, const Layout &layout,
                               StringRef ldMap) {
  std::string text;
  raw_string_ostream os(text);
  if (!ldMap.empty())
    os << "# wasm-ld: the main module, linked from the objects\n"
       << ldMap << (ldMap.ends_with("\n") ? "" : "\n")
       << "\n# wcl: the link plan of the main module and the libraries\n";
  writeLinkMap(os, plan, layout);
  return text;
}

bool driver::linkDylibs(const Config &config,
                        std::vector<std::shared_ptr<const InputModule>> inputs,
                        StringRef ldMap, raw_ostream &stdoutOS,
                        Diagnostics &diags) {
  bool importsWasi = false, exportsStart = false;
  for (const std::shared_ptr<const InputModule> &input : inputs) {
    importsWasi |= AdapterSet::importsWasi(input->module());
    exportsStart |= input->meta.hasWasiStart;
  }
  Linker linker(linkOptionsFrom(config), &diags);
  for (std::shared_ptr<const InputModule> &input : inputs)
    linker.addLibrary(std::move(input));

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
  diags.log("-- encode");
  AdapterSet adapters;
  if (!adapters.read(config, importsWasi, exportsStart, diags))
    return false;
  Expected<std::vector<uint8_t>> component = linkComponent(
      *plan, *layout, encoderOptionsFrom(config, diags), adapters.inputs());
  if (!component) {
    diags.error(component.takeError());
    return false;
  }
  // The libraries path validates its output unless told not to, as
  // `wasm-tools component link` does.
  if (!config.noValidate &&
      !validateOutput(*component, "shared-everything link", diags))
    return false;
  // Nothing is written unless the whole link succeeded.
  if (!config.mapFile.empty() &&
      !writeOutput(config, config.mapFile, linkMapText(*plan, *layout, ldMap),
                   stdoutOS, diags))
    return false;
  return writeOutput(config, config.outputFile, toStringRef(*component),
                     stdoutOS, diags);
}

/// --error-limit and --fatal-warnings: every later diagnostic depends on
/// them, so they are read before anything else.
static void readDiagnosticOptions(const InputArgList &args,
                                  Diagnostics &diags) {
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
}

/// --threads=N, as lld reads it: the pool llvm::parallelFor uses. wasm-ld,
/// when it runs, reads the same flag again.
static void readThreadsOption(const InputArgList &args, Diagnostics &diags) {
  Arg *arg = args.getLastArg(OPT_threads);
  if (!arg)
    return;
  unsigned threads = 0;
  if (!to_integer(arg->getValue(), threads) || threads == 0) {
    diags.error("--threads: expected a positive integer, but got '" +
                Twine(arg->getValue()) + "'");
    return;
  }
  parallel::strategy = hardware_concurrency(threads);
}

/// How the flavor chooses what to do, after the option list.
static constexpr StringLiteral PathsHelp = R"(
HOW INPUTS ARE LINKED:
  Objects, archives, -lNAME or -shared: wasm-ld links them in-process with
  every option wcl does not own, in order (WASM-LD OPTIONS below). Its module
  is made a component, with the WASI preview1 adapter when it imports
  wasi_snapshot_preview1 (--wasi-adapter); with -shared or
  --skip-wit-component it is written as it is. With .so files among the
  inputs, the module is linked -pie and composed with them as below, in the
  same call; --Map then holds wasm-ld's map and the link plan.

  Dynamic libraries only (.so files with dylink.0, and --dl-openable ones):
  wcl links them into one component as `wasm-tools component link` does,
  with a synthesized env module. Libraries are initialized (constructors
  run) in dependency order, and in command-line order where no dependency
  decides; --Map writes the link plan.

  One linked core module: it is made a component as `wasm-tools component
  new` does, from the WIT world embedded in it, with --adapt adapters and
  the WASI adapter.

  Options that do nothing on the path taken get a warning saying why.
)";

/// --help: wcl's options, how inputs are linked, and wasm-ld's options as
/// the in-process wasm-ld lists them (its own table, so never out of date).
static void printHelp(ComponentOptTable &table, StringRef progname,
                      raw_ostream &os) {
  std::string usage = (progname + " [options] <inputs>").str();
  table.printHelp(os, usage.c_str(), "wcl: the WebAssembly Component Linker",
                  /*ShowHidden=*/false, /*ShowAllAliases=*/false);
  os << PathsHelp;
  StringRef ldHelp = getWasmLdHelp();
  size_t options = ldHelp.find("OPTIONS:\n");
  if (options != StringRef::npos)
    os << "\nWASM-LD OPTIONS (passed to wasm-ld as given, when it runs):\n"
       << ldHelp.drop_front(options + strlen("OPTIONS:\n"));
  os.flush();
}

bool component::link(ArrayRef<const char *> argsArr, raw_ostream &stdoutOS,
                     raw_ostream &stderrOS, bool exitEarly,
                     bool disableOutput) {
  StringRef progname =
      argsArr.empty() ? "wasm-component-ld" : sys::path::stem(argsArr[0]);
  Diagnostics diags(stderrOS, progname);
  // lld's exitEarly: once the outputs are written, the process may end
  // without destructors, which for a big link would free every parsed
  // module one by one.
  auto finish = [&](bool ok) {
    if (exitEarly) {
      stdoutOS.flush();
      stderrOS.flush();
      outs().flush();
      errs().flush();
      sys::Process::Exit(ok ? 0 : 1, /*NoCleanup=*/true);
    }
    return ok;
  };
  ArrayRef<const char *> argv = argsArr.drop_front(argsArr.empty() ? 0 : 1);
  // rustc passes `-flavor wasm` first, believing it talks to lld.
  if (argv.size() >= 2 && StringRef(argv[0]) == "-flavor")
    argv = argv.drop_front(2);

  BumpPtrAllocator alloc;
  ComponentOptTable table;
  InputArgList args = table.parse(argv, alloc, diags);
  readDiagnosticOptions(args, diags);
  readThreadsOption(args, diags);

  if (args.hasArg(OPT_help)) {
    printHelp(table, progname, stdoutOS);
    return diags.errorCount() == 0;
  }
  // --version prints and stops; -v prints and links, as wasm-ld's -v does
  // (and stops too when there is nothing to link).
  if (args.hasArg(OPT_version) || args.hasArg(OPT_v)) {
    diags.message(getVersionString(), stdoutOS);
    if (args.hasArg(OPT_version) || !args.hasArg(OPT_INPUT, OPT_dl_openable))
      return diags.errorCount() == 0;
  }
  if (diags.errorCount())
    return false;

  Config config;
  config.disableOutput = disableOutput;
  readConfigs(args, config, diags);
  diags.verbose = config.verbose;
  checkOptions(config, diags);
  if (diags.errorCount())
    return finish(false);

  ParsedInputs parsed;
  LinkPath path = choosePath(config, parsed, diags);
  checkPathOptions(args, config, path, diags);
  if (diags.errorCount())
    return finish(false);

  switch (path) {
  case LinkPath::WasmLd:
    return finish(runWasmLdPath(config, std::move(parsed), stdoutOS, stderrOS,
                                progname, diags));
  case LinkPath::ComponentNew: {
    if (config.dryRun)
      return finish(true); // checkPathOptions said why nothing is printed
    const std::string &input = config.inputs[0].path;
    return finish(componentizeParsed(config, parsed.at(input).module, input,
                                     stdoutOS, diags));
  }
  case LinkPath::Dylibs:
    break;
  }
  if (config.dryRun)
    return finish(true);
  if (config.inputs.empty()) {
    diags.error("no input files");
    return finish(false);
  }
  std::vector<LinkInput> inputs;
  for (const NamedInput &input : config.inputs)
    inputs.push_back({input, std::nullopt});
  std::optional<std::vector<std::shared_ptr<const InputModule>>> modules =
      readInputModules(config, std::move(inputs), diags);
  if (!modules)
    return finish(false);
  return finish(
      linkDylibs(config, std::move(*modules), /*ldMap=*/"", stdoutOS, diags));
}
