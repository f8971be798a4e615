//===- CanonGc.cpp - The GC lowering of component values ------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The `gc` canonical option (cm-gc): component values pass as core GC
/// values rather than through linear memory. Scalars stay scalars (packed
/// to i8/i16 inside structs and arrays), strings and lists become arrays,
/// records and tuples structs with one field each, variants structs, and
/// handles, streams, futures and error contexts extern references.
///
//===----------------------------------------------------------------------===//

#include "CanonGc.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;
using namespace wcl;
using namespace wcl::validate;
using wasm::CompositeType;
using wasm::TypeCode;
using Kind = DefinedT::Kind;

static constexpr uint8_t PackedI8 = 0x78, PackedI16 = 0x77;

static std::string coreText(const wasm::ValType &v, uint8_t packed) {
  if (packed == PackedI8)
    return "i8";
  if (packed == PackedI16)
    return "i16";
  if (v.isRef() && v.ref.heapType >= 0)
    return std::string(v.ref.nullable ? "(ref null " : "(ref ") + "(id " +
           utostr(uint64_t(v.ref.heapType)) + "))";
  return wasm::toString(v);
}

/// The composite a reference points at, if it is a concrete one.
static const CompositeType *target(const TypeArena &arena,
                                   const wasm::ValType &v, uint8_t packed) {
  if (packed || !v.isRef() || v.ref.heapType < 0 ||
      size_t(v.ref.heapType) >= arena.core.size())
    return nullptr;
  return &arena.core[v.ref.heapType].composite;
}

namespace {
class GcLowering {
public:
  GcLowering(const TypeArena &arena, bool utf16) : arena(arena), utf16(utf16) {}

  std::string check(const CValType &v, const wasm::ValType &core,
                    uint8_t packed, bool inField);

private:
  std::string scalar(TypeCode c, const wasm::ValType &core, uint8_t packed,
                     bool inField);
  std::string fields(StringRef what, ArrayRef<CValType> types,
                     const wasm::ValType &core, uint8_t packed);

  const TypeArena &arena;
  bool utf16;
};
} // namespace

std::string GcLowering::scalar(TypeCode c, const wasm::ValType &core,
                               uint8_t packed, bool inField) {
  StringRef name = component::primitiveName(c);
  std::string want;
  switch (c) {
  case TypeCode::Bool:
  case TypeCode::U8:
  case TypeCode::S8:
    want = inField ? "i8" : "i32";
    break;
  case TypeCode::U16:
  case TypeCode::S16:
    want = inField ? "i16" : "i32";
    break;
  case TypeCode::S64:
  case TypeCode::U64:
    want = "i64";
    break;
  case TypeCode::F32:
    want = "f32";
    break;
  case TypeCode::F64:
    want = "f64";
    break;
  case TypeCode::String: {
    StringRef unit = utf16 ? "i16" : "i8";
    const CompositeType *t = target(arena, core, packed);
    if (t && t->kind == CompositeType::Kind::Array &&
        t->fields[0].packed == (utf16 ? PackedI16 : PackedI8))
      return "";
    return ("expected to lower component `string` type to core `(ref null? "
            "(array (mut? " +
            unit + ")))` type, found `" + coreText(core, packed) + "`")
        .str();
  }
  case TypeCode::ErrorContext: {
    if (!packed && core.isRef() && core.ref.heapType == wasm::heaptype::Extern)
      return "";
    return "expected to lower component `error-context` type into core "
           "`(ref null? extern)` type, but found `" +
           coreText(core, packed) + "`";
  }
  default:
    want = "i32";
    break;
  }
  if (coreText(core, packed) == want && !core.isRef())
    return "";
  return ("expected to lower component `" + name + "` type to core `" + want +
          "` type, found `" + coreText(core, packed) + "`")
      .str();
}

