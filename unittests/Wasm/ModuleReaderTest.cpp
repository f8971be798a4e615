//===- ModuleReaderTest.cpp - Tests for the core module reader ------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Hand-assembled modules: each section decodes to the expected items with
/// the right offsets and index spaces, the custom sections wcl understands
/// are decoded in full, and every structural error names its exact offset.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/ModuleReader.h"
#include "gtest/gtest.h"
#include <vector>

using namespace llvm;
using namespace wcl::wasm;

namespace {

using Bytes = std::vector<uint8_t>;

/// A section: id, size (one-byte LEB; tests keep sections small), payload.
Bytes sec(uint8_t id, Bytes payload) {
  EXPECT_LT(payload.size(), 128u);
  Bytes out = {id, uint8_t(payload.size())};
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

/// A custom section called \p name.
Bytes custom(StringRef name, Bytes content) {
  Bytes payload = {uint8_t(name.size())};
  payload.insert(payload.end(), name.begin(), name.end());
  payload.insert(payload.end(), content.begin(), content.end());
  return sec(0, payload);
}

/// A name as `len bytes`.
Bytes str(StringRef s) {
  Bytes out = {uint8_t(s.size())};
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes &p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

/// The preamble followed by \p sections.
Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  for (const Bytes &s : sections)
    out.insert(out.end(), s.begin(), s.end());
  return out;
}

std::string errorOf(const Bytes &bytes, uint64_t base = 0) {
  Expected<CoreModule> mod = readCoreModule(bytes, base);
  if (mod)
    return "";
  return toString(mod.takeError());
}

TEST(ModuleReaderTest, Empty) {
  Bytes bytes = module({});
  Expected<CoreModule> mod = readCoreModule(bytes);
  ASSERT_TRUE(bool(mod)) << toString(mod.takeError());
  EXPECT_TRUE(mod->sections.empty());
  EXPECT_EQ(mod->numFunctions(), 0u);
}

TEST(ModuleReaderTest, IndexSpacesAndSections) {
  Bytes bytes = module({
      // type 0: (func (param i32) (result i32)); type 1: (func)
      sec(1, {0x02, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00}),
      // imports: env.f func 0, env.g global i32, env.mem memory 1
      sec(2, cat({{0x03},
                  str("env"),
                  str("f"),
                  {0x00, 0x00},
                  str("env"),
                  str("g"),
                  {0x03, 0x7f, 0x00},
                  str("env"),
                  str("mem"),
                  {0x02, 0x00, 0x01}})),
      sec(3, {0x02, 0x01, 0x00}),                   // two functions
      sec(4, {0x01, 0x70, 0x00, 0x02}),             // table 2 funcref
      sec(6, {0x01, 0x7f, 0x01, 0x41, 0x2a, 0x0b}), // (mut i32) i32.const 42
      sec(7, cat({{0x02}, str("run"), {0x00, 0x02}, str("t"), {0x01, 0x00}})),
      sec(8, {0x01}), // start: function 1
      sec(10, {0x02, 0x02, 0x00, 0x0b, 0x05, 0x01, 0x02, 0x7e, 0x01, 0x0b}),
  });
  Expected<CoreModule> mod = readCoreModule(bytes, 0x100);
  ASSERT_TRUE(bool(mod)) << toString(mod.takeError());

  ASSERT_EQ(mod->sections.size(), 8u);
  EXPECT_EQ(mod->sections[0].id, 1);
  EXPECT_EQ(mod->sections[0].offset, 0x108u);
  EXPECT_EQ(mod->sections[0].payloadOffset, 0x10au);
  EXPECT_EQ(mod->sections[0].payload.size(), 9u);

  ASSERT_EQ(mod->types.size(), 2u);
  EXPECT_EQ(toString(mod->types[0]), "(func (param i32) (result i32))");
  ASSERT_EQ(mod->recGroups.size(), 2u);
  EXPECT_FALSE(mod->recGroups[1].explicitRec);

  ASSERT_EQ(mod->imports.size(), 3u);
  EXPECT_EQ(mod->imports[0].field, "f");
  EXPECT_EQ(mod->imports[0].index, 0u);
  EXPECT_EQ(mod->imports[1].type.kind, ExternType::Kind::Global);
  EXPECT_EQ(mod->imports[1].index, 0u);
  EXPECT_EQ(mod->imports[2].index, 0u);
  EXPECT_EQ(mod->numImportedFuncs, 1u);
  EXPECT_EQ(mod->numImportedGlobals, 1u);
  EXPECT_EQ(mod->numImportedMemories, 1u);

  EXPECT_EQ(mod->numFunctions(), 3u);
  EXPECT_EQ(mod->getFunctionTypeIndex(0), std::optional<uint32_t>(0));
  EXPECT_EQ(mod->getFunctionTypeIndex(1), std::optional<uint32_t>(1));
  EXPECT_EQ(mod->getFunctionTypeIndex(2), std::optional<uint32_t>(0));
  EXPECT_EQ(mod->getFunctionTypeIndex(3), std::nullopt);
  ASSERT_NE(mod->getFuncType(1), nullptr);

  ASSERT_EQ(mod->tables.size(), 1u);
  EXPECT_EQ(toString(mod->tables[0].type), "2 funcref");
  ASSERT_EQ(mod->globals.size(), 1u);
  EXPECT_EQ(toString(mod->globals[0].init), "i32.const 42");
  EXPECT_EQ(mod->globals[0].init.getIntConstant(), std::optional<int64_t>(42));
  EXPECT_EQ(mod->globals[0].init.bytes.size(), 3u);

  ASSERT_EQ(mod->exports.size(), 2u);
  const Export *run = mod->findExport("run");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->kind, ExternType::Kind::Func);
  EXPECT_EQ(run->index, 2u);
  EXPECT_EQ(mod->findExport("nope"), nullptr);
  EXPECT_EQ(mod->startFunction, std::optional<uint32_t>(1));

  ASSERT_EQ(mod->bodies.size(), 2u);
  EXPECT_TRUE(mod->bodies[0].locals.empty());
  EXPECT_EQ(mod->bodies[0].code.size(), 1u);
  ASSERT_EQ(mod->bodies[1].locals.size(), 1u);
  EXPECT_EQ(mod->bodies[1].locals[0].count, 2u);
  EXPECT_EQ(toString(mod->bodies[1].locals[0].type), "i64");
  EXPECT_EQ(mod->bodies[1].code.size(), 2u);
  EXPECT_EQ(mod->bodies[1].codeOffset - mod->bodies[1].bodyOffset, 3u);
}

TEST(ModuleReaderTest, ConstExprs) {
  Bytes bytes = module({
      sec(6, {0x04,
              // i64 global.get 0 i64.const 8 i64.add
              0x7e, 0x00, 0x23, 0x00, 0x42, 0x08, 0x7c, 0x0b,
              // f32 f32.const 1.5
              0x7d, 0x00, 0x43, 0x00, 0x00, 0xc0, 0x3f, 0x0b,
              // funcref ref.null func
              0x70, 0x00, 0xd0, 0x70, 0x0b,
              // (ref func) ref.func 3
              0x64, 0x70, 0x00, 0xd2, 0x03, 0x0b}),
  });
  Expected<CoreModule> mod = readCoreModule(bytes);
  ASSERT_TRUE(bool(mod)) << toString(mod.takeError());
  ASSERT_EQ(mod->globals.size(), 4u);
  EXPECT_EQ(toString(mod->globals[0].init), "global.get 0 i64.const 8 i64.add");
  EXPECT_EQ(mod->globals[0].init.instrs.size(), 3u);
  EXPECT_EQ(toString(mod->globals[1].init), "f32.const 1.5 (0x3fc00000)");
  EXPECT_EQ(toString(mod->globals[2].init), "ref.null func");
  EXPECT_EQ(toString(mod->globals[3].init), "ref.func 3");
}

TEST(ModuleReaderTest, UnsupportedConstInstr) {
  // local.get is not constant; its length could not be known in general.
  Bytes bytes = module({sec(6, {0x01, 0x7f, 0x00, 0x20, 0x00, 0x0b})});
  EXPECT_EQ(errorOf(bytes),
            "offset 0xd: unsupported instruction 0x20 in constant expression");
}

TEST(ModuleReaderTest, ElemSegments) {
  Bytes bytes = module(
      {sec(9, {0x08, 0x00, 0x41, 0x01, 0x0b, 0x02, 0x00, 0x01, // 0: active
               0x01, 0x00, 0x01, 0x02,                         // 1: passive
               0x02, 0x01, 0x41, 0x00, 0x0b, 0x00, 0x01, 0x03, // 2: table 1
               0x03, 0x00, 0x01, 0x04,                         // 3: declarative
               0x04, 0x41, 0x00, 0x0b, 0x01, 0xd2, 0x05, 0x0b, // 4: exprs
               0x05, 0x6f, 0x01, 0xd0, 0x6f, 0x0b,       // 5: passive exprs
               0x06, 0x02, 0x41, 0x07, 0x0b, 0x70, 0x00, // 6: table 2
               0x07, 0x70, 0x01, 0xd2, 0x00, 0x0b})});   // 7: declarative
  Expected<CoreModule> mod = readCoreModule(bytes);
  ASSERT_TRUE(bool(mod)) << toString(mod.takeError());
  ASSERT_EQ(mod->elemSegments.size(), 8u);
  const auto &segs = mod->elemSegments;
  using Mode = ElemSegment::Mode;
  EXPECT_EQ(segs[0].mode, Mode::Active);
  EXPECT_EQ(toString(*segs[0].offsetExpr), "i32.const 1");
  EXPECT_EQ(segs[0].functions, (SmallVector<uint32_t, 0>{0, 1}));
  EXPECT_EQ(segs[1].mode, Mode::Passive);
  EXPECT_FALSE(segs[1].offsetExpr);
  EXPECT_EQ(segs[2].tableIndex, 1u);
  EXPECT_EQ(segs[3].mode, Mode::Declarative);
  EXPECT_TRUE(segs[4].usesExprs);
  EXPECT_EQ(toString(segs[4].exprs[0]), "ref.func 5");
  EXPECT_EQ(toString(segs[5].elemType), "externref");
  EXPECT_EQ(toString(segs[5].exprs[0]), "ref.null extern");
  EXPECT_EQ(segs[6].tableIndex, 2u);
  EXPECT_TRUE(segs[6].exprs.empty());
  EXPECT_EQ(segs[7].mode, Mode::Declarative);
  EXPECT_EQ(segs[7].flags, 7u);
}

TEST(ModuleReaderTest, DataSegmentsAndCount) {
  Bytes bytes = module({
      sec(5, {0x02, 0x00, 0x01, 0x00, 0x01}), sec(12, {0x03}),
      sec(11, {0x03, 0x00, 0x41, 0x10, 0x0b, 0x02, 'h', 'i', // active mem 0
               0x01, 0x01, 'x',                              // passive
               0x02, 0x01, 0x41, 0x00, 0x0b, 0x00}),         // active mem 1
  });
  Expected<CoreModule> mod = readCoreModule(bytes);
  ASSERT_TRUE(bool(mod)) << toString(mod.takeError());
  EXPECT_EQ(mod->dataCount, std::optional<uint32_t>(3));
  ASSERT_EQ(mod->dataSegments.size(), 3u);
  const auto &d = mod->dataSegments;
  EXPECT_EQ(toString(*d[0].offsetExpr), "i32.const 16");
  EXPECT_EQ(StringRef(reinterpret_cast<const char *>(d[0].content.data()),
                      d[0].content.size()),
            "hi");
  EXPECT_EQ(d[0].contentOffset, 0x1au);
  EXPECT_EQ(d[1].mode, DataSegment::Mode::Passive);
  EXPECT_EQ(d[2].memoryIndex, 1u);
  EXPECT_TRUE(d[2].content.empty());
}

TEST(ModuleReaderTest, TablesWithInitAndTags) {
  Bytes bytes = module({
      sec(1, {0x01, 0x60, 0x01, 0x7f, 0x00}),
      // table with init: 0x40 0x00 (ref func) 1 ref.func 0
      sec(4, {0x01, 0x40, 0x00, 0x64, 0x70, 0x00, 0x01, 0xd2, 0x00, 0x0b}),
      sec(13, {0x01, 0x00, 0x00}),
  });
  Expected<CoreModule> mod = readCoreModule(bytes);
  ASSERT_TRUE(bool(mod)) << toString(mod.takeError());
  ASSERT_EQ(mod->tables.size(), 1u);
  EXPECT_EQ(toString(mod->tables[0].type), "1 (ref func)");
  ASSERT_TRUE(mod->tables[0].init.has_value());
  EXPECT_EQ(toString(*mod->tables[0].init), "ref.func 0");
  ASSERT_EQ(mod->tags.size(), 1u);
  EXPECT_EQ(mod->tags[0].typeIndex, 0u);
}

TEST(ModuleReaderTest, Dylink) {
  // Each subsection: id, size, content.
  Bytes content = cat({
      {0x01, 0x04, 0x10, 0x02, 0x01, 0x00}, // mem-info
      {0x02, 0x09, 0x01},
      str("libc.so"), // needed
      {0x03, 0x05, 0x01},
      str("x"),
      {0x80, 0x02}, // export-info: TLS
      {0x04, 0x08, 0x01},
      str("env"),
      str("f"),
      {0x01}, // import-info: WEAK
      {0x05, 0x03, 0x01},
      str("$"),                 // runtime-path
      {0x09, 0x02, 0xaa, 0xbb}, // unknown, kept raw
  });
  Bytes bytes = module({custom("dylink.0", content)});
  Expected<CoreModule> mod = readCoreModule(bytes);
  ASSERT_TRUE(bool(mod)) << toString(mod.takeError());
  ASSERT_TRUE(mod->dylink.has_value());
  const DylinkInfo &d = *mod->dylink;
  ASSERT_TRUE(d.memInfo.has_value());
  EXPECT_EQ(d.memInfo->memorySize, 16u);
  EXPECT_EQ(d.memInfo->memoryAlignment, 2u);
  EXPECT_EQ(d.memInfo->tableSize, 1u);
  ASSERT_EQ(d.needed.size(), 1u);
  EXPECT_EQ(d.needed[0], "libc.so");
  ASSERT_EQ(d.exportInfo.size(), 1u);
  EXPECT_EQ(d.exportInfo[0].flags, 0x100u);
  ASSERT_EQ(d.importInfo.size(), 1u);
  EXPECT_EQ(d.importInfo[0].module, "env");
  EXPECT_EQ(d.importInfo[0].field, "f");
  EXPECT_EQ(d.importInfo[0].flags, 1u);
  ASSERT_EQ(d.runtimePath.size(), 1u);
  ASSERT_EQ(d.unknown.size(), 1u);
  EXPECT_EQ(d.unknown[0].id, 9);
  EXPECT_EQ(d.unknown[0].content.size(), 2u);
  const Section *s = mod->findCustomSection("dylink.0");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->contentOffset, s->payloadOffset + 9);
}

