//===- wcl/Wasm/Instructions.h - Core instruction decoding and remapping -===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A decoder of core WebAssembly instructions and a re-encoder that maps the
/// indices they hold. The decoder covers the core spec and the proposals wasm
/// toolchains emit (multi-value, sign extension, saturating conversions, bulk
/// memory, reference types, tail calls, typed function references, legacy and
/// new exception handling, GC, threads and shared-everything atomics, SIMD
/// and relaxed SIMD, multi-memory, memory64, wide arithmetic). Each
/// instruction becomes an Instr: its opcode, its bytes, typed immediates, and
/// the list of every index it holds with the exact bytes of that index
/// (IndexImm). The re-encoder uses only that list: it copies an instruction
/// byte for byte except for the indices whose mapped value differs, which it
/// writes as minimal LEB128s. Identity maps therefore reproduce the input
/// exactly, padded relocation LEBs included.
///
/// The same index lists describe the non-instruction constructs that hold
/// indices (value types with concrete heap types, rec groups, import
/// descriptors, table/global/tag types, local declarations); IndexScanner
/// reads them, so that module-level rewriting (ModuleGC) patches types and
/// imports the way it patches code.
///
/// Decoding checks encodings, not validity: indices are not checked against
/// index spaces and stack types are not tracked. Every malformation is an
/// llvm::Error naming its absolute offset. Not decoded yet (an "unknown
/// opcode" error): stack switching (0xe0-0xe6) and custom descriptors
/// (0xfb 0x20-0x26).
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WASM_INSTRUCTIONS_H
#define WCL_WASM_INSTRUCTIONS_H

#include "wcl/Wasm/BinaryReader.h"
#include "wcl/Wasm/CoreTypes.h"
#include "wcl/Wasm/ModuleReader.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>
#include <vector>

namespace wcl {
namespace wasm {

/// Opcode prefixes: instructions after them are numbered by a u32 LEB.
namespace prefix {
inline constexpr uint8_t None = 0x00;
inline constexpr uint8_t GC = 0xfb;
inline constexpr uint8_t Misc = 0xfc;
inline constexpr uint8_t SIMD = 0xfd;
inline constexpr uint8_t Atomic = 0xfe;
} // namespace prefix

/// What an index immediate refers to. The first eight are the module's index
/// spaces, which IndexMaps remaps; the others are function-local and are
/// listed so that consumers see every index an instruction holds.
enum class IndexKind : uint8_t {
  Type,
  Func,
  Table,
  Memory,
  Global,
  Tag,
  Elem,
  Data,
  Local,
  Label,
  Field,
};
inline constexpr unsigned NumModuleIndexKinds = 8;

llvm::StringRef toString(IndexKind kind);

/// One index held by an instruction or another construct, with where its
/// encoding lies, relative to the start of the construct.
struct IndexImm {
  IndexKind kind = IndexKind::Type;
  /// Type indices in block types and heap types are s33 LEBs; all other
  /// indices are u32 LEBs.
  bool isS33 = false;
  /// The memory of a memarg whose alignment field has bit 6 clear: memory 0,
  /// written nowhere. pos/size then cover the alignment field, which a
  /// re-encoder rewrites to give the memarg an explicit memory index.
  bool implicit = false;
  uint32_t value = 0;
  uint32_t pos = 0;
  uint32_t size = 0;
};

/// A block type: empty, one value type, or a type index (multi-value).
struct BlockType {
  enum class Kind : uint8_t { Empty, Value, Func };
  Kind kind = Kind::Empty;
  ValType type;           ///< Kind::Value
  uint32_t typeIndex = 0; ///< Kind::Func
};

/// A `try_table` catch clause.
struct Catch {
  enum class Kind : uint8_t { Catch = 0, CatchRef = 1, All = 2, AllRef = 3 };
  Kind kind = Kind::Catch;
  uint32_t tag = 0; ///< Catch, CatchRef
  uint32_t label = 0;
};

/// One decoded instruction. Only the immediates the instruction has are set;
/// every index it holds is in `indices`, in encoding order, including labels,
/// locals, fields, and type indices inside block types and heap types.
struct Instr {
  /// prefix::None for one-byte opcodes, else the prefix byte.
  uint8_t prefix = prefix::None;
  /// The opcode byte, or the sub-opcode after a prefix.
  uint32_t code = 0;
  /// Absolute offset of the first byte.
  uint64_t offset = 0;
  /// The whole instruction, opcode included.
  llvm::ArrayRef<uint8_t> bytes;

