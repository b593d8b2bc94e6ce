#!/usr/bin/env bash
# Packs each published package, installs the tarballs with plain npm into a scratch project
# outside the workspace, runs an ESM script that computes a gradient, and type-checks a
# TypeScript usage against the shipped declarations, both as Node resolves them (the "node"
# condition: file checkpoints and datasets) and as a browser bundler does (byte-level only).
# Then installs core alone (fast-check is only an optional peer of '@tensorgrad/core/testing')
# and proves its main entry loads, runs and type-checks with skipLibCheck off, without fast-check.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/tarballs" "$scratch/app"
for pkg in core nn data train onnx; do
  (cd "$root/packages/$pkg" && pnpm pack --pack-destination "$scratch/tarballs" >/dev/null)
done
cd "$scratch/app"
npm init -y >/dev/null
npm pkg set type=module >/dev/null
npm install --no-audit --no-fund --silent "$scratch"/tarballs/*.tgz fast-check@4.10.2 typescript@5.9.3 >/dev/null
cp "$root/scripts/pack-smoke/"* .
node smoke.mjs
npx tsc -p tsconfig.json
npx tsc -p tsconfig.browser.json
mkdir -p "$scratch/core-alone"
cd "$scratch/core-alone"
npm init -y >/dev/null
npm pkg set type=module >/dev/null
npm install --no-audit --no-fund --silent "$scratch"/tarballs/tensorgrad-core-*.tgz typescript@5.9.3 >/dev/null
if [ -e node_modules/fast-check ]; then
  echo "pack check: installing @tensorgrad/core alone installed fast-check, so this check would prove nothing" >&2
  exit 1
fi
cp "$root/scripts/pack-core-alone/"* .
node run.mjs
npx tsc -p tsconfig.json
echo "pack check: packages install, import and type-check outside the workspace; core's main entry needs no fast-check"
