//===- ComponentValidator.h - Validation of components ----------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef WCL_LIB_VALIDATE_COMPONENTVALIDATOR_H
#define WCL_LIB_VALIDATE_COMPONENTVALIDATOR_H

#include "wcl/Component/ComponentReader.h"
#include "wcl/Validate/Validate.h"

namespace wcl {
namespace validate {

/// Validates a decoded component and every component and module nested in
/// it.
llvm::Error validateComponent(const component::Component &c,
                              const Features &features);

} // namespace validate
} // namespace wcl

#endif // WCL_LIB_VALIDATE_COMPONENTVALIDATOR_H
