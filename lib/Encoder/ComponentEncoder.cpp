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
#include "wcl/Component/ComponentBuilder.h"
#include "wcl/Support/Error.h"
#include "wcl/Wasm/Binary.h"
#include "wcl/Wasm/ModuleGC.h"
#include "wcl/Wasm/ModuleReader.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"
#include <map>
#include <optional>
#include <tuple>

using namespace llvm;
using namespace wcl;
using component::ComponentBuilder;
using wasm::ExternType;
using wasm::IndexSpace;

void ComponentEncoder::addLibrary(std::string name, ArrayRef<uint8_t> bytes,
                                  LibraryArgs args) {
  libraries.push_back({std::move(name), bytes, std::move(args)});
}

std::vector<uint8_t>
wcl::rewriteModuleForComponent(const wasm::CoreModule &mod,
                               StringRef moduleName,
                               const wasm::ProducersBuilder *producers) {
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
    if (sec.isCustom() &&
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

/// A scalar WIT function's parameters and result as component types.
static std::vector<component::NamedValType>
funcParams(const WorldShape::Function &f) {
  std::vector<component::NamedValType> params;
  for (const auto &[label, code] : f.params)
    params.push_back({label, component::ComponentValType::prim(code)});
  return params;
}

static std::optional<component::ComponentValType>
funcResult(const WorldShape::Function &f) {
  if (!f.result)
    return std::nullopt;
  return component::ComponentValType::prim(*f.result);
}

/// The canonical ABI of a WorldShape function, whose types are primitives
/// or strings: its flattened core signature and the canonical options it
/// needs when lifted or lowered.
namespace {
struct FunctionAbi {
  bool hasStrings = false;
  bool stringParams = false;
  bool stringResult = false;
  bool spilledParams = false;
  bool spilledResults = false;
  wasm::FuncType lift, lower;
};
} // namespace

static FunctionAbi computeAbi(const WorldShape::Function &f) {
  using TC = wasm::TypeCode;
  auto push = [](TC code, SmallVectorImpl<wasm::ValType> &out) {
    switch (code) {
    case TC::String:
      out.push_back(wasm::i32Type());
      out.push_back(wasm::i32Type());
      break;
    case TC::S64:
    case TC::U64:
      out.push_back(wasm::i64Type());
      break;
    case TC::F32:
      out.push_back(wasm::f32Type());
      break;
    case TC::F64:
      out.push_back(wasm::f64Type());
      break;
    default:
      out.push_back(wasm::i32Type());
    }
  };
  FunctionAbi abi;
  SmallVector<wasm::ValType, 8> params, results;
  for (const auto &[label, code] : f.params) {
    push(code, params);
    abi.stringParams |= code == TC::String;
  }
  if (f.result) {
    push(*f.result, results);
    abi.stringResult = *f.result == TC::String;
  }
  abi.hasStrings = abi.stringParams || abi.stringResult;
  // MAX_FLAT_PARAMS 16 and MAX_FLAT_RESULTS 1: beyond them, values go
  // through memory.
  abi.spilledParams = params.size() > 16;
  abi.spilledResults = results.size() > 1;
  auto assign = [](SmallVectorImpl<wasm::ValType> &to,
                   ArrayRef<wasm::ValType> from) {
    to.assign(from.begin(), from.end());
  };
  if (abi.spilledParams) {
    abi.lift.params.push_back(wasm::i32Type());
    abi.lower.params.push_back(wasm::i32Type());
  } else {
    assign(abi.lift.params, params);
    assign(abi.lower.params, params);
  }
  if (abi.spilledResults) {
    abi.lift.results.push_back(wasm::i32Type()); // returns a pointer
    abi.lower.params.push_back(wasm::i32Type()); // takes a return pointer
  } else {
    assign(abi.lift.results, results);
    assign(abi.lower.results, results);
  }
  return abi;
}

namespace {

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
  };
  Kind kind;
  std::string debugName;
  wasm::FuncType type;
  /// AdapterExport: the instance and its export. IndirectLowering: the
  /// importing library and the imported function's name.
  std::string instance;
  std::string exportName;
  /// IndirectLowering: the imported component instance (none for a
  /// world-level function) and the function.
  std::optional<uint32_t> importedInstance;
  WorldShape::Function function;
};

/// How one import that no library item covers is satisfied.
struct Intrinsic {
  enum class Kind : uint8_t { ContextGet, ContextSet, Shim, Lower };
  Kind kind;
  wasm::ValType valType; ///< ContextGet/ContextSet
  uint32_t slot = 0;     ///< ContextGet/ContextSet
  unsigned shim = 0;     ///< Shim
  /// Lower: the component instance imported for an interface (or none for a
  /// world-level function) and the function's name.
  std::optional<uint32_t> instance;
  std::string function;
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
    case Intrinsic::Kind::Lower:
      // Scalar functions need no canonical options: the lowering is direct.
      return builder.canonLower(importedFunc(in.instance, in.function), {},
                                name(in.function));
    }
    return 0;
  }

  /// The component function for an imported WIT function: an alias of the
  /// imported instance's export (once per instance and name), or the
  /// imported world-level function itself.
  uint32_t importedFunc(std::optional<uint32_t> instance,
                        const std::string &function) {
    if (!instance)
      return importedFuncs.lookup(function);
    auto key = std::make_pair(*instance, function);
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
  std::map<std::pair<uint32_t, std::string>, uint32_t> funcAliases;
  /// The component instance imported for each interface, and the component
  /// function imported for each world-level function.
  StringMap<uint32_t> importedInstances;
  StringMap<uint32_t> importedFuncs;
  /// The WIT function behind each imported (module, field).
  std::map<std::pair<std::string, std::string>, WorldShape::Function>
      importedSignatures;
  /// Root-level function types, deduplicated by signature.
  std::map<std::string, uint32_t> funcTypes;
  std::vector<Shim> shims;
  std::optional<uint32_t> shimInstance;
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
static std::vector<uint8_t> buildShimModule(ArrayRef<Shim> shims,
                                            bool returnCallRef) {
  wasm::CoreModuleBuilder module;
  uint32_t tableIndex = 0;
  if (!returnCallRef) {
    wasm::TableType table;
    table.elemType = wasm::funcRef();
    table.limits.min = shims.size();
    table.limits.max = shims.size();
    tableIndex = module.addTable(table);
  }
  auto toBytes = [](const std::vector<uint8_t> &v) {
    return ArrayRef<uint8_t>(v);
  };
  for (unsigned i = 0; i < shims.size(); ++i) {
    uint32_t type = module.addType(shims[i].type);
    std::optional<uint32_t> global;
    if (returnCallRef) {
      std::vector<uint8_t> trap = wasm::encodeInstructions(
          [](wasm::InstrEmitter &e) { e.unreachable().end(); });
      uint32_t stub = module.addFunction(type, {}, toBytes(trap));
      module.names().setFunctionName(stub, "trap stub before initialization");
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
  if (!returnCallRef)
    module.addExport("$imports", ExternType::Kind::Table, tableIndex);
  module.names().setModuleName("wit-component:shim");
  return module.finish();
}

/// How \p importer's import of WIT function \p module.\p field is satisfied:
/// a direct lowering, or (when the lowering needs memory or realloc, which
/// exist only after main) an indirect shim. std::nullopt when the import is
/// not one of the world's.
static std::optional<Intrinsic> classifyWitImport(EncodingState &state,
                                                  StringRef importer,
                                                  StringRef module,
                                                  StringRef field) {
  auto sig = state.importedSignatures.find({module.str(), field.str()});
  if (sig == state.importedSignatures.end())
    return std::nullopt;
  FunctionAbi abi = computeAbi(sig->second);
  std::optional<uint32_t> instance;
  if (module != "$root")
    instance = state.importedInstances.lookup(module);
  if (abi.hasStrings || abi.spilledParams || abi.spilledResults) {
    Shim shim{Shim::Kind::IndirectLowering,
              ("indirect-" + module + "-" + field).str(),
              abi.lower,
              importer.str(),
              (module + "." + field).str(),
              instance,
              sig->second};
    return Intrinsic{
        Intrinsic::Kind::Shim, {}, 0, state.addShim(std::move(shim))};
  }
  return Intrinsic{Intrinsic::Kind::Lower, {}, 0, 0, instance, field.str()};
}

/// Classifies the imports of the main module: functions of libraries and
/// adapters become shims; `$root.[context-get-1]` is the context slot.
static Expected<std::vector<ResolvedImport>>
resolveMainImports(const wasm::CoreModule &main, const StringSet<> &libraries,
                   EncodingState &state) {
  std::vector<ResolvedImport> out;
  for (const wasm::ImportEntry &imp : main.imports) {
    ResolvedImport r{imp.module, imp.field, imp.type.kind};
    const wasm::FuncType *ft = imp.type.kind == ExternType::Kind::Func
                                   ? main.getFuncType(imp.type.funcType)
                                   : nullptr;
    if (imp.module == "$root" && imp.field == "[context-get-1]" && ft) {
      r.intrinsic = Intrinsic{Intrinsic::Kind::ContextGet, wasm::i32Type(), 1};
    } else if (libraries.contains(imp.module) && ft) {
      Shim shim{Shim::Kind::AdapterExport,
                ("adapt-" + imp.module + "-" + imp.field).str(), *ft,
                imp.module.str(), imp.field.str()};
      r.intrinsic = Intrinsic{
          Intrinsic::Kind::Shim, {}, 0, state.addShim(std::move(shim))};
    } else if (std::optional<Intrinsic> wit =
                   ft ? classifyWitImport(state, "main", imp.module, imp.field)
                      : std::nullopt) {
      r.intrinsic = std::move(*wit);
    } else {
      return createError("the main module imports " + imp.module + "." +
                         imp.field +
                         ", which is neither a library export nor a "
                         "supported intrinsic");
    }
    out.push_back(std::move(r));
  }
  return out;
}

/// Classifies a library's imports: linker items first, then the intrinsics
/// the component model provides.
static Expected<std::vector<ResolvedImport>>
resolveLibraryImports(StringRef libName, const wasm::CoreModule &mod,
                      const LibraryArgs &args, EncodingState &state) {
  std::vector<ResolvedImport> out;
  for (const wasm::ImportEntry &imp : mod.imports) {
    ResolvedImport r{imp.module, imp.field, imp.type.kind};
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
    // The stack pointer of a cooperative thread lives in context slot 0;
    // its type follows the import (i32, or i64 on wasm64).
    if (imp.module == "env" && ft &&
        (imp.field == "__wasm_get_stack_pointer" ||
         imp.field == "__wasm_set_stack_pointer")) {
      bool get = imp.field == "__wasm_get_stack_pointer";
      bool shapeOk = get ? (ft->params.empty() && ft->results.size() == 1)
                         : (ft->params.size() == 1 && ft->results.empty());
      if (!shapeOk)
        return createError(libName + ": import env." + imp.field +
                           " has type " + toString(*ft) +
                           "; expected (func (result i32)) or "
                           "(func (param i32)) and their i64 forms");
      wasm::ValType vt = get ? ft->results[0] : ft->params[0];
      r.intrinsic = Intrinsic{get ? Intrinsic::Kind::ContextGet
                                  : Intrinsic::Kind::ContextSet,
                              vt, 0};
      out.push_back(std::move(r));
      continue;
    }
    // `$root.[context-get-N]` / `[context-set-N]` (legacy names, i32 slots).
    unsigned slot;
    if (imp.module == "$root" && ft &&
        (imp.field.starts_with("[context-get-") ||
         imp.field.starts_with("[context-set-")) &&
        imp.field.ends_with("]") &&
        !imp.field.drop_front(13).drop_back().getAsInteger(10, slot)) {
      bool get = imp.field.starts_with("[context-get-");
      bool shapeOk =
          get ? (ft->params.empty() && ft->results.size() == 1 &&
                 wasm::isSameValType(ft->results[0], wasm::i32Type()))
              : (ft->params.size() == 1 && ft->results.empty() &&
                 wasm::isSameValType(ft->params[0], wasm::i32Type()));
      if (!shapeOk)
        return createError(
            libName + ": import $root." + imp.field + " has type " +
            toString(*ft) + "; expected " +
            (get ? "(func (result i32))" : "(func (param i32))"));
      r.intrinsic = Intrinsic{get ? Intrinsic::Kind::ContextGet
                                  : Intrinsic::Kind::ContextSet,
                              wasm::i32Type(), slot};
      out.push_back(std::move(r));
      continue;
    }
    if (imp.module == "$root" && imp.field == "[thread-new-indirect-v0]" &&
        ft) {
      Shim shim{Shim::Kind::ThreadNewIndirect, "thread.new-indirect", *ft, "",
                ""};
      r.intrinsic = Intrinsic{
          Intrinsic::Kind::Shim, {}, 0, state.addShim(std::move(shim))};
      out.push_back(std::move(r));
      continue;
    }
    if (ft) {
      if (std::optional<Intrinsic> wit =
              classifyWitImport(state, libName, imp.module, imp.field)) {
        r.intrinsic = std::move(*wit);
        out.push_back(std::move(r));
        continue;
      }
    }
    return createError(libName + ": import " + imp.module + "." + imp.field +
                       " is not provided by the env module, another "
                       "library or the world's scalar imports; other WIT "
                       "imports are not implemented yet");
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
static Error validateAgainstWorld(const wasm::CoreModule &mod,
                                  const WorldShape &world, bool isLibrary) {
  auto fail = [](const Twine &msg) {
    return createError("failed to decode world from module: module was not "
                       "valid: " +
                       msg);
  };
  auto coreSig = [&](StringRef name) -> const wasm::FuncType * {
    const wasm::Export *e = mod.findExport(name);
    if (!e || e->kind != ExternType::Kind::Func)
      return nullptr;
    std::optional<uint32_t> t = mod.getFunctionTypeIndex(e->index);
    return t ? mod.getFuncType(*t) : nullptr;
  };
  for (const WorldShape::Function &f : world.functionExports) {
    const wasm::FuncType *ft = coreSig(f.name);
    if (!ft)
      return fail("failed to find export of function `" + f.name + "`");
    wasm::FuncType want = computeAbi(f).lift;
    if (!sameSig(*ft, want))
      return fail("failed to classify export `" + f.name +
                  "`: failed to validate export for `" + f.name +
                  "`: type mismatch for function `" + f.name + "`: expected `" +
                  sigString(want) + "` but found `" + sigString(*ft) + "`");
  }
  for (const WorldShape::Interface &iface : world.interfaceExports)
    for (const WorldShape::Function &f : iface.functions) {
      std::string core = iface.name + "#" + f.name;
      const wasm::FuncType *ft = coreSig(core);
      if (!ft)
        return fail("failed to find export of interface `" + iface.name +
                    "` function `" + f.name + "`");
      wasm::FuncType want = computeAbi(f).lift;
      if (!sameSig(*ft, want))
        return fail("failed to classify export `" + core +
                    "`: failed to validate export for `" + iface.name +
                    "`: type mismatch for function `" + f.name +
                    "`: expected `" + sigString(want) + "` but found `" +
                    sigString(*ft) + "`");
    }
  for (const wasm::ImportEntry &imp : mod.imports) {
    // A library's env, GOT and adapter imports are the linker's business;
    // only its WIT imports are checked here.
    if (isLibrary && imp.module != "$root" &&
        none_of(world.interfaceImports, [&](const WorldShape::Interface &i) {
          return i.name == imp.module;
        }))
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
    const WorldShape::Function *f = nullptr;
    if (imp.module == "$root") {
      for (const WorldShape::Function &g : world.functionImports)
        if (g.name == imp.field)
          f = &g;
      if (!f && !imp.field.starts_with("["))
        return fail(where + "no top-level imported function `" + imp.field +
                    "` specified");
    } else {
      const WorldShape::Interface *iface = nullptr;
      for (const WorldShape::Interface &i : world.interfaceImports)
        if (i.name == imp.module)
          iface = &i;
      if (!iface) {
        if (imp.module == "env" || imp.module.starts_with("[export]"))
          continue; // classified later (intrinsics)
        return fail(where + "module requires an import interface named `" +
                    imp.module + "`");
      }
      for (const WorldShape::Function &g : iface->functions)
        if (g.name == imp.field)
          f = &g;
      if (!f)
        return fail(where + "failed to validate import interface `" +
                    imp.module + "`: import interface `" + imp.module +
                    "` is missing function `" + imp.field +
                    "` that is required by the module");
    }
    if (f && have) {
      wasm::FuncType want = computeAbi(*f).lower;
      if (!sameSig(*have, want))
        return fail(
            where +
            (imp.module == "$root" ? std::string()
                                   : ("failed to validate import interface `" +
                                      imp.module + "`: ")
                                         .str()) +
            "type mismatch for function `" + imp.field + "`: expected `" +
            sigString(want) + "` but found `" + sigString(*have) + "`");
    }
  }
  return Error::success();
}

/// \p hooked's entries in the order their wrappers were exported (hook0,
/// hook1, ...), which is the order wit-component aliases them in.
static std::vector<std::pair<std::pair<unsigned, std::string>, std::string>>
hookedInOrder(
    const std::map<std::pair<unsigned, std::string>, std::string> &hooked) {
  std::vector<std::pair<std::pair<unsigned, std::string>, std::string>> v(
      hooked.begin(), hooked.end());
  llvm::sort(v, [](const auto &a, const auto &b) {
    return std::stoul(a.second.substr(4)) < std::stoul(b.second.substr(4));
  });
  return v;
}

Expected<std::vector<uint8_t>> ComponentEncoder::encode(FixupHook fixupHook) {
  EncodingState state(options);
  ComponentBuilder &b = state.builder;

  // Read every module once; classification needs their imports and types.
  Expected<wasm::CoreModule> mainMod = wasm::readCoreModule(main, 0);
  if (!mainMod)
    return addContext(mainMod.takeError(), "main module");
  if (mainWorld)
    if (Error e = validateAgainstWorld(*mainMod, *mainWorld, false))
      return std::move(e);
  StringSet<> libraryNames;
  for (const Library &lib : libraries)
    libraryNames.insert(lib.name);
  for (const Library &adapter : adapters)
    libraryNames.insert(adapter.name);
  std::vector<wasm::CoreModule> libMods;
  libMods.reserve(libraries.size());
  for (const Library &lib : libraries) {
    Expected<wasm::CoreModule> mod = wasm::readCoreModule(lib.bytes, 0);
    if (!mod)
      return addContext(mod.takeError(), lib.name);
    libMods.push_back(std::move(*mod));
  }

  for (unsigned li = 0; li < libraries.size(); ++li)
    if (Error e = validateAgainstWorld(libMods[li], libraries[li].args.world,
                                       /*isLibrary=*/true))
      return addContext(std::move(e), libraries[li].name);

  // Adapters: keep only what main and the libraries import from them.
  std::vector<std::vector<uint8_t>> adapterBytes;
  for (const Library &adapter : adapters) {
    Expected<wasm::CoreModule> mod = wasm::readCoreModule(adapter.bytes, 0);
    if (!mod)
      return addContext(mod.takeError(), "adapter " + adapter.name);
    if (!mod->imports.empty())
      return createError("adapter " + adapter.name + " imports " +
                         mod->imports.front().module + "." +
                         mod->imports.front().field +
                         "; adapters with imports are not implemented yet");
    for (const wasm::Section &sec : mod->sections)
      if (sec.isCustom() &&
          sec.name.starts_with(wasm::ComponentTypeSectionPrefix)) {
        Expected<WorldShape> shape =
            readWorldShape(sec.content, sec.contentOffset);
        if (!shape)
          return addContext(shape.takeError(), "adapter " + adapter.name);
        if (shape->hasImports || shape->hasExports)
          return createError("adapter " + adapter.name +
                             ": adapters whose world imports or exports "
                             "something are not implemented yet");
      }
    std::vector<StringRef> roots;
    for (const wasm::ImportEntry &imp : mainMod->imports)
      if (imp.module == adapter.name)
        roots.push_back(imp.field);
    // An adapter nothing imports from is left out, as wit-component does.
    if (roots.empty()) {
      adapterBytes.emplace_back();
      continue;
    }
    Expected<std::vector<uint8_t>> gced = wasm::gcModule(*mod, roots);
    if (!gced)
      return addContext(gced.takeError(), "adapter " + adapter.name);
    Expected<wasm::CoreModule> small = wasm::readCoreModule(*gced, 0);
    if (!small)
      return addContext(small.takeError(), "adapter " + adapter.name);
    adapterBytes.push_back(rewriteModuleForComponent(
        *small, options.debugNames
                    ? StringRef("wit-component:adapter:" + adapter.name)
                    : StringRef()));
  }

  // Phase: imports. The worlds' imports, merged in library order (the first
  // declaration of a name wins), each imported if some module uses it, with
  // only the functions modules use.
  auto usedBy = [&](StringRef module, StringRef field) {
    auto uses = [&](const wasm::CoreModule &m) {
      for (const wasm::ImportEntry &imp : m.imports)
        if (imp.module == module && imp.field == field &&
            imp.type.kind == ExternType::Kind::Func)
          return true;
      return false;
    };
    return uses(*mainMod) || any_of(libMods, uses);
  };
  // Main's world first, then the libraries' in order.
  std::vector<const WorldShape *> worlds;
  if (mainWorld)
    worlds.push_back(&*mainWorld);
  for (const Library &lib : libraries)
    worlds.push_back(&lib.args.world);
  StringSet<> seenImports;
  for (const WorldShape *world : worlds) {
    for (const WorldShape::Interface &iface : world->interfaceImports) {
      if (!seenImports.insert(iface.name).second)
        continue;
      component::ComponentTypeEncoder type(
          component::ComponentTypeEncoder::Kind::Instance);
      for (const WorldShape::Function &f : iface.functions) {
        if (!usedBy(iface.name, f.name))
          continue;
        uint32_t t = type.addFuncType(funcParams(f), funcResult(f));
        type.addExport(StringRef(f.name), component::ComponentTypeRef::func(t));
        state.importedSignatures[{iface.name, f.name}] = f;
      }
      if (type.empty())
        continue;
      uint32_t t = b.defineInstanceType(type, state.name("ty-" + iface.name));
      state.importedInstances[iface.name] = b.addImport(
          StringRef(iface.name), component::ComponentTypeRef::instance(t));
    }
    for (const WorldShape::Function &f : world->functionImports) {
      if (!usedBy("$root", f.name) || !seenImports.insert(f.name).second)
        continue;
      uint32_t t = b.defineFuncType(funcParams(f), funcResult(f));
      state.importedSignatures[{"$root", f.name}] = f;
      state.importedFuncs[f.name] =
          b.addImport(StringRef(f.name), component::ComponentTypeRef::func(t));
    }
  }

  // Classification, now that the imported instances are known.
  Expected<std::vector<ResolvedImport>> mainImports =
      resolveMainImports(*mainMod, libraryNames, state);
  if (!mainImports)
    return mainImports.takeError();
  std::vector<std::vector<ResolvedImport>> libImports;
  for (unsigned li = 0; li < libraries.size(); ++li) {
    Expected<std::vector<ResolvedImport>> imports = resolveLibraryImports(
        libraries[li].name, libMods[li], libraries[li].args, state);
    if (!imports)
      return imports.takeError();
    libImports.push_back(std::move(*imports));
  }

  // Phase: core modules. main (without its WIT metadata sections), every
  // library, then the shim module.
  std::vector<uint8_t> mainBytes = rewriteModuleForComponent(
      *mainMod, "", mainProducers ? &*mainProducers : nullptr);
  uint32_t mainModule = b.coreModule(mainBytes, state.name("main"));
  std::vector<std::optional<uint32_t>> adapterModules;
  for (unsigned ai = 0; ai < adapters.size(); ++ai)
    adapterModules.push_back(
        adapterBytes[ai].empty()
            ? std::nullopt
            : std::optional<uint32_t>(b.coreModule(
                  adapterBytes[ai],
                  state.name("wit-component:adapter:" + adapters[ai].name))));
  std::vector<uint32_t> libModules;
  std::vector<std::vector<uint8_t>> rewritten;
  rewritten.reserve(libraries.size());
  for (unsigned li = 0; li < libraries.size(); ++li) {
    const Library &lib = libraries[li];
    rewritten.push_back(rewriteModuleForComponent(
        libMods[li], options.debugNames ? StringRef(lib.name) : StringRef()));
    libModules.push_back(b.coreModule(rewritten.back(), state.name(lib.name)));
  }
  std::vector<uint8_t> shimBytes;
  if (!state.shims.empty()) {
    shimBytes = buildShimModule(state.shims, options.returnCallRef);
    uint32_t shimModule =
        b.coreModule(shimBytes, state.name("wit-component-shim-module"));
    state.shimInstance = b.coreInstantiate(
        shimModule, {}, state.name("wit-component-shim-instance"));
  }

  // Phase: instantiate main, then every library in order.
  std::vector<std::pair<StringRef, uint32_t>> mainArgs =
      instantiateArgs(*mainImports, /*mainInstance=*/0, state);
  uint32_t mainInstance =
      b.coreInstantiate(mainModule, mainArgs, state.name("main"));
  state.instances["main"] = mainInstance;
  if (mainMod->findExport("memory"))
    state.aliasCore(mainInstance, "memory", ExternType::Kind::Memory);
  for (unsigned ai = 0; ai < adapters.size(); ++ai)
    if (adapterModules[ai])
      state.instances[adapters[ai].name] = b.coreInstantiate(
          *adapterModules[ai], {}, state.name(adapters[ai].name));
  for (unsigned li = 0; li < libraries.size(); ++li) {
    std::vector<std::pair<StringRef, uint32_t>> args =
        instantiateArgs(libImports[li], mainInstance, state);
    state.instances[libraries[li].name] =
        b.coreInstantiate(libModules[li], args, state.name(libraries[li].name));
  }

  // Phase: the fixup. Shim targets are imported first ("actual" i), then the
  // caller's steps, then the shim table, filled from the actual functions.
  FixupModule fixup;
  std::vector<uint32_t> actualFuncs;
  for (unsigned i = 0; i < state.shims.size(); ++i) {
    uint32_t f =
        fixup.importFunc("actual", std::to_string(i), state.shims[i].type);
    actualFuncs.push_back(f);
    if (options.returnCallRef) {
      uint32_t g =
          fixup.importFuncRefGlobal("shim", "g" + std::to_string(i),
                                    fixup.internType(state.shims[i].type));
      fixup.addAbiStep(wasm::encodeInstructions(
          [&](wasm::InstrEmitter &e) { e.refFunc(f).globalSet(g); }));
    }
  }
  // A main module's _initialize runs once everything is instantiated
  // (the `component new` path; the env module of a link has none).
  if (const wasm::Export *init = mainMod->findExport("_initialize"))
    if (init->kind == ExternType::Kind::Func)
      fixup.addUserStep(
          fixup.importFunc("main", "_initialize", wasm::FuncType()));
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
  // With a task hook, every lifted export runs between hook(0) and hook(1):
  // the fixup wraps it, and the lift uses the wrapper.
  std::map<std::pair<unsigned, std::string>, std::string> hooked;
  if (std::optional<uint32_t> hook = fixup.getTaskHook()) {
    unsigned n = 0;
    for (unsigned li = 0; li < libraries.size(); ++li) {
      std::vector<std::string> coreNames;
      const WorldShape &world = libraries[li].args.world;
      for (const WorldShape::Interface &iface : world.interfaceExports)
        for (const WorldShape::Function &f : iface.functions)
          coreNames.push_back(iface.name + "#" + f.name);
      for (const WorldShape::Function &f : world.functionExports)
        coreNames.push_back(f.name);
      for (const std::string &coreName : coreNames) {
        const wasm::Export *exp = libMods[li].findExport(coreName);
        std::optional<uint32_t> typeIndex =
            exp && exp->kind == ExternType::Kind::Func
                ? libMods[li].getFunctionTypeIndex(exp->index)
                : std::nullopt;
        const wasm::FuncType *ft =
            typeIndex ? libMods[li].getFuncType(*typeIndex) : nullptr;
        if (!ft)
          continue; // reported when the export is lifted
        uint32_t target = fixup.importFunc(libraries[li].name, coreName, *ft);
        std::vector<uint8_t> code =
            wasm::encodeInstructions([&](wasm::InstrEmitter &e) {
              e.i32Const(0).call(*hook);
              for (unsigned p = 0; p < ft->params.size(); ++p)
                e.localGet(p);
              e.call(target).i32Const(1).call(*hook).end();
            });
        std::string exportName = "hook" + std::to_string(n++);
        fixup.addExportedFunction(exportName, "hook-" + coreName, *ft, code);
        hooked[{li, coreName}] = exportName;
      }
    }
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
      case Shim::Kind::IndirectLowering: {
        FunctionAbi abi = computeAbi(shim.function);
        uint32_t func =
            state.importedFunc(shim.importedInstance, shim.function.name);
        std::vector<component::CanonicalOption> options;
        options.push_back(component::CanonicalOption::memory(
            state.aliasCore(mainInstance, "memory", ExternType::Kind::Memory)));
        if (abi.stringResult || abi.spilledResults) {
          // The library's own import realloc, else main's.
          uint32_t lib = state.instances.lookup(shim.instance);
          const wasm::CoreModule *mod =
              shim.instance == "main" ? &*mainMod : nullptr;
          for (unsigned li = 0; li < libraries.size(); ++li)
            if (libraries[li].name == shim.instance)
              mod = &libMods[li];
          uint32_t realloc = 0;
          if (mod && mod->findExport("cabi_import_realloc"))
            realloc = state.aliasCore(lib, "cabi_import_realloc",
                                      ExternType::Kind::Func);
          else if (mod && mod->findExport("cabi_realloc"))
            realloc =
                state.aliasCore(lib, "cabi_realloc", ExternType::Kind::Func);
          else
            realloc = state.aliasCore(mainInstance, "cabi_realloc",
                                      ExternType::Kind::Func);
          options.push_back(component::CanonicalOption::realloc(realloc));
        }
        if (abi.hasStrings)
          options.push_back(component::CanonicalOption::utf8());
        f = b.canonLower(func, options, state.name(shim.debugName));
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
    for (auto &[key, exportName] : hookedInOrder(hooked))
      hookFuncs[key] =
          state.aliasCore(fixupInstance, exportName, ExternType::Kind::Func);
  }

  // Phase: exports, library by library. Functions are lifted from the core
  // export of the same name (`iface#f` for interface functions) with the
  // post-return the module provides as `cabi_post_{name}`; an exported
  // interface is an instance of a small shim component that re-exports the
  // lifted functions with their types.
  auto funcType = [&](const WorldShape::Function &f) {
    std::string key;
    for (const auto &[label, code] : f.params)
      key += label + ":" + std::to_string(unsigned(code)) + ",";
    key += "->" + (f.result ? std::to_string(unsigned(*f.result)) : "");
    auto it = state.funcTypes.find(key);
    if (it == state.funcTypes.end())
      it = state.funcTypes
               .emplace(key, b.defineFuncType(funcParams(f), funcResult(f)))
               .first;
    return it->second;
  };
  // Module index MainIndex stands for the main module.
  constexpr unsigned MainIndex = ~0u;
  auto moduleOf = [&](unsigned li) -> const wasm::CoreModule & {
    return li == MainIndex ? *mainMod : libMods[li];
  };
  auto nameOf = [&](unsigned li) -> StringRef {
    return li == MainIndex ? StringRef("main") : StringRef(libraries[li].name);
  };
  auto lift = [&](unsigned li, const WorldShape::Function &f,
                  StringRef coreName) -> Expected<uint32_t> {
    const wasm::CoreModule &mod = moduleOf(li);
    const wasm::Export *core = mod.findExport(coreName);
    if (!core || core->kind != ExternType::Kind::Func)
      return createError(nameOf(li) + ": its world exports " + coreName +
                         " but the module has no function export of that "
                         "name");
    uint32_t type = funcType(f);
    uint32_t instance = state.instances.lookup(nameOf(li));
    auto hookedFunc = hookFuncs.find({li, coreName.str()});
    uint32_t coreFunc =
        hookedFunc != hookFuncs.end()
            ? hookedFunc->second
            : state.aliasCore(instance, coreName, ExternType::Kind::Func);
    std::vector<component::CanonicalOption> options;
    FunctionAbi abi = computeAbi(f);
    if (abi.hasStrings || abi.spilledParams || abi.spilledResults)
      options.push_back(component::CanonicalOption::memory(
          state.aliasCore(mainInstance, "memory", ExternType::Kind::Memory)));
    if (abi.stringParams || abi.spilledParams) {
      // The module's own export realloc, else main's.
      StringRef reallocName = mod.findExport("cabi_export_realloc")
                                  ? "cabi_export_realloc"
                                  : "cabi_realloc";
      uint32_t from = mod.findExport(reallocName) ? instance : mainInstance;
      options.push_back(component::CanonicalOption::realloc(
          state.aliasCore(from, reallocName, ExternType::Kind::Func)));
    }
    if (abi.hasStrings)
      options.push_back(component::CanonicalOption::utf8());
    std::string post = ("cabi_post_" + coreName).str();
    if (mod.findExport(post))
      options.push_back(component::CanonicalOption::postReturn(
          state.aliasCore(instance, post, ExternType::Kind::Func)));
    return b.canonLift(coreFunc, type, options, state.name(f.name));
  };
  std::vector<std::pair<unsigned, const WorldShape *>> exporters;
  if (mainWorld)
    exporters.push_back({MainIndex, &*mainWorld});
  for (unsigned li = 0; li < libraries.size(); ++li)
    exporters.push_back({li, &libraries[li].args.world});
  for (auto [li, worldPtr] : exporters) {
    const WorldShape &world = *worldPtr;
    for (const WorldShape::Interface &iface : world.interfaceExports) {
      std::vector<uint32_t> lifted;
      for (const WorldShape::Function &f : iface.functions) {
        Expected<uint32_t> func = lift(li, f, iface.name + "#" + f.name);
        if (!func)
          return func.takeError();
        lifted.push_back(*func);
      }
      // The shim component: import every function, then export each with
      // its type, so the instance has the interface's exact shape.
      component::ComponentBuilder shim;
      shim.setRecordNames(false);
      std::vector<uint32_t> imported;
      std::vector<std::string> importNames;
      for (const WorldShape::Function &f : iface.functions) {
        uint32_t t = shim.defineFuncType(funcParams(f), funcResult(f));
        importNames.push_back("import-func-" + f.name);
        imported.push_back(
            shim.addImport(StringRef(importNames.back()),
                           component::ComponentTypeRef::func(t)));
      }
      for (unsigned i = 0; i < iface.functions.size(); ++i) {
        const WorldShape::Function &f = iface.functions[i];
        uint32_t t = shim.defineFuncType(funcParams(f), funcResult(f));
        shim.addExport(StringRef(f.name), component::ComponentExportKind::Func,
                       imported[i], component::ComponentTypeRef::func(t));
      }
      SmallVector<char, 0> shimBytes;
      raw_svector_ostream sos(shimBytes);
      shim.finish(sos);
      uint32_t shimComponent = b.nestedComponent(
          ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(shimBytes.data()),
                            shimBytes.size()),
          state.name(iface.name + "-shim-component"));
      std::vector<component::ComponentItem> args;
      for (unsigned i = 0; i < iface.functions.size(); ++i)
        args.push_back(
            {importNames[i], component::ComponentExportKind::Func, lifted[i]});
      uint32_t instance = b.instantiate(
          shimComponent, args, state.name(iface.name + "-shim-instance"));
      b.addExport(StringRef(iface.name),
                  component::ComponentExportKind::Instance, instance);
    }
    for (const WorldShape::Function &f : world.functionExports) {
      Expected<uint32_t> func = lift(li, f, f.name);
      if (!func)
        return func.takeError();
      b.addExport(StringRef(f.name), component::ComponentExportKind::Func,
                  *func);
    }
  }

  b.producers().add("processed-by", "wcl", WCL_VERSION);
  SmallVector<char, 0> out;
  raw_svector_ostream os(out);
  b.finish(os);
  return std::vector<uint8_t>(out.begin(), out.end());
}
