//===- wcl/Wasm/Binary.h - Core and component binary constants --*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Binary-format constants of the component model (design/mvp/Binary.md in
/// WebAssembly/component-model) and the few core ones LLVM's
/// llvm/BinaryFormat/Wasm.h does not name. Core section ids, value types and
/// external kinds come from LLVM (llvm::wasm::WASM_SEC_*, ValType, ...); this
/// header does not repeat them.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WASM_BINARY_H
#define WCL_WASM_BINARY_H

#include "llvm/ADT/StringRef.h"
#include <cstdint>

namespace wcl {
namespace wasm {

/// "\0asm" followed by the version and layer fields.
inline constexpr uint8_t Magic[4] = {0x00, 0x61, 0x73, 0x6d};
/// Core modules: version 1, layer 0.
inline constexpr uint8_t CoreVersion[4] = {0x01, 0x00, 0x00, 0x00};
/// Components: version 0x0d (pre-1.0 prototype number), layer 1.
inline constexpr uint8_t ComponentVersion[4] = {0x0d, 0x00, 0x01, 0x00};

/// Component section ids.
enum class ComponentSectionId : uint8_t {
  Custom = 0,
  CoreModule = 1,
  CoreInstance = 2,
  CoreType = 3,
  Component = 4,
  Instance = 5,
  Alias = 6,
  Type = 7,
  Canon = 8,
  Start = 9,
  Import = 10,
  Export = 11,
  Value = 12,
};
inline constexpr uint8_t LastComponentSectionId = 12;

/// core:sort.
enum class CoreSort : uint8_t {
  Func = 0x00,
  Table = 0x01,
  Memory = 0x02,
  Global = 0x03,
  Tag = 0x04,
  Type = 0x10,
  Module = 0x11,
  Instance = 0x12,
};

/// sort (component level). Core is followed by a CoreSort byte.
enum class Sort : uint8_t {
  Core = 0x00,
  Func = 0x01,
  Value = 0x02,
  Type = 0x03,
  Component = 0x04,
  Instance = 0x05,
};

/// The 13 index spaces a component has, as ComponentBuilder numbers them.
enum class IndexSpace : uint8_t {
  CoreFunc,
  CoreTable,
  CoreMemory,
  CoreGlobal,
  CoreTag,
  CoreType,
  CoreModule,
  CoreInstance,
  Func,
  Value,
  Type,
  Component,
  Instance,
};
inline constexpr unsigned NumIndexSpaces = 13;

/// Alias targets.
enum class AliasTarget : uint8_t {
  Export = 0x00,
  CoreExport = 0x01,
  Outer = 0x02,
};

/// core:instanceexpr and instanceexpr.
enum class InstanceExpr : uint8_t {
  Instantiate = 0x00,
  FromExports = 0x01,
};

/// canon opcodes.
enum class CanonOp : uint8_t {
  Lift = 0x00,
  Lower = 0x01,
  ResourceNew = 0x02,
  ResourceDrop = 0x03,
  ResourceRep = 0x04,
  TaskCancel = 0x05,
  SubtaskCancel = 0x06,
  TaskReturn = 0x09,
  ContextGet = 0x0a,
  ContextSet = 0x0b,
  ThreadYield = 0x0c,
  SubtaskDrop = 0x0d,
  StreamNew = 0x0e,
  StreamRead = 0x0f,
  StreamWrite = 0x10,
  StreamCancelRead = 0x11,
  StreamCancelWrite = 0x12,
  StreamDropReadable = 0x13,
  StreamDropWritable = 0x14,
  FutureNew = 0x15,
  FutureRead = 0x16,
  FutureWrite = 0x17,
  FutureCancelRead = 0x18,
  FutureCancelWrite = 0x19,
  FutureDropReadable = 0x1a,
  FutureDropWritable = 0x1b,
  ErrorContextNew = 0x1c,
  ErrorContextDebugMessage = 0x1d,
  ErrorContextDrop = 0x1e,
  WaitableSetNew = 0x1f,
  WaitableSetWait = 0x20,
  WaitableSetPoll = 0x21,
  WaitableSetDrop = 0x22,
  WaitableJoin = 0x23,
  BackpressureInc = 0x24,
  BackpressureDec = 0x25,
  ThreadIndex = 0x26,
  ThreadNewIndirect = 0x27,
  ThreadResumeLater = 0x28,
  ThreadSuspend = 0x29,
  ThreadSuspendThenResume = 0x2a,
  ThreadYieldThenResume = 0x2b,
  ThreadSuspendThenPromote = 0x2c,
  ThreadYieldThenPromote = 0x2d,
  ThreadSpawnRef = 0x40,
  ThreadSpawnIndirect = 0x41,
  ThreadAvailableParallelism = 0x42,
};

/// canonopt.
enum class CanonOpt : uint8_t {
  StringUtf8 = 0x00,
  StringUtf16 = 0x01,
  StringLatin1Utf16 = 0x02,
  Memory = 0x03,
  Realloc = 0x04,
  PostReturn = 0x05,
  Async = 0x06,
  Callback = 0x07,
  CoreType = 0x08,
  Gc = 0x09,
};

/// Component type constructors (deftype / defvaltype), encoded as negative
/// SLEB128 bytes so they never collide with type indices.
enum class TypeCode : uint8_t {
  Bool = 0x7f,
  S8 = 0x7e,
  U8 = 0x7d,
  S16 = 0x7c,
  U16 = 0x7b,
  S32 = 0x7a,
  U32 = 0x79,
  S64 = 0x78,
  U64 = 0x77,
  F32 = 0x76,
  F64 = 0x75,
  Char = 0x74,
  String = 0x73,
  Record = 0x72,
  Variant = 0x71,
  List = 0x70,
  Tuple = 0x6f,
  Flags = 0x6e,
  Enum = 0x6d,
  Option = 0x6b,
  Result = 0x6a,
  Own = 0x69,
  Borrow = 0x68,
  FixedList = 0x67,
  Stream = 0x66,
  Future = 0x65,
  ErrorContext = 0x64,
  Map = 0x63,
  Func = 0x40,
  Component = 0x41,
  Instance = 0x42,
  AsyncFunc = 0x43,
  Resource = 0x3f,
};

/// core:type forms a component's core type section may hold besides core
/// rectypes.
enum class CoreTypeCode : uint8_t {
  Func = 0x60,
  Module = 0x50,
};

/// componentdecl / instancedecl / moduledecl tags.
enum class DeclTag : uint8_t {
  CoreType = 0x00, // instancedecl: core:type; moduledecl: import
  Type = 0x01,
  Alias = 0x02,
  Import = 0x03,
  Export = 0x04,
};

/// externdesc tags (component level).
enum class ExternKind : uint8_t {
  CoreModule = 0x00, // followed by 0x11 and a core type index
  Func = 0x01,
  Value = 0x02,
  Type = 0x03,
  Component = 0x04,
  Instance = 0x05,
};

/// Custom section names wcl reads or writes.
inline constexpr llvm::StringLiteral NameSectionName = "name";
inline constexpr llvm::StringLiteral ProducersSectionName = "producers";
inline constexpr llvm::StringLiteral TargetFeaturesSectionName =
    "target_features";
inline constexpr llvm::StringLiteral DylinkSectionName = "dylink.0";
inline constexpr llvm::StringLiteral ComponentNameSectionName =
    "component-name";
inline constexpr llvm::StringLiteral ComponentTypeSectionPrefix =
    "component-type";

/// Sub-sections of the component `name` section ("component-name").
enum class ComponentNameKind : uint8_t {
  Component = 0x00,
  Sort = 0x01,
};

/// Sub-sections of the core `name` section, including the extended-name-
/// section proposal ids wasm-tools writes.
enum class CoreNameKind : uint8_t {
  Module = 0,
  Function = 1,
  Local = 2,
  Label = 3,
  Type = 4,
  Table = 5,
  Memory = 6,
  Global = 7,
  ElemSegment = 8,
  DataSegment = 9,
  Field = 10,
  Tag = 11,
};

llvm::StringRef toString(ComponentSectionId id);
llvm::StringRef toString(CoreSort sort);
llvm::StringRef toString(Sort sort);
llvm::StringRef toString(CanonOp op);

} // namespace wasm
} // namespace wcl

#endif // WCL_WASM_BINARY_H
