//===- ModuleValidator.cpp - Module-level rules of core modules -----------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The module-level rules of the core specification over a decoded
/// CoreModule: types and their supertypes, imports, tables, memories,
/// globals, tags, exports, the start function, element and data segments.
/// Constant expressions and function bodies are checked by
/// FuncValidator.cpp. The result is the module's type, for the component
/// validator's instantiation checks.
///
//===----------------------------------------------------------------------===//

#include "ModuleValidator.h"
#include "wcl/Support/Error.h"
#include "llvm/ADT/StringSet.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::validate;
using namespace wcl::wasm;

Error ModuleContext::toArena(RefType &r, uint64_t offset) const {
  if (r.heapType < 0)
    return Error::success();
  if (uint64_t(r.heapType) >= types.size())
    return createErrorAt(offset, "unknown type " + Twine(r.heapType) +
                                     ": type index out of bounds");
  r.heapType = types[r.heapType];
  return Error::success();
}

Error ModuleContext::toArena(ValType &v, uint64_t offset) const {
  if (v.code == 0x7b && !features.has(Feature::Simd))
    return createErrorAt(offset, "SIMD support is not enabled");
  if (!v.isRef())
    return Error::success();
  if (v.ref.heapType >= 0 && !features.has(Feature::FunctionReferences))
    return createErrorAt(offset,
                         "function references required for index reference "
                         "types");
  if (v.ref.heapType == heaptype::Exn && !features.has(Feature::Exceptions))
    return createErrorAt(offset, "exceptions proposal not enabled");
  return toArena(v.ref, offset);
}

/// Translates and checks the types of one rec group.
Error validate::addRecGroup(const RecGroup &group, uint64_t offset,
                            std::vector<TypeId> &space, TypeArena &arena,
                            const Features &features) {
  TypeId first = TypeId(arena.core.size());
  uint32_t base = uint32_t(space.size());
  uint32_t size = uint32_t(group.types.size());
  if (group.explicitRec && !features.has(Feature::Gc))
    return createErrorAt(offset, "rec group usage requires `gc` proposal to "
                                 "be enabled");
  // The group's own members may be referenced from inside it.
  for (uint32_t i = 0; i < size; ++i)
    space.push_back(first + i);
  Features f = features;
  ModuleContext ctx(f, arena);
  ctx.types = space;
  for (uint32_t i = 0; i < size; ++i) {
    SubType t = group.types[i];
    if (t.composite.kind != CompositeType::Kind::Func &&
        !features.has(Feature::Gc))
      return createErrorAt(offset, "gc proposal must be enabled to use "
                                   "struct and array types");
    if ((!t.isFinal || !t.supertypes.empty()) && !features.has(Feature::Gc))
      return createErrorAt(offset, "gc proposal must be enabled to use "
                                   "subtypes");
    if (t.composite.shared && !features.has(Feature::SharedEverythingThreads))
      return createErrorAt(offset, "shared composite types require the "
                                   "shared-everything-threads proposal");
    for (ValType &v : t.composite.func.params)
      if (Error e = ctx.toArena(v, offset))
        return e;
    for (ValType &v : t.composite.func.results)
      if (Error e = ctx.toArena(v, offset))
        return e;
    for (FieldType &ft : t.composite.fields)
      if (Error e = ctx.toArena(ft.type, offset))
        return e;
    if (t.composite.kind == CompositeType::Kind::Cont) {
      if (!features.has(Feature::StackSwitching))
        return createErrorAt(offset, "cannot use continuation types without "
                                     "the stack-switching proposal");
      if (t.composite.contType >= space.size())
        return createErrorAt(offset, "unknown type " +
                                         Twine(t.composite.contType) +
                                         ": type index out of bounds");
      t.composite.contType = space[t.composite.contType];
    }
    if (t.supertypes.size() > 1)
      return createErrorAt(offset, "a subtype may only declare a single "
                                   "supertype");
    for (uint32_t &s : t.supertypes) {
      if (s >= base + i)
        return createErrorAt(offset, "supertype index " + Twine(s) +
                                         " is out of bounds");
      s = space[s];
      const SubType &sup = arena.core[s];
      if (sup.isFinal)
        return createErrorAt(offset, "sub type cannot have a final super "
                                     "type");
      if (sup.composite.kind != t.composite.kind)
        return createErrorAt(offset, "sub type must match super type");
    }
    arena.addCore(std::move(t), first, size);
  }
  return Error::success();
}

