#!/usr/bin/env bash
# Installs the Debian packages the build and the test suites need, if any is missing.
# Idempotent and quiet when everything is there. --no-upgrade keeps the image's OpenSSL, libpq and
# PostgreSQL at the versions we test with.
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ clang pkg-config
  libboost1.81-dev libsoci-dev librabbitmq-dev libcmark-gfm-dev libcmark-gfm-extensions-dev
  libgtest-dev libgmock-dev libbenchmark-dev libicu-dev libpq-dev libsqlite3-dev libssl-dev
  # services and peers for the integration suites
  postgresql-15 rabbitmq-server amqp-tools openssl curl nodejs npm
  python3-pytest python3-pika python3-boto3
  # the Python bindings install offline with pip --no-build-isolation (setuptools + wheel backend)
  python3-pip python3-setuptools python3-wheel
  # memcheck of the C API tests (tests/capi)
  valgrind
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  # nodejs/npm are often on the image outside dpkg; do not reinstall them over a working node.
  filtered=()
  for p in "${missing[@]}"; do
    case "$p" in
      nodejs|npm) command -v "${p/nodejs/node}" >/dev/null 2>&1 || filtered+=("$p") ;;
      *) filtered+=("$p") ;;
    esac
  done
  missing=("${filtered[@]}")
fi
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends --no-upgrade "${missing[@]}" >/dev/null
fi
