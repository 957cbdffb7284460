#!/usr/bin/env python3
"""The 28×28 DCGAN (`latent train dcgan`) on Fashion-MNIST, in PyTorch.

The same nets, data, optimisers and step schedule as `latent`'s `dcgan` benchmark, for comparison on one machine:

    OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=2 /usr/bin/python3 bench/peers/torch_dcgan.py [--epochs 3] [--images 60000]

Generator (z = 100 values of U(−1, 1)): Linear 100→6272, BatchNorm1d, ReLU, Unflatten 128×7×7, ConvTranspose2d
128→64 4×4 stride 2 pad 1 (7→14), BatchNorm2d, ReLU, ConvTranspose2d 64→1 (14→28), Sigmoid. Discriminator:
Conv2d 1→64 4×4 stride 2 pad 1 (28→14), LeakyReLU(0.2), Conv2d 64→128 (14→7), BatchNorm2d, LeakyReLU(0.2),
Flatten; critic Linear 6272→1 (a logit). Adam 2e-4 for both, β = (0.5, 0.999), batch 128, images in [0, 1].

Per batch (src/Latent/Training/AdversarialTarget.cs with one discriminator step per generator step): the fakes
are generated once; one discriminator step on BCE-with-logits of the real batch (target 1) plus the fakes
detached (target 0), each a mean over the batch; then one generator step on the same fakes scored by the updated
discriminator with the non-saturating loss −log D(G(z)). Both nets stay in training mode (batch statistics).

Prints seconds per epoch, the median of the epochs after the first (the first pays for warm-up), and the last
epoch's mean discriminator and generator losses and mean D(x), D(G(z)) (before each discriminator step), as
`latent` prints them.
"""
import argparse
import os
import statistics
import time

import torch
from torch import nn
from torch.nn import functional as F

from fashion_mnist import FASHION, read_idx_images


def generator(noise=100):
    return nn.Sequential(
        nn.Linear(noise, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(),
        nn.Unflatten(1, (128, 7, 7)),
        nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
        nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Sigmoid())


def discriminator():
    return nn.Sequential(
        nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
        nn.Flatten())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--images", type=int, default=60000, help="train on the first N images (an epoch is N images)")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    train = read_idx_images(f"{FASHION}/train-images-idx3-ubyte.gz")[:args.images]
    gen, disc, critic = generator(), discriminator(), nn.Linear(128 * 7 * 7, 1)
    g_opt = torch.optim.Adam(gen.parameters(), lr=2e-4, betas=(0.5, 0.999))
    d_opt = torch.optim.Adam(list(disc.parameters()) + list(critic.parameters()), lr=2e-4, betas=(0.5, 0.999))
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"OPENBLAS_CORETYPE {os.environ.get('OPENBLAS_CORETYPE', 'unset')}, train {tuple(train.shape)}, load {os.getloadavg()[0]:.2f}")

    seconds = []
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(train.shape[0])
        d_sum = g_sum = real_sum = fake_sum = 0.0
        for i in range(0, train.shape[0], args.batch):
            real = train[order[i:i + args.batch]]
            n = real.shape[0]
            z = torch.rand(n, 100) * 2 - 1
            fake = gen(z)

            real_logit = critic(disc(real))
            fake_logit = critic(disc(fake.detach()))
            d_loss = (F.binary_cross_entropy_with_logits(real_logit, torch.ones_like(real_logit))
                      + F.binary_cross_entropy_with_logits(fake_logit, torch.zeros_like(fake_logit)))
            d_opt.zero_grad()
            d_loss.backward()
            d_opt.step()

            logit = critic(disc(fake))
            g_loss = F.binary_cross_entropy_with_logits(logit, torch.ones_like(logit))
            g_opt.zero_grad()
            g_loss.backward()
            g_opt.step()

            d_sum += d_loss.item() * n
            g_sum += g_loss.item() * n
            real_sum += torch.sigmoid(real_logit).sum().item()
            fake_sum += torch.sigmoid(fake_logit).sum().item()
        seconds.append(time.perf_counter() - start)
        count = train.shape[0]
        print(f"epoch {epoch:2d}  {seconds[-1]:.2f} s  D loss {d_sum / count:.4f}  G loss {g_sum / count:.4f}  "
              f"D(x) {real_sum / count:.4f}  D(G(z)) {fake_sum / count:.4f}  load {os.getloadavg()[0]:.2f}")

    later = seconds[1:] or seconds
    print(f"median epoch after the first {statistics.median(later):.2f} s (first {seconds[0]:.2f} s), "
          f"last epoch: D loss {d_sum / count:.4f}, G loss {g_sum / count:.4f}, D(x) {real_sum / count:.4f}, "
          f"D(G(z)) {fake_sum / count:.4f}, load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
