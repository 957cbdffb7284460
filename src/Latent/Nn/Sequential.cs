using System.Globalization;
using Latent.Autodiff;

namespace Latent.Nn;

/// <summary>Modules applied one after the other, named "0", "1", ... as in PyTorch.</summary>
/// <remarks>
/// When a layer that can fuse an activation into its output step (a <see cref="Linear"/> without its own
/// activation, or any other layer implementing <see cref="IFusesActivation"/>) is directly followed by an
/// <see cref="ActivationModule"/> it accepts, the pair runs as one op with the activation in the GEMM's output
/// step: one op on the tape instead of two, and one pass over the output instead of two. For Linear the
/// result is bit for bit the same as running them one by one (<see cref="ForwardUnfused"/>): the same GEMM
/// computes x·Wᵀ + b, and the activation kernel rounds each element the same way whether the GEMM applies it to
/// a tile or a separate op to the whole tensor; the gradients are the same because both paths compute gy·f′
/// from the same output y. The names in the state dict are unchanged (the activation has no parameters).
/// </remarks>
public sealed class Sequential : Module
{
    private readonly Module[] _layers;

    /// <summary>A stack of <paramref name="layers"/>, applied in order.</summary>
    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = new Module[layers.Length];
        for (int i = 0; i < layers.Length; i++)
        {
            if (layers[i] is null)
            {
                throw new ArgumentException($"Layer {i} of the Sequential is null.", nameof(layers));
            }

            _layers[i] = RegisterModule(i.ToString(CultureInfo.InvariantCulture), layers[i]);
        }
    }

    /// <summary>Number of layers.</summary>
    public int Count => _layers.Length;

    /// <summary>Layer <paramref name="index"/>.</summary>
    public Module this[int index] => _layers[index];

    /// <summary>Runs the layers in order, fusing each layer that can with an activation that follows it.</summary>
    public override Var Forward(Var x)
    {
        ArgumentNullException.ThrowIfNull(x);
        for (int i = 0; i < _layers.Length; i++)
        {
            if (i + 1 < _layers.Length
                && _layers[i + 1] is ActivationModule activation
                && _layers[i] is IFusesActivation fusing
                && fusing.CanFuse(activation))
            {
                x = fusing.Forward(x, activation.Activation, activation.LeakySlope);
                i++;
            }
            else
            {
                x = _layers[i].Forward(x);
            }
        }

        return x;
    }

    /// <summary>Runs the layers in order one by one, without fusing (the reference for the fused path).</summary>
    public Var ForwardUnfused(Var x)
    {
        ArgumentNullException.ThrowIfNull(x);
        for (int i = 0; i < _layers.Length; i++)
        {
            x = _layers[i].Forward(x);
        }

        return x;
    }
}
