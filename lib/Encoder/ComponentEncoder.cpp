//===- ComponentEncoder.cpp - Modules to a component ----------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The phases of ComponentEncoder::encode. Item order, instance numbering and
/// debug names follow wit-component, whose printed output is the reference:
/// aliases are created lazily at first use and cached per (instance, export),
/// and the first use also names them.
///
//===----------------------------------------------------------------------===//

#include "wcl/Encoder/ComponentEncoder.h"
#include "AdapterGC.h"
#include "CoreNames.h"
#include "wcl/Component/ComponentBuilder.h"
#include "wcl/Support/Error.h"
#include "wcl/WIT/CanonicalABI.h"
#include "wcl/WIT/Decode.h"
#include "wcl/WIT/TypeEncoder.h"
#include "wcl/Wasm/Binary.h"
#include "wcl/Wasm/ModuleGC.h"
#include "wcl/Wasm/ModuleReader.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>

using namespace llvm;
using namespace wcl;
using component::ComponentBuilder;
using wasm::ExternType;
using wasm::IndexSpace;

void ComponentEncoder::addLibrary(std::string name, ArrayRef<uint8_t> bytes,
                                  LibraryArgs args) {
  inputLibraries.push_back({std::move(name), bytes, std::move(args)});
}

std::vector<uint8_t> wcl::rewriteModuleForComponent(
    const wasm::CoreModule &mod, StringRef moduleName,
    const wasm::ProducersBuilder *producers, bool keepWitMetadata) {
  ArrayRef<uint8_t> bytes = mod.bytes;
  SmallVector<char, 0> out;
  raw_svector_ostream os(out);
  os.write(reinterpret_cast<const char *>(bytes.data()), 8);

  // The name section with its module-name subsection replaced; the other
  // subsections are copied byte for byte. A name section the reader could
  // not decode (mod.names empty) is replaced by one with the name only.
  auto writeNames = [&](const wasm::NameSection *existing) {
    SmallVector<char, 64> payload;
    raw_svector_ostream ps(payload);
    SmallVector<char, 32> sub;
    raw_svector_ostream ss(sub);
    wasm::writeName(ss, moduleName);
    wasm::writeU8(ps, uint8_t(wasm::CoreNameKind::Module));
    wasm::writeUleb128(ps, sub.size());
    ps << sub;
    if (existing)
      for (const wasm::NameSubsection &s : existing->subsections) {
        if (s.id == uint8_t(wasm::CoreNameKind::Module))
          continue;
        wasm::writeU8(ps, s.id);
        wasm::writeUleb128(ps, s.content.size());
        wasm::writeBytes(ps, s.content);
      }
    wasm::writeCustomSection(os, wasm::NameSectionName,
                             StringRef(payload.data(), payload.size()));
  };

  // The module's own producers first, then the extra ones.
  auto writeProducers = [&](const wasm::Section *existing) {
    wasm::ProducersBuilder merged;
    if (existing) {
      Expected<wasm::ProducersBuilder> own = wasm::ProducersBuilder::parse(
          existing->content, existing->contentOffset);
      if (own)
        merged = std::move(*own);
      else
        consumeError(own.takeError()); // the reader accepted it; keep going
    }
    merged.merge(*producers);
    merged.writeTo(os);
  };

  bool wroteNames = false, wroteProducers = false;
  for (const wasm::Section &sec : mod.sections) {
    if (sec.isCustom() && !keepWitMetadata &&
        sec.name.starts_with(wasm::ComponentTypeSectionPrefix))
      continue;
    if (sec.isCustom() && sec.name == wasm::ProducersSectionName && producers &&
        !wroteProducers) {
      writeProducers(&sec);
      wroteProducers = true;
      continue;
    }
    if (sec.isCustom() && sec.name == wasm::NameSectionName &&
        !moduleName.empty() && !wroteNames) {
      writeNames(mod.names ? &*mod.names : nullptr);
      wroteNames = true;
      continue;
    }
    wasm::writeBytes(os, sec.bytesIn(bytes, mod.base));
  }
  if (!moduleName.empty() && !wroteNames)
    writeNames(nullptr);
  if (producers && !wroteProducers)
    writeProducers(nullptr);
  return std::vector<uint8_t>(out.begin(), out.end());
}

namespace {

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
  StringRef name(StringRef name) const {
    return options.debugNames ? name : StringRef();
  }

  /// `alias core export instance name`, once per (instance, name); the first
  /// use names it (after the export unless \p debugName says otherwise).
  uint32_t aliasCore(uint32_t instance, StringRef exportName,
                     ExternType::Kind kind, StringRef debugName = {}) {
    auto key = std::make_pair(instance, exportName.str());
    auto it = aliases.find(key);
    if (it != aliases.end())
      return it->second;
    uint32_t index = builder.aliasCoreExport(
        instance, exportName, kind,
        name(debugName.empty() ? exportName : debugName));
    aliases.emplace(key, index);
    return index;
  }

  /// The shim for \p shim, added once per distinct kind and target.
  unsigned addShim(Shim shim) {
    for (unsigned i = 0; i < shims.size(); ++i)
      if (shims[i].kind == shim.kind && shims[i].instance == shim.instance &&
          shims[i].exportName == shim.exportName)
        return i;
    shims.push_back(std::move(shim));
    return shims.size() - 1;
  }

  /// The canon definition of built-in \p spec, with \p memory and
  /// \p realloc as its options where it takes them.
  uint32_t builtin(const BuiltinSpec &spec, std::optional<uint32_t> memory,
                   std::optional<uint32_t> realloc) {
    using Op = BuiltinSpec::Op;
    std::vector<component::CanonicalOption> opts;
    if (memory)
      opts.push_back(component::CanonicalOption::memory(*memory));
    if (realloc)
      opts.push_back(component::CanonicalOption::realloc(*realloc));
    if (spec.encoding)
      opts.push_back(*spec.encoding);
    switch (spec.op) {
    case Op::BackpressureInc:
      return builder.backpressureInc();
    case Op::BackpressureDec:
      return builder.backpressureDec();
    case Op::WaitableSetNew:
      return builder.waitableSetNew();
    case Op::WaitableSetWait:
      return builder.waitableSetWait(spec.flag, *memory);
    case Op::WaitableSetPoll:
      return builder.waitableSetPoll(spec.flag, *memory);
    case Op::WaitableSetDrop:
      return builder.waitableSetDrop();
    case Op::WaitableJoin:
      return builder.waitableJoin();
    case Op::SubtaskDrop:
      return builder.subtaskDrop();
    case Op::SubtaskCancel:
      return builder.subtaskCancel(spec.flag);
    case Op::ErrorContextNew:
      return builder.errorContextNew(opts);
    case Op::ErrorContextDebugMessage:
      return builder.errorContextDebugMessage(opts);
    case Op::ErrorContextDrop:
      return builder.errorContextDrop();
    case Op::TaskCancel:
      return builder.taskCancel();
    case Op::TaskReturn: {
      std::optional<component::ComponentValType> result;
      if (spec.function->result)
        result = taskReturnTypes.at(spec.function);
      return builder.taskReturn(result, opts);
    }
    case Op::ThreadIndex:
      return builder.threadIndex();
    case Op::ThreadYield:
      return builder.threadYield(spec.flag);
    case Op::ThreadSuspend:
      return builder.threadSuspend(spec.flag);
    case Op::ThreadResumeLater:
      return builder.threadResumeLater();
    case Op::ThreadSuspendThenResume:
      return builder.threadSuspendThenResume(spec.flag);
    case Op::ThreadYieldThenResume:
      return builder.threadYieldThenResume(spec.flag);
    case Op::ThreadSuspendThenPromote:
      return builder.threadSuspendThenPromote(spec.flag);
    case Op::ThreadYieldThenPromote:
      return builder.threadYieldThenPromote(spec.flag);
    case Op::Payload: {
      uint32_t type = payloadTypeIndex(spec);
      if (spec.flag)
        opts.push_back(component::CanonicalOption::async());
      using P = BuiltinSpec::PayloadOp;
      switch (spec.payloadOp) {
      case P::New:
        return spec.stream ? builder.streamNew(type) : builder.futureNew(type);
      case P::Read:
        return spec.stream ? builder.streamRead(type, opts)
                           : builder.futureRead(type, opts);
      case P::Write:
        return spec.stream ? builder.streamWrite(type, opts)
                           : builder.futureWrite(type, opts);
      case P::CancelRead:
        return spec.stream ? builder.streamCancelRead(type, spec.flag)
                           : builder.futureCancelRead(type, spec.flag);
      case P::CancelWrite:
        return spec.stream ? builder.streamCancelWrite(type, spec.flag)
                           : builder.futureCancelWrite(type, spec.flag);
      case P::DropReadable:
        return spec.stream ? builder.streamDropReadable(type)
                           : builder.futureDropReadable(type);
      case P::DropWritable:
        return spec.stream ? builder.streamDropWritable(type)
                           : builder.futureDropWritable(type);
      }
      return 0;
    }
    }
    return 0;
  }

  /// Drops from \p maps what the import side bound \p iface's own types
  /// and the anonymous types it uses to, so that the export's copies get
  /// their own encodings (anonymous types built only from primitives and
  /// other interfaces' types still match by structure). Resources keep
  /// their entries: exported resources are defined for the export.
  void forgetCopiedTypes(wit::TypeMaps &maps, wit::InterfaceId iface) {
    wit::LiveTypes live;
    live.addInterface(*resolve, iface);
    std::set<uint32_t> copied;
    for (wit::TypeId t : live.types()) {
      const wit::TypeDef &def = resolve->get(t);
      if (def.kind == wit::TypeDefKind::Resource)
        continue;
      bool own = def.owner.kind == wit::TypeOwner::Kind::Interface &&
                 def.owner.interfaceId() == iface;
      if (own || def.owner.kind == wit::TypeOwner::Kind::None)
        copied.insert(t.index);
    }
    auto mentionsCopy = [&](const wit::TypeDef &def) {
      auto isCopy = [&](const std::optional<wit::Type> &x) {
        return x && x->isId && copied.count(x->id.index);
      };
      for (const wit::Field &f : def.fields)
        if (isCopy(f.type))
          return true;
      for (const wit::Case &c : def.cases)
        if (isCopy(c.type))
          return true;
      for (wit::Type x : def.types)
        if (isCopy(x))
          return true;
      return isCopy(def.element) || isCopy(def.error) ||
             ((def.kind == wit::TypeDefKind::Own ||
               def.kind == wit::TypeDefKind::Borrow) &&
              copied.count(def.resource.index));
    };
    for (uint32_t t : copied) {
      maps.idToIndex.erase(t);
      const wit::TypeDef &def = resolve->get(wit::TypeId{t});
      if (!def.name && mentionsCopy(def))
        maps.defToIndex.erase(wit::defKey(*resolve, def));
    }
  }

  /// The core function that satisfies \p in.
  uint32_t materialize(const Intrinsic &in) {
    switch (in.kind) {
    case Intrinsic::Kind::ContextGet:
      // Not cached: wit-component lowers these once per importing instance.
      return builder.contextGet(in.valType, in.slot);
    case Intrinsic::Kind::ContextSet:
      return builder.contextSet(in.valType, in.slot);
    case Intrinsic::Kind::Shim:
      return aliasCore(*shimInstance, std::to_string(in.shim),
                       ExternType::Kind::Func, shims[in.shim].debugName);
    case Intrinsic::Kind::Lower: {
      // Functions that need no canonical options, or whose options exist
      // before the importer (main imports its memory), are lowered directly.
      std::vector<component::CanonicalOption> opts;
      if (in.memory)
        opts.push_back(component::CanonicalOption::memory(*memoryIndex));
      if (in.reallocShim)
        opts.push_back(component::CanonicalOption::realloc(aliasCore(
            *shimInstance, std::to_string(*in.reallocShim),
            ExternType::Kind::Func, shims[*in.reallocShim].debugName)));
      if (in.utf8)
        opts.push_back(component::CanonicalOption::utf8());
      if (in.async)
        opts.push_back(component::CanonicalOption::async());
      return builder.canonLower(
          importedFunc(in.instance, in.function, in.coreModule), opts,
          name(in.function));
    }
    case Intrinsic::Kind::ShimMemory:
      return *memoryIndex;
    case Intrinsic::Kind::ResourceNew:
      return builder.resourceNew(exportedResources.at(in.resource.index));
    case Intrinsic::Kind::ResourceRep:
      return builder.resourceRep(exportedResources.at(in.resource.index));
    case Intrinsic::Kind::ResourceDrop:
      return builder.resourceDrop(exportedResources.at(in.resource.index));
    case Intrinsic::Kind::TlsGet:
    case Intrinsic::Kind::TlsSet: {
      StringRef name = in.kind == Intrinsic::Kind::TlsGet ? "$get-tls-base"
                                                          : "$set-tls-base";
      return aliasCore(*shimInstance, name, ExternType::Kind::Func);
    }
    case Intrinsic::Kind::RootResourceDrop:
      return builder.resourceDrop(rootMaps.idToIndex.at(in.resource.index));
    case Intrinsic::Kind::Builtin:
      return builtin(*in.builtin,
                     !in.builtin->memory ? std::nullopt
                     : memoryIndex       ? memoryIndex
                                         : mainMemoryIndex,
                     std::nullopt);
    case Intrinsic::Kind::ImportedResourceDrop:
      // Not cached, as in wit-component: each use aliases the type anew.
      return builder.resourceDrop(
          builder.aliasExport(*in.instance, *resolve->get(in.resource).name,
                              component::ComponentExportKind::Type));
    }
    return 0;
  }

  /// The type \p id exported by the instance imported for \p owner, aliased
  /// anew each time as wit-component does.
  uint32_t aliasInstanceType(wit::InterfaceId owner, wit::TypeId id) {
    return builder.aliasExport(interfaceInstances.at(owner.index),
                               *resolve->get(id).name,
                               component::ComponentExportKind::Type);
  }

  /// The component function for an imported WIT function: an alias of the
  /// imported instance's export (once per instance and name), or the
  /// imported world-level function itself.
  /// The imported component function \p function of \p instance (none for
  /// a world-level function), aliased once per core import module
  /// \p coreModule that lowers it, as wit-component does.
  uint32_t importedFunc(std::optional<uint32_t> instance,
                        const std::string &function,
                        StringRef coreModule = {}) {
    if (!instance)
      return importedFuncs.lookup(function);
    auto key = std::make_tuple(*instance, coreModule.str(), function);
    auto it = funcAliases.find(key);
    if (it == funcAliases.end())
      it = funcAliases
               .emplace(key, builder.aliasExport(
                                 *instance, function,
                                 component::ComponentExportKind::Func))
               .first;
    return it->second;
  }

