using Latent.Autodiff;
using Latent.Data;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// A generative adversarial network: a generator from z to items, a discriminator body from items to features, a
/// linear critic from those features to one logit (real against generated), and for an InfoGAN a recognition head
/// that infers the codes of z from the same features.
/// </summary>
/// <remarks>
/// Parameters are named generator.*, discriminator.*, critic.* and recognition.*, as a PyTorch module holding
/// nn.Sequential generator, discriminator and recognition parts and an nn.Linear critic would name them. The
/// losses (<see cref="DiscriminatorLoss"/>, <see cref="GeneratorLoss"/>) are those of Goodfellow et al. 2014 with the
/// non-saturating generator loss, plus InfoGAN's mutual-information term (Chen et al. 2016): λ·(½‖c − μ(x)‖² over the
/// continuous codes, a unit-variance Gaussian's negative log-likelihood up to a constant, + the cross-entropy of each
/// categorical code), a lower bound on I(c; G(z, c)) up to the codes' entropy, raised by both networks.
/// </remarks>
public sealed class AdversarialNetwork : Module
{
    private readonly bool _generatorMakesImage;
    private readonly bool _discriminatorTakesImage;

    /// <summary>Builds the network the options describe, initialised from <see cref="AdversarialOptions.Seed"/>.</summary>
    public AdversarialNetwork(AdversarialOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
        var rng = new Rng(options.Seed);
        var generatorLayers = Architecture.Parse(options.Generator, "generator");
        var discriminatorLayers = Architecture.Parse(options.Discriminator, "discriminator");
        var generator = Architecture.Build(generatorLayers, LayerShape.FromFeatures(options.LatentSize), options.Activation, rng, "generator");
        Generator = RegisterModule("generator", generator.Module);
        _generatorMakesImage = generator.Output.Image is not null;
        var discriminator = Architecture.Build(discriminatorLayers, options.InputLayerShape, options.Activation, rng, "discriminator");
        Discriminator = RegisterModule("discriminator", discriminator.Module);
        _discriminatorTakesImage = discriminator.TakesImage;
        Features = discriminator.Features;
        Critic = RegisterModule("critic", new Linear(Features, 1, rng));
        if (options.HasCodes)
        {
            string head = string.IsNullOrWhiteSpace(options.Recognition) || options.Recognition.Trim() == "none"
                ? $"fc{options.CodeParameters}:none"
                : $"{options.Recognition},fc{options.CodeParameters}:none";
            Recognition = RegisterModule("recognition", Architecture.Build(head, LayerShape.FromFeatures(Features), options.Activation, rng, "recognition").Module);
        }

        InferenceBatch = ModuleInference.BatchFor((generatorLayers, LayerShape.FromFeatures(options.LatentSize)), (discriminatorLayers, options.InputLayerShape));
    }

    /// <summary>Items per batch of inference: 1,024, fewer where one layer would hold more than 32 Mi values for the batch.</summary>
    public int InferenceBatch { get; }

    /// <summary>The options the network was built from.</summary>
    public AdversarialOptions Options { get; }

    /// <summary>z → item.</summary>
    public Sequential Generator { get; }

    /// <summary>Item → features.</summary>
    public Sequential Discriminator { get; }

    /// <summary>Values per item of the discriminator's output.</summary>
    public int Features { get; }

    /// <summary>Features → the logit of "real".</summary>
    public Linear Critic { get; }

    /// <summary>Features → the codes' parameters (InfoGAN's Q), or null without codes.</summary>
    public Sequential? Recognition { get; }

    /// <summary>Values per item.</summary>
    public int Inputs => Options.Inputs;

    /// <summary>The length of z.</summary>
    public int LatentSize => Options.LatentSize;

    /// <summary>The generator's parameters (what its optimizer updates).</summary>
    public IEnumerable<Var> GeneratorParameters() => Generator.ParameterVars();

    /// <summary>The discriminator's, critic's and recognition head's parameters (what the discriminator's optimizer updates).</summary>
    public IEnumerable<Var> DiscriminatorParameters() =>
        Recognition is null ? Discriminator.ParameterVars().Concat(Critic.ParameterVars()) : Discriminator.ParameterVars().Concat(Critic.ParameterVars()).Concat(Recognition.ParameterVars());

    /// <summary>The logit of "real" for items <paramref name="x"/> [n, inputs], recorded on its tape.</summary>
    public override Var Forward(Var x) => Critic.Forward(FeaturesVar(x));

