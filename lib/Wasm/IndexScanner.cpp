//===- IndexScanner.cpp - Indices outside instructions --------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// IndexScanner reads the module-level constructs that hold indices (value
/// and heap types, rec groups, imports, exports, table/global/tag types,
/// data segments, locals, memory immediates) and records each index with
/// its exact bytes, as the instruction decoder does for code. It re-reads
/// what the module reader already decoded because the module reader keeps
/// values, not where each index lies, and ModuleGC needs the latter to
/// patch types and imports the way it patches code. It lives apart from the
/// instruction decoder because it is a second grammar: sections, not
/// opcodes.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/Instructions.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::wasm;

static std::string hex(uint64_t v) {
  return "0x" + utohexstr(v, /*LowerCase=*/true);
}

void IndexScanner::record(IndexKind kind, bool isS33, uint32_t value,
                          size_t from) {
  IndexImm imm;
  imm.kind = kind;
  imm.isS33 = isS33;
  imm.value = value;
  imm.pos = uint32_t(from - start);
  imm.size = uint32_t(reader.position() - from);
  out.push_back(imm);
}

Expected<uint32_t> IndexScanner::index(IndexKind kind) {
  size_t from = reader.position();
  uint32_t v;
  if (Error e = reader.readVarU32().moveInto(v))
    return std::move(e);
  record(kind, /*isS33=*/false, v, from);
  return v;
}

Error IndexScanner::heapType(RefType &ref) {
  // A concrete heap type never has the `shared` prefix, so when there is an
  // index it starts here.
  size_t from = reader.position();
  if (Error e = readHeapType(reader, ref))
    return e;
  if (ref.heapType >= 0)
    record(IndexKind::Type, /*isS33=*/true, uint32_t(ref.heapType), from);
  return Error::success();
}

Expected<ValType> IndexScanner::valType() {
  size_t from = reader.position();
  ValType type;
  if (Error e = readValType(reader).moveInto(type))
    return std::move(e);
  // Only the two-byte forms (0x63/0x64 heaptype) can name a concrete type.
  if (type.isRef() && type.ref.heapType >= 0)
    record(IndexKind::Type, /*isS33=*/true, uint32_t(type.ref.heapType),
           from + 1);
  return type;
}

Expected<RefType> IndexScanner::refType() {
  size_t from = reader.position();
  RefType ref;
  if (Error e = readRefType(reader).moveInto(ref))
    return std::move(e);
  if (ref.heapType >= 0)
    record(IndexKind::Type, /*isS33=*/true, uint32_t(ref.heapType), from + 1);
  return ref;
}

Expected<BlockType> IndexScanner::blockType() {
  uint64_t at = reader.offset();
  uint8_t lead;
  if (Error e = reader.peekU8().moveInto(lead))
    return std::move(e);
  BlockType bt;
  if (lead == 0x40) {
    consumeError(reader.readU8().takeError());
    return bt;
  }
  // A one-byte negative s33 is a value type; checking the byte rather than
  // the decoded s33 rejects over-long encodings of value types, as the spec
  // requires.
  if ((lead & 0xc0) == 0x40) {
    bt.kind = BlockType::Kind::Value;
    if (Error e = valType().moveInto(bt.type))
      return std::move(e);
    return bt;
  }
  size_t from = reader.position();
  int64_t idx;
  if (Error e = reader.readVarS33().moveInto(idx))
    return std::move(e);
  if (idx < 0 || idx > int64_t(UINT32_MAX))
    return BinaryReader::errorAt(at, "invalid block type");
  bt.kind = BlockType::Kind::Func;
  bt.typeIndex = uint32_t(idx);
  record(IndexKind::Type, /*isS33=*/true, bt.typeIndex, from);
  return bt;
}

/// A mutability byte with no bits outside \p allowed.
static Error checkMutability(BinaryReader &reader, uint8_t allowed) {
  uint64_t at = reader.offset();
  uint8_t mut;
  if (Error e = reader.readU8().moveInto(mut))
    return e;
  if (mut & ~allowed)
    return BinaryReader::errorAt(at, "malformed mutability " + hex(mut));
  return Error::success();
}

Error IndexScanner::fieldType() {
  uint8_t lead;
  if (Error e = reader.peekU8().moveInto(lead))
    return e;
  if (lead == 0x78 || lead == 0x77)
    consumeError(reader.readU8().takeError());
  else if (Error e = valType().takeError())
    return e;
  return checkMutability(reader, 0x01);
}

Error IndexScanner::compositeType() {
  uint64_t at = reader.offset();
  uint8_t b;
  if (Error e = reader.readU8().moveInto(b))
    return e;
  if (b == 0x65) { // shared
    at = reader.offset();
    if (Error e = reader.readU8().moveInto(b))
      return e;
  }
  auto valTypes = [&] {
    return reader.readVector(1, [&] { return valType().takeError(); });
  };
  switch (b) {
  case 0x60: // func
    if (Error e = valTypes())
      return e;
    return valTypes();
  case 0x5f: // struct
    return reader.readVector(1, [&] { return fieldType(); });
  case 0x5e: // array
    return fieldType();
  case 0x5d: // cont
    return index(IndexKind::Type).takeError();
  default:
    return BinaryReader::errorAt(at, "invalid leading byte " + hex(b) +
                                         " for a type definition");
  }
}

Error IndexScanner::subType(uint8_t lead) {
  if (lead == 0x50 || lead == 0x4f) {
    consumeError(reader.readU8().takeError());
    if (Error e = reader.readVector(
            1, [&] { return index(IndexKind::Type).takeError(); }))
      return e;
  }
  return compositeType();
}

