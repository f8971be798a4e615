//===- Instructions.cpp - Core instruction decoding and remapping ---------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The decoder is a set of switches over opcodes that read each
/// instruction's immediates through IndexScanner, so that every index lands
/// in Instr::indices with its byte range whatever instruction holds it. The
/// opcode tables follow the spec's binary format and wasmparser's
/// BinaryReader::visit_operator for the proposals (an opcode wasmparser does
/// not know is an error here too). Re-encoding works from the index lists
/// alone and never needs to know which instruction it is copying.
/// IndexScanner itself, which also reads the module-level constructs, is in
/// IndexScanner.cpp.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/Instructions.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/LEB128.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::wasm;

StringRef wcl::wasm::toString(IndexKind kind) {
  switch (kind) {
  case IndexKind::Type:
    return "type";
  case IndexKind::Func:
    return "function";
  case IndexKind::Table:
    return "table";
  case IndexKind::Memory:
    return "memory";
  case IndexKind::Global:
    return "global";
  case IndexKind::Tag:
    return "tag";
  case IndexKind::Elem:
    return "element segment";
  case IndexKind::Data:
    return "data segment";
  case IndexKind::Local:
    return "local";
  case IndexKind::Label:
    return "label";
  case IndexKind::Field:
    return "field";
  }
  llvm_unreachable("bad IndexKind");
}

static std::string hex(uint64_t v) {
  return "0x" + utohexstr(v, /*LowerCase=*/true);
}

//===----------------------------------------------------------------------===//
// Instr
//===----------------------------------------------------------------------===//

bool Instr::opensBlock() const {
  return prefix == prefix::None &&
         (code == 0x02 || code == 0x03 || code == 0x04 || code == 0x06 ||
          code == 0x1f);
}

void Instr::clear() {
  prefix = prefix::None;
  code = 0;
  offset = 0;
  bytes = {};
  indices.clear();
  blockType = BlockType();
  hasMemArg = false;
  memArg = MemArg();
  value = 0;
  v128 = {};
  refType = RefType();
  refType2 = RefType();
  selectTypes.clear();
  catches.clear();
}

//===----------------------------------------------------------------------===//
// Instruction decoding
//===----------------------------------------------------------------------===//

namespace {
/// Reads the immediates of one instruction into an Instr.
class Decoder {
public:
  Decoder(BinaryReader &reader, size_t start, Instr &instr)
      : r(reader), s(reader, start, instr.indices), instr(instr) {}

  Error plain(uint8_t op);
  Error gc(uint32_t sub);
  Error misc(uint32_t sub);
  Error simd(uint32_t sub);
  Error atomic(uint32_t sub);

private:
  Error idx(IndexKind kind) { return s.index(kind).takeError(); }
  Error idx(IndexKind a, IndexKind b) {
    if (Error e = idx(a))
      return e;
    return idx(b);
  }
  Error memArg() {
    if (Error e = s.memArg().moveInto(instr.memArg))
      return e;
    instr.hasMemArg = true;
    return Error::success();
  }
  Error lane() { return r.readU8().moveInto(instr.value); }
  Error blockType() { return s.blockType().moveInto(instr.blockType); }
  Error heapType(RefType &ref, bool nullable) {
    ref.nullable = nullable;
    return s.heapType(ref);
  }
  Error bytes16() { return r.readBytes(16).moveInto(instr.v128); }
  Error ordering() {
    uint64_t at = r.offset();
    uint32_t o;
    if (Error e = r.readVarU32().moveInto(o))
      return e;
    if (o > 1)
      return BinaryReader::errorAt(at, "invalid atomic ordering " + Twine(o));
    instr.value = o;
    return Error::success();
  }
  Error brOnCast();
  Error brTable();
  Error selectTypes();
  Error tryTable();

  BinaryReader &r;
  IndexScanner s;
  Instr &instr;
};
} // namespace

Error Decoder::brTable() {
  uint32_t n;
  if (Error e = r.readCount().moveInto(n))
    return e;
  // The targets, then the default.
  for (uint32_t i = 0; i <= n; ++i)
    if (Error e = idx(IndexKind::Label))
      return e;
  return Error::success();
}

