# A component is one room of the library (lib/core, lib/net, lib/adapters/soci, ...): a static,
# position-independent library with hidden visibility. The shared library libcontentgen.so is the
# whole-archive union of all components; tests link the components they exercise directly, so they
# can reach internal (non-exported) code and a broken component does not block unrelated tests.

set(CONTENTGEN_WARNINGS -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Wnon-virtual-dtor)
if(CONTENTGEN_WERROR)
  list(APPEND CONTENTGEN_WARNINGS -Werror)
endif()

function(contentgen_apply_warnings target)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:${CONTENTGEN_WARNINGS}>)
endfunction()

# contentgen_component(<name> [OUTSIDE_LIBRARY] [DIR <dir>] [PUBLIC_LINK ...] [PRIVATE_LINK ...])
# Sources: every .cpp under DIR (default lib/<name>), globbed so new files need no CMake edit.
# OUTSIDE_LIBRARY: not part of libcontentgen.so (the fakes, which ship as libcontentgen-testing).
function(contentgen_component name)
  cmake_parse_arguments(ARG "OUTSIDE_LIBRARY" "DIR" "PUBLIC_LINK;PRIVATE_LINK" ${ARGN})
  if(NOT ARG_DIR)
    set(ARG_DIR ${PROJECT_SOURCE_DIR}/lib/${name})
  endif()
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${ARG_DIR}/*.cpp)
  set(target contentgen_${name})
  if(NOT sources)
    message(STATUS "component ${name}: no sources yet, not built")
    return()
  endif()
  add_library(${target} STATIC ${sources})
  set_target_properties(${target} PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_definitions(${target} PUBLIC CONTENTGEN_BUILDING_LIBRARY)
  target_include_directories(${target}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    PRIVATE ${PROJECT_SOURCE_DIR}/lib)
  target_link_libraries(${target} PUBLIC ${ARG_PUBLIC_LINK} PRIVATE ${ARG_PRIVATE_LINK})
  contentgen_apply_warnings(${target})
  if(NOT ARG_OUTSIDE_LIBRARY)
    set_property(GLOBAL APPEND PROPERTY CONTENTGEN_COMPONENTS ${target})
  endif()
  set_directory_properties(PROPERTIES CONTENTGEN_COMPONENT ${target})
endfunction()

# contentgen_register_adapter(SECTION <llm|repository|images|events> KIND <kind> OPEN <function>
#                              [TARGET <component>])
# The one line that puts an adapter in the configuration's registry (lib/config/registry.hpp):
# `<function>` opens the kind from its section; it lives in contentgen::configdetail, in the
# adapter's own folder. TARGET defaults to the component of the calling folder's contentgen_component.
function(contentgen_register_adapter)
  cmake_parse_arguments(ARG "" "SECTION;KIND;OPEN;TARGET" "" ${ARGN})
  if(NOT ARG_TARGET)
    get_directory_property(ARG_TARGET CONTENTGEN_COMPONENT)
  endif()
  set_property(GLOBAL APPEND PROPERTY CONTENTGEN_ADAPTERS "${ARG_SECTION}|${ARG_KIND}|${ARG_OPEN}|${ARG_TARGET}")
endfunction()

# contentgen_test(<name> SOURCES ... LINK ... [LABELS ...])
# One GoogleTest executable registered with CTest through gtest_discover_tests.
function(contentgen_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LINK;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/lib ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_LINK} GTest::gmock GTest::gtest_main)
  contentgen_apply_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}")
endfunction()
