#!/usr/bin/env python3
"""Extracts the demo images shipped in models/demo/fashion-mnist from Debian's dataset-fashion-mnist.

Takes the first N test images of each class (t10k, so never seen in training), writes them as 8-bit grey PNGs
and an index.csv of file,label. Standard library only: the PNG encoder is 20 lines of zlib.
Usage: python3 extract_fashion_mnist.py [/usr/share/datasets/fashion-mnist] [per_class=30]
"""
import gzip
import os
import struct
import sys
import zlib

LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def png(width, height, grey):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + grey[y * width:(y + 1) * width] for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    per_class = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fashion-mnist")
    with gzip.open(os.path.join(src, "t10k-images-idx3-ubyte.gz")) as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 2051, "not an IDX image file"
        images = f.read(count * rows * cols)
    with gzip.open(os.path.join(src, "t10k-labels-idx1-ubyte.gz")) as f:
        magic, lcount = struct.unpack(">II", f.read(8))
        assert magic == 2049 and lcount == count, "labels do not match images"
        labels = f.read(count)
    taken = [0] * 10
    rows_out = []
    for i in range(count):
        label = labels[i]
        if taken[label] >= per_class:
            continue
        taken[label] += 1
        name = f"{i:05d}.png"
        with open(os.path.join(out, name), "wb") as f:
            f.write(png(cols, rows, images[i * rows * cols:(i + 1) * rows * cols]))
        rows_out.append((i, name, label))
        if sum(taken) == per_class * 10:
            break
    # Interleave classes so consecutive demo images differ; the demo shuffles with its own seed anyway.
    with open(os.path.join(out, "index.csv"), "w") as f:
        f.write("file,label\n")
        for _, name, label in sorted(rows_out):
            f.write(f"{name},{label}\n")
    with open(os.path.join(out, "labels.txt"), "w") as f:
        f.write("\n".join(LABELS) + "\n")


if __name__ == "__main__":
    main()
