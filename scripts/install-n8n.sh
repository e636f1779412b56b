#!/usr/bin/env bash
# Installs the npm package n8n, at exactly the version the platform deploys (N8N_VERSION in
# lib/config/n8n.ts), into a cache folder outside the app's node_modules, for the conformance test
# (test/platform). It is not a dependency of the app or of any Lambda bundle: about 1.5 GB that
# nothing deployed needs.
#
#   N8N_CACHE_DIR   where to install (default ${XDG_CACHE_HOME:-$HOME/.cache}/influencegen/n8n-<version>)
#
# A second run with the cache in place is a no-op. Prints the folder on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

# One pinned value: read it from the config the image tag is built from, never repeat it here.
version="$(sed -n "s/^export const N8N_VERSION = '\([^']*\)';$/\1/p" lib/config/n8n.ts)"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "install-n8n: cannot read N8N_VERSION from lib/config/n8n.ts (found '${version}')" >&2
  exit 1
fi
cache="${N8N_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/influencegen/n8n-${version}}"
marker="$cache/.installed"

# The marker is written only after a complete install, so an interrupted one is redone; the
# package's own version is checked too, in case someone pointed N8N_CACHE_DIR at an older cache.
installed_version() {
  node -p "require(process.argv[1]).version" "$cache/node_modules/n8n/package.json" 2>/dev/null || true
}
if [ "$(cat "$marker" 2>/dev/null || true)" = "$version" ] && [ "$(installed_version)" = "$version" ]; then
  echo "install-n8n: n8n ${version} already installed"
  echo "$cache"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "install-n8n: npm is not on PATH" >&2
  exit 1
fi
mkdir -p "$cache"
rm -f "$marker"
# n8n pins xlsx to a tarball on SheetJS's own CDN, which is not the npm registry: the override
# takes the registry's last release instead, so the install needs the registry alone.
cat >"$cache/package.json" <<JSON
{
  "name": "influencegen-n8n-conformance",
  "private": true,
  "description": "n8n for test/platform (scripts/install-n8n.sh); not part of the app",
  "dependencies": { "n8n": "${version}" },
  "overrides": { "xlsx": "0.18.5" }
}
JSON

echo "install-n8n: installing n8n ${version} into ${cache} (node $(node --version))"
start=$SECONDS
if ! (cd "$cache" && npm install --no-audit --no-fund) >"$cache/install.log" 2>&1; then
  tail -n 30 "$cache/install.log" >&2
  echo "install-n8n: npm install of n8n ${version} failed after $((SECONDS - start)) s; full log: $cache/install.log" >&2
  exit 1
fi
if [ "$(installed_version)" != "$version" ]; then
  echo "install-n8n: npm finished but $cache/node_modules/n8n is not version ${version}; log: $cache/install.log" >&2
  exit 1
fi
echo "$version" >"$marker"
echo "install-n8n: installed n8n ${version} in $((SECONDS - start)) s"
echo "$cache"
