using Latent.Autodiff;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// An autoencoder built from parts: encoder → bottleneck → decoder → likelihood, trained on the
/// reconstruction term plus weighted regularisers, with optional input corruption.
/// </summary>
/// <remarks>
/// The training objective per item is −log p(x | z) + β(1 − α)·KL(q(z | x) ‖ N(0, I)) + w·‖z‖₁, averaged over
/// the batch, plus batch-level terms w·Σⱼ KL(ρ ‖ ρ̂ⱼ) and λ·MMD(q(z), N(0, I)). With importance samples k ≥ 1
/// the objective is instead −log (1/k) Σₛ p(x, zₛ)/q(zₛ | x), zₛ ~ q(z | x) (Burda et al. 2016), which is the
/// ordinary single-sample ELBO estimate for k = 1. Parameters are named encoder.*, bottleneck.*, decoder.*
/// and likelihood.*, as PyTorch would name the same modules.
/// </remarks>
public sealed class Autoencoder : Module
{
    private const int InferenceBatch = 1024;
    private static readonly float s_halfLog2Pi = 0.5f * MathF.Log(2f * MathF.PI);

    private Tensor? _corrupted;
    private Tensor? _prior;

    /// <summary>Builds the model the options describe, initialised from <see cref="AutoencoderOptions.Seed"/>.</summary>
    public Autoencoder(AutoencoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
        var encoderLayers = Architecture.Parse(options.Encoder, "encoder");
        var decoderLayers = options.DecoderLayers();
        var rng = new Rng(options.Seed);
        var encoder = Architecture.Build(encoderLayers, options.InputLayerShape, options.Activation, rng, "encoder");
        Encoder = RegisterModule("encoder", encoder.Module);
        Features = encoder.Features;
        Bottleneck = RegisterModule("bottleneck", Bottleneck.Create(options, Features, rng));
        Decoder = RegisterModule("decoder", Architecture.Build(decoderLayers, LayerShape.FromFeatures(options.Latent), options.Activation, rng, "decoder").Module);
        Likelihood = RegisterModule("likelihood", Likelihood.Create(options));
    }

    /// <summary>The options the model was built from.</summary>
    public AutoencoderOptions Options { get; }

    /// <summary>Input → features.</summary>
    public Sequential Encoder { get; }

    /// <summary>Values per item of the encoder's output, which the bottleneck reads.</summary>
    public int Features { get; }

    /// <summary>Features → code.</summary>
    public Bottleneck Bottleneck { get; }

    /// <summary>Code → likelihood parameters (logits or means).</summary>
    public Sequential Decoder { get; }

    /// <summary>The observation model.</summary>
    public Likelihood Likelihood { get; }

    /// <summary>Input size.</summary>
    public int Inputs => Options.Inputs;

    /// <summary>Code size.</summary>
    public int Latent => Options.Latent;

    /// <summary>The weight of KL(q ‖ p): β·(1 − α).</summary>
    public float KlWeight => Options.Beta * (1f - Options.InfoAlpha);

    /// <summary>The reconstruction (mean of p(x | z) at the encoding code), recorded on the tape of <paramref name="x"/>.</summary>
    public override Var Forward(Var x) => DecodeVar(EncodeVar(x));

    /// <summary>The encoding code (the mean code), recorded on the tape of <paramref name="x"/>.</summary>
    public Var EncodeVar(Var x) => Bottleneck.Forward(Encoder.Forward(x));

    /// <summary>The mean of p(x | z), recorded on the tape of <paramref name="z"/>.</summary>
    public Var DecodeVar(Var z) => Likelihood.Forward(Decoder.Forward(z));

    /// <summary>
    /// The training loss of <paramref name="batch"/> [rows, inputs], recorded on <paramref name="tape"/>;
    /// <paramref name="rng"/> draws the corruption, the posterior samples and the prior samples.
    /// </summary>
    public LossResult Loss(Tape tape, Tensor batch, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(rng);
        if (batch.Columns != Inputs)
        {
            throw new ArgumentException($"The batch has {batch.Columns} features; the model takes {Inputs}.", nameof(batch));
        }

        tape.Noise = rng;
        var target = tape.Input(batch);
        var input = target;
        if (Options.Noise != NoiseKind.None && Training)
        {
            _corrupted = Scratch(_corrupted, batch.Rows, batch.Columns);
            InputCorruption.Apply(Options.Noise, Options.NoiseLevel, batch.Span, _corrupted.Span, rng);
            input = tape.Input(_corrupted);
        }

        var features = Encoder.Forward(input);
        return Options.ImportanceSamples > 0
            ? ImportanceWeightedLoss(features, target, Options.ImportanceSamples, rng)
            : ElboLoss(tape, features, target, rng);
    }

