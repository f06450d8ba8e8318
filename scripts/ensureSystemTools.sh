#!/usr/bin/env bash
# Installs the Debian tools the tests use (sox, espeak-ng, flite; chromium for the browser tests,
# test/web.test.ts) when they are missing,
# so `npm test` passes on a fresh machine. Used by `npm test` (pretest) and .ci/run.
set -euo pipefail
need=()
command -v sox >/dev/null       || need+=(sox libsox-fmt-all)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v flite >/dev/null     || need+=(flite)
command -v chromium >/dev/null  || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing missing system tools: ${need[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