  const EncoderOptions &options;
  ComponentBuilder builder;
  std::map<std::pair<uint32_t, std::string>, uint32_t> aliases;
  /// Component-level aliases of imported instances' functions.
  std::map<std::tuple<uint32_t, std::string, std::string>, uint32_t>
      funcAliases;
  /// The component instance imported for each interface, and the component
  /// function imported for each world-level function.
  StringMap<uint32_t> importedInstances;
  StringMap<uint32_t> importedFuncs;
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
                         bool importTypes) {
    if (importTypes || !iface || importedAndExported.empty())
      return rootMaps;
    if (!exportSideMaps) {
      exportSideMaps = rootMaps;
      for (uint32_t i : importedAndExported)
        forgetCopiedTypes(*exportSideMaps, wit::InterfaceId{i});
    }
    return *exportSideMaps;
  }
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
  StringMap<uint32_t> instances;
};

/// One import of a module and how it will be satisfied.
struct ResolvedImport {
  StringRef module, field;
  ExternType::Kind kind;
  /// Either an item (from main or a library instance) or an intrinsic.
  const LibraryItem *item = nullptr;
  std::optional<Intrinsic> intrinsic;
};

} // namespace

/// The shim module. Shim i pushes its parameters and calls the real
/// function, which the fixup provides once it exists: through entry i of
/// the exported table `$imports`, or, with return_call_ref, through the
/// exported global `g{i}` (initialized to a trapping stub).
static std::vector<uint8_t>
buildShimModule(ArrayRef<Shim> shims, bool returnCallRef,
                const std::optional<wasm::MemoryType> &memory,
                const std::optional<wasm::ValType> &tlsBase) {
  wasm::CoreModuleBuilder module;
  uint32_t tableIndex = 0;
  if (!returnCallRef && !shims.empty()) {
    wasm::TableType table;
    table.elemType = wasm::funcRef();
    table.limits.min = shims.size();
    table.limits.max = shims.size();
    tableIndex = module.addTable(table);
  }
  auto toBytes = [](const std::vector<uint8_t> &v) {
    return ArrayRef<uint8_t>(v);
  };
  std::map<uint32_t, uint32_t> trapStubs;
  for (unsigned i = 0; i < shims.size(); ++i) {
    uint32_t type = module.addType(shims[i].type);
    std::optional<uint32_t> global;
    if (returnCallRef) {
      // Until the fixup runs, each global holds a stub that traps; one
      // stub per signature, defined before the first shim that needs it.
      auto [it, isNew] = trapStubs.try_emplace(type, 0);
      if (isNew) {
        std::vector<uint8_t> trap = wasm::encodeInstructions(
            [](wasm::InstrEmitter &e) { e.unreachable().end(); });
        it->second = module.addFunction(type, {}, toBytes(trap));
        module.names().setFunctionName(it->second,
                                       "trap stub before initialization");
      }
      uint32_t stub = it->second;
      wasm::GlobalType gt;
      gt.type.code = 0x64; // (ref $type)
      gt.type.ref.nullable = false;
      gt.type.ref.heapType = type;
      gt.mutable_ = true;
      global = module.addGlobal(gt, wasm::InitExpr::refFunc(stub));
      module.addExport("g" + std::to_string(i), ExternType::Kind::Global,
                       *global);
    }
    std::vector<uint8_t> code =
        wasm::encodeInstructions([&](wasm::InstrEmitter &ins) {
          for (unsigned p = 0; p < shims[i].type.params.size(); ++p)
            ins.localGet(p);
          if (returnCallRef)
            ins.globalGet(*global).returnCallRef(type);
          else
            ins.i32Const(static_cast<int32_t>(i))
                .callIndirect(type, tableIndex);
          ins.end();
        });
    uint32_t f = module.addFunction(type, {}, toBytes(code));
    module.addExport(std::to_string(i), ExternType::Kind::Func, f);
    module.names().setFunctionName(f, shims[i].debugName);
  }
  if (!returnCallRef && !shims.empty())
    module.addExport("$imports", ExternType::Kind::Table, tableIndex);
  if (memory)
    module.addExport("$memory", ExternType::Kind::Memory,
                     module.addMemory(*memory));
  // Without threads, the TLS base of a module built for them is a global
  // here, read and written through two accessors.
  if (tlsBase) {
    wasm::FuncType getType, setType;
    getType.results.push_back(*tlsBase);
    setType.params.push_back(*tlsBase);
    uint32_t getIndex = module.addType(getType),
             setIndex = module.addType(setType);
    wasm::GlobalType gt;
    gt.type = *tlsBase;
    gt.mutable_ = true;
    uint32_t global =
        module.addGlobal(gt, wasm::isSameValType(*tlsBase, wasm::i64Type())
                                 ? wasm::InitExpr::i64Const(0)
                                 : wasm::InitExpr::i32Const(0));
    std::vector<uint8_t> getCode = wasm::encodeInstructions(
        [&](wasm::InstrEmitter &e) { e.globalGet(global).end(); });
    std::vector<uint8_t> setCode = wasm::encodeInstructions(
        [&](wasm::InstrEmitter &e) { e.localGet(0).globalSet(global).end(); });
    uint32_t get = module.addFunction(getIndex, {}, toBytes(getCode));
    uint32_t set = module.addFunction(setIndex, {}, toBytes(setCode));
    module.addExport("$get-tls-base", ExternType::Kind::Func, get);
    module.addExport("$set-tls-base", ExternType::Kind::Func, set);
    module.names().setFunctionName(get, "$get-tls-base");
    module.names().setFunctionName(set, "$set-tls-base");
  }
  module.names().setModuleName("wit-component:shim");
  return module.finish();
}

/// How \p importer's import \p imp of WIT function \p module.\p field
/// (its legacy spelling) is satisfied: a direct lowering, or (when the
/// lowering needs memory or realloc, which exist only after main) an
/// indirect shim. std::nullopt when the import is not one of the world's.
/// A WIT function import's name without the `[async-lower]` that asks for
/// an async lowering.
static StringRef withoutAsyncLower(StringRef field) {
  field.consume_front("[async-lower]");
  return field;
}

/// The shim through which a lowering reaches \p realloc.
static Shim reallocShim(const ReallocSource &realloc) {
  wasm::FuncType sig;
  sig.params.assign(4, wasm::i32Type());
  sig.results.push_back(wasm::i32Type());
  return Shim{Shim::Kind::Realloc,
              "realloc-" + realloc.module + "-" + realloc.exportName, sig,
              realloc.module, realloc.exportName};
}

static std::optional<Intrinsic>
classifyWitImport(EncodingState &state, StringRef importer,
                  const wasm::ImportEntry &imp, StringRef module,
                  StringRef field,
                  const std::optional<ReallocSource> &realloc) {
  // `[async-lower]f` asks for an async lowering of `f`.
  bool async = field.starts_with("[async-lower]");
  auto sig = state.importedSignatures.find(
      {module.str(), withoutAsyncLower(field).str()});
  if (sig == state.importedSignatures.end())
    return std::nullopt;
  const wit::Function &f = *sig->second.function;
  wit::FunctionAbi abi = wit::functionAbi(*state.resolve, f,
                                          async ? wit::AbiVariant::LowerAsync
                                                : wit::AbiVariant::Lower);
  std::optional<uint32_t> instance;
  if (sig->second.interface)
    instance = state.interfaceInstances.at(sig->second.interface->index);
  // With main's memory imported, the memory exists before any module and
  // the lowering is direct; only the realloc needs a shim.
  if (state.importedMemory) {
    Intrinsic in{Intrinsic::Kind::Lower,         {}, 0, 0, instance, f.name,
                 (importer + "|" + module).str()};
    in.memory = abi.options.memory;
    in.utf8 = abi.options.stringEncoding;
    in.async = async;
    if (abi.options.realloc && realloc)
      in.reallocShim = state.addShim(reallocShim(*realloc));
    return in;
  }
  if (abi.options.memory || abi.options.realloc || abi.options.stringEncoding) {
    Shim shim{
        Shim::Kind::IndirectLowering,
        ("indirect-" + imp.module + "-" + imp.field).str(), abi.core,
        importer.str(),
        // Keyed by the (merged) interface, so that imports of one
        // function under semver-compatible names share a shim.
        (sig->second.interface ? state.resolve->idOf(*sig->second.interface)
                                     .value_or(module.str())
                               : std::string("$root")) +
            "." + (async ? "[async-lower]" : "") + f.name,
        instance, &f};
    shim.async = async;
    unsigned index = state.addShim(std::move(shim));
    // With a task hook the realloc is the fixup's wrapper, which exists
    // only after the fixup: the lowering reaches it through a shim.
    if (state.hasTaskHook && abi.options.realloc && realloc)
      state.shims[index].reallocShim = state.addShim(reallocShim(*realloc));
    return Intrinsic{Intrinsic::Kind::Shim, {}, 0, index};
  }
  Intrinsic in{Intrinsic::Kind::Lower,         {}, 0, 0, instance, f.name,
               (importer + "|" + module).str()};
  in.async = async;
  return in;
}

/// The resource \p name of interface \p iface, if it has one.
static std::optional<wit::TypeId> findResource(const wit::Resolve &resolve,
                                               wit::InterfaceId iface,
                                               StringRef name) {
  const wit::Interface &i = resolve.get(iface);
  auto it = i.types.find(name.str());
  if (it == i.types.end() ||
      resolve.get(it->second).kind != wit::TypeDefKind::Resource)
    return std::nullopt;
  return it->second;
}

/// The resource intrinsics a module imports: `[export]IFACE` gives
/// `[resource-new]R`, `[resource-rep]R` and `[resource-drop]R` of a resource
/// the module's world exports; an imported interface gives
/// `[resource-drop]R` of its resources.
static std::optional<Intrinsic>
classifyResourceImport(EncodingState &state, std::optional<wit::WorldId> world,
                       StringRef module, StringRef field) {
  const wit::Resolve &resolve = *state.resolve;
  StringRef ifaceName = module;
  if (ifaceName.consume_front("[export]")) {
    if (!world)
      return std::nullopt;
    for (const auto &[key, item] : resolve.get(*world).exports) {
      if (item.kind != wit::WorldItem::Kind::Interface ||
          resolve.nameOf(key) != ifaceName)
        continue;
      StringRef r = field;
      Intrinsic::Kind kind;
      if (r.consume_front("[resource-new]"))
        kind = Intrinsic::Kind::ResourceNew;
      else if (r.consume_front("[resource-rep]"))
        kind = Intrinsic::Kind::ResourceRep;
      else if (r.consume_front("[resource-drop]"))
        kind = Intrinsic::Kind::ResourceDrop;
      else
        return std::nullopt;
      std::optional<wit::TypeId> res = findResource(resolve, item.interface, r);
      if (!res)
        return std::nullopt;
      Intrinsic in{kind, {}, 0, 0, std::nullopt, ""};
      in.resource = *res;
      return in;
    }
    return std::nullopt;
  }
  StringRef r = field;
  if (!r.consume_front("[resource-drop]"))
    return std::nullopt;
  // A resource the world itself imports (`world w { resource r; }`).
  if (module == "$root") {
    if (!world)
      return std::nullopt;
    for (const auto &[key, item] : resolve.get(*world).imports)
      if (item.kind == wit::WorldItem::Kind::Type && key.name == r &&
          resolve.get(item.type).kind == wit::TypeDefKind::Resource) {
        Intrinsic in{Intrinsic::Kind::RootResourceDrop, {}, 0, 0};
        in.resource = item.type;
        return in;
      }
    return std::nullopt;
  }
  // An interface the world imports under a plain name (`import j:
  // interface {...}`) has no id to match.
  std::optional<wit::InterfaceId> named;
  if (world)
    for (const auto &[key, item] : resolve.get(*world).imports)
      if (item.kind == wit::WorldItem::Kind::Interface && !key.interface &&
          key.name == module)
        named = item.interface;
  if (!named) {
    auto it = state.importedByModule.find(module);
    if (it != state.importedByModule.end())
      named = it->second;
  }
  for (const auto &[ifaceIndex, instance] : state.interfaceInstances) {
    wit::InterfaceId iface{ifaceIndex};
    if (!named || named->index != ifaceIndex)
      continue;
    std::optional<wit::TypeId> res = findResource(resolve, iface, r);
    if (!res)
      return std::nullopt;
    Intrinsic in{Intrinsic::Kind::ImportedResourceDrop, {}, 0, 0, instance, ""};
    in.resource = *res;
    return in;
  }
  return std::nullopt;
}

/// Classifies the imports of the main module: functions of libraries and
/// adapters become shims; `$root.[context-get-1]` is the context slot.
/// wasm-ld's accessors for the stack pointer and TLS base of a
/// multi-threaded module (`env.__wasm_{get,set}_{stack_pointer,tls_base}`):
/// the stack pointer is context slot 0; the TLS base is context slot 1 with
/// threads, else a global of the shim module. Types follow the import (i32,
/// or i64 on wasm64). std::nullopt for any other import.
static Expected<std::optional<Intrinsic>>
classifyThreadingImport(EncodingState &state, StringRef who,
                        const wasm::ImportEntry &imp,
                        const wasm::FuncType *ft) {
  if (imp.module != "env" || !ft)
    return std::nullopt;
  StringRef what = imp.field;
  bool get;
  if (what.consume_front("__wasm_get_"))
    get = true;
  else if (what.consume_front("__wasm_set_"))
    get = false;
  else
    return std::nullopt;
  bool stack = what == "stack_pointer";
  if (!stack && what != "tls_base")
    return std::nullopt;
  bool shapeOk = get ? (ft->params.empty() && ft->results.size() == 1)
                     : (ft->params.size() == 1 && ft->results.empty());
  if (!shapeOk)
    return createError(who + ": import env." + imp.field + " has type " +
                       toString(*ft) +
                       "; expected (func (result i32)) or (func (param i32)) "
                       "and their i64 forms");
  wasm::ValType vt = get ? ft->results[0] : ft->params[0];
  if (stack || state.tlsInContextSlot1)
    return Intrinsic{get ? Intrinsic::Kind::ContextGet
                         : Intrinsic::Kind::ContextSet,
                     vt, stack ? 0u : 1u};
  state.tlsGlobalType = vt;
  return Intrinsic{get ? Intrinsic::Kind::TlsGet : Intrinsic::Kind::TlsSet, vt,
                   0};
}

/// \p imports grouped by module name, modules in order of first appearance
/// (how wit-component walks a module's imports, so shims are numbered as it
/// numbers them).
static std::vector<std::reference_wrapper<const wasm::ImportEntry>>
groupedByModule(ArrayRef<wasm::ImportEntry> imports) {
  std::vector<std::reference_wrapper<const wasm::ImportEntry>> out;
  std::vector<StringRef> order;
  for (const wasm::ImportEntry &imp : imports)
    if (!is_contained(order, imp.module))
      order.push_back(imp.module);
  for (StringRef m : order)
    for (const wasm::ImportEntry &imp : imports)
      if (imp.module == m)
        out.push_back(imp);
  return out;
}

