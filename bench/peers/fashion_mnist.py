"""Fashion-MNIST for the PyTorch peers: the Debian package's IDX files (bench/peers/install.sh installs them)."""
import gzip
import struct

import numpy as np
import torch

FASHION = "/usr/share/datasets/fashion-mnist"


def read_idx_images(path):
    """The images of an IDX file as float32 [count, 1, rows, cols] in [0, 1]."""
    with gzip.open(path, "rb") as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 0x803:
            raise SystemExit(f"{path}: not an IDX image file")
        data = np.frombuffer(f.read(), dtype=np.uint8).reshape(count, 1, rows, cols)
    return torch.from_numpy(data.astype(np.float32) / 255.0)
