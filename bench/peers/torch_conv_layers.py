#!/usr/bin/env python3
"""The conv VAE's four conv layers, forward and forward + backward, ms per call, in PyTorch: the peer of
`dotnet run -c Release --project bench/Latent.Benchmarks -- conv`.

    OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=1 /usr/bin/python3 bench/peers/torch_conv_layers.py [batch]
"""
import statistics
import sys
import time

import torch
from torch import nn


def measure(work, sample_time=0.05, samples=7):
    work()
    work()
    times = []
    for _ in range(samples):
        start, calls = time.perf_counter(), 0
        while True:
            work()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= sample_time:
                break
        times.append(1e3 * elapsed / calls)
    return statistics.median(times), min(times)


def main():
    batch = int(sys.argv[1]) if len(sys.argv) > 1 else 128
    torch.manual_seed(1)
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, batch {batch}; load average {load}")
    layers = [
        ("conv 1→32, 28→14", nn.Conv2d(1, 32, 4, 2, 1), 1, 28, True, False),
        ("conv 32→64, 14→7", nn.Conv2d(32, 64, 4, 2, 1), 32, 14, True, True),
        ("deconv 64→32, 7→14", nn.ConvTranspose2d(64, 32, 4, 2, 1), 64, 7, True, True),
        ("deconv 32→1, 14→28", nn.ConvTranspose2d(32, 1, 4, 2, 1), 32, 14, False, True),
    ]
    total_f = total_s = 0.0
    for name, layer, channels, size, relu, input_grad in layers:
        x = torch.rand(batch, channels, size, size, requires_grad=input_grad)

        def forward():
            with torch.no_grad():
                y = layer(x)
                return torch.relu(y) if relu else y

        def step():
            layer.zero_grad(set_to_none=True)
            y = layer(x)
            (torch.relu(y) if relu else y).sum().backward()

        f, fmin = measure(forward)
        s, smin = measure(step)
        total_f += f
        total_s += s
        print(f"{name:<22} {f:8.3f} ({fmin:7.3f}) {s:8.3f} ({smin:7.3f})")
    print(f"{'total':<22} {total_f:8.3f} {'':9} {total_s:8.3f}")


if __name__ == "__main__":
    main()
