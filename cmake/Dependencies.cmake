# Every third-party dependency is found here, once, and exposed as an imported target.
# All of them come from Debian packages (see scripts/lib/deps.sh for the apt line).

find_package(Boost 1.81 CONFIG REQUIRED)          # Boost::headers (JSON, URL, Beast, Asio header-only)
find_package(OpenSSL REQUIRED)                    # OpenSSL::SSL OpenSSL::Crypto
find_package(ICU REQUIRED COMPONENTS uc i18n data)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(CMARK_GFM REQUIRED IMPORTED_TARGET libcmark-gfm)
# The extensions library has no .pc file of its own on Debian; it sits next to libcmark-gfm.
find_library(CMARK_GFM_EXTENSIONS_LIBRARY NAMES cmark-gfm-extensions REQUIRED)
find_path(CMARK_GFM_EXTENSIONS_INCLUDE_DIR NAMES cmark-gfm-core-extensions.h REQUIRED)
if(NOT TARGET cmark_gfm::cmark_gfm)
  add_library(cmark_gfm::cmark_gfm INTERFACE IMPORTED)
  target_link_libraries(cmark_gfm::cmark_gfm INTERFACE PkgConfig::CMARK_GFM ${CMARK_GFM_EXTENSIONS_LIBRARY})
  target_include_directories(cmark_gfm::cmark_gfm INTERFACE ${CMARK_GFM_EXTENSIONS_INCLUDE_DIR})
endif()

# SOCI 4.0.3 ships neither a CMake config nor a .pc file: imported targets by hand.
# Link the shared objects (Debian's .a files are not position-independent).
find_path(SOCI_INCLUDE_DIR NAMES soci/soci.h REQUIRED)
find_package(SQLite3 REQUIRED)
set(soci_parts core sqlite3)
if(CONTENTGEN_WITH_POSTGRESQL)
  find_package(PostgreSQL REQUIRED)               # libpq headers, needed by soci/postgresql
  list(APPEND soci_parts postgresql)
endif()
foreach(part ${soci_parts})
  find_library(SOCI_${part}_LIBRARY NAMES soci_${part} REQUIRED)
  if(NOT TARGET soci::${part})
    add_library(soci::${part} SHARED IMPORTED)
    set_target_properties(soci::${part} PROPERTIES IMPORTED_LOCATION "${SOCI_${part}_LIBRARY}")
    target_include_directories(soci::${part} SYSTEM INTERFACE ${SOCI_INCLUDE_DIR})
    if(NOT part STREQUAL "core")
      target_link_libraries(soci::${part} INTERFACE soci::core)
    endif()
  endif()
endforeach()
target_link_libraries(soci::core INTERFACE Boost::headers)
if(CONTENTGEN_WITH_POSTGRESQL)
  target_link_libraries(soci::postgresql INTERFACE PostgreSQL::PostgreSQL)
endif()
target_link_libraries(soci::sqlite3 INTERFACE SQLite::SQLite3)
# UBSan's vptr check references the typeinfo of every polymorphic class it sees, and Debian's SOCI
# libraries do not export theirs: code compiled against SOCI's headers skips that one check.
if(CMAKE_CXX_FLAGS MATCHES "-fsanitize=[^ ]*undefined")
  target_compile_options(soci::core INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-fno-sanitize=vptr>)
endif()

if(CONTENTGEN_WITH_AMQP)
  find_package(rabbitmq-c CONFIG REQUIRED)        # rabbitmq::rabbitmq
endif()

if(CONTENTGEN_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)             # GTest::gtest GTest::gmock GTest::gtest_main
endif()
if(CONTENTGEN_BUILD_BENCHMARKS)
  find_package(benchmark CONFIG REQUIRED)         # benchmark::benchmark benchmark::benchmark_main
endif()