/// `$root.[context-get-N]` / `[context-set-N]` with the i32 shape the
/// canonical ABI gives them: `canon context.get/set i32 N`.
static std::optional<Intrinsic>
classifyContextImport(StringRef module, StringRef field,
                      const wasm::FuncType &ft) {
  unsigned slot;
  StringRef f = field;
  bool get = f.consume_front("[context-get-");
  if (module != "$root" || (!get && !f.consume_front("[context-set-")) ||
      !f.consume_back("]") || f.getAsInteger(10, slot))
    return std::nullopt;
  bool shapeOk = get ? (ft.params.empty() && ft.results.size() == 1 &&
                        wasm::isSameValType(ft.results[0], wasm::i32Type()))
                     : (ft.params.size() == 1 && ft.results.empty() &&
                        wasm::isSameValType(ft.params[0], wasm::i32Type()));
  if (!shapeOk)
    return std::nullopt;
  return Intrinsic{get ? Intrinsic::Kind::ContextGet
                       : Intrinsic::Kind::ContextSet,
                   wasm::i32Type(), slot};
}

/// The function \p name of a world's \p items (its imports or exports)
/// that a core module names with module \p iface (`$root`, or an
/// interface's world name), and the interface it belongs to.
static std::pair<const wit::Function *, std::optional<wit::InterfaceId>>
findWorldFunction(
    const wit::Resolve &resolve,
    const std::vector<std::pair<wit::WorldKey, wit::WorldItem>> &items,
    StringRef iface, StringRef name) {
  for (const auto &[key, item] : items) {
    if (iface == "$root" && item.kind == wit::WorldItem::Kind::Function &&
        item.function.name == name)
      return {&item.function, std::nullopt};
    if (iface != "$root" && item.kind == wit::WorldItem::Kind::Interface &&
        resolve.nameOf(key) == iface) {
      const wit::Interface &i = resolve.get(item.interface);
      auto it = i.functions.find(name.str());
      if (it != i.functions.end())
        return {&it->second, item.interface};
    }
  }
  return {nullptr, std::nullopt};
}

/// The futures and streams a function's parameters and result contain, each
/// after those nested in it (how payload intrinsics number them).
static void findFuturesAndStreams(const wit::Resolve &resolve, wit::Type t,
                                  std::vector<wit::TypeId> &out) {
  if (!t.isId)
    return;
  const wit::TypeDef &def = resolve.get(t.id);
  switch (def.kind) {
  case wit::TypeDefKind::Record:
    for (const wit::Field &f : def.fields)
      findFuturesAndStreams(resolve, f.type, out);
    return;
  case wit::TypeDefKind::Tuple:
    for (wit::Type x : def.types)
      findFuturesAndStreams(resolve, x, out);
    return;
  case wit::TypeDefKind::Variant:
    for (const wit::Case &c : def.cases)
      if (c.type)
        findFuturesAndStreams(resolve, *c.type, out);
    return;
  case wit::TypeDefKind::Option:
  case wit::TypeDefKind::List:
  case wit::TypeDefKind::FixedList:
  case wit::TypeDefKind::Alias:
    findFuturesAndStreams(resolve, *def.element, out);
    return;
  case wit::TypeDefKind::Result:
    if (def.element)
      findFuturesAndStreams(resolve, *def.element, out);
    if (def.error)
      findFuturesAndStreams(resolve, *def.error, out);
    return;
  case wit::TypeDefKind::Future:
  case wit::TypeDefKind::Stream:
    if (def.element)
      findFuturesAndStreams(resolve, *def.element, out);
    out.push_back(t.id);
    return;
  default:
    return;
  }
}

/// `[future-OP-N]f` / `[stream-OP-N]f` (N an index into f's futures and
/// streams, or `unit`), with `[async-lower]` for the operations that may
/// block.
static std::optional<BuiltinSpec>
classifyPayload(wit::Resolve &resolve, std::optional<wit::WorldId> world,
                StringRef module, StringRef field,
                const std::optional<ReallocSource> &realloc) {
  using P = BuiltinSpec::PayloadOp;
  StringRef f = field;
  bool async = f.consume_front("[async-lower]");
  bool stream;
  if (f.consume_front("[future-"))
    stream = false;
  else if (f.consume_front("[stream-"))
    stream = true;
  else
    return std::nullopt;
  static const std::pair<StringLiteral, P> ops[] = {
      {"new-", P::New},
      {"read-", P::Read},
      {"write-", P::Write},
      {"cancel-read-", P::CancelRead},
      {"cancel-write-", P::CancelWrite},
      {"drop-readable-", P::DropReadable},
      {"drop-writable-", P::DropWritable}};
  std::optional<P> op;
  for (auto [prefix, o] : ops)
    if (f.consume_front(prefix)) {
      op = o;
      break;
    }
  auto [index, name] = f.split(']');
  if (!op || name.data() == f.data())
    return std::nullopt;
  // The function whose types are meant.
  StringRef iface = module;
  bool exported = iface.consume_front("[export]");
  const wit::Function *fn = nullptr;
  std::optional<wit::InterfaceId> owner;
  if (world)
    std::tie(fn, owner) = findWorldFunction(
        resolve,
        exported ? resolve.get(*world).exports : resolve.get(*world).imports,
        iface, name);
  // A unit future or stream needs no function (its name may be empty).
  if (!fn && index != "unit")
    return std::nullopt;
  BuiltinSpec spec{BuiltinSpec::Op::Payload,
                   async,
                   std::nullopt,
                   false,
                   std::nullopt,
                   fn,
                   owner};
  spec.payloadOp = *op;
  spec.stream = stream;
  spec.imported = !exported;
  std::optional<wit::Type> payload;
  if (index == "unit") {
    wit::TypeDef unit;
    unit.kind = stream ? wit::TypeDefKind::Stream : wit::TypeDefKind::Future;
    spec.payload = resolve.addType(unit);
  } else {
    unsigned n;
    std::vector<wit::TypeId> found;
    for (const auto &p : fn->params)
      findFuturesAndStreams(resolve, p.second, found);
    if (fn->result)
      findFuturesAndStreams(resolve, *fn->result, found);
    if (index.getAsInteger(10, n) || n >= found.size() ||
        (resolve.get(found[n]).kind == wit::TypeDefKind::Stream) != stream)
      return std::nullopt;
    spec.payload = found[n];
    payload = resolve.get(found[n]).element;
  }
  // Reading and writing go through memory: what a read lowers needs
  // realloc too, and strings their encoding.
  if (*op == P::Read || *op == P::Write) {
    spec.memory = true;
    if (payload) {
      if (resolve.hasString(*payload))
        spec.encoding = component::CanonicalOption::utf8();
      if (*op == P::Read && resolve.hasList(*payload)) {
        spec.realloc = realloc;
        spec.needsRealloc = true;
      }
    }
  }
  return spec;
}

/// The built-in a module imports as \p module.\p field (legacy names) with
/// core type \p ft, if it is one: direct when it needs no memory or main
/// imports its memory, else through a shim.
static std::optional<Intrinsic>
classifyBuiltin(EncodingState &state, StringRef importer,
                std::optional<wit::WorldId> world, StringRef module,
                StringRef field, const wasm::FuncType &ft,
                const std::optional<ReallocSource> &realloc) {
  using Op = BuiltinSpec::Op;
  const wit::Resolve &resolve = *state.resolve;
  std::optional<BuiltinSpec> spec;
  std::string debugName;
  auto make = [&](Op op, bool flag = false) {
    spec = BuiltinSpec{op,           flag,    std::nullopt, false,
                       std::nullopt, nullptr, std::nullopt};
  };
  auto encodingOf =
      [](StringRef name) -> std::optional<component::CanonicalOption> {
    if (name == "utf8")
      return component::CanonicalOption::utf8();
    if (name == "utf16")
      return component::CanonicalOption::utf16();
    if (name == "latin1+utf16")
      return component::CanonicalOption::latin1Utf16();
    return std::nullopt;
  };
  StringRef f = field;
  if (std::optional<BuiltinSpec> payload =
          classifyPayload(*state.resolve, world, module, field, realloc)) {
    spec = payload;
    debugName = (module + "-" + field).str();
  } else if (module == "$root") {
    bool cancellable = f.consume_front("[cancellable]");
    bool asyncLower = !cancellable && f.consume_front("[async-lower]");
    if (f == "[backpressure-inc]" && !cancellable && !asyncLower)
      make(Op::BackpressureInc);
    else if (f == "[backpressure-dec]" && !cancellable && !asyncLower)
      make(Op::BackpressureDec);
    else if (f == "[waitable-set-new]")
      make(Op::WaitableSetNew);
    else if (f == "[waitable-set-wait]" || f == "[waitable-set-poll]") {
      bool wait = f == "[waitable-set-wait]";
      make(wait ? Op::WaitableSetWait : Op::WaitableSetPoll, cancellable);
      spec->memory = true;
      debugName = wait ? "waitable-set.wait" : "waitable-set.poll";
    } else if (f == "[waitable-set-drop]")
      make(Op::WaitableSetDrop);
    else if (f == "[waitable-join]")
      make(Op::WaitableJoin);
    else if (f == "[subtask-drop]")
      make(Op::SubtaskDrop);
    else if (f == "[subtask-cancel]")
      make(Op::SubtaskCancel, asyncLower);
    else if (f == "[error-context-drop]")
      make(Op::ErrorContextDrop);
    else if (f == "[thread-index]")
      make(Op::ThreadIndex);
    else if (f == "[thread-yield]")
      make(Op::ThreadYield, cancellable);
    else if (f == "[thread-suspend]")
      make(Op::ThreadSuspend, cancellable);
    else if (f == "[thread-resume-later]")
      make(Op::ThreadResumeLater);
    else if (f == "[thread-suspend-then-resume]")
      make(Op::ThreadSuspendThenResume, cancellable);
    else if (f == "[thread-yield-then-resume]")
      make(Op::ThreadYieldThenResume, cancellable);
    else if (f == "[thread-suspend-then-promote]")
      make(Op::ThreadSuspendThenPromote, cancellable);
    else if (f == "[thread-yield-then-promote]")
      make(Op::ThreadYieldThenPromote, cancellable);
    else if (f.consume_front("[error-context-new-") && f.consume_back("]")) {
      if (!encodingOf(f))
        return std::nullopt;
      make(Op::ErrorContextNew);
      spec->encoding = encodingOf(f);
      spec->memory = true;
      debugName = "error-new";
    } else if (f.consume_front("[error-context-debug-message-") &&
               f.consume_back("]")) {
      if (!encodingOf(f))
        return std::nullopt;
      make(Op::ErrorContextDebugMessage);
      spec->encoding = encodingOf(f);
      spec->memory = true;
      spec->realloc = realloc;
      spec->needsRealloc = true;
      debugName = "error-debug-message";
    }
  } else if (StringRef iface = module; iface.consume_front("[export]")) {
    if (f == "[task-cancel]") {
      make(Op::TaskCancel);
    } else if (f.consume_front("[task-return]") && world) {
      // The exported function the task returns for.
      auto [fn, owner] =
          findWorldFunction(resolve, resolve.get(*world).exports, iface, f);
      if (!fn)
        return std::nullopt;
      make(Op::TaskReturn);
      spec->function = fn;
      spec->interface = owner;
      // Not an option of task.return; wit-component aliases it anyway when
      // it fills the shim (see below).
      spec->realloc = realloc;
      // task.return takes what the synchronous import would need, without
      // realloc (wit-component's rule).
      wit::FunctionAbi abi =
          wit::functionAbi(resolve, *fn, wit::AbiVariant::Lower);
      spec->memory = abi.options.memory;
      if (abi.options.stringEncoding)
        spec->encoding = component::CanonicalOption::utf8();
      debugName = ("task-return-" + f).str();
    }
  }
  if (!spec)
    return std::nullopt;
  if (spec->op == Op::TaskReturn)
    state.taskReturnRequests.push_back(*spec);
  Intrinsic direct{Intrinsic::Kind::Builtin, {}, 0, 0};
  direct.builtin = spec;
  if (!spec->memory || (state.importedMemory && !spec->needsRealloc))
    return direct;
  Shim shim{Shim::Kind::Builtin, debugName, ft, importer.str(),
            (module + "." + field).str()};
  shim.builtin = spec;
  unsigned index = state.addShim(std::move(shim));
  // With a task hook the realloc is the fixup's wrapper: a shim reaches it.
  if (state.hasTaskHook && spec->needsRealloc && spec->realloc)
    state.shims[index].reallocShim = state.addShim(reallocShim(*spec->realloc));
  // Modules instantiated after main find its memory there and define the
  // built-in directly; wit-component still fills a shim for it.
  if (importer != "main")
    return direct;
  return Intrinsic{Intrinsic::Kind::Shim, {}, 0, index};
}

/// The realloc a module's lowerings use: its `cabi_import_realloc`, else its
/// `cabi_realloc`, else (for libraries) main's.
static std::optional<ReallocSource>
importReallocOf(StringRef moduleName, const CoreNames &names,
                const CoreNames *mainNames) {
  for (StringRef legacy : {"cabi_import_realloc", "cabi_realloc"})
    if (const wasm::Export *e = names.findFunc(legacy))
      return ReallocSource{moduleName.str(), e->name.str()};
  if (mainNames)
    if (const wasm::Export *e = mainNames->findFunc("cabi_realloc"))
      return ReallocSource{"main", e->name.str()};
  return std::nullopt;
}

static Expected<std::vector<ResolvedImport>>
resolveMainImports(const wasm::CoreModule &main, const CoreNames &names,
                   const StringSet<> &libraries,
                   std::optional<wit::WorldId> world, EncodingState &state) {
  std::vector<ResolvedImport> out;
  std::optional<ReallocSource> realloc =
      importReallocOf("main", names, nullptr);
  for (const wasm::ImportEntry &imp : groupedByModule(main.imports)) {
    ResolvedImport r{imp.module, imp.field, imp.type.kind};
    if (imp.module == "env" && imp.field == "memory" &&
        imp.type.kind == ExternType::Kind::Memory) {
      r.intrinsic = Intrinsic{Intrinsic::Kind::ShimMemory, {}, 0, 0};
      out.push_back(std::move(r));
      continue;
    }
    StringRef module = names.importModule(imp), field = names.importField(imp);
    const wasm::FuncType *ft = imp.type.kind == ExternType::Kind::Func
                                   ? main.getFuncType(imp.type.funcType)
                                   : nullptr;
    Expected<std::optional<Intrinsic>> threading =
        classifyThreadingImport(state, "the main module", imp, ft);
    if (!threading)
      return threading.takeError();
    if (*threading) {
      r.intrinsic = std::move(**threading);
    } else if (std::optional<Intrinsic> context =
                   ft ? classifyContextImport(module, field, *ft)
                      : std::nullopt) {
      r.intrinsic = std::move(*context);
    } else if (std::optional<Intrinsic> builtin =
                   ft ? classifyBuiltin(state, "main", world, module, field,
                                        *ft, realloc)
                      : std::nullopt) {
      r.intrinsic = std::move(*builtin);
    } else if (module == "$root" && field == "[thread-new-indirect-v0]" && ft) {
      Shim shim{Shim::Kind::ThreadNewIndirect, "thread.new-indirect", *ft, "",
                ""};
      r.intrinsic = Intrinsic{
          Intrinsic::Kind::Shim, {}, 0, state.addShim(std::move(shim))};
    } else if (libraries.contains(imp.module) && ft) {
      StringRef original = originalImportField(imp.field);
      Shim shim{Shim::Kind::AdapterExport,
                ("adapt-" + imp.module + "-" + original).str(), *ft,
                imp.module.str(), original.str()};
      r.intrinsic = Intrinsic{
          Intrinsic::Kind::Shim, {}, 0, state.addShim(std::move(shim))};
    } else if (std::optional<Intrinsic> wit =
                   ft ? classifyWitImport(state, "main", imp, module, field,
                                          realloc)
                      : std::nullopt) {
      r.intrinsic = std::move(*wit);
    } else if (std::optional<Intrinsic> res =
                   ft ? classifyResourceImport(state, world, module, field)
                      : std::nullopt) {
      r.intrinsic = std::move(*res);
    } else {
      return createError(
          "the main module imports " + imp.module + "." + imp.field +
          ", which is neither a library export nor a supported intrinsic" +
          (imp.module == "wasi_snapshot_preview1"
               ? "; the module was built for WASI preview1 and needs an "
                 "adapter (--wasi-adapter=command, reactor or a file, or "
                 "--adapt wasi_snapshot_preview1=FILE)"
               : ""));
    }
    out.push_back(std::move(r));
  }
  return out;
}

