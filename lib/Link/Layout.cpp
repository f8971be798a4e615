//===- Layout.cpp - Memory and table layout of a link ---------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Computes the layout described in Layout.h. The order of globals and the
/// placement rules are wit-component's: its outputs are the reference, and a
/// program linked by either tool sees the same addresses.
///
//===----------------------------------------------------------------------===//

#include "wcl/Link/Layout.h"
#include "wcl/Dylink/Names.h"
#include "wcl/Support/Error.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/BinaryFormat/Wasm.h"
#include "llvm/Support/MathExtras.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::dylink;

static void writeU32(std::vector<uint8_t> &buf, uint32_t v) {
  for (unsigned i = 0; i < 4; ++i)
    buf.push_back(uint8_t(v >> (8 * i)));
}

/// Names are stored without a terminator, zero-padded to 4 bytes.
static void writePadded(std::vector<uint8_t> &buf, StringRef s) {
  buf.insert(buf.end(), s.bytes_begin(), s.bytes_end());
  while (buf.size() % 4)
    buf.push_back(0);
}

static DlTable makeDlTable(const LinkPlan &plan, uint32_t tableBase,
                           uint32_t memoryBase) {
  DlTable dl;
  dl.tableBase = tableBase;
  dl.memoryBase = memoryBase;
  std::vector<uint8_t> &buf = dl.bytes;
  auto here = [&] { return memoryBase + uint32_t(buf.size()); };

  struct LibRecord {
    StringRef name;
    uint32_t nameAddr, count, symbolsAddr;
  };
  std::vector<LibRecord> libs;
  for (unsigned li = 0; li < plan.libraries.size(); ++li) {
    const PlannedLibrary &lib = plan.libraries[li];
    if (!lib.dlOpenable)
      continue;
    uint32_t nameAddr = here();
    writePadded(buf, lib.meta().name);

    struct Sym {
      StringRef name;
      uint32_t nameAddr;
      std::optional<uint32_t> slot; // functions; globals are filled later
    };
    std::vector<Sym> syms;
    for (const DylibExport &exp : lib.meta().exports) {
      // Tag names are written too (wit-component does), but tags get no
      // record: dlsym cannot return them.
      uint32_t symAddr = here();
      writePadded(buf, exp.key.name);
      switch (exp.key.type.kind) {
      case SymbolType::Kind::Function:
        syms.push_back(
            {exp.key.name, symAddr, tableBase + uint32_t(dl.functions.size())});
        dl.functions.push_back({li, exp.key.name});
        break;
      case SymbolType::Kind::Global:
        syms.push_back({exp.key.name, symAddr, std::nullopt});
        break;
      case SymbolType::Kind::Tag:
        break;
      }
    }
    llvm::sort(syms,
               [](const Sym &a, const Sym &b) { return a.name < b.name; });
    uint32_t symbolsAddr = here();
    for (const Sym &s : syms) {
      writeU32(buf, s.name.size());
      writeU32(buf, s.nameAddr);
      if (!s.slot)
        dl.globalSlots.push_back({li, s.name, here()});
      writeU32(buf, s.slot.value_or(0));
    }
    // The count includes tags, as wit-component writes it; libdl only uses
    // it to bound a search over records that are all present.
    libs.push_back({lib.meta().name, nameAddr,
                    uint32_t(lib.meta().exports.size()), symbolsAddr});
  }
  llvm::sort(libs, [](const LibRecord &a, const LibRecord &b) {
    return a.name < b.name;
  });
  uint32_t libsAddr = here();
  for (const LibRecord &l : libs) {
    writeU32(buf, l.name.size());
    writeU32(buf, l.nameAddr);
    writeU32(buf, l.count);
    writeU32(buf, l.symbolsAddr);
  }
  dl.librariesAddress = here();
  writeU32(buf, libs.size());
  writeU32(buf, libsAddr);
  return dl;
}

static TlsLayout makeTlsLayout(const LinkPlan &plan, uint64_t &memoryOffset) {
  TlsLayout tls;
  bool needsTlsBase = any_of(plan.libraries, [](const PlannedLibrary &l) {
    return l.meta().needsGetTlsBase || l.meta().needsSetTlsBase;
  });
  bool needsProgramInfo = any_of(plan.libraries, [](const PlannedLibrary &l) {
    return l.meta().needsProgramTlsInfo;
  });
  tls.slots.resize(plan.libraries.size());
  if (!needsTlsBase && !needsProgramInfo)
    return tls;
  tls.reserved = true;
  uint32_t count = 0;
  for (unsigned i = 0; i < plan.libraries.size(); ++i)
    if (plan.libraries[i].meta().hasLibraryTlsInfo)
      tls.slots[i] = count++;
  memoryOffset = alignTo(memoryOffset, 4);
  tls.mainThreadTlsBase = memoryOffset;
  memoryOffset += count * 4;
  if (needsProgramInfo) {
    tls.libraryInfo = memoryOffset;
    memoryOffset += count * 4;
    tls.programInfo = memoryOffset;
    memoryOffset += 12;
    writeU32(tls.programInfoBytes, count);
    writeU32(tls.programInfoBytes, tls.libraryInfo);
    writeU32(tls.programInfoBytes, tls.mainThreadTlsBase);
  }
  return tls;
}

