using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Nn;

/// <summary>f(x) = x for x &gt; 0, else slope·x, element-wise.</summary>
public sealed class LeakyRelu : ActivationModule
{
    /// <summary>A leaky relu with the given negative slope (PyTorch's default 0.01).</summary>
    public LeakyRelu(float slope = ActivationKernels.DefaultLeakySlope)
        : base(Activation.LeakyRelu, slope)
    {
        if (!float.IsFinite(slope))
        {
            throw new ArgumentOutOfRangeException(nameof(slope), slope, "The slope must be finite.");
        }
    }

    /// <inheritdoc/>
    protected override string Describe() => $"slope={LeakySlope}";
}