    /// <summary>Generated items [n, inputs] for <paramref name="z"/> [n, latent], recorded on its tape.</summary>
    public Var GenerateVar(Var z)
    {
        ArgumentNullException.ThrowIfNull(z);
        var output = Generator.Forward(z);
        return _generatorMakesImage ? output.Flatten() : output;
    }

    /// <summary>The discriminator's features [n, <see cref="Features"/>] for items <paramref name="x"/> [n, inputs].</summary>
    public Var FeaturesVar(Var x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var input = _discriminatorTakesImage ? x.Unflatten(Options.InputShape!.Value) : x;
        var features = Discriminator.Forward(input);
        return features.Value.Rank > 2 ? features.Flatten() : features;
    }

    /// <summary>
    /// The discriminator's loss on real items <paramref name="real"/> and generated ones <paramref name="fake"/> (both
    /// [n, inputs] on one tape; the fakes as constants, so no gradient reaches the generator), with the information
    /// term on the fakes' codes <paramref name="z"/>: mean over items of −log D(x) (or the smoothed target's
    /// cross-entropy) and −log(1 − D(G(z))), + λ·information.
    /// </summary>
    public AdversarialLoss DiscriminatorLoss(Var real, Var fake, Var z)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        var tape = Tape.Of(real, fake);
        var realLogit = Forward(real);
        var fakeFeatures = FeaturesVar(fake);
        var fakeLogit = Critic.Forward(fakeFeatures);
        var realLoss = Ops.BceWithLogits(realLogit, Constant(tape, real.Rows, 1f - Options.LabelSmoothing)).Mean();
        var fakeLoss = Ops.BceWithLogits(fakeLogit, Constant(tape, fake.Rows, 0f)).Mean();
        var adversarial = Ops.Add(realLoss, fakeLoss);
        (Var total, double information) = WithInformation(adversarial, fakeFeatures, z);
        return new AdversarialLoss(total, adversarial.Value.Span[0], information, MeanProbability(realLogit), MeanProbability(fakeLogit));
    }

    /// <summary>
    /// The generator's non-saturating loss for generated items <paramref name="fake"/> made from <paramref name="z"/>
    /// (recorded on their tape through the generator): mean over items of −log D(G(z)), + λ·information.
    /// </summary>
    public AdversarialLoss GeneratorLoss(Var fake, Var z)
    {
        ArgumentNullException.ThrowIfNull(fake);
        var features = FeaturesVar(fake);
        var logit = Critic.Forward(features);
        var adversarial = Ops.BceWithLogits(logit, Constant(Tape.Of(fake), fake.Rows, 1f)).Mean();
        (Var total, double information) = WithInformation(adversarial, features, z);
        return new AdversarialLoss(total, adversarial.Value.Span[0], information, double.NaN, MeanProbability(logit));
    }

    /// <summary>Fills <paramref name="z"/> [n, latent] with draws of z: noise and continuous codes U(−1, 1), categorical codes one-hot and uniform.</summary>
    public void DrawLatent(Tensor z, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(rng);
        if (z.Columns != LatentSize)
        {
            throw new ArgumentException($"z has {z.Columns} values per item; this network's z has {LatentSize}.", nameof(z));
        }

        int uniform = Options.Noise + Options.ContinuousCodes;
        var span = z.Span;
        for (int i = 0; i < z.Rows; i++)
        {
            var row = span.Slice(i * LatentSize, LatentSize);
            rng.FillUniform(row[..uniform], -1f, 1f);
            row[uniform..].Clear();
            int offset = uniform;
            foreach (int categories in Options.CategoricalCodes)
            {
                row[offset + rng.NextInt(categories)] = 1f;
                offset += categories;
            }
        }
    }

    /// <summary><paramref name="count"/> draws of z from <paramref name="seed"/>: [count, latent].</summary>
    public Tensor DrawLatent(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var z = Tensor.Zeros(count, LatentSize);
        DrawLatent(z, new Rng(seed));
        return z;
    }

    /// <summary>
    /// The z's of a traversal of continuous codes: for each code of <paramref name="codes"/> (an index among the
    /// continuous codes), <paramref name="steps"/> copies of <paramref name="origin"/> with that code running evenly
    /// from −<paramref name="range"/> to <paramref name="range"/>: [codes × steps, latent], a row of the grid per code.
    /// </summary>
    /// <exception cref="ArgumentException">The origin is not one z, a code is not a continuous code, or fewer than 2 steps.</exception>
    public Tensor CodeTraversal(ReadOnlySpan<float> origin, IReadOnlyList<int> codes, int steps, float range)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        if (origin.Length != LatentSize)
        {
            throw new ArgumentException($"The origin has {origin.Length} values; this network's z has {LatentSize}.", nameof(origin));
        }

        var z = Tensor.Zeros(codes.Count * steps, LatentSize);
        for (int r = 0; r < codes.Count; r++)
        {
            int code = codes[r];
            ArgumentOutOfRangeException.ThrowIfNegative(code, nameof(codes));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(code, Options.ContinuousCodes, nameof(codes));
            for (int s = 0; s < steps; s++)
            {
                var row = z.Row((r * steps) + s);
                origin.CopyTo(row);
                row[Options.Noise + code] = -range + (2 * range * s / (steps - 1));
            }
        }

        return z;
    }

    /// <summary>The generated items for <paramref name="z"/> [n, latent], in evaluation mode: [n, inputs].</summary>
    public Tensor Generate(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        return ModuleInference.Run(this, InferenceBatch, new TensorSource(z, nameof(z)), LatentSize, Inputs, (tape, v) => GenerateVar(v), nameof(z));
    }

    /// <summary><paramref name="count"/> generated items from fresh draws of z seeded by <paramref name="seed"/>: [count, inputs].</summary>
    public Tensor Sample(int count, ulong seed) => Generate(DrawLatent(count, seed));

    /// <summary>The probability the discriminator gives each item of <paramref name="data"/> of being real: [n].</summary>
    public Tensor Discriminate(IFeatureSource data) =>
        ModuleInference.Run(this, InferenceBatch, data, Inputs, 1, (tape, x) => Forward(x).Sigmoid(), nameof(data), vector: true);

    /// <summary>
    /// The recognition head's inference of the codes for the items of <paramref name="data"/>: [n, continuous codes +
    /// categories], the means of the continuous codes then each categorical code's logits (an InfoGAN's encoder).
    /// </summary>
    /// <exception cref="InvalidOperationException">The network has no codes.</exception>
    public Tensor InferCodes(IFeatureSource data)
    {
        var recognition = Recognition ?? throw new InvalidOperationException($"This '{Options.Preset}' network has no codes to infer (only an InfoGAN's recognition head infers them).");
        return ModuleInference.Run(this, InferenceBatch, data, Inputs, Options.CodeParameters, (tape, x) => recognition.Forward(FeaturesVar(x)), nameof(data));
    }

    private (Var Total, double Information) WithInformation(Var adversarial, Var features, Var z)
    {
        if (Recognition is null || Options.InfoWeight == 0f)
        {
            return (adversarial, 0);
        }

        var codes = Recognition.Forward(features);
        int continuous = Options.ContinuousCodes;
        Var? information = null;
        if (continuous > 0)
        {
            var squared = Ops.SquaredError(codes.Columns(0, continuous), z.Columns(Options.Noise, continuous));
            information = squared.Mean().Scale(0.5f);
        }

        int offset = continuous;
        int zOffset = Options.Noise + continuous;
        foreach (int categories in Options.CategoricalCodes)
        {
            var entropy = Ops.SoftmaxCrossEntropy(codes.Columns(offset, categories), z.Columns(zOffset, categories)).Mean();
            information = information is null ? entropy : Ops.Add(information, entropy);
            offset += categories;
            zOffset += categories;
        }

        double value = information!.Value.Span[0];
        return (Ops.Add(adversarial, information.Scale(Options.InfoWeight)), value);
    }

    private static Var Constant(Tape tape, int rows, float value)
    {
        var constant = tape.Scratch(rows, 1);
        constant.Value.Fill(value);
        return constant;
    }

    private static double MeanProbability(Var logits)
    {
        double sum = 0;
        foreach (float logit in logits.Value.Span)
        {
            sum += 1.0 / (1.0 + Math.Exp(-logit));
        }

        return sum / logits.Value.Length;
    }
}

/// <summary>One adversarial loss of a batch: the value to differentiate and its parts as numbers.</summary>
/// <param name="Loss">The total (adversarial + λ·information), a one-element Var on the batch's tape.</param>
/// <param name="Adversarial">The adversarial part: the discriminator's cross-entropy, or the generator's −log D(G(z)).</param>
/// <param name="Information">The information term before λ (0 without codes).</param>
/// <param name="RealScore">The mean D(x) over the real items (NaN for the generator's loss).</param>
/// <param name="FakeScore">The mean D(G(z)) over the generated items.</param>
public readonly record struct AdversarialLoss(Var Loss, double Adversarial, double Information, double RealScore, double FakeScore);