  llvm::SmallVector<IndexImm, 2> indices;

  /// block, loop, if, try, try_table.
  BlockType blockType;
  /// Loads, stores, atomics, SIMD memory instructions.
  bool hasMemArg = false;
  MemArg memArg;
  /// i32.const / i64.const (sign-extended), f32.const / f64.const (IEEE
  /// bits), SIMD lane index, atomic ordering, array.new_fixed length,
  /// br_on_cast flags.
  uint64_t value = 0;
  /// v128.const's value or i8x16.shuffle's lanes (16 bytes).
  llvm::ArrayRef<uint8_t> v128;
  /// ref.null, ref.test, ref.cast: the type; br_on_cast(_fail): the source.
  RefType refType;
  /// br_on_cast(_fail): the target type.
  RefType refType2;
  /// select with types.
  llvm::SmallVector<ValType, 1> selectTypes;
  /// try_table.
  llvm::SmallVector<Catch, 1> catches;

  bool is(uint8_t opcode) const {
    return prefix == prefix::None && code == opcode;
  }
  bool is(uint8_t pfx, uint32_t sub) const {
    return prefix == pfx && code == sub;
  }
  /// The value of the \p i-th index immediate.
  uint32_t index(unsigned i = 0) const { return indices[i].value; }
  /// Whether this opens a block closed by `end` (or `delegate`).
  bool opensBlock() const;

  void clear();
};

/// Reads the instructions of an expression: a function body's code or a
/// constant expression, up to and including the `end` that closes it.
/// Blocks are tracked only to find that `end`.
class InstrReader {
public:
  /// \p code starts at absolute offset \p offset.
  InstrReader(llvm::ArrayRef<uint8_t> code, uint64_t offset)
      : reader(code, offset) {}

  /// Whether the final `end` has been read.
  bool done() const { return finished; }
  /// Absolute offset of the next instruction.
  uint64_t offset() const { return reader.offset(); }
  /// Decodes the next instruction into \p instr (cleared first). An error
  /// after the final `end`, at an unknown opcode or a malformed immediate.
  llvm::Error next(Instr &instr);
  /// An error unless the final `end` was read and nothing follows it.
  llvm::Error finish() const;

private:
  BinaryReader reader;
  uint32_t depth = 0;
  bool finished = false;
};

/// Decodes every instruction of the expression \p code (first byte at
/// absolute \p offset), final `end` included, calling \p fn on each, and
/// checks that nothing follows the final `end`.
llvm::Error forEachInstr(llvm::ArrayRef<uint8_t> code, uint64_t offset,
                         llvm::function_ref<llvm::Error(const Instr &)> fn);

/// Records the indices of the non-instruction constructs that hold them,
/// reading each construct from a BinaryReader and appending IndexImms whose
/// positions are relative to \p start (a position in the reader's data).
class IndexScanner {
public:
  IndexScanner(BinaryReader &reader, size_t start,
               llvm::SmallVectorImpl<IndexImm> &out)
      : reader(reader), start(start), out(out) {}

