using System.Globalization;

namespace Latent.Optim;

/// <summary>One hyperparameter of an optimizer: its key (PyTorch's param-group name), its label for messages, and where its value comes from.</summary>
/// <param name="Key">The name in checkpoints and JSON: "lr", "weight_decay", "momentum", "beta1", "beta2", "eps", "lr_decay", "initial_accumulator_value", "alpha", "centered".</param>
/// <param name="Label">The name in messages, e.g. "weight decay".</param>
/// <param name="Read">Reads the value from the settings (a switch as 0 or 1).</param>
/// <param name="IsSwitch">Whether the value is a switch (0 or 1), written "centered true" in messages.</param>
public sealed record OptimizerHyperparameter(string Key, string Label, Func<OptimizerSettings, float> Read, bool IsSwitch = false)
{
    /// <summary>η.</summary>
    public static OptimizerHyperparameter LearningRate { get; } = new("lr", "lr", s => s.LearningRate);

    /// <summary>λ.</summary>
    public static OptimizerHyperparameter WeightDecay { get; } = new("weight_decay", "weight decay", s => s.WeightDecay);

    /// <summary>μ.</summary>
    public static OptimizerHyperparameter Momentum { get; } = new("momentum", "momentum", s => s.Momentum);

    /// <summary>β₁.</summary>
    public static OptimizerHyperparameter Beta1 { get; } = new("beta1", "beta1", s => s.Beta1);

    /// <summary>β₂.</summary>
    public static OptimizerHyperparameter Beta2 { get; } = new("beta2", "beta2", s => s.Beta2);

    /// <summary>ε.</summary>
    public static OptimizerHyperparameter Epsilon { get; } = new("eps", "eps", s => s.Epsilon);

    /// <summary>δ, Adagrad's learning-rate decay.</summary>
    public static OptimizerHyperparameter LearningRateDecay { get; } = new("lr_decay", "lr decay", s => s.LearningRateDecay);

    /// <summary>Adagrad's initial accumulator value.</summary>
    public static OptimizerHyperparameter InitialAccumulator { get; } = new("initial_accumulator_value", "initial accumulator", s => s.InitialAccumulator);

    /// <summary>α, RMSprop's decay of the mean square.</summary>
    public static OptimizerHyperparameter RmsPropAlpha { get; } = new("alpha", "alpha", s => s.RmsPropAlpha);

    /// <summary>Whether RMSprop is centred (1) or not (0).</summary>
    public static OptimizerHyperparameter Centered { get; } = new("centered", "centered", s => s.Centered ? 1f : 0f, IsSwitch: true);

    /// <summary>"label value", e.g. "lr 0.001" or "centered true".</summary>
    public string Format(float value) => IsSwitch
        ? $"{Label} {(value != 0f ? "true" : "false")}"
        : $"{Label} {value.ToString(CultureInfo.InvariantCulture)}";
}
