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
#include "wcl/Wasm/LinkingSections.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Object/Archive.h"
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

/// The files wasm-ld finds for `-lNAME` on the `-L` path, searched the way
/// it searches for a dynamic link (each directory in order; `libNAME.so`
/// before `libNAME.a`). `-l:FILE` names a file wasm-ld opens itself.
static std::vector<std::string> searchLibraries(const Config &config) {
  std::vector<std::string> dirs, libs, found;
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
      continue;
    for (const std::string &dir : dirs) {
      SmallString<128> so(dir), archive(dir);
      sys::path::append(so, "lib" + lib + ".so");
      sys::path::append(archive, "lib" + lib + ".a");
      if (sys::fs::exists(so)) {
        found.push_back(so.str().str());
        break;
      }
      if (sys::fs::exists(archive)) {
        found.push_back(archive.str().str());
        break;
      }
    }
  }
  return found;
}

/// The shared libraries among wasm-ld's inputs: `.so` paths, and `-lNAME`
/// found as `libNAME.so` (searchLibraries).
static std::vector<NamedInput> sharedLibraryInputs(const Config &config) {
  std::vector<NamedInput> out;
  for (const NamedInput &input : config.inputs)
    if (!input.dlOpenable &&
        classifyInput(input.path) == InputKind::DynamicLibrary)
      out.push_back(input);
  for (const std::string &path : searchLibraries(config))
    if (StringRef(path).ends_with(".so"))
      out.push_back({sys::path::filename(path).str(), path, false});
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

/// wasm-ld's arguments after its name, the one list both the run and -###
/// use: every argument that is not wcl's as spelled, --append-lld-flag's,
/// the flags a link against shared libraries needs, and the output. With
/// \p mapPath, --Map is given that path instead of the user's (whose file
/// then holds wasm-ld's map and the link plan).
static std::vector<std::string> buildWasmLdArgs(const Config &config,
                                                bool withSharedLibs,
                                                StringRef outputPath,
                                                StringRef mapPath) {
  std::vector<std::string> argv;
  for (size_t i = 0; i < config.wasmLdArgs.size(); ++i)
    if (mapPath.empty() || !is_contained(config.mapTokens, i))
      argv.push_back(config.wasmLdArgs[i]);
  llvm::append_range(argv, config.appendLldFlag);
  if (withSharedLibs)
    for (const char *flag : pieFlags(config))
      argv.push_back(flag);
  if (!mapPath.empty())
    argv.push_back(("--Map=" + mapPath).str());
  argv.push_back("-o");
  argv.push_back(outputPath.str());
  return argv;
}

/// -###, like clang's (on stdout): the wasm-ld command, each argument
/// quoted.
static void printDryRun(ArrayRef<std::string> args, raw_ostream &stdoutOS,
                        Diagnostics &diags) {
  std::string line = "\"wasm-ld\"";
  for (const std::string &a : args) {
    line += " \"";
    for (char c : a) {
      if (c == '"' || c == '\\')
        line += '\\';
      line += c;
    }
    line += "\"";
  }
  diags.message(line, stdoutOS);
}

/// Each WebAssembly member of the archive \p mb, checked as wasm-ld would
/// read it once extracted: LLVM's archive reader fails softly, its wasm
/// reader does not.
static Error checkArchive(MemoryBufferRef mb) {
  Expected<std::unique_ptr<object::Archive>> archive =
      object::Archive::create(mb);
  if (!archive)
    return archive.takeError();
  Error err = Error::success();
  for (const object::Archive::Child &child : (*archive)->children(err)) {
    Expected<StringRef> name = child.getName();
    if (!name)
      return name.takeError();
    Expected<StringRef> data = child.getBuffer();
    if (!data)
      return addContext(data.takeError(), *name);
    if (Error e = wasm::checkWasmLdInput(arrayRefFromStringRef(*data)))
      return addContext(std::move(e), "member " + *name);
  }
  return err;
}

/// A truncated or corrupt WebAssembly input gets one error line before
/// wasm-ld reads it: LLVM's WasmObjectFile aborts the process on a short
/// read in any section it decodes (LinkingSections.h). Archives are checked
/// member by member. Components are not linker inputs; the reader says
/// which they are. The dynamic libraries (and --dl-openable inputs) are
/// kept in \p parsed: the shared-everything link takes them after wasm-ld.
/// Inputs already in \p parsed are not parsed again.
static bool checkWasmInputs(const Config &config, ParsedInputs &parsed,
                            Diagnostics &diags) {
  std::vector<NamedInput> inputs = config.inputs;
  for (const std::string &path : searchLibraries(config))
    inputs.push_back({sys::path::filename(path).str(), path, false});
  for (const NamedInput &input : inputs) {
    if (auto it = parsed.find(input.path); it != parsed.end()) {
      if (Error e = wasm::checkLinkingSections(it->second.module)) {
        diags.error(addContext(std::move(e), input.path));
        return false;
      }
      if (!it->second.module.dylink && !input.dlOpenable)
        parsed.erase(it);
      continue;
    }
    if (classifyInput(input.path) == InputKind::Unreadable)
      continue; // wasm-ld reports missing files itself
    ErrorOr<std::unique_ptr<MemoryBuffer>> mb = openInput(input.path);
    if (!mb)
      continue;
    if (identify_magic((*mb)->getBuffer()) == file_magic::archive) {
      if (Error e = checkArchive((*mb)->getMemBufferRef())) {
        diags.error(addContext(std::move(e), input.path));
        return false;
      }
      continue;
    }
    if (!(*mb)->getBuffer().starts_with(StringRef("\0asm", 4)))
      continue;
    Expected<ParsedModule> mod = ParsedModule::parse(
        ModuleBytes::fromFile(std::move(*mb)), input.path, &diags);
    if (mod)
      if (Error e = wasm::checkLinkingSections(mod->module))
        mod = std::move(e);
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
                               ParsedInputs &parsed, StringRef ldMap,
                               raw_ostream &stdoutOS, Diagnostics &diags) {
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
  return linkDylibs(config, std::move(*modules), ldMap, stdoutOS, diags);
}

/// What wasm-ld wrote on the way to a component, captured in memory.
struct WasmLdOutputs {
  std::vector<uint8_t> module;
  StringRef modulePath;
  /// wasm-ld's --Map, when the link plan follows it in one file.
  std::string map;
};

/// Takes the module wasm-ld wrote to memory on to a component: alone, or
/// composed with \p sharedLibs (and the --dl-openable inputs) by the
/// shared-everything linker.
static bool componentizeLinked(const Config &config, WasmLdOutputs linked,
                               ArrayRef<NamedInput> sharedLibs,
                               ParsedInputs &parsed, raw_ostream &stdoutOS,
                               Diagnostics &diags) {
  Expected<ParsedModule> mod =
      ParsedModule::parse(ModuleBytes::fromVector(std::move(linked.module)),
                          "wasm-ld's output", &diags);
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
          std::optional<StringRef>(sys::path::filename(linked.modulePath))) {
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
                              linked.map, stdoutOS, diags);
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
  return componentizeParsed(config, module, config.outputFile, stdoutOS, diags);
}

/// A pipe for one of wasm-ld's outputs, or an error.
static std::unique_ptr<OutputCapture> openCapture(Diagnostics &diags) {
  Expected<std::unique_ptr<OutputCapture>> capture = OutputCapture::create();
  if (capture)
    return std::move(*capture);
  diags.error(capture.takeError());
  return nullptr;
}

bool driver::runWasmLdPath(const Config &config, ParsedInputs parsed,
                           raw_ostream &stdoutOS, raw_ostream &stderrOS,
                           StringRef progname, Diagnostics &diags) {
  // Without a component to make (or with output disabled), wasm-ld's
  // module goes to its file; otherwise through a pipe drained into memory
  // (OutputCapture.h), as does its --Map when the link plan joins it.
  bool componentize = !config.shared && !config.skipWitComponent;
  // With shared libraries among the inputs, the program is linked as a
  // position-independent executable and then composed with them by the
  // shared-everything linker, in this one call.
  std::vector<NamedInput> sharedLibs;
  if (componentize)
    sharedLibs = sharedLibraryInputs(config);
  std::unique_ptr<OutputCapture> moduleCapture, mapCapture;
  if (componentize || config.disableOutput)
    if (!(moduleCapture = openCapture(diags)))
      return false;
  if (!sharedLibs.empty() && !config.mapFile.empty())
    if (!(mapCapture = openCapture(diags)))
      return false;
  std::vector<std::string> args = buildWasmLdArgs(
      config, !sharedLibs.empty(),
      moduleCapture ? moduleCapture->path() : StringRef(config.outputFile),
      mapCapture ? mapCapture->path() : StringRef());
  if (config.dryRun) {
    printDryRun(args, stdoutOS, diags);
    return true;
  }
  if (!checkWasmInputs(config, parsed, diags))
    return false;

  SmallVector<const char *, 64> argv{"wasm-component-ld"};
  for (const std::string &a : args)
    argv.push_back(a.c_str());
  if (config.verbose)
    diags.log("wasm-ld " + join(args, " "));
  // lld prefixes its diagnostics with our program name, so a user sees one
  // tool; a failed link writes no output (lld commits atomically).
  // lld recognizes its wasm flavor from a dash-separated "wasm" in the name.
  StringRef lldName = getFlavorFromProgname(progname) == Flavor::WasmComponent
                          ? progname
                          : StringRef("wasm-component-ld");
  int rc = runWasmLd(argv, stdoutOS, stderrOS, lldName);
  WasmLdOutputs linked;
  if (moduleCapture) {
    linked.module = moduleCapture->finish();
    linked.modulePath = moduleCapture->path();
  }
  if (mapCapture) {
    std::vector<uint8_t> map = mapCapture->finish();
    linked.map.assign(map.begin(), map.end());
  }
  if (rc != 0 || !componentize)
    return rc == 0; // wasm-ld reported why, or wrote what was asked
  return componentizeLinked(config, std::move(linked), sharedLibs, parsed,
                            stdoutOS, diags);
}