Error Decoder::selectTypes() {
  return r.readVector(1, [&] {
    return s.valType().moveInto(instr.selectTypes.emplace_back());
  });
}

Error Decoder::tryTable() {
  if (Error e = blockType())
    return e;
  return r.readVector(2, [&]() -> Error {
    uint64_t at = r.offset();
    uint8_t kind;
    if (Error e = r.readU8().moveInto(kind))
      return e;
    if (kind > 3)
      return BinaryReader::errorAt(at, "invalid catch kind " + hex(kind));
    Catch c;
    c.kind = Catch::Kind(kind);
    if (kind < 2)
      if (Error e = s.index(IndexKind::Tag).moveInto(c.tag))
        return e;
    if (Error e = s.index(IndexKind::Label).moveInto(c.label))
      return e;
    instr.catches.push_back(c);
    return Error::success();
  });
}

Error Decoder::brOnCast() {
  uint64_t at = r.offset();
  uint8_t flags;
  if (Error e = r.readU8().moveInto(flags))
    return e;
  if (flags > 3)
    return BinaryReader::errorAt(at, "invalid cast flags " + hex(flags));
  instr.value = flags;
  if (Error e = idx(IndexKind::Label))
    return e;
  if (Error e = heapType(instr.refType, flags & 1))
    return e;
  return heapType(instr.refType2, flags & 2);
}

static Error unknownOpcode(uint64_t at, uint8_t prefix, uint32_t code) {
  if (prefix == prefix::None)
    return BinaryReader::errorAt(at, "unknown opcode " + hex(code));
  return BinaryReader::errorAt(at, "unknown opcode " + hex(prefix) + " " +
                                       hex(code));
}

Error Decoder::plain(uint8_t op) {
  // Numeric instructions without immediates, including sign extension.
  if (op >= 0x45 && op <= 0xc4)
    return Error::success();
  switch (op) {
  case 0x00: // unreachable
  case 0x01: // nop
  case 0x05: // else
  case 0x0a: // throw_ref
  case 0x0b: // end
  case 0x0f: // return
  case 0x19: // catch_all
  case 0x1a: // drop
  case 0x1b: // select
  case 0xd1: // ref.is_null
  case 0xd3: // ref.eq
  case 0xd4: // ref.as_non_null
    return Error::success();
  case 0x02: // block
  case 0x03: // loop
  case 0x04: // if
  case 0x06: // try
    return blockType();
  case 0x07: // catch
  case 0x08: // throw
    return idx(IndexKind::Tag);
  case 0x09: // rethrow
  case 0x0c: // br
  case 0x0d: // br_if
  case 0x18: // delegate
  case 0xd5: // br_on_null
  case 0xd6: // br_on_non_null
    return idx(IndexKind::Label);
  case 0x0e:
    return brTable();
  case 0x10: // call
  case 0x12: // return_call
  case 0xd2: // ref.func
    return idx(IndexKind::Func);
  case 0x11: // call_indirect
  case 0x13: // return_call_indirect
    return idx(IndexKind::Type, IndexKind::Table);
  case 0x14: // call_ref
  case 0x15: // return_call_ref
    return idx(IndexKind::Type);
  case 0x1c:
    return selectTypes();
  case 0x1f:
    return tryTable();
  case 0x20: // local.get
  case 0x21: // local.set
  case 0x22: // local.tee
    return idx(IndexKind::Local);
  case 0x23: // global.get
  case 0x24: // global.set
    return idx(IndexKind::Global);
  case 0x25: // table.get
  case 0x26: // table.set
    return idx(IndexKind::Table);
  case 0x3f: // memory.size
  case 0x40: // memory.grow
    return idx(IndexKind::Memory);
  case 0x41: {
    int32_t v;
    if (Error e = r.readVarS32().moveInto(v))
      return e;
    instr.value = uint64_t(int64_t(v));
    return Error::success();
  }
  case 0x42: {
    int64_t v;
    if (Error e = r.readVarS64().moveInto(v))
      return e;
    instr.value = uint64_t(v);
    return Error::success();
  }
  case 0x43:
    return r.readU32LE().moveInto(instr.value);
  case 0x44:
    return r.readU64LE().moveInto(instr.value);
  case 0xd0: // ref.null
    return heapType(instr.refType, /*nullable=*/true);
  default:
    break;
  }
  // Loads and stores.
  if (op >= 0x28 && op <= 0x3e)
    return memArg();
  return unknownOpcode(instr.offset, prefix::None, op);
}

