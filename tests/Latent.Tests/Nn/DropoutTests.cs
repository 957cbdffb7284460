using Latent.Autodiff;
using Latent.Models;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Tests.Nn;

public class DropoutTests
{
    [Fact]
    public void EvalModeIsTheIdentity()
    {
        var dropout = new Dropout(0.5f);
        dropout.Eval();

        // Evaluation needs no noise stream.
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray([1f, 2f, 3f], 3));
        Assert.Same(x, dropout.Forward(x));
        Assert.Equal([1f, 2f, 3f], dropout.Forward(x).Value.ToArray());
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.3f)]
    [InlineData(0.75f)]
    public void TrainingDropsAtRatePAndScalesTheRest(float p)
    {
        const int N = 100_000;
        var dropout = new Dropout(p);
        Assert.True(dropout.Training);
        var data = new float[N];
        new Rng(3).FillUniform(data, 0.5f, 1.5f);
        using var tape = new Tape { Noise = new Rng(2) };
        var y = dropout.Forward(tape.Input(Tensor.FromArray(data, 100, 1000)));
        Assert.Equal([100, 1000], y.Value.Shape);
        float scale = 1f / (1f - p);
        int dropped = 0;
        for (int i = 0; i < N; i++)
        {
            if (y.Value[i] == 0f)
            {
                dropped++;
            }
            else
            {
                Assert.Equal(data[i] * scale, y.Value[i]);
            }
        }

        double sd = Math.Sqrt(p * (1 - p) / N);
        Assert.InRange((double)dropped / N, p - (5 * sd), p + (5 * sd));
    }

    [Fact]
    public void GradientPassesOnlyThroughKeptElementsScaled()
    {
        const float P = 0.4f;
        const int N = 1000;
        var rng = new Rng(4);
        var data = new float[N];
        var targetData = new float[N];
        rng.FillUniform(data, 0.5f, 1.5f);
        rng.FillNormal(targetData);
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray(data, 10, 100), requiresGrad: true);
        var y = Ops.Dropout(x, P, new Rng(5));
        tape.Backward(Ops.MeanSquaredError(y, tape.Input(Tensor.FromArray(targetData, 10, 100))));
        float scale = 1f / (1f - P);
        int kept = 0;
        for (int i = 0; i < N; i++)
        {
            if (y.Value[i] == 0f)
            {
                Assert.Equal(0f, x.Grad![i]);
            }
            else
            {
                kept++;
                double upstream = 2.0 * (y.Value[i] - targetData[i]) / N;
                Assert.Equal(upstream * scale, x.Grad![i], 1e-7);
            }
        }

        Assert.InRange(kept, 500, 700);
    }

    [Fact]
    public void GradientAddsToAnExistingOne()
    {
        const int N = 64;
        var data = new float[N];
        new Rng(6).FillUniform(data, 0.5f, 1.5f);
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray(data, N), requiresGrad: true);
        var y = Ops.Dropout(x, 0.5f, new Rng(7));

        // loss = mean((y − x)²) reaches x twice: as the target (first, −2(y − x)/N) and through the
        // dropout (added to it, 2(y − x)/N · m with m = 2 or 0).
        tape.Backward(Ops.MeanSquaredError(y, x));
        for (int i = 0; i < N; i++)
        {
            double mask = y.Value[i] == 0f ? 0 : 2;
            double expected = 2.0 * (y.Value[i] - data[i]) / N * (mask - 1);
            Assert.Equal(expected, x.Grad![i], 1e-6);
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameMask()
    {
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray(Enumerable.Repeat(1f, 257).ToArray(), 257));
        float[] a = Ops.Dropout(x, 0.5f, new Rng(9)).Value.ToArray();
        float[] b = Ops.Dropout(x, 0.5f, new Rng(9)).Value.ToArray();
        float[] c = Ops.Dropout(x, 0.5f, new Rng(10)).Value.ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void ProbabilityZeroAndOneAreTheEdges()
    {
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray([1f, -2f, 3f], 3), requiresGrad: true);
        Assert.Same(x, Ops.Dropout(x, 0f, new Rng(1)));
        Assert.Equal([0f, 0f, 0f], Ops.Dropout(x, 1f, new Rng(1)).Value.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Dropout(x, 1.5f, new Rng(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(-0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.0001f));
    }

    [Fact]
    public void TrainingWithoutANoiseStreamIsAClearError()
    {
        var dropout = new Dropout(0.5f);
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray([1f, 2f, 3f], 3));
        var error = Assert.Throws<InvalidOperationException>(() => dropout.Forward(x));
        Assert.Contains("Dropout in training mode needs the run's noise stream: set Tape.Noise", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, tape.Count);
    }

    [Fact]
    public void TheLayerDrawsItsMaskFromTheTapesNoiseStream()
    {
        const int N = 301;
        var data = new float[N];
        new Rng(12).FillUniform(data, 0.5f, 1.5f);
        var noise = new Rng(13);
        using var tape = new Tape { Noise = noise };
        var x = tape.Input(Tensor.FromArray(data, N));
        float[] fromLayer = new Dropout(0.3f).Forward(x).Value.ToArray();
        float[] fromOp = Ops.Dropout(x, 0.3f, new Rng(13)).Value.ToArray();
        Assert.Equal(fromOp, fromLayer);

        // The layer advanced the stream itself (one draw per element), not a copy of it.
        var reference = new Rng(13);
        for (int i = 0; i < N; i++)
        {
            reference.NextFloat();
        }

        Assert.Equal(reference.GetState(), noise.GetState());
    }

    [Fact]
    public void RestoringTheNoiseStreamReproducesTheMasksAsAResumedRunDoes()
    {
        const int Steps = 6, Resume = 3;

        // An uninterrupted run: the stream's state is saved after step Resume, as a checkpoint does.
        float[][] uninterrupted = RunSteps(new Rng(21), 0, Steps, out ulong[]? saved, saveAfter: Resume);
        Assert.NotNull(saved);

        // The same seed repeats every mask; another seed does not.
        float[][] again = RunSteps(new Rng(21), 0, Steps, out _, saveAfter: -1);
        Assert.Equal(uninterrupted, again);
        Assert.NotEqual(uninterrupted[0], RunSteps(new Rng(22), 0, 1, out _, saveAfter: -1)[0]);

        // A resumed run: a fresh stream set to the saved state and a fresh layer continue exactly.
        var resumed = new Rng(99);
        resumed.SetState(saved);
        float[][] continued = RunSteps(resumed, Resume, Steps, out _, saveAfter: -1);
        for (int step = Resume; step < Steps; step++)
        {
            Assert.Equal(uninterrupted[step], continued[step - Resume]);
        }

        // The masks differ from step to step (the stream moves on).
        Assert.NotEqual(uninterrupted[Resume - 1], uninterrupted[Resume]);
    }

    [Fact]
    public void AutoencoderLossesPutTheRunsNoiseStreamOnTheTape()
    {
        var rng = new Rng(5);
        using var tape = new Tape { GradEnabled = false };
        var batch = Tensor.Zeros(2, 5);
        new Autoencoder(Presets.Defaults("ae", 5) with { Hidden = [], Latent = 2 }).Loss(tape, batch, rng);
        Assert.Same(rng, tape.Noise);
        tape.Reset();
        Assert.Same(rng, tape.Noise);

        var other = new Rng(6);
        new Autoencoder(Presets.Defaults("vae", 5) with { Hidden = [], Latent = 2 }).ImportanceWeightedLoss(tape, batch, 3, other);
        Assert.Same(other, tape.Noise);
    }

    /// <summary>Training steps <paramref name="from"/> to <paramref name="to"/> of a net with two dropout layers; returns each step's output.</summary>
    private static float[][] RunSteps(Rng noise, int from, int to, out ulong[]? saved, int saveAfter)
    {
        var model = new Sequential(new Dropout(0.5f), new Dropout(0.25f));
        var data = Tensor.Zeros(4, 33);
        new Rng(7).FillUniform(data.Span, 0.5f, 1.5f);
        using var tape = new Tape { Noise = noise };
        saved = null;
        var outputs = new List<float[]>();
        for (int step = from; step < to; step++)
        {
            outputs.Add(model.Forward(tape.Input(data)).Value.ToArray());
            tape.Reset();
            if (step + 1 == saveAfter)
            {
                saved = noise.GetState();
            }
        }

        return [.. outputs];
    }
}
