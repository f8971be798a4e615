//===- Binary.cpp - Names of binary-format constants ----------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Printable names of the component-model constants, spelled as the text
/// format spells them so dumps and error messages match `wasm-tools print`.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/Binary.h"

using namespace llvm;
using namespace wcl::wasm;

StringRef wcl::wasm::toString(ComponentSectionId id) {
  switch (id) {
  case ComponentSectionId::Custom:
    return "custom";
  case ComponentSectionId::CoreModule:
    return "core module";
  case ComponentSectionId::CoreInstance:
    return "core instance";
  case ComponentSectionId::CoreType:
    return "core type";
  case ComponentSectionId::Component:
    return "component";
  case ComponentSectionId::Instance:
    return "instance";
  case ComponentSectionId::Alias:
    return "alias";
  case ComponentSectionId::Type:
    return "type";
  case ComponentSectionId::Canon:
    return "canon";
  case ComponentSectionId::Start:
    return "start";
  case ComponentSectionId::Import:
    return "import";
  case ComponentSectionId::Export:
    return "export";
  case ComponentSectionId::Value:
    return "value";
  }
  return "unknown";
}

StringRef wcl::wasm::toString(CoreSort sort) {
  switch (sort) {
  case CoreSort::Func:
    return "func";
  case CoreSort::Table:
    return "table";
  case CoreSort::Memory:
    return "memory";
  case CoreSort::Global:
    return "global";
  case CoreSort::Tag:
    return "tag";
  case CoreSort::Type:
    return "type";
  case CoreSort::Module:
    return "module";
  case CoreSort::Instance:
    return "instance";
  }
  return "unknown";
}

StringRef wcl::wasm::toString(Sort sort) {
  switch (sort) {
  case Sort::Core:
    return "core";
  case Sort::Func:
    return "func";
  case Sort::Value:
    return "value";
  case Sort::Type:
    return "type";
  case Sort::Component:
    return "component";
  case Sort::Instance:
    return "instance";
  }
  return "unknown";
}

StringRef wcl::wasm::toString(CanonOp op) {
  switch (op) {
  case CanonOp::Lift:
    return "lift";
  case CanonOp::Lower:
    return "lower";
  case CanonOp::ResourceNew:
    return "resource.new";
  case CanonOp::ResourceDrop:
    return "resource.drop";
  case CanonOp::ResourceRep:
    return "resource.rep";
  case CanonOp::TaskCancel:
    return "task.cancel";
  case CanonOp::SubtaskCancel:
    return "subtask.cancel";
  case CanonOp::TaskReturn:
    return "task.return";
  case CanonOp::ContextGet:
    return "context.get";
  case CanonOp::ContextSet:
    return "context.set";
  case CanonOp::ThreadYield:
    return "thread.yield";
  case CanonOp::SubtaskDrop:
    return "subtask.drop";
  case CanonOp::StreamNew:
    return "stream.new";
  case CanonOp::StreamRead:
    return "stream.read";
  case CanonOp::StreamWrite:
    return "stream.write";
  case CanonOp::StreamCancelRead:
    return "stream.cancel-read";
  case CanonOp::StreamCancelWrite:
    return "stream.cancel-write";
  case CanonOp::StreamDropReadable:
    return "stream.drop-readable";
  case CanonOp::StreamDropWritable:
    return "stream.drop-writable";
  case CanonOp::FutureNew:
    return "future.new";
  case CanonOp::FutureRead:
    return "future.read";
  case CanonOp::FutureWrite:
    return "future.write";
  case CanonOp::FutureCancelRead:
    return "future.cancel-read";
  case CanonOp::FutureCancelWrite:
    return "future.cancel-write";
  case CanonOp::FutureDropReadable:
    return "future.drop-readable";
  case CanonOp::FutureDropWritable:
    return "future.drop-writable";
  case CanonOp::ErrorContextNew:
    return "error-context.new";
  case CanonOp::ErrorContextDebugMessage:
    return "error-context.debug-message";
  case CanonOp::ErrorContextDrop:
    return "error-context.drop";
  case CanonOp::WaitableSetNew:
    return "waitable-set.new";
  case CanonOp::WaitableSetWait:
    return "waitable-set.wait";
  case CanonOp::WaitableSetPoll:
    return "waitable-set.poll";
  case CanonOp::WaitableSetDrop:
    return "waitable-set.drop";
  case CanonOp::WaitableJoin:
    return "waitable.join";
  case CanonOp::BackpressureInc:
    return "backpressure.inc";
  case CanonOp::BackpressureDec:
    return "backpressure.dec";
  case CanonOp::ThreadIndex:
    return "thread.index";
  case CanonOp::ThreadNewIndirect:
    return "thread.new-indirect";
  case CanonOp::ThreadResumeLater:
    return "thread.resume-later";
  case CanonOp::ThreadSuspend:
    return "thread.suspend";
  case CanonOp::ThreadSuspendThenResume:
    return "thread.suspend-then-resume";
  case CanonOp::ThreadYieldThenResume:
    return "thread.yield-then-resume";
  case CanonOp::ThreadSuspendThenPromote:
    return "thread.suspend-then-promote";
  case CanonOp::ThreadYieldThenPromote:
    return "thread.yield-then-promote";
  case CanonOp::ThreadSpawnRef:
    return "thread.spawn-ref";
  case CanonOp::ThreadSpawnIndirect:
    return "thread.spawn-indirect";
  case CanonOp::ThreadAvailableParallelism:
    return "thread.available-parallelism";
  }
  return "unknown";
}
