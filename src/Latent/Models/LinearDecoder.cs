using Latent.Classical;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// The subspace a linear decoder maps codes into: the column space of its weights (of their product when it
/// has several linear layers), and its principal angles to PCA's subspace.
/// </summary>
/// <remarks>
/// A linear autoencoder with biases, x̂ = Φ(Hx + b) + c, minimising the squared error is optimal exactly when
/// the columns of Φ span the top-k principal subspace of the (centred) data (Baldi and Hornik 1989; the
/// notes' Note B): the biases take the mean, so comparing the decoder's column space with PCA's top-k
/// components measures how far training has got. The decoder is linear when every layer is a fully connected
/// layer without activation (<see cref="Linear"/> with <see cref="Activation.Identity"/>, or <see cref="TiedLinear"/>)
/// or an identity; its biases do not change the subspace; the likelihood is read on top of it.
/// </remarks>
public static class LinearDecoder
{
    /// <summary>Whether the decoder of <paramref name="model"/> is linear (see the remarks).</summary>
    public static bool IsLinear(Autoencoder model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Layers(model.Decoder).All(m => m is Linear { Activation: Activation.Identity } or TiedLinear or ActivationModule { Activation: Activation.Identity });
    }

    /// <summary>
    /// The decoder's columns as the rows of a row-major [latent, inputs] array, in double: row j is the image of
    /// the code's unit vector eⱼ, less the biases. They span the decoder's subspace.
    /// </summary>
    /// <exception cref="ArgumentException">The decoder is not linear (the message names the preset and the offending layer).</exception>
    public static double[] Basis(Autoencoder model)
    {
        ArgumentNullException.ThrowIfNull(model);
        int width = model.Latent;
        // rows = Mᵀ for the map M so far [width, latent]: starts as the identity, each layer multiplies on the right.
        var rows = new double[width * width];
        for (int i = 0; i < width; i++)
        {
            rows[(i * width) + i] = 1;
        }

        foreach (var layer in Layers(model.Decoder))
        {
            switch (layer)
            {
                case Linear { Activation: Activation.Identity } linear:
                    // y = x·Wᵀ with W [out, in].
                    rows = Multiply(rows, model.Latent, width, linear.Weight.Value, transposed: true);
                    width = linear.OutFeatures;
                    break;
                case TiedLinear tied:
                    // y = x·W with W [out_tied, in_tied].
                    rows = Multiply(rows, model.Latent, width, tied.Weight.Value, transposed: false);
                    width = tied.Weight.Columns;
                    break;
                case ActivationModule { Activation: Activation.Identity }:
                    break;
                default:
                    throw new ArgumentException(
                        $"The decoder of this '{model.Options.Preset}' model is not linear: layer {layer} is not a fully connected layer without activation; the decoder's subspace is defined for linear decoders (preset linear-ae).",
                        nameof(model));
            }
        }

        if (width != model.Inputs)
        {
            throw new ArgumentException($"The decoder maps codes to {width} values, not the model's {model.Inputs} inputs (its output is an image the likelihood reshapes).", nameof(model));
        }

        return rows;
    }

    /// <summary>
    /// The principal angles in radians, ascending, between the decoder's subspace and the span of the first
    /// components of <paramref name="pca"/> (all of them, usually as many as the code's size).
    /// </summary>
    /// <exception cref="ArgumentException">The decoder is not linear, the PCA was fitted to data of another size, or the decoder's columns are linearly dependent.</exception>
    public static double[] AnglesToPca(Autoencoder model, PcaModel pca)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pca);
        if (pca.Features != model.Inputs)
        {
            throw new ArgumentException($"The PCA was fitted to {pca.Features} features; the model takes {model.Inputs}.", nameof(pca));
        }

        var components = new double[pca.Components * pca.Features];
        for (int i = 0; i < pca.Components; i++)
        {
            pca.Component(i).CopyTo(components.AsSpan(i * pca.Features));
        }

        return PrincipalAngles.Between(Basis(model), model.Latent, components, pca.Components, model.Inputs);
    }

    /// <summary>The largest principal angle in degrees between the decoder's subspace and PCA's (see <see cref="AnglesToPca"/>).</summary>
    public static double LargestAngleToPca(Autoencoder model, PcaModel pca) => AnglesToPca(model, pca)[^1] * (180 / Math.PI);

    /// <summary>The PCA whose top <paramref name="components"/> subspace a linear decoder is compared with: exact (full eigendecomposition), as the reference needs.</summary>
    public static PcaModel ReferencePca(Data.IFeatureSource data, int components)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(components);
        return Pca.Fit(data, new PcaOptions { Components = components, Solver = PcaSolver.Full });
    }

    private static IEnumerable<Module> Layers(Module module)
    {
        if (module is Sequential sequential)
        {
            for (int i = 0; i < sequential.Count; i++)
            {
                foreach (var inner in Layers(sequential[i]))
                {
                    yield return inner;
                }
            }
        }
        else
        {
            yield return module;
        }
    }

    // rows [count, width] · (transposed ? Wᵀ : W), with W [out, in]: transposed needs width = in, else width = out.
    private static double[] Multiply(double[] rows, int count, int width, Tensor weight, bool transposed)
    {
        int outputs = transposed ? weight.Rows : weight.Columns;
        int inner = transposed ? weight.Columns : weight.Rows;
        if (inner != width)
        {
            throw new ArgumentException($"A decoder layer takes {inner} values where the previous gives {width}.", nameof(weight));
        }

        var result = new double[count * outputs];
        for (int r = 0; r < count; r++)
        {
            for (int o = 0; o < outputs; o++)
            {
                double sum = 0;
                for (int i = 0; i < width; i++)
                {
                    sum += rows[(r * width) + i] * (transposed ? weight[o, i] : weight[i, o]);
                }

                result[(r * outputs) + o] = sum;
            }
        }

        return result;
    }
}
