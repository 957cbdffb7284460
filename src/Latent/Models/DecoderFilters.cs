using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// The filters of an autoencoder whose decoder is one linear map x̂ = W·z + b: column j of W is what code unit j
/// adds to the reconstruction, an image when the inputs are images (Makhzani and Frey 2013, Figure 1).
/// </summary>
public static class DecoderFilters
{
    /// <summary>The filters as the rows of a [latent, inputs] tensor (a copy): row j is the decoder's column for code unit j.</summary>
    /// <exception cref="ArgumentException">The decoder is not a single linear map (it has hidden layers or convolutions).</exception>
    public static Tensor Of(Autoencoder model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var decoder = model.Decoder;
        if (decoder.Count == 1 && decoder[0] is TiedLinear tied)
        {
            // Tied: the weight is the code layer's [latent, inputs]; its rows are the filters.
            return tied.Weight.Value.Clone();
        }

        if (decoder.Count == 1 && decoder[0] is Linear { Activation: Activation.Identity } linear)
        {
            // Untied: the weight is [inputs, latent]; its columns are the filters.
            int inputs = linear.OutFeatures, latent = linear.InFeatures;
            var filters = Tensor.Zeros(latent, inputs);
            var w = linear.Weight.Value.Span;
            var f = filters.Span;
            for (int i = 0; i < inputs; i++)
            {
                for (int j = 0; j < latent; j++)
                {
                    f[(j * inputs) + i] = w[(i * latent) + j];
                }
            }

            return filters;
        }

        throw new ArgumentException(
            $"The '{model.Options.Preset}' model's decoder ('{model.Options.Decoder}' and its output layer) is not one linear map, so its units have no single filter; filters are read from models without decoder hidden layers (ksparse-ae, linear-ae, or --decoder none).",
            nameof(model));
    }

    /// <summary>
    /// The first <paramref name="count"/> filters, each scaled on its own to [0, 1] (its minimum black, its maximum
    /// white) for display: [count, inputs].
    /// </summary>
    public static Tensor Images(Autoencoder model, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        using var filters = Of(model);
        if (count > filters.Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The model has {filters.Rows} filters.");
        }

        int inputs = filters.Columns;
        var images = Tensor.Zeros(count, inputs);
        for (int j = 0; j < count; j++)
        {
            var row = filters.Row(j);
            var target = images.Span.Slice(j * inputs, inputs);
            float min = TensorPrimitives.Min(row), max = TensorPrimitives.Max(row);
            float range = max - min;
            if (range > 0)
            {
                TensorPrimitives.Subtract(row, min, target);
                TensorPrimitives.Multiply(target, 1f / range, target);
            }
            else
            {
                target.Fill(0.5f);
            }
        }

        return images;
    }
}
