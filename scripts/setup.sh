#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for tensorgrad: the Fashion-MNIST data (Debian package
# dataset-fashion-mnist), Chromium (Debian package chromium), pnpm, and the workspace's dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=12.21.0
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -e /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  echo "installing Fashion-MNIST (Debian package dataset-fashion-mnist)..."
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dataset-fashion-mnist
fi
# Debian's Chromium, for the training page's browser test (driven by playwright-core from npm,
# which downloads no browser of its own).
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Chromium (Debian package chromium)..."
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi
# Mesa's EGL and llvmpipe: the software GPU under Dawn (the npm package webgpu), on which the
# WebGPU backend's tests run in Node.
if ! dpkg -s libegl-mesa0 libgl1-mesa-dri >/dev/null 2>&1; then
  echo "installing Mesa EGL/llvmpipe (Debian packages libegl-mesa0 libgl1-mesa-dri)..."
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libegl-mesa0 libgl1-mesa-dri
fi
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  npm install -g "pnpm@$PNPM_VERSION"
fi
pnpm install --frozen-lockfile
