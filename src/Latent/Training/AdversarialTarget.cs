using Latent.Autodiff;
using Latent.Data;
using Latent.Models;
using Latent.Nn;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Training;

/// <summary>
/// An adversarial network as a <see cref="TrainingTarget"/>: the generator's and the discriminator's optimizers,
/// and per batch one discriminator step and, every <see cref="AdversarialOptions.DiscriminatorSteps"/>-th batch, one
/// generator step.
/// </summary>
/// <remarks>
/// The batch's fakes are generated once, on the step's tape; the discriminator's step reads them as constants on a
/// tape of its own (no gradient reaches the generator), and the generator's step then scores the same fakes with the
/// updated discriminator and differentiates through the generator (as PyTorch's DCGAN example does with
/// <c>fake.detach()</c>). The loss terms report <c>loss</c> = the discriminator's plus the generator's adversarial loss;
/// the epoch's metrics split them: <see cref="DiscriminatorMetric"/>, <see cref="GeneratorMetric"/>,
/// <see cref="RealScoreMetric"/> (mean D(x)), <see cref="FakeScoreMetric"/> (mean D(G(z))) and, with codes,
/// <see cref="InformationMetric"/>.
/// </remarks>
internal sealed class AdversarialTarget : TrainingTarget
{
    /// <summary>The metric of the discriminator's mean loss over the epoch.</summary>
    public const string DiscriminatorMetric = "discriminator_loss";

    /// <summary>The metric of the generator's mean (non-saturating) loss over the epoch.</summary>
    public const string GeneratorMetric = "generator_loss";

    /// <summary>The metric of the mean D(x) over real items.</summary>
    public const string RealScoreMetric = "real_score";

    /// <summary>The metric of the mean D(G(z)) over generated items, before the discriminator's step.</summary>
    public const string FakeScoreMetric = "fake_score";

    /// <summary>The metric of the information term (before λ) in the generator's steps.</summary>
    public const string InformationMetric = "information";

    private readonly AdversarialNetwork _network;
    private readonly TargetOptimizer[] _optimizers;
    private readonly Var[] _discriminatorParameters;
    private Tape? _discriminatorTape;
    private double _discriminatorSum, _generatorSum, _realSum, _fakeSum, _informationSum;
    private int _discriminatorSteps, _generatorSteps, _batches;
    private double _lastGenerator;

    public AdversarialTarget(AdversarialNetwork network, TrainerOptions options)
    {
        _network = network;
        _discriminatorParameters = [.. network.DiscriminatorParameters()];
        var generatorSettings = options.OptimizerSettings;
        var discriminatorSettings = generatorSettings with { LearningRate = options.DiscriminatorLearningRate ?? generatorSettings.LearningRate };
        _optimizers =
        [
            new TargetOptimizer("generator.", OptimizerRegistry.Create(options.Optimizer, network.GeneratorParameters(), generatorSettings), generatorSettings.LearningRate),
            new TargetOptimizer("discriminator.", OptimizerRegistry.Create(options.Optimizer, network.DiscriminatorParameters(), discriminatorSettings), discriminatorSettings.LearningRate),
        ];
    }

    public override Module Model => _network;

    public override int Inputs => _network.Inputs;

    public override double LossScale => 1;

    public override bool GuardsExplosion => false;

    // The two players' losses summed: a GAN has no reconstruction, KL, MMD or sparsity term (its own are the metrics).
    public override IReadOnlyList<string> TermNames { get; } = [LossTerms.Names[0]];

    public override IReadOnlyList<TargetOptimizer> Optimizers => _optimizers;

    public override LossTerms Step(TrainingStep step, Tensor batch)
    {
        var tape = step.Tape;
        int n = batch.Rows;
        bool generatorStep = (_batches++ % _network.Options.DiscriminatorSteps) == _network.Options.DiscriminatorSteps - 1;
        var z = tape.Scratch(n, _network.LatentSize);
        _network.DrawLatent(z.Value, step.Noise);

        // A batch without a generator step needs the fakes' values only.
        tape.GradEnabled = generatorStep;
        var fake = _network.GenerateVar(z);
        tape.GradEnabled = true;

        var dTape = _discriminatorTape ??= new Tape(tape.Pool);
        dTape.Profile = tape.Profile; // the benchmarks' clock on each op (null when training)
        try
        {
            var discriminator = _network.DiscriminatorLoss(dTape.Input(batch), dTape.Input(fake.Value), dTape.Input(z.Value));
            step.Check(discriminator.Loss.Value.Span[0], dTape);
            step.Update(dTape, discriminator.Loss, _optimizers[1].Optimizer);
            _discriminatorSum += discriminator.Adversarial * n;
            _realSum += discriminator.RealScore * n;
            _fakeSum += discriminator.FakeScore * n;
            _discriminatorSteps += n;
            double total = discriminator.Adversarial;
            if (generatorStep)
            {
                // The discriminator's weight gradients would be discarded by its next step's ZeroGrad: skip them.
                using var frozen = new FrozenParameters(_discriminatorParameters);
                var generator = _network.GeneratorLoss(fake, z);
                step.Check(generator.Loss.Value.Span[0], tape);
                step.Update(tape, generator.Loss, _optimizers[0].Optimizer);
                _generatorSum += generator.Adversarial * n;
                _informationSum += generator.Information * n;
                _generatorSteps += n;
                _lastGenerator = generator.Adversarial;
            }

            total += _lastGenerator;
            return new LossTerms(total, 0, 0, 0, 0);
        }
        finally
        {
            dTape.Reset();
        }
    }

    public override LossTerms? Validate(IFeatureSource validation, Rng rng) => null;

    public override void EndEpoch(Dictionary<string, double> metrics)
    {
        metrics[DiscriminatorMetric] = _discriminatorSum / Math.Max(1, _discriminatorSteps);
        metrics[GeneratorMetric] = _generatorSum / Math.Max(1, _generatorSteps);
        metrics[RealScoreMetric] = _realSum / Math.Max(1, _discriminatorSteps);
        metrics[FakeScoreMetric] = _fakeSum / Math.Max(1, _discriminatorSteps);
        if (_network.Options.HasCodes)
        {
            metrics[InformationMetric] = _informationSum / Math.Max(1, _generatorSteps);
        }

        (_discriminatorSum, _generatorSum, _realSum, _fakeSum, _informationSum) = (0, 0, 0, 0, 0);
        (_discriminatorSteps, _generatorSteps) = (0, 0);

        // A batch without a generator step reports the epoch's last generator loss; a new epoch starts without one,
        // or an epoch resumed from a checkpoint (which does not hold it) would report different totals.
        _lastGenerator = 0;

        // Every epoch starts a fresh cycle of k discriminator steps, so a run resumed at an epoch's end is exact.
        _batches = 0;
    }

    public override Dictionary<string, string> Metadata(IReadOnlyDictionary<string, string> extra) => AdversarialModelFile.Metadata(_network, extra);

    public override void Dispose() => _discriminatorTape?.Dispose();
}
