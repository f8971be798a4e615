/*===- WasiAdapters.c - The built-in WASI preview1 adapters ---------------===*
 *
 * Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
 * License v2.0 with LLVM Exceptions.
 *
 *===----------------------------------------------------------------------===*
 *
 * The wasi_snapshot_preview1 command and reactor adapters, embedded from the
 * files jco's npm package ships (C23 #embed; the build passes their paths).
 * A build without them has empty arrays and the driver says so when an
 * adapter is needed.
 *
 *===----------------------------------------------------------------------===*/

#include <stddef.h>

#ifdef WCL_WASI_COMMAND_ADAPTER
const unsigned char wclWasiCommandAdapter[] = {
#embed WCL_WASI_COMMAND_ADAPTER
};
const size_t wclWasiCommandAdapterSize = sizeof(wclWasiCommandAdapter);
#else
const unsigned char wclWasiCommandAdapter[1] = {0};
const size_t wclWasiCommandAdapterSize = 0;
#endif

#ifdef WCL_WASI_REACTOR_ADAPTER
const unsigned char wclWasiReactorAdapter[] = {
#embed WCL_WASI_REACTOR_ADAPTER
};
const size_t wclWasiReactorAdapterSize = sizeof(wclWasiReactorAdapter);
#else
const unsigned char wclWasiReactorAdapter[1] = {0};
const size_t wclWasiReactorAdapterSize = 0;
#endif