Error Decoder::gc(uint32_t sub) {
  switch (sub) {
  case 0x00: // struct.new
  case 0x01: // struct.new_default
  case 0x06: // array.new
  case 0x07: // array.new_default
  case 0x0b: // array.get
  case 0x0c: // array.get_s
  case 0x0d: // array.get_u
  case 0x0e: // array.set
  case 0x10: // array.fill
    return idx(IndexKind::Type);
  case 0x02: // struct.get
  case 0x03: // struct.get_s
  case 0x04: // struct.get_u
  case 0x05: // struct.set
    return idx(IndexKind::Type, IndexKind::Field);
  case 0x08: { // array.new_fixed
    if (Error e = idx(IndexKind::Type))
      return e;
    return r.readVarU32().moveInto(instr.value);
  }
  case 0x09: // array.new_data
  case 0x12: // array.init_data
    return idx(IndexKind::Type, IndexKind::Data);
  case 0x0a: // array.new_elem
  case 0x13: // array.init_elem
    return idx(IndexKind::Type, IndexKind::Elem);
  case 0x11: // array.copy
    return idx(IndexKind::Type, IndexKind::Type);
  case 0x0f: // array.len
  case 0x1a: // any.convert_extern
  case 0x1b: // extern.convert_any
  case 0x1c: // ref.i31
  case 0x1d: // i31.get_s
  case 0x1e: // i31.get_u
    return Error::success();
  case 0x14: // ref.test
  case 0x16: // ref.cast
    return heapType(instr.refType, /*nullable=*/false);
  case 0x15: // ref.test null
  case 0x17: // ref.cast null
    return heapType(instr.refType, /*nullable=*/true);
  case 0x18: // br_on_cast
  case 0x19: // br_on_cast_fail
    return brOnCast();
  default:
    return unknownOpcode(instr.offset, prefix::GC, sub);
  }
}

Error Decoder::misc(uint32_t sub) {
  switch (sub) {
  case 0x00: // i32.trunc_sat_f32_s ... i64.trunc_sat_f64_u
  case 0x01:
  case 0x02:
  case 0x03:
  case 0x04:
  case 0x05:
  case 0x06:
  case 0x07:
  case 0x13: // i64.add128
  case 0x14: // i64.sub128
  case 0x15: // i64.mul_wide_s
  case 0x16: // i64.mul_wide_u
    return Error::success();
  case 0x08: // memory.init
    return idx(IndexKind::Data, IndexKind::Memory);
  case 0x09: // data.drop
    return idx(IndexKind::Data);
  case 0x0a: // memory.copy
    return idx(IndexKind::Memory, IndexKind::Memory);
  case 0x0b: // memory.fill
  case 0x12: // memory.discard
    return idx(IndexKind::Memory);
  case 0x0c: // table.init
    return idx(IndexKind::Elem, IndexKind::Table);
  case 0x0d: // elem.drop
    return idx(IndexKind::Elem);
  case 0x0e: // table.copy
    return idx(IndexKind::Table, IndexKind::Table);
  case 0x0f: // table.grow
  case 0x10: // table.size
  case 0x11: // table.fill
    return idx(IndexKind::Table);
  default:
    return unknownOpcode(instr.offset, prefix::Misc, sub);
  }
}

