//===- PackageBinaryTest.cpp - binary WIT packages ------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "ExpectedHelpers.h"
#include "wcl/WIT/Decode.h"
#include "wcl/WIT/Encode.h"
#include "wcl/WIT/Text.h"
#include "llvm/ADT/StringExtras.h"
#include "gtest/gtest.h"

using namespace llvm;
using namespace wcl::wit;
using namespace wcl::wit::test;

namespace {

/// Parses \p text and writes its package as a binary.
std::vector<uint8_t> encodeText(StringRef text) {
  Resolve r;
  Expected<ParsedPackages> p = parseWitText(r, "t.wit", text, Features());
  EXPECT_TRUE(ok(p));
  if (!p)
    return {};
  Expected<std::vector<uint8_t>> bin = encodePackage(r, p->main);
  EXPECT_TRUE(ok(bin));
  return bin ? *bin : std::vector<uint8_t>();
}

TEST(PackageBinary, DocsAreEscapedAsSerdeJsonAndReadBack) {
  // A `///` line keeps quotes, backslashes and tabs; serde_json escapes
  // them as \" \\ \t and leaves other characters (é) as UTF-8.
  std::vector<uint8_t> bin = encodeText("/// say \"hi\" \\ to\tall é\n"
                                        "package a:b;\n"
                                        "interface i { f: func(); }\n");
  StringRef bytes = toStringRef(bin);
  EXPECT_TRUE(bytes.contains(
      "\x01{\"docs\":\"say \\\"hi\\\" \\\\ to\\tall \xc3\xa9\"}"))
      << bytes.str();
  Resolve r;
  Expected<PackageId> pkg = decodeWitPackage(r, bin);
  ASSERT_TRUE(ok(pkg));
  EXPECT_EQ(r.get(*pkg).docs,
            std::optional<std::string>("say \"hi\" \\ to\tall \xc3\xa9"));
}

TEST(PackageBinary, GatesTravelInPackageDocs) {
  std::vector<uint8_t> bin = encodeText("package a:b@1.0.0;\n"
                                        "interface i {\n"
                                        "  @since(version = 1.0.0)\n"
                                        "  @deprecated(version = 1.1.0)\n"
                                        "  f: func();\n"
                                        "}\n");
  EXPECT_TRUE(toStringRef(bin).contains(
      "\"funcs\":{\"f\":{\"stability\":{\"stable\":{\"since\":\"1.0.0\","
      "\"deprecated\":\"1.1.0\"}}}}"));
  Resolve r;
  Expected<PackageId> pkg = decodeWitPackage(r, bin);
  ASSERT_TRUE(ok(pkg));
  InterfaceId i = r.get(*pkg).interfaces.begin()->second;
  const Function &f = r.get(i).functions.begin()->second;
  EXPECT_EQ(f.stability.kind, Stability::Kind::Stable);
  EXPECT_EQ(f.stability.value, "1.0.0");
  EXPECT_EQ(f.stability.deprecated, std::optional<std::string>("1.1.0"));
}

TEST(PackageBinary, BadInputLeavesTheResolveAlone) {
  std::vector<uint8_t> bin = encodeText("package a:b;\ninterface i {}\n");
  Resolve r;
  bin.resize(bin.size() / 2);
  EXPECT_NE(errorOf(decodeWitPackage(r, bin)), "");
  EXPECT_TRUE(r.packages.empty());
  EXPECT_TRUE(r.interfaces.empty());
  std::vector<uint8_t> core = {0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0};
  EXPECT_NE(errorOf(decodeWitPackage(r, core)).find("not a component"),
            std::string::npos);
}

} // namespace
