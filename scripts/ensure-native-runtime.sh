#!/usr/bin/env bash
# Makes sure the native runtimes Mlx's dependencies need are present: the C++ runtime of TorchSharp 0.107's native
# library, and GCC's OpenMP runtime (libgomp1) that LightGBM's library (the workflow's boosted trees) links to.
#
# libLibTorchSharp.so needs GLIBCXX_3.4.32 (GCC 13's libstdc++). Ubuntu 24.04+, Debian 13+ and
# any distribution with a GCC >= 13 runtime already have it: then this script changes nothing.
# On Debian 12 (bookworm) it installs Debian 13's libstdc++6 through a temporary apt source list
# (/etc/apt is not edited); it prints the packages it upgrades before it does (docs/native-runtime.md). Idempotent.
set -euo pipefail

want=GLIBCXX_3.4.32

has_runtime() {
  local lib
  lib=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
  [ -n "$lib" ] && grep -aq "$want" "$lib"
}

# libgomp1 (a few hundred KB, from the distribution's own release): minimal Debian and Ubuntu images lack it.
if ! ldconfig -p 2>/dev/null | grep -q 'libgomp\.so\.1 .*x86-64'; then
  if [ "$(id -u)" != "0" ]; then
    echo "Mlx: LightGBM needs GCC's OpenMP runtime (libgomp.so.1), which this system lacks; run once:" >&2
    echo "    sudo apt-get install --no-install-recommends libgomp1" >&2
    exit 1
  fi
  echo "Mlx: installing libgomp1 (GCC's OpenMP runtime, for LightGBM) from this distribution's release."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libgomp1 >/dev/null
  ldconfig
fi

if has_runtime; then
  exit 0
fi

. /etc/os-release 2>/dev/null || true
if [ "${ID:-}" != "debian" ] || [ "${VERSION_CODENAME:-}" != "bookworm" ]; then
  echo "Mlx: TorchSharp needs a libstdc++ with $want (GCC 13 or newer), which this system ($PRETTY_NAME) lacks." >&2
  echo "Mlx: install your distribution's GCC 13+ runtime (package libstdc++6 or libstdc++) and run again." >&2
  exit 1
fi

if [ "$(id -u)" != "0" ]; then
  echo "Mlx: TorchSharp needs $want; Debian 12's libstdc++ stops at GLIBCXX_3.4.30." >&2
  echo "Mlx: run this once as root, then run your command again:" >&2
  echo "    sudo bash $(cd "$(dirname "$0")" && pwd)/ensure-native-runtime.sh" >&2
  exit 1
fi

# The mirrors already configured in /etc/apt (deb822 .sources or one-line sources.list).
mirror_for() { # $1 = path suffix: /debian or /debian-security
  { cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true; } \
    | grep -oE 'https?://[^ ]+' | sed 's:/*$::' | grep -E "$1\$" | head -n 1 || true
}
mirror=$(mirror_for /debian); mirror=${mirror:-http://deb.debian.org/debian}
security=$(mirror_for /debian-security); security=${security:-http://deb.debian.org/debian-security}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lists/partial"
chmod 755 "$tmp"; chown -R _apt "$tmp/lists" 2>/dev/null || true
# [target=Packages]: fetch only package indexes (no Contents), so a mirror mid-sync cannot drop trixie.
cat > "$tmp/sources.list" <<LIST
deb [target=Packages] $mirror bookworm main
deb [target=Packages] $mirror bookworm-updates main
deb [target=Packages] $security bookworm-security main
deb [target=Packages] $mirror trixie main
LIST
apt_opts=(-o "Dir::Etc::sourcelist=$tmp/sources.list" -o "Dir::Etc::sourceparts=-" -o "Dir::State::Lists=$tmp/lists")

# Say exactly what changes before changing it: apt's own simulation of the install. libstdc++ 14 needs glibc >= 2.38,
# and glibc 2.41 declares Breaks on base-files < 13.3, locales and the libc6-* packages of 2.36, so those move to
# Debian 13 too (that is why /etc/os-release then names trixie); nothing is removed. Only libstdc++6 is asked for
# from trixie (libstdc++6/trixie, not -t trixie, which would prefer trixie for every package apt touches).
apt-get "${apt_opts[@]}" update -qq
plan=$(apt-get "${apt_opts[@]}" -s install --no-install-recommends libstdc++6/trixie 2>/dev/null | awk '/^Inst / {print $2}')
removed=$(apt-get "${apt_opts[@]}" -s install --no-install-recommends libstdc++6/trixie 2>/dev/null | awk '/^Remv / {print $2}')
if [ -n "$removed" ]; then
  echo "Mlx: installing Debian 13's libstdc++6 would remove packages ($(echo $removed)); not done." >&2
  echo "Mlx: install a GCC 13+ C++ runtime another way, see docs/native-runtime.md." >&2
  exit 1
fi
echo "Mlx: TorchSharp needs $want (GCC 13's libstdc++); Debian 12 has GLIBCXX_3.4.30."
echo "Mlx: installing Debian 13's libstdc++6 upgrades these $(echo "$plan" | wc -l) packages to their Debian 13 versions"
echo "Mlx: (glibc 2.41 is required by libstdc++ 14, and requires the rest; nothing is removed; see docs/native-runtime.md):"
echo "$plan" | paste -sd' ' | fold -s -w 100 | sed 's/^/Mlx:   /'
DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends libstdc++6/trixie >/dev/null
ldconfig

if ! has_runtime; then
  echo "Mlx: libstdc++6 was installed but $want is still missing; see docs/native-runtime.md." >&2
  exit 1
fi
echo "Mlx: $want is available."
