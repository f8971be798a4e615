//===- DriverTest.cpp - Options to Config, and the path a link takes ------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The wasm-component flavor's decisions without running a link: what the
/// command line sets in Config, which arguments reach wasm-ld, and which of
/// the three paths a set of inputs takes. Lit tests see these only through
/// whole runs.
///
//===----------------------------------------------------------------------===//

#include "ComponentDriver.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::driver;

namespace {

struct Parsed {
  Config config;
  std::string errors;
  unsigned errorCount = 0;
};

Parsed parse(std::vector<const char *> argv) {
  Parsed out;
  raw_string_ostream os(out.errors);
  Diagnostics diags(os, "wasm-component-ld");
  BumpPtrAllocator alloc;
  ComponentOptTable table;
  opt::InputArgList args = table.parse(argv, alloc, diags);
  readConfigs(args, out.config, diags);
  out.errorCount = diags.errorCount();
  return out;
}

TEST(DriverTest, OptionsIntoConfig) {
  Parsed p = parse({"--stub-missing-functions", "--stack-size=4096", "a.so",
                    "--dl-openable", "b=lib/b.so", "--adapt",
                    "dir/wasi_snapshot_preview1.reactor.wasm", "-o", "out.wasm",
                    "--debug-names=false", "--import-name", "x=y"});
  EXPECT_EQ(p.errorCount, 0u) << p.errors;
  const Config &c = p.config;
  EXPECT_TRUE(c.stubMissingFunctions);
  EXPECT_EQ(c.stackSize, std::optional<uint32_t>(4096));
  EXPECT_FALSE(c.debugNames);
  EXPECT_EQ(c.outputFile, "out.wasm");
  ASSERT_EQ(c.inputs.size(), 2u);
  EXPECT_EQ(c.inputs[0].name, "a.so");
  EXPECT_FALSE(c.inputs[0].dlOpenable);
  EXPECT_EQ(c.inputs[1].name, "b");
  EXPECT_EQ(c.inputs[1].path, "lib/b.so");
  EXPECT_TRUE(c.inputs[1].dlOpenable);
  ASSERT_EQ(c.adapters.size(), 1u);
  EXPECT_EQ(c.adapters[0].name, "wasi_snapshot_preview1");
  ASSERT_EQ(c.importName.size(), 1u);
  EXPECT_EQ(c.importName[0],
            std::make_pair(std::string("x"), std::string("y")));
}

TEST(DriverTest, BadValuesAreErrors) {
  Parsed p = parse({"--stack-size=big", "--string-encoding=latin1", "a.so"});
  EXPECT_EQ(p.errorCount, 2u);
  EXPECT_NE(p.errors.find("invalid --stack-size: big"), std::string::npos);
  EXPECT_NE(p.errors.find("invalid --string-encoding: latin1"),
            std::string::npos);
}

TEST(DriverTest, WasmLdGetsItsArgumentsAsSpelled) {
  // Unknown options and inputs go to wasm-ld; of wcl's own, those that
  // Options.td marks as wasm-ld's too, in their spelling.
  Parsed p =
      parse({"--stub-missing-functions", "--export=f", "a.o", "--verbose",
             "-Map", "m.map", "--error-limit=3", "-shared", "-o", "out.wasm"});
  EXPECT_EQ(p.config.wasmLdArgs,
            (std::vector<std::string>{"--export=f", "a.o", "--verbose", "-Map",
                                      "m.map", "--error-limit=3", "-shared"}));
  EXPECT_TRUE(p.config.shared);
  EXPECT_TRUE(p.config.verbose);
  EXPECT_EQ(p.config.mapFile, "m.map");
}

/// A file that is removed when the test ends.
class TempFile {
public:
  explicit TempFile(StringRef contents) {
    int fd;
    EXPECT_FALSE(sys::fs::createTemporaryFile("wcl-driver", "bin", fd, path));
    raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << contents;
  }
  ~TempFile() { sys::fs::remove(path); }
  std::string str() const { return path.str().str(); }

private:
  SmallString<128> path;
};

// The preamble of a core module, then a custom section called dylink.0 (or
// something else) with an empty payload.
const char DylibBytes[] = "\0asm\x01\0\0\0\0\x09\x08"
                          "dylink.0";
const char ModuleBytes[] = "\0asm\x01\0\0\0\0\x05\x04name";

TEST(DriverTest, ClassifyInput) {
  TempFile dylib(StringRef(DylibBytes, sizeof(DylibBytes) - 1));
  TempFile module(StringRef(ModuleBytes, sizeof(ModuleBytes) - 1));
  TempFile text("not wasm");
  EXPECT_EQ(classifyInput(dylib.str()), InputKind::DynamicLibrary);
  EXPECT_EQ(classifyInput(module.str()), InputKind::Other);
  EXPECT_EQ(classifyInput(text.str()), InputKind::Other);
  EXPECT_EQ(classifyInput("/nonexistent/wcl-input"), InputKind::Unreadable);
}

// A wasm-ld option's value given as the next argument is not an input
// (rustc passes `-L DIR` twice, which made DIR a duplicate library), but
// it still reaches wasm-ld, in place.
TEST(DriverTest, WasmLdSeparateValues) {
  Parsed p = parse({"-L", "/usr/lib/x", "main.o", "-L", "/usr/lib/x",
                    "--export", "f", "-l", "c", "-o", "out.wasm"});
  EXPECT_EQ(p.errorCount, 0u) << p.errors;
  ASSERT_EQ(p.config.inputs.size(), 1u);
  EXPECT_EQ(p.config.inputs[0].path, "main.o");
  std::vector<std::string> want{"-L", "/usr/lib/x", "main.o",
                                "-L", "/usr/lib/x", "--export",
                                "f",  "-l",         "c"};
  EXPECT_EQ(p.config.wasmLdArgs, want);
  EXPECT_TRUE(wasmLdTakesSeparateValue("-L"));
  EXPECT_TRUE(wasmLdTakesSeparateValue("--export"));
  EXPECT_TRUE(wasmLdTakesSeparateValue("-entry"));
  EXPECT_FALSE(wasmLdTakesSeparateValue("--build-id"));
  EXPECT_FALSE(wasmLdTakesSeparateValue("--export-all"));
}

LinkPath pathFor(std::vector<std::string> args) {
  std::vector<const char *> argv;
  for (const std::string &a : args)
    argv.push_back(a.c_str());
  Parsed p = parse(argv);
  EXPECT_EQ(p.errorCount, 0u) << p.errors;
  std::string errors;
  raw_string_ostream os(errors);
  Diagnostics diags(os, "wasm-component-ld");
  ParsedInputs parsed;
  LinkPath path = choosePath(p.config, parsed, diags);
  EXPECT_EQ(diags.errorCount(), 0u) << errors;
  return path;
}

TEST(DriverTest, PathChoice) {
  TempFile dylib(StringRef(DylibBytes, sizeof(DylibBytes) - 1));
  TempFile module(StringRef(ModuleBytes, sizeof(ModuleBytes) - 1));
  std::string so = dylib.str(), wasm = module.str();
  // Only dynamic libraries: the shared-everything linker.
  EXPECT_EQ(pathFor({so, "-o", "x"}), LinkPath::Dylibs);
  // Any other input is wasm-ld's, unless it is dl-openable.
  EXPECT_EQ(pathFor({"--dl-openable", wasm, so, "-o", "x"}), LinkPath::Dylibs);
  EXPECT_EQ(pathFor({so, wasm, "-o", "x"}), LinkPath::WasmLd);
  // One module alone may be `component new`'s.
  EXPECT_EQ(pathFor({wasm, "-o", "x"}), LinkPath::ComponentNew);
  EXPECT_EQ(pathFor({wasm, "--export=f", "-o", "x"}), LinkPath::WasmLd);
  // wcl's own options that wasm-ld shares do not make it wasm-ld's.
  EXPECT_EQ(pathFor({wasm, "--verbose", "-o", "x"}), LinkPath::ComponentNew);
  // wasm-ld's inputs named only by -l are wasm-ld's.
  EXPECT_EQ(pathFor({"-lc", "-o", "x"}), LinkPath::WasmLd);
  // -shared always links with wasm-ld.
  EXPECT_EQ(pathFor({so, "-shared", "-o", "x"}), LinkPath::WasmLd);
}

} // namespace
