using Latent.Autodiff;

namespace Latent.Optim;

/// <summary>Gradient clipping.</summary>
public static class GradientClipping
{
    /// <summary>PyTorch's offset in the clipping coefficient, which keeps it finite for a zero norm.</summary>
    public const float Epsilon = 1e-6f;

    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> so their global L2 norm is at most
    /// <paramref name="maxNorm"/>, as PyTorch's clip_grad_norm_, and returns the norm before clipping.
    /// </summary>
    /// <remarks>
    /// ‖g‖ = √(Σ_p Σ_i g_pi²) over the parameters that have a gradient (summed in double); when
    /// c = maxNorm / (‖g‖ + 10⁻⁶) is below 1 every gradient is multiplied by c, otherwise they are left as they
    /// are (PyTorch multiplies by 1). A non-finite norm gives non-finite gradients, as in PyTorch by default.
    /// Allocates nothing.
    /// </remarks>
    public static float ClipByGlobalNorm(IReadOnlyList<Var> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum norm must be non-negative.");
        }

        double sum = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            if (parameter.HasGrad)
            {
                sum += Ops.SumOfSquares(parameter.Grad!.Span);
            }
        }

        float norm = (float)Math.Sqrt(sum);
        float coefficient = maxNorm / (norm + Epsilon);
        if (!(coefficient >= 1f))
        {
            for (int i = 0; i < parameters.Count; i++)
            {
                var parameter = parameters[i];
                if (parameter.HasGrad)
                {
                    TensorPrimitives.Multiply(parameter.Grad!.Span, coefficient, parameter.Grad.Span);
                }
            }
        }

        return norm;
    }
}