    /// <summary>
    /// The importance-weighted bound with <paramref name="samples"/> samples, as a loss (−bound, mean per item),
    /// for any Gaussian-bottleneck model.
    /// </summary>
    public LossResult ImportanceWeightedLoss(Tape tape, Tensor batch, int samples, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        tape.Noise = rng;
        var target = tape.Input(batch);
        return ImportanceWeightedLoss(Encoder.Forward(target), target, samples, rng);
    }

    private LossResult ElboLoss(Tape tape, Var features, Var target, Rng rng)
    {
        var sample = Bottleneck.Sample(features, rng);
        var reconstruction = Likelihood.NegativeLogLikelihood(Decoder.Forward(sample.Code), target);
        double reconstructionMean = MeanOf(reconstruction);
        var perItem = reconstruction;
        double kl = 0, sparsity = 0, mmd = 0;
        if (sample.Mean is not null && sample.LogVariance is not null)
        {
            var klRows = Ops.KlDiagonalGaussian(sample.Mean, sample.LogVariance);
            kl = MeanOf(klRows);
            if (KlWeight != 0f)
            {
                perItem = Ops.Add(perItem, Ops.Scale(klRows, KlWeight));
            }
        }

        if (Options.Sparsity == SparsityKind.L1 && Options.SparsityWeight > 0)
        {
            var l1 = Regularizers.L1(sample.Code);
            sparsity = MeanOf(l1);
            perItem = Ops.Add(perItem, Ops.Scale(l1, Options.SparsityWeight));
        }

        var total = Ops.Mean(perItem);
        if (Options.Sparsity == SparsityKind.Kl && Options.SparsityWeight > 0)
        {
            var penalty = Regularizers.KlSparsity(sample.Code, Options.SparsityTarget);
            sparsity = penalty.Value[0];
            total = Ops.Add(total, Ops.Scale(penalty, Options.SparsityWeight));
        }

        if (Options.MmdWeight > 0)
        {
            _prior = Scratch(_prior, sample.Code.Rows, sample.Code.Columns);
            rng.FillNormal(_prior.Span);
            var penalty = Regularizers.Mmd(sample.Code, tape.Input(_prior), Options.MmdKernel, Options.MmdScale);
            mmd = penalty.Value[0];
            total = Ops.Add(total, Ops.Scale(penalty, Options.MmdWeight));
        }

        return new LossResult(total, new LossTerms(total.Value[0], reconstructionMean, kl, mmd, sparsity));
    }

    private LossResult ImportanceWeightedLoss(Var features, Var target, int samples, Rng rng)
    {
        if (Bottleneck is not GaussianBottleneck gaussian)
        {
            throw new InvalidOperationException("The importance-weighted bound needs a Gaussian bottleneck.");
        }

        (Var mean, Var logVariance) = gaussian.Posterior(features);
        int latent = mean.Columns;
        Var? logWeights = null;
        double reconstruction = 0, kl = 0;
        for (int s = 0; s < samples; s++)
        {
            var z = Ops.Reparameterize(mean, logVariance, rng);
            var nll = Likelihood.NegativeLogLikelihood(Decoder.Forward(z), target);

            // log q(z | x) = −GaussianNll(z; μ, log σ²); log p(z) = −½‖z‖² − (d/2)·log 2π.
            var negativeLogQ = Ops.GaussianNll(z, mean, logVariance);
            var logPrior = Ops.AddScalar(Ops.Scale(Ops.RowSums(Ops.Square(z)), -0.5f), -latent * s_halfLog2Pi);
            var logWeight = Ops.Add(Ops.Subtract(negativeLogQ, nll), logPrior);
            reconstruction += MeanOf(nll);
            kl += -MeanOf(negativeLogQ) - MeanOf(logPrior);
            logWeights = logWeights is null ? logWeight : Ops.ConcatColumns(logWeights, logWeight);
        }

        // −log (1/k) Σₛ wₛ, stably through log-sum-exp.
        var bound = Ops.LogSumExpRows(logWeights!);
        var total = Ops.AddScalar(Ops.Negate(Ops.Mean(bound)), MathF.Log(samples));
        return new LossResult(total, new LossTerms(total.Value[0], reconstruction / samples, kl / samples, 0, 0));
    }

    /// <summary>The mean codes of <paramref name="data"/> [n, inputs]: [n, latent].</summary>
    public Tensor Encode(Tensor data) => Infer(data, Latent, (tape, x) => EncodeVar(x));

    /// <summary>The means of p(x | z) for codes <paramref name="codes"/> [n, latent]: [n, inputs].</summary>
    public Tensor Decode(Tensor codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        CheckColumns(codes, Latent, "codes");
        return Infer(codes, Inputs, (tape, z) => DecodeVar(z), check: false);
    }

