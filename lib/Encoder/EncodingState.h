//===- EncodingState.h - What one encode builds up --------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The vocabulary the encoder's phases share: how an import no linker item
/// covers is satisfied (an Intrinsic: a lowering, a shim, a built-in), the
/// shims that stand for functions which exist only after later instances,
/// and EncodingState, the builder with the caches that make every alias,
/// intrinsic and shim appear once, in wit-component's order.
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_ENCODER_ENCODINGSTATE_H
#define WCL_LIB_ENCODER_ENCODINGSTATE_H

#include "wcl/Component/ComponentBuilder.h"
#include "wcl/Encoder/ComponentEncoder.h"
#include "wcl/WIT/Resolve.h"
#include "wcl/WIT/TypeEncoder.h"
#include "wcl/Wasm/CoreTypes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace wcl {
namespace encoder {

/// The codes `__wasm_task_hook` receives (wit-component's TaskHook).
enum TaskHookCode : int32_t {
  HookSyncStart = 0,
  HookSyncFinish = 1,
  HookAsyncStart = 2,
  HookAsyncResume = 3,
  HookAsyncBlock = 4,
  HookAsyncFinish = 5,
  HookInitializeStart = 6,
  HookInitializeFinish = 7,
  HookDtorStart = 8,
  HookDtorFinish = 9,
  HookPostReturnStart = 10,
  HookPostReturnFinish = 11,
  HookReallocStart = 12,
  HookReallocFinish = 13,
  /// Not a code: the end hook is AsyncBlock or AsyncFinish by the status
  /// the wrapped function returns.
  HookEndFromStatus = -1,
};

/// Where a module's lowerings take their realloc from: the module (or main)
/// and the export.
struct ReallocSource {
  std::string module, exportName;
};

/// A component-model built-in a module imports (`[waitable-set-wait]`,
/// `[task-return]f`, ...): which canon definition, with what options.
struct BuiltinSpec {
  enum class Op : uint8_t {
    BackpressureInc,
    BackpressureDec,
    WaitableSetNew,
    WaitableSetWait,
    WaitableSetPoll,
    WaitableSetDrop,
    WaitableJoin,
    SubtaskDrop,
    SubtaskCancel,
    ErrorContextNew,
    ErrorContextDebugMessage,
    ErrorContextDrop,
    TaskCancel,
    TaskReturn,
    ThreadIndex,
    ThreadYield,
    ThreadSuspend,
    ThreadResumeLater,
    ThreadSuspendThenResume,
    ThreadYieldThenResume,
    ThreadSuspendThenPromote,
    ThreadYieldThenPromote,
    /// A future or stream intrinsic (`payloadOp` of `payload`).
    Payload,
  };
  Op op;
  /// `[cancellable]` or `[async-lower]`.
  bool flag = false;
  /// String encoding for error-context built-ins and task.return.
  std::optional<component::CanonicalOption> encoding;
  /// Needs the memory (and then, before main exists, a shim).
  bool memory = false;
  /// error-context.debug-message: the realloc it allocates with.
  std::optional<ReallocSource> realloc;
  /// TaskReturn: the exported function and its interface, if any.
  const wit::Function *function = nullptr;
  std::optional<wit::InterfaceId> interface;
  /// Payload: which intrinsic, on a future or stream type (a unit one is
  /// a type added for it), whose function is imported or exported.
  enum class PayloadOp : uint8_t {
    New,
    Read,
    Write,
    CancelRead,
    CancelWrite,
    DropReadable,
    DropWritable,
  };
  PayloadOp payloadOp = PayloadOp::New;
  bool stream = false;
  wit::TypeId payload;
  bool imported = false;
  /// Takes a realloc option, which exists only after main, so even with
  /// main's memory imported the built-in goes through a shim.
  bool needsRealloc = false;
};

/// A function some module imports that only exists once later instances
/// do: the importer gets a stub from the shim module that calls through the
/// shim table, and the fixup fills the table with the real function.
struct Shim {
  enum class Kind : uint8_t {
    /// The main module imports an export of a library or adapter.
    AdapterExport,
    /// `$root.[thread-new-indirect-v0]`: `canon thread.new-indirect` needs
    /// the main module's table, which exists only after main.
    ThreadNewIndirect,
    /// A WIT import lowered with memory/realloc options: those are main's
    /// memory and a realloc that exist only after main (and the library).
    IndirectLowering,
    /// The destructor of an exported resource: the resource type is defined
    /// before the module that implements the destructor is instantiated.
    ResourceDtor,
    /// A module's realloc as a canonical option of a lowering made before
    /// that module is instantiated (main imports its memory, so lowerings
    /// are direct).
    Realloc,
    /// A built-in that needs main's memory (`builtin`).
    Builtin,
  };
  Kind kind;
  std::string debugName;
  wasm::FuncType type;
  /// AdapterExport, ResourceDtor and Realloc: the instance and its export.
  /// IndirectLowering: the importing module and the imported function's
  /// name.
  std::string instance;
  std::string exportName;
  /// IndirectLowering: the imported component instance (none for a
  /// world-level function) and the function.
  std::optional<uint32_t> importedInstance;
  const wit::Function *function = nullptr;
  /// IndirectLowering with a task hook: the Realloc shim its realloc option
  /// goes through, so that the hooked realloc is used.
  std::optional<unsigned> reallocShim;
  std::optional<BuiltinSpec> builtin;
  /// IndirectLowering: an async lowering (`[async-lower]f`).
  bool async = false;
};

/// How one import that no library item covers is satisfied.
struct Intrinsic {
  enum class Kind : uint8_t {
    ContextGet,
    ContextSet,
    Shim,
    Lower,
    /// `canon resource.new/rep/drop` of an exported resource (`resource`).
    ResourceNew,
    ResourceRep,
    ResourceDrop,
    /// `canon resource.drop` of a resource of an imported interface.
    ImportedResourceDrop,
    /// The memory the shim module defines for a main module that imports
    /// `env.memory`.
    ShimMemory,
    /// `canon resource.drop` of a resource the world imports at top level.
    RootResourceDrop,
    /// A built-in defined directly (`builtin`).
    Builtin,
    /// The shim module's accessors of the TLS base global.
    TlsGet,
    TlsSet,
  };
  Kind kind;
  wasm::ValType valType; ///< ContextGet/ContextSet
  uint32_t slot = 0;     ///< ContextGet/ContextSet
  unsigned shim = 0;     ///< Shim
  /// Lower: the component instance imported for an interface (or none for a
  /// world-level function) and the function's name.
  std::optional<uint32_t> instance;
  std::string function;
  /// Lower: the importing module and the core module name it imports
  /// under; each such pair aliases the function anew.
  std::string coreModule;
  /// Lower: the canonical options, when main imports its memory (memory is
  /// the shim module's, realloc a Realloc shim).
  bool memory = false, utf8 = false, async = false;
  std::optional<unsigned> reallocShim;
  std::optional<BuiltinSpec> builtin;
  /// Resource*: the resource.
  wit::TypeId resource;
};

/// Per-encode state: the builder and the caches that make aliases,
/// intrinsics and shims appear once.
class EncodingState {
public:
  explicit EncodingState(const EncoderOptions &options) : options(options) {
    builder.setRecordNames(options.debugNames);
  }

