//===- LinkerTest.cpp - Planning and layout of a shared-everything link ---===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The Link layer without files or an encoder: small dynamic libraries are
/// written with CoreModuleBuilder, parsed into InputModules, and planned.
/// The instantiation order with cycles and the memory and table layout are
/// what the component's behaviour hangs on, and lit tests see them only
/// through whole components.
///
//===----------------------------------------------------------------------===//

#include "wcl/Link/Linker.h"
#include "wcl/Link/InputModule.h"
#include "wcl/Link/Layout.h"
#include "wcl/Wasm/Writer.h"
#include "gtest/gtest.h"

using namespace llvm;
using namespace wcl;

namespace {

/// What one test library imports from env and exports.
struct LibrarySpec {
  std::string name;
  std::vector<std::string> imports;
  std::vector<std::string> exports;
  /// dylink.0 MEM_INFO: memory size, log2 memory alignment, table size,
  /// log2 table alignment.
  std::optional<std::array<uint8_t, 4>> memInfo;
  bool dlOpenable = false;
};

/// A dynamic library of `() -> ()` functions: each import from env, each
/// export a function of its own.
std::vector<uint8_t> writeLibrary(const LibrarySpec &spec) {
  wasm::CoreModuleBuilder module;
  wasm::FuncType voidFn;
  for (const std::string &name : spec.imports)
    module.importFunc("env", name, voidFn);
  const uint8_t body[] = {0x0b /*end*/};
  for (const std::string &name : spec.exports)
    module.addExport(name, wasm::ExternType::Kind::Func,
                     module.addFunction(voidFn, {}, body));
  std::vector<uint8_t> dylink;
  if (spec.memInfo) {
    dylink = {0x01 /*MEM_INFO*/, 4};
    dylink.insert(dylink.end(), spec.memInfo->begin(), spec.memInfo->end());
  }
  module.addCustomSection("dylink.0", dylink);
  return module.finish();
}

std::shared_ptr<const InputModule> parseLibrary(const LibrarySpec &spec) {
  Expected<ParsedModule> parsed = ParsedModule::parse(
      ModuleBytes::fromVector(writeLibrary(spec)), spec.name, nullptr);
  EXPECT_TRUE(bool(parsed)) << toString(parsed.takeError());
  Expected<std::shared_ptr<const InputModule>> input = InputModule::create(
      spec.name, std::move(*parsed), spec.dlOpenable, /*adapterNames=*/{});
  EXPECT_TRUE(bool(input)) << toString(input.takeError());
  return std::move(*input);
}

LinkPlan plan(ArrayRef<LibrarySpec> specs) {
  Linker linker(LinkOptions{});
  for (const LibrarySpec &spec : specs)
    linker.addLibrary(parseLibrary(spec));
  Expected<LinkPlan> result = linker.plan();
  EXPECT_TRUE(bool(result)) << toString(result.takeError());
  return std::move(*result);
}

TEST(LinkerTest, DependenciesComeFirst) {
  // a needs b, which needs c; dlopen makes each a root.
  LinkPlan p = plan({{"a", {"fb"}, {"fa"}, std::nullopt, true},
                     {"b", {"fc"}, {"fb"}, std::nullopt, true},
                     {"c", {}, {"fc"}, std::nullopt, true}});
  EXPECT_EQ(p.topoOrder, (std::vector<unsigned>{2, 1, 0}));
  EXPECT_TRUE(p.envExports.empty());
}

TEST(LinkerTest, CycleEnteredAtTheFirstInput) {
  // a and b import each other: a comes first, and its import of b's
  // function goes through the env module, as b is not instantiated yet.
  LinkPlan p = plan({{"a", {"fb"}, {"fa"}, std::nullopt, true},
                     {"b", {"fa"}, {"fb"}, std::nullopt, true}});
  EXPECT_EQ(p.topoOrder, (std::vector<unsigned>{0, 1}));
  ASSERT_EQ(p.envExports.size(), 1u);
  EXPECT_EQ(p.envExports[0].name, "fb");
  EXPECT_EQ(p.envExports[0].exporter, 1u);
}

TEST(LinkerTest, CycleAfterItsDependency) {
  // a and b form a cycle that needs c; c is instantiated before both.
  LinkPlan p = plan({{"a", {"fb", "fc"}, {"fa"}, std::nullopt, true},
                     {"b", {"fa"}, {"fb"}, std::nullopt, true},
                     {"c", {}, {"fc"}, std::nullopt, true}});
  EXPECT_EQ(p.topoOrder, (std::vector<unsigned>{2, 0, 1}));
  ASSERT_EQ(p.envExports.size(), 1u);
  EXPECT_EQ(p.envExports[0].name, "fb");
}

TEST(LinkerTest, SelfImportGoesThroughEnv) {
  LinkPlan p = plan({{"a", {"fa"}, {"fa"}, std::nullopt, true}});
  EXPECT_EQ(p.topoOrder, (std::vector<unsigned>{0}));
  ASSERT_EQ(p.envExports.size(), 1u);
  EXPECT_EQ(p.envExports[0].exporter, 0u);
}

TEST(LinkerTest, UnreachableLibraryIsDropped) {
  // Only dl-openable a is a root; b is needed by nothing.
  LinkPlan p = plan({{"a", {}, {"fa"}, std::nullopt, true},
                     {"b", {}, {"fb"}, std::nullopt, false}});
  ASSERT_EQ(p.libraries.size(), 1u);
  EXPECT_EQ(p.libraries[0].meta().name, "a");
  ASSERT_EQ(p.dropped.size(), 1u);
  EXPECT_EQ(p.dropped[0].name, "b");
}

TEST(LinkerTest, LayoutFollowsMemInfo) {
  // a (a command: `_start` makes it a root) needs b. a has MEM_INFO: 100
  // bytes aligned to 16, 3 table slots; b has none, so wit-component's
  // defaults apply (nothing to place, both alignments 2).
  LinkPlan p = plan({{"a", {"fb"}, {"_start"}, {{100, 4, 3, 0}}, false},
                     {"b", {}, {"fb"}, std::nullopt, false}});
  Expected<Layout> layout = computeLayout(p);
  ASSERT_TRUE(bool(layout)) << toString(layout.takeError());
  ASSERT_EQ(layout->libraries.size(), 2u);
  const LibraryLayout &a = layout->libraries[0], &b = layout->libraries[1];
  // The stack comes first; slot 0 of the table is the null function.
  EXPECT_GE(a.memoryBase, DefaultStackSize);
  EXPECT_EQ(a.memoryBase % 16, 0u);
  EXPECT_EQ(a.tableBase, 1u);
  EXPECT_EQ(b.memoryBase, alignTo(a.memoryBase + 100, 2));
  EXPECT_EQ(b.tableBase, alignTo(a.tableBase + 3, 2));
  EXPECT_EQ(layout->heapBase % HeapAlignment, 0u);
  EXPECT_GE(layout->heapBase, b.memoryBase);
  EXPECT_EQ(layout->heapEnd, layout->memoryPages * PageSize);
  EXPECT_EQ(layout->tableSize, b.tableBase + p.envExports.size());
}

TEST(LinkerTest, InputsAreParsedOnceAcrossRestarts) {
  // Dropping b restarts planning; the plan still holds the InputModule the
  // caller made, not a copy parsed again.
  std::shared_ptr<const InputModule> a =
      parseLibrary({"a", {}, {"fa"}, std::nullopt, true});
  std::shared_ptr<const InputModule> b =
      parseLibrary({"b", {}, {"fb"}, std::nullopt, false});
  Linker linker(LinkOptions{});
  linker.addLibrary(a);
  linker.addLibrary(b);
  Expected<LinkPlan> p = linker.plan();
  ASSERT_TRUE(bool(p)) << toString(p.takeError());
  ASSERT_EQ(p->libraries.size(), 1u);
  EXPECT_EQ(p->libraries[0].input.get(), a.get());
}

} // namespace