Error IndexScanner::recGroup() {
  uint8_t lead;
  if (Error e = reader.peekU8().moveInto(lead))
    return e;
  if (lead != 0x4e)
    return subType(lead);
  consumeError(reader.readU8().takeError());
  return reader.readVector(1, [&]() -> Error {
    uint8_t b;
    if (Error e = reader.peekU8().moveInto(b))
      return e;
    return subType(b);
  });
}

Error IndexScanner::tableType() {
  if (Error e = refType().takeError())
    return e;
  return readLimits(reader).takeError();
}

Error IndexScanner::tableEntry() {
  uint8_t lead;
  if (Error e = reader.peekU8().moveInto(lead))
    return e;
  if (lead != 0x40)
    return tableType();
  consumeError(reader.readU8().takeError());
  uint64_t at = reader.offset();
  uint8_t zero;
  if (Error e = reader.readU8().moveInto(zero))
    return e;
  if (zero != 0)
    return BinaryReader::errorAt(at, "invalid table encoding " + hex(zero));
  if (Error e = tableType())
    return e;
  return expr();
}

Error IndexScanner::memoryType() { return readLimits(reader).takeError(); }

Error IndexScanner::globalType() {
  if (Error e = valType().takeError())
    return e;
  // Bit 0: mutable; bit 1: shared (shared-everything-threads).
  return checkMutability(reader, 0x03);
}

Error IndexScanner::tagType() {
  uint64_t at = reader.offset();
  uint8_t attr;
  if (Error e = reader.readU8().moveInto(attr))
    return e;
  if (attr != 0)
    return BinaryReader::errorAt(at, "invalid tag attribute " + hex(attr));
  return index(IndexKind::Type).takeError();
}

Error IndexScanner::import() {
  if (Error e = reader.readName().takeError())
    return e;
  if (Error e = reader.readName().takeError())
    return e;
  uint64_t at = reader.offset();
  uint8_t kind;
  if (Error e = reader.readU8().moveInto(kind))
    return e;
  switch (kind) {
  case 0x00:
    return index(IndexKind::Type).takeError();
  case 0x01:
    return tableType();
  case 0x02:
    return memoryType();
  case 0x03:
    return globalType();
  case 0x04:
    return tagType();
  default:
    return BinaryReader::errorAt(at, "invalid external kind " + hex(kind));
  }
}

Error IndexScanner::exportEntry() {
  if (Error e = reader.readName().takeError())
    return e;
  uint64_t at = reader.offset();
  uint8_t kind;
  if (Error e = reader.readU8().moveInto(kind))
    return e;
  static constexpr IndexKind kinds[] = {IndexKind::Func, IndexKind::Table,
                                        IndexKind::Memory, IndexKind::Global,
                                        IndexKind::Tag};
  if (kind > 4)
    return BinaryReader::errorAt(at, "invalid export kind " + hex(kind));
  return index(kinds[kind]).takeError();
}

Error IndexScanner::dataSegment() {
  uint64_t at = reader.offset();
  uint32_t flags;
  if (Error e = reader.readVarU32().moveInto(flags))
    return e;
  if (flags > 2)
    return BinaryReader::errorAt(at,
                                 "invalid data segment flags " + Twine(flags));
  // 0: active in memory 0; 1: passive; 2: active with a memory index.
  if (flags == 2)
    if (Error e = index(IndexKind::Memory).takeError())
      return e;
  if (flags != 1)
    if (Error e = expr())
      return e;
  uint32_t size;
  if (Error e = reader.readVarU32().moveInto(size))
    return e;
  return reader.skip(size);
}

Error IndexScanner::locals() {
  uint64_t at = reader.offset();
  uint64_t total = 0;
  return reader.readVector(2, [&]() -> Error {
    uint32_t count;
    if (Error e = reader.readVarU32().moveInto(count))
      return e;
    total += count;
    if (total > UINT32_MAX)
      return BinaryReader::errorAt(at, "too many locals");
    return valType().takeError();
  });
}

Expected<MemArg> IndexScanner::memArg() {
  uint64_t at = reader.offset();
  size_t alignFrom = reader.position();
  uint32_t align;
  if (Error e = reader.readVarU32().moveInto(align))
    return std::move(e);
  MemArg arg;
  // Multi-memory: bit 6 says a memory index follows the alignment.
  if (align & 0x40) {
    align &= ~0x40u;
    if (Error e = index(IndexKind::Memory).moveInto(arg.memory))
      return std::move(e);
  } else {
    record(IndexKind::Memory, /*isS33=*/false, 0, alignFrom);
    out.back().implicit = true;
  }
  if (align >= 64)
    return BinaryReader::errorAt(
        at, "malformed memop alignment: alignment too large");
  arg.alignLog2 = align;
  // memory64 offsets are u64; reading every offset as one accepts the u32
  // encodings too, and the bytes are kept as they are.
  if (Error e = reader.readVarU64().moveInto(arg.offset))
    return std::move(e);
  return arg;
}

Error IndexScanner::expr() {
  ArrayRef<uint8_t> rest = reader.data().drop_front(reader.position());
  InstrReader instrs(rest, reader.offset());
  Instr instr;
  size_t base = reader.position();
  while (!instrs.done()) {
    if (Error e = instrs.next(instr))
      return e;
    size_t instrPos = base + size_t(instr.offset - reader.offset());
    for (IndexImm imm : instr.indices) {
      imm.pos += uint32_t(instrPos - start);
      out.push_back(imm);
    }
  }
  return reader.skip(size_t(instrs.offset() - reader.offset()));
}
