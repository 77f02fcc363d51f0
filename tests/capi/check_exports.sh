#!/usr/bin/env bash
# Lists the dynamic symbols libcontentgen.so defines and fails on any outside the public API:
# C names contentgen_*, C++ names in namespace contentgen:: (and their typeinfo/vtables/thunks),
# and the version node; no test fake (contentgen::fakes, shipped in libcontentgen-testing). Also
# checks the SONAME.
#   check_exports.sh path/to/libcontentgen.so EXPECTED_SONAME
set -euo pipefail
lib=$1
expected=$2
soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
if [ "$soname" != "$expected" ]; then
  echo "SONAME is '$soname', expected $expected" >&2
  exit 1
fi
symbols=$(nm -D --defined-only --demangle "$lib" | cut -d' ' -f3- | sed -E 's/@@?CONTENTGEN_[0-9]+$//')
count=$(printf '%s\n' "$symbols" | grep -c . || true)
bad=$(printf '%s\n' "$symbols" | grep -v -E \
  -e '^contentgen_[A-Za-z0-9_]+$' \
  -e '^(typeinfo for |typeinfo name for |vtable for |non-virtual thunk to |virtual thunk to |guard variable for )?contentgen::' \
  -e '^CONTENTGEN_[0-9]+$' || true)
c_count=$(printf '%s\n' "$symbols" | grep -c -E '^contentgen_' || true)
if [ -n "$bad" ]; then
  echo "symbols exported outside contentgen_* / contentgen:: ($(printf '%s\n' "$bad" | wc -l) of $count):" >&2
  printf '%s\n' "$bad" | head -50 >&2
  exit 1
fi
fakes=$(printf '%s\n' "$symbols" | grep -c 'contentgen::fakes' || true)
if [ "$fakes" -ne 0 ]; then
  echo "$fakes test fakes (contentgen::fakes) exported from the production library: they belong in libcontentgen-testing" >&2
  exit 1
fi
if [ "$c_count" -lt 50 ]; then
  echo "only $c_count contentgen_* C symbols exported: is the C API linked in?" >&2
  exit 1
fi
echo "$count exported symbols ($c_count C API functions), all under contentgen_ / contentgen::; SONAME $soname"
