# CTest fixture: installs the build tree into a fresh prefix and builds the C tests (consumer/)
# against that installed tree. Run with cmake -P and:
#   -DBUILD_DIR=<the project's build dir> -DPREFIX=<install prefix> -DCONSUMER_SOURCE=<consumer/>
#   -DCONSUMER_BINARY=<where to build it> -DC_COMPILER=<cc> -DGENERATOR=<cmake generator>
#   [-DCXX_COMPILER=<c++>] [-DC_FLAGS=...] [-DCXX_FLAGS=...] [-DLINKER_FLAGS=...] (e.g. the sanitizer
#   flags of the asan preset: a program linked to an ASan library must be built with them too)
foreach(var BUILD_DIR PREFIX CONSUMER_SOURCE CONSUMER_BINARY C_COMPILER GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_and_build.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE ${PREFIX} ${CONSUMER_BINARY})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc}): build the whole tree first")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${CONSUMER_SOURCE} -B ${CONSUMER_BINARY} -G ${GENERATOR}
                        -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_BUILD_TYPE=Debug
                        -DCMAKE_CXX_COMPILER=${CXX_COMPILER} "-DCMAKE_C_FLAGS=${C_FLAGS}"
                        "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the C tests against ${PREFIX} failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${CONSUMER_BINARY} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the C tests against ${PREFIX} failed (${rc})")
endif()
