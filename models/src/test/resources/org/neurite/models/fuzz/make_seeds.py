#!/usr/bin/env python3
"""Writes the hand-made seeds of ReaderFuzzTest (docs/FUZZING.md): small valid files of every format,
so the fuzzer starts past the magic numbers, plus forged ones for the checks. Run from this folder;
it rewrites only seed-*.bin files (crash-* regressions found by Jazzer are kept)."""
import base64, gzip, json, os, struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "ReaderFuzzTestInputs")


def put(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name + ".bin"), "wb") as f:
        f.write(data)


def idx(type_code, dims, body):
    return bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + body


def join(*parts):  # FuzzHarness.split's layout: a 4-byte big-endian length before each part but the last
    out = b""
    for p in parts[:-1]:
        out += struct.pack(">I", len(p)) + p
    return out + parts[-1]


def gz(b):
    return gzip.compress(b, mtime=0)


def safetensors(tensors, metadata=None, pad=True):
    """tensors: list of (name, shape, floats) in the reference writer's order; header padded to 8."""
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, shape, floats in tensors:
        b = struct.pack("<%df" % len(floats), *floats)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [len(data), len(data) + len(b)]}
        data += b
    j = json.dumps(header, separators=(",", ":")).encode()
    if pad:
        j += b" " * (-len(j) % 8)
    return struct.pack("<Q", len(j)) + j + data


images = idx(0x08, [3, 2, 2], bytes(range(0, 240, 20)))
labels = idx(0x08, [3], bytes([0, 5, 9]))

# IDX, plain and gzipped, every element type, and forged sizes.
put("idx", "ubyte-3x2x2", images)
put("idx", "labels-3", labels)
put("idx", "float-3", idx(0x0D, [3], struct.pack(">3f", 0.5, -1.0, 2.0)))
put("idx", "double-2", idx(0x0E, [2], struct.pack(">2d", 0.5, -1.0)))
put("idx", "short-int", idx(0x0B, [2], struct.pack(">2h", 1, -2)) )
put("idx", "int-1x2", idx(0x0C, [1, 2], struct.pack(">2i", 7, -8)))
put("idx", "gzipped", gz(images))
put("idx", "forged-gigabytes", idx(0x08, [1_000_000, 1000], b"\x01\x02"))
put("idx", "truncated", images[:-3])
put("idx", "trailing", images + b"\x00")

# IDX through gzip: [cut, payload].
put("idxGzipped", "whole", join(b"", images))
put("idxGzipped", "cut", join(struct.pack(">i", 25), images))
put("idxGzipped", "forged-gigabytes", join(b"", idx(0x08, [1_000_000, 1000], b"\x01")))

# MNIST folder: [labels, images].
put("mnistFolder", "plain", join(labels, images))
put("mnistFolder", "gzipped", join(gz(labels), gz(images)))
put("mnistFolder", "bad-label", join(idx(0x08, [3], bytes([0, 5, 10])), images))
put("mnistFolder", "count-mismatch", join(idx(0x08, [2], bytes([0, 5])), images))
put("mnistFolder", "zero-height", join(labels, idx(0x08, [3, 0, 28], b"")))
put("mnistFolder", "no-images", join(idx(0x08, [0], b""), idx(0x08, [0, 28, 28], b"")))

# safetensors.
two = [("fc.bias", [2], [0.5, -0.5]), ("fc.weight", [2, 3], [1, 2, 3, 4, 5, 6])]
put("safetensors", "two-tensors", safetensors(two, {"format": "pt"}))
put("safetensors", "scalar-and-empty", safetensors([("a", [], [1.5]), ("b", [0, 4], [])], pad=False))
put("safetensors", "forged-header-length", struct.pack("<Q", 1 << 40) + b"{}")
# 2^30 * 2^29 * 16 = 2^63 elements wrap to 0 in 64-bit arithmetic, matching data_offsets [0, 0].
put("safetensors", "forged-shape-overflow", safetensors([("x", [1 << 30, 1 << 29, 16], [])]))
# A refused tensor whose name holds a line break: the one-line error message must escape it.
put("safetensors", "newline-in-name", safetensors([("a\nb", [1], [1.0])]).replace(b'"F32"', b'"F16"'))

# training state.json, as Checkpoint.save writes it (Jackson, record component names).
state = {"format": 1, "modelName": "lenet5", "epoch": 3, "batchInEpoch": 0, "globalStep": 1875,
         "optimizer": "sgd", "learningRate": 0.01, "optimizerSteps": 1875,
         "rngState": base64.b64encode(bytes(range(16))).decode(), "config": {"batch": "32", "lr": "0.01"},
         "weightsFile": "model.safetensors", "weightsSha256": "00" * 32,
         "optimizerFile": "optimizer.safetensors", "optimizerSha256": "11" * 32}
put("trainingState", "saved", json.dumps(state, indent=2).encode())
put("trainingState", "negative-epoch", json.dumps(dict(state, epoch=-1)).encode())
put("trainingState", "escaping-file", json.dumps(dict(state, weightsFile="../x")).encode())

# whole checkpoint: [state.json, model.safetensors]; no hashes, so mutated weights reach the reader.
plain_state = {k: v for k, v in state.items() if not k.startswith("optimizer") and not k.endswith("Sha256")}
plain_state["optimizer"] = "sgd"
put("checkpointLoad", "weights-only", join(json.dumps(plain_state).encode(), safetensors(two)))
put("checkpointLoad", "shape-mismatch",
    join(json.dumps(plain_state).encode(), safetensors([("fc.bias", [2], [0, 0]), ("fc.weight", [3, 2], [0] * 6)])))
