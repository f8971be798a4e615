#include "ComponentValidator.h"
#include "ModuleValidator.h"
#include "wcl/Wasm/ModuleReader.h"
using namespace llvm;
using namespace wcl;
using namespace wcl::validate;
Error validate::validateComponent(const component::Component &c,
                                  const Features &features) {
  TypeArena arena;
  for (const component::CoreModule &m : c.coreModules) {
    wasm::CoreModule cm;
    if (Error e = wasm::readCoreModule(m.bytes, m.offset).moveInto(cm))
      return e;
    if (Error e = validateModule(cm, features, arena).takeError())
      return e;
  }
  for (const auto &sub : c.components)
    if (Error e = validateComponent(*sub, features))
      return e;
  return Error::success();
}
