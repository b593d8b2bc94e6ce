# Writes fixtures/torch-written.safetensors by hand from PyTorch tensors (the safetensors
# package is not needed: 8-byte little-endian header length, JSON header, raw little-endian
# bytes), plus fixtures/torch-written.json with the same values as lists and the model's eval
# output on a fixed input, so the nn tests can check that we read what PyTorch wrote. Covers F32, F64, I32, I64 (BatchNorm's
# num_batches_tracked), a 0-d tensor, and __metadata__.
# Run: /usr/bin/python3 scripts/safetensors-fixture.py
import json, os, struct
import torch

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2), torch.nn.Flatten(), torch.nn.Linear(8, 3))
model.train()
model(torch.randn(4, 1, 4, 4))  # one batch so the running statistics and counter are not defaults
tensors = dict(model.state_dict())
tensors['extra.f64'] = torch.tensor([[1.5, -2.25], [1e-300, 3.0]], dtype=torch.float64)
tensors['extra.i32'] = torch.tensor([-7, 0, 2147483647], dtype=torch.int32)

DTYPES = {torch.float32: 'F32', torch.float64: 'F64', torch.int32: 'I32', torch.int64: 'I64'}
header, blobs, offset = {'__metadata__': {'format': 'pt', 'writer': 'scripts/safetensors-fixture.py'}}, [], 0
for name, t in tensors.items():
    data = t.contiguous().numpy().tobytes()  # numpy writes native (little-endian) order
    header[name] = {'dtype': DTYPES[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
head = json.dumps(header).encode()
head += b' ' * (-len(head) % 8)
here = os.path.join(os.path.dirname(__file__), '..', 'fixtures')
with open(os.path.join(here, 'torch-written.safetensors'), 'wb') as f:
    f.write(struct.pack('<Q', len(head)) + head + b''.join(blobs))
# And the eval-mode output of the model on a fixed input, to check the loaded weights compute the same.
x = torch.randn(2, 1, 4, 4)
with torch.no_grad():
    y = model.eval()(x)
with open(os.path.join(here, 'torch-written.json'), 'w') as f:
    json.dump({
        'tensors': {k: {'dtype': DTYPES[t.dtype], 'shape': list(t.shape), 'values': t.flatten().tolist()} for k, t in tensors.items()},
        'input': x.flatten().tolist(),
        'output': y.flatten().tolist(),
    }, f)
print(list(tensors))
