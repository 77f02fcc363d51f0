# Sourced by scripts/test and scripts/fuzz: the runtime options of the sanitizer builds (presets
# asan and tsan). Every report fails the process (halt_on_error / -fno-sanitize-recover=all at
# compile time); suppressions live in tests/sanitizers/ and may only name third-party code, each
# with its reason next to it. $ROOT is the source directory.
SANITIZER_DIR="$ROOT/tests/sanitizers"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1:print_suppressions=0"
export LSAN_OPTIONS="suppressions=$SANITIZER_DIR/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="suppressions=$SANITIZER_DIR/ubsan.supp:print_stacktrace=1:halt_on_error=1:print_suppressions=0"
export TSAN_OPTIONS="suppressions=$SANITIZER_DIR/tsan.supp:halt_on_error=1:second_deadlock_stack=1:print_suppressions=0"
