//===- wcl/WIT/Printer.h - WIT text from the type model ---------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Prints a world of a Resolve as WIT text: the world's package with its
/// interfaces and the world, then every other package the world refers to
/// as a nested `package ns:name { ... }` block. This is how `wcl-readobj
/// --wit` shows what a module's `component-type` sections declare, so the
/// output is meant for people and for FileCheck, not for byte equality with
/// `wasm-tools component wit`.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WIT_PRINTER_H
#define WCL_WIT_PRINTER_H

#include "wcl/WIT/Resolve.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

namespace wcl {
namespace wit {

/// Prints world \p world of \p resolve, and the packages it uses, to \p os.
void printWorld(const Resolve &resolve, WorldId world, llvm::raw_ostream &os);

/// Prints package \p main and then \p nested as nested `package { ... }`
/// blocks, laid out as wit-component's printer lays them out (the order of
/// the model, docs, gates, `use` grouping, blank lines), so that the text
/// equals `wasm-tools component wit`'s.
void printPackages(const Resolve &resolve, PackageId main,
                   llvm::ArrayRef<PackageId> nested, llvm::raw_ostream &os);

} // namespace wit
} // namespace wcl

#endif // WCL_WIT_PRINTER_H
