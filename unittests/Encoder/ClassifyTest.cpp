//===- ClassifyTest.cpp - What satisfies each kind of import
//---------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Classification of each kind of core import, one module at a time, without
/// encoding a component: the memory main imports, context slots, wasm-ld's
/// threading accessors, built-ins, shims for library exports and indirect
/// lowerings, direct lowerings, linker items, and the errors for what
/// nothing provides.
///
//===----------------------------------------------------------------------===//

#include "Classify.h"
#include "wcl/Wasm/ModuleReader.h"
#include "wcl/Wasm/Writer.h"
#include "gtest/gtest.h"
#include <functional>
#include <string>

using namespace llvm;
using namespace wcl;
using namespace wcl::encoder;

namespace {

wasm::FuncType sig(std::vector<wasm::ValType> params,
                   std::vector<wasm::ValType> results) {
  wasm::FuncType t;
  t.params.assign(params.begin(), params.end());
  t.results.assign(results.begin(), results.end());
  return t;
}

const wasm::ValType I32 = wasm::i32Type();

/// The message of \p r's error; empty if it succeeded.
template <typename T> std::string errorOf(Expected<T> r) {
  return r ? std::string() : toString(r.takeError());
}

class ClassifyTest : public testing::Test {
protected:
  void SetUp() override { state.resolve = &resolve; }

  /// A module with the imports \p addImports adds, parsed, with its names.
  void build(std::function<void(wasm::CoreModuleBuilder &)> addImports) {
    wasm::CoreModuleBuilder b;
    addImports(b);
    bytes = b.finish();
    Expected<wasm::CoreModule> read = wasm::readCoreModule(bytes, 0);
    ASSERT_TRUE(bool(read)) << toString(read.takeError());
    mod = std::move(*read);
    Expected<CoreNames> n =
        CoreNames::get(mod, resolve, std::nullopt, false,
                       [](const wasm::ImportEntry &) { return false; });
    ASSERT_TRUE(bool(n)) << toString(n.takeError());
    names = std::move(*n);
  }

  Expected<std::vector<ResolvedImport>> classifyMain() {
    return resolveMainImports(mod, names, libraries, std::nullopt, state);
  }
  Expected<std::vector<ResolvedImport>> classifyLibrary(const LibraryArgs &a) {
    return resolveLibraryImports("libfoo.so", mod, names, nullptr, a,
                                 std::nullopt, state);
  }

  /// An interface `a:b/c` with `add: func(x: u32) -> u32` and
  /// `shout: func(s: string) -> string`, imported as instance 0.
  void importInterface() {
    wit::Interface iface;
    iface.name = "c";
    wit::Function add{"add"};
    add.params = {{"x", wit::Type::primitive(wit::Prim::U32)}};
    add.result = wit::Type::primitive(wit::Prim::U32);
    wit::Function shout{"shout"};
    shout.params = {{"s", wit::Type::primitive(wit::Prim::String)}};
    shout.result = wit::Type::primitive(wit::Prim::String);
    iface.functions.insert({"add", add});
    iface.functions.insert({"shout", shout});
    wit::InterfaceId id = resolve.addInterface(std::move(iface));
    const wit::Interface &stored = resolve.get(id);
    state.interfaceInstances[id.index] = 0;
    for (const auto &[name, f] : stored.functions)
      state.importedSignatures[{"a:b/c", name}] = {id, &f};
  }

