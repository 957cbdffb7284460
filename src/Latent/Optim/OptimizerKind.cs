using System.Text.Json.Serialization;

namespace Latent.Optim;

/// <summary>The optimizers a training run can use; <see cref="OptimizerRegistry"/> describes and builds each.</summary>
public enum OptimizerKind
{
    /// <summary><see cref="Optim.Adam"/>: Adam with L2 weight decay through the gradient.</summary>
    Adam,

    /// <summary><see cref="Optim.AdamW"/>: Adam with decoupled weight decay.</summary>
    [JsonStringEnumMemberName("adamw")]
    AdamW,

    /// <summary><see cref="Optim.Sgd"/>: stochastic gradient descent with momentum.</summary>
    Sgd,

    /// <summary><see cref="Optim.Adagrad"/>: per-coordinate rates from the accumulated squared gradients.</summary>
    Adagrad,

    /// <summary><see cref="Optim.RmsProp"/>: RMSprop, optionally centred and with momentum.</summary>
    [JsonStringEnumMemberName("rmsprop")]
    RmsProp,
}