  /// \p name when debug names are on, else nothing (no name section).
  llvm::StringRef name(llvm::StringRef name) const {
    return options.debugNames ? name : llvm::StringRef();
  }

  /// `alias core export instance name`, once per (instance, name); the first
  /// use names it (after the export unless \p debugName says otherwise).
  uint32_t aliasCore(uint32_t instance, llvm::StringRef exportName,
                     wasm::ExternType::Kind kind,
                     llvm::StringRef debugName = {});

  /// The shim for \p shim, added once per distinct kind and target.
  unsigned addShim(Shim shim);

  /// The canon definition of built-in \p spec, with \p memory and
  /// \p realloc as its options where it takes them.
  uint32_t builtin(const BuiltinSpec &spec, std::optional<uint32_t> memory,
                   std::optional<uint32_t> realloc);

  /// Drops from \p maps what the import side bound \p iface's own types
  /// and the anonymous types it uses to, so that the export's copies get
  /// their own encodings (anonymous types built only from primitives and
  /// other interfaces' types still match by structure). Resources keep
  /// their entries: exported resources are defined for the export.
  void forgetCopiedTypes(wit::TypeMaps &maps, wit::InterfaceId iface);

  /// The core function that satisfies \p in.
  uint32_t materialize(const Intrinsic &in);

  /// The type \p id exported by the instance imported for \p owner, aliased
  /// anew each time as wit-component does.
  uint32_t aliasInstanceType(wit::InterfaceId owner, wit::TypeId id);
  /// The root index of exported resource \p id (see lookup).
  uint32_t exportedResource(wit::TypeId id);
  std::string resourceName(wit::TypeId id) const;

