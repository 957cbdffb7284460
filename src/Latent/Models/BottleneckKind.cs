namespace Latent.Models;

/// <summary>How the encoder's features become the code.</summary>
public enum BottleneckKind
{
    /// <summary>A linear map to the code (with an optional activation).</summary>
    Deterministic,

    /// <summary>A linear map keeping the k largest units per item (αk at encoding time).</summary>
    TopK,

    /// <summary>Sigmoid units rounded to {0, 1}, with a straight-through gradient.</summary>
    Binary,

    /// <summary>A diagonal Gaussian q(z | x) = N(μ, diag σ²), sampled by reparameterisation.</summary>
    Gaussian,
}