/// Classifies a library's imports: linker items first, then the intrinsics
/// the component model provides.
static Expected<std::vector<ResolvedImport>>
resolveLibraryImports(StringRef libName, const wasm::CoreModule &mod,
                      const CoreNames &names, const CoreNames *mainNames,
                      const LibraryArgs &args,
                      std::optional<wit::WorldId> world, EncodingState &state) {
  std::vector<ResolvedImport> out;
  for (const wasm::ImportEntry &imp : groupedByModule(mod.imports)) {
    ResolvedImport r{imp.module, imp.field, imp.type.kind};
    StringRef module = names.importModule(imp), field = names.importField(imp);
    for (const auto &[moduleName, list] : args.modules)
      if (moduleName == imp.module)
        for (const LibraryItem &candidate : list)
          if (candidate.alias == imp.field)
            r.item = &candidate;
    if (r.item) {
      if (r.item->kind != imp.type.kind)
        return createError(libName + ": import " + imp.module + "." +
                           imp.field + " is a " + toString(imp.type.kind) +
                           " but the linker provides a " +
                           toString(r.item->kind));
      out.push_back(std::move(r));
      continue;
    }
    const wasm::FuncType *ft = imp.type.kind == ExternType::Kind::Func
                                   ? mod.getFuncType(imp.type.funcType)
                                   : nullptr;
    Expected<std::optional<Intrinsic>> threading =
        classifyThreadingImport(state, libName, imp, ft);
    if (!threading)
      return threading.takeError();
    if (*threading) {
      r.intrinsic = std::move(**threading);
      out.push_back(std::move(r));
      continue;
    }
    if (std::optional<Intrinsic> context =
            ft ? classifyContextImport(module, field, *ft) : std::nullopt) {
      r.intrinsic = std::move(*context);
      out.push_back(std::move(r));
      continue;
    }
    if (module == "$root" && ft &&
        (field.starts_with("[context-get-") ||
         field.starts_with("[context-set-")))
      return createError(libName + ": import $root." + imp.field +
                         " has type " + toString(*ft) +
                         "; expected (func (result i32)) or "
                         "(func (param i32))");
    if (module == "$root" && field == "[thread-new-indirect-v0]" && ft) {
      Shim shim{Shim::Kind::ThreadNewIndirect, "thread.new-indirect", *ft, "",
                ""};
      r.intrinsic = Intrinsic{
          Intrinsic::Kind::Shim, {}, 0, state.addShim(std::move(shim))};
      out.push_back(std::move(r));
      continue;
    }
    if (ft)
      if (std::optional<Intrinsic> builtin =
              classifyBuiltin(state, libName, world, module, field, *ft,
                              importReallocOf(libName, names, mainNames))) {
        r.intrinsic = std::move(*builtin);
        out.push_back(std::move(r));
        continue;
      }
    if (ft) {
      if (std::optional<Intrinsic> wit =
              classifyWitImport(state, libName, imp, module, field,
                                importReallocOf(libName, names, mainNames))) {
        r.intrinsic = std::move(*wit);
        out.push_back(std::move(r));
        continue;
      }
      if (std::optional<Intrinsic> res =
              classifyResourceImport(state, world, module, field)) {
        r.intrinsic = std::move(*res);
        out.push_back(std::move(r));
        continue;
      }
    }
    return createError(libName + ": import " + imp.module + "." + imp.field +
                       " is not provided by the env module, another "
                       "library, its world or a component model intrinsic; "
                       "is a library that exports it missing, or does the "
                       "library's WIT world lack it?");
  }
  return out;
}

/// Materializes the imports of one instantiation: one bag-of-exports core
/// instance per import module, in first-appearance order, each preceded by
/// the aliases and intrinsics it needs. Returns the `with` arguments.
static std::vector<std::pair<StringRef, uint32_t>>
instantiateArgs(ArrayRef<ResolvedImport> imports, uint32_t mainInstance,
                EncodingState &state) {
  std::vector<StringRef> moduleOrder;
  for (const ResolvedImport &r : imports)
    if (!is_contained(moduleOrder, r.module))
      moduleOrder.push_back(r.module);
  std::vector<std::pair<StringRef, uint32_t>> args;
  for (StringRef m : moduleOrder) {
    std::vector<component::CoreExportItem> bag;
    for (const ResolvedImport &r : imports) {
      if (r.module != m)
        continue;
      uint32_t index;
      if (r.item) {
        uint32_t source = r.item->fromLibrary.empty()
                              ? mainInstance
                              : state.instances.lookup(r.item->fromLibrary);
        index = state.aliasCore(source, r.item->exportName, r.item->kind);
      } else {
        index = state.materialize(*r.intrinsic);
      }
      bag.push_back({r.field, r.kind, index});
    }
    args.push_back(
        {m, state.builder.coreInstanceFromExports(bag, state.name(m))});
  }
  return args;
}

/// A core signature as wasm-tools prints it in errors: `[I32, I32] -> [I32]`.
static std::string sigString(const wasm::FuncType &ft) {
  auto list = [](ArrayRef<wasm::ValType> types) {
    std::string out = "[";
    for (size_t i = 0; i < types.size(); ++i) {
      if (i)
        out += ", ";
      std::string t = wasm::toString(types[i]);
      for (char &c : t)
        c = llvm::toUpper(c);
      out += t;
    }
    return out + "]";
  };
  return list(ft.params) + " -> " + list(ft.results);
}

static bool sameSig(const wasm::FuncType &a, const wasm::FuncType &b) {
  auto same = [](ArrayRef<wasm::ValType> x, ArrayRef<wasm::ValType> y) {
    if (x.size() != y.size())
      return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (!wasm::isSameValType(x[i], y[i]))
        return false;
    return true;
  };
  return same(a.params, b.params) && same(a.results, b.results);
}

/// The `component new` checks of a module against its world, worded as
/// wit-component's error chain so scripts matching on it keep working:
/// every world export has a core export of the right type, and every core
/// import is a function of the world with the right type.
/// The core export that implements the world export whose legacy core
/// name is \p coreName: `name` (a synchronous lift), `[async-lift]name` with
/// its `[callback][async-lift]name`, or `[async-lift-stackful]name`.
struct LiftTarget {
  const wasm::Export *core = nullptr;
  wit::AbiVariant variant = wit::AbiVariant::Lift;
  const wasm::Export *callback = nullptr;
};

static Expected<std::optional<LiftTarget>>
findLiftTarget(const CoreNames &names, StringRef coreName) {
  if (const wasm::Export *e = names.findFunc(coreName))
    return LiftTarget{e, wit::AbiVariant::Lift, nullptr};
  std::string async = ("[async-lift]" + coreName).str();
  if (const wasm::Export *e = names.findFunc(async)) {
    const wasm::Export *callback = names.findFunc("[callback]" + async);
    if (!callback)
      return createError("missing callback for `" + async + "`");
    return LiftTarget{e, wit::AbiVariant::LiftAsync, callback};
  }
  if (const wasm::Export *e =
          names.findFunc(("[async-lift-stackful]" + coreName).str()))
    return LiftTarget{e, wit::AbiVariant::LiftAsyncStackful, nullptr};
  return std::nullopt;
}

static Error validateAgainstWorld(const wasm::CoreModule &mod,
                                  const CoreNames &names,
                                  const wit::Resolve &resolve,
                                  wit::WorldId worldId, bool isLibrary,
                                  const StringSet<> &providers = {},
                                  const StringSet<> &adapterImports = {}) {
  const wit::World &world = resolve.get(worldId);
  auto fail = [](const Twine &msg) {
    return createError("failed to decode world from module: module was not "
                       "valid: " +
                       msg);
  };
  auto sigOf = [&](const wasm::Export *e) -> const wasm::FuncType * {
    std::optional<uint32_t> t = mod.getFunctionTypeIndex(e->index);
    return t ? mod.getFuncType(*t) : nullptr;
  };
  // The core function lifted for \p coreName, its signature and the one
  // the lift needs; an error for a missing callback.
  struct Found {
    const wasm::FuncType *have = nullptr;
    wasm::FuncType want;
  };
  auto lookup = [&](StringRef coreName,
                    const wit::Function &f) -> Expected<std::optional<Found>> {
    Expected<std::optional<LiftTarget>> target =
        findLiftTarget(names, coreName);
    if (!target)
      return target.takeError();
    if (!*target || !sigOf((*target)->core))
      return std::nullopt;
    return Found{sigOf((*target)->core),
                 wit::functionAbi(resolve, f, (*target)->variant).core};
  };
  for (const auto &[key, item] : world.exports) {
    std::string name = resolve.nameOf(key);
    if (item.kind == wit::WorldItem::Kind::Function) {
      const wit::Function &f = item.function;
      Expected<std::optional<Found>> found = lookup(f.name, f);
      if (!found)
        return fail(toString(found.takeError()));
      if (!*found)
        return fail("failed to find export of function `" + f.name + "`");
      const wasm::FuncType *ft = (*found)->have;
      const wasm::FuncType &want = (*found)->want;
      if (!sameSig(*ft, want))
        return fail("failed to classify export `" + f.name +
                    "`: failed to validate export for `" + f.name +
                    "`: type mismatch for function `" + f.name +
                    "`: expected `" + sigString(want) + "` but found `" +
                    sigString(*ft) + "`");
      continue;
    }
    if (item.kind != wit::WorldItem::Kind::Interface)
      continue;
    for (const auto &[fname, f] : resolve.get(item.interface).functions) {
      std::string core = name + "#" + f.name;
      Expected<std::optional<Found>> found = lookup(core, f);
      if (!found)
        return fail(toString(found.takeError()));
      if (!*found)
        return fail("failed to find export of interface `" + name +
                    "` function `" + f.name + "`");
      const wasm::FuncType *ft = (*found)->have;
      const wasm::FuncType &want = (*found)->want;
      if (!sameSig(*ft, want))
        return fail("failed to classify export `" + core +
                    "`: failed to validate export for `" + name +
                    "`: type mismatch for function `" + f.name +
                    "`: expected `" + sigString(want) + "` but found `" +
                    sigString(*ft) + "`");
    }
  }
  for (const wasm::ImportEntry &imp : mod.imports) {
    // Adapters and libraries provide these.
    if (providers.contains(imp.module))
      continue;
    StringRef module = names.importModule(imp), field = names.importField(imp);
    const wit::WorldItem *iface = nullptr;
    for (const auto &[key, item] : world.imports)
      if (item.kind == wit::WorldItem::Kind::Interface &&
          resolve.nameOf(key) == module)
        iface = &item;
    // A library's env, GOT and adapter imports are the linker's business;
    // only its WIT imports are checked here.
    if (isLibrary && module != "$root" && !iface)
      continue;
    std::string where =
        ("failed to resolve import `" + imp.module + "::" + imp.field + "`: ")
            .str();
    if (imp.type.kind != ExternType::Kind::Func) {
      if (imp.module == "env" && imp.field == "memory")
        continue;
      return fail(where + "module is only allowed to import functions");
    }
    const wasm::FuncType *have = mod.getFuncType(imp.type.funcType);
    // The drop of a resource the world imports at top level.
    StringRef dropped = field;
    if (module == "$root" && dropped.consume_front("[resource-drop]")) {
      bool isResource = any_of(world.imports, [&](const auto &entry) {
        return entry.second.kind == wit::WorldItem::Kind::Type &&
               entry.first.name == dropped &&
               resolve.get(entry.second.type).kind ==
                   wit::TypeDefKind::Resource;
      });
      if (isResource) {
        wasm::FuncType want;
        want.params.push_back(wasm::i32Type());
        if (have && !sameSig(*have, want))
          return fail(where + "type mismatch for function `" + field +
                      "`: expected `" + sigString(want) + "` but found `" +
                      sigString(*have) + "`");
        continue;
      }
    }
    // Other intrinsics (`[context-get-0]`, `[resource-drop]r` of an
    // interface, ...) are checked when they are classified; at top level
    // anything else in brackets must be a world function.
    static constexpr StringLiteral rootIntrinsics[] = {
        "[context-", "[thread-",       "[cancellable]",   "[waitable",
        "[subtask-", "[backpressure-", "[error-context-", "[future-",
        "[stream-",  "[async-lower]",  "[task-"};
    if (field.starts_with("[") &&
        (module != "$root" || any_of(rootIntrinsics, [&](StringRef p) {
           return field.starts_with(p);
         })))
      continue;
    const wit::Function *f = nullptr;
    if (module == "$root") {
      for (const auto &[key, item] : world.imports)
        if (item.kind == wit::WorldItem::Kind::Function &&
            item.function.name == field)
          f = &item.function;
      if (!f)
        return fail(where + "no top-level imported function `" + field +
                    "` specified");
    } else {
      if (!iface) {
        if (module == "env" || module.starts_with("[export]"))
          continue; // classified later (intrinsics)
        if (adapterImports.contains(module))
          return createError(
              "failed to register indirect shims for main module: missing "
              "component metadata for import of `" +
              imp.module + "::" + imp.field + "`");
        return fail(where + "module requires an import interface named `" +
                    imp.module + "`");
      }
      const wit::Interface &i = resolve.get(iface->interface);
      auto it = i.functions.find(field.str());
      if (it == i.functions.end())
        return fail(where + "failed to validate import interface `" + module +
                    "`: import interface `" + imp.module +
                    "` is missing function `" + imp.field +
                    "` that is required by the module");
      f = &it->second;
    }
    if (f && have) {
      wasm::FuncType want =
          wit::functionAbi(resolve, *f, wit::AbiVariant::Lower).core;
      if (!sameSig(*have, want))
        return fail(
            where +
            (module == "$root"
                 ? std::string()
                 : ("failed to validate import interface `" + module + "`: ")
                       .str()) +
            "type mismatch for function `" + imp.field + "`: expected `" +
            sigString(want) + "` but found `" + sigString(*have) + "`");
    }
  }
  return Error::success();
}

