// libcontentgen.so is assembled from the static components (see lib/CMakeLists.txt); CMake needs
// one source file of its own for the shared library target, and this is it.
