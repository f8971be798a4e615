//===- BinaryReader.cpp - Bounds-checked byte cursor ----------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// LEB128 decoding is done here rather than with llvm/Support/LEB128.h's
/// decoders because the spec bounds each LEB by the width of its type (at most
/// ceil(N/7) bytes, unused high bits zero or sign bits), and a reader that
/// accepts over-long encodings would accept modules wasm-tools rejects.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/BinaryReader.h"
#include "wcl/Support/Error.h"
#include "wcl/Wasm/Binary.h"
#include "llvm/Support/ConvertUTF.h"
#include <cstring>

using namespace llvm;
using namespace wcl;
using namespace wcl::wasm;

Error BinaryReader::errorAt(uint64_t at, const Twine &msg) {
  return createErrorAt(at, msg);
}

Error BinaryReader::error(const Twine &msg) const {
  return errorAt(offset(), msg);
}

Error BinaryReader::expectEnd(StringRef what) const {
  if (atEnd())
    return Error::success();
  return error("unexpected data at the end of " + what + " (" +
               byteCount(remaining()) + " left)");
}

Expected<uint8_t> BinaryReader::readU8() {
  if (atEnd())
    return error("unexpected end of input");
  return bytes[pos++];
}

Expected<uint8_t> BinaryReader::peekU8() const {
  if (atEnd())
    return error("unexpected end of input");
  return bytes[pos];
}

Expected<uint32_t> BinaryReader::readU32LE() {
  if (remaining() < 4)
    return error("unexpected end of input");
  uint32_t v = uint32_t(bytes[pos]) | uint32_t(bytes[pos + 1]) << 8 |
               uint32_t(bytes[pos + 2]) << 16 | uint32_t(bytes[pos + 3]) << 24;
  pos += 4;
  return v;
}

Expected<uint64_t> BinaryReader::readU64LE() {
  if (remaining() < 8)
    return error("unexpected end of input");
  uint64_t v = 0;
  for (unsigned i = 0; i < 8; ++i)
    v |= uint64_t(bytes[pos + i]) << (8 * i);
  pos += 8;
  return v;
}

Expected<uint64_t> BinaryReader::readULEB(unsigned maxBits) {
  uint64_t start = offset();
  uint64_t result = 0;
  for (unsigned shift = 0;; shift += 7) {
    if (atEnd())
      return errorAt(start, "unexpected end of input in LEB128 integer");
    uint8_t byte = bytes[pos++];
    // The last byte the width allows: no continuation, no bits past the width.
    if (shift + 7 >= maxBits && ((byte & 0x80) || (byte >> (maxBits - shift))))
      return errorAt(start, "invalid LEB128: integer too large for u" +
                                Twine(maxBits));
    result |= uint64_t(byte & 0x7f) << shift;
    if (!(byte & 0x80))
      return result;
  }
}

Expected<int64_t> BinaryReader::readSLEB(unsigned maxBits) {
  uint64_t start = offset();
  int64_t result = 0;
  for (unsigned shift = 0;; shift += 7) {
    if (atEnd())
      return errorAt(start, "unexpected end of input in LEB128 integer");
    uint8_t byte = bytes[pos++];
    if (shift + 7 >= maxBits) {
      // The last byte the width allows: no continuation, and the bits above
      // the sign bit must all repeat it.
      unsigned valueBits = maxBits - shift;
      uint8_t high = (byte & 0x7f) >> (valueBits - 1);
      uint8_t ones = 0x7f >> (valueBits - 1);
      if ((byte & 0x80) || (high != 0 && high != ones))
        return errorAt(start, "invalid LEB128: integer too large for s" +
                                  Twine(maxBits));
    }
    result |= int64_t(uint64_t(byte & 0x7f) << shift);
    if (!(byte & 0x80)) {
      if (shift + 7 < 64 && (byte & 0x40))
        result |= int64_t(~uint64_t(0) << (shift + 7));
      return result;
    }
  }
}

Expected<uint32_t> BinaryReader::readVarU32() {
  uint64_t v;
  if (Error e = readULEB(32).moveInto(v))
    return std::move(e);
  return uint32_t(v);
}

