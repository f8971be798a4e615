# Helpers for wcl's layered libraries and tools.
#
# DESIGN.md §2: a layer may use only the layers above it in this list. The
# order here is that list; add_wcl_library rejects a dependency that points
# down or sideways so the layering cannot erode silently.
set(WCL_LAYERS
  wclSupport wclWasm wclComponent wclValidate wclWIT wclDylink wclEncoder
  wclLink wclDriver wclDump)

function(add_wcl_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LINK_LIBS;DEPENDS" ${ARGN})
  list(FIND WCL_LAYERS ${name} self)
  if(self EQUAL -1)
    message(FATAL_ERROR "${name} is not a layer listed in WCL_LAYERS")
  endif()
  foreach(dep ${ARG_LINK_LIBS})
    list(FIND WCL_LAYERS ${dep} rank)
    if(NOT rank EQUAL -1 AND NOT rank LESS self)
      message(FATAL_ERROR "layering violation: ${name} may not depend on ${dep} (DESIGN.md §2)")
    endif()
  endforeach()
  add_library(${name} STATIC ${ARG_SOURCES})
  # Installed with its headers and exported as wcl::${name} (wclConfig.cmake),
  # so other LLVM-based projects can link the layers they need.
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  install(TARGETS ${name} EXPORT wclTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  # Every layer links the shared libLLVM; never the component archives, which
  # would give two copies of LLVM's globals.
  target_link_libraries(${name} PUBLIC ${ARG_LINK_LIBS} LLVM)
  if(ARG_DEPENDS)
    add_dependencies(${name} ${ARG_DEPENDS})
  endif()
endfunction()

# Runs llvm-tblgen -gen-opt-parser-defs on an Options.td, as lld does.
function(wcl_tablegen_options target td out)
  find_program(WCL_TBLGEN llvm-tblgen HINTS ${LLVM_TOOLS_BINARY_DIR} NO_DEFAULT_PATH REQUIRED)
  set(outpath ${CMAKE_CURRENT_BINARY_DIR}/${out})
  add_custom_command(OUTPUT ${outpath}
    COMMAND ${WCL_TBLGEN} -gen-opt-parser-defs -I ${LLVM_INCLUDE_DIRS}
            ${CMAKE_CURRENT_SOURCE_DIR}/${td} -o ${outpath}
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${td}
    COMMENT "Building ${out}")
  add_custom_target(${target} DEPENDS ${outpath})
endfunction()
