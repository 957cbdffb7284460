using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;
using Xunit;

namespace Latent.Tests.Adversarial;

/// <summary>The classic mode-collapse test: a GAN on a 2-D mixture of 8 Gaussians on a circle.</summary>
public sealed class EightGaussiansTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Modes = 8;
    private const float Radius = 2f;
    private const float Spread = 0.05f;

    [Fact]
    public void GanCoversAtLeastSixOfTheEightModesWithTheDefaultSettings()
    {
        // A mode is covered when at least a tenth of its share of 4,000 samples (50) lies within 5σ of it. Measured over
        // the seeds 0-4 of the weights and batches (LATENT_EIGHT_GAUSSIANS_SEEDS="0,1,2,3,4" re-runs it): 6, 6, 8, 8
        // and 6 modes covered, 83.3 %, 93.8 %, 88.9 %, 89.9 % and 83.7 % of the samples near a mode. The claim stays
        // the issue's (at least 6 of 8); the share near a mode is bounded at 75 %, below the least measured.
        string? seeds = Environment.GetEnvironmentVariable("LATENT_EIGHT_GAUSSIANS_SEEDS");
        foreach (ulong seed in seeds is null ? [0UL] : seeds.Split(',').Select(s => ulong.Parse(s, System.Globalization.CultureInfo.InvariantCulture)))
        {
            (int covered, double onModes, int[] counts) = Train(seed);
            output.WriteLine($"seed {seed}: {covered} modes covered, {onModes:P1} of the samples near a mode: {string.Join(", ", counts)}");
            Assert.True(covered >= 6, $"seed {seed}: covered {covered} of 8 modes: {string.Join(", ", counts)}");
            Assert.True(onModes > 0.75, $"seed {seed}: only {onModes:P0} of the samples lie near a mode: {string.Join(", ", counts)}");
        }
    }

    private static (int Covered, double OnModes, int[] Counts) Train(ulong seed)
    {
        var data = Mixture(8192, seed: 1);
        var network = new AdversarialNetwork(new AdversarialOptions
        {
            Preset = "gan",
            Inputs = 2,
            Noise = 8,
            Generator = "fc128,fc128,fc2:none",
            Discriminator = "fc128:leaky-relu0.2,fc128:leaky-relu0.2",
            Seed = seed,
        });
        var trainer = new AdversarialTrainer(new TrainerOptions { Epochs = 80, CheckpointEvery = 0, Seed = seed });
        var result = trainer.Fit(network, new TensorSource(data, "8 gaussians"));
        var samples = result.Network.Sample(4000, seed: 7);
        int[] counts = CountsNearModes(samples, Spread * 5);
        int covered = counts.Count(c => c >= 4000 / Modes / 10);
        return (covered, counts.Sum() / 4000.0, counts);
    }

    internal static Tensor Mixture(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var data = Tensor.Zeros(count, 2);
        var span = data.Span;
        for (int i = 0; i < count; i++)
        {
            double angle = 2 * Math.PI * rng.NextInt(Modes) / Modes;
            span[2 * i] = (float)((Radius * Math.Cos(angle)) + (Spread * rng.NextGaussian()));
            span[(2 * i) + 1] = (float)((Radius * Math.Sin(angle)) + (Spread * rng.NextGaussian()));
        }

        return data;
    }

    internal static int[] CountsNearModes(Tensor samples, float within)
    {
        var counts = new int[Modes];
        var span = samples.Span;
        for (int i = 0; i < samples.Rows; i++)
        {
            for (int m = 0; m < Modes; m++)
            {
                double angle = 2 * Math.PI * m / Modes;
                double dx = span[2 * i] - (Radius * Math.Cos(angle)), dy = span[(2 * i) + 1] - (Radius * Math.Sin(angle));
                if ((dx * dx) + (dy * dy) < within * within)
                {
                    counts[m]++;
                }
            }
        }

        return counts;
    }
}