std::string GcLowering::fields(StringRef what, ArrayRef<CValType> types,
                               const wasm::ValType &core, uint8_t packed) {
  const CompositeType *t = target(arena, core, packed);
  if (!t || t->kind != CompositeType::Kind::Struct)
    return ("expected to lower component `" + what +
            "` type to core `(ref null? (struct ...))`, but found `" +
            coreText(core, packed) + "`")
        .str();
  if (t->fields.size() != types.size())
    return "core `struct` has " + utostr(t->fields.size()) +
           " fields, but component `" + what.str() + "` has " +
           utostr(types.size()) + " fields";
  for (size_t i = 0; i < types.size(); ++i) {
    std::string why =
        check(types[i], t->fields[i].type, t->fields[i].packed, true);
    if (!why.empty())
      return why;
  }
  return "";
}

std::string GcLowering::check(const CValType &v, const wasm::ValType &core,
                              uint8_t packed, bool inField) {
  if (v.isPrim)
    return scalar(v.prim, core, packed, inField);
  const DefinedT &d = arena.types[v.id].defined;
  StringRef kind;
  switch (d.kind) {
  case Kind::Primitive:
    return scalar(d.prim, core, packed, inField);
  case Kind::Record: {
    SmallVector<CValType, 8> types;
    for (const auto &f : d.fields)
      types.push_back(f.second);
    return fields("record", types, core, packed);
  }
  case Kind::Tuple:
    return fields("tuple", d.types, core, packed);
  case Kind::List:
  case Kind::FixedList: {
    const CompositeType *t = target(arena, core, packed);
    if (!t || t->kind != CompositeType::Kind::Array)
      return "expected to lower component `list` type into `(ref null? "
             "(array ...))`, but found `" +
             coreText(core, packed) + "`";
    return check(*d.first, t->fields[0].type, t->fields[0].packed, true);
  }
  case Kind::Variant:
    kind = "variant";
    break;
  case Kind::Option:
    kind = "option";
    break;
  case Kind::Result:
    kind = "result";
    break;
  case Kind::Enum:
  case Kind::Flags: {
    if (!packed && !core.isRef() && core.code == 0x7f)
      return "";
    return ("expected to lower component `" +
            StringRef(d.kind == Kind::Enum ? "enum" : "flags") +
            "` type into core `i32` type, but found `" +
            coreText(core, packed) + "`")
        .str();
  }
  default: {
    // own, borrow, stream, future (and map) are extern references.
    StringRef name = d.kind == Kind::Own      ? "own"
                     : d.kind == Kind::Borrow ? "borrow"
                     : d.kind == Kind::Stream ? "stream"
                     : d.kind == Kind::Future ? "future"
                                              : "map";
    if (!packed && core.isRef() && core.ref.heapType == wasm::heaptype::Extern)
      return "";
    return ("expected to lower component `" + name +
            "` type into core `(ref null? extern)` type, but found `" +
            coreText(core, packed) + "`")
        .str();
  }
  }
  // Variants lower to an empty struct (their cases are subtypes of it).
  const CompositeType *t = target(arena, core, packed);
  if (t && t->kind == CompositeType::Kind::Struct && t->fields.empty())
    return "";
  return ("expected to lower component `" + kind +
          "` type to core `(ref null? (struct))`, but found `" +
          coreText(core, packed) + "`")
      .str();
}

std::string validate::gcLowerMismatch(const TypeArena &arena, const FuncT &f,
                                      TypeId coreFunc, bool utf16) {
  const CompositeType &c = arena.core[coreFunc].composite;
  if (c.kind != CompositeType::Kind::Func)
    return "core type is not a function type";
  const wasm::FuncType &ft = c.func;
  if (ft.params.size() != f.params.size())
    return "expected " + utostr(f.params.size()) + " core parameters, found " +
           utostr(ft.params.size());
  if (ft.results.size() != (f.result ? 1u : 0u))
    return "expected " + utostr(f.result ? 1 : 0) + " core results, found " +
           utostr(ft.results.size());
  GcLowering g(arena, utf16);
  for (size_t i = 0; i < ft.params.size(); ++i) {
    std::string why = g.check(f.params[i].second, ft.params[i], 0, false);
    if (!why.empty())
      return why;
  }
  if (f.result)
    return g.check(*f.result, ft.results[0], 0, false);
  return "";
}
