# What a CMake build does with `wasm-component-ld --version`: the first
# x.y.z is the version, which must be at least 0.5.30.
file(READ "${VERSION_FILE}" out)
if(NOT out MATCHES "([0-9]+\\.[0-9]+\\.[0-9]+)")
  message(FATAL_ERROR "no version in: ${out}")
endif()
set(version "${CMAKE_MATCH_1}")
if(version VERSION_LESS 0.5.30)
  message(FATAL_ERROR "wasm-component-ld ${version} is older than 0.5.30")
endif()
message("wasm-component-ld version ${version} accepted")
