# Manual cross-check, step 2 of 2 (after scripts/write-for-pytorch.ts): parses our safetensors
# files by hand (no safetensors package needed), loads the model state into torchvision's
# resnet18 with strict=True, and compares its eval output with ours.
# Run: /usr/bin/python3 scripts/check-in-pytorch.py <dir>
import json, struct, sys
import torch, torchvision

DTYPES = {'F32': torch.float32, 'F64': torch.float64, 'I32': torch.int32, 'I64': torch.int64}

def load(path):
    data = open(path, 'rb').read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop('__metadata__', {})
    body = data[8 + n:]
    tensors = {k: torch.frombuffer(bytearray(body[v['data_offsets'][0]:v['data_offsets'][1]]), dtype=DTYPES[v['dtype']]).reshape(v['shape'])
               for k, v in header.items()}
    return tensors, meta

d = sys.argv[1] if len(sys.argv) > 1 else '.'
state, meta = load(f'{d}/resnet18.safetensors')
optimizer_keys = [k for k in state if k.startswith('__optimizer__.')]
model_state = {k: v for k, v in state.items() if k not in optimizer_keys}
model = torchvision.models.resnet18()
model.load_state_dict(model_state, strict=True)
io, _ = load(f'{d}/resnet18-io.safetensors')
with torch.no_grad():
    y = model.eval()(io['input'])
diff = (y - io['output']).abs().max().item()
print(f'loaded {len(model_state)} model tensors (strict) + {len(optimizer_keys)} optimizer tensors; metadata keys {sorted(meta)}')
print(f'user metadata {meta.get("tensorgrad.metadata")}; max |torch - tensorgrad| on the 1000 logits = {diff:.3g} (logit scale {y.abs().max().item():.3g})')
sys.exit(0 if diff < 1e-3 else 1)
