//===- PackageResolver.h - the resolver of one WIT package -----*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The state of resolving one package, shared by the files that implement
/// it: TextResolver.cpp (items, paths, interfaces), TextTypes.cpp (types
/// and functions) and TextWorlds.cpp (worlds and includes).
///
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_WIT_PACKAGERESOLVER_H
#define WCL_LIB_WIT_PACKAGERESOLVER_H

#include "TextResolver.h"
#include "TopoSort.h"
#include "Try.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringMap.h"
#include <map>

namespace wcl {
namespace wit {

inline std::string errorPrefixNotFound(llvm::StringRef kind,
                                       llvm::StringRef name) {
  return (kind + " `" + name + "` does not exist").str();
}

/// What a name in an interface or world scope stands for.
struct ScopeEntry {
  enum class Kind : uint8_t { Type, Function, ExcludedType, InterfaceGated };
  Kind kind = Kind::Type;
  TypeId type;
};
using Scope =
    llvm::MapVector<std::string, ScopeEntry, std::map<std::string, unsigned>>;

/// A package-level interface or world.
struct PkgItem {
  bool isWorld = false;
  const ast::Interface *iface = nullptr;
  const ast::World *world = nullptr;
  size_t file = 0;
  Span span;
  bool excluded = false;
  InterfaceId interfaceId;
  WorldId worldId;
};

/// What a path (`iface`, `ns:pkg/iface`) names.
struct Target {
  bool isWorld = false;
  bool excluded = false;
  InterfaceId interfaceId;
  WorldId worldId;
};

/// A use or include path's target in a file: a local item or a foreign
/// interface.
struct FileName {
  std::optional<size_t> local;
  InterfaceId foreign;
};

struct PendingInclude {
  WorldId from;
  const ast::Include *ast;
};

class PackageResolver {
public:
  PackageResolver(Resolve &r, const UnresolvedPackage &pkg,
                  const Features &features)
      : r(r), pkg(pkg), features(features) {}

  llvm::Expected<PackageId> run();

private:
  Resolve &r;
  const UnresolvedPackage &pkg;
  const Features &features;
  PackageId pid;
  llvm::MapVector<std::string, PkgItem, std::map<std::string, unsigned>> items;
  std::vector<llvm::StringMap<FileName>> fileScopes;
  std::map<uint32_t, Scope> interfaceScopes;
  std::map<std::string, TypeId> anonTypes;
  /// The file of the item being resolved.
  size_t file = 0;
  Scope scope;
  bool sawExcluded = false;
  bool sawGatedInterface = false;

  llvm::Error collectItems();
  llvm::Error checkGatedInterface(const ast::Interface &iface);
  llvm::Error checkSince(const ast::Attributes &attrs, Span span);
  llvm::Expected<Stability> stability(const ast::Attributes &attrs);
  bool gatedOff(const ast::Attributes &attrs) const;
  llvm::Expected<std::vector<size_t>> itemOrder();
  void localDeps(const ast::UsePath &path, std::vector<TopoDep> &deps,
                 bool wantWorld = false);
  void interfaceDeps(const std::vector<ast::InterfaceItem> &its,
                     std::vector<TopoDep> &deps);

  llvm::Expected<Target> resolvePath(const ast::UsePath &path, bool wantWorld);
  llvm::Expected<InterfaceId> interfacePath(const ast::UsePath &path);
  llvm::Expected<WorldId> worldPath(const ast::UsePath &path);

  llvm::Error resolveInterface(InterfaceId id,
                               const std::vector<ast::InterfaceItem> &its);
  llvm::Error resolveTypes(TypeOwner owner,
                           const std::vector<const ast::Use *> &uses,
                           const std::vector<const ast::TypeDef *> &defs);
  llvm::Error resolveUse(TypeOwner owner, const ast::Use &u);
  llvm::Error defineName(const ast::Id &name, ScopeEntry e);
  llvm::Expected<TypeId> resolveTypeDef(const ast::TypeDef &def,
                                        TypeOwner owner);
  llvm::Expected<Type> resolveType(const ast::Type &t);
  llvm::Expected<TypeId> resolveName(const ast::Id &name);
  llvm::Expected<TypeId> resourceName(const ast::Id &name);
  TypeId anon(TypeDef def);
  Type own(TypeId resource);
  llvm::Expected<Function>
  resolveFunction(const ast::Docs &docs, const ast::Attributes &attrs,
                  const ast::Id &id, const ast::Func &func,
                  const std::string &name, FunctionKind kind, TypeId resource);
  llvm::Error resourceFuncs(const ast::TypeDef &def,
                            std::vector<std::pair<Function, Span>> &out);

  llvm::Error resolveWorld(WorldId id, const ast::World &w);
  llvm::Expected<WorldItem> resolveExtern(const ast::WorldItem &item,
                                          WorldKey &key);
  llvm::Error applyInclude(World &world, const PendingInclude &inc);
};

} // namespace wit
} // namespace wcl

#endif // WCL_LIB_WIT_PACKAGERESOLVER_H
