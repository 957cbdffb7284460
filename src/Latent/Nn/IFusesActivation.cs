using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Nn;

/// <summary>
/// A layer whose output step can apply the activation of the layer after it (a GEMM epilogue), so that
/// <see cref="Sequential"/> runs the pair as one op.
/// </summary>
/// <remarks>
/// Implemented by <see cref="Linear"/> (and by any future layer that lowers onto the GEMM, such as a convolution).
/// A layer that implements it promises that <c>Forward(x, a.Activation, a.LeakySlope)</c> is bit for bit
/// <c>a.Forward(layer.Forward(x))</c>, gradients included, whenever <see cref="CanFuse"/> says yes.
/// </remarks>
internal interface IFusesActivation
{
    /// <summary>Whether this layer, as configured now, can take <paramref name="next"/> into its output step.</summary>
    bool CanFuse(ActivationModule next);

    /// <summary>The layer's output with <paramref name="activation"/> applied in its output step.</summary>
    Var Forward(Var x, Activation activation, float leakySlope);
}
