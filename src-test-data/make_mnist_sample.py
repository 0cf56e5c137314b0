#!/usr/bin/env python3
"""Cuts the bundled MNIST sample: the first N records of each IDX file, re-gzipped.

Usage: python3 src-test-data/make_mnist_sample.py SOURCE_DIR [DEST_DIR]
  SOURCE_DIR holds train-/t10k-{images-idx3,labels-idx1}-ubyte.gz
  DEST_DIR defaults to src-test-data/mnist next to this script.

Only the count in the header changes; every kept record is copied byte for byte. The gzip
header carries no name and mtime 0, so rerunning the script reproduces the same bytes.
"""
import gzip
import os
import struct
import sys

KEEP = {"train": 2000, "t10k": 500}
KINDS = {"images-idx3-ubyte": 28 * 28, "labels-idx1-ubyte": 1}


def cut(src, dst, keep, record_bytes):
    with gzip.open(src, "rb") as f:
        data = f.read()
    zero, dtype, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        sys.exit(f"{src}: not an unsigned-byte IDX file")
    dims = list(struct.unpack(f">{rank}I", data[4:4 + 4 * rank]))
    if dims[0] < keep:
        sys.exit(f"{src}: has {dims[0]} records, need {keep}")
    body = 4 + 4 * rank
    dims[0] = keep
    out = data[:4] + struct.pack(f">{rank}I", *dims) + data[body:body + keep * record_bytes]
    with open(dst, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as g:
            g.write(out)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    src_dir = sys.argv[1]
    dst_dir = sys.argv[2] if len(sys.argv) == 3 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "mnist")
    os.makedirs(dst_dir, exist_ok=True)
    for split, keep in KEEP.items():
        for kind, record_bytes in KINDS.items():
            name = f"{split}-{kind}.gz"
            cut(os.path.join(src_dir, name), os.path.join(dst_dir, name), keep, record_bytes)
            print(f"{name}: first {keep} records")


if __name__ == "__main__":
    main()
