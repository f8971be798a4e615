//===- CanonReader.cpp - Canonical function definitions -------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Reads canonical definitions (Binary.md, "Canonical Definitions"). There
/// are some fifty opcodes but only a dozen kinds of immediate, so each opcode
/// maps to the list of immediates it carries, in order, and one loop reads
/// them. Adding an opcode is then one line in immediatesOf, and the encoding
/// of each immediate (flags, options, result lists) is written once.
///
//===----------------------------------------------------------------------===//

#include "ReaderParts.h"
#include "wcl/Wasm/CoreTypes.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::component;
using namespace wcl::component::reader;
using namespace wcl::wasm;

static Error readCanonOption(BinaryReader &r, Canon &c) {
  uint64_t at = r.offset();
  uint8_t b;
  if (Error e = r.readU8().moveInto(b))
    return e;
  CanonOption o;
  switch (b) {
  case uint8_t(CanonOpt::StringUtf8):
  case uint8_t(CanonOpt::StringUtf16):
  case uint8_t(CanonOpt::StringLatin1Utf16):
  case uint8_t(CanonOpt::Async):
  case uint8_t(CanonOpt::Gc):
    o.kind = CanonOpt(b);
    break;
  case uint8_t(CanonOpt::Memory):
  case uint8_t(CanonOpt::Realloc):
  case uint8_t(CanonOpt::PostReturn):
  case uint8_t(CanonOpt::Callback):
  case uint8_t(CanonOpt::CoreType):
    o.kind = CanonOpt(b);
    if (Error e = r.readVarU32().moveInto(o.index))
      return e;
    break;
  default:
    return unknownByte(at, b, "canonical option");
  }
  c.options.push_back(o);
  return Error::success();
}

namespace {

/// One immediate of a canonical definition, in the order the binary holds
/// them.
enum class Imm : uint8_t {
  FuncSort,    ///< the 0x00 sort byte of lift and lower
  Func,        ///< c.func
  Type,        ///< c.type
  Table,       ///< c.table
  Memory,      ///< c.memory
  Options,     ///< c.options
  Result,      ///< c.result (a result list)
  CoreValType, ///< c.coreType
  Slot,        ///< c.slot
  Async,       ///< c.flag, as `async`
  Cancellable, ///< c.flag, as `cancellable`
};

} // namespace

