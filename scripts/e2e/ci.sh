#!/usr/bin/env bash
# The end-to-end part of CI, for a fresh Debian machine (as root) or a prepared one:
#   1. Debian packages: chromium, neovim, emacs-nox, elpa-eglot, and what code-server's native
#      modules need to compile (only those missing; needs root);
#   2. Node 24 and code-server into $ENTENTE_E2E_CACHE (default ~/.cache/entente-e2e; reused);
#   3. build, then the VS Code suite (npm run test:e2e), the typing test (scripts/e2e/typing.mjs) and the
#      Neovim/Emacs checks (npm run test:editors).
# Runs every suite even if one fails; exits 1 if any did. Called from .ci/run.
set -uo pipefail
cd "$(dirname "$0")/../.."

t0=$(date +%s)
phase_start=$t0
timings=()
phase() { # name: records how long the previous phase took
  local now; now=$(date +%s)
  timings+=("$1 $((now - phase_start)) s")
  phase_start=$now
}
log() { printf '\n== %s\n' "$*"; }

log "Debian packages"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nvim >/dev/null || missing+=(neovim)
command -v emacs >/dev/null || missing+=(emacs-nox)
dpkg -s elpa-eglot >/dev/null 2>&1 || missing+=(elpa-eglot)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
{ command -v make && command -v g++; } >/dev/null || missing+=(build-essential)
command -v python3 >/dev/null || missing+=(python3)
command -v pkg-config >/dev/null || missing+=(pkg-config)
if [ ${#missing[@]} -eq 0 ]; then
  echo "all present"
elif [ "$(id -u)" = 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq || exit 1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || exit 1
else
  echo "missing ${missing[*]} and not root: the runs below may fail" >&2
fi
phase "apt"

log "Node 24 and code-server (cached in ${ENTENTE_E2E_CACHE:-$HOME/.cache/entente-e2e})"
bash scripts/e2e/install-code-server.sh || exit 1
phase "code-server install"

log "build"
[ -d node_modules ] || npm ci --no-audit --no-fund || exit 1
npm run build --silent || exit 1
phase "build"

status=0
log "VS Code end-to-end suite (code-server + Chromium)"
npm run test:e2e --silent || status=1
phase "test:e2e"

log "Typing at typing speed in VS Code (code-server + Chromium, driven by Playwright)"
node scripts/e2e/typing.mjs || status=1
phase "typing"

log "Neovim and Emacs"
npm run test:editors --silent || status=1
phase "test:editors"

log "timings"
printf '  %s\n' "${timings[@]}"
echo "  total $(( $(date +%s) - t0 )) s"
exit $status
