//===- wcl/WIT/Text.h - WIT text packages into a Resolve --------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The WIT text front end's entry points: a `.wit` file, or a folder of
/// them with a `deps/` folder, parsed and resolved into a Resolve with
/// wit-parser's semantics (uses, includes, feature gates, the implicit
/// imports of a world). Errors are rendered as clang does,
/// `FILE:LINE:COL: error: message` with the line and a caret; a package
/// that fails leaves the Resolve it was given untouched.
///
/// For the driver's `--component-type PATH` (repeatable): parse every PATH
/// into one Resolve with parseWitPath, take each one's world with
/// selectWorld(resolve, parsed.main, "") (or the `--world` name), then
/// fold the worlds into the first with mergeWorlds (Decode.h), as the
/// worlds of several modules' metadata are; a conflict is mergeWorlds'
/// error, which the driver prefixes with both paths.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WIT_TEXT_H
#define WCL_WIT_TEXT_H

#include "wcl/WIT/Resolve.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"

namespace wcl {
namespace wit {

/// Which `@unstable(feature = ..)` items are kept.
struct Features {
  llvm::StringSet<> enabled;
  bool all = false;

  bool has(llvm::StringRef f) const { return all || enabled.contains(f); }
};

/// The packages a parse added: the main one and the nested packages
/// declared beside it (`package a:b { ... }`), in source order.
struct ParsedPackages {
  PackageId main;
  std::vector<PackageId> nested;
};

/// Parses WIT text \p contents (named \p path in errors) as a package and
/// adds it to \p resolve, whose packages serve as its dependencies.
llvm::Expected<ParsedPackages> parseWitText(Resolve &resolve,
                                            llvm::StringRef path,
                                            llvm::StringRef contents,
                                            const Features &features);

/// Parses \p path: a `.wit` file, or a folder whose `.wit` files form one
/// package and whose `deps/` holds its dependencies (folders or `.wit`
/// files), and adds them to \p resolve. A dependency \p resolve already
/// has is used as it is (two paths may share deps); the package of \p path
/// itself must be new to \p resolve.
llvm::Expected<ParsedPackages>
parseWitPath(Resolve &resolve, llvm::StringRef path, const Features &features);

/// The world of package \p pkg called \p name, or its only world when
/// \p name is empty (wit-parser's `select_world`).
llvm::Expected<WorldId> selectWorld(const Resolve &resolve, PackageId pkg,
                                    llvm::StringRef name);

} // namespace wit
} // namespace wcl

#endif // WCL_WIT_TEXT_H