namespace {

/// The root of the component as a type destination (wit-component's
/// RootTypeEncoder): types of \p iface's exports stay anonymous, since the
/// interface's instance cannot refer to them; world-level named types are
/// imported or exported under their names.
class RootTypeEncoder : public wit::ValTypeEncoder {
public:
  RootTypeEncoder(EncodingState &state, std::optional<wit::InterfaceId> iface,
                  bool importTypes)
      : ValTypeEncoder(*state.resolve, state.mapsFor(iface, importTypes)),
        state(state), iface(iface), importTypes(importTypes) {}

protected:
  uint32_t defineType(function_ref<void(raw_ostream &)> encode) override {
    return state.builder.defineType(encode);
  }
  std::optional<uint32_t> exportType(uint32_t index, StringRef name) override {
    if (iface)
      return std::nullopt;
    if (importTypes)
      return state.builder.addImport(
          name, component::ComponentTypeRef::typeEq(index));
    return state.builder.addExport(name, component::ComponentExportKind::Type,
                                   index);
  }
  uint32_t exportResource(StringRef name) override {
    return state.builder.addImport(name,
                                   component::ComponentTypeRef::subResource());
  }
  uint32_t importType(wit::InterfaceId owner, wit::TypeId id) override {
    return state.aliasInstanceType(owner, id);
  }
  std::optional<wit::InterfaceId> interface() const override { return iface; }

private:
  EncodingState &state;
  std::optional<wit::InterfaceId> iface;
  bool importTypes;
};

/// An imported interface's instance type (wit-component's
/// InstanceTypeEncoder): named types are exported from it, types of other
/// interfaces are aliased from their imported instances.
class InstanceTypeEncoder : public wit::ValTypeEncoder {
public:
  InstanceTypeEncoder(EncodingState &state, wit::InterfaceId iface)
      : ValTypeEncoder(*state.resolve, ownMaps), state(state), iface(iface),
        type(component::ComponentTypeEncoder::Kind::Instance) {}

  component::ComponentTypeEncoder &encoder() { return type; }

protected:
  uint32_t defineType(function_ref<void(raw_ostream &)> encode) override {
    return type.addType(encode);
  }
  std::optional<uint32_t> exportType(uint32_t index, StringRef name) override {
    return type.addExport(name, component::ComponentTypeRef::typeEq(index));
  }
  uint32_t exportResource(StringRef name) override {
    return type.addExport(name, component::ComponentTypeRef::subResource());
  }
  uint32_t importType(wit::InterfaceId owner, wit::TypeId id) override {
    return type.aliasOuter(component::OuterAliasKind::Type, 1,
                           state.aliasInstanceType(owner, id));
  }
  std::optional<wit::InterfaceId> interface() const override { return iface; }

private:
  wit::TypeMaps ownMaps;
  EncodingState &state;
  wit::InterfaceId iface;
  component::ComponentTypeEncoder type;
};

/// The component that gives an exported interface's instance its exact type
/// (wit-component's NestedComponentTypeEncoder): while importing, named types
/// become `import-type-NAME` imports; while exporting, exports.
class ShimComponentEncoder : public wit::ValTypeEncoder {
public:
  ShimComponentEncoder(const wit::Resolve &resolve, wit::InterfaceId iface)
      : ValTypeEncoder(resolve, ownMaps), iface(iface) {
    component.setRecordNames(false);
  }

  component::ComponentBuilder component;
  wit::TypeMaps ownMaps;
  wit::InterfaceId iface;
  bool exportTypes = false;
  /// Type imports in order: name and index.
  std::vector<std::pair<std::string, uint32_t>> imports;

  wit::TypeMaps &typeMaps() { return maps; }

protected:
  uint32_t defineType(function_ref<void(raw_ostream &)> encode) override {
    return component.defineType(encode);
  }
  std::optional<uint32_t> exportType(uint32_t index, StringRef name) override {
    if (exportTypes)
      return component.addExport(name, component::ComponentExportKind::Type,
                                 index);
    std::string n = uniqueImportName(name);
    uint32_t r = component.addImport(
        StringRef(n), component::ComponentTypeRef::typeEq(index));
    imports.push_back({n, r});
    return r;
  }
  uint32_t exportResource(StringRef name) override {
    std::string n = uniqueImportName(name);
    uint32_t r = component.addImport(
        StringRef(n), component::ComponentTypeRef::subResource());
    imports.push_back({n, r});
    return r;
  }
  uint32_t importType(wit::InterfaceId, wit::TypeId) override {
    return 0; // never called: interface() is switched to the type's owner
  }
  std::optional<wit::InterfaceId> interface() const override { return iface; }

private:
  std::string uniqueImportName(StringRef name) {
    std::string n = ("import-type-" + name).str();
    for (unsigned i = 0; any_of(imports, [&](auto &p) { return p.first == n; });
         ++i)
      n += std::to_string(i);
    return n;
  }
};

} // namespace

/// The name the shim component imports a lifted function under.
static std::string importFuncName(const wit::Function &f) {
  StringRef item = f.itemName();
  std::string resource;
  if (f.kind == wit::FunctionKind::Method ||
      f.kind == wit::FunctionKind::Static)
    resource = StringRef(f.name).split(']').second.split('.').first.str();
  switch (f.kind) {
  case wit::FunctionKind::Freestanding:
    return ("import-func-" + item).str();
  case wit::FunctionKind::Constructor:
    return ("import-constructor-" + item).str();
  case wit::FunctionKind::Method:
    return "import-method-" + resource + "-" + item.str();
  case wit::FunctionKind::Static:
    return "import-static-" + resource + "-" + item.str();
  }
  return "";
}

/// Decodes every component-type section of \p mod into \p resolve and
/// merges them into one world; std::nullopt when there are none.
/// wit-component's import deduplication: a module that imports the same
/// module and field twice (C declarations of one function under two names
/// do this) gets its later copies renamed `field [v2]`, `field [v3]`, ...,
/// so that instantiation can give each its own item. Returns the rewritten
/// module, or nothing when there are no duplicates.
static std::optional<std::vector<uint8_t>>
renameDuplicateImports(const wasm::CoreModule &mod) {
  constexpr uint8_t ImportSectionId = 2; // core module import section
  std::map<std::pair<StringRef, StringRef>, unsigned> seen;
  std::vector<std::string> fields;
  bool any = false;
  for (const wasm::ImportEntry &imp : mod.imports) {
    unsigned n = ++seen[{imp.module, imp.field}];
    fields.push_back(n == 1 ? imp.field.str()
                            : (imp.field + " [v" + Twine(n) + "]").str());
    any |= n > 1;
  }
  if (!any)
    return std::nullopt;
  SmallString<0> out;
  raw_svector_ostream os(out);
  os << toStringRef(mod.bytes.take_front(8));
  for (const wasm::Section &sec : mod.sections) {
    if (sec.id != ImportSectionId) {
      os << toStringRef(sec.bytesIn(mod.bytes, mod.base));
      continue;
    }
    SmallString<0> payload;
    raw_svector_ostream p(payload);
    wasm::writeUleb128(p, mod.imports.size());
    for (auto [imp, field] : zip(mod.imports, fields))
      wasm::writeImport(p, imp.module, field, imp.type);
    wasm::writeSection(os, sec.id, payload.str());
  }
  return std::vector<uint8_t>(out.begin(), out.end());
}

static Expected<std::optional<wit::WorldId>>
decodeModuleWorld(wit::Resolve &resolve, const wasm::CoreModule &mod,
                  bool semver) {
  std::optional<wit::WorldId> world;
  for (const wasm::Section &sec : mod.sections) {
    if (!sec.isCustom() ||
        !sec.name.starts_with(wasm::ComponentTypeSectionPrefix))
      continue;
    Expected<wit::WorldMetadata> meta =
        wit::decodeWorld(resolve, sec.content, sec.contentOffset);
    if (!meta)
      return addContext(meta.takeError(), "invalid " + sec.name + " section");
    if (!world) {
      world = meta->world;
      continue;
    }
    if (Error e = wit::mergeWorlds(resolve, *world, meta->world, semver))
      return addContext(std::move(e), "merging " + sec.name);
  }
  return world;
}

/// The legacy names of the exports that mean something to the component
/// model under \p world: its functions with their post-returns, resource
/// destructors, memory, reallocs, initializer and task hook.
static std::vector<std::string>
classifiedExportNames(const wit::Resolve &resolve,
                      std::optional<wit::WorldId> world) {
  std::vector<std::string> out = {"memory",
                                  "cabi_realloc",
                                  "cabi_import_realloc",
                                  "cabi_export_realloc",
                                  "canonical_abi_realloc",
                                  "cabi_realloc_adapter",
                                  "_initialize",
                                  "__indirect_function_table",
                                  "__wasm_task_hook"};
  if (!world)
    return out;
  auto addFunc = [&](const std::string &coreName) {
    out.push_back(coreName);
    out.push_back("cabi_post_" + coreName);
  };
  for (const auto &[key, item] : resolve.get(*world).exports) {
    if (item.kind == wit::WorldItem::Kind::Function) {
      addFunc(item.function.name);
      continue;
    }
    if (item.kind != wit::WorldItem::Kind::Interface)
      continue;
    std::string iface = resolve.nameOf(key);
    const wit::Interface &i = resolve.get(item.interface);
    for (const auto &[fname, f] : i.functions)
      addFunc(iface + "#" + f.name);
    for (const auto &[tname, t] : i.types)
      if (resolve.get(t).kind == wit::TypeDefKind::Resource)
        out.push_back(iface + "#[dtor]" + tname);
  }
  return out;
}

/// Prepares adapter \p name for instantiation after \p main: nothing if
/// main imports nothing from it and its world exports nothing (wit-component
/// leaves such an adapter out); otherwise its bytes, garbage-collected down
/// to what main imports from it and what its world exports, are appended
/// to \p buffers, and the returned arguments take its `__main_module__`
/// imports from main's exports and `env.memory` from main's memory. The
/// interfaces its world imports are added to \p worldImports.
static Expected<std::optional<LibraryArgs>>
prepareAdapter(StringRef name, ArrayRef<uint8_t> bytes,
               const wasm::CoreModule &main, const EncoderOptions &options,
               std::vector<std::vector<uint8_t>> &buffers,
               StringSet<> &worldImports) {
  Expected<wasm::CoreModule> mod = wasm::readCoreModule(bytes, 0);
  if (!mod)
    return mod.takeError();
  wit::Resolve scratch;
  Expected<std::optional<wit::WorldId>> world =
      decodeModuleWorld(scratch, *mod, options.mergeImportsBySemver);
  if (!world)
    return world.takeError();
  Expected<CoreNames> names =
      CoreNames::get(*mod, scratch, *world, options.rejectLegacyNames,
                     [](const wasm::ImportEntry &) { return true; });
  if (!names)
    return names.takeError();

  std::vector<std::string> roots;
  for (const wasm::ImportEntry &imp : main.imports)
    if (imp.module == name &&
        !is_contained(roots, originalImportField(imp.field)))
      roots.push_back(originalImportField(imp.field).str());
  bool exportsSomething = *world && !scratch.get(**world).exports.empty();
  if (roots.empty() && !exportsSomething)
    return std::nullopt;
  if (*world)
    for (const auto &[key, item] : scratch.get(**world).imports)
      if (item.kind == wit::WorldItem::Kind::Interface)
        worldImports.insert(scratch.nameOf(key));
  for (const std::string &legacy : classifiedExportNames(scratch, *world))
    if (const wasm::Export *e = names->findExport(legacy))
      if (!is_contained(roots, e->name))
        roots.push_back(e->name.str());
  for (StringRef root : roots)
    if (!mod->findExport(root))
      return createError("adapter module did not export `" + root + "`");

  // The realloc the adapter may import from main: `cabi_realloc_adapter`,
  // else main's general-purpose one.
  std::optional<StringRef> mainRealloc;
  if (!options.reallocViaMemoryGrow)
    for (StringRef n :
         {"cabi_realloc_adapter", "canonical_abi_realloc", "cabi_realloc"})
      if (const wasm::Export *e = main.findExport(n);
          !mainRealloc && e && e->kind == ExternType::Kind::Func)
        mainRealloc = e->name;
  Expected<std::vector<uint8_t>> gced = gcAdapter(*mod, roots, mainRealloc);
  if (!gced)
    return gced.takeError();
  Expected<wasm::CoreModule> small = wasm::readCoreModule(*gced, 0);
  if (!small)
    return small.takeError();

  // What the adapter takes from main.
  LibraryArgs args;
  auto provide = [&](StringRef module, LibraryItem item) {
    for (auto &[m, items] : args.modules)
      if (m == module) {
        items.push_back(std::move(item));
        return;
      }
    args.modules.push_back({module.str(), {std::move(item)}});
  };
  for (const wasm::ImportEntry &imp : small->imports) {
    if (imp.module == "__main_module__") {
      const wasm::Export *e = main.findExport(imp.field);
      if (!e || e->kind != imp.type.kind)
        return createError("module does not export a " +
                           toString(imp.type.kind) + " named `" + imp.field +
                           "`");
      provide(imp.module, {imp.field.str(), imp.type.kind, "", e->name.str()});
    } else if (imp.module == "env" && imp.field == "memory" &&
               imp.type.kind == ExternType::Kind::Memory) {
      const wasm::Export *e = main.findExport("memory");
      if (!e || e->kind != ExternType::Kind::Memory)
        return createError("module does not export a memory named `memory`");
      provide(imp.module, {imp.field.str(), imp.type.kind, "", e->name.str()});
    }
  }
  buffers.push_back(std::move(*gced));
  return std::optional<LibraryArgs>(std::move(args));
}

