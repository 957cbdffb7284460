using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Nn;

/// <summary>
/// A linear layer tied to another layer's weight read transposed, y = x·W + b with W that layer's [out, in]
/// weight: the decoder of a tied autoencoder (x̂ = Wᵀz + b′, Makhzani and Frey), run as one
/// <see cref="Ops.LinearTransposed"/> call.
/// </summary>
/// <remarks>
/// The layer owns only its bias, "bias" [in of the tied layer]; the weight belongs to the layer it is tied to
/// and is neither registered nor saved here, so a state dict holds it once (as PyTorch users tie, with
/// <c>F.linear(z, encoder.weight.t(), bias)</c>). Its gradient is the sum of both uses. The bias starts at
/// zero.
/// </remarks>
public sealed class TiedLinear : Module
{
    /// <summary>A layer reading <paramref name="weight"/> [out, in] transposed, mapping out features to in features.</summary>
    /// <param name="weight">The tied weight, a parameter of another module (an encoder layer's [out, in] weight).</param>
    public TiedLinear(Var weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Value.Rank != 2)
        {
            throw new ArgumentException($"TiedLinear: the tied weight must be a matrix [out, in]; it is {weight.Value}.", nameof(weight));
        }

        Weight = weight;
        Bias = RegisterParameter("bias", Tensor.Zeros(weight.Columns));
    }

    /// <summary>The tied weight [out, in] of the other layer (not a parameter of this module).</summary>
    public Var Weight { get; }

    /// <summary>The bias [in].</summary>
    public Var Bias { get; }

    /// <summary>Input features (the tied layer's out).</summary>
    public int InFeatures => Weight.Rows;

    /// <summary>Output features (the tied layer's in).</summary>
    public int OutFeatures => Weight.Columns;

    /// <summary>x·W + b for x [batch, InFeatures]; the result is [batch, OutFeatures].</summary>
    public override Var Forward(Var x) => Ops.LinearTransposed(x, Weight, Bias);

    /// <inheritdoc/>
    protected override string Describe() => $"in={InFeatures}, out={OutFeatures}, tied to {Weight.Name ?? "a weight"}";
}