TEST(ModuleReaderTest, DylinkSubsectionLeftover) {
  Bytes bytes = module({custom("dylink.0", {0x01, 0x05, 0, 0, 0, 0, 0})});
  // Subsection content starts at 8 + 2 + 9 + 2 = 0x15; four LEBs end at 0x19.
  EXPECT_EQ(errorOf(bytes), "offset 0x19: unexpected data at the end of "
                            "dylink.0 subsection 1 (1 byte left)");
}

TEST(ModuleReaderTest, NameProducersFeatures) {
  Bytes names = cat({
      {0x00, 0x04},
      str("mod"),
      {0x01, 0x07, 0x02, 0x00},
      str("a"),
      {0x02},
      str("b"),
      {0x02, 0x06, 0x01, 0x02, 0x01, 0x00},
      str("x"),
      {0x07, 0x04, 0x01, 0x00},
      str("g"),
      {0x2a, 0x01, 0x00},
  });
  Bytes producers = cat({{0x01}, str("language"), {0x01}, str("C11"), str("")});
  Bytes features = cat({{0x02, '+'}, str("simd128"), {'-'}, str("atomics")});
  Bytes bytes = module({custom("name", names), custom("producers", producers),
                        custom("target_features", features)});
  Expected<CoreModule> mod = readCoreModule(bytes);
  ASSERT_TRUE(bool(mod)) << toString(mod.takeError());

  ASSERT_TRUE(mod->names.has_value());
  const NameSection &n = *mod->names;
  ASSERT_EQ(n.subsections.size(), 5u);
  EXPECT_EQ(n.getModuleName(), std::optional<StringRef>("mod"));
  EXPECT_EQ(n.lookup(CoreNameKind::Function, 2), std::optional<StringRef>("b"));
  EXPECT_EQ(n.lookup(CoreNameKind::Function, 1), std::nullopt);
  EXPECT_EQ(n.lookup(CoreNameKind::Global, 0), std::optional<StringRef>("g"));
  ASSERT_EQ(n.subsections[2].indirectNames.size(), 1u);
  EXPECT_EQ(n.subsections[2].indirectNames[0].index, 2u);
  EXPECT_EQ(n.subsections[2].indirectNames[0].names[0].name, "x");
  EXPECT_FALSE(n.subsections[4].known);
  EXPECT_EQ(n.subsections[4].id, 0x2a);

  ASSERT_TRUE(mod->producers.has_value());
  ASSERT_EQ(mod->producers->fields.size(), 1u);
  EXPECT_EQ(mod->producers->fields[0].name, "language");
  EXPECT_EQ(mod->producers->fields[0].values[0].name, "C11");
  EXPECT_EQ(mod->producers->fields[0].values[0].version, "");

  ASSERT_TRUE(mod->targetFeatures.has_value());
  ASSERT_EQ(mod->targetFeatures->size(), 2u);
  EXPECT_EQ((*mod->targetFeatures)[0].prefix, '+');
  EXPECT_EQ((*mod->targetFeatures)[1].name, "atomics");
}