Error validate::checkLimits(const Limits &l, bool isTable, uint64_t offset,
                            const Features &features) {
  if (l.is64 && !features.has(Feature::Memory64))
    return createErrorAt(offset, Twine(isTable ? "table" : "memory") +
                                     "64 must be enabled for 64-bit " +
                                     (isTable ? "tables" : "memories"));
  if (l.max && l.min > *l.max)
    return createErrorAt(offset, Twine(isTable ? "size" : "size") +
                                     " minimum must not be greater than "
                                     "maximum");
  if (isTable) {
    uint64_t limit = l.is64 ? UINT64_MAX : UINT32_MAX;
    if (l.min > limit || (l.max && *l.max > limit))
      return createErrorAt(offset, "table size must be at most " +
                                       Twine(limit) + " entries");
    if (l.shared && !features.has(Feature::SharedEverythingThreads))
      return createErrorAt(offset, "shared tables require the "
                                   "shared-everything-threads proposal");
    return Error::success();
  }
  if (l.pageSizeLog2) {
    if (!features.has(Feature::CustomPageSizes))
      return createErrorAt(offset, "the custom page sizes proposal must be "
                                   "enabled to customize a memory's page "
                                   "size");
    if (*l.pageSizeLog2 != 0 && *l.pageSizeLog2 != 16)
      return createErrorAt(offset, "invalid custom page size");
  }
  uint32_t log2 = l.pageSizeLog2.value_or(16);
  uint64_t maxPages = l.is64 ? (log2 == 0 ? UINT64_MAX : 1ull << (64 - log2))
                             : (1ull << (32 - log2));
  if (l.min > maxPages || (l.max && *l.max > maxPages)) {
    if (l.pageSizeLog2)
      return createErrorAt(offset, "memory size must be at most 0x" +
                                       Twine::utohexstr(maxPages) + " " +
                                       Twine(1ull << log2) + "-byte pages");
    return createErrorAt(offset,
                         l.is64 ? Twine("memory size must be at most 2**48 "
                                        "pages")
                                : Twine("memory size must be at most 65536 "
                                        "pages (4GiB)"));
  }
  if (l.shared) {
    if (!features.has(Feature::Threads))
      return createErrorAt(offset, "threads must be enabled for shared "
                                   "memories");
    if (!l.max)
      return createErrorAt(offset, "shared memory must have maximum size");
  }
  return Error::success();
}

namespace {

class ModuleValidator {
public:
  ModuleValidator(const CoreModule &m, const Features &f, TypeArena &arena)
      : m(m), ctx(f, arena) {}

  Expected<TypeId> run();

private:
  /// The offset of the first section with \p id, for items that carry none.
  uint64_t sectionOffset(uint8_t id) const {
    for (const Section &s : m.sections)
      if (s.id == id)
        return s.payloadOffset;
    return m.base;
  }
  Error checkTypes();
  Error checkImport(const ImportEntry &imp, ModuleType &type);
  Error checkFuncTypeIndex(uint32_t index, uint64_t offset);
  Error checkTagType(const TagType &t, uint64_t offset);
  Error checkGlobalType(GlobalType &g, uint64_t offset);
  Error checkTableType(TableType &t, uint64_t offset);
  Error checkDefinitions();
  Error checkExports(ModuleType &type);
  Error checkStart();
  Error checkElems();
  Error checkData();
  Error checkBodies();
  CoreExtern externOf(ExternType::Kind kind, uint32_t index) const;

  const CoreModule &m;
  ModuleContext ctx;
};

} // namespace

