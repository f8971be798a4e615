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
#include "wcl/Link/Layout.h"
#include "wcl/Link/LinkComponent.h"
#include "wcl/Link/LinkMap.h"
#include "wcl/Link/Linker.h"
#include "wcl/Support/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Option/Arg.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Option/Option.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileOutputBuffer.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/StringSaver.h"

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
  EncoderOptions encoderOptions;
  encoderOptions.debugNames = config.debugNames;
  Expected<std::vector<uint8_t>> component =
      linkComponent(*plan, *layout, encoderOptions);
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
  for (Arg *arg : args.filtered(OPT_UNKNOWN))
    diags.error("unknown argument: " + arg->getAsString(args));

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
  checkOptions(config, diags);
  diags.verbose = config.verbose;
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
  return linkDylibs(config, diags);
}
