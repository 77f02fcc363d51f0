# install + export: find_package(contentgen CONFIG) and pkg-config --libs contentgen.
include(CMakePackageConfigHelpers)

install(TARGETS contentgen contentgen_testing_shared EXPORT contentgen-targets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT contentgen-targets NAMESPACE contentgen::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/contentgen)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/contentgen-config.cmake.in
  ${PROJECT_BINARY_DIR}/contentgen-config.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/contentgen)
# As the SONAME: while the major version is 0, only the same minor version is compatible.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(package_compatibility SameMinorVersion)
else()
  set(package_compatibility SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/contentgen-config-version.cmake
  COMPATIBILITY ${package_compatibility})
install(FILES ${PROJECT_BINARY_DIR}/contentgen-config.cmake ${PROJECT_BINARY_DIR}/contentgen-config-version.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/contentgen)

configure_file(${PROJECT_SOURCE_DIR}/cmake/contentgen.pc.in ${PROJECT_BINARY_DIR}/contentgen.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/contentgen.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
