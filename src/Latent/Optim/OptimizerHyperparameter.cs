using System.Globalization;

namespace Latent.Optim;

/// <summary>One hyperparameter of an optimizer: its key (PyTorch's param-group name), its label for messages, and where its value comes from.</summary>
/// <param name="Key">The name in checkpoints and JSON: "lr", "weight_decay", "momentum", "beta1", "beta2", "eps".</param>
/// <param name="Label">The name in messages, e.g. "weight decay".</param>
/// <param name="Read">Reads the value from the settings.</param>
public sealed record OptimizerHyperparameter(string Key, string Label, Func<OptimizerSettings, float> Read)
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

    /// <summary>"label value", e.g. "lr 0.001".</summary>
    public string Format(float value) => $"{Label} {value.ToString(CultureInfo.InvariantCulture)}";
}
