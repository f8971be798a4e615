//===- wcl/Wasm/BinaryReader.h - Bounds-checked byte cursor -----*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A cursor over wasm bytes shared by the core and component readers. Every
/// read is bounds-checked and every failure is an llvm::Error naming the
/// absolute byte offset in the file ("offset 0x1a: ..."), so malformed input
/// becomes one clear line instead of an assertion. Nested readers (a section
/// body, an embedded module) keep absolute offsets through `base`.
///
/// The readers built on it share one style, so that decoding a production
/// reads like its grammar rather than like error plumbing: a single value
/// goes into its destination with llvm::Expected::moveInto
/// (`if (Error e = r.readVarU32().moveInto(x)) return e;`), a `vec(...)` is
/// readVector with a callback per element, and a custom section's
/// `id size bytes` subsections are readSubsection.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WASM_BINARYREADER_H
#define WCL_WASM_BINARYREADER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include <cstdint>

namespace wcl {
namespace wasm {

class BinaryReader {
public:
  /// Reads \p bytes, whose first byte is at file offset \p base.
  explicit BinaryReader(llvm::ArrayRef<uint8_t> bytes, uint64_t base = 0)
      : bytes(bytes), base(base) {}

  /// Absolute file offset of the next byte.
  uint64_t offset() const { return base + pos; }
  size_t position() const { return pos; }
  bool atEnd() const { return pos >= bytes.size(); }
  size_t remaining() const { return bytes.size() - pos; }
  llvm::ArrayRef<uint8_t> data() const { return bytes; }

  llvm::Expected<uint8_t> readU8();
  llvm::Expected<uint8_t> peekU8() const;
  llvm::Expected<uint32_t> readU32LE();
  llvm::Expected<uint64_t> readU64LE();
  llvm::Expected<uint32_t> readVarU32();
  llvm::Expected<uint64_t> readVarU64();
  llvm::Expected<int32_t> readVarS32();
  llvm::Expected<int64_t> readVarS64();
  /// A signed 33-bit LEB, as core heap types and block types use.
  llvm::Expected<int64_t> readVarS33();
  /// `len:u32 bytes`, checked to be UTF-8 as the spec requires of names.
  llvm::Expected<llvm::StringRef> readName();
  llvm::Expected<llvm::ArrayRef<uint8_t>> readBytes(size_t n);
  /// A count for a vector, rejected when it cannot fit in what is left (each
  /// element takes at least \p minElemSize bytes), so a corrupt count cannot
  /// make a reader reserve gigabytes.
  llvm::Expected<uint32_t> readCount(unsigned minElemSize = 1);
  /// A sub-reader over the next \p n bytes, sharing absolute offsets.
  llvm::Expected<BinaryReader> readSubReader(size_t n);
  /// `vec(elem)`: a count as readCount(\p minElemSize) reads it, then
  /// \p readElem once per element, stopping at the first error.
  llvm::Error readVector(unsigned minElemSize,
                         llvm::function_ref<llvm::Error()> readElem);
  /// `id:u8 size:u32 bytes`, the framing of custom-section subsections:
  /// sets \p id and points \p body at the bytes.
  llvm::Error readSubsection(uint8_t &id, BinaryReader &body);
  /// Skips \p n bytes.
  llvm::Error skip(size_t n);

  /// An error at the current offset.
  llvm::Error error(const llvm::Twine &msg) const;
  /// An error at absolute offset \p at.
  static llvm::Error errorAt(uint64_t at, const llvm::Twine &msg);
  /// An error unless every byte was consumed; \p what names the thing read.
  llvm::Error expectEnd(llvm::StringRef what) const;

private:
  llvm::Expected<uint64_t> readULEB(unsigned maxBits);
  llvm::Expected<int64_t> readSLEB(unsigned maxBits);

  llvm::ArrayRef<uint8_t> bytes;
  uint64_t base;
  size_t pos = 0;
};

/// What a header says a binary is.
enum class BinaryKind { CoreModule, Component };

/// Checks the 8-byte preamble of \p reader's input and says whether it is a
/// core module or a component; an error names a bad magic, version or layer.
llvm::Expected<BinaryKind> readPreamble(BinaryReader &reader);

} // namespace wasm
} // namespace wcl

#endif // WCL_WASM_BINARYREADER_H
