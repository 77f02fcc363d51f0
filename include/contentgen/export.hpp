#pragma once
// Symbol visibility for the C++ API. The library is built with -fvisibility=hidden; every public
// class or function that must be reachable from libcontentgen.so carries CONTENTGEN_API.
#if defined(_WIN32)
#  define CONTENTGEN_API
#else
#  define CONTENTGEN_API __attribute__((visibility("default")))
#endif
