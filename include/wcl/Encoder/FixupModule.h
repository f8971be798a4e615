//===- wcl/Encoder/FixupModule.h - The fixup core module --------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The fixup module is instantiated after every other core instance and runs
/// what must happen once everything exists: filling the shim table, GOT
/// entries, data relocations, constructors, the dlopen table's global slots.
/// Contributions come from the encoder and, for links, from the linker; this
/// builder collects them and writes one module: imports deduplicated by
/// (instance, name) and numbered in creation order, types interned, one start
/// function running the ABI steps before the user-visible ones (constructors).
///
/// Import module names are instance names of the enclosing component
/// ("main", a library's name, ...); instanceArgs() lists them in first-use
/// order, the order of the `with` arguments when the module is instantiated.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_ENCODER_FIXUPMODULE_H
#define WCL_ENCODER_FIXUPMODULE_H

#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wcl {

class FixupModule {
public:
  /// The interned index of \p type.
  uint32_t internType(const wasm::FuncType &type);
  /// `()->()`, interned at first use.
  uint32_t thunkType() { return internType(wasm::FuncType()); }

  /// Imports "main" "memory" and "main" "__indirect_function_table", the
  /// first imports of every fixup module that touches memory or the table.
  void importMainMemoryAndTable();
  /// An i32 global import, deduplicated by (instance, name).
  uint32_t importGlobal(llvm::StringRef instance, llvm::StringRef name,
                        bool isMutable);
  /// A `(mut (ref type))` global import holding a function reference
  /// (return_call_ref shims), deduplicated by (instance, name).
  uint32_t importFuncRefGlobal(llvm::StringRef instance, llvm::StringRef name,
                               uint32_t typeIndex);
  /// A function import, deduplicated by (instance, name).
  uint32_t importFunc(llvm::StringRef instance, llvm::StringRef name,
                      const wasm::FuncType &type);

  /// Instructions (without `end`) run first by the start function, in the
  /// order added.
  void addAbiStep(llvm::ArrayRef<uint8_t> code);
  /// Like addAbiStep, but run before every step added so far.
  void prependAbiStep(llvm::ArrayRef<uint8_t> code);
  /// A function called after all ABI steps (a constructor, _initialize).
  void addUserStep(uint32_t func);
  /// The imported `__wasm_task_hook(i32)`: user steps then run between
  /// hook(6) and hook(7), so a runtime can treat initialization as a task.
  void setTaskHook(uint32_t func) { taskHook = func; }
  std::optional<uint32_t> getTaskHook() const { return taskHook; }

  /// A function of type \p type named \p debugName whose body is \p code
  /// (with its `end`), exported as \p exportName.
  uint32_t addExportedFunction(llvm::StringRef exportName,
                               llvm::StringRef debugName,
                               const wasm::FuncType &type,
                               llvm::ArrayRef<uint8_t> code,
                               llvm::ArrayRef<wasm::ValType> locals = {});

  /// Like addExportedFunction, without the export.
  uint32_t addFunction(llvm::StringRef debugName, const wasm::FuncType &type,
                       llvm::ArrayRef<uint8_t> code);

  /// A funcref table import with fixed size \p size (the shim table).
  uint32_t importTable(llvm::StringRef instance, llvm::StringRef name,
                       uint32_t size);

  /// An active element segment on table 0 at \p offset; always written, even
  /// empty, so segment numbering is stable.
  void addElements(uint32_t offset, llvm::ArrayRef<uint32_t> funcs);
  /// A declarative element segment, which lets the start function take
  /// `ref.func` of \p funcs.
  void addDeclaredElements(llvm::ArrayRef<uint32_t> funcs);
  /// An active element segment on table \p table.
  void addElementsToTable(uint32_t table, uint32_t offset,
                          llvm::ArrayRef<uint32_t> funcs);
  /// An active data segment on memory 0 at \p offset.
  void addData(uint32_t offset, llvm::ArrayRef<uint8_t> bytes);

  /// Instance names the module imports from, in first-use order.
  llvm::ArrayRef<std::string> instanceArgs() const { return instances; }
  /// Whether anything was added; an empty fixup module is not emitted.
  bool empty() const;

  std::vector<uint8_t> finish();

private:
  void useInstance(llvm::StringRef instance);
  /// The import of global \p instance.\p name, added at its first use.
  uint32_t importGlobalOnce(llvm::StringRef instance, llvm::StringRef name,
                            const wasm::GlobalType &type);

  wasm::CoreModuleBuilder module;
  std::map<std::pair<std::string, std::string>, uint32_t> globals, funcs;
  std::vector<std::string> instances;
  std::vector<uint8_t> abiCode;
  std::vector<uint32_t> userCalls;
  std::optional<uint32_t> taskHook;
  bool hasMemoryAndTable = false;
  bool hasSegments = false;
};

} // namespace wcl

#endif // WCL_ENCODER_FIXUPMODULE_H
