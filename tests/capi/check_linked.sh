#!/usr/bin/env bash
# The shared library links exactly the optional dependencies its build asked for: with
# CONTENTGEN_WITH_POSTGRESQL=OFF no libpq (nor SOCI's postgresql backend), with
# CONTENTGEN_WITH_AMQP=OFF no librabbitmq -- and with them ON, it does.
#   check_linked.sh path/to/libcontentgen.so WITH_POSTGRESQL(ON|OFF) WITH_AMQP(ON|OFF)
set -euo pipefail
lib=$1 postgresql=$2 amqp=$3
needed=$(ldd "$lib")
check() {  # check NAME PATTERN ON|OFF
  if printf '%s\n' "$needed" | grep -q "$2"; then
    [ "$3" = ON ] || { echo "$1 is linked although the build has it OFF:" >&2; printf '%s\n' "$needed" | grep "$2" >&2; exit 1; }
  else
    [ "$3" = OFF ] || { echo "$1 is not linked although the build has it ON" >&2; exit 1; }
  fi
}
check libpq 'libpq\.so\|libsoci_postgresql' "$postgresql"
check librabbitmq 'librabbitmq\.so' "$amqp"
echo "libpq: $postgresql, librabbitmq: $amqp -- as configured"
