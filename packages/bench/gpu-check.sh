#!/usr/bin/env bash
# The GPU bench as one short prepared check for a machine with a GPU: what the machine offers
# (nvidia-smi, the Vulkan loader Dawn needs for its Vulkan backend), then `pnpm bench:gpu` in smoke
# mode (one run per case at reduced sizes, both frameworks, check values against tensorgrad's CPU
# float64 result; about a minute on Mesa llvmpipe, seconds on a GPU). Installs nothing: run
# `pnpm install` first. Extra arguments go to the bench (e.g. --full, --adapter=vulkan,
# --only=gemm4096,resnet18); GPU_CHECK_TIMEOUT (seconds, default 170) bounds the run.
# Prints the JSON path last; with $OUT set (a device runner's output folder) the JSON is copied there.
set -u
cd "$(dirname "$0")"
echo "== machine"
nvidia-smi -L 2>/dev/null || echo "nvidia-smi: none"
if ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then echo "Vulkan loader: libvulkan.so.1 present"; else echo "Vulkan loader: libvulkan.so.1 absent (Dawn's Vulkan backend cannot load; --adapter=auto falls back to OpenGL ES)"; fi
ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>/dev/null | sed 's/^/  ICD: /'
echo "== pnpm bench:gpu"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--smoke)
log=$(mktemp)
timeout "${GPU_CHECK_TIMEOUT:-170}" pnpm --silent run bench:gpu "${args[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
json=$(sed -n 's/^JSON: //p' "$log" | tail -1)
rm -f "$log"
if [ -z "$json" ]; then echo "gpu-check: no JSON written (exit $rc)"; exit "${rc/#0/1}"; fi
if [ -n "${OUT:-}" ]; then cp "$json" "$OUT/" && echo "copied to $OUT/$(basename "$json")"; fi
echo "JSON: $json"
exit "$rc"
