//===- wcl/Link/InputModule.h - An input of a link, parsed once -*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Each input of a shared-everything link is read and parsed once, as lld's
/// InputFile is: its bytes, the module wasm::readCoreModule decoded from them
/// and its DylibMetadata live together in one InputModule, made before the
/// link starts and shared by every phase after it: the linker's restarts,
/// the layout, and the encoder, which is handed the decoded module.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LINK_INPUTMODULE_H
#define WCL_LINK_INPUTMODULE_H

#include "wcl/Dylink/DylibMetadata.h"
#include "wcl/Wasm/ModuleReader.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include <memory>
#include <string>
#include <vector>

namespace wcl {

class Diagnostics;

/// A module's bytes and what keeps them alive: a file's buffer, a vector
/// (a module made in memory), or nothing for bytes built into wcl. Moving
/// it keeps `data` valid, so a decoded module may refer into it.
struct ModuleBytes {
  std::unique_ptr<llvm::MemoryBuffer> file;
  std::vector<uint8_t> vector;
  llvm::ArrayRef<uint8_t> data;

  static ModuleBytes fromFile(std::unique_ptr<llvm::MemoryBuffer> file);
  static ModuleBytes fromVector(std::vector<uint8_t> vector);
  /// Bytes that outlive every link (built into wcl).
  static ModuleBytes fromStatic(llvm::ArrayRef<uint8_t> data);
};

/// A core module's bytes and its decoded form, which refers into them.
struct ParsedModule {
  ModuleBytes bytes;
  wasm::CoreModule module;

  /// Decodes \p bytes with wasm::readCoreModule. The parse is traced as
  /// "parse \p what" under --verbose when \p diags is given.
  static llvm::Expected<ParsedModule>
  parse(ModuleBytes bytes, llvm::StringRef what, Diagnostics *diags);
};

/// One input library of a link.
struct InputModule {
  /// The name the link uses (in `needed`, export and instance names).
  std::string name;
  bool dlOpenable = false;
  ParsedModule parsed;
  dylink::DylibMetadata meta;

  llvm::ArrayRef<uint8_t> bytes() const { return parsed.bytes.data; }
  const wasm::CoreModule &module() const { return parsed.module; }

  /// The library \p name from a module parsed already: its metadata is read
  /// (see DylibMetadata::create for \p adapterNames and \p requireDylink).
  /// Errors are prefixed with \p name.
  static llvm::Expected<std::shared_ptr<const InputModule>>
  create(std::string name, ParsedModule parsed, bool dlOpenable,
         llvm::ArrayRef<std::string> adapterNames, bool requireDylink = true);

  /// Parses \p bytes as the library \p name, then as create(). A component
  /// is refused before the core reader sees it, with a message that says
  /// what it is.
  static llvm::Expected<std::shared_ptr<const InputModule>>
  read(std::string name, ModuleBytes bytes, bool dlOpenable,
       llvm::ArrayRef<std::string> adapterNames, Diagnostics *diags,
       bool requireDylink = true);
};

} // namespace wcl

#endif // WCL_LINK_INPUTMODULE_H
