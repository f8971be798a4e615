//===- Metadata.cpp - A module's WIT metadata and names -------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Module rewrites copy every section they do not change byte for byte, so
/// an embedded module is its input with a few sections replaced; the world
/// a module carries is decoded here too.
///
//===----------------------------------------------------------------------===//

#include "Metadata.h"
#include "wcl/Support/Error.h"
#include "wcl/Support/Version.h"
#include "wcl/WIT/Decode.h"
#include "wcl/Wasm/Binary.h"
#include "wcl/Wasm/Writer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"
#include <map>

using namespace llvm;
using namespace wcl;

void wcl::addProcessedByWcl(wasm::ProducersBuilder &producers) {
  producers.add("processed-by", "wcl", getVersion());
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

std::optional<std::vector<uint8_t>>
encoder::renameDuplicateImports(const wasm::CoreModule &mod) {
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

Expected<encoder::ModuleWorld>
encoder::decodeModuleWorld(wit::Resolve &resolve, const wasm::CoreModule &mod,
                           bool semver) {
  ModuleWorld result;
  std::optional<wit::WorldId> &world = result.world;
  for (const wasm::Section &sec : mod.sections) {
    if (!sec.isCustom() ||
        !sec.name.starts_with(wasm::ComponentTypeSectionPrefix))
      continue;
    Expected<wit::WorldMetadata> meta =
        wit::decodeWorld(resolve, sec.content, sec.contentOffset);
    if (!meta)
      return addContext(meta.takeError(), "invalid " + sec.name + " section");
    result.producers.merge(meta->producers);
    if (!world) {
      world = meta->world;
      continue;
    }
    if (Error e = wit::mergeWorlds(resolve, *world, meta->world, semver))
      return addContext(std::move(e), "merging " + sec.name);
  }
  return result;
}
