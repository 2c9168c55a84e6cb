#!/usr/bin/env bash
# Installs the system packages Topiary builds and tests with, when they are missing.
# Debian/Ubuntu only; elsewhere install libhdf5 (with pkg-config) by hand.
set -euo pipefail

packages=(libhdf5-dev pkg-config gcc-arm-none-eabi libnewlib-arm-none-eabi clang qemu-system-arm valgrind cmake)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: missing ${missing[*]}; install libhdf5 and pkg-config with your package manager" >&2
    exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
