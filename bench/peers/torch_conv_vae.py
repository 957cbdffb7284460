#!/usr/bin/env python3
"""The 28×28 convolutional VAE (`latent train conv-vae`) on Fashion-MNIST, in PyTorch.

The same architecture, data and optimiser as `latent`'s `convvae` benchmark, for comparison on one machine:

    OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=1 /usr/bin/python3 bench/peers/torch_conv_vae.py [--epochs 10]

Encoder: conv 1→32 4×4 stride 2 pad 1 (28→14), ReLU, conv 32→64 4×4 stride 2 pad 1 (14→7), ReLU, flatten,
FC 3136→256, ReLU; Gaussian bottleneck 256→20 (mean, log-variance). Decoder: FC 20→256, ReLU, FC 256→3136,
ReLU, unflatten 64×7×7, transposed conv 64→32 4×4 stride 2 pad 1 (7→14), ReLU, transposed conv 32→1 (14→28)
giving Bernoulli logits. Adam 1e-3, batch 128. Prints seconds per epoch and the mean test loss (negative
ELBO in nats per image) after the last epoch.
"""
import argparse
import os
import statistics
import time

import torch
from torch import nn
from torch.nn import functional as F

from fashion_mnist import FASHION, read_idx_images


class ConvVae(nn.Module):
    def __init__(self, latent=20):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(),
            nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(),
            nn.Flatten(),
            nn.Linear(64 * 7 * 7, 256), nn.ReLU())
        self.mean = nn.Linear(256, latent)
        self.log_var = nn.Linear(256, latent)
        self.decoder = nn.Sequential(
            nn.Linear(latent, 256), nn.ReLU(),
            nn.Linear(256, 64 * 7 * 7), nn.ReLU(),
            nn.Unflatten(1, (64, 7, 7)),
            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),
            nn.ConvTranspose2d(32, 1, 4, 2, 1))

    def forward(self, x):
        h = self.encoder(x)
        mu, logvar = self.mean(h), self.log_var(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.decoder(z), mu, logvar


def loss_sum(logits, x, mu, logvar):
    bce = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    kl = 0.5 * torch.sum(mu.pow(2) + logvar.exp() - 1 - logvar)
    return bce + kl


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    train = read_idx_images(f"{FASHION}/train-images-idx3-ubyte.gz")
    test = read_idx_images(f"{FASHION}/t10k-images-idx3-ubyte.gz")
    model = ConvVae()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    load = os.getloadavg()[0]
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, train {tuple(train.shape)}, load {load:.2f}")

    seconds = []
    for epoch in range(1, args.epochs + 1):
        model.train()
        start = time.perf_counter()
        order = torch.randperm(train.shape[0])
        total = 0.0
        for i in range(0, train.shape[0], args.batch):
            x = train[order[i:i + args.batch]]
            logits, mu, logvar = model(x)
            loss = loss_sum(logits, x, mu, logvar)
            optimizer.zero_grad()
            (loss / x.shape[0]).backward()
            optimizer.step()
            total += loss.item()
        seconds.append(time.perf_counter() - start)
        print(f"epoch {epoch:2d}  {seconds[-1]:.2f} s  train loss {total / train.shape[0]:.2f}  load {os.getloadavg()[0]:.2f}")

    model.eval()
    with torch.no_grad():
        total = 0.0
        for i in range(0, test.shape[0], 1000):
            x = test[i:i + 1000]
            logits, mu, logvar = model(x)
            total += loss_sum(logits, x, mu, logvar).item()
    print(f"median epoch {statistics.median(seconds):.2f} s, test loss {total / test.shape[0]:.2f} nats")


if __name__ == "__main__":
    main()