    /// <summary>Decode(Encode(x)): [n, inputs].</summary>
    public Tensor Reconstruct(Tensor data) => Infer(data, Inputs, (tape, x) => Forward(x));

    /// <summary>One draw z ~ q(z | x) per item for a variational model: [n, latent].</summary>
    public Tensor SamplePosterior(Tensor data, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var gaussian = Bottleneck as GaussianBottleneck
            ?? throw new InvalidOperationException($"Posterior sampling needs a variational model; this one is '{Options.Preset}'.");
        return Infer(data, Latent, (tape, x) =>
        {
            (Var mean, Var logVariance) = gaussian.Posterior(Encoder.Forward(x));
            return Ops.Reparameterize(mean, logVariance, rng);
        });
    }

    /// <summary>Means of p(x | z) for <paramref name="count"/> draws z ~ N(0, I): [count, inputs].</summary>
    public Tensor Sample(int count, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(rng);
        var codes = Tensor.Zeros(count, Latent);
        rng.FillNormal(codes.Span);
        return Decode(codes);
    }

    /// <summary>
    /// A per-item anomaly score: the negative ELBO (one posterior sample, analytic KL) for a variational model,
    /// else the reconstruction's −log p(x | z) at the encoding code. Larger is more anomalous.
    /// </summary>
    public float[] Score(Tensor data, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var scores = Infer(data, 1, (tape, x) =>
        {
            var features = Encoder.Forward(x);
            if (Bottleneck is GaussianBottleneck gaussian)
            {
                (Var mean, Var logVariance) = gaussian.Posterior(features);
                var z = Ops.Reparameterize(mean, logVariance, rng);
                var nll = Likelihood.NegativeLogLikelihood(Decoder.Forward(z), x);
                return Ops.Add(nll, Ops.KlDiagonalGaussian(mean, logVariance));
            }

            return Likelihood.NegativeLogLikelihood(Decoder.Forward(Bottleneck.Forward(features)), x);
        });
        return scores.ToArray();
    }

    /// <summary>
    /// The loss terms averaged over <paramref name="data"/> without training (no corruption, no gradient),
    /// with the posterior noise drawn from <paramref name="rng"/>.
    /// </summary>
    public LossTerms Evaluate(Tensor data, Rng rng, int batchSize = InferenceBatch)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        CheckColumns(data, Inputs, nameof(data));
        bool training = Training;
        Eval();
        using var tape = new Tape { GradEnabled = false };
        var sum = default(LossTerms);
        try
        {
            for (int start = 0; start < data.Rows; start += batchSize)
            {
                int rows = Math.Min(batchSize, data.Rows - start);
                using var batch = tape.Pool.Rent(rows, Inputs);
                data.Span.Slice(start * Inputs, rows * Inputs).CopyTo(batch.Span);
                sum += Loss(tape, batch, rng).Terms.Scale(rows);
                tape.Reset();
            }
        }
        finally
        {
            Train(training);
        }

        return data.Rows == 0 ? sum : sum.Scale(1.0 / data.Rows);
    }

    private Tensor Infer(Tensor data, int outputs, Func<Tape, Var, Var> forward, bool check = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (check)
        {
            CheckColumns(data, Inputs, nameof(data));
        }

        bool training = Training;
        Eval();
        int columns = data.Columns;
        var result = outputs == 1 ? Tensor.Zeros(data.Rows) : Tensor.Zeros(data.Rows, outputs);
        using var tape = new Tape { GradEnabled = false };
        try
        {
            for (int start = 0; start < data.Rows; start += InferenceBatch)
            {
                int rows = Math.Min(InferenceBatch, data.Rows - start);
                using var batch = tape.Pool.Rent(rows, columns);
                data.Span.Slice(start * columns, rows * columns).CopyTo(batch.Span);
                var output = forward(tape, tape.Input(batch));
                output.Value.Span.CopyTo(result.Span.Slice(start * outputs, rows * outputs));
                tape.Reset();
            }
        }
        finally
        {
            Train(training);
        }

        return result;
    }

    private static void CheckColumns(Tensor data, int expected, string name)
    {
        if (data.Columns != expected)
        {
            throw new ArgumentException($"The {name} have {data.Columns} columns; the model expects {expected}.", name);
        }
    }

    private static double MeanOf(Var perItem)
    {
        var span = perItem.Value.Span;
        return span.Length == 0 ? 0 : (double)TensorPrimitives.Sum(span) / span.Length;
    }

    private static Tensor Scratch(Tensor? current, int rows, int columns)
    {
        if (current is not null && current.Rows == rows && current.Columns == columns)
        {
            return current;
        }

        return Tensor.Zeros(rows, columns);
    }
}