Error ModuleValidator::checkTypes() {
  // The reader flattened the rec groups; rebuild each group from it.
  for (const RecGroupInfo &g : m.recGroups) {
    RecGroup group;
    group.explicitRec = g.explicitRec;
    for (uint32_t i = 0; i < g.numTypes; ++i)
      group.types.push_back(m.types[g.firstType + i]);
    if (Error e = addRecGroup(group, sectionOffset(1), ctx.types, ctx.arena,
                              ctx.features))
      return e;
  }
  return Error::success();
}

Error ModuleValidator::checkFuncTypeIndex(uint32_t index, uint64_t offset) {
  if (index >= ctx.types.size())
    return createErrorAt(offset, "unknown type " + Twine(index) +
                                     ": type index out of bounds");
  if (!ctx.funcType(ctx.types[index]))
    return createErrorAt(offset, "type index " + Twine(index) +
                                     " is not a function type");
  return Error::success();
}

Error ModuleValidator::checkTagType(const TagType &t, uint64_t offset) {
  if (!ctx.features.has(Feature::Exceptions))
    return createErrorAt(offset, "exceptions proposal not enabled");
  if (Error e = checkFuncTypeIndex(t.typeIndex, offset))
    return e;
  if (!ctx.funcType(ctx.types[t.typeIndex])->results.empty())
    return createErrorAt(offset, "invalid exception type: non-empty tag "
                                 "result type");
  return Error::success();
}

Error ModuleValidator::checkGlobalType(GlobalType &g, uint64_t offset) {
  if (g.shared && !ctx.features.has(Feature::SharedEverythingThreads))
    return createErrorAt(offset, "shared globals require the "
                                 "shared-everything-threads proposal");
  return ctx.toArena(g.type, offset);
}

Error ModuleValidator::checkTableType(TableType &t, uint64_t offset) {
  if (Error e = ctx.toArena(t.elemType, offset))
    return e;
  if (!(t.elemType.nullable && t.elemType.heapType == heaptype::Func) &&
      !ctx.features.has(Feature::ReferenceTypes))
    return createErrorAt(offset, "reference types support is not enabled");
  return checkLimits(t.limits, true, offset, ctx.features);
}

Error ModuleValidator::checkImport(const ImportEntry &imp, ModuleType &type) {
  ExternType t = imp.type;
  CoreExtern ce;
  ce.kind = t.kind;
  switch (t.kind) {
  case ExternType::Kind::Func:
    if (Error e = checkFuncTypeIndex(t.funcType, imp.offset))
      return e;
    ce.func = ctx.types[t.funcType];
    ctx.funcs.push_back(ce.func);
    break;
  case ExternType::Kind::Table:
    if (Error e = checkTableType(t.table, imp.offset))
      return e;
    ce.table = t.table;
    ctx.tables.push_back(t.table);
    break;
  case ExternType::Kind::Memory:
    if (Error e = checkLimits(t.memory.limits, false, imp.offset, ctx.features))
      return e;
    ce.memory = t.memory;
    ctx.memories.push_back(t.memory);
    break;
  case ExternType::Kind::Global:
    if (t.global.mutable_ && !ctx.features.has(Feature::MutableGlobal))
      return createErrorAt(imp.offset, "mutable global support is not "
                                       "enabled");
    if (Error e = checkGlobalType(t.global, imp.offset))
      return e;
    ce.global = t.global;
    ctx.globals.push_back(t.global);
    break;
  case ExternType::Kind::Tag:
    if (Error e = checkTagType(t.tag, imp.offset))
      return e;
    ce.func = ctx.types[t.tag.typeIndex];
    ctx.tags.push_back(ce.func);
    break;
  }
  type.imports.push_back({imp.module.str(), imp.field.str(), ce});
  return Error::success();
}

