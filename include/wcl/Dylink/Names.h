//===- wcl/Dylink/Names.h - Symbol and module names of dylibs ---*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The names with a meaning in shared-everything linking: import modules,
/// the env symbols the dynamic-linking ABI (tool-conventions
/// DynamicLinking.md) and wit-component give special treatment, and the
/// exports a loader calls. One place for them keeps the linker's string
/// comparisons greppable and typo-free.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_DYLINK_NAMES_H
#define WCL_DYLINK_NAMES_H

#include "llvm/ADT/StringRef.h"

namespace wcl {
namespace dylink {
namespace names {

// Import modules.
inline constexpr llvm::StringLiteral Env = "env";
inline constexpr llvm::StringLiteral GotMem = "GOT.mem";
inline constexpr llvm::StringLiteral GotFunc = "GOT.func";
inline constexpr llvm::StringLiteral Root = "$root";

// env: memory, table and layout globals.
inline constexpr llvm::StringLiteral Memory = "memory";
inline constexpr llvm::StringLiteral IndirectFunctionTable =
    "__indirect_function_table";
inline constexpr llvm::StringLiteral MemoryBase = "__memory_base";
inline constexpr llvm::StringLiteral TableBase = "__table_base";
inline constexpr llvm::StringLiteral StackPointer = "__stack_pointer";
inline constexpr llvm::StringLiteral InitStackPointer = "__init_stack_pointer";
inline constexpr llvm::StringLiteral AsyncifyState = "__asyncify_state";
inline constexpr llvm::StringLiteral AsyncifyData = "__asyncify_data";

// env: functions the component model provides instead of a library.
inline constexpr llvm::StringLiteral GetStackPointer =
    "__wasm_get_stack_pointer";
inline constexpr llvm::StringLiteral SetStackPointer =
    "__wasm_set_stack_pointer";
inline constexpr llvm::StringLiteral GetTlsBase = "__wasm_get_tls_base";
inline constexpr llvm::StringLiteral SetTlsBase = "__wasm_set_tls_base";

// GOT.mem symbols the linker defines itself.
inline constexpr llvm::StringLiteral HeapBase = "__heap_base";
inline constexpr llvm::StringLiteral HeapEnd = "__heap_end";
inline constexpr llvm::StringLiteral StackHigh = "__stack_high";
inline constexpr llvm::StringLiteral StackLow = "__stack_low";
inline constexpr llvm::StringLiteral LibdlLibraries = "__wasm_libdl_libraries";
inline constexpr llvm::StringLiteral ProgramTlsInfo = "__wasm_program_tls_info";

// $root intrinsics a library may import.
inline constexpr llvm::StringLiteral ThreadNewIndirect =
    "[thread-new-indirect-v0]";
inline constexpr llvm::StringLiteral ContextGet1 = "[context-get-1]";

// Exports with a meaning to the loader.
inline constexpr llvm::StringLiteral ApplyDataRelocs =
    "__wasm_apply_data_relocs";
inline constexpr llvm::StringLiteral CallCtors = "__wasm_call_ctors";
inline constexpr llvm::StringLiteral Initialize = "_initialize";
inline constexpr llvm::StringLiteral Start = "_start";
inline constexpr llvm::StringLiteral LibraryTlsInfo = "__wasm_library_tls_info";
inline constexpr llvm::StringLiteral TaskHook = "__wasm_task_hook";
inline constexpr llvm::StringLiteral CabiRealloc = "cabi_realloc";
inline constexpr llvm::StringLiteral SetLibraries = "__wasm_set_libraries";

/// Name of the library that holds trapping stubs for missing functions.
inline constexpr llvm::StringLiteral StubsLibrary = "wit-component:stubs";

} // namespace names
} // namespace dylink
} // namespace wcl

#endif // WCL_DYLINK_NAMES_H
