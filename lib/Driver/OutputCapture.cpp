//===- OutputCapture.cpp - wasm-ld's output file, in memory ---------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "OutputCapture.h"
#include "wcl/Support/Error.h"
#include "llvm/ADT/Twine.h"
#include <system_error>
#include <thread>
#ifdef __linux__
#include <fcntl.h>
#include <unistd.h>
#endif

using namespace llvm;
using namespace wcl;
using namespace wcl::driver;

struct OutputCapture::Impl {
  int readEnd = -1;
  int writeEnd = -1;
  std::vector<uint8_t> bytes;
  std::thread drain;

  void closeWriteEnd() {
#ifdef __linux__
    if (writeEnd >= 0)
      close(writeEnd);
#endif
    writeEnd = -1;
  }
};

Expected<std::unique_ptr<OutputCapture>> OutputCapture::create() {
#ifdef __linux__
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return createError(
        "cannot create a pipe for wasm-ld's output: " +
        std::error_code(errno, std::generic_category()).message());
  std::unique_ptr<OutputCapture> capture(new OutputCapture());
  capture->impl = std::make_unique<Impl>();
  Impl &impl = *capture->impl;
  impl.readEnd = fds[0];
  impl.writeEnd = fds[1];
  capture->pathName = ("/proc/self/fd/" + Twine(fds[1])).str();
  // The pipe holds 64 KiB; wasm-ld writes its whole module in one commit,
  // so the reader must run while it does.
  impl.drain = std::thread([&impl] {
    uint8_t chunk[1 << 16];
    for (;;) {
      ssize_t n = read(impl.readEnd, chunk, sizeof(chunk));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      impl.bytes.insert(impl.bytes.end(), chunk, chunk + n);
    }
  });
  return std::move(capture);
#else
  return createError("linking objects into a component needs /proc/self/fd "
                     "for wasm-ld's output, which this platform lacks");
#endif
}

std::vector<uint8_t> OutputCapture::finish() {
  if (!impl->drain.joinable())
    return std::move(impl->bytes);
  // wasm-ld has closed the descriptor it opened; ours is the last writer.
  impl->closeWriteEnd();
  impl->drain.join();
  return std::move(impl->bytes);
}

OutputCapture::~OutputCapture() {
  if (!impl)
    return;
  if (impl->drain.joinable()) {
    impl->closeWriteEnd();
    impl->drain.join();
  }
#ifdef __linux__
  if (impl->readEnd >= 0)
    close(impl->readEnd);
#endif
}