Expected<Layout> wcl::computeLayout(const LinkPlan &plan) {
  Layout layout;
  const uint32_t stack = plan.options.stackSize;
  // 64-bit cursors so an overflow is detected rather than wrapped.
  uint64_t memoryOffset = stack;
  uint64_t tableOffset = 1; // slot 0 is the null function pointer
  auto any = [&](bool DylibMetadata::*flag) {
    return any_of(plan.libraries,
                  [&](const PlannedLibrary &l) { return l.meta().*flag; });
  };
  auto global = [&](std::string name, uint64_t value, bool isMutable) {
    layout.globals.push_back({std::move(name), uint32_t(value), isMutable});
  };

  layout.dl = makeDlTable(plan, tableOffset, memoryOffset);
  if (any(&DylibMetadata::needsLibdlLibraries))
    global(names::LibdlLibraries.str(), layout.dl.librariesAddress, true);
  tableOffset += layout.dl.functions.size();
  memoryOffset += layout.dl.bytes.size();

  layout.tls = makeTlsLayout(plan, memoryOffset);
  if (any(&DylibMetadata::needsProgramTlsInfo))
    global(names::ProgramTlsInfo.str(), layout.tls.programInfo, true);
  if (any(&DylibMetadata::needsStackPointer))
    global(names::StackPointer.str(), stack, true);
  if (any(&DylibMetadata::needsInitStackPointer))
    global(names::InitStackPointer.str(), stack, false);
  if (any(&DylibMetadata::isAsyncified)) {
    global(names::AsyncifyState.str(), 0, true);
    global(names::AsyncifyData.str(), 0, true);
  }
  if (any(&DylibMetadata::needsStackHigh))
    global(names::StackHigh.str(), stack, true);
  if (any(&DylibMetadata::needsStackLow))
    global(names::StackLow.str(), 0, true);

  for (const PlannedLibrary &lib : plan.libraries) {
    const MemInfo &mi = lib.meta().memInfo;
    if (mi.memoryAlignment >= 32 || mi.tableAlignment >= 32)
      return createError(
          lib.meta().name + ": dylink.0 alignment is too large (2^" +
          Twine(std::max(mi.memoryAlignment, mi.tableAlignment)) + ")");
    memoryOffset = alignTo(memoryOffset, uint64_t(1) << mi.memoryAlignment);
    tableOffset = alignTo(tableOffset, uint64_t(1) << mi.tableAlignment);
    layout.libraries.push_back({uint32_t(memoryOffset), uint32_t(tableOffset)});
    global(lib.meta().name + ":memory_base", memoryOffset, false);
    global(lib.meta().name + ":table_base", tableOffset, false);
    memoryOffset += mi.memorySize;
    tableOffset += mi.tableSize;
    // Filled in by the fixup code at instantiation time.
    for (StringRef sym : lib.meta().memoryAddressImports)
      global(lib.meta().name + ":" + sym.str(), 0, true);
  }

  // GOT.func entries hold the table slot of the function's env re-export.
  StringMap<std::pair<uint64_t, bool>> slots;
  for (unsigned i = 0; i < plan.envExports.size(); ++i) {
    const EnvExport &e = plan.envExports[i];
    bool isStub = plan.libraries[e.exporter].meta().name == names::StubsLibrary;
    slots.try_emplace(e.name, tableOffset + i, isStub);
  }
  for (const PlannedLibrary &lib : plan.libraries) {
    for (StringRef sym : lib.meta().tableAddressImports) {
      auto [slot, isStub] = slots.lookup(sym);
      // A weak function nobody defines has address 0 (null), so `if (&f)`
      // checks in C keep working; only the call goes to the trapping stub.
      const EnvImport *imp = lib.meta().findEnvImport(sym);
      bool weakMissing =
          isStub && imp && (imp->flags & llvm::wasm::WASM_SYMBOL_BINDING_WEAK);
      global(lib.meta().name + ":" + sym.str(), weakMissing ? 0 : slot, true);
    }
  }

  memoryOffset = alignTo(memoryOffset, HeapAlignment);
  layout.heapBase = memoryOffset;
  if (any(&DylibMetadata::needsHeapBase))
    global(names::HeapBase.str(), memoryOffset, true);
  uint64_t heapEnd = alignTo(memoryOffset, PageSize);
  layout.heapEnd = heapEnd;
  if (any(&DylibMetadata::needsHeapEnd))
    global(names::HeapEnd.str(), heapEnd, true);
  layout.memoryPages = heapEnd / PageSize;

  layout.indirectionTableBase = tableOffset;
  tableOffset += plan.envExports.size();
  layout.tableSize = tableOffset;
  if (heapEnd > UINT32_MAX || tableOffset > UINT32_MAX)
    return createError("the libraries do not fit in a 32-bit memory or table "
                       "(memory would end at " +
                       Twine(heapEnd) + ")");
  return layout;
}
