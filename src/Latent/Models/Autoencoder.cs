using Latent.Autodiff;
using Latent.Data;
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
    private static readonly float s_halfLog2Pi = 0.5f * MathF.Log(2f * MathF.PI);

    // Whether the encoder takes [n, c, h, w] images (its first layer needs one) rather than the [n, d] rows.
    private readonly bool _encoderTakesImage;

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
        _encoderTakesImage = encoder.TakesImage;
        Features = encoder.Features;
        Bottleneck = RegisterModule("bottleneck", Bottleneck.Create(options, Features, rng));
        // Tied weights (validated: no hidden layers, a bottleneck with one linear map): the decoder is that map's
        // weight read transposed, owning only its bias, so the state dict holds the weight once.
        Decoder = RegisterModule("decoder", options.TiedWeights
            ? new Sequential(new TiedLinear(Bottleneck.Parameters().Single(p => p.Name == "linear.weight").Parameter))
            : Architecture.Build(decoderLayers, LayerShape.FromFeatures(options.Latent), options.Activation, rng, "decoder").Module);
        Likelihood = RegisterModule("likelihood", Likelihood.Create(options));
        InferenceBatch = ModuleInference.BatchFor((encoderLayers, options.InputLayerShape), (decoderLayers, LayerShape.FromFeatures(options.Latent)));
    }

    /// <summary>
    /// Items per batch of inference (<see cref="Encode(IFeatureSource)"/>, <see cref="Evaluate(IFeatureSource, Rng, int)"/>, …):
    /// 1,024, fewer where one layer would hold more than 32 Mi values for the batch (wide convolutions on large images).
    /// </summary>
    public int InferenceBatch { get; }

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
    public Var EncodeVar(Var x) => Bottleneck.Forward(FeaturesVar(x));

    /// <summary>The mean of p(x | z), recorded on the tape of <paramref name="z"/>.</summary>
    public Var DecodeVar(Var z) => Likelihood.Forward(DecoderOutputVar(z));

    /// <summary>
    /// The encoder's output for input rows <paramref name="x"/> [n, inputs] as the flat features the bottleneck
    /// reads, [n, <see cref="Features"/>], recorded on the tape of <paramref name="x"/>.
    /// </summary>
    /// <remarks>
    /// When the encoder's first layer needs an image, the rows are seen as [n, c, h, w] (<see cref="Ops.Unflatten"/>,
    /// a view, outside the encoder so its parameters keep PyTorch's names); an encoder that ends in an image is
    /// flattened to its c·h·w features (<see cref="Ops.Flatten"/>, a view).
    /// </remarks>
    public Var FeaturesVar(Var x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var input = _encoderTakesImage ? x.Unflatten(Options.InputShape!.Value) : x;
        var features = Encoder.Forward(input);
        return features.Value.Rank > 2 ? features.Flatten() : features;
    }

    /// <summary>
    /// The decoder's output for codes <paramref name="z"/> [n, latent] as flat rows of the likelihood's parameters
    /// (logits or means), [n, inputs], recorded on the tape of <paramref name="z"/>: a convolutional decoder's
    /// [n, c, h, w] output is flattened (a view).
    /// </summary>
    public Var DecoderOutputVar(Var z)
    {
        ArgumentNullException.ThrowIfNull(z);
        var output = Decoder.Forward(z);
        return output.Value.Rank > 2 ? output.Flatten() : output;
    }

    /// <summary>
    /// The training loss of <paramref name="batch"/> [rows, inputs], recorded on <paramref name="tape"/>;
    /// <paramref name="rng"/> draws the corruption, the posterior samples and the prior samples.
    /// </summary>
    /// <remarks>
    /// Per-step scratch (the corrupted batch, the prior samples) is rented from the tape's pool and returned on
    /// its reset, so the model holds no per-call state: callers with their own tapes may share one model.
    /// </remarks>
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
            input = tape.Scratch(batch);
            InputCorruption.Apply(Options.Noise, Options.NoiseLevel, batch.Span, input.Value.Span, rng);
        }

        var features = FeaturesVar(input);
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
        return ImportanceWeightedLoss(FeaturesVar(target), target, samples, rng);
    }

    private LossResult ElboLoss(Tape tape, Var features, Var target, Rng rng)
    {
        var sample = Bottleneck.Sample(features, rng);
        var reconstruction = Likelihood.NegativeLogLikelihood(DecoderOutputVar(sample.Code), target);
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
            var prior = tape.Scratch(sample.Code.Rows, sample.Code.Columns);
            rng.FillNormal(prior.Value.Span);
            var penalty = Regularizers.Mmd(sample.Code, prior, Options.MmdKernel, Options.MmdScale);
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
            var nll = Likelihood.NegativeLogLikelihood(DecoderOutputVar(z), target);

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
    public Tensor Encode(Tensor data) => Encode(Source(data));

    /// <summary>The mean codes of the items of <paramref name="data"/>, read in order through a <see cref="Batcher"/>: [n, latent].</summary>
    public Tensor Encode(IFeatureSource data) => Infer(data, Inputs, Latent, (tape, x) => EncodeVar(x));

    /// <summary>The means of p(x | z) for codes <paramref name="codes"/> [n, latent]: [n, inputs].</summary>
    public Tensor Decode(Tensor codes) => Decode(Source(codes, nameof(codes)));

    /// <summary>The means of p(x | z) for the codes of <paramref name="codes"/> (items of <see cref="Latent"/> values): [n, inputs].</summary>
    public Tensor Decode(IFeatureSource codes) => Infer(codes, Latent, Inputs, (tape, z) => DecodeVar(z), nameof(codes));

    /// <summary>Decode(Encode(x)): [n, inputs].</summary>
    public Tensor Reconstruct(Tensor data) => Reconstruct(Source(data));

    /// <summary>Decode(Encode(x)) for the items of <paramref name="data"/>: [n, inputs].</summary>
    public Tensor Reconstruct(IFeatureSource data) => Infer(data, Inputs, Inputs, (tape, x) => Forward(x));

    /// <summary>One draw z ~ q(z | x) per item for a variational model: [n, latent].</summary>
    public Tensor SamplePosterior(Tensor data, Rng rng) => SamplePosterior(Source(data), rng);

    /// <summary>One draw z ~ q(z | x) per item of <paramref name="data"/> for a variational model: [n, latent].</summary>
    public Tensor SamplePosterior(IFeatureSource data, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var gaussian = Bottleneck as GaussianBottleneck
            ?? throw new InvalidOperationException($"Posterior sampling needs a variational model; this one is '{Options.Preset}'.");
        return Infer(data, Inputs, Latent, (tape, x) =>
        {
            (Var mean, Var logVariance) = gaussian.Posterior(FeaturesVar(x));
            return Ops.Reparameterize(mean, logVariance, rng);
        });
    }

    /// <summary>
    /// The posterior q(z | x) = N(μ(x), diag σ²(x)) of every row of <paramref name="data"/> for a variational
    /// model: the means and the log-variances, each [n, latent].
    /// </summary>
    public (Tensor Mean, Tensor LogVariance) EncodePosterior(Tensor data) => EncodePosterior(Source(data));

    /// <summary>The posterior means and log-variances (each [n, latent]) of the items of <paramref name="data"/> for a variational model.</summary>
    /// <exception cref="InvalidOperationException">The model is not variational.</exception>
    public (Tensor Mean, Tensor LogVariance) EncodePosterior(IFeatureSource data)
    {
        var gaussian = Bottleneck as GaussianBottleneck
            ?? throw new InvalidOperationException($"The posterior's variance needs a variational model; this one is '{Options.Preset}'.");
        var both = Infer(data, Inputs, 2 * Latent, (tape, x) =>
        {
            (Var mean, Var logVariance) = gaussian.Posterior(FeaturesVar(x));
            return Ops.ConcatColumns(mean, logVariance);
        });
        var means = Tensor.Zeros(both.Rows, Latent);
        var logVariances = Tensor.Zeros(both.Rows, Latent);
        for (int i = 0; i < both.Rows; i++)
        {
            both.Row(i)[..Latent].CopyTo(means.Row(i));
            both.Row(i)[Latent..].CopyTo(logVariances.Row(i));
        }

        return (means, logVariances);
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
    public float[] Score(Tensor data, Rng rng) => Score(Source(data), rng);

    /// <summary>The anomaly score of <see cref="Score(Tensor, Rng)"/> for each item of <paramref name="data"/>.</summary>
    public float[] Score(IFeatureSource data, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var scores = Infer(data, Inputs, 1, (tape, x) =>
        {
            var features = FeaturesVar(x);
            if (Bottleneck is GaussianBottleneck gaussian)
            {
                (Var mean, Var logVariance) = gaussian.Posterior(features);
                var z = Ops.Reparameterize(mean, logVariance, rng);
                var nll = Likelihood.NegativeLogLikelihood(DecoderOutputVar(z), x);
                return Ops.Add(nll, Ops.KlDiagonalGaussian(mean, logVariance));
            }

            return Likelihood.NegativeLogLikelihood(DecoderOutputVar(Bottleneck.Forward(features)), x);
        }, vector: true);
        return scores.ToArray();
    }

    /// <summary>
    /// The loss terms averaged over <paramref name="data"/> without training (no corruption, no gradient),
    /// with the posterior noise drawn from <paramref name="rng"/>.
    /// </summary>
    public LossTerms Evaluate(Tensor data, Rng rng, int batchSize = 0) => Evaluate(Source(data), rng, batchSize);

    /// <summary>
    /// The loss terms averaged over the items of <paramref name="data"/>, read in order through a
    /// <see cref="Batcher"/> of <paramref name="batchSize"/> (0: <see cref="InferenceBatch"/>), without training (no
    /// corruption, no gradient), with the posterior noise drawn from <paramref name="rng"/>.
    /// </summary>
    public LossTerms Evaluate(IFeatureSource data, Rng rng, int batchSize = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegative(batchSize);
        batchSize = batchSize == 0 ? InferenceBatch : batchSize;
        ModuleInference.CheckDimension(data, Inputs, nameof(data));
        bool training = Training;
        Eval();
        using var tape = new Tape { GradEnabled = false };
        using var batcher = new Batcher(data, BatchOptions.Sequential(batchSize), pool: tape.Pool);
        var sum = default(LossTerms);
        try
        {
            foreach (var batch in batcher.NextEpoch())
            {
                sum += Loss(tape, batch.Features, rng).Terms.Scale(batch.Size);
                tape.Reset();
            }
        }
        finally
        {
            Train(training);
        }

        return data.Count == 0 ? sum : sum.Scale(1.0 / data.Count);
    }

    // Runs `forward` on the items of `data` in order, batch by batch through the one Batcher, and gathers
    // its outputs (`outputs` per item) into a new tensor.
    // Rows [n, outputs] (also for one output: a 1-D code or input is still a matrix), or [n] when vector is set.
    private Tensor Infer(IFeatureSource data, int inputs, int outputs, Func<Tape, Var, Var> forward, string name = "data", bool vector = false) =>
        ModuleInference.Run(this, InferenceBatch, data, inputs, outputs, forward, name, vector);

    private static TensorSource Source(Tensor data, string name = "data")
    {
        ArgumentNullException.ThrowIfNull(data, name);
        return new TensorSource(data, name);
    }

    private static double MeanOf(Var perItem)
    {
        var span = perItem.Value.Span;
        return span.Length == 0 ? 0 : (double)TensorPrimitives.Sum(span) / span.Length;
    }
}
