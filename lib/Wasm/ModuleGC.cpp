//===- ModuleGC.cpp - Dead item removal for core modules ------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The GC first cuts every known section into items (byte range plus the
/// index immediates IndexScanner finds in it), so that liveness and
/// re-encoding work from the same lists and errors carry exact offsets.
/// Function bodies are decoded only once they are found live, so dead code
/// the GC removes is never decoded. Liveness is a worklist over (kind, index)
/// pairs, like wit-component's, without recursion. Emission copies each kept
/// item through writeRemapped, and a section, a vector count or a body whose
/// bytes come out unchanged is copied with its original header, so padded
/// LEBs survive and an all-live module is reproduced exactly.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/ModuleGC.h"
#include "wcl/Support/Error.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/Wasm.h"
#include <optional>

using namespace llvm;
using namespace wcl;
using namespace wcl::wasm;

namespace {

/// A section entry: its bytes and the indices in them.
struct Item {
  ArrayRef<uint8_t> bytes;
  uint64_t offset = 0;
  SmallVector<IndexImm, 2> imms;
};

/// A vector section cut into items.
struct VecLayout {
  const Section *section = nullptr;
  /// The count as written, to copy it when it does not change.
  ArrayRef<uint8_t> countBytes;
  std::vector<Item> items;
};

/// An element segment: everything before the element count, then one item
/// per element, so that declarative segments can be trimmed.
struct ElemLayout {
  Item header;
  ArrayRef<uint8_t> countBytes;
  std::vector<Item> elems;
  bool declarative = false;
};

unsigned kindIndex(IndexKind kind) { return unsigned(kind); }

IndexKind exportKindToIndexKind(uint8_t kind) {
  switch (kind) {
  case 0x00:
    return IndexKind::Func;
  case 0x01:
    return IndexKind::Table;
  case 0x02:
    return IndexKind::Memory;
  case 0x03:
    return IndexKind::Global;
  default:
    return IndexKind::Tag;
  }
}

/// Writes a section whose new payload is \p payload, copying the original
/// section (and its size field as written) when nothing changed.
void writeKnownSection(raw_ostream &os, const CoreModule &mod,
                       const Section &sec, ArrayRef<uint8_t> payload) {
  if (payload == sec.payload)
    writeBytes(os, sec.bytesIn(mod.bytes, mod.base));
  else
    writeSection(os, sec.id, payload);
}

ArrayRef<uint8_t> toBytes(const SmallVectorImpl<char> &v) {
  return {reinterpret_cast<const uint8_t *>(v.data()), v.size()};
}

} // namespace

struct ModuleGC::Impl {
  explicit Impl(const CoreModule &mod) : mod(mod) {}

  Error layout();
  Error layoutSection(const Section &sec);
  Error scanVec(const Section &sec, VecLayout &out,
                function_ref<Error(IndexScanner &)> scanItem);
  Error scanElems(const Section &sec);
  Error scanBody(uint32_t defined);

  uint32_t spaceSize(IndexKind kind) const;
  Error mark(IndexKind kind, uint32_t index, uint64_t offset);
  Error markAll(const Item &item);
  Error process(IndexKind kind, uint32_t index);
  void finishLiveness();
  void buildMaps();

  Error writeItems(raw_ostream &os, const VecLayout &layout,
                   function_ref<bool(size_t)> keep) const;
  Error emitElems(raw_ostream &os, const Section *sec) const;
  Error emitCode(raw_ostream &os, const ModuleGCOptions &options) const;
  Error emitSection(raw_ostream &os, const Section &sec, ArrayRef<uint8_t> code,
                    bool &elemsWritten) const;
  void emitNames(raw_ostream &os, const Section &sec) const;

  const CoreModule &mod;

  // Layout.
  VecLayout types, imports, funcs, tables, memories, tags, globals, exports,
      data;
  std::optional<Item> start;
  std::vector<ElemLayout> elems;
  /// Type index -> index of its rec group in `types.items`.
  std::vector<uint32_t> typeGroup;
  std::vector<uint32_t> groupFirstType;
  /// Per kind, import index space position -> entry in `imports.items`.
  std::vector<uint32_t> importItem[NumModuleIndexKinds];
  /// Defined function bodies once scanned (locals and code indices).
  std::vector<std::optional<SmallVector<IndexImm, 8>>> bodyImms;

  // Liveness.
  BitVector live[NumModuleIndexKinds];
  std::vector<bool> keptExports;
  std::vector<std::pair<IndexKind, uint32_t>> worklist;
  std::vector<std::pair<IndexKind, uint32_t>> extraRoots;
  /// Functions named by ref.func in live bodies.
  BitVector refFuncs;
  /// Declarative segments: kept, and which elements stay.
  std::vector<bool> keptElem;
  std::vector<std::vector<bool>> keptElemItems;
  /// Functions a new declarative segment must declare.
  std::vector<uint32_t> undeclared;
  IndexMaps maps;
  bool ran = false;
};