/// The immediates after opcode \p op, or none if \p op is unknown.
static std::optional<ArrayRef<Imm>> immediatesOf(uint8_t op) {
  static constexpr Imm Lift[] = {Imm::FuncSort, Imm::Func, Imm::Options,
                                 Imm::Type};
  static constexpr Imm Lower[] = {Imm::FuncSort, Imm::Func, Imm::Options};
  static constexpr Imm Type[] = {Imm::Type};
  static constexpr Imm TaskReturn[] = {Imm::Result, Imm::Options};
  static constexpr Imm Context[] = {Imm::CoreValType, Imm::Slot};
  static constexpr Imm Async[] = {Imm::Async};
  static constexpr Imm TypeOptions[] = {Imm::Type, Imm::Options};
  static constexpr Imm TypeAsync[] = {Imm::Type, Imm::Async};
  static constexpr Imm Options[] = {Imm::Options};
  static constexpr Imm CancellableMemory[] = {Imm::Cancellable, Imm::Memory};
  static constexpr Imm Cancellable[] = {Imm::Cancellable};
  static constexpr Imm TypeTable[] = {Imm::Type, Imm::Table};
  switch (CanonOp(op)) {
  case CanonOp::Lift:
    return ArrayRef<Imm>(Lift);
  case CanonOp::Lower:
    return ArrayRef<Imm>(Lower);
  case CanonOp::ResourceNew:
  case CanonOp::ResourceDrop:
  case CanonOp::ResourceRep:
  case CanonOp::StreamNew:
  case CanonOp::StreamDropReadable:
  case CanonOp::StreamDropWritable:
  case CanonOp::FutureNew:
  case CanonOp::FutureDropReadable:
  case CanonOp::FutureDropWritable:
    return ArrayRef<Imm>(Type);
  case CanonOp::ThreadSpawnRef:
    // wasmparser reads no `shared` byte for the thread.spawn-* and
    // available-parallelism built-ins.
    return ArrayRef<Imm>(Type);
  case CanonOp::BackpressureInc:
  case CanonOp::BackpressureDec:
  case CanonOp::TaskCancel:
  case CanonOp::SubtaskDrop:
  case CanonOp::ErrorContextDrop:
  case CanonOp::WaitableSetNew:
  case CanonOp::WaitableSetDrop:
  case CanonOp::WaitableJoin:
  case CanonOp::ThreadIndex:
  case CanonOp::ThreadResumeLater:
  case CanonOp::ThreadAvailableParallelism:
    return ArrayRef<Imm>();
  case CanonOp::TaskReturn:
    return ArrayRef<Imm>(TaskReturn);
  case CanonOp::ContextGet:
  case CanonOp::ContextSet:
    return ArrayRef<Imm>(Context);
  case CanonOp::SubtaskCancel:
    return ArrayRef<Imm>(Async);
  case CanonOp::StreamRead:
  case CanonOp::StreamWrite:
  case CanonOp::FutureRead:
  case CanonOp::FutureWrite:
    return ArrayRef<Imm>(TypeOptions);
  case CanonOp::StreamCancelRead:
  case CanonOp::StreamCancelWrite:
  case CanonOp::FutureCancelRead:
  case CanonOp::FutureCancelWrite:
    return ArrayRef<Imm>(TypeAsync);
  case CanonOp::ErrorContextNew:
  case CanonOp::ErrorContextDebugMessage:
    return ArrayRef<Imm>(Options);
  case CanonOp::WaitableSetWait:
  case CanonOp::WaitableSetPoll:
    return ArrayRef<Imm>(CancellableMemory);
  case CanonOp::ThreadYield:
  case CanonOp::ThreadSuspend:
  case CanonOp::ThreadSuspendThenResume:
  case CanonOp::ThreadYieldThenResume:
  case CanonOp::ThreadSuspendThenPromote:
  case CanonOp::ThreadYieldThenPromote:
    return ArrayRef<Imm>(Cancellable);
  case CanonOp::ThreadNewIndirect:
    return ArrayRef<Imm>(TypeTable);
  case CanonOp::ThreadSpawnIndirect:
    return ArrayRef<Imm>(TypeTable);
  }
  return std::nullopt;
}

/// Lift and lower carry a 0x00 for the func / core func sort.
static Error readFuncSort(BinaryReader &r, const Canon &c) {
  uint64_t at = r.offset();
  uint8_t b;
  if (Error e = r.readU8().moveInto(b))
    return e;
  if (b != 0x00)
    return BinaryReader::errorAt(at,
                                 "invalid canonical " + wasm::toString(c.op) +
                                     ": expected 0x00, found " + hexByte(b));
  return Error::success();
}

static Error readImmediate(BinaryReader &r, Imm imm, Canon &c) {
  switch (imm) {
  case Imm::FuncSort:
    return readFuncSort(r, c);
  case Imm::Func:
    return r.readVarU32().moveInto(c.func);
  case Imm::Type:
    return r.readVarU32().moveInto(c.type);
  case Imm::Table:
    return r.readVarU32().moveInto(c.table);
  case Imm::Memory:
    return r.readVarU32().moveInto(c.memory);
  case Imm::Options:
    return r.readVector(1, [&] { return readCanonOption(r, c); });
  case Imm::Result:
    return readResultList(r).moveInto(c.result);
  case Imm::CoreValType:
    return wasm::readValType(r).moveInto(c.coreType);
  case Imm::Slot:
    return r.readVarU32().moveInto(c.slot);
  case Imm::Async:
    return readFlag(r, "async").moveInto(c.flag);
  case Imm::Cancellable:
    return readFlag(r, "cancellable").moveInto(c.flag);
  }
  llvm_unreachable("unknown canonical immediate");
}

Expected<Canon> reader::readCanon(BinaryReader &r) {
  Canon c;
  c.offset = r.offset();
  uint8_t op;
  if (Error e = r.readU8().moveInto(op))
    return std::move(e);
  std::optional<ArrayRef<Imm>> imms = immediatesOf(op);
  if (!imms)
    return unknownByte(c.offset, op, "canonical function opcode");
  c.op = CanonOp(op);
  for (Imm imm : *imms)
    if (Error e = readImmediate(r, imm, c))
      return std::move(e);
  return c;
}
