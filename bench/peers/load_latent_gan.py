#!/usr/bin/env python3
"""Loads a Latent GAN model file (dcgan 28x28 or infogan 28x28) into the equivalent PyTorch modules by tensor name.

Latent names its parameters as a PyTorch module holding nn.Sequential generator / discriminator / recognition parts
and an nn.Linear critic would (AdversarialNetwork), and activations are their own Sequential entries, so
load_state_dict(strict=True) takes the file as it is. The one difference: Latent stores batch norm's
num_batches_tracked as float32 where PyTorch keeps int64 (converted here).

    /usr/bin/python3 bench/peers/load_latent_gan.py MODEL.safetensors [--check CHECK.safetensors]

CHECK.safetensors holds tensors "z" [n, latent] and "images" [n, 784] = Latent's AdversarialNetwork.Generate(z), and
for the discriminator "items" [m, 784], "real_probability" [m] = Discriminate(items) and (InfoGAN) "codes" [m, 5] =
InferCodes(items); the script prints max |PyTorch - Latent| for each. tests/Latent.Tests/Models/PyTorchLoadingTests.cs
writes both files and runs this script when torch is installed (bench/peers/install.sh).

The safetensors format is read here without the safetensors package (Debian has none): 8 bytes little-endian header
length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {...}}, then the raw little-endian data.
"""
import argparse
import json
import struct
import sys

import numpy as np
import torch
from torch import nn

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    """Returns ({name: numpy array}, metadata) of a .safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    body = data[8 + length:]
    tensors = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        dtype = np.dtype(DTYPES[info["dtype"]]).newbyteorder("<")
        tensors[name] = np.frombuffer(body[start:end], dtype=dtype).reshape(info["shape"]).copy()
    return tensors, metadata


def upsampling(channels):
    """Both generators' end: 128x7x7 -> deconv64 (bn, relu) -> deconv to the image (sigmoid)."""
    return [nn.Unflatten(1, (128, 7, 7)),
            nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.ConvTranspose2d(64, channels, 4, 2, 1), nn.Sigmoid()]


def convolutions(channels):
    """Both discriminators' start: conv64 (leaky relu), conv128 (bn, leaky relu), flattened."""
    return [nn.Conv2d(channels, 64, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
            nn.Flatten()]


def dcgan_28(channels=1, noise=100):
    """The dcgan preset for 28x28 (AdversarialPresets): fc6272 bn relu, 128x7x7, deconv64 bn relu, deconv1 sigmoid."""
    generator = nn.Sequential(
        nn.Linear(noise, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(),
        *upsampling(channels))
    discriminator = nn.Sequential(*convolutions(channels))
    return Gan(generator, discriminator, 128 * 7 * 7, None)


def infogan_28(channels=1, noise=5, codes=5):
    """The infogan preset for 28x28: fc256 fc256 fc6272 (bn relu), 128x7x7, deconv64 bn relu, deconv1 sigmoid; Q fc128."""
    generator = nn.Sequential(
        nn.Linear(noise + codes, 256), nn.BatchNorm1d(256), nn.ReLU(),
        nn.Linear(256, 256), nn.BatchNorm1d(256), nn.ReLU(),
        nn.Linear(256, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(),
        *upsampling(channels))
    discriminator = nn.Sequential(
        *convolutions(channels),
        nn.Linear(128 * 7 * 7, 1024), nn.BatchNorm1d(1024), nn.LeakyReLU(0.2))
    recognition = nn.Sequential(
        nn.Linear(1024, 128), nn.BatchNorm1d(128), nn.LeakyReLU(0.2),
        nn.Linear(128, codes))
    return Gan(generator, discriminator, 1024, recognition)


class Gan(nn.Module):
    """generator: z -> image; discriminator: image -> features; critic: features -> logit of "real"; recognition: Q."""

    def __init__(self, generator, discriminator, features, recognition):
        super().__init__()
        self.generator = generator
        self.discriminator = discriminator
        self.critic = nn.Linear(features, 1)
        if recognition is not None:
            self.recognition = recognition

    def generate(self, z):
        return self.generator(z).flatten(1)

    def discriminate(self, items, shape):
        features = self.discriminator(items.reshape(-1, *shape))
        probability = torch.sigmoid(self.critic(features)).squeeze(1)
        codes = self.recognition(features) if hasattr(self, "recognition") else None
        return probability, codes


def load(path):
    """The PyTorch module of a Latent model file, its weights loaded strictly by name."""
    state, metadata = read_safetensors(path)
    options = json.loads(metadata["latent.options"])
    shape = (options["inputShape"]["channels"], options["inputShape"]["height"], options["inputShape"]["width"])
    if shape[1:] != (28, 28):
        sys.exit(f"{path}: this script defines the 28x28 presets; the model is {shape}")
    preset = options["preset"]
    model = dcgan_28(shape[0], options["noise"]) if preset == "dcgan" else infogan_28(shape[0], options["noise"], options["continuousCodes"])
    tensors = {}
    for name, value in state.items():
        t = torch.from_numpy(value)
        if name.endswith("num_batches_tracked"):
            t = t.reshape(()).to(torch.int64)  # Latent: float32 [1]; PyTorch: an int64 scalar
        tensors[name] = t
    model.load_state_dict(tensors, strict=True)
    return model.eval(), preset, shape


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="a Latent GAN model.safetensors (dcgan or infogan, 28x28)")
    parser.add_argument("--check", help="a .safetensors of z, images (and items, real_probability, codes) written by Latent")
    args = parser.parse_args()
    torch.set_num_threads(1)
    model, preset, shape = load(args.model)
    count = sum(p.numel() for p in model.parameters())
    print(f"loaded {args.model} into the PyTorch {preset} (strict): {len(model.state_dict())} tensors, {count:,} parameters")
    if args.check is None:
        return
    check, _ = read_safetensors(args.check)
    worst = 0.0
    with torch.no_grad():
        z = torch.from_numpy(check["z"])
        difference = (model.generate(z) - torch.from_numpy(check["images"])).abs().max().item()
        print(f"generator, {z.shape[0]} z's: max |PyTorch - Latent| = {difference:.2e}")
        worst = max(worst, difference)
        if "items" in check:
            probability, codes = model.discriminate(torch.from_numpy(check["items"]), shape)
            difference = (probability - torch.from_numpy(check["real_probability"]).reshape(-1)).abs().max().item()
            print(f"discriminator P(real), {probability.shape[0]} items: max |PyTorch - Latent| = {difference:.2e}")
            worst = max(worst, difference)
            if codes is not None and "codes" in check:
                difference = (codes - torch.from_numpy(check["codes"])).abs().max().item()
                print(f"recognition codes, {codes.shape[0]} items: max |PyTorch - Latent| = {difference:.2e}")
                worst = max(worst, difference)
    print(f"max difference {worst:.2e}")


if __name__ == "__main__":
    main()
