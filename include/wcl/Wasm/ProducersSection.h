//===- wcl/Wasm/ProducersSection.h - The producers section ------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The `producers` custom section (tool-conventions ProducersSection.md),
/// read and written. It has the same encoding in modules and components.
/// The reader keeps what a file holds, for the dumper; ProducersBuilder
/// keeps wasm-metadata's merge rules, because wcl's output must carry the
/// same producers as wasm-tools': fields stay in first-seen order, a field
/// that exists is extended, and a tool name that exists keeps its place and
/// gets the new version. ProducersBuilder::parse is the reader followed by
/// those rules, so there is one decoder of the encoding.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WASM_PRODUCERSSECTION_H
#define WCL_WASM_PRODUCERSSECTION_H

#include "wcl/Wasm/BinaryReader.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace wcl {
namespace wasm {

/// The `producers` custom section (tool-conventions ProducersSection.md).
struct ProducersSection {
  struct Value {
    llvm::StringRef name;
    llvm::StringRef version;
  };
  struct Field {
    llvm::StringRef name;
    llvm::SmallVector<Value, 2> values;
  };
  llvm::SmallVector<Field, 3> fields;
};

/// Decodes a `producers` section's content (what follows the name),
/// consuming the whole reader. Values are kept as written, duplicates
/// included, for the dumper.
llvm::Expected<ProducersSection> readProducersSection(BinaryReader &reader);

class ProducersBuilder {
public:
  struct Field {
    std::string name;
    /// (tool or language name, version), in first-added order.
    std::vector<std::pair<std::string, std::string>> values;
  };

  /// Adds \p name at \p version to \p field ("language", "processed-by",
  /// "sdk"). An existing name keeps its position and takes the new version.
  void add(llvm::StringRef field, llvm::StringRef name,
           llvm::StringRef version);
  /// Adds every value of \p other, in its order.
  void merge(const ProducersBuilder &other);
  /// Decodes a `producers` payload (what follows the section name), e.g. of
  /// an input module, so that it can be merged: readProducersSection, then
  /// add() for each value, so duplicate names within a field collapse.
  static llvm::Expected<ProducersBuilder> parse(llvm::ArrayRef<uint8_t> payload,
                                                uint64_t base = 0);

  bool empty() const { return fields.empty(); }
  llvm::ArrayRef<Field> getFields() const { return fields; }

  /// The payload: `vec(field)` with `field ::= name vec(name version)`.
  void writePayload(llvm::raw_ostream &os) const;
  /// The whole custom section, id and size included.
  void writeTo(llvm::raw_ostream &os) const;

private:
  std::vector<Field> fields;
};

} // namespace wasm
} // namespace wcl

#endif // WCL_WASM_PRODUCERSSECTION_H
