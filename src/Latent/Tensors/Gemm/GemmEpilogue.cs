using Latent.Tensors.Kernels;
namespace Latent.Tensors;

/// <summary>
/// What a GEMM does to each output tile before it leaves the registers: add a bias row, then apply an
/// activation. The default does nothing.
/// </summary>
public readonly ref struct GemmEpilogue
{
    /// <summary>Adds <paramref name="bias"/> (one value per output column, or empty for none), then applies <paramref name="activation"/>.</summary>
    public GemmEpilogue(ReadOnlySpan<float> bias, Activation activation = Activation.Identity, float leakySlope = ActivationKernels.DefaultLeakySlope)
    {
        Bias = bias;
        Activation = activation;
        LeakySlope = leakySlope;
    }

    /// <summary>Applies <paramref name="activation"/>, with no bias.</summary>
    public GemmEpilogue(Activation activation, float leakySlope = ActivationKernels.DefaultLeakySlope)
        : this(default, activation, leakySlope)
    {
    }

    /// <summary>Added to every row of the output (length n), or empty for none.</summary>
    public ReadOnlySpan<float> Bias { get; }

    /// <summary>Applied after the bias.</summary>
    public Activation Activation { get; }

    /// <summary>The slope of <see cref="Activation.LeakyRelu"/>.</summary>
    public float LeakySlope { get; }

    /// <summary>Whether the epilogue changes anything.</summary>
    public bool IsEmpty => Bias.IsEmpty && Activation == Activation.Identity;
}