TEST(ModuleReaderTest, BadFeaturePrefix) {
  Bytes bytes =
      module({custom("target_features", cat({{0x01, '?'}, str("x")}))});
  EXPECT_EQ(errorOf(bytes), "offset 0x1b: unknown feature policy prefix 0x3f");
}

//===----------------------------------------------------------------------===//
// Structural errors
//===----------------------------------------------------------------------===//

TEST(ModuleReaderTest, BadMagic) {
  Bytes bytes = {0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00};
  EXPECT_EQ(errorOf(bytes), "offset 0x0: not a WebAssembly binary: bad magic "
                            "number");
}

TEST(ModuleReaderTest, BadVersion) {
  Bytes bytes = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00};
  EXPECT_EQ(errorOf(bytes),
            "offset 0x4: unsupported WebAssembly version 2 (expected 1)");
}

TEST(ModuleReaderTest, ComponentIsNotAModule) {
  Bytes bytes = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  EXPECT_EQ(errorOf(bytes, 0x40),
            "offset 0x44: expected a core module, found a component");
}

TEST(ModuleReaderTest, UnknownSectionId) {
  Bytes bytes = module({sec(14, {})});
  EXPECT_EQ(errorOf(bytes), "offset 0x8: unknown section id 14");
}

TEST(ModuleReaderTest, SectionPastEnd) {
  Bytes bytes = module({{0x01, 0x05, 0x00}});
  EXPECT_EQ(errorOf(bytes), "offset 0x9: section size 5 goes past the end of "
                            "the input (1 byte left)");
}