Expected<uint64_t> BinaryReader::readVarU64() { return readULEB(64); }

Expected<int32_t> BinaryReader::readVarS32() {
  int64_t v;
  if (Error e = readSLEB(32).moveInto(v))
    return std::move(e);
  return int32_t(v);
}

Expected<int64_t> BinaryReader::readVarS64() { return readSLEB(64); }

Expected<int64_t> BinaryReader::readVarS33() { return readSLEB(33); }

Expected<ArrayRef<uint8_t>> BinaryReader::readBytes(size_t n) {
  if (n > remaining())
    return error("unexpected end of input: " + byteCount(n) + " needed, " +
                 byteCount(remaining()) + " left");
  ArrayRef<uint8_t> r = bytes.slice(pos, n);
  pos += n;
  return r;
}

Expected<StringRef> BinaryReader::readName() {
  uint64_t start = offset();
  uint32_t len;
  if (Error e = readVarU32().moveInto(len))
    return std::move(e);
  ArrayRef<uint8_t> b;
  if (Error e = readBytes(len).moveInto(b))
    return std::move(e);
  StringRef s(reinterpret_cast<const char *>(b.data()), b.size());
  const UTF8 *p = reinterpret_cast<const UTF8 *>(s.data());
  if (!isLegalUTF8String(&p, p + s.size()))
    return errorAt(start, "malformed UTF-8 encoding in name");
  return s;
}

Expected<uint32_t> BinaryReader::readCount(unsigned minElemSize) {
  uint64_t start = offset();
  uint32_t n;
  if (Error e = readVarU32().moveInto(n))
    return std::move(e);
  if (uint64_t(n) * minElemSize > remaining())
    return errorAt(start, "count " + Twine(n) + " does not fit in the " +
                              byteCount(remaining()) + " left");
  return n;
}

Expected<BinaryReader> BinaryReader::readSubReader(size_t n) {
  uint64_t start = offset();
  ArrayRef<uint8_t> b;
  if (Error e = readBytes(n).moveInto(b))
    return std::move(e);
  return BinaryReader(b, start);
}

Error BinaryReader::readVector(unsigned minElemSize,
                               function_ref<Error()> readElem) {
  uint32_t n;
  if (Error e = readCount(minElemSize).moveInto(n))
    return e;
  for (uint32_t i = 0; i < n; ++i)
    if (Error e = readElem())
      return e;
  return Error::success();
}

Error BinaryReader::readSubsection(uint8_t &id, BinaryReader &body) {
  if (Error e = readU8().moveInto(id))
    return e;
  uint32_t size;
  if (Error e = readVarU32().moveInto(size))
    return e;
  return readSubReader(size).moveInto(body);
}

Error BinaryReader::skip(size_t n) { return readBytes(n).takeError(); }

Expected<BinaryKind> wcl::wasm::readPreamble(BinaryReader &reader) {
  if (reader.remaining() < 8)
    return reader.error("file too short to be a WebAssembly binary (" +
                        Twine(reader.remaining()) + " bytes)");
  ArrayRef<uint8_t> head = reader.data().slice(reader.position(), 8);
  if (std::memcmp(head.data(), Magic, 4) != 0)
    return reader.error("not a WebAssembly binary: bad magic number");
  if (std::memcmp(head.data() + 4, CoreVersion, 4) == 0) {
    consumeError(reader.skip(8));
    return BinaryKind::CoreModule;
  }
  if (std::memcmp(head.data() + 4, ComponentVersion, 4) == 0) {
    consumeError(reader.skip(8));
    return BinaryKind::Component;
  }
  uint16_t version = head[4] | head[5] << 8;
  uint16_t layer = head[6] | head[7] << 8;
  if (layer == 1)
    return BinaryReader::errorAt(
        reader.offset() + 4, "unsupported component version 0x" +
                                 Twine::utohexstr(version) + " (expected 0xd)");
  if (layer == 0)
    return BinaryReader::errorAt(reader.offset() + 4,
                                 "unsupported WebAssembly version " +
                                     Twine(version) + " (expected 1)");
  return BinaryReader::errorAt(reader.offset() + 6,
                               "unknown binary layer " + Twine(layer));
}