Error Decoder::simd(uint32_t sub) {
  if (sub <= 0x0b || sub == 0x5c || sub == 0x5d) // loads and stores
    return memArg();
  if (sub == 0x0c || sub == 0x0d) // v128.const, i8x16.shuffle
    return bytes16();
  if (sub >= 0x15 && sub <= 0x22) // extract_lane, replace_lane
    return lane();
  if (sub >= 0x54 && sub <= 0x5b) { // load*_lane, store*_lane
    if (Error e = memArg())
      return e;
    return lane();
  }
  // The holes the SIMD proposal left in its numbering.
  switch (sub) {
  case 0x9a:
  case 0xa2:
  case 0xa5:
  case 0xa6:
  case 0xaf:
  case 0xb0:
  case 0xb2:
  case 0xb3:
  case 0xb4:
  case 0xbb:
  case 0xc2:
  case 0xc5:
  case 0xc6:
  case 0xcf:
  case 0xd0:
  case 0xd2:
  case 0xd3:
  case 0xd4:
  case 0xe2:
  case 0xee:
    return unknownOpcode(instr.offset, prefix::SIMD, sub);
  default:
    break;
  }
  // Everything else up to the end of relaxed SIMD has no immediate.
  if (sub <= 0x113)
    return Error::success();
  return unknownOpcode(instr.offset, prefix::SIMD, sub);
}

Error Decoder::atomic(uint32_t sub) {
  if (sub <= 0x02 || (sub >= 0x10 && sub <= 0x4e))
    return memArg();
  if (sub == 0x03) { // atomic.fence
    uint64_t at = r.offset();
    uint8_t b;
    if (Error e = r.readU8().moveInto(b))
      return e;
    if (b != 0)
      return BinaryReader::errorAt(at, "nonzero byte after atomic.fence");
    return Error::success();
  }
  // shared-everything-threads: an ordering, then what is accessed.
  if (sub >= 0x4f && sub <= 0x71) {
    if (Error e = ordering())
      return e;
    if (sub <= 0x57) // global.atomic.*
      return idx(IndexKind::Global);
    if (sub <= 0x5b) // table.atomic.*
      return idx(IndexKind::Table);
    if (sub <= 0x66) // struct.atomic.*
      return idx(IndexKind::Type, IndexKind::Field);
    return idx(IndexKind::Type); // array.atomic.*
  }
  return unknownOpcode(instr.offset, prefix::Atomic, sub);
}

Error InstrReader::next(Instr &instr) {
  instr.clear();
  if (finished)
    return reader.error("unexpected instruction after the final end");
  if (reader.atEnd())
    return reader.error("unexpected end of code: missing end");
  size_t start = reader.position();
  instr.offset = reader.offset();
  Expected<uint8_t> opcode = reader.readU8();
  if (!opcode)
    return opcode.takeError();
  uint8_t op = *opcode;
  Decoder d(reader, start, instr);
  Error err = Error::success();
  if (op >= prefix::GC && op <= prefix::Atomic) {
    instr.prefix = op;
    Expected<uint32_t> sub = reader.readVarU32();
    if (!sub)
      return sub.takeError();
    instr.code = *sub;
    switch (op) {
    case prefix::GC:
      err = d.gc(*sub);
      break;
    case prefix::Misc:
      err = d.misc(*sub);
      break;
    case prefix::SIMD:
      err = d.simd(*sub);
      break;
    default:
      err = d.atomic(*sub);
      break;
    }
  } else {
    instr.code = op;
    err = d.plain(op);
  }
  if (err)
    return err;
  instr.bytes = reader.data().slice(start, reader.position() - start);

  if (instr.opensBlock()) {
    ++depth;
  } else if (instr.is(0x0b)) { // end
    if (depth == 0)
      finished = true;
    else
      --depth;
  } else if (instr.is(0x18)) { // delegate closes a try
    if (depth == 0)
      return BinaryReader::errorAt(instr.offset, "delegate outside a block");
    --depth;
  } else if (depth == 0 && (instr.is(0x05) || instr.is(0x07) ||
                            instr.is(0x19))) { // else, catch, catch_all
    return BinaryReader::errorAt(instr.offset,
                                 (instr.is(0x05) ? "else" : "catch") +
                                     Twine(" outside a block"));
  }
  return Error::success();
}

Error InstrReader::finish() const {
  if (!finished)
    return reader.error("unexpected end of code: missing end");
  return reader.expectEnd("code");
}

