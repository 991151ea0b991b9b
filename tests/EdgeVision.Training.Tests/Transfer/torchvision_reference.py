"""Writes a torchvision-layout ResNet-18 state dict (.pth and .safetensors) with random weights and BatchNorm
statistics, an input batch and the network's pooled features for it, for StateDictBackboneTests.
Usage: python3 torchvision_reference.py OUT_DIR SIZE"""
import json
import struct
import sys

import torch
import torchvision

out, size = sys.argv[1], int(sys.argv[2])
torch.manual_seed(7)
model = torchvision.models.resnet18(weights=None, num_classes=7)
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            # Non-trivial statistics and affine terms, so a mis-mapped BN cannot pass unnoticed.
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.uniform_(0.5, 1.5)
            m.bias.uniform_(-0.2, 0.2)
model.eval()
state = model.state_dict()
torch.save(state, f"{out}/resnet18.pth")

# safetensors by its published layout (u64 header length, JSON header, raw little-endian data); the python package
# is not a Debian dependency of python3-torch.
names = {torch.float32: "F32", torch.int64: "I64"}
header, blobs, offset = {}, [], 0
for key, t in state.items():
    data = t.contiguous().numpy().tobytes()
    header[key] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
encoded = json.dumps(header).encode("utf-8")
with open(f"{out}/resnet18.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(encoded)))
    f.write(encoded)
    for b in blobs:
        f.write(b)

x = torch.randn(2, 3, size, size)
features = torch.nn.Sequential(*list(model.children())[:-1])
with torch.no_grad():
    f = torch.flatten(features(x), 1)
x.numpy().astype("<f4").tofile(f"{out}/input.bin")
f.numpy().astype("<f4").tofile(f"{out}/features.bin")