//===----------------------------------------------------------------------===//
// Layout
//===----------------------------------------------------------------------===//

Error ModuleGC::Impl::scanVec(const Section &sec, VecLayout &out,
                              function_ref<Error(IndexScanner &)> scanItem) {
  out.section = &sec;
  BinaryReader r(sec.payload, sec.payloadOffset);
  Expected<uint32_t> n = r.readCount();
  if (!n)
    return n.takeError();
  out.countBytes = sec.payload.take_front(r.position());
  out.items.reserve(*n);
  for (uint32_t i = 0; i < *n; ++i) {
    Item item;
    size_t from = r.position();
    item.offset = r.offset();
    IndexScanner scanner(r, from, item.imms);
    if (Error e = scanItem(scanner))
      return e;
    item.bytes = sec.payload.slice(from, r.position() - from);
    out.items.push_back(std::move(item));
  }
  return r.expectEnd(sectionIdName(sec.id).lower() + " section");
}

Error ModuleGC::Impl::scanElems(const Section &sec) {
  BinaryReader r(sec.payload, sec.payloadOffset);
  Expected<uint32_t> n = r.readCount();
  if (!n)
    return n.takeError();
  for (uint32_t i = 0; i < *n; ++i) {
    ElemLayout seg;
    size_t from = r.position();
    seg.header.offset = r.offset();
    IndexScanner scanner(r, from, seg.header.imms);
    uint64_t flagsAt = r.offset();
    Expected<uint32_t> flags = r.readVarU32();
    if (!flags)
      return flags.takeError();
    if (*flags > 7)
      return BinaryReader::errorAt(flagsAt, "invalid element segment flags " +
                                                Twine(*flags));
    // Bit 0: passive or declarative; bit 1: explicit table (active) or
    // declarative; bit 2: expressions rather than function indices.
    bool active = !(*flags & 1);
    seg.declarative = (*flags & 3) == 3;
    bool exprs = *flags & 4;
    if (active) {
      if (*flags & 2)
        if (Expected<uint32_t> table = scanner.index(IndexKind::Table); !table)
          return table.takeError();
      if (Error e = scanner.expr())
        return e;
    }
    if (*flags & 3) {
      if (exprs) {
        if (Expected<RefType> ref = scanner.refType(); !ref)
          return ref.takeError();
      } else {
        uint64_t at = r.offset();
        Expected<uint8_t> kind = r.readU8();
        if (!kind)
          return kind.takeError();
        if (*kind != 0)
          return BinaryReader::errorAt(at, "invalid element kind 0x" +
                                               utohexstr(*kind, true));
      }
    }
    seg.header.bytes = sec.payload.slice(from, r.position() - from);
    size_t countFrom = r.position();
    Expected<uint32_t> count = r.readCount();
    if (!count)
      return count.takeError();
    seg.countBytes = sec.payload.slice(countFrom, r.position() - countFrom);
    for (uint32_t j = 0; j < *count; ++j) {
      Item item;
      size_t itemFrom = r.position();
      item.offset = r.offset();
      IndexScanner itemScanner(r, itemFrom, item.imms);
      if (exprs) {
        if (Error e = itemScanner.expr())
          return e;
      } else if (Expected<uint32_t> f = itemScanner.index(IndexKind::Func);
                 !f) {
        return f.takeError();
      }
      item.bytes = sec.payload.slice(itemFrom, r.position() - itemFrom);
      seg.elems.push_back(std::move(item));
    }
    elems.push_back(std::move(seg));
  }
  return r.expectEnd("element section");
}