Error ModuleValidator::checkDefinitions() {
  uint64_t at = sectionOffset(3);
  for (uint32_t t : m.funcTypes) {
    if (Error e = checkFuncTypeIndex(t, at))
      return e;
    ctx.funcs.push_back(ctx.types[t]);
  }
  at = sectionOffset(4);
  for (const Table &t : m.tables) {
    TableType tt = t.type;
    if (Error e = checkTableType(tt, at))
      return e;
    ValType elem;
    elem.code = tt.elemType.nullable ? 0x63 : 0x64;
    elem.ref = tt.elemType;
    if (t.init) {
      if (Error e = validateConstExpr(ctx, *t.init, elem))
        return e;
    } else if (!tt.elemType.nullable) {
      return createErrorAt(at, "type mismatch: non-defaultable element type");
    }
    ctx.tables.push_back(tt);
  }
  at = sectionOffset(5);
  for (const MemoryType &mt : m.memories) {
    if (Error e = checkLimits(mt.limits, false, at, ctx.features))
      return e;
    ctx.memories.push_back(mt);
  }
  if (ctx.memories.size() > 1 && !ctx.features.has(Feature::MultiMemory))
    return createErrorAt(at, "multiple memories");
  at = sectionOffset(13);
  for (const TagType &t : m.tags) {
    if (Error e = checkTagType(t, at))
      return e;
    ctx.tags.push_back(ctx.types[t.typeIndex]);
  }
  // Constant expressions read imported globals, and with GC the globals
  // defined before them.
  ctx.numConstGlobals = uint32_t(ctx.globals.size());
  at = sectionOffset(6);
  for (const Global &g : m.globals) {
    GlobalType gt = g.type;
    if (Error e = checkGlobalType(gt, at))
      return e;
    if (Error e = validateConstExpr(ctx, g.init, gt.type))
      return e;
    for (const ConstInstr &i : g.init.instrs)
      if (i.op == ConstInstr::Op::RefFunc)
        ctx.declaredFuncs.insert(uint32_t(i.imm));
    ctx.globals.push_back(gt);
    if (ctx.features.has(Feature::Gc))
      ctx.numConstGlobals = uint32_t(ctx.globals.size());
  }
  return Error::success();
}

CoreExtern ModuleValidator::externOf(ExternType::Kind kind,
                                     uint32_t index) const {
  CoreExtern ce;
  ce.kind = kind;
  switch (kind) {
  case ExternType::Kind::Func:
    ce.func = ctx.funcs[index];
    break;
  case ExternType::Kind::Table:
    ce.table = ctx.tables[index];
    break;
  case ExternType::Kind::Memory:
    ce.memory = ctx.memories[index];
    break;
  case ExternType::Kind::Global:
    ce.global = ctx.globals[index];
    break;
  case ExternType::Kind::Tag:
    ce.func = ctx.tags[index];
    break;
  }
  return ce;
}

static size_t spaceSize(const ModuleContext &ctx, ExternType::Kind kind) {
  switch (kind) {
  case ExternType::Kind::Func:
    return ctx.funcs.size();
  case ExternType::Kind::Table:
    return ctx.tables.size();
  case ExternType::Kind::Memory:
    return ctx.memories.size();
  case ExternType::Kind::Global:
    return ctx.globals.size();
  case ExternType::Kind::Tag:
    return ctx.tags.size();
  }
  return 0;
}

static Error unknownIndex(uint64_t offset, ExternType::Kind kind,
                          uint32_t index) {
  StringRef name =
      kind == ExternType::Kind::Func ? "function" : wasm::toString(kind);
  return createErrorAt(offset, "unknown " + name + " " + Twine(index) + ": " +
                                   name + " index out of bounds");
}

Error ModuleValidator::checkExports(ModuleType &type) {
  for (const Export &e : m.exports) {
    if (e.index >= spaceSize(ctx, e.kind))
      return unknownIndex(e.offset, e.kind, e.index);
    if (e.kind == ExternType::Kind::Func)
      ctx.declaredFuncs.insert(e.index);
    if (!type.exports.add(e.name, externOf(e.kind, e.index)))
      return createErrorAt(e.offset, "duplicate export name `" + e.name +
                                         "` already defined");
  }
  return Error::success();
}

Error ModuleValidator::checkStart() {
  if (!m.startFunction)
    return Error::success();
  uint64_t at = sectionOffset(8);
  if (*m.startFunction >= ctx.funcs.size())
    return unknownIndex(at, ExternType::Kind::Func, *m.startFunction);
  const FuncType *ft = ctx.funcType(ctx.funcs[*m.startFunction]);
  if (!ft || !ft->params.empty() || !ft->results.empty())
    return createErrorAt(at, "invalid start function type");
  return Error::success();
}

