#!/bin/sh
# Installs the Debian packages the build and the tests need, when they are
# missing: apt-get when root, otherwise the exact command to run, and stop.
set -u
PKGS="build-essential pkg-config libncurses-dev libcurl4-openssl-dev libcjson-dev
libsqlite3-dev libmicrohttpd-dev libcmocka-dev tmux curl jq ncurses-term
clang libclang-rt-14-dev clang-format sqlite3 python3 groff-base openssl gdb"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "crmtui needs these packages (Debian names):$missing" >&2
	echo "Install their equivalents with your package manager, then run make again." >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "crmtui needs packages that are not installed:$missing" >&2
	echo "Run:  sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || exit 1
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2 || exit 1
