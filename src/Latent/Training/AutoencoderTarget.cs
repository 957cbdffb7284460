using Latent.Data;
using Latent.Models;
using Latent.Nn;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Training;

/// <summary>An autoencoder as a <see cref="TrainingTarget"/>: one optimizer on all its parameters, one loss per batch.</summary>
internal sealed class AutoencoderTarget : TrainingTarget
{
    private readonly Autoencoder _model;
    private readonly TargetOptimizer[] _optimizers;
    private readonly Classical.PcaModel? _pcaReference;

    public AutoencoderTarget(Autoencoder model, TrainerOptions options, IFeatureSource train)
    {
        _model = model;
        var optimizer = OptimizerRegistry.Create(options.Optimizer, model.ParameterVars(), options.OptimizerSettings);
        _optimizers = [new TargetOptimizer(string.Empty, optimizer, options.OptimizerSettings.LearningRate)];
        if (options.PcaAngle)
        {
            if (!LinearDecoder.IsLinear(model))
            {
                throw new ArgumentException($"Trainer option {nameof(TrainerOptions.PcaAngle)} measures a linear decoder's subspace; this '{model.Options.Preset}' model's decoder is not linear (use preset linear-ae).", nameof(TrainerOptions.PcaAngle));
            }

            _pcaReference = LinearDecoder.ReferencePca(train, model.Latent);
        }
    }

    public override Module Model => _model;

    public override int Inputs => _model.Inputs;

    public override double LossScale => _model.Options.Inputs;

    public override IReadOnlyList<TargetOptimizer> Optimizers => _optimizers;

    public override LossTerms Step(TrainingStep step, Tensor batch)
    {
        var loss = _model.Loss(step.Tape, batch, step.Noise);
        step.Check(loss.Terms.Total, step.Tape);
        step.Update(step.Tape, loss.Loss, _optimizers[0].Optimizer);
        return loss.Terms;
    }

    public override LossTerms? Validate(IFeatureSource validation, Rng rng) => _model.Evaluate(validation, rng);

    public override void EndEpoch(Dictionary<string, double> metrics)
    {
        if (_pcaReference is not null)
        {
            metrics[EpochRecord.PcaAngleMetric] = LinearDecoder.LargestAngleToPca(_model, _pcaReference);
        }

        if (_model.Likelihood is LearnedGaussianLikelihood learned)
        {
            metrics[EpochRecord.SigmaMetric] = learned.Sigma;
        }
    }

    public override Dictionary<string, string> Metadata(IReadOnlyDictionary<string, string> extra) => ModelFile.Metadata(_model, extra);
}