Error ModuleValidator::checkElems() {
  for (const ElemSegment &seg : m.elemSegments) {
    RefType elem = seg.elemType;
    if (Error e = ctx.toArena(elem, seg.offset))
      return e;
    ValType elemVal;
    elemVal.code = elem.nullable ? 0x63 : 0x64;
    elemVal.ref = elem;
    if (seg.mode == ElemSegment::Mode::Active) {
      if (seg.tableIndex >= ctx.tables.size())
        return unknownIndex(seg.offset, ExternType::Kind::Table,
                            seg.tableIndex);
      const TableType &table = ctx.tables[seg.tableIndex];
      ValType indexType;
      indexType.code = table.limits.is64 ? 0x7e : 0x7f;
      if (seg.offsetExpr)
        if (Error e = validateConstExpr(ctx, *seg.offsetExpr, indexType))
          return e;
      if (!coreRefSubtype(ctx.arena, elem, table.elemType))
        return createErrorAt(seg.offset, "type mismatch: invalid element "
                                         "type");
    }
    for (uint32_t f : seg.functions) {
      if (f >= ctx.funcs.size())
        return unknownIndex(seg.offset, ExternType::Kind::Func, f);
      ctx.declaredFuncs.insert(f);
    }
    for (const ConstExpr &expr : seg.exprs) {
      for (const ConstInstr &i : expr.instrs)
        if (i.op == ConstInstr::Op::RefFunc)
          ctx.declaredFuncs.insert(uint32_t(i.imm));
      if (Error e = validateConstExpr(ctx, expr, elemVal))
        return e;
    }
    ctx.elems.push_back(elem);
  }
  return Error::success();
}

Error ModuleValidator::checkData() {
  if (m.dataCount && *m.dataCount != m.dataSegments.size())
    return createErrorAt(sectionOffset(12), "data count and data section "
                                            "have inconsistent lengths");
  for (const DataSegment &seg : m.dataSegments) {
    if (seg.mode != DataSegment::Mode::Active)
      continue;
    if (seg.memoryIndex >= ctx.memories.size())
      return unknownIndex(seg.offset, ExternType::Kind::Memory,
                          seg.memoryIndex);
    ValType indexType;
    indexType.code = ctx.memories[seg.memoryIndex].limits.is64 ? 0x7e : 0x7f;
    if (seg.offsetExpr)
      if (Error e = validateConstExpr(ctx, *seg.offsetExpr, indexType))
        return e;
  }
  return Error::success();
}

Error ModuleValidator::checkBodies() {
  if (m.bodies.size() != m.funcTypes.size())
    return createErrorAt(sectionOffset(10), "function and code section have "
                                            "inconsistent lengths");
  for (size_t i = 0; i < m.bodies.size(); ++i)
    if (Error e = validateFunctionBody(ctx, m.numImportedFuncs + uint32_t(i),
                                       m.bodies[i]))
      return e;
  return Error::success();
}

Expected<TypeId> ModuleValidator::run() {
  ModuleType type;
  if (Error e = checkTypes())
    return std::move(e);
  for (const ImportEntry &imp : m.imports)
    if (Error e = checkImport(imp, type))
      return std::move(e);
  ctx.dataCount = m.dataCount;
  if (Error e = checkDefinitions())
    return std::move(e);
  if (Error e = checkExports(type))
    return std::move(e);
  if (Error e = checkStart())
    return std::move(e);
  // Globals and element segments may declare functions for ref.func in
  // bodies; globals were checked before the set was complete, which the
  // spec allows since constant expressions declare what they name.
  if (Error e = checkElems())
    return std::move(e);
  if (Error e = checkData())
    return std::move(e);
  if (Error e = checkBodies())
    return std::move(e);
  return ctx.arena.addModule(std::move(type));
}

Expected<TypeId> validate::validateModule(const CoreModule &m,
                                          const Features &features,
                                          TypeArena &arena) {
  return ModuleValidator(m, features, arena).run();
}
