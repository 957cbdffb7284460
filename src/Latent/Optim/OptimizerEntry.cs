using Latent.Autodiff;

namespace Latent.Optim;

/// <summary>One row of <see cref="OptimizerRegistry"/>: an optimizer kind, its command-line name, the hyperparameters it reads and how to build it.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Name">The name on the command line and in JSON ("adam", "adamw", "sgd").</param>
/// <param name="Description">A few words for help text.</param>
/// <param name="Hyperparameters">The settings this optimizer reads; they define a run and must not change on resume.</param>
/// <param name="Create">Builds the optimizer over the parameters from the settings.</param>
public sealed record OptimizerEntry(
    OptimizerKind Kind,
    string Name,
    string Description,
    IReadOnlyList<OptimizerHyperparameter> Hyperparameters,
    Func<IEnumerable<Var>, OptimizerSettings, Optimizer> Create)
{
    /// <summary>
    /// This optimizer's defaults (PyTorch's): a setting a run leaves unset (the trainer's null learning rate,
    /// momentum or ε) takes its value from here.
    /// </summary>
    public OptimizerSettings Defaults { get; init; } = new();

    /// <summary>Whether this optimizer reads the hyperparameter keyed <paramref name="key"/> ("momentum", "eps", ...).</summary>
    public bool Reads(string key) => Hyperparameters.Any(h => h.Key == key);

    /// <summary>The values of <see cref="Hyperparameters"/> in <paramref name="settings"/>, by key, in order.</summary>
    public OrderedDictionary<string, float> Values(OptimizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var values = new OrderedDictionary<string, float>(StringComparer.Ordinal);
        foreach (var hyperparameter in Hyperparameters)
        {
            values.Add(hyperparameter.Key, hyperparameter.Read(settings));
        }

        return values;
    }

    /// <summary>The name and the hyperparameters, e.g. "adam (lr 0.001, beta1 0.9, beta2 0.999, eps 1E-08, weight decay 0)".</summary>
    public string Describe(OptimizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return $"{Name} ({string.Join(", ", Hyperparameters.Select(h => h.Format(h.Read(settings))))})";
    }
}