Error ModuleGC::Impl::layoutSection(const Section &sec) {
  switch (sec.id) {
  case llvm::wasm::WASM_SEC_TYPE:
    return scanVec(sec, types, [](IndexScanner &s) { return s.recGroup(); });
  case llvm::wasm::WASM_SEC_IMPORT:
    return scanVec(sec, imports, [](IndexScanner &s) { return s.import(); });
  case llvm::wasm::WASM_SEC_FUNCTION:
    return scanVec(sec, funcs, [](IndexScanner &s) {
      return s.index(IndexKind::Type).takeError();
    });
  case llvm::wasm::WASM_SEC_TABLE:
    return scanVec(sec, tables, [](IndexScanner &s) { return s.tableEntry(); });
  case llvm::wasm::WASM_SEC_MEMORY:
    return scanVec(sec, memories,
                   [](IndexScanner &s) { return s.memoryType(); });
  case llvm::wasm::WASM_SEC_TAG:
    return scanVec(sec, tags, [](IndexScanner &s) { return s.tagType(); });
  case llvm::wasm::WASM_SEC_GLOBAL:
    return scanVec(sec, globals, [](IndexScanner &s) -> Error {
      if (Error e = s.globalType())
        return e;
      return s.expr();
    });
  case llvm::wasm::WASM_SEC_EXPORT:
    return scanVec(sec, exports,
                   [](IndexScanner &s) { return s.exportEntry(); });
  case llvm::wasm::WASM_SEC_START: {
    BinaryReader r(sec.payload, sec.payloadOffset);
    Item item;
    item.offset = r.offset();
    IndexScanner s(r, 0, item.imms);
    if (Expected<uint32_t> f = s.index(IndexKind::Func); !f)
      return f.takeError();
    item.bytes = sec.payload;
    start = std::move(item);
    return Error::success();
  }
  case llvm::wasm::WASM_SEC_ELEM:
    return scanElems(sec);
  case llvm::wasm::WASM_SEC_DATA:
    return scanVec(sec, data, [](IndexScanner &s) { return s.dataSegment(); });
  default:
    return Error::success();
  }
}

Error ModuleGC::Impl::layout() {
  for (const Section &sec : mod.sections)
    if (Error e = layoutSection(sec))
      return e;

  // The reader decoded the same sections, so the counts agree; these are
  // checks of our own consistency.
  assert(imports.items.size() == mod.imports.size());
  assert(types.items.size() == mod.recGroups.size());
  assert(elems.size() == mod.elemSegments.size());
  assert(data.items.size() == mod.dataSegments.size());
  assert(exports.items.size() == mod.exports.size());

  for (uint32_t j = 0; j < mod.imports.size(); ++j) {
    IndexKind kind = exportKindToIndexKind(uint8_t(mod.imports[j].type.kind));
    importItem[kindIndex(kind)].push_back(j);
  }
  typeGroup.assign(mod.types.size(), 0);
  for (uint32_t g = 0; g < mod.recGroups.size(); ++g) {
    const RecGroupInfo &info = mod.recGroups[g];
    groupFirstType.push_back(info.firstType);
    for (uint32_t t = 0; t < info.numTypes; ++t)
      typeGroup[info.firstType + t] = g;
  }
  bodyImms.resize(mod.bodies.size());
  return Error::success();
}

