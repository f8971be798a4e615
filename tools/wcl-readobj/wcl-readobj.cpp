//===- wcl-readobj.cpp - Dump wasm modules and components -----------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// wcl-readobj prints core modules and components in llvm-readobj's style
/// (or as JSON with --json); every lit test checks its outputs through it.
/// Each file is rendered in full before anything of it is written, so a
/// malformed input gives exactly one error line and no partial dump, and
/// FileCheck never matches facts from a half-read file.
///
//===----------------------------------------------------------------------===//

#include "wcl/Dump/Dump.h"
#include "wcl/Support/Version.h"
#include "wcl/Validate/Validate.h"
#include "wcl/WIT/Decode.h"
#include "wcl/WIT/Printer.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Option/Option.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ScopedPrinter.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>
#include <memory>
#include <string>

using namespace llvm;
using namespace llvm::opt;

namespace {

enum ID {
  OPT_INVALID = 0,
#define OPTION(...) LLVM_MAKE_OPT_ID(__VA_ARGS__),
#include "Opts.inc"
#undef OPTION
};

#define OPTTABLE_STR_TABLE_CODE
#include "Opts.inc"
#undef OPTTABLE_STR_TABLE_CODE

#define OPTTABLE_PREFIXES_TABLE_CODE
#include "Opts.inc"
#undef OPTTABLE_PREFIXES_TABLE_CODE

constexpr OptTable::Info optInfo[] = {
#define OPTION(...) LLVM_CONSTRUCT_OPT_INFO(__VA_ARGS__),
#include "Opts.inc"
#undef OPTION
};

class ReadobjOptTable : public GenericOptTable {
public:
  ReadobjOptTable()
      : GenericOptTable(OptionStrTable, OptionPrefixesTable, optInfo) {}
};

const char *toolName = "wcl-readobj";

void printVersion(raw_ostream &os) {
  // Tests pin the version through the environment (test/lit.cfg.py).
  if (const char *override = std::getenv("WCL_VERSION_OVERRIDE")) {
    os << toolName << " (" << override << ")\n";
    return;
  }
  os << toolName << " (wcl " << wcl::getVersion()
     << ", LLVM " LLVM_VERSION_STRING << ")\n";
}

void reportError(StringRef file, const Twine &msg) {
  WithColor::error(errs(), toolName) << "'" << file << "': " << msg << "\n";
}

/// Dumps \p bytes into \p w; on error, reports it against \p file. JSON
/// gives each file its own object in the top-level list; text output starts
/// each file at the outermost level, as llvm-readobj does.
bool dumpFile(ScopedPrinter &w, StringRef file, ArrayRef<uint8_t> bytes,
              const wcl::dump::DumpOptions &opts) {
  DictScope d;
  if (w.getKind() == ScopedPrinter::ScopedPrinterKind::JSON)
    d.setPrinter(w);
  w.printString("File", file);
  if (Error err = wcl::dump::dumpBinary(w, bytes, opts)) {
    reportError(file, toString(std::move(err)));
    return false;
  }
  return true;
}

/// --wit: decodes every `component-type*` section of the core module in
/// \p bytes on its own and prints its world as WIT.
bool printWit(StringRef file, ArrayRef<uint8_t> bytes, raw_ostream &os) {
  Expected<wcl::wasm::CoreModule> mod = wcl::wasm::readCoreModule(bytes, 0);
  if (!mod) {
    reportError(file, toString(mod.takeError()));
    return false;
  }
  std::string text;
  raw_string_ostream out(text);
  bool any = false;
  for (const wcl::wasm::Section &sec : mod->sections) {
    if (!sec.isCustom() ||
        !sec.name.starts_with(wcl::wasm::ComponentTypeSectionPrefix))
      continue;
    wcl::wit::Resolve resolve;
    Expected<wcl::wit::WorldMetadata> meta =
        wcl::wit::decodeWorld(resolve, sec.content, sec.contentOffset);
    if (!meta) {
      reportError(file, "invalid " + sec.name +
                            " section: " + toString(meta.takeError()));
      return false;
    }
    if (any)
      out << "\n";
    any = true;
    out << "// " << sec.name << "\n";
    wcl::wit::printWorld(resolve, meta->world, out);
  }
  if (!any) {
    reportError(file, "no component-type section to print as WIT");
    return false;
  }
  os << text;
  return true;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM x(argc, argv);
  ReadobjOptTable table;
  unsigned missingIndex, missingCount;
  opt::InputArgList args =
      table.ParseArgs(ArrayRef(argv + 1, argc - 1), missingIndex, missingCount);
  if (args.hasArg(OPT_help)) {
    table.printHelp(outs(), "wcl-readobj [options] <input files>",
                    "wcl-readobj: print WebAssembly core modules and "
                    "components");
    return 0;
  }
  if (args.hasArg(OPT_version)) {
    printVersion(outs());
    return 0;
  }
  bool badOption = false;
  for (const opt::Arg *arg : args.filtered(OPT_UNKNOWN)) {
    WithColor::error(errs(), toolName)
        << "unknown argument '" << arg->getAsString(args) << "'\n";
    badOption = true;
  }
  if (badOption)
    return 1;
  std::vector<std::string> inputFiles = args.getAllArgValues(OPT_INPUT);
  if (inputFiles.empty()) {
    WithColor::error(errs(), toolName) << "no input files\n";
    return 1;
  }
  bool validateInput = args.hasArg(OPT_validate);
  bool jsonOutput = args.hasArg(OPT_json);
  bool witOutput = args.hasArg(OPT_wit);

  wcl::dump::DumpOptions opts;
  opts.offsets = !args.hasArg(OPT_no_offsets);
  opts.sectionData = args.hasArg(OPT_section_data);

  std::string jsonText;
  raw_string_ostream jsonOS(jsonText);
  std::unique_ptr<JSONScopedPrinter> jsonPrinter;
  if (jsonOutput)
    jsonPrinter = std::make_unique<JSONScopedPrinter>(
        jsonOS, /*PrettyPrint=*/true, std::make_unique<ListScope>());

  bool ok = true;
  bool first = true;
  bool anyJson = false;
  for (const std::string &file : inputFiles) {
    ErrorOr<std::unique_ptr<MemoryBuffer>> buf =
        MemoryBuffer::getFileOrSTDIN(file, /*IsText=*/false,
                                     /*RequiresNullTerminator=*/false);
    if (!buf) {
      reportError(file, buf.getError().message());
      ok = false;
      continue;
    }
    ArrayRef<uint8_t> bytes(
        reinterpret_cast<const uint8_t *>((*buf)->getBufferStart()),
        (*buf)->getBufferSize());

    if (validateInput) {
      if (Error e =
              wcl::validate::validate(bytes, wcl::validate::Features::all())) {
        reportError(file, toString(std::move(e)));
        ok = false;
      }
    }

    if (witOutput) {
      if (!first)
        outs() << "\n";
      first = false;
      ok &= printWit(file, bytes, outs());
      continue;
    }

    // Render the text dump into a string first; it is the output in text
    // mode and the check that the file is readable in JSON mode, where a
    // half-written object would leave the document unbalanced.
    std::string text;
    raw_string_ostream textOS(text);
    ScopedPrinter textPrinter(textOS);
    if (!dumpFile(textPrinter, file, bytes, opts)) {
      ok = false;
      continue;
    }
    if (jsonOutput) {
      if (!dumpFile(*jsonPrinter, file, bytes, opts))
        ok = false;
      else
        anyJson = true;
      continue;
    }
    // Separate files as llvm-readobj does, with an empty line.
    if (!first)
      outs() << "\n";
    first = false;
    outs() << text;
  }
  if (jsonOutput) {
    jsonPrinter.reset(); // closes the outer list
    // Nothing at all for a run where every file failed, as in text mode.
    if (anyJson)
      outs() << jsonText << "\n";
  }
  return ok ? 0 : 1;
}
