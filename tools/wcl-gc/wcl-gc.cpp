//===- wcl-gc.cpp - Garbage-collect or re-encode a core module ------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A developer tool over wclWasm's instruction re-encoder and ModuleGC, so
/// that lit tests can run them on modules clang and wasm-ld produce.
/// `--keep NAME` (repeatable) or `--all-exports` choose the roots and `-o`
/// writes the reduced module; `--roundtrip` instead re-encodes every
/// function body and constant expression with identity maps and fails unless
/// each comes out byte for byte as it went in.
///
//===----------------------------------------------------------------------===//

#include "wcl/Wasm/Instructions.h"
#include "wcl/Wasm/ModuleGC.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileOutputBuffer.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace wcl::wasm;

namespace {

cl::OptionCategory category("wcl-gc options");

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input module>"),
                               cl::Required, cl::cat(category));
cl::opt<std::string> outputFile("o", cl::desc("Write the reduced module here"),
                                cl::value_desc("file"), cl::cat(category));
cl::list<std::string> keep("keep", cl::desc("Keep this export (repeatable)"),
                           cl::value_desc("name"), cl::cat(category));
cl::opt<bool> allExports("all-exports", cl::desc("Keep every export"),
                         cl::cat(category));
cl::opt<bool> roundTrip("roundtrip",
                        cl::desc("Re-encode every body and constant "
                                 "expression with identity maps and check "
                                 "that nothing changes"),
                        cl::cat(category));
cl::opt<bool> noNames("strip-names", cl::desc("Drop the name section"),
                      cl::cat(category));

const char *toolName = "wcl-gc";

[[noreturn]] void fail(const Twine &msg) {
  WithColor::error(errs(), toolName) << msg << "\n";
  exit(1);
}

void check(Error err) {
  if (err)
    fail("'" + inputFile + "': " + toString(std::move(err)));
}

/// Re-encodes \p code with identity maps; counts instructions into \p n.
Error roundTripExpr(ArrayRef<uint8_t> code, uint64_t offset, size_t &n) {
  SmallVector<char, 0> out;
  raw_svector_ostream os(out);
  IndexMaps identity;
  if (Error e = forEachInstr(code, offset, [&](const Instr &instr) {
        ++n;
        return rewriteInstr(os, instr, identity);
      }))
    return e;
  if (ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(out.data()),
                        out.size()) != code)
    return createStringError(inconvertibleErrorCode(),
                             "offset 0x" + Twine::utohexstr(offset) +
                                 ": re-encoded expression differs");
  return Error::success();
}

void runRoundTrip(const CoreModule &mod) {
  size_t instrs = 0, exprs = 0;
  for (const FunctionBody &body : mod.bodies) {
    // The locals too: their reference types may name types.
    SmallVector<char, 0> out;
    raw_svector_ostream os(out);
    check(rewriteFunctionBody(os, body, IndexMaps()));
    if (ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(out.data()),
                          out.size()) != body.body)
      fail("'" + inputFile + "': offset 0x" +
           Twine::utohexstr(body.bodyOffset) + ": re-encoded body differs");
    check(roundTripExpr(body.code, body.codeOffset, instrs));
  }
  auto constExpr = [&](const ConstExpr &expr) {
    size_t n = 0;
    check(roundTripExpr(expr.bytes, expr.offset, n));
    ++exprs;
  };
  for (const Global &g : mod.globals)
    constExpr(g.init);
  for (const Table &t : mod.tables)
    if (t.init)
      constExpr(*t.init);
  for (const ElemSegment &seg : mod.elemSegments) {
    if (seg.offsetExpr)
      constExpr(*seg.offsetExpr);
    for (const ConstExpr &e : seg.exprs)
      constExpr(e);
  }
  for (const DataSegment &seg : mod.dataSegments)
    if (seg.offsetExpr)
      constExpr(*seg.offsetExpr);
  outs() << "roundtrip: " << mod.bodies.size() << " bodies, " << instrs
         << " instructions, " << exprs << " constant expressions: identical\n";
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM x(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "wcl-gc: core module GC\n");

  ErrorOr<std::unique_ptr<MemoryBuffer>> buf =
      MemoryBuffer::getFileOrSTDIN(inputFile, /*IsText=*/false);
  if (!buf)
    fail("'" + inputFile + "': " + buf.getError().message());
  ArrayRef<uint8_t> bytes(
      reinterpret_cast<const uint8_t *>((*buf)->getBufferStart()),
      (*buf)->getBufferSize());
  Expected<CoreModule> mod = readCoreModule(bytes);
  if (!mod)
    check(mod.takeError());

  if (roundTrip) {
    runRoundTrip(*mod);
    return 0;
  }
  if (outputFile.empty())
    fail("no output file; use -o");
  ModuleGC gc(*mod);
  if (allExports)
    gc.addAllExports();
  for (const std::string &name : keep)
    check(gc.addRootExport(name));
  check(gc.run());
  ModuleGCOptions options;
  options.keepNames = !noNames;
  Expected<std::vector<uint8_t>> out = gc.emit(options);
  if (!out)
    check(out.takeError());

  Expected<std::unique_ptr<FileOutputBuffer>> file =
      FileOutputBuffer::create(outputFile, out->size());
  if (!file)
    fail("'" + outputFile + "': " + toString(file.takeError()));
  std::copy(out->begin(), out->end(), (*file)->getBufferStart());
  if (Error e = (*file)->commit())
    fail("'" + outputFile + "': " + toString(std::move(e)));
  return 0;
}
