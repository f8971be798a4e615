//===- WasmLd.cpp - wasm-ld in-process, and what follows it ---------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The path for objects, archives and -shared, as wasm-component-ld takes
/// it: lld's wasm flavor runs in this process with the arguments that are
/// not wcl's, its module is captured in memory, and is then componentized
/// (Componentize.cpp) or, when shared libraries were among wasm-ld's inputs,
/// linked with them by the shared-everything linker. Finding those libraries
/// means searching `-l` on the `-L` path the way wasm-ld does, which is why
/// that search lives here, next to the run.
///
//===----------------------------------------------------------------------===//

#include "ComponentDriver.h"
#include "OutputCapture.h"
#include "lld/Common/Driver.h"
#include "wcl/Driver/Driver.h"
#include "wcl/Support/Error.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

LLD_HAS_DRIVER(wasm)

using namespace llvm;
using namespace wcl;
using namespace wcl::driver;

int wcl::runWasmLd(ArrayRef<const char *> args, raw_ostream &stdoutOS,
                   raw_ostream &stderrOS, StringRef progname) {
  SmallVector<const char *, 64> argv;
  std::string name = progname.str();
  argv.push_back(name.c_str());
  if (!args.empty())
    argv.append(args.begin() + 1, args.end());
  lld::Result r =
      lld::lldMain(argv, stdoutOS, stderrOS, {{lld::Wasm, &lld::wasm::link}});
  stdoutOS.flush();
  stderrOS.flush();
  return r.retCode;
}

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

/// The flags a link against shared libraries adds (the program becomes a
/// position-independent executable importing its memory), unless given.
static SmallVector<const char *, 3> pieFlags(const Config &config) {
  SmallVector<const char *, 3> flags;
  for (const char *flag : {"-pie", "--experimental-pic", "--import-memory"})
    if (!is_contained(config.wasmLdArgs, flag))
      flags.push_back(flag);
  return flags;
}

/// -###, like clang's (on stdout): the wasm-ld command, each argument
/// quoted, with the flags a link against shared libraries adds.
static bool printDryRun(const Config &config, bool withSharedLibs,
                        raw_ostream &stdoutOS, Diagnostics &diags) {
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
  if (withSharedLibs)
    for (const char *flag : pieFlags(config))
      add(flag);
  add("-o");
  add(config.outputFile);
  diags.message(line, stdoutOS);
  return true;
}

/// A truncated or corrupt WebAssembly input gets one error line before
/// wasm-ld reads it: lld 22 aborts on some (a section size past the end of
/// the file). Components are not linker inputs; the reader says which they
/// are. The dynamic libraries (and --dl-openable inputs) are kept in
/// \p parsed: the shared-everything link takes them after wasm-ld. Inputs
/// already in \p parsed are not parsed again.
static bool checkWasmInputs(const Config &config, ParsedInputs &parsed,
                            Diagnostics &diags) {
  for (const NamedInput &input : config.inputs) {
    if (auto it = parsed.find(input.path); it != parsed.end()) {
      if (!it->second.module.dylink && !input.dlOpenable)
        parsed.erase(it);
      continue;
    }
    if (classifyInput(input.path) == InputKind::Unreadable)
      continue; // wasm-ld reports missing files itself
    ErrorOr<std::unique_ptr<MemoryBuffer>> mb =
        MemoryBuffer::getFile(input.path, /*IsText=*/false,
                              /*RequiresNullTerminator=*/false);
    if (!mb || !(*mb)->getBuffer().starts_with(StringRef("\0asm", 4)))
      continue;
    Expected<ParsedModule> mod = ParsedModule::parse(
        ModuleBytes::fromFile(std::move(*mb)), input.path, &diags);
    if (!mod) {
      diags.error(addContext(mod.takeError(), input.path));
      return false;
    }
    if (mod->module.dylink || input.dlOpenable)
      parsed.insert_or_assign(input.path, std::move(*mod));
  }
  return true;
}

/// The shared-everything link of wasm-ld's module \p main (its name that of
/// the output file) with \p sharedLibs and the --dl-openable inputs, in
/// that order; inputs parsed before wasm-ld ran are not parsed again.
static bool linkWithSharedLibs(const Config &config, ParsedModule main,
                               ArrayRef<NamedInput> sharedLibs,
                               ParsedInputs &parsed, Diagnostics &diags) {
  std::vector<LinkInput> inputs;
  inputs.push_back(
      {{sys::path::filename(config.outputFile).str(), config.outputFile, false},
       std::move(main)});
  auto add = [&](const NamedInput &input) {
    LinkInput in{input, std::nullopt};
    // A path given twice is parsed again for its second use.
    if (auto it = parsed.find(input.path); it != parsed.end()) {
      in.parsed = std::move(it->second);
      parsed.erase(it);
    }
    inputs.push_back(std::move(in));
  };
  for (const NamedInput &input : sharedLibs)
    add(input);
  for (const NamedInput &input : config.inputs)
    if (input.dlOpenable)
      add(input);
  std::optional<std::vector<std::shared_ptr<const InputModule>>> modules =
      readInputModules(config, std::move(inputs), diags);
  if (!modules)
    return false;
  return linkDylibs(config, std::move(*modules), diags);
}

