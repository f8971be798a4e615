//===- ComponentBuilder.cpp - Component writer ----------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// ComponentBuilder. Items are encoded as they are added into the body of the
/// open section; a section is written out (id, size, count, body) when an
/// item of another kind arrives, so the section layout follows the order of
/// the calls exactly as wasm-encoder's builder does. The encoders of the
/// productions it writes, and the type encoders, are in TypeEncoders.cpp.
///
//===----------------------------------------------------------------------===//

#include "BuilderParts.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include <cassert>

using namespace llvm;
using namespace wcl;
using namespace wcl::component;
using namespace wcl::component::builder;
using namespace wcl::wasm;

//===----------------------------------------------------------------------===//
// ComponentBuilder: sections and index spaces
//===----------------------------------------------------------------------===//

raw_svector_ostream ComponentBuilder::beginItem(ComponentSectionId id) {
  assert(!finished && "item added after finish()");
  if (openSection != id) {
    flush();
    openSection = id;
  }
  ++openCount;
  return raw_svector_ostream(openBody);
}

void ComponentBuilder::flush() {
  if (!openSection)
    return;
  SmallString<8> countBytes;
  raw_svector_ostream countOS(countBytes);
  writeUleb128(countOS, openCount);

  raw_svector_ostream os(out);
  writeU8(os, static_cast<uint8_t>(*openSection));
  writeUleb128(os, countBytes.size() + openBody.size());
  os << countBytes.str() << StringRef(openBody.data(), openBody.size());

  openSection.reset();
  openBody.clear();
  openCount = 0;
}

uint32_t ComponentBuilder::add(IndexSpace space, StringRef debugName) {
  uint32_t index = counts[static_cast<uint8_t>(space)]++;
  if (recordNames && !debugName.empty())
    names[static_cast<uint8_t>(space)][index] = debugName.str();
  return index;
}

void ComponentBuilder::setName(IndexSpace space, uint32_t index,
                               StringRef name) {
  assert(index < count(space) && "naming an index not handed out");
  if (recordNames)
    names[static_cast<uint8_t>(space)][index] = name.str();
}

//===----------------------------------------------------------------------===//
// Core modules, instances, aliases
//===----------------------------------------------------------------------===//

uint32_t ComponentBuilder::coreModule(ArrayRef<uint8_t> bytes,
                                      StringRef debugName) {
  assert(!finished && "item added after finish()");
  flush();
  raw_svector_ostream os(out);
  writeSection(os, static_cast<uint8_t>(ComponentSectionId::CoreModule), bytes);
  return add(IndexSpace::CoreModule, debugName);
}

uint32_t
ComponentBuilder::coreInstantiate(uint32_t module,
                                  ArrayRef<std::pair<StringRef, uint32_t>> args,
                                  StringRef debugName) {
  raw_svector_ostream os = beginItem(ComponentSectionId::CoreInstance);
  writeU8(os, static_cast<uint8_t>(InstanceExpr::Instantiate));
  writeUleb128(os, module);
  writeUleb128(os, args.size());
  for (const auto &[name, instance] : args) {
    writeName(os, name);
    // core:instantiatearg only takes instances for now.
    writeU8(os, static_cast<uint8_t>(CoreSort::Instance));
    writeUleb128(os, instance);
  }
  return add(IndexSpace::CoreInstance, debugName);
}

uint32_t
ComponentBuilder::coreInstanceFromExports(ArrayRef<CoreExportItem> exports,
                                          StringRef debugName) {
  raw_svector_ostream os = beginItem(ComponentSectionId::CoreInstance);
  writeU8(os, static_cast<uint8_t>(InstanceExpr::FromExports));
  writeUleb128(os, exports.size());
  for (const CoreExportItem &item : exports) {
    writeName(os, item.name);
    // The core external kinds and core sorts share their byte values.
    writeU8(os, static_cast<uint8_t>(item.kind));
    writeUleb128(os, item.index);
  }
  return add(IndexSpace::CoreInstance, debugName);
}