Error ModuleGC::Impl::scanBody(uint32_t defined) {
  const FunctionBody &body = mod.bodies[defined];
  SmallVector<IndexImm, 8> imms;
  BinaryReader r(body.body, body.bodyOffset);
  IndexScanner scanner(r, 0, imms);
  if (Error e = scanner.locals())
    return e;
  size_t codePos = r.position();
  Error err = forEachInstr(
      body.code, body.codeOffset, [&](const Instr &instr) -> Error {
        size_t at = codePos + size_t(instr.offset - body.codeOffset);
        for (IndexImm imm : instr.indices) {
          imm.pos += uint32_t(at);
          imms.push_back(imm);
        }
        // Functions taken by reference in code must stay declared.
        if (instr.is(llvm::wasm::WASM_OPCODE_REF_FUNC) &&
            instr.index() < refFuncs.size())
          refFuncs.set(instr.index());
        return Error::success();
      });
  if (err)
    return err;
  bodyImms[defined] = std::move(imms);
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Liveness
//===----------------------------------------------------------------------===//

uint32_t ModuleGC::Impl::spaceSize(IndexKind kind) const {
  switch (kind) {
  case IndexKind::Type:
    return mod.types.size();
  case IndexKind::Func:
    return mod.numFunctions();
  case IndexKind::Table:
    return mod.numTables();
  case IndexKind::Memory:
    return mod.numMemories();
  case IndexKind::Global:
    return mod.numGlobals();
  case IndexKind::Tag:
    return mod.numTags();
  case IndexKind::Elem:
    return elems.size();
  case IndexKind::Data:
    return data.items.size();
  default:
    return 0;
  }
}

Error ModuleGC::Impl::mark(IndexKind kind, uint32_t index, uint64_t offset) {
  if (kindIndex(kind) >= NumModuleIndexKinds)
    return Error::success();
  if (index >= spaceSize(kind))
    return BinaryReader::errorAt(offset, toString(kind) + " index " +
                                             Twine(index) + " is out of range");
  BitVector &bits = live[kindIndex(kind)];
  if (bits.test(index))
    return Error::success();
  if (kind == IndexKind::Type) {
    // A rec group is kept whole: dropping a member would change the identity
    // of the others.
    const RecGroupInfo &info = mod.recGroups[typeGroup[index]];
    bits.set(info.firstType, info.firstType + info.numTypes);
  } else {
    bits.set(index);
  }
  worklist.push_back({kind, index});
  return Error::success();
}

Error ModuleGC::Impl::markAll(const Item &item) {
  for (const IndexImm &imm : item.imms)
    if (Error e = mark(imm.kind, imm.value, item.offset + imm.pos))
      return e;
  return Error::success();
}

Error ModuleGC::Impl::process(IndexKind kind, uint32_t index) {
  auto importOr = [&](uint32_t numImported, const VecLayout &defs) -> Error {
    if (index < numImported)
      return markAll(imports.items[importItem[kindIndex(kind)][index]]);
    return markAll(defs.items[index - numImported]);
  };
  switch (kind) {
  case IndexKind::Type:
    return markAll(types.items[typeGroup[index]]);
  case IndexKind::Func: {
    if (Error e = importOr(mod.numImportedFuncs, funcs))
      return e;
    if (index < mod.numImportedFuncs)
      return Error::success();
    uint32_t defined = index - mod.numImportedFuncs;
    if (Error e = scanBody(defined))
      return e;
    const FunctionBody &body = mod.bodies[defined];
    for (const IndexImm &imm : *bodyImms[defined])
      if (Error e = mark(imm.kind, imm.value, body.bodyOffset + imm.pos))
        return e;
    return Error::success();
  }
  case IndexKind::Table: {
    if (Error e = importOr(mod.numImportedTables, tables))
      return e;
    // Active segments write into the table, which someone can now observe.
    for (uint32_t s = 0; s < mod.elemSegments.size(); ++s) {
      const ElemSegment &seg = mod.elemSegments[s];
      if (seg.mode == ElemSegment::Mode::Active && seg.tableIndex == index)
        if (Error e = mark(IndexKind::Elem, s, seg.offset))
          return e;
    }
    return Error::success();
  }
  case IndexKind::Memory: {
    if (Error e = importOr(mod.numImportedMemories, memories))
      return e;
    for (uint32_t s = 0; s < mod.dataSegments.size(); ++s) {
      const DataSegment &seg = mod.dataSegments[s];
      if (seg.mode == DataSegment::Mode::Active && seg.memoryIndex == index)
        if (Error e = mark(IndexKind::Data, s, seg.offset))
          return e;
    }
    return Error::success();
  }
  case IndexKind::Global:
    return importOr(mod.numImportedGlobals, globals);
  case IndexKind::Tag:
    return importOr(mod.numImportedTags, tags);
  case IndexKind::Elem: {
    const ElemLayout &seg = elems[index];
    if (Error e = markAll(seg.header))
      return e;
    for (const Item &item : seg.elems)
      if (Error e = markAll(item))
        return e;
    return Error::success();
  }
  case IndexKind::Data:
    return markAll(data.items[index]);
  default:
    return Error::success();
  }
}

/// Decides which declarative segments stay and what still needs declaring,
/// once the live functions are known.
void ModuleGC::Impl::finishLiveness() {
  const BitVector &liveFuncs = live[kindIndex(IndexKind::Func)];
  keptElem.assign(elems.size(), false);
  keptElemItems.assign(elems.size(), {});
  BitVector declared(mod.numFunctions());
  auto declare = [&](const Item &item) {
    for (const IndexImm &imm : item.imms)
      if (imm.kind == IndexKind::Func)
        declared.set(imm.value);
  };
  for (uint32_t s = 0; s < elems.size(); ++s) {
    const ElemLayout &seg = elems[s];
    bool referenced = live[kindIndex(IndexKind::Elem)].test(s);
    std::vector<bool> &keep = keptElemItems[s];
    keep.assign(seg.elems.size(), referenced);
    if (seg.declarative && !referenced) {
      // Keep the elements whose functions all stay, but the segment only if
      // live code takes one of its functions by reference.
      bool needed = false;
      for (size_t j = 0; j < seg.elems.size(); ++j) {
        bool allLive = true;
        for (const IndexImm &imm : seg.elems[j].imms) {
          if (imm.kind != IndexKind::Func)
            continue;
          allLive &= liveFuncs.test(imm.value);
          needed |= refFuncs.test(imm.value) && liveFuncs.test(imm.value);
        }
        keep[j] = allLive;
      }
      if (!needed)
        keep.assign(seg.elems.size(), false);
      keptElem[s] = needed;
    } else {
      keptElem[s] = referenced;
    }
    if (keptElem[s])
      for (size_t j = 0; j < seg.elems.size(); ++j)
        if (keep[j])
          declare(seg.elems[j]);
  }
  for (size_t j = 0; j < exports.items.size(); ++j)
    if (keptExports[j])
      declare(exports.items[j]);
  for (uint32_t g = 0; g < globals.items.size(); ++g)
    if (live[kindIndex(IndexKind::Global)].test(mod.numImportedGlobals + g))
      declare(globals.items[g]);
  for (uint32_t t = 0; t < tables.items.size(); ++t)
    if (live[kindIndex(IndexKind::Table)].test(mod.numImportedTables + t))
      declare(tables.items[t]);
  for (unsigned f : refFuncs.set_bits())
    if (liveFuncs.test(f) && !declared.test(f))
      undeclared.push_back(f);
}

void ModuleGC::Impl::buildMaps() {
  auto dense = [](const BitVector &bits) {
    std::vector<uint32_t> out(bits.size(), IndexMap::Removed);
    uint32_t next = 0;
    for (unsigned i : bits.set_bits())
      out[i] = next++;
    return IndexMap(std::move(out));
  };
  maps.types = dense(live[kindIndex(IndexKind::Type)]);
  maps.funcs = dense(live[kindIndex(IndexKind::Func)]);
  maps.tables = dense(live[kindIndex(IndexKind::Table)]);
  maps.memories = dense(live[kindIndex(IndexKind::Memory)]);
  maps.globals = dense(live[kindIndex(IndexKind::Global)]);
  maps.tags = dense(live[kindIndex(IndexKind::Tag)]);
  maps.data = dense(live[kindIndex(IndexKind::Data)]);
  BitVector keptElems(elems.size());
  for (uint32_t s = 0; s < elems.size(); ++s)
    if (keptElem[s])
      keptElems.set(s);
  maps.elems = dense(keptElems);
}

//===----------------------------------------------------------------------===//
// Emission
//===----------------------------------------------------------------------===//

/// Writes `count` as the input did when it is unchanged, so that a padded
/// count survives.
static void writeCount(raw_ostream &os, uint32_t count, uint32_t oldCount,
                       ArrayRef<uint8_t> oldBytes) {
  if (count == oldCount && !oldBytes.empty())
    writeBytes(os, oldBytes);
  else
    writeUleb128(os, count);
}

Error ModuleGC::Impl::writeItems(raw_ostream &os, const VecLayout &layout,
                                 function_ref<bool(size_t)> keep) const {
  if (!layout.section)
    return Error::success();
  uint32_t count = 0;
  for (size_t i = 0; i < layout.items.size(); ++i)
    count += keep(i);
  if (count == 0)
    return Error::success();
  SmallVector<char, 0> payload;
  raw_svector_ostream p(payload);
  writeCount(p, count, layout.items.size(), layout.countBytes);
  for (size_t i = 0; i < layout.items.size(); ++i) {
    if (!keep(i))
      continue;
    const Item &item = layout.items[i];
    if (Error e = writeRemapped(p, item.bytes, item.offset, item.imms, maps))
      return e;
  }
  writeKnownSection(os, mod, *layout.section, toBytes(payload));
  return Error::success();
}

Error ModuleGC::Impl::emitElems(raw_ostream &os, const Section *sec) const {
  uint32_t count = undeclared.empty() ? 0 : 1;
  for (bool k : keptElem)
    count += k;
  if (count == 0)
    return Error::success();
  SmallVector<char, 0> payload;
  raw_svector_ostream p(payload);
  writeCount(p, count, elems.size(),
             sec ? sec->payload.take_front(elems.empty()
                                               ? 0
                                               : size_t(elems[0].header.offset -
                                                        sec->payloadOffset))
                 : ArrayRef<uint8_t>());
  for (uint32_t s = 0; s < elems.size(); ++s) {
    if (!keptElem[s])
      continue;
    const ElemLayout &seg = elems[s];
    if (Error e = writeRemapped(p, seg.header.bytes, seg.header.offset,
                                seg.header.imms, maps))
      return e;
    const std::vector<bool> &keep = keptElemItems[s];
    uint32_t n = llvm::count(keep, true);
    writeCount(p, n, seg.elems.size(), seg.countBytes);
    for (size_t j = 0; j < seg.elems.size(); ++j) {
      if (!keep[j])
        continue;
      const Item &item = seg.elems[j];
      if (Error e = writeRemapped(p, item.bytes, item.offset, item.imms, maps))
        return e;
    }
  }
  if (!undeclared.empty()) {
    // A declarative segment of function indices (flags 3, elemkind 0).
    writeUleb128(p, 3);
    writeU8(p, 0x00);
    writeUleb128(p, undeclared.size());
    for (uint32_t f : undeclared)
      writeUleb128(p, *maps.funcs.lookup(f));
  }
  if (sec)
    writeKnownSection(os, mod, *sec, toBytes(payload));
  else
    writeSection(os, llvm::wasm::WASM_SEC_ELEM, toBytes(payload));
  return Error::success();
}

Error ModuleGC::Impl::emitCode(raw_ostream &os,
                               const ModuleGCOptions &options) const {
  const BitVector &liveFuncs = live[kindIndex(IndexKind::Func)];
  uint32_t count = 0;
  for (uint32_t d = 0; d < mod.bodies.size(); ++d)
    count += liveFuncs.test(mod.numImportedFuncs + d);
  if (count == 0)
    return Error::success();
  ArrayRef<uint8_t> countBytes;
  for (const Section &sec : mod.sections)
    if (sec.id == llvm::wasm::WASM_SEC_CODE)
      countBytes = sec.payload.take_front(
          size_t(mod.bodies[0].offset - sec.payloadOffset));
  writeCount(os, count, mod.bodies.size(), countBytes);
  SmallVector<char, 0> buf;
  for (uint32_t d = 0; d < mod.bodies.size(); ++d) {
    uint32_t index = mod.numImportedFuncs + d;
    if (!liveFuncs.test(index))
      continue;
    const FunctionBody &body = mod.bodies[d];
    buf.clear();
    raw_svector_ostream b(buf);
    Error err =
        options.rewriteBody
            ? options.rewriteBody(index, body, maps, b)
            : writeRemapped(b, body.body, body.bodyOffset, *bodyImms[d], maps);
    if (err)
      return err;
    if (toBytes(buf) == body.body) {
      // Unchanged: keep the size field as written.
      writeBytes(os, mod.bytes.slice(body.offset - mod.base,
                                     body.bodyOffset - body.offset +
                                         body.body.size()));
    } else {
      writeUleb128(os, buf.size());
      writeBytes(os, toBytes(buf));
    }
  }
  return Error::success();
}

void ModuleGC::Impl::emitNames(raw_ostream &os, const Section &sec) const {
  SmallVector<char, 0> payload;
  raw_svector_ostream p(payload);
  writeName(p, sec.name);
  auto mapFor = [&](uint8_t id) -> const IndexMap * {
    switch (CoreNameKind(id)) {
    case CoreNameKind::Function:
    case CoreNameKind::Local:
    case CoreNameKind::Label:
      return &maps.funcs;
    case CoreNameKind::Type:
    case CoreNameKind::Field:
      return &maps.types;
    case CoreNameKind::Table:
      return &maps.tables;
    case CoreNameKind::Memory:
      return &maps.memories;
    case CoreNameKind::Global:
      return &maps.globals;
    case CoreNameKind::ElemSegment:
      return &maps.elems;
    case CoreNameKind::DataSegment:
      return &maps.data;
    case CoreNameKind::Tag:
      return &maps.tags;
    default:
      return nullptr;
    }
  };
  auto writeNames = [](raw_ostream &os, ArrayRef<Naming> names) {
    writeUleb128(os, names.size());
    for (const Naming &n : names) {
      writeUleb128(os, n.index);
      writeName(os, n.name);
    }
  };
  for (const NameSubsection &sub : mod.names->subsections) {
    SmallVector<char, 0> content;
    raw_svector_ostream c(content);
    bool same = true;
    size_t oldEntries = 0, newEntries = 0;
    if (CoreNameKind(sub.id) == CoreNameKind::Module) {
      writeBytes(c, sub.content);
      oldEntries = newEntries = 1;
    } else if (const IndexMap *m = sub.known ? mapFor(sub.id) : nullptr) {
      auto remap = [&](uint32_t old) {
        std::optional<uint32_t> v = m->lookup(old);
        same &= v == old;
        return v;
      };
      if (sub.indirectNames.empty() && !sub.names.empty()) {
        SmallVector<Naming, 0> kept;
        for (const Naming &n : sub.names)
          if (std::optional<uint32_t> v = remap(n.index))
            kept.push_back({*v, n.name});
        oldEntries = sub.names.size();
        newEntries = kept.size();
        writeNames(c, kept);
      } else {
        SmallVector<std::pair<uint32_t, const IndirectNaming *>, 0> kept;
        for (const IndirectNaming &outer : sub.indirectNames)
          if (std::optional<uint32_t> v = remap(outer.index))
            kept.push_back({*v, &outer});
        oldEntries = sub.indirectNames.size();
        newEntries = kept.size();
        writeUleb128(c, kept.size());
        for (auto &[index, outer] : kept) {
          writeUleb128(c, index);
          writeNames(c, outer->names);
        }
      }
    } else {
      // Unknown subsections may name items by index; without knowing how,
      // they cannot be kept correct.
      continue;
    }
    if (newEntries == 0 && oldEntries != 0)
      continue;
    writeU8(p, sub.id);
    ArrayRef<uint8_t> out = same ? sub.content : toBytes(content);
    writeUleb128(p, out.size());
    writeBytes(p, out);
  }
  if (toBytes(payload) == sec.payload)
    writeBytes(os, sec.bytesIn(mod.bytes, mod.base));
  else
    writeSection(os, 0, toBytes(payload));
}

Error ModuleGC::Impl::emitSection(raw_ostream &os, const Section &sec,
                                  ArrayRef<uint8_t> code,
                                  bool &elemsWritten) const {
  auto liveAt = [this](IndexKind kind, uint32_t numImported) {
    return [this, kind, numImported](size_t i) {
      return live[kindIndex(kind)].test(numImported + i);
    };
  };
  switch (sec.id) {
  case llvm::wasm::WASM_SEC_TYPE:
    return writeItems(os, types, [&](size_t g) {
      // An empty rec group defines nothing; keep it rather than renumber.
      return mod.recGroups[g].numTypes == 0 ||
             live[kindIndex(IndexKind::Type)].test(groupFirstType[g]);
    });
  case llvm::wasm::WASM_SEC_IMPORT:
    return writeItems(os, imports, [&](size_t j) {
      const ImportEntry &imp = mod.imports[j];
      IndexKind kind = exportKindToIndexKind(uint8_t(imp.type.kind));
      return live[kindIndex(kind)].test(imp.index);
    });
  case llvm::wasm::WASM_SEC_FUNCTION:
    return writeItems(os, funcs, liveAt(IndexKind::Func, mod.numImportedFuncs));
  case llvm::wasm::WASM_SEC_TABLE:
    return writeItems(os, tables,
                      liveAt(IndexKind::Table, mod.numImportedTables));
  case llvm::wasm::WASM_SEC_MEMORY:
    return writeItems(os, memories,
                      liveAt(IndexKind::Memory, mod.numImportedMemories));
  case llvm::wasm::WASM_SEC_TAG:
    return writeItems(os, tags, liveAt(IndexKind::Tag, mod.numImportedTags));
  case llvm::wasm::WASM_SEC_GLOBAL:
    return writeItems(os, globals,
                      liveAt(IndexKind::Global, mod.numImportedGlobals));
  case llvm::wasm::WASM_SEC_EXPORT:
    return writeItems(os, exports,
                      [&](size_t j) { return bool(keptExports[j]); });
  case llvm::wasm::WASM_SEC_START: {
    SmallVector<char, 8> payload;
    raw_svector_ostream p(payload);
    if (Error e =
            writeRemapped(p, start->bytes, start->offset, start->imms, maps))
      return e;
    writeKnownSection(os, mod, sec, toBytes(payload));
    return Error::success();
  }
  case llvm::wasm::WASM_SEC_ELEM:
    elemsWritten = true;
    return emitElems(os, &sec);
  case llvm::wasm::WASM_SEC_DATACOUNT: {
    SmallVector<char, 8> payload;
    raw_svector_ostream p(payload);
    writeCount(p, live[kindIndex(IndexKind::Data)].count(),
               mod.dataCount.value_or(0), sec.payload);
    writeKnownSection(os, mod, sec, toBytes(payload));
    return Error::success();
  }
  case llvm::wasm::WASM_SEC_CODE:
    if (!code.empty())
      writeKnownSection(os, mod, sec, code);
    return Error::success();
  case llvm::wasm::WASM_SEC_DATA:
    return writeItems(os, data, [&](size_t s) {
      return live[kindIndex(IndexKind::Data)].test(s);
    });
  default:
    return Error::success();
  }
}

//===----------------------------------------------------------------------===//
// ModuleGC
//===----------------------------------------------------------------------===//

ModuleGC::ModuleGC(const CoreModule &mod) : impl(new Impl(mod)) {
  impl->keptExports.assign(mod.exports.size(), false);
}

ModuleGC::~ModuleGC() = default;

Error ModuleGC::addRootExport(StringRef name) {
  bool found = false;
  for (size_t j = 0; j < impl->mod.exports.size(); ++j) {
    if (impl->mod.exports[j].name != name)
      continue;
    impl->keptExports[j] = true;
    found = true;
  }
  if (!found)
    return createError("module has no export named '" + name + "'");
  return Error::success();
}

void ModuleGC::addAllExports() {
  impl->keptExports.assign(impl->mod.exports.size(), true);
}

void ModuleGC::addRoot(IndexKind kind, uint32_t index) {
  impl->extraRoots.push_back({kind, index});
}

Error ModuleGC::run() {
  Impl &m = *impl;
  assert(!m.ran && "ModuleGC::run called twice");
  if (m.mod.findCustomSection("linking"))
    return createError("cannot garbage-collect a relocatable object (it has a "
                       "linking section); link it first");
  if (Error e = m.layout())
    return e;
  for (unsigned k = 0; k < NumModuleIndexKinds; ++k)
    m.live[k].resize(m.spaceSize(IndexKind(k)));
  m.refFuncs.resize(m.mod.numFunctions());

  for (size_t j = 0; j < m.exports.items.size(); ++j)
    if (m.keptExports[j])
      if (Error e = m.markAll(m.exports.items[j]))
        return e;
  for (auto [kind, index] : m.extraRoots) {
    if (kindIndex(kind) >= NumModuleIndexKinds || index >= m.spaceSize(kind))
      return createError("root " + toString(kind) + " " + Twine(index) +
                         " is not in the module");
    if (Error e = m.mark(kind, index, 0))
      return e;
  }
  // The start function runs at instantiation whatever is exported.
  if (m.start)
    if (Error e = m.markAll(*m.start))
      return e;

  while (!m.worklist.empty()) {
    auto [kind, index] = m.worklist.back();
    m.worklist.pop_back();
    if (Error e = m.process(kind, index))
      return e;
  }
  m.finishLiveness();
  m.buildMaps();
  m.ran = true;
  return Error::success();
}

bool ModuleGC::isLive(IndexKind kind, uint32_t index) const {
  if (kind == IndexKind::Elem)
    return index < impl->keptElem.size() && impl->keptElem[index];
  if (kindIndex(kind) >= NumModuleIndexKinds)
    return false;
  const BitVector &bits = impl->live[kindIndex(kind)];
  return index < bits.size() && bits.test(index);
}

const IndexMaps &ModuleGC::getMaps() const { return impl->maps; }

Expected<std::vector<uint8_t>>
ModuleGC::emit(const ModuleGCOptions &options) const {
  const Impl &m = *impl;
  assert(m.ran && "ModuleGC::emit called before run");
  const CoreModule &mod = m.mod;
  // The code section first: whether it changed decides whether DWARF stays.
  SmallVector<char, 0> code;
  raw_svector_ostream codeOS(code);
  if (Error e = m.emitCode(codeOS, options))
    return std::move(e);
  const Section *codeSection = nullptr;
  for (const Section &sec : mod.sections)
    if (sec.id == llvm::wasm::WASM_SEC_CODE)
      codeSection = &sec;
  bool codeSame =
      codeSection ? toBytes(code) == codeSection->payload : code.empty();

  std::vector<uint8_t> result;
  SmallVector<char, 0> out;
  raw_svector_ostream os(out);
  writeBytes(os, mod.bytes.take_front(8));
  bool needElems =
      !m.undeclared.empty() || llvm::is_contained(m.keptElem, true);
  bool elemsWritten = false;
  const Section *firstNames = mod.findCustomSection(NameSectionName);

  for (const Section &sec : mod.sections) {
    if (sec.isCustom()) {
      if (sec.name == NameSectionName) {
        if (options.keepNames && &sec == firstNames && mod.names)
          m.emitNames(os, sec);
        continue;
      }
      if (!options.keepCustomSections)
        continue;
      if (options.stripStaleDebugInfo && !codeSame &&
          sec.name.starts_with(".debug_"))
        continue;
      writeBytes(os, sec.bytesIn(mod.bytes, mod.base));
      continue;
    }
    if (needElems && !elemsWritten &&
        sectionRank(sec.id) > sectionRank(llvm::wasm::WASM_SEC_ELEM)) {
      if (Error e = m.emitElems(os, nullptr))
        return std::move(e);
      elemsWritten = true;
    }
    if (Error e = m.emitSection(os, sec, toBytes(code), elemsWritten))
      return std::move(e);
  }
  if (needElems && !elemsWritten)
    if (Error e = m.emitElems(os, nullptr))
      return std::move(e);
  result.assign(out.begin(), out.end());
  return result;
}

Expected<std::vector<uint8_t>>
wcl::wasm::gcModule(const CoreModule &mod, ArrayRef<StringRef> roots,
                    const ModuleGCOptions &options) {
  ModuleGC gc(mod);
  for (StringRef name : roots)
    if (Error e = gc.addRootExport(name))
      return std::move(e);
  if (Error e = gc.run())
    return std::move(e);
  return gc.emit(options);
}
