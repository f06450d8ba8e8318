#!/usr/bin/env bash
# Installs the Debian tools the tests use when they are missing, so `npm test` passes on a fresh
# machine: sox, espeak-ng and flite (required), and chromium for the browser tests
# (test/web.test.ts; best effort: without it those tests are pending, with the reason).
# Used by `npm test` (pretest) and .ci/run.
set -euo pipefail
need=()
command -v sox >/dev/null       || need+=(sox libsox-fmt-all)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v flite >/dev/null     || need+=(flite)
browser=()
command -v chromium >/dev/null  || browser+=(chromium)
[ ${#need[@]} -eq 0 ] && [ ${#browser[@]} -eq 0 ] && exit 0
echo "installing missing system tools: ${need[*]} ${browser[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || [ ${#need[@]} -eq 0 ]   # only the browser missing: best effort
[ ${#need[@]} -eq 0 ] || $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
if [ ${#browser[@]} -gt 0 ] && ! $SUDO apt-get install -y -qq --no-install-recommends "${browser[@]}" >/dev/null; then
  echo "warning: could not install chromium; the browser tests (test/web.test.ts) will be pending" >&2
fi
