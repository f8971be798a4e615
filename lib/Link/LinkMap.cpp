//===- LinkMap.cpp - The --Map report -------------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Renders a LinkPlan and its Layout as the --Map text. The format is meant
/// for people first and for FileCheck second: one fact per line, stable
/// order, addresses in hex with sizes in decimal.
///
//===----------------------------------------------------------------------===//

#include "wcl/Link/LinkMap.h"
#include "wcl/Dylink/Names.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::dylink;

static std::string hex(uint32_t v) {
  return "0x" + utohexstr(v, /*LowerCase=*/true);
}

void wcl::writeLinkMap(raw_ostream &os, const LinkPlan &plan,
                       const Layout &layout) {
  const auto &libs = plan.libraries;
  os << "Libraries (input order):\n";
  for (unsigned i = 0; i < libs.size(); ++i) {
    const DylibMetadata &m = libs[i].meta();
    const LibraryLayout &l = layout.libraries[i];
    os << "  " << m.name << (libs[i].dlOpenable ? " (dl-openable)" : "")
       << ": memory " << hex(l.memoryBase) << " size " << m.memInfo.memorySize
       << " align " << (1u << m.memInfo.memoryAlignment) << ", table "
       << l.tableBase << " size " << m.memInfo.tableSize << " align "
       << (1u << m.memInfo.tableAlignment) << "\n";
  }

  os << "Instantiation order:";
  for (unsigned i : plan.topoOrder)
    os << " " << libs[i].meta().name;
  os << "\n";

  os << "Memory: " << layout.memoryPages << " pages; stack [0, "
     << hex(plan.options.stackSize) << "), heap [" << hex(layout.heapBase)
     << ", " << hex(layout.heapEnd) << ")\n";
  os << "Table: " << layout.tableSize << " slots; env re-exports from slot "
     << layout.indirectionTableBase << "\n";

  StringMap<unsigned> envSlot;
  for (unsigned i = 0; i < plan.envExports.size(); ++i)
    envSlot.try_emplace(plan.envExports[i].name,
                        layout.indirectionTableBase + i);
  SmallVector<unsigned, 16> position(libs.size());
  for (unsigned p = 0; p < plan.topoOrder.size(); ++p)
    position[plan.topoOrder[p]] = p;

  os << "Imports:\n";
  for (unsigned i : plan.topoOrder) {
    const DylibMetadata &m = libs[i].meta();
    os << "  " << m.name << ":\n";
    for (const EnvImport &imp : m.envImports) {
      std::optional<unsigned> e =
          plan.exporterOf({imp.name, SymbolType::function(imp.type)});
      os << "    env." << imp.name << " ("
         << toString(SymbolType::function(imp.type)) << ")"
         << ((imp.flags & 1) ? " weak" : "") << " <- ";
      if (!e) {
        os << "unresolved\n";
        continue;
      }
      const std::string &from = libs[*e].meta().name;
      if (*e != i && position[*e] < position[i])
        os << from << " (direct)\n";
      else
        os << from << " through env table slot " << envSlot.lookup(imp.name)
           << (*e == i ? " (self-import)\n" : " (cycle: instantiated later)\n");
    }
    for (StringRef sym : m.memoryAddressImports) {
      std::optional<unsigned> e =
          plan.exporterOf({sym, SymbolType::globalOf(ValueType::I32, false)});
      os << "    GOT.mem." << sym << " <- env global " << m.name << ":" << sym
         << " = " << (e ? libs[*e].meta().name : "?") << ":memory_base + "
         << (e ? libs[*e].meta().name : "?") << "." << sym << "\n";
    }
    for (StringRef sym : m.tableAddressImports) {
      auto it = plan.resolution.functionsByName.find(sym);
      os << "    GOT.func." << sym << " <- table slot " << envSlot.lookup(sym)
         << " ("
         << (it != plan.resolution.functionsByName.end()
                 ? libs[it->second].meta().name
                 : std::string("?"))
         << ")\n";
    }
    for (const TagImport &tag : m.tagImports) {
      std::optional<unsigned> e =
          plan.exporterOf({tag.name, SymbolType::tag(tag.type)});
      os << "    env." << tag.name << " ("
         << toString(SymbolType::tag(tag.type)) << ") <- "
         << (e ? libs[*e].meta().name : "?") << " (direct)\n";
    }
  }

  os << "Env globals:\n";
  for (const EnvGlobal &g : layout.globals)
    os << "  " << g.name << " = " << g.value << (g.isMutable ? " (mut)" : "")
       << "\n";

  os << "Start function order:\n";
  for (const PlannedLibrary &lib : libs)
    if (lib.meta().exportsSetLibraries)
      os << "  " << lib.meta().name << "." << names::SetLibraries << "("
         << hex(layout.dl.librariesAddress) << ")\n";
  for (const PlannedLibrary &lib : libs)
    if (lib.meta().hasDataRelocs)
      os << "  " << lib.meta().name << "." << names::ApplyDataRelocs << "\n";
  for (const PlannedLibrary &lib : libs) {
    if (lib.meta().hasCtors)
      os << "  " << lib.meta().name << "." << names::CallCtors << "\n";
    else if (lib.meta().hasInitialize)
      os << "  " << lib.meta().name << "." << names::Initialize << "\n";
  }

  os << "dlopen table: " << hex(layout.dl.memoryBase) << ", "
     << layout.dl.bytes.size() << " bytes, root record at "
     << hex(layout.dl.librariesAddress) << "\n";
  for (unsigned s = 0; s < layout.dl.functions.size(); ++s) {
    auto [lib, sym] = layout.dl.functions[s];
    os << "  " << libs[lib].meta().name << "." << sym << " -> table slot "
       << layout.dl.tableBase + s << "\n";
  }
  for (const DlTable::GlobalSlot &g : layout.dl.globalSlots)
    os << "  " << libs[g.library].meta().name << "." << g.symbol
       << " -> address stored at " << hex(g.address) << "\n";

  if (!plan.dropped.empty()) {
    os << "Dropped libraries:\n";
    for (const DroppedLibrary &d : plan.dropped)
      os << "  " << d.name << ": " << d.reason << "\n";
  }
}