  /// The component function for an imported WIT function: an alias of the
  /// imported instance's export (once per instance and name), or the
  /// imported world-level function itself.
  /// The imported component function \p function of \p instance (none for
  /// a world-level function), aliased once per core import module
  /// \p coreModule that lowers it, as wit-component does.
  uint32_t importedFunc(std::optional<uint32_t> instance,
                        const std::string &function,
                        llvm::StringRef coreModule = {});

  /// \p map's entry for \p key. A missing entry is an inconsistency the
  /// input must not turn into an abort (std::map::at throws, and wcl is
  /// built without exceptions): the first is kept in `missing`, which
  /// Encoding::run returns after the phase, and 0 stands in meanwhile.
  template <typename Map>
  typename Map::mapped_type lookup(const Map &map,
                                   const typename Map::key_type &key,
                                   llvm::function_ref<std::string()> what) {
    auto it = map.find(key);
    if (it != map.end())
      return it->second;
    if (!missing)
      missing = what();
    return typename Map::mapped_type{};
  }
  /// The first lookup that found nothing (see lookup), as "NOUN: WHAT".
  std::optional<std::string> missing;

  const EncoderOptions &options;
  component::ComponentBuilder builder;
  /// Core aliases made so far: instance -> export name -> alias index. A
  /// link aliases every symbol of every library, so this is hashed.
  llvm::DenseMap<uint32_t, llvm::StringMap<uint32_t>> aliases;
  /// Component-level aliases of imported instances' functions.
  std::map<std::tuple<uint32_t, std::string, std::string>, uint32_t>
      funcAliases;
  /// The component instance imported for each interface, and the component
  /// function imported for each world-level function.
  llvm::StringMap<uint32_t> importedInstances;
  llvm::StringMap<uint32_t> importedFuncs;
  /// The WIT function behind each imported (module, field).
  struct ImportedFunc {
    std::optional<wit::InterfaceId> interface;
    const wit::Function *function = nullptr;
  };
  std::map<std::pair<std::string, std::string>, ImportedFunc>
      importedSignatures;
  wit::Resolve *resolve = nullptr; // payload intrinsics add unit types
  /// What the component's root has encoded (wit-component's root
  /// TypeEncodingMaps).
  wit::TypeMaps rootMaps;
  /// The component instance imported for each interface (by InterfaceId).
  std::map<uint32_t, uint32_t> interfaceInstances;
  /// The root type index of each exported resource (by TypeId).
  std::map<uint32_t, uint32_t> exportedResources;
  std::vector<Shim> shims;
  std::optional<uint32_t> shimInstance;
  /// The memory main imports as `env.memory`, which the shim module
  /// defines, and its alias once the shim module is instantiated.
  std::optional<wasm::MemoryType> importedMemory;
  std::optional<uint32_t> memoryIndex;
  /// The alias of main's exported memory, once main is instantiated.
  std::optional<uint32_t> mainMemoryIndex;
  /// Main exports `__wasm_task_hook`.
  bool hasTaskHook = false;
  /// Interfaces the world both imports and exports. wit-parser gives the
  /// export its own copy of such an interface's types, so the export side
  /// encodes them anew: it looks types up in a copy of the root maps
  /// without the import side's entries for them.
  std::set<uint32_t> importedAndExported;
  std::optional<wit::TypeMaps> exportSideMaps;

  /// The type maps the root uses for \p iface on the import or export
  /// side: exported interfaces share one copy of the root maps, made at
  /// their first use, without the import side's entries for the types of
  /// interfaces that are imported too.
  wit::TypeMaps &mapsFor(std::optional<wit::InterfaceId> iface,
                         bool importTypes);
  /// The result type of each exported function a `[task-return]` import
  /// returns for, declared with the exported types.
  std::map<const wit::Function *, component::ComponentValType> taskReturnTypes;
  std::vector<BuiltinSpec> taskReturnRequests;
  /// The root type index of a payload intrinsic's future or stream type,
  /// encoded when first used (set by the encoder, which owns the type
  /// encoders).
  std::function<uint32_t(const BuiltinSpec &)> payloadTypeIndex;
  /// Some module uses threads (`[thread-new-indirect-v0]`) or context slot
  /// 1, so the TLS base lives in slot 1; otherwise in a global of the shim
  /// module, of this type.
  bool tlsInContextSlot1 = false;
  std::optional<wasm::ValType> tlsGlobalType;
  /// The imported interface each core import module names (its id, or an
  /// older semver-compatible id merged into it).
  std::map<std::string, wit::InterfaceId, std::less<>> importedByModule;
  /// Core instance index of "main" and of each library by name.
  llvm::StringMap<uint32_t> instances;
};

} // namespace encoder
} // namespace wcl

#endif // WCL_LIB_ENCODER_ENCODINGSTATE_H