uint32_t ComponentBuilder::addAlias(IndexSpace space,
                                    function_ref<void(raw_ostream &)> encode,
                                    StringRef debugName) {
  raw_svector_ostream os = beginItem(ComponentSectionId::Alias);
  encode(os);
  return add(space, debugName);
}

uint32_t ComponentBuilder::aliasCoreExport(uint32_t instance, StringRef name,
                                           ExternType::Kind kind,
                                           StringRef debugName) {
  return addAlias(
      spaceOf(kind),
      [&](raw_ostream &os) {
        writeU8(os, static_cast<uint8_t>(Sort::Core));
        writeU8(os, static_cast<uint8_t>(kind));
        writeU8(os, static_cast<uint8_t>(AliasTarget::CoreExport));
        writeUleb128(os, instance);
        writeName(os, name);
      },
      debugName);
}

uint32_t ComponentBuilder::aliasExport(uint32_t instance, StringRef name,
                                       ComponentExportKind kind) {
  return addAlias(
      spaceOf(kind),
      [&](raw_ostream &os) { writeAliasExport(os, instance, name, kind); },
      name);
}

uint32_t ComponentBuilder::aliasOuter(OuterAliasKind kind, uint32_t count,
                                      uint32_t index, StringRef debugName) {
  return addAlias(
      spaceOf(kind),
      [&](raw_ostream &os) { writeAliasOuter(os, kind, count, index); },
      debugName);
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

uint32_t ComponentBuilder::coreFuncType(const FuncType &type,
                                        StringRef debugName) {
  raw_svector_ostream os = beginItem(ComponentSectionId::CoreType);
  writeFuncType(os, type);
  return add(IndexSpace::CoreType, debugName);
}

uint32_t ComponentBuilder::coreModuleType(const ModuleTypeEncoder &type,
                                          StringRef debugName) {
  raw_svector_ostream os = beginItem(ComponentSectionId::CoreType);
  type.write(os);
  return add(IndexSpace::CoreType, debugName);
}

uint32_t ComponentBuilder::defineType(function_ref<void(raw_ostream &)> encode,
                                      StringRef debugName) {
  raw_svector_ostream os = beginItem(ComponentSectionId::Type);
  encode(os);
  return add(IndexSpace::Type, debugName);
}

uint32_t ComponentBuilder::defineTypeRaw(ArrayRef<uint8_t> deftype,
                                         StringRef debugName) {
  return defineType([&](raw_ostream &os) { writeBytes(os, deftype); },
                    debugName);
}

uint32_t ComponentBuilder::definePrimitive(TypeCode code, StringRef debugName) {
  return defineType([&](raw_ostream &os) { writePrimitiveType(os, code); },
                    debugName);
}

uint32_t
ComponentBuilder::defineFuncType(ArrayRef<NamedValType> params,
                                 std::optional<ComponentValType> result,
                                 bool isAsync, StringRef debugName) {
  return defineType(
      [&](raw_ostream &os) {
        writeComponentFuncType(os, params, result, isAsync);
      },
      debugName);
}

uint32_t ComponentBuilder::defineInstanceType(const ComponentTypeEncoder &type,
                                              StringRef debugName) {
  return defineType([&](raw_ostream &os) { type.write(os); }, debugName);
}

uint32_t ComponentBuilder::defineComponentType(const ComponentTypeEncoder &type,
                                               StringRef debugName) {
  return defineType([&](raw_ostream &os) { type.write(os); }, debugName);
}

uint32_t ComponentBuilder::defineResource(const ValType &rep,
                                          std::optional<uint32_t> dtor,
                                          StringRef debugName) {
  return defineType([&](raw_ostream &os) { writeResourceType(os, rep, dtor); },
                    debugName);
}

//===----------------------------------------------------------------------===//
// Imports and exports
//===----------------------------------------------------------------------===//

uint32_t ComponentBuilder::addImport(const ComponentExternName &name,
                                     const ComponentTypeRef &type) {
  raw_svector_ostream os = beginItem(ComponentSectionId::Import);
  writeExternName(os, name);
  writeTypeRef(os, type);
  return add(spaceOf(type.exportKind()), name.name);
}

uint32_t ComponentBuilder::addExport(const ComponentExternName &name,
                                     ComponentExportKind kind, uint32_t index,
                                     std::optional<ComponentTypeRef> type) {
  raw_svector_ostream os = beginItem(ComponentSectionId::Export);
  writeExternName(os, name);
  writeExportKind(os, kind);
  writeUleb128(os, index);
  if (type) {
    writeU8(os, 0x01);
    writeTypeRef(os, *type);
  } else {
    writeU8(os, 0x00);
  }
  // An export is a new item in its sort's index space, like an alias.
  return add(spaceOf(kind), name.name);
}

//===----------------------------------------------------------------------===//
// Canonical definitions
//===----------------------------------------------------------------------===//

uint32_t ComponentBuilder::addCanon(function_ref<void(raw_ostream &)> encode,
                                    StringRef debugName) {
  raw_svector_ostream os = beginItem(ComponentSectionId::Canon);
  encode(os);
  return add(IndexSpace::CoreFunc, debugName);
}

static void writeCanonOp(raw_ostream &os, CanonOp op) {
  writeU8(os, static_cast<uint8_t>(op));
}

uint32_t ComponentBuilder::canonLift(uint32_t coreFunc, uint32_t type,
                                     ArrayRef<CanonicalOption> options,
                                     StringRef debugName) {
  raw_svector_ostream os = beginItem(ComponentSectionId::Canon);
  writeCanonOp(os, CanonOp::Lift);
  writeU8(os, 0x00); // core func sort
  writeUleb128(os, coreFunc);
  writeCanonOptions(os, options);
  writeUleb128(os, type);
  return add(IndexSpace::Func, debugName);
}

uint32_t ComponentBuilder::canonLower(uint32_t func,
                                      ArrayRef<CanonicalOption> options,
                                      StringRef debugName) {
  return addCanon(
      [&](raw_ostream &os) {
        writeCanonOp(os, CanonOp::Lower);
        writeU8(os, 0x00); // func sort
        writeUleb128(os, func);
        writeCanonOptions(os, options);
      },
      debugName);
}

void ComponentBuilder::writeBuiltin(raw_ostream &os, CanonOp op,
                                    const BuiltinImm &imm) {
  writeCanonOp(os, op);
  if (imm.index)
    writeUleb128(os, *imm.index);
  if (imm.options)
    writeCanonOptions(os, *imm.options);
  if (imm.flag)
    writeU8(os, *imm.flag ? 0x01 : 0x00);
  if (imm.index2)
    writeUleb128(os, *imm.index2);
}

uint32_t ComponentBuilder::addBuiltin(CanonOp op, StringRef debugName,
                                      const BuiltinImm &imm) {
  return addCanon([&](raw_ostream &os) { writeBuiltin(os, op, imm); },
                  debugName);
}

uint32_t ComponentBuilder::resourceNew(uint32_t type) {
  return addBuiltin(CanonOp::ResourceNew, "resource.new", {type});
}
uint32_t ComponentBuilder::resourceDrop(uint32_t type) {
  return addBuiltin(CanonOp::ResourceDrop, "resource.drop", {type});
}
uint32_t ComponentBuilder::resourceRep(uint32_t type) {
  return addBuiltin(CanonOp::ResourceRep, "resource.rep", {type});
}

uint32_t ComponentBuilder::taskReturn(std::optional<ComponentValType> result,
                                      ArrayRef<CanonicalOption> options) {
  return addCanon(
      [&](raw_ostream &os) {
        writeCanonOp(os, CanonOp::TaskReturn);
        writeResultList(os, result);
        writeCanonOptions(os, options);
      },
      "task.return");
}

uint32_t ComponentBuilder::taskCancel() {
  return addBuiltin(CanonOp::TaskCancel, "task.cancel", {});
}

uint32_t ComponentBuilder::contextGet(const ValType &type, uint32_t slot) {
  return addCanon(
      [&](raw_ostream &os) {
        writeCanonOp(os, CanonOp::ContextGet);
        writeValType(os, type);
        writeUleb128(os, slot);
      },
      ("context.get " + Twine(slot)).str());
}

uint32_t ComponentBuilder::contextSet(const ValType &type, uint32_t slot) {
  return addCanon(
      [&](raw_ostream &os) {
        writeCanonOp(os, CanonOp::ContextSet);
        writeValType(os, type);
        writeUleb128(os, slot);
      },
      ("context.set " + Twine(slot)).str());
}

uint32_t ComponentBuilder::backpressureInc() {
  return addBuiltin(CanonOp::BackpressureInc, "backpressure.inc", {});
}
uint32_t ComponentBuilder::backpressureDec() {
  return addBuiltin(CanonOp::BackpressureDec, "backpressure.dec", {});
}
uint32_t ComponentBuilder::subtaskDrop() {
  return addBuiltin(CanonOp::SubtaskDrop, "subtask.drop", {});
}
uint32_t ComponentBuilder::subtaskCancel(bool isAsync) {
  return addBuiltin(CanonOp::SubtaskCancel, "subtask.cancel",
                    {{}, {}, isAsync});
}

uint32_t ComponentBuilder::streamNew(uint32_t type) {
  return addBuiltin(CanonOp::StreamNew, "stream.new", {type});
}
uint32_t ComponentBuilder::streamRead(uint32_t type,
                                      ArrayRef<CanonicalOption> options) {
  return addBuiltin(CanonOp::StreamRead, "stream.read", {type, options});
}
uint32_t ComponentBuilder::streamWrite(uint32_t type,
                                       ArrayRef<CanonicalOption> options) {
  return addBuiltin(CanonOp::StreamWrite, "stream.write", {type, options});
}
uint32_t ComponentBuilder::streamCancelRead(uint32_t type, bool isAsync) {
  return addBuiltin(CanonOp::StreamCancelRead, "stream.cancel-read",
                    {type, {}, isAsync});
}
uint32_t ComponentBuilder::streamCancelWrite(uint32_t type, bool isAsync) {
  return addBuiltin(CanonOp::StreamCancelWrite, "stream.cancel-write",
                    {type, {}, isAsync});
}
uint32_t ComponentBuilder::streamDropReadable(uint32_t type) {
  return addBuiltin(CanonOp::StreamDropReadable, "stream.drop-readable",
                    {type});
}
uint32_t ComponentBuilder::streamDropWritable(uint32_t type) {
  return addBuiltin(CanonOp::StreamDropWritable, "stream.drop-writable",
                    {type});
}

uint32_t ComponentBuilder::futureNew(uint32_t type) {
  return addBuiltin(CanonOp::FutureNew, "future.new", {type});
}
uint32_t ComponentBuilder::futureRead(uint32_t type,
                                      ArrayRef<CanonicalOption> options) {
  return addBuiltin(CanonOp::FutureRead, "future.read", {type, options});
}
uint32_t ComponentBuilder::futureWrite(uint32_t type,
                                       ArrayRef<CanonicalOption> options) {
  return addBuiltin(CanonOp::FutureWrite, "future.write", {type, options});
}
uint32_t ComponentBuilder::futureCancelRead(uint32_t type, bool isAsync) {
  return addBuiltin(CanonOp::FutureCancelRead, "future.cancel-read",
                    {type, {}, isAsync});
}
uint32_t ComponentBuilder::futureCancelWrite(uint32_t type, bool isAsync) {
  return addBuiltin(CanonOp::FutureCancelWrite, "future.cancel-write",
                    {type, {}, isAsync});
}
uint32_t ComponentBuilder::futureDropReadable(uint32_t type) {
  return addBuiltin(CanonOp::FutureDropReadable, "future.drop-readable",
                    {type});
}
uint32_t ComponentBuilder::futureDropWritable(uint32_t type) {
  return addBuiltin(CanonOp::FutureDropWritable, "future.drop-writable",
                    {type});
}

uint32_t ComponentBuilder::errorContextNew(ArrayRef<CanonicalOption> options) {
  return addBuiltin(CanonOp::ErrorContextNew, "error-context.new",
                    {{}, options});
}
uint32_t
ComponentBuilder::errorContextDebugMessage(ArrayRef<CanonicalOption> options) {
  return addBuiltin(CanonOp::ErrorContextDebugMessage,
                    "error-context.debug-message", {{}, options});
}
uint32_t ComponentBuilder::errorContextDrop() {
  return addBuiltin(CanonOp::ErrorContextDrop, "error-context.drop", {});
}

uint32_t ComponentBuilder::waitableSetNew() {
  return addBuiltin(CanonOp::WaitableSetNew, "waitable-set.new", {});
}
uint32_t ComponentBuilder::waitableSetWait(bool cancellable, uint32_t memory) {
  return addBuiltin(CanonOp::WaitableSetWait, "waitable-set.wait",
                    {{}, {}, cancellable, memory});
}
uint32_t ComponentBuilder::waitableSetPoll(bool cancellable, uint32_t memory) {
  return addBuiltin(CanonOp::WaitableSetPoll, "waitable-set.poll",
                    {{}, {}, cancellable, memory});
}
uint32_t ComponentBuilder::waitableSetDrop() {
  return addBuiltin(CanonOp::WaitableSetDrop, "waitable-set.drop", {});
}
uint32_t ComponentBuilder::waitableJoin() {
  return addBuiltin(CanonOp::WaitableJoin, "waitable.join", {});
}

uint32_t ComponentBuilder::threadIndex() {
  return addBuiltin(CanonOp::ThreadIndex, "thread.index", {});
}
uint32_t ComponentBuilder::threadNewIndirect(uint32_t coreFuncType,
                                             uint32_t table) {
  return addBuiltin(CanonOp::ThreadNewIndirect, "thread.new-indirect",
                    {coreFuncType, {}, {}, table});
}
uint32_t ComponentBuilder::threadResumeLater() {
  return addBuiltin(CanonOp::ThreadResumeLater, "thread.resume-later", {});
}
uint32_t ComponentBuilder::threadSuspend(bool cancellable) {
  return addBuiltin(CanonOp::ThreadSuspend, "thread.suspend",
                    {{}, {}, cancellable});
}
uint32_t ComponentBuilder::threadYield(bool cancellable) {
  return addBuiltin(CanonOp::ThreadYield, "thread.yield",
                    {{}, {}, cancellable});
}
uint32_t ComponentBuilder::threadSuspendThenResume(bool cancellable) {
  return addBuiltin(CanonOp::ThreadSuspendThenResume,
                    "thread.suspend-then-resume", {{}, {}, cancellable});
}
uint32_t ComponentBuilder::threadYieldThenResume(bool cancellable) {
  return addBuiltin(CanonOp::ThreadYieldThenResume, "thread.yield-then-resume",
                    {{}, {}, cancellable});
}
uint32_t ComponentBuilder::threadSuspendThenPromote(bool cancellable) {
  return addBuiltin(CanonOp::ThreadSuspendThenPromote,
                    "thread.suspend-then-promote", {{}, {}, cancellable});
}
uint32_t ComponentBuilder::threadYieldThenPromote(bool cancellable) {
  // wasm-encoder names this one "thread.yield-then-resume" (its copy of the
  // line above); the debug name follows it so that output compares equal.
  return addBuiltin(CanonOp::ThreadYieldThenPromote, "thread.yield-then-resume",
                    {{}, {}, cancellable});
}
// The spawn built-ins follow wasmparser, which reads no `shared?` byte yet
// (Binary.md's newer encoding has one).
uint32_t ComponentBuilder::threadSpawnRef(uint32_t coreFuncType) {
  return addBuiltin(CanonOp::ThreadSpawnRef, "thread.spawn-ref",
                    {coreFuncType});
}
uint32_t ComponentBuilder::threadSpawnIndirect(uint32_t coreFuncType,
                                               uint32_t table) {
  return addBuiltin(CanonOp::ThreadSpawnIndirect, "thread.spawn-indirect",
                    {coreFuncType, {}, {}, table});
}
uint32_t ComponentBuilder::threadAvailableParallelism() {
  return addBuiltin(CanonOp::ThreadAvailableParallelism,
                    "thread.available-parallelism", {});
}

//===----------------------------------------------------------------------===//
// Nested components, custom sections, output
//===----------------------------------------------------------------------===//

uint32_t ComponentBuilder::nestedComponent(ArrayRef<uint8_t> bytes,
                                           StringRef debugName) {
  assert(!finished && "item added after finish()");
  flush();
  raw_svector_ostream os(out);
  writeSection(os, static_cast<uint8_t>(ComponentSectionId::Component), bytes);
  return add(IndexSpace::Component, debugName);
}

uint32_t ComponentBuilder::instantiate(uint32_t component,
                                       ArrayRef<ComponentItem> args,
                                       StringRef debugName) {
  raw_svector_ostream os = beginItem(ComponentSectionId::Instance);
  writeU8(os, static_cast<uint8_t>(InstanceExpr::Instantiate));
  writeUleb128(os, component);
  writeUleb128(os, args.size());
  for (const ComponentItem &arg : args) {
    writeName(os, arg.name);
    writeExportKind(os, arg.kind);
    writeUleb128(os, arg.index);
  }
  return add(IndexSpace::Instance, debugName);
}

uint32_t ComponentBuilder::instanceFromExports(ArrayRef<ComponentItem> exports,
                                               StringRef debugName) {
  raw_svector_ostream os = beginItem(ComponentSectionId::Instance);
  writeU8(os, static_cast<uint8_t>(InstanceExpr::FromExports));
  writeUleb128(os, exports.size());
  for (const ComponentItem &item : exports) {
    writeExternName(os, item.name);
    writeExportKind(os, item.kind);
    writeUleb128(os, item.index);
  }
  return add(IndexSpace::Instance, debugName);
}

void ComponentBuilder::customSection(StringRef name,
                                     ArrayRef<uint8_t> payload) {
  assert(!finished && "item added after finish()");
  flush();
  raw_svector_ostream os(out);
  writeCustomSection(os, name, payload);
}

void ComponentBuilder::finish(raw_ostream &os) {
  flush();
  finished = true;
  writeBytes(os, Magic);
  writeBytes(os, ComponentVersion);
  os << StringRef(out.data(), out.size());

  // The order of wasm-encoder's ComponentBuilder::append_names, which
  // wit-component uses, so names come out as wasm-tools writes them. That
  // order lists component instances twice (after the core instances and
  // again at the end) and never lists values; both are kept, because the
  // goal is wasm-tools' bytes and every reader takes the duplicate in stride.
  ComponentNameSectionBuilder nameSection;
  if (componentName)
    nameSection.setComponentName(*componentName);
  auto namesOf = [&](IndexSpace space) -> const NameMap & {
    return names[static_cast<uint8_t>(space)];
  };
  nameSection.addCoreSortNames(CoreSort::Func, namesOf(IndexSpace::CoreFunc));
  nameSection.addCoreSortNames(CoreSort::Table, namesOf(IndexSpace::CoreTable));
  nameSection.addCoreSortNames(CoreSort::Memory,
                               namesOf(IndexSpace::CoreMemory));
  nameSection.addCoreSortNames(CoreSort::Global,
                               namesOf(IndexSpace::CoreGlobal));
  nameSection.addCoreSortNames(CoreSort::Tag, namesOf(IndexSpace::CoreTag));
  nameSection.addCoreSortNames(CoreSort::Type, namesOf(IndexSpace::CoreType));
  nameSection.addCoreSortNames(CoreSort::Module,
                               namesOf(IndexSpace::CoreModule));
  nameSection.addCoreSortNames(CoreSort::Instance,
                               namesOf(IndexSpace::CoreInstance));
  nameSection.addSortNames(Sort::Instance, namesOf(IndexSpace::Instance));
  nameSection.addSortNames(Sort::Func, namesOf(IndexSpace::Func));
  nameSection.addSortNames(Sort::Type, namesOf(IndexSpace::Type));
  nameSection.addSortNames(Sort::Component, namesOf(IndexSpace::Component));
  nameSection.addSortNames(Sort::Instance, namesOf(IndexSpace::Instance));
  if (!nameSection.empty())
    nameSection.writeTo(os);

  if (!producersSection.empty())
    producersSection.writeTo(os);
}