TEST(ModuleReaderTest, TruncatedSectionSize) {
  Bytes bytes = module({{0x01, 0x85}});
  EXPECT_EQ(errorOf(bytes),
            "offset 0x9: unexpected end of input in LEB128 integer");
}

TEST(ModuleReaderTest, LeftoverBytes) {
  Bytes bytes = module({sec(3, {0x00, 0x00})});
  EXPECT_EQ(errorOf(bytes), "offset 0xb: unexpected data at the end of "
                            "function section (1 byte left)");
}

TEST(ModuleReaderTest, ItemPastSectionEnd) {
  // The function section claims two entries but holds one: the reader may
  // not run into the next section.
  Bytes bytes = module({sec(3, {0x02, 0x00}), sec(10, {0x00})});
  EXPECT_EQ(errorOf(bytes),
            "offset 0xa: count 2 does not fit in the 1 byte left");
}

TEST(ModuleReaderTest, OutOfOrder) {
  Bytes bytes = module({sec(3, {0x00}), sec(1, {0x00})});
  EXPECT_EQ(errorOf(bytes), "offset 0xb: section out of order: TYPE section "
                            "after FUNCTION section");
  // The tag section goes between memory and global.
  Bytes tags = module({sec(6, {0x00}), sec(13, {0x00})});
  EXPECT_EQ(errorOf(tags), "offset 0xb: section out of order: TAG section "
                           "after GLOBAL section");
  // datacount goes before code, although its id is larger.
  Bytes ok = module({sec(12, {0x00}), sec(10, {0x00})});
  EXPECT_EQ(errorOf(ok), "");
}