  wit::Resolve resolve;
  EncoderOptions options;
  EncodingState state{options};
  StringSet<> libraries;
  std::vector<uint8_t> bytes;
  wasm::CoreModule mod;
  CoreNames names;
};

TEST_F(ClassifyTest, MainModuleIntrinsics) {
  build([](wasm::CoreModuleBuilder &b) {
    b.importMemory("env", "memory", wasm::MemoryType{});
    b.importFunc("env", "__wasm_get_stack_pointer", sig({}, {I32}));
    b.importFunc("env", "__wasm_set_tls_base", sig({I32}, {}));
    b.importFunc("$root", "[context-get-2]", sig({}, {I32}));
    b.importFunc("$root", "[waitable-set-new]", sig({}, {I32}));
    b.importFunc("$root", "[waitable-set-wait]", sig({I32, I32}, {I32}));
    b.importFunc("$root", "[thread-new-indirect-v0]", sig({I32, I32}, {I32}));
  });
  state.importedMemory = wasm::MemoryType{};
  Expected<std::vector<ResolvedImport>> r = classifyMain();
  ASSERT_TRUE(bool(r)) << toString(r.takeError());
  ASSERT_EQ(r->size(), 7u);
  using K = Intrinsic::Kind;
  auto kindOf = [&](unsigned i) { return (*r)[i].intrinsic->kind; };
  EXPECT_EQ(kindOf(0), K::ShimMemory);
  // The stack pointer is context slot 0.
  EXPECT_EQ(kindOf(1), K::ContextGet);
  EXPECT_EQ((*r)[1].intrinsic->slot, 0u);
  // Without threads, the TLS base lives in a global of the shim module.
  EXPECT_EQ(kindOf(2), K::TlsSet);
  ASSERT_TRUE(state.tlsGlobalType);
  EXPECT_EQ(kindOf(3), K::ContextGet);
  EXPECT_EQ((*r)[3].intrinsic->slot, 2u);
  // With main's memory imported, even a built-in that takes the memory is
  // defined directly.
  EXPECT_EQ(kindOf(4), K::Builtin);
  EXPECT_EQ(kindOf(5), K::Builtin);
  // thread.new-indirect needs main's table, so it goes through a shim.
  EXPECT_EQ(kindOf(6), K::Shim);
  EXPECT_EQ(state.shims[(*r)[6].intrinsic->shim].kind,
            Shim::Kind::ThreadNewIndirect);
}

TEST_F(ClassifyTest, BuiltinNeedingMemoryIsAShimWhenMainExportsIt) {
  build([](wasm::CoreModuleBuilder &b) {
    b.importFunc("$root", "[waitable-set-wait]", sig({I32, I32}, {I32}));
  });
  Expected<std::vector<ResolvedImport>> r = classifyMain();
  ASSERT_TRUE(bool(r)) << toString(r.takeError());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].intrinsic->kind, Intrinsic::Kind::Shim);
  EXPECT_EQ(state.shims[0].kind, Shim::Kind::Builtin);
  EXPECT_EQ(state.shims[0].debugName, "waitable-set.wait");
}

TEST_F(ClassifyTest, LibraryExportsMainImportsAreShims) {
  libraries.insert("wasi_snapshot_preview1");
  build([](wasm::CoreModuleBuilder &b) {
    b.importFunc("wasi_snapshot_preview1", "fd_write",
                 sig({I32, I32, I32, I32}, {I32}));
    b.importFunc("wasi_snapshot_preview1", "fd_write [v2]",
                 sig({I32, I32, I32, I32}, {I32}));
  });
  Expected<std::vector<ResolvedImport>> r = classifyMain();
  ASSERT_TRUE(bool(r)) << toString(r.takeError());
  // A renamed duplicate import reaches the same export through one shim.
  ASSERT_EQ(state.shims.size(), 1u);
  EXPECT_EQ(state.shims[0].kind, Shim::Kind::AdapterExport);
  EXPECT_EQ(state.shims[0].debugName, "adapt-wasi_snapshot_preview1-fd_write");
  EXPECT_EQ((*r)[1].intrinsic->shim, 0u);
}

TEST_F(ClassifyTest, WitFunctionsLowerDirectlyOrThroughAShim) {
  importInterface();
  build([](wasm::CoreModuleBuilder &b) {
    b.importFunc("a:b/c", "add", sig({I32}, {I32}));
    b.importFunc("a:b/c", "shout", sig({I32, I32, I32}, {}));
  });
  Expected<std::vector<ResolvedImport>> r = classifyMain();
  ASSERT_TRUE(bool(r)) << toString(r.takeError());
  ASSERT_EQ(r->size(), 2u);
  // Scalars need no options: a direct lowering of the instance's export.
  EXPECT_EQ((*r)[0].intrinsic->kind, Intrinsic::Kind::Lower);
  EXPECT_EQ((*r)[0].intrinsic->function, "add");
  EXPECT_EQ((*r)[0].intrinsic->instance, 0u);
  // Strings need main's memory and a realloc, which exist only later.
  EXPECT_EQ((*r)[1].intrinsic->kind, Intrinsic::Kind::Shim);
  EXPECT_EQ(state.shims[0].kind, Shim::Kind::IndirectLowering);
  EXPECT_EQ(state.shims[0].exportName, "a:b/c.shout");
}

