//===- wcl/Wasm/CustomSections.h - Custom sections --------------*- C++ -*-===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// One include for the custom sections wcl reads and writes, each of which
/// has a header of its own holding its decoded form, its reader and (where
/// wcl emits it) its writer: `name` and `component-name` (NameSection.h),
/// `producers` (ProducersSection.h), `dylink.0` (DylinkSection.h) and
/// `target_features` (TargetFeaturesSection.h).
///
//===----------------------------------------------------------------------===//

#ifndef WCL_WASM_CUSTOMSECTIONS_H
#define WCL_WASM_CUSTOMSECTIONS_H

#include "wcl/Wasm/DylinkSection.h"
#include "wcl/Wasm/NameSection.h"
#include "wcl/Wasm/ProducersSection.h"
#include "wcl/Wasm/TargetFeaturesSection.h"

#endif // WCL_WASM_CUSTOMSECTIONS_H