Expected<std::vector<uint8_t>> ComponentEncoder::encode(FixupHook fixupHook) {
  EncodingState state(options);
  ComponentBuilder &b = state.builder;
  wit::Resolve resolve;
  state.resolve = &resolve;

  // Read every module once; classification needs their imports and types.
  Expected<wasm::CoreModule> mainMod = wasm::readCoreModule(main, 0);
  if (!mainMod)
    return addContext(mainMod.takeError(), "main module");
  std::vector<uint8_t> dedupedMain;
  if (std::optional<std::vector<uint8_t>> renamed =
          renameDuplicateImports(*mainMod)) {
    dedupedMain = std::move(*renamed);
    mainMod = wasm::readCoreModule(dedupedMain, 0);
    if (!mainMod)
      return addContext(mainMod.takeError(), "main module");
  }
  // The modules instantiated after main: the adapters main or the world
  // needs, garbage-collected, then the linked libraries.
  std::vector<Library> libraries;
  std::vector<std::vector<uint8_t>> adapterBuffers;
  adapterBuffers.reserve(adapters.size());
  // Interfaces only an adapter's world imports: main may name them, but
  // wit-component has no metadata (string encoding) for main's lowering.
  StringSet<> adapterOnlyImports;
  for (const Library &adapter : adapters) {
    Expected<std::optional<LibraryArgs>> args =
        prepareAdapter(adapter.name, adapter.bytes, *mainMod, options,
                       adapterBuffers, adapterOnlyImports);
    if (!args)
      return addContext(args.takeError(), "adapter " + adapter.name);
    if (*args)
      libraries.push_back({adapter.name, adapterBuffers.back(),
                           std::move(**args), /*isAdapter=*/true});
  }
  llvm::append_range(libraries, inputLibraries);
  StringSet<> libraryNames, adapterNames;
  for (const Library &lib : libraries) {
    libraryNames.insert(lib.name);
    if (lib.isAdapter)
      adapterNames.insert(lib.name);
  }
  std::vector<wasm::CoreModule> libMods;
  libMods.reserve(libraries.size());
  for (const Library &lib : libraries) {
    Expected<wasm::CoreModule> mod = wasm::readCoreModule(lib.bytes, 0);
    if (!mod)
      return addContext(mod.takeError(), lib.name);
    libMods.push_back(std::move(*mod));
  }

  // Worlds: main's, then each library's, decoded into one Resolve so that
  // an interface several modules name is one interface.
  Expected<std::optional<wit::WorldId>> mainWorld =
      decodeModuleWorld(resolve, *mainMod, options.mergeImportsBySemver);
  if (!mainWorld)
    return mainWorld.takeError();
  // Each module's names in the legacy spelling classification uses.
  Expected<CoreNames> mainNames =
      CoreNames::get(*mainMod, resolve, *mainWorld, options.rejectLegacyNames,
                     [&](const wasm::ImportEntry &imp) {
                       return libraryNames.contains(imp.module);
                     });
  if (!mainNames)
    return addContext(mainNames.takeError(),
                      "failed to decode world from module: module was not "
                      "valid");
  if (*mainWorld)
    if (Error e =
            validateAgainstWorld(*mainMod, *mainNames, resolve, **mainWorld,
                                 false, libraryNames, adapterOnlyImports))
      return std::move(e);
  std::vector<std::optional<wit::WorldId>> libWorlds;
  std::vector<CoreNames> libNames;
  for (unsigned li = 0; li < libraries.size(); ++li) {
    Expected<std::optional<wit::WorldId>> w =
        decodeModuleWorld(resolve, libMods[li], options.mergeImportsBySemver);
    if (!w)
      return addContext(w.takeError(), libraries[li].name);
    const LibraryArgs &args = libraries[li].args;
    Expected<CoreNames> names =
        CoreNames::get(libMods[li], resolve, *w, options.rejectLegacyNames,
                       [&](const wasm::ImportEntry &imp) {
                         return any_of(args.modules, [&](const auto &m) {
                           return m.first == imp.module;
                         });
                       });
    if (!names)
      return addContext(names.takeError(), libraries[li].name);
    if (*w)
      if (Error e = validateAgainstWorld(libMods[li], *names, resolve, **w,
                                         /*isLibrary=*/true))
        return addContext(std::move(e), libraries[li].name);
    libWorlds.push_back(*w);
    libNames.push_back(std::move(*names));
  }
  // The component's world: every module's, merged in instantiation order.
  wit::WorldId merged = resolve.addWorld(wit::World());
  {
    std::vector<std::pair<std::string, std::optional<wit::WorldId>>> all;
    all.push_back({"main module", *mainWorld});
    for (unsigned li = 0; li < libraries.size(); ++li)
      all.push_back({libraries[li].name, libWorlds[li]});
    for (auto &[who, w] : all)
      if (w)
        if (Error e = wit::mergeWorlds(resolve, merged, *w,
                                       options.mergeImportsBySemver))
          return addContext(std::move(e), who);
  }

  // Phase: imports. The merged world's interfaces, each imported if some
  // module uses it, with only the functions modules use (and the types
  // those need); then its functions, likewise.
  // Every module's imports, as (legacy module, legacy field).
  std::vector<std::pair<StringRef, StringRef>> allImports;
  for (const wasm::ImportEntry &imp : mainMod->imports)
    allImports.push_back(
        {mainNames->importModule(imp), mainNames->importField(imp)});
  for (unsigned li = 0; li < libraries.size(); ++li)
    for (const wasm::ImportEntry &imp : libMods[li].imports)
      allImports.push_back(
          {libNames[li].importModule(imp), libNames[li].importField(imp)});
  // The core module names that stand for each imported interface: its
  // own name and, merged by semver, older versions' names.
  auto moduleNamesOf = [&](wit::InterfaceId id) {
    std::vector<std::string> names{*resolve.idOf(id)};
    for (uint32_t i = 0; i < resolve.interfaces.size(); ++i)
      if (i != id.index && wit::semverMatch(resolve, {i}, id) == id &&
          options.mergeImportsBySemver)
        names.push_back(*resolve.idOf({i}));
    return names;
  };
  const wit::World &world = resolve.get(merged);
  for (const auto &exported : world.exports) {
    const wit::WorldItem &item = exported.second;
    if (item.kind == wit::WorldItem::Kind::Interface &&
        any_of(world.imports, [&](const auto &imp) {
          return imp.second.kind == wit::WorldItem::Kind::Interface &&
                 imp.second.interface == item.interface;
        }))
      state.importedAndExported.insert(item.interface.index);
  }
  // The interface of the merged world each core import module names.
  std::map<std::string, wit::InterfaceId, std::less<>> &importedByModule =
      state.importedByModule;
  for (const auto &[key, item] : world.imports)
    if (item.kind == wit::WorldItem::Kind::Interface)
      for (const std::string &m :
           key.interface ? moduleNamesOf(item.interface)
                         : std::vector<std::string>{resolve.nameOf(key)})
        importedByModule.try_emplace(m, item.interface);
  // The live types, as wit-component orders them: the world's type imports,
  // then what each module's imports need (a module's imports grouped by
  // core module name in order of first appearance), then what exports need.
  // Each imported interface's instance type declares the live types it owns,
  // in this order; anonymous types are declared where functions use them.
  wit::LiveTypes live;
  for (const auto &[key, item] : world.imports)
    if (item.kind == wit::WorldItem::Kind::Type)
      live.addTypeId(resolve, item.type);
  auto addLiveImports = [&](const wasm::CoreModule &mod,
                            const CoreNames &names) {
    std::vector<StringRef> moduleOrder;
    std::map<StringRef, std::vector<StringRef>> fields;
    for (const wasm::ImportEntry &imp : mod.imports) {
      if (imp.type.kind != ExternType::Kind::Func)
        continue;
      StringRef m = names.importModule(imp);
      auto [it, isNew] = fields.try_emplace(m);
      if (isNew)
        moduleOrder.push_back(m);
      if (!is_contained(it->second, names.importField(imp)))
        it->second.push_back(names.importField(imp));
    }
    for (StringRef m : moduleOrder) {
      if (adapterNames.contains(m))
        continue;
      for (StringRef field : fields[m]) {
        StringRef r = field;
        // A future or stream intrinsic needs its payload type.
        if (!field.contains("-unit]"))
          if (std::optional<BuiltinSpec> payload =
                  classifyPayload(resolve, merged, m, field, std::nullopt)) {
            live.addTypeId(resolve, payload->payload);
            continue;
          }
        if (m == "$root") {
          for (const auto &[key, item] : world.imports)
            if (item.kind == wit::WorldItem::Kind::Function &&
                item.function.name == withoutAsyncLower(field))
              live.addFunction(resolve, item.function);
        } else if (StringRef exported = m; exported.consume_front("[export]")) {
          if (!(r.consume_front("[resource-new]") ||
                r.consume_front("[resource-rep]") ||
                r.consume_front("[resource-drop]")))
            continue;
          for (const auto &[key, item] : world.exports)
            if (item.kind == wit::WorldItem::Kind::Interface &&
                resolve.nameOf(key) == exported)
              if (std::optional<wit::TypeId> res =
                      findResource(resolve, item.interface, r))
                live.addTypeId(resolve, *res);
        } else if (auto it = importedByModule.find(m);
                   it != importedByModule.end()) {
          if (r.consume_front("[resource-drop]")) {
            if (std::optional<wit::TypeId> res =
                    findResource(resolve, it->second, r))
              live.addTypeId(resolve, *res);
          } else {
            const wit::Interface &iface = resolve.get(it->second);
            auto f = iface.functions.find(withoutAsyncLower(field).str());
            if (f != iface.functions.end())
              live.addFunction(resolve, f->second);
          }
        }
      }
    }
  };
  addLiveImports(*mainMod, *mainNames);
  for (unsigned li = 0; li < libraries.size(); ++li)
    addLiveImports(libMods[li], libNames[li]);
  // Types of imported interfaces that exported interfaces use must be
  // imported too, whether or not a module calls into their interface.
  {
    std::vector<std::optional<wit::WorldId>> ws{*mainWorld};
    ws.insert(ws.end(), libWorlds.begin(), libWorlds.end());
    for (std::optional<wit::WorldId> w : ws) {
      if (!w)
        continue;
      for (const auto &[key, item] : resolve.get(*w).exports) {
        if (item.kind == wit::WorldItem::Kind::Function) {
          live.addFunction(resolve, item.function);
          continue;
        }
        if (item.kind != wit::WorldItem::Kind::Interface)
          continue;
        wit::LiveTypes fromExport;
        fromExport.addInterface(resolve, item.interface);
        for (wit::TypeId t : fromExport.types()) {
          const wit::TypeOwner &owner = resolve.get(t).owner;
          // Types of another interface the world also exports come from
          // that export, not from an import.
          if (owner.kind == wit::TypeOwner::Kind::Interface &&
              owner.interfaceId() != item.interface &&
              !any_of(world.exports, [&](const auto &e) {
                return e.second.kind == wit::WorldItem::Kind::Interface &&
                       e.second.interface == owner.interfaceId();
              }))
            live.addTypeId(resolve, t);
        }
      }
    }
  }
  for (const auto &[key, item] : world.imports) {
    if (item.kind != wit::WorldItem::Kind::Interface)
      continue;
    std::string name = resolve.nameOf(key);
    std::vector<std::string> modNames =
        key.interface ? moduleNamesOf(item.interface)
                      : std::vector<std::string>{name};
    const wit::Interface &iface = resolve.get(item.interface);
    std::vector<const wit::Function *> used;
    for (const auto &[fname, f] : iface.functions) {
      bool isUsed = false;
      for (auto [module, field] : allImports)
        isUsed |= withoutAsyncLower(field) == fname &&
                  is_contained(modNames, module) &&
                  !adapterNames.contains(module);
      if (!isUsed)
        continue;
      used.push_back(&f);
    }
    std::vector<wit::TypeId> owned;
    for (wit::TypeId t : live.types()) {
      const wit::TypeOwner &owner = resolve.get(t).owner;
      if (owner.kind == wit::TypeOwner::Kind::Interface &&
          owner.interfaceId() == item.interface)
        owned.push_back(t);
    }
    if (used.empty() && owned.empty())
      continue;
    InstanceTypeEncoder enc(state, item.interface);
    for (wit::TypeId t : owned)
      enc.encodeValType(wit::Type::of(t));
    for (const wit::Function *f : used) {
      uint32_t t = enc.encodeFuncType(*f);
      enc.encoder().addExport(StringRef(f->name),
                              component::ComponentTypeRef::func(t));
      for (const std::string &m : modNames)
        state.importedSignatures[{m, f->name}] = {item.interface, f};
    }
    if (enc.encoder().empty())
      continue;
    // --import-name OLD=NEW renames the instance import (and its type).
    for (const auto &[from, to] : options.importNames)
      if (from == name)
        name = to;
    uint32_t t = b.defineInstanceType(enc.encoder(), state.name("ty-" + name));
    component::ComponentExternName externName{StringRef(name)};
    if (const std::optional<std::string> &impl =
            resolve.get(item.interface).implements)
      externName.implements = StringRef(*impl);
    state.interfaceInstances[item.interface.index] =
        b.addImport(externName, component::ComponentTypeRef::instance(t));
  }
  for (const auto &[key, item] : world.imports) {
    if (item.kind != wit::WorldItem::Kind::Type)
      continue;
    RootTypeEncoder(state, std::nullopt, /*importTypes=*/true)
        .encodeValType(wit::Type::of(item.type));
  }
  for (const auto &[key, item] : world.imports) {
    if (item.kind != wit::WorldItem::Kind::Function)
      continue;
    const wit::Function &f = item.function;
    bool isUsed = false;
    for (auto [module, field] : allImports)
      isUsed |= module == "$root" && withoutAsyncLower(field) == f.name;
    if (!isUsed)
      continue;
    uint32_t t = RootTypeEncoder(state, std::nullopt, /*importTypes=*/true)
                     .encodeFuncType(f);
    state.importedSignatures[{"$root", f.name}] = {std::nullopt, &f};
    state.importedFuncs[f.name] =
        b.addImport(StringRef(f.name), component::ComponentTypeRef::func(t));
  }

  // Exported resources are defined before anything is instantiated (their
  // intrinsics are imports of the modules that export them), with the
  // other types of exported interfaces; a destructor goes through a shim.
  std::vector<std::pair<unsigned, std::optional<wit::WorldId>>> exporters;
  // Module index MainIndex stands for the main module.
  constexpr unsigned MainIndex = ~0u;
  exporters.push_back({MainIndex, *mainWorld});
  for (unsigned li = 0; li < libraries.size(); ++li)
    exporters.push_back({li, libWorlds[li]});
  auto nameOf = [&](unsigned li) -> StringRef {
    return li == MainIndex ? StringRef("main") : StringRef(libraries[li].name);
  };
  auto namesOf = [&](unsigned li) -> const CoreNames & {
    return li == MainIndex ? *mainNames : libNames[li];
  };
  // Each exported resource, with the shim of its destructor if the module
  // exports one (`iface#[dtor]r`).
  struct PendingResource {
    wit::TypeId resource;
    std::optional<unsigned> dtorShim;
  };
  std::vector<PendingResource> pendingResources;
  std::map<std::pair<unsigned, std::string>, size_t> resourceByDtor;
  for (auto [li, w] : exporters) {
    if (!w)
      continue;
    for (const auto &[key, item] : resolve.get(*w).exports) {
      if (item.kind != wit::WorldItem::Kind::Interface)
        continue;
      std::string name = resolve.nameOf(key);
      for (const auto &[tname, t] : resolve.get(item.interface).types) {
        if (resolve.get(t).kind != wit::TypeDefKind::Resource)
          continue;
        resourceByDtor[{li, name + "#[dtor]" + tname}] =
            pendingResources.size();
        pendingResources.push_back({t, std::nullopt});
      }
    }
  }
  // Destructor shims follow a module's import shims, in the order the
  // module exports them (as wit-component numbers them).
  auto addDtorShims = [&](unsigned li) {
    for (const auto &[legacy, e] : namesOf(li).orderedExports()) {
      auto it = resourceByDtor.find({li, legacy});
      if (it == resourceByDtor.end() || e->kind != ExternType::Kind::Func)
        continue;
      wasm::FuncType sig;
      sig.params.push_back(wasm::i32Type());
      StringRef tname = StringRef(legacy).rsplit("#[dtor]").second;
      pendingResources[it->second].dtorShim =
          state.addShim(Shim{Shim::Kind::ResourceDtor, ("dtor-" + tname).str(),
                             sig, nameOf(li).str(), e->name.str()});
    }
  };

  // A main module that imports its memory gets it from the shim module.
  for (const wasm::ImportEntry &imp : mainMod->imports)
    if (imp.module == "env" && imp.field == "memory" &&
        imp.type.kind == ExternType::Kind::Memory)
      state.importedMemory = imp.type.memory;

  state.hasTaskHook = mainNames->findFunc("__wasm_task_hook") != nullptr;
  // A payload intrinsic's type: encoded as wit-component does, on the import
  // side (without the interface) for imported functions and world-level
  // exports, else on the export side with the interface.
  state.payloadTypeIndex = [&](const BuiltinSpec &spec) {
    bool importSide = spec.imported || !spec.interface;
    return RootTypeEncoder(state, importSide ? std::nullopt : spec.interface,
                           importSide)
        .encodeValType(wit::Type::of(spec.payload))
        .index;
  };
  // Threads, or context slot 1 used directly, put the TLS base in slot 1.
  auto usesSlot1 = [](const wasm::CoreModule &mod, const CoreNames &names) {
    return any_of(mod.imports, [&](const wasm::ImportEntry &imp) {
      StringRef field = names.importField(imp);
      return names.importModule(imp) == "$root" &&
             (field == "[thread-new-indirect-v0]" ||
              field == "[context-get-1]" || field == "[context-set-1]");
    });
  };
  state.tlsInContextSlot1 = usesSlot1(*mainMod, *mainNames);
  for (unsigned li = 0; li < libraries.size(); ++li)
    state.tlsInContextSlot1 |= usesSlot1(libMods[li], libNames[li]);

  // Classification, now that the imported instances are known.
  Expected<std::vector<ResolvedImport>> mainImports =
      resolveMainImports(*mainMod, *mainNames, libraryNames, *mainWorld, state);
  if (!mainImports)
    return mainImports.takeError();
  addDtorShims(MainIndex);
  std::vector<std::vector<ResolvedImport>> libImports;
  for (unsigned li = 0; li < libraries.size(); ++li) {
    Expected<std::vector<ResolvedImport>> imports = resolveLibraryImports(
        libraries[li].name, libMods[li], libNames[li], &*mainNames,
        libraries[li].args, libWorlds[li], state);
    if (!imports)
      return imports.takeError();
    libImports.push_back(std::move(*imports));
    addDtorShims(li);
  }

  // Phase: core modules. main (without its WIT metadata sections), every
  // library, then the shim module.
  std::vector<uint8_t> mainBytes = rewriteModuleForComponent(
      *mainMod, "", mainProducers ? &*mainProducers : nullptr);
  uint32_t mainModule = b.coreModule(mainBytes, state.name("main"));
  std::vector<uint32_t> libModules;
  std::vector<std::vector<uint8_t>> rewritten;
  rewritten.reserve(libraries.size());
  for (unsigned li = 0; li < libraries.size(); ++li) {
    const Library &lib = libraries[li];
    std::string moduleName =
        lib.isAdapter ? "wit-component:adapter:" + lib.name : lib.name;
    rewritten.push_back(rewriteModuleForComponent(
        libMods[li], options.debugNames ? StringRef(moduleName) : StringRef()));
    libModules.push_back(
        b.coreModule(rewritten.back(), state.name(moduleName)));
  }
  std::vector<uint8_t> shimBytes;
  if (!state.shims.empty() || state.importedMemory || state.tlsGlobalType) {
    shimBytes = buildShimModule(state.shims, options.returnCallRef,
                                state.importedMemory, state.tlsGlobalType);
    uint32_t shimModule =
        b.coreModule(shimBytes, state.name("wit-component-shim-module"));
    state.shimInstance = b.coreInstantiate(
        shimModule, {}, state.name("wit-component-shim-instance"));
    if (state.importedMemory)
      state.memoryIndex = state.aliasCore(*state.shimInstance, "$memory",
                                          ExternType::Kind::Memory, "memory");
  }

  // The exported resources and their interfaces' other types.
  for (const PendingResource &p : pendingResources) {
    std::optional<uint32_t> dtor;
    if (p.dtorShim)
      dtor = state.aliasCore(*state.shimInstance, std::to_string(*p.dtorShim),
                             ExternType::Kind::Func,
                             state.shims[*p.dtorShim].debugName);
    state.exportedResources[p.resource.index] = b.defineResource(
        wasm::i32Type(), dtor, state.name(*resolve.get(p.resource).name));
    state.rootMaps.idToIndex[p.resource.index] =
        state.exportedResources[p.resource.index];
  }
  for (auto [li, w] : exporters) {
    if (!w)
      continue;
    for (const auto &[key, item] : resolve.get(*w).exports) {
      if (item.kind != wit::WorldItem::Kind::Interface)
        continue;
      for (const auto &[tname, t] : resolve.get(item.interface).types)
        if (resolve.get(t).kind != wit::TypeDefKind::Resource)
          RootTypeEncoder(state, item.interface, false)
              .encodeValType(wit::Type::of(t));
    }
  }

  // The result types task.return built-ins hand back, declared with the
  // exported types (before anything that uses them is instantiated).
  for (const BuiltinSpec &spec : state.taskReturnRequests)
    if (spec.function->result && !state.taskReturnTypes.count(spec.function))
      state.taskReturnTypes.emplace(
          spec.function, RootTypeEncoder(state, spec.interface, false)
                             .encodeValType(*spec.function->result));

  // Phase: instantiate main, then every library in order.
  std::vector<std::pair<StringRef, uint32_t>> mainArgs =
      instantiateArgs(*mainImports, /*mainInstance=*/0, state);
  uint32_t mainInstance =
      b.coreInstantiate(mainModule, mainArgs, state.name("main"));
  state.instances["main"] = mainInstance;
  // main's memory and realloc, under the names main exports them by.
  const wasm::Export *mainMemoryExport = mainNames->findExport("memory");
  StringRef mainMemory =
      mainMemoryExport ? StringRef(mainMemoryExport->name) : "memory";
  const wasm::Export *mainReallocExport = mainNames->findFunc("cabi_realloc");
  StringRef mainRealloc =
      mainReallocExport ? StringRef(mainReallocExport->name) : "cabi_realloc";
  // The memory canonical options use: the shim module's when main imports
  // it, else main's export.
  bool haveMemory = mainMemoryExport || state.memoryIndex;
  auto memoryOption = [&]() {
    return component::CanonicalOption::memory(
        state.memoryIndex
            ? *state.memoryIndex
            : state.aliasCore(mainInstance, mainMemory,
                              ExternType::Kind::Memory, "memory"));
  };
  if (mainMemoryExport && !state.memoryIndex)
    state.mainMemoryIndex = memoryOption().index;
  for (unsigned li = 0; li < libraries.size(); ++li) {
    std::vector<std::pair<StringRef, uint32_t>> args =
        instantiateArgs(libImports[li], mainInstance, state);
    state.instances[libraries[li].name] =
        b.coreInstantiate(libModules[li], args, state.name(libraries[li].name));
  }

  // Phase: the fixup. Shim targets are imported first ("actual" i), then the
  // caller's steps, then the shim table, filled from the actual functions.
  FixupModule fixup;
  // What fills each shim: its "actual" import, or (with task hooks) a
  // wrapper defined below.
  std::vector<uint32_t> actualFuncs, shimGlobals;
  for (unsigned i = 0; i < state.shims.size(); ++i) {
    actualFuncs.push_back(
        fixup.importFunc("actual", std::to_string(i), state.shims[i].type));
    if (options.returnCallRef)
      shimGlobals.push_back(
          fixup.importFuncRefGlobal("shim", "g" + std::to_string(i),
                                    fixup.internType(state.shims[i].type)));
  }
  // A main module's _initialize runs once everything is instantiated
  // (the `component new` path; the env module of a link has none).
  if (const wasm::Export *init = mainNames->findFunc("_initialize"))
    fixup.addUserStep(fixup.importFunc("main", init->name, wasm::FuncType()));
  if (Error e = fixupHook(fixup))
    return std::move(e);
  // A task hook exported by main (for links, re-exported by env) brackets
  // initialization: hook(6) before constructors, hook(7) after.
  if (const wasm::Export *hook = mainMod->findExport("__wasm_task_hook")) {
    std::optional<uint32_t> type =
        hook->kind == ExternType::Kind::Func
            ? mainMod->getFunctionTypeIndex(hook->index)
            : std::nullopt;
    const wasm::FuncType *ft = type ? mainMod->getFuncType(*type) : nullptr;
    if (ft && ft->params.size() == 1 && ft->results.empty() &&
        wasm::isSameValType(ft->params[0], wasm::i32Type()))
      fixup.setTaskHook(fixup.importFunc("main", "__wasm_task_hook", *ft));
  }
  // With a task hook, the fixup wraps every function the component calls
  // into a module in hook(start) ... hook(end): each lifted export (0/1) and
  // its post-return (10/11), module by module in export order; then every
  // realloc a canonical option may use (12/13); then the resource
  // destructors the shim table holds (8/9). Lifts, options and shims use
  // the wrappers, exported as hook0, hook1, ...
  // Keys are (module index, core export name).
  // In wrapper order (hook0, hook1, ...), the order wit-component aliases
  // them in.
  std::vector<std::pair<std::pair<unsigned, std::string>, std::string>> hooked;
  if (std::optional<uint32_t> hook = fixup.getTaskHook()) {
    struct Wrapper {
      uint32_t target;
      wasm::FuncType type;
      int32_t start, end;
      std::string coreName;
      std::optional<std::pair<unsigned, std::string>> key;
    };
    std::vector<Wrapper> wrappers;
    auto funcType = [&](unsigned li,
                        const wasm::Export &e) -> const wasm::FuncType * {
      const wasm::CoreModule &mod = li == MainIndex ? *mainMod : libMods[li];
      std::optional<uint32_t> t = mod.getFunctionTypeIndex(e.index);
      return t ? mod.getFuncType(*t) : nullptr;
    };
    auto wrap = [&](unsigned li, const wasm::Export &e, int32_t start,
                    int32_t end) {
      const wasm::FuncType *ft = funcType(li, e);
      if (!ft)
        return;
      uint32_t target = fixup.importFunc(nameOf(li), e.name, *ft);
      wrappers.push_back({target, *ft, start, end, e.name.str(),
                          std::make_pair(li, e.name.str())});
    };
    std::vector<unsigned> order{MainIndex};
    for (unsigned li = 0; li < libraries.size(); ++li)
      order.push_back(li);
    for (unsigned li : order) {
      std::optional<wit::WorldId> w =
          li == MainIndex ? *mainWorld : libWorlds[li];
      if (!w)
        continue;
      // The legacy names of the world's exported functions.
      StringSet<> lifted;
      for (const auto &[key, item] : resolve.get(*w).exports) {
        if (item.kind == wit::WorldItem::Kind::Function)
          lifted.insert(item.function.name);
        else if (item.kind == wit::WorldItem::Kind::Interface)
          for (const auto &[fname, f] : resolve.get(item.interface).functions)
            lifted.insert(resolve.nameOf(key) + "#" + f.name);
      }
      const CoreNames &names = namesOf(li);
      for (const auto &[legacy, e] : names.orderedExports()) {
        StringRef base = legacy;
        bool callback = base.consume_front("[async-lift]");
        bool stackful =
            !callback && base.consume_front("[async-lift-stackful]");
        if (e->kind != ExternType::Kind::Func || !lifted.contains(base))
          continue;
        if (callback) {
          // Whether the task finished or waits is in the status code.
          wrap(li, *e, HookAsyncStart, HookEndFromStatus);
          if (const wasm::Export *cb = names.findFunc("[callback]" + legacy))
            wrap(li, *cb, HookAsyncResume, HookEndFromStatus);
        } else if (stackful) {
          wrap(li, *e, HookAsyncStart, HookAsyncFinish);
        } else {
          wrap(li, *e, HookSyncStart, HookSyncFinish);
          if (const wasm::Export *post = names.findFunc("cabi_post_" + legacy))
            wrap(li, *post, HookPostReturnStart, HookPostReturnFinish);
        }
      }
    }
    for (unsigned li : order)
      for (const auto &[legacy, e] : namesOf(li).orderedExports())
        if (e->kind == ExternType::Kind::Func &&
            (legacy == "cabi_realloc" || legacy == "cabi_import_realloc" ||
             legacy == "cabi_export_realloc" ||
             legacy == "canonical_abi_realloc"))
          wrap(li, *e, HookReallocStart, HookReallocFinish);
    // The shim table's destructors and reallocs are filled with wrappers.
    std::vector<std::optional<unsigned>> fillWrapper(state.shims.size());
    for (unsigned i = 0; i < state.shims.size(); ++i) {
      const Shim &shim = state.shims[i];
      if (shim.kind == Shim::Kind::ResourceDtor) {
        fillWrapper[i] = wrappers.size();
        wrappers.push_back({actualFuncs[i], shim.type, HookDtorStart,
                            HookDtorFinish, "resource-dtor", std::nullopt});
      } else if (shim.kind == Shim::Kind::Realloc) {
        unsigned li = MainIndex;
        for (unsigned l = 0; l < libraries.size(); ++l)
          if (libraries[l].name == shim.instance)
            li = l;
        for (unsigned wi = 0; wi < wrappers.size(); ++wi)
          if (wrappers[wi].key &&
              *wrappers[wi].key == std::make_pair(li, shim.exportName))
            fillWrapper[i] = wi;
      }
    }
    std::vector<uint32_t> defined;
    for (unsigned wi = 0; wi < wrappers.size(); ++wi) {
      const Wrapper &w = wrappers[wi];
      uint32_t status = w.type.params.size(); // a local, for async ends
      std::vector<uint8_t> code =
          wasm::encodeInstructions([&](wasm::InstrEmitter &e) {
            e.i32Const(w.start).call(*hook);
            for (unsigned p = 0; p < w.type.params.size(); ++p)
              e.localGet(p);
            e.call(w.target);
            if (w.end == HookEndFromStatus)
              e.localSet(status)
                  .i32Const(HookAsyncBlock)
                  .i32Const(HookAsyncFinish)
                  .localGet(status)
                  .select()
                  .call(*hook)
                  .localGet(status);
            else
              e.i32Const(w.end).call(*hook);
            e.end();
          });
      std::vector<wasm::ValType> locals;
      if (w.end == HookEndFromStatus)
        locals.push_back(wasm::i32Type());
      if (w.key) {
        std::string exportName = "hook" + std::to_string(wi);
        defined.push_back(fixup.addExportedFunction(
            exportName, "hook-" + w.coreName, w.type, code, locals));
        hooked.push_back({*w.key, exportName});
      } else {
        defined.push_back(
            fixup.addFunction("hook-" + w.coreName, w.type, code));
      }
    }
    for (unsigned i = 0; i < state.shims.size(); ++i)
      if (fillWrapper[i])
        actualFuncs[i] = defined[*fillWrapper[i]];
  }
  // In return_call_ref mode the start function first points each shim's
  // global at what fills it.
  if (options.returnCallRef) {
    std::vector<uint8_t> code;
    for (unsigned i = 0; i < state.shims.size(); ++i) {
      std::vector<uint8_t> step =
          wasm::encodeInstructions([&](wasm::InstrEmitter &e) {
            e.refFunc(actualFuncs[i]).globalSet(shimGlobals[i]);
          });
      llvm::append_range(code, step);
    }
    fixup.prependAbiStep(code);
  }
  if (!state.shims.empty()) {
    if (options.returnCallRef) {
      fixup.addDeclaredElements(actualFuncs);
    } else {
      uint32_t table =
          fixup.importTable("shim", "$imports", state.shims.size());
      fixup.addElementsToTable(table, 0, actualFuncs);
    }
  }
  std::map<std::pair<unsigned, std::string>, uint32_t> hookFuncs;
  std::vector<uint8_t> fixupBytes;
  if (!fixup.empty()) {
    fixupBytes = fixup.finish();
    uint32_t fixupModule =
        b.coreModule(fixupBytes, state.name("wit-component-fixup"));

    // The functions the shims stand for, now that everything exists.
    std::vector<component::CoreExportItem> actual;
    std::vector<std::string> actualNames;
    actualNames.reserve(state.shims.size());
    for (unsigned i = 0; i < state.shims.size(); ++i) {
      const Shim &shim = state.shims[i];
      uint32_t f = 0;
      switch (shim.kind) {
      case Shim::Kind::AdapterExport: {
        auto it = state.instances.find(shim.instance);
        if (it == state.instances.end())
          return createError("internal error: no instance " + shim.instance);
        f = state.aliasCore(it->second, shim.exportName,
                            ExternType::Kind::Func);
        break;
      }
      case Shim::Kind::Realloc:
      case Shim::Kind::ResourceDtor: {
        uint32_t inst = state.instances.lookup(shim.instance);
        f = state.aliasCore(inst, shim.exportName, ExternType::Kind::Func);
        break;
      }
      case Shim::Kind::IndirectLowering: {
        wit::FunctionAbi abi = wit::functionAbi(
            resolve, *shim.function,
            shim.async ? wit::AbiVariant::LowerAsync : wit::AbiVariant::Lower);
        uint32_t func =
            state.importedFunc(shim.importedInstance, shim.function->name,
                               "shim|" + std::to_string(i));
        std::vector<component::CanonicalOption> options;
        if (abi.options.memory && !haveMemory)
          return createError("failed to lower " + shim.exportName +
                             ": module does not export a memory named "
                             "`memory`");
        if (abi.options.memory)
          options.push_back(memoryOption());
        if (abi.options.realloc) {
          // The library's own import realloc, else main's.
          uint32_t lib = state.instances.lookup(shim.instance);
          const CoreNames *names =
              shim.instance == "main" ? &*mainNames : nullptr;
          for (unsigned li = 0; li < libraries.size(); ++li)
            if (libraries[li].name == shim.instance)
              names = &libNames[li];
          const wasm::Export *own = nullptr;
          if (names && !(own = names->findFunc("cabi_import_realloc")))
            own = names->findFunc("cabi_realloc");
          uint32_t realloc =
              shim.reallocShim
                  ? state.aliasCore(*state.shimInstance,
                                    std::to_string(*shim.reallocShim),
                                    ExternType::Kind::Func,
                                    state.shims[*shim.reallocShim].debugName)
              : own ? state.aliasCore(lib, own->name, ExternType::Kind::Func)
                    : state.aliasCore(mainInstance, mainRealloc,
                                      ExternType::Kind::Func);
          options.push_back(component::CanonicalOption::realloc(realloc));
        }
        if (abi.options.stringEncoding)
          options.push_back(component::CanonicalOption::utf8());
        if (shim.async)
          options.push_back(component::CanonicalOption::async());
        f = b.canonLower(func, options, state.name(shim.debugName));
        break;
      }
      case Shim::Kind::Builtin: {
        const BuiltinSpec &spec = *shim.builtin;
        if (!haveMemory)
          return createError("failed to lower " + shim.exportName +
                             ": module does not export a memory named "
                             "`memory`");
        uint32_t memory = memoryOption().index;
        std::optional<uint32_t> realloc;
        if (shim.reallocShim) {
          realloc = state.aliasCore(
              *state.shimInstance, std::to_string(*shim.reallocShim),
              ExternType::Kind::Func, state.shims[*shim.reallocShim].debugName);
        } else if (spec.realloc) {
          // (For task.return the alias, named `realloc`, goes unused, as in
          // wit-component.)
          bool taskReturn = spec.op == BuiltinSpec::Op::TaskReturn;
          uint32_t r =
              state.aliasCore(state.instances.lookup(spec.realloc->module),
                              spec.realloc->exportName, ExternType::Kind::Func,
                              taskReturn ? "realloc" : "");
          if (!taskReturn)
            realloc = r;
        }
        f = state.builtin(spec, memory, realloc);
        break;
      }
      case Shim::Kind::ThreadNewIndirect: {
        // A new thread starts at a `(func (param i32))` in the main table.
        wasm::FuncType start;
        start.params.push_back(wasm::i32Type());
        uint32_t type = b.coreFuncType(start, state.name("thread-start"));
        uint32_t table =
            state.aliasCore(mainInstance, "__indirect_function_table",
                            ExternType::Kind::Table, "indirect-function-table");
        f = b.threadNewIndirect(type, table);
        break;
      }
      }
      actualNames.push_back(std::to_string(i));
      actual.push_back({actualNames.back(), ExternType::Kind::Func, f});
    }
    if (!state.shims.empty())
      state.instances["actual"] =
          b.coreInstanceFromExports(actual, state.name("actual"));
    if (state.shimInstance)
      state.instances["shim"] = *state.shimInstance;

    std::vector<std::pair<StringRef, uint32_t>> args;
    for (const std::string &inst : fixup.instanceArgs()) {
      auto it = state.instances.find(inst);
      if (it == state.instances.end())
        return createError("internal error: the fixup module imports from "
                           "unknown instance " +
                           inst);
      args.push_back({inst, it->second});
    }
    uint32_t fixupInstance =
        b.coreInstantiate(fixupModule, args, state.name("fixup"));
    for (auto &[key, exportName] : hooked)
      hookFuncs[key] =
          state.aliasCore(fixupInstance, exportName, ExternType::Kind::Func);
  }

  // Phase: exports, module by module. Functions are lifted from the core
  // export of the same name (`iface#f` for interface functions) with the
  // post-return the module provides as `cabi_post_{name}`; an exported
  // interface is an instance of a small shim component that re-exports the
  // lifted functions with the interface's types.
  auto lift = [&](unsigned li, const wit::Function &f, StringRef coreName,
                  uint32_t type) -> Expected<uint32_t> {
    const CoreNames &names = namesOf(li);
    Expected<std::optional<LiftTarget>> target =
        findLiftTarget(names, coreName);
    if (!target)
      return addContext(target.takeError(), nameOf(li));
    if (!*target)
      return createError(nameOf(li) + ": its world exports " + coreName +
                         " but the module has no function export of that "
                         "name");
    const wasm::Export *core = (*target)->core;
    // A core function of module `from`, or its task-hook wrapper.
    auto coreExport = [&](unsigned from, StringRef name) {
      auto hookedFunc = hookFuncs.find({from, name.str()});
      if (hookedFunc != hookFuncs.end())
        return hookedFunc->second;
      return state.aliasCore(state.instances.lookup(nameOf(from)), name,
                             ExternType::Kind::Func);
    };
    uint32_t coreFunc = coreExport(li, core->name);
    std::vector<component::CanonicalOption> options;
    wit::FunctionAbi abi = wit::functionAbi(resolve, f, (*target)->variant);
    if (abi.options.memory && !haveMemory)
      return createError("failed to lift " + coreName +
                         ": module does not export a memory named `memory`");
    if (abi.options.memory)
      options.push_back(memoryOption());
    if (abi.options.realloc) {
      // The module's own export realloc, else main's.
      const wasm::Export *own = names.findFunc("cabi_export_realloc");
      if (!own)
        own = names.findFunc("cabi_realloc");
      options.push_back(component::CanonicalOption::realloc(
          own ? coreExport(li, own->name)
              : coreExport(MainIndex, mainRealloc)));
    }
    if (abi.options.stringEncoding)
      options.push_back(component::CanonicalOption::utf8());
    if (abi.options.async)
      options.push_back(component::CanonicalOption::async());
    if ((*target)->callback)
      options.push_back(component::CanonicalOption::callback(
          coreExport(li, (*target)->callback->name)));
    if (const wasm::Export *post =
            names.findFunc(("cabi_post_" + coreName).str()))
      options.push_back(
          component::CanonicalOption::postReturn(coreExport(li, post->name)));
    return b.canonLift(coreFunc, type, options, state.name(f.name));
  };
  for (auto [li, w] : exporters) {
    if (!w)
      continue;
    for (const auto &[key, item] : resolve.get(*w).exports) {
      std::string exportName = resolve.nameOf(key);
      if (item.kind == wit::WorldItem::Kind::Function) {
        uint32_t type = RootTypeEncoder(state, std::nullopt, true)
                            .encodeFuncType(item.function);
        Expected<uint32_t> func =
            lift(li, item.function, item.function.name, type);
        if (!func)
          return func.takeError();
        b.addExport(StringRef(exportName), component::ComponentExportKind::Func,
                    *func);
        continue;
      }
      if (item.kind != wit::WorldItem::Kind::Interface)
        continue;
      wit::InterfaceId ifaceId = item.interface;
      const wit::Interface &iface = resolve.get(ifaceId);
      std::vector<std::string> importNames;
      std::vector<component::ComponentItem> args;
      std::vector<uint32_t> lifted;
      for (const auto &[fname, f] : iface.functions) {
        uint32_t type =
            RootTypeEncoder(state, ifaceId, false).encodeFuncType(f);
        Expected<uint32_t> func = lift(li, f, exportName + "#" + f.name, type);
        if (!func)
          return func.takeError();
        lifted.push_back(*func);
        importNames.push_back(importFuncName(f));
      }

      // The shim component. First the types of other interfaces it needs,
      // as imports satisfied from the root.
      ShimComponentEncoder nested(resolve, ifaceId);
      wit::LiveTypes toImport;
      toImport.addInterface(resolve, ifaceId);
      for (wit::TypeId t : toImport.types()) {
        const wit::TypeOwner &owner = resolve.get(t).owner;
        if (owner.kind != wit::TypeOwner::Kind::Interface ||
            owner.interfaceId() == ifaceId)
          continue;
        RootTypeEncoder(state, ifaceId, false).encodeValType(wit::Type::of(t));
        nested.iface = owner.interfaceId();
        nested.encodeValType(wit::Type::of(t));
      }
      nested.iface = ifaceId;
      wit::TypeMaps importedMaps = nested.typeMaps();
      // The interface's resources, imported so the instance re-exports the
      // root's resource instead of defining a new one.
      std::map<uint32_t, uint32_t> resources;
      for (const auto &[tname, t] : iface.types)
        if (resolve.get(t).kind == wit::TypeDefKind::Resource)
          resources[t.index] = nested.encodeValType(wit::Type::of(t)).index;
      std::vector<uint32_t> importedFuncs;
      unsigned fi = 0;
      for (const auto &[fname, f] : iface.functions) {
        uint32_t t = nested.encodeFuncType(f);
        nested.component.addImport(StringRef(importNames[fi++]),
                                   component::ComponentTypeRef::func(t));
      }
      // Type imports are satisfied by what the root encoded for the same
      // ids.
      std::map<uint32_t, uint32_t> reverse;
      for (auto &[id, index] : nested.typeMaps().idToIndex)
        reverse[index] = id;
      wit::TypeMaps &outer = state.mapsFor(ifaceId, /*importTypes=*/false);
      for (auto &[name, index] : nested.imports) {
        auto id = reverse.find(index);
        auto root = id == reverse.end() ? outer.idToIndex.end()
                                        : outer.idToIndex.find(id->second);
        if (root == outer.idToIndex.end())
          return createError("internal error: shim component type import " +
                             name + " has no outer type");
        importNames.push_back(name);
        args.push_back(
            {StringRef(), component::ComponentExportKind::Type, root->second});
      }
      // Then everything re-exported under its own name and type.
      nested.typeMaps() = importedMaps;
      nested.exportTypes = true;
      nested.typeMaps().funcTypes.clear();
      for (const auto &[tname, t] : iface.types) {
        if (resolve.get(t).kind == wit::TypeDefKind::Resource) {
          uint32_t idx = nested.component.addExport(
              StringRef(tname), component::ComponentExportKind::Type,
              resources[t.index]);
          nested.typeMaps().idToIndex[t.index] = idx;
        } else {
          nested.encodeValType(wit::Type::of(t));
        }
      }
      fi = 0;
      for (const auto &[fname, f] : iface.functions) {
        uint32_t t = nested.encodeFuncType(f);
        nested.component.addExport(StringRef(f.name),
                                   component::ComponentExportKind::Func, fi++,
                                   component::ComponentTypeRef::func(t));
      }
      SmallVector<char, 0> shimComponentBytes;
      raw_svector_ostream sos(shimComponentBytes);
      nested.component.finish(sos);
      uint32_t shimComponent =
          b.nestedComponent(ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(
                                                  shimComponentBytes.data()),
                                              shimComponentBytes.size()),
                            state.name(exportName + "-shim-component"));
      std::vector<component::ComponentItem> instArgs;
      for (unsigned i = 0; i < lifted.size(); ++i)
        instArgs.push_back(
            {importNames[i], component::ComponentExportKind::Func, lifted[i]});
      for (unsigned i = 0; i < args.size(); ++i) {
        args[i].name = importNames[lifted.size() + i];
        instArgs.push_back(args[i]);
      }
      uint32_t instance = b.instantiate(
          shimComponent, instArgs, state.name(exportName + "-shim-instance"));
      component::ComponentExternName externName{StringRef(exportName)};
      if (const std::optional<std::string> &impl = iface.implements)
        externName.implements = StringRef(*impl);
      state.interfaceInstances[ifaceId.index] = b.addExport(
          externName, component::ComponentExportKind::Instance, instance);
      // The root's copies of this interface's types were for the lifts;
      // later users take them from the exported instance.
      wit::TypeMaps &maps = state.mapsFor(ifaceId, /*importTypes=*/false);
      for (const auto &[tname, t] : iface.types) {
        maps.idToIndex.erase(t.index);
        if (!resolve.get(t).name)
          maps.defToIndex.erase(wit::defKey(resolve, resolve.get(t)));
      }
    }
  }

  b.producers().add("processed-by", "wcl", WCL_VERSION);
  SmallVector<char, 0> out;
  raw_svector_ostream os(out);
  b.finish(os);
  return std::vector<uint8_t>(out.begin(), out.end());
}
