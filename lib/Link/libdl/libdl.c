//===- libdl.c - dlopen/dlsym over wcl's lookup table ---------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The libdl that `wasm-component-ld --use-built-in-libdl` links in. Nothing
// is loaded at run time in a component: every library that dlopen may find
// was linked in with --dl-openable, and the linker wrote a sorted lookup
// table of those libraries and their symbols into memory (see
// include/wcl/Link/Layout.h). The env module exports the table's address as
// the global __wasm_libdl_libraries, which this library reaches through
// GOT.mem like any other data symbol.
//
// It is freestanding on purpose: no libc, so it links against any libc.so
// (or none) and does not depend on libc internals such as __wasi_init_tp.
//
//===----------------------------------------------------------------------===//

#include <stddef.h>
#include <stdint.h>

#define RTLD_LAZY 1
#define RTLD_NOW 2
#define RTLD_GLOBAL 256
#define RTLD_DEFAULT ((void *)0)
#define RTLD_NEXT ((void *)-1)

struct Name {
  uint32_t length;
  const unsigned char *data;
};

struct Symbol {
  struct Name name;
  void *address;
};

struct Symbols {
  uint32_t count;
  const struct Symbol *symbols;
};

struct Library {
  struct Name name;
  struct Symbols symbols;
};

struct Libraries {
  uint32_t count;
  const struct Library *libraries;
};

// Defined by the linker; see the file comment.
extern const struct Libraries __wasm_libdl_libraries;

static const char *error;

// Compares a table name (not NUL-terminated) with a C string, bytewise as
// the linker sorted them.
static int compareName(const struct Name *name, const char *key) {
  const unsigned char *k = (const unsigned char *)key;
  for (uint32_t i = 0; i < name->length; ++i) {
    if (k[i] == 0)
      return 1; // key is a prefix of name: name sorts after it
    if (name->data[i] != k[i])
      return name->data[i] < k[i] ? -1 : 1;
  }
  return k[name->length] == 0 ? 0 : -1;
}

static int isValidHandle(const void *handle) {
  const struct Libraries *libs = &__wasm_libdl_libraries;
  for (uint32_t i = 0; i < libs->count; ++i)
    if (handle == (const void *)&libs->libraries[i])
      return 1;
  error = "invalid library handle";
  return 0;
}

void *dlopen(const char *name, int flags) {
  if (flags & ~(RTLD_LAZY | RTLD_NOW | RTLD_GLOBAL)) {
    error = "dlopen flags not yet supported";
    return NULL;
  }
  if (!name) {
    error = "dlopen(NULL) is not supported: there is no main program handle";
    return NULL;
  }
  const struct Libraries *libs = &__wasm_libdl_libraries;
  size_t lo = 0, hi = libs->count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = compareName(&libs->libraries[mid].name, name);
    if (c == 0)
      return (void *)&libs->libraries[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  error = "library not found";
  return NULL;
}

void *dlsym(void *handle, const char *name) {
  if (handle == RTLD_DEFAULT || handle == RTLD_NEXT) {
    error = "dlsym RTLD_NEXT and RTLD_DEFAULT not yet supported";
    return NULL;
  }
  if (!isValidHandle(handle))
    return NULL;
  const struct Symbols *syms = &((const struct Library *)handle)->symbols;
  size_t lo = 0, hi = syms->count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = compareName(&syms->symbols[mid].name, name);
    if (c == 0)
      return syms->symbols[mid].address;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  error = "symbol not found";
  return NULL;
}

int dlclose(void *handle) { return isValidHandle(handle) ? 0 : -1; }

char *dlerror(void) {
  const char *e = error;
  error = NULL;
  return (char *)e;
}