TEST(ModuleReaderTest, Duplicate) {
  Bytes bytes = module({sec(1, {0x00}), custom("c", {}), sec(1, {0x00})});
  EXPECT_EQ(errorOf(bytes), "offset 0xf: duplicate TYPE section");
}

TEST(ModuleReaderTest, FunctionCodeMismatch) {
  Bytes bytes =
      module({sec(1, {0x01, 0x60, 0x00, 0x00}), sec(3, {0x02, 0x00, 0x00}),
              sec(10, {0x01, 0x02, 0x00, 0x0b})});
  EXPECT_EQ(errorOf(bytes), "offset 0x13: function and code section have "
                            "inconsistent lengths (2 functions, 1 bodies)");
  Bytes noCode =
      module({sec(1, {0x01, 0x60, 0x00, 0x00}), sec(3, {0x01, 0x00})});
  EXPECT_EQ(errorOf(noCode), "offset 0x12: function section has 1 entries "
                             "but code section is absent");
}

TEST(ModuleReaderTest, DataCountMismatch) {
  Bytes bytes = module({sec(12, {0x02}), sec(11, {0x01, 0x01, 0x00})});
  EXPECT_EQ(errorOf(bytes), "offset 0xb: data count and data section have "
                            "inconsistent lengths (2 and 1)");
}