Error wcl::wasm::forEachInstr(ArrayRef<uint8_t> code, uint64_t offset,
                              function_ref<Error(const Instr &)> fn) {
  InstrReader reader(code, offset);
  Instr instr;
  while (!reader.done()) {
    if (Error e = reader.next(instr))
      return e;
    if (Error e = fn(instr))
      return e;
  }
  return reader.finish();
}

//===----------------------------------------------------------------------===//
// Remapping
//===----------------------------------------------------------------------===//

std::optional<uint32_t> IndexMap::lookup(uint32_t old) const {
  if (isIdentity())
    return old;
  if (old >= newIndices.size() || newIndices[old] == Removed)
    return std::nullopt;
  return newIndices[old];
}

const IndexMap *IndexMaps::get(IndexKind kind) const {
  switch (kind) {
  case IndexKind::Type:
    return &types;
  case IndexKind::Func:
    return &funcs;
  case IndexKind::Table:
    return &tables;
  case IndexKind::Memory:
    return &memories;
  case IndexKind::Global:
    return &globals;
  case IndexKind::Tag:
    return &tags;
  case IndexKind::Elem:
    return &elems;
  case IndexKind::Data:
    return &data;
  case IndexKind::Local:
  case IndexKind::Label:
  case IndexKind::Field:
    return nullptr;
  }
  llvm_unreachable("bad IndexKind");
}

Expected<uint32_t> IndexMaps::map(const IndexImm &imm, uint64_t offset) const {
  const IndexMap *m = get(imm.kind);
  if (!m)
    return imm.value;
  if (std::optional<uint32_t> v = m->lookup(imm.value))
    return *v;
  if (imm.value >= m->getNewIndices().size())
    return BinaryReader::errorAt(offset, toString(imm.kind) + " index " +
                                             Twine(imm.value) +
                                             " is out of range");
  return BinaryReader::errorAt(offset, toString(imm.kind) + " " +
                                           Twine(imm.value) +
                                           " was removed but is referenced");
}

Error wcl::wasm::writeRemapped(raw_ostream &os, ArrayRef<uint8_t> bytes,
                               uint64_t offset, ArrayRef<IndexImm> imms,
                               const IndexMaps &maps) {
  size_t copied = 0;
  for (const IndexImm &imm : imms) {
    const IndexMap *m = maps.get(imm.kind);
    if (!m || m->isIdentity())
      continue;
    Expected<uint32_t> v = maps.map(imm, offset + imm.pos);
    if (!v)
      return v.takeError();
    if (*v == imm.value)
      continue;
    writeBytes(os, bytes.slice(copied, imm.pos - copied));
    if (imm.implicit) {
      // The memory was implicit (alignment bit 6 clear): set the bit and
      // give the index after the alignment.
      unsigned n = 0;
      uint64_t align = decodeULEB128(bytes.data() + imm.pos, &n);
      writeUleb128(os, align | 0x40);
      writeUleb128(os, *v);
    } else if (imm.isS33) {
      writeSleb128(os, int64_t(*v));
    } else {
      writeUleb128(os, *v);
    }
    copied = imm.pos + imm.size;
  }
  writeBytes(os, bytes.drop_front(copied));
  return Error::success();
}

Error wcl::wasm::rewriteExpr(raw_ostream &os, ArrayRef<uint8_t> code,
                             uint64_t offset, const IndexMaps &maps) {
  return forEachInstr(code, offset, [&](const Instr &instr) {
    return rewriteInstr(os, instr, maps);
  });
}

Error wcl::wasm::rewriteLocals(raw_ostream &os, const FunctionBody &body,
                               const IndexMaps &maps) {
  BinaryReader reader(body.body, body.bodyOffset);
  SmallVector<IndexImm, 2> imms;
  IndexScanner scanner(reader, 0, imms);
  if (Error e = scanner.locals())
    return e;
  return writeRemapped(os, body.body.take_front(reader.position()),
                       body.bodyOffset, imms, maps);
}

Error wcl::wasm::rewriteFunctionBody(raw_ostream &os, const FunctionBody &body,
                                     const IndexMaps &maps) {
  if (Error e = rewriteLocals(os, body, maps))
    return e;
  return rewriteExpr(os, body.code, body.codeOffset, maps);
}