/// Takes the module wasm-ld wrote to memory on to a component: alone, or
/// composed with \p sharedLibs (and the --dl-openable inputs) by the
/// shared-everything linker.
static bool componentizeLinked(const Config &config,
                               std::vector<uint8_t> linked,
                               StringRef capturePath,
                               ArrayRef<NamedInput> sharedLibs,
                               ParsedInputs &parsed, Diagnostics &diags) {
  Expected<ParsedModule> mod = ParsedModule::parse(
      ModuleBytes::fromVector(std::move(linked)), "wasm-ld's output", &diags);
  if (!mod) {
    diags.error(addContext(mod.takeError(), "wasm-ld's output"));
    return false;
  }
  // lld names the module after its output file, here the capture's path:
  // give it the name it would have had written to the output path. The
  // renamed module is new bytes, so it is parsed again.
  const wasm::CoreModule *m = &mod->module;
  if (m->names &&
      m->names->getModuleName() ==
          std::optional<StringRef>(sys::path::filename(capturePath))) {
    StringRef name = sys::path::filename(config.outputFile);
    mod = ParsedModule::parse(ModuleBytes::fromVector(rewriteModuleForComponent(
                                  *m, name, nullptr, /*keepWitMetadata=*/true)),
                              ("wasm-ld's output, renamed " + name).str(),
                              &diags);
    if (!mod) {
      diags.error(addContext(mod.takeError(), "wasm-ld's output"));
      return false;
    }
  }
  if (!sharedLibs.empty())
    return linkWithSharedLibs(config, std::move(*mod), sharedLibs, parsed,
                              diags);
  // -pie (or -r) output is not a program: it would need the shared-
  // everything linker, with the libraries it was linked against.
  const wasm::CoreModule &module = mod->module;
  if (module.dylink || module.findCustomSection("linking")) {
    diags.error("wasm-ld produced a " +
                Twine(module.dylink ? "position-independent module"
                                    : "relocatable object") +
                ", not a program; pass --skip-wit-component to keep it as "
                "is");
    return false;
  }
  return componentizeParsed(config, module, config.outputFile,
                            /*builtInWasiAdapter=*/true, diags);
}

bool driver::runWasmLdPath(const Config &config, ParsedInputs parsed,
                           raw_ostream &stdoutOS, raw_ostream &stderrOS,
                           StringRef progname, Diagnostics &diags) {
  if (config.outputFile.empty()) {
    diags.error("no output file: pass -o FILE");
    return false;
  }
  bool componentize = !config.shared && !config.skipWitComponent;
  // With shared libraries among the inputs, the program is linked as a
  // position-independent executable and then composed with them by the
  // shared-everything linker, in this one call.
  std::vector<NamedInput> sharedLibs;
  if (componentize)
    sharedLibs = sharedLibraryInputs(config);
  if (config.dryRun)
    return printDryRun(config, !sharedLibs.empty(), stdoutOS, diags);
  if (!checkWasmInputs(config, parsed, diags))
    return false;

  SmallVector<const char *, 64> argv{"wasm-component-ld"};
  for (const std::string &a : config.wasmLdArgs)
    argv.push_back(a.c_str());
  for (const std::string &a : config.appendLldFlag)
    argv.push_back(a.c_str());
  if (!sharedLibs.empty())
    llvm::append_range(argv, pieFlags(config));
  // A module to componentize goes to a pipe drained into memory (see
  // OutputCapture.h); anything else to its file.
  std::unique_ptr<OutputCapture> capture;
  if (componentize) {
    Expected<std::unique_ptr<OutputCapture>> c = OutputCapture::create();
    if (!c) {
      diags.error(c.takeError());
      return false;
    }
    capture = std::move(*c);
  }
  std::string outputPath = capture ? capture->path().str() : config.outputFile;
  argv.push_back("-o");
  argv.push_back(outputPath.c_str());
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
  int rc = runWasmLd(argv, stdoutOS, stderrOS, lldName);
  if (!componentize)
    return rc == 0;
  std::vector<uint8_t> linked = capture->finish();
  if (rc != 0)
    return false; // wasm-ld reported why
  return componentizeLinked(config, std::move(linked), capture->path(),
                            sharedLibs, parsed, diags);
}