  llvm::Expected<ValType> valType();
  llvm::Expected<RefType> refType();
  /// A heap type; \p ref receives heapType and shared.
  llvm::Error heapType(RefType &ref);
  llvm::Expected<BlockType> blockType();
  llvm::Error fieldType();
  /// A type section entry (a rec group or a lone subtype).
  llvm::Error recGroup();
  /// An import: module and field names, then the descriptor.
  llvm::Error import();
  /// The table section entry (with its optional initialiser expression).
  llvm::Error tableEntry();
  llvm::Error tableType();
  llvm::Error memoryType();
  llvm::Error globalType();
  llvm::Error tagType();
  /// An export: name, kind byte, index.
  llvm::Error exportEntry();
  /// A data segment: flags, memory, offset expression, contents.
  llvm::Error dataSegment();
  /// Local declarations at the start of a function body.
  llvm::Error locals();
  /// A u32 index of \p kind.
  llvm::Expected<uint32_t> index(IndexKind kind);
  /// A memory immediate: alignment flags, the memory index when bit 6 says
  /// one follows (else an implicit memory 0 is recorded), and the offset
  /// (read as a u64, which also accepts every u32 encoding).
  llvm::Expected<MemArg> memArg();
  /// An expression up to and including its final `end`, with the indices of
  /// its instructions.
  llvm::Error expr();

private:
  void record(IndexKind kind, bool isS33, uint32_t value, size_t from);
  llvm::Error compositeType();
  llvm::Error subType(uint8_t lead);

  BinaryReader &reader;
  size_t start;
  llvm::SmallVectorImpl<IndexImm> &out;
};

//===----------------------------------------------------------------------===//
// Remapping
//===----------------------------------------------------------------------===//

/// Old -> new indices of one index space. An empty map is the identity.
class IndexMap {
public:
  static constexpr uint32_t Removed = UINT32_MAX;

  IndexMap() = default;
  /// \p newIndices[old] is the new index of `old`, or Removed.
  explicit IndexMap(std::vector<uint32_t> newIndices)
      : newIndices(std::move(newIndices)) {}

  bool isIdentity() const { return newIndices.empty(); }
  /// The new index of \p old; nullopt when it was removed or is out of
  /// range.
  std::optional<uint32_t> lookup(uint32_t old) const;
  llvm::ArrayRef<uint32_t> getNewIndices() const { return newIndices; }

private:
  std::vector<uint32_t> newIndices;
};

/// One IndexMap per module index space.
struct IndexMaps {
  IndexMap types, funcs, tables, memories, globals, tags, elems, data;

  /// The map of \p kind; null for the function-local kinds, which are never
  /// remapped.
  const IndexMap *get(IndexKind kind) const;
  /// Maps \p imm's value; an error naming \p offset when the index has no new
  /// index (out of range, or refers to a removed item).
  llvm::Expected<uint32_t> map(const IndexImm &imm, uint64_t offset) const;
};

/// Writes \p bytes (a construct whose first byte is at absolute \p offset)
/// with every index in \p imms mapped through \p maps. Bytes outside the
/// indices are copied; an index whose value does not change keeps its
/// original encoding, one that changes is written as a minimal LEB.
llvm::Error writeRemapped(llvm::raw_ostream &os, llvm::ArrayRef<uint8_t> bytes,
                          uint64_t offset, llvm::ArrayRef<IndexImm> imms,
                          const IndexMaps &maps);

inline llvm::Error rewriteInstr(llvm::raw_ostream &os, const Instr &instr,
                                const IndexMaps &maps) {
  return writeRemapped(os, instr.bytes, instr.offset, instr.indices, maps);
}

/// Re-encodes the expression \p code (final `end` included) with its indices
/// mapped.
llvm::Error rewriteExpr(llvm::raw_ostream &os, llvm::ArrayRef<uint8_t> code,
                        uint64_t offset, const IndexMaps &maps);

/// Re-encodes a function body (local declarations, then code; not the size
/// prefix) with its indices mapped.
llvm::Error rewriteFunctionBody(llvm::raw_ostream &os, const FunctionBody &body,
                                const IndexMaps &maps);

/// Re-encodes the local declarations of \p body only, so that a transform
/// can write its own instructions before rewriting the code with
/// InstrReader and rewriteInstr.
llvm::Error rewriteLocals(llvm::raw_ostream &os, const FunctionBody &body,
                          const IndexMaps &maps);

} // namespace wasm
} // namespace wcl

#endif // WCL_WASM_INSTRUCTIONS_H