TEST_F(ClassifyTest, WitFunctionWithImportedMemoryLowersDirectly) {
  importInterface();
  state.importedMemory = wasm::MemoryType{};
  build([](wasm::CoreModuleBuilder &b) {
    b.importFunc("a:b/c", "shout", sig({I32, I32, I32}, {}));
  });
  Expected<std::vector<ResolvedImport>> r = classifyMain();
  ASSERT_TRUE(bool(r)) << toString(r.takeError());
  const Intrinsic &in = *(*r)[0].intrinsic;
  EXPECT_EQ(in.kind, Intrinsic::Kind::Lower);
  EXPECT_TRUE(in.memory);
  EXPECT_TRUE(in.utf8);
}

TEST_F(ClassifyTest, WasiImportWithoutAdapterNamesTheFix) {
  build([](wasm::CoreModuleBuilder &b) {
    b.importFunc("wasi_snapshot_preview1", "fd_write",
                 sig({I32, I32, I32, I32}, {I32}));
  });
  EXPECT_NE(errorOf(classifyMain())
                .find("needs an adapter (--wasi-adapter=command, reactor or a "
                      "file, or --adapt wasi_snapshot_preview1=FILE)"),
            std::string::npos);
}

TEST_F(ClassifyTest, LibraryImportsTakeLinkerItemsFirst) {
  build([](wasm::CoreModuleBuilder &b) {
    b.importFunc("env", "helper", sig({}, {}));
    b.importFunc("env", "__wasm_get_stack_pointer", sig({}, {I32}));
  });
  LibraryArgs args;
  args.modules.push_back(
      {"env",
       {{"helper", wasm::ExternType::Kind::Func, "libbar.so", "helper"}}});
  Expected<std::vector<ResolvedImport>> r = classifyLibrary(args);
  ASSERT_TRUE(bool(r)) << toString(r.takeError());
  ASSERT_EQ(r->size(), 2u);
  ASSERT_NE((*r)[0].item, nullptr);
  EXPECT_EQ((*r)[0].item->fromLibrary, "libbar.so");
  EXPECT_FALSE((*r)[0].intrinsic);
  EXPECT_EQ((*r)[1].intrinsic->kind, Intrinsic::Kind::ContextGet);
}

TEST_F(ClassifyTest, LibraryImportOfTheWrongKindIsAnError) {
  build([](wasm::CoreModuleBuilder &b) {
    b.importFunc("env", "counter", sig({}, {}));
  });
  LibraryArgs args;
  args.modules.push_back(
      {"env", {{"counter", wasm::ExternType::Kind::Global, "", "counter"}}});
  EXPECT_EQ(errorOf(classifyLibrary(args)),
            "libfoo.so: import env.counter is a func but the linker provides "
            "a global");
}

TEST_F(ClassifyTest, LibraryContextSlotOfTheWrongTypeIsAnError) {
  build([](wasm::CoreModuleBuilder &b) {
    b.importFunc("$root", "[context-get-0]", sig({I32}, {}));
  });
  EXPECT_EQ(errorOf(classifyLibrary({}))
                .rfind("libfoo.so: import $root.[context-get-0] has type", 0),
            0u);
}

TEST_F(ClassifyTest, LibraryImportNothingProvidesIsAnError) {
  build([](wasm::CoreModuleBuilder &b) {
    b.importFunc("env", "missing", sig({}, {}));
  });
  EXPECT_EQ(
      errorOf(classifyLibrary({}))
          .rfind("libfoo.so: import env.missing is not provided by the env "
                 "module",
                 0),
      0u);
}

} // namespace