TEST(ModuleReaderTest, TruncatedModule) {
  // A type section cut inside its LEB count, as `head -c` would cut a file.
  Bytes bytes = module({{0x01, 0x03, 0x01, 0x60}});
  EXPECT_EQ(errorOf(bytes), "offset 0x9: section size 3 goes past the end of "
                            "the input (2 bytes left)");
}

TEST(ModuleReaderTest, BadElemFlags) {
  Bytes bytes = module({sec(9, {0x01, 0x08})});
  EXPECT_EQ(errorOf(bytes), "offset 0xb: invalid element segment flags 8");
}

TEST(ModuleReaderTest, BadDataFlags) {
  Bytes bytes = module({sec(11, {0x01, 0x03})});
  EXPECT_EQ(errorOf(bytes), "offset 0xb: invalid data segment flags 3");
}

TEST(ModuleReaderTest, BadUtf8Name) {
  Bytes bytes = module({sec(7, {0x01, 0x01, 0xff, 0x00, 0x00})});
  EXPECT_EQ(errorOf(bytes), "offset 0xb: malformed UTF-8 encoding in name");
}

TEST(ModuleReaderTest, CustomSectionWithoutName) {
  Bytes bytes = module({sec(0, {})});
  EXPECT_EQ(errorOf(bytes),
            "offset 0xa: unexpected end of input in LEB128 integer");
}

} // namespace
