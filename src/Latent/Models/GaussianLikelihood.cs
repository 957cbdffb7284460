using Latent.Autodiff;

namespace Latent.Models;

/// <summary>A Gaussian with fixed standard deviation σ around the decoder's output (the mean).</summary>
/// <remarks>−log p(x | z) = ‖x − f(z)‖² / (2σ²) + (d/2)·log(2πσ²): the squared error up to constants.</remarks>
public sealed class GaussianLikelihood : Likelihood
{
    private readonly float _scale;
    private readonly float _constant;

    /// <summary>A Gaussian of fixed standard deviation <paramref name="sigma"/> on each of <paramref name="inputs"/> values.</summary>
    public GaussianLikelihood(int inputs, float sigma)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigma);
        Sigma = sigma;
        _scale = 1f / (2f * sigma * sigma);
        _constant = (float)(0.5 * inputs * Math.Log(2 * Math.PI * sigma * sigma));
    }

    /// <summary>The fixed standard deviation σ.</summary>
    public float Sigma { get; }

    /// <inheritdoc/>
    public override Var NegativeLogLikelihood(Var output, Var target) =>
        Ops.AddScalar(Ops.Scale(Ops.SquaredError(output, target), _scale), _constant);

    /// <inheritdoc/>
    public override Var Forward(Var x) => x;
}
