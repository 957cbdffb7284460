using System.Globalization;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// The names and shapes of the tensors an <see cref="Autoencoder"/> built from given options holds (its state
/// dict), computed from the options alone, so that a model file can be checked against them before a model
/// of hostile size is allocated.
/// </summary>
/// <remarks>
/// It follows the construction of <see cref="Autoencoder"/>, <see cref="Architecture.Build(IReadOnlyList{LayerSpec}, LayerShape, Activation, Rng, string)"/>,
/// <see cref="Bottleneck.Create"/> and <see cref="Likelihood.Create"/>; the tests compare it with the state dict of
/// built models of every preset and layer kind, so a change there that is not mirrored here fails them.
/// </remarks>
public static class ModelLayout
{
    /// <summary>The state dict's names, in order, with their shapes, of the model <paramref name="options"/> describe.</summary>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="AutoencoderOptions.Validate"/>).</exception>
    /// <exception cref="FormatException">An architecture does not fit the shapes it receives.</exception>
    public static IReadOnlyList<KeyValuePair<string, int[]>> Of(AutoencoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Validate();
        var layout = new List<KeyValuePair<string, int[]>>();
        var encoderLayers = Architecture.Parse(options.Encoder, "encoder");
        int features = Network(layout, "encoder", encoderLayers, options.InputLayerShape, options.Activation);
        int latent = options.Latent;
        if (options.Bottleneck == BottleneckKind.Gaussian)
        {
            AddLinear(layout, "bottleneck.mean", features, latent);
            AddLinear(layout, "bottleneck.log_var", features, latent);
        }
        else
        {
            AddLinear(layout, "bottleneck.linear", features, latent);
        }

        if (options.TiedWeights)
        {
            // The decoder reads the bottleneck's weight transposed and owns only its bias.
            Add(layout, "decoder.0.bias", features);
        }
        else
        {
            Network(layout, "decoder", options.DecoderLayers(), LayerShape.FromFeatures(latent), options.Activation);
        }

        switch (options.Likelihood)
        {
            case LikelihoodKind.GaussianLearnedShared:
                Add(layout, "likelihood.log_var", 1);
                break;
            case LikelihoodKind.GaussianLearnedPerDimension:
                Add(layout, "likelihood.log_var", options.Inputs);
                break;
            default:
                break;
        }

        return layout;
    }

    /// <summary>The state dict's names, in order, with their shapes, of the adversarial network <paramref name="options"/> describe.</summary>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="AdversarialOptions.Validate"/>).</exception>
    /// <exception cref="FormatException">An architecture does not fit the shapes it receives.</exception>
    public static IReadOnlyList<KeyValuePair<string, int[]>> Of(AdversarialOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Validate();
        var layout = new List<KeyValuePair<string, int[]>>();
        Network(layout, "generator", Architecture.Parse(options.Generator, "generator"), LayerShape.FromFeatures(options.LatentSize), options.Activation);
        int features = Network(layout, "discriminator", Architecture.Parse(options.Discriminator, "discriminator"), options.InputLayerShape, options.Activation);
        AddLinear(layout, "critic", features, 1);
        if (options.HasCodes)
        {
            var hidden = Architecture.Parse(options.Recognition, "recognition");
            var head = hidden.Append(new LayerSpec(LayerKind.FullyConnected, hidden.Count + 1, "output", options.CodeParameters, Activation.Identity)).ToList();
            Network(layout, "recognition", head, LayerShape.FromFeatures(features), options.Activation);
        }

        return layout;
    }

    /// <summary>The number of values of a layout: the sum of its shapes' products.</summary>
    public static long Values(IReadOnlyList<KeyValuePair<string, int[]>> layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        long total = 0;
        foreach ((_, int[] shape) in layout)
        {
            total += shape.Aggregate(1L, (product, size) => product * size);
        }

        return total;
    }

    // The parameters of the Sequential that Architecture.Build makes of these layers; returns its output's size.
    private static int Network(List<KeyValuePair<string, int[]>> layout, string part, IReadOnlyList<LayerSpec> layers, LayerShape input, Activation defaultActivation)
    {
        Architecture.OutputShape(layers, input, part);
        var shape = input;
        bool imageTensor = Architecture.TakesImage(layers, input);
        int index = 0;
        foreach (var layer in layers)
        {
            var next = Architecture.OutputShape([layer], shape, part);
            string prefix = string.Create(CultureInfo.InvariantCulture, $"{part}.{index}");
            switch (layer.Kind)
            {
                case LayerKind.FullyConnected:
                    if (imageTensor)
                    {
                        index++; // the Flatten before it
                        prefix = string.Create(CultureInfo.InvariantCulture, $"{part}.{index}");
                    }

                    AddLinear(layout, prefix, shape.Size, layer.Units);
                    index += 1 + ActivationModules(layer.Activation ?? defaultActivation);
                    break;
                case LayerKind.Convolution:
                    Add(layout, prefix + ".weight", layer.Units, shape.Image!.Value.Channels, layer.Kernel, layer.Kernel);
                    Add(layout, prefix + ".bias", layer.Units);
                    index += 1 + ActivationModules(layer.Activation ?? defaultActivation);
                    break;
                case LayerKind.TransposedConvolution:
                    Add(layout, prefix + ".weight", shape.Image!.Value.Channels, layer.Units, layer.Kernel, layer.Kernel);
                    Add(layout, prefix + ".bias", layer.Units);
                    index += 1 + ActivationModules(layer.Activation ?? defaultActivation);
                    break;
                case LayerKind.BatchNorm:
                    int channels = shape.Image is { } image ? image.Channels : shape.Size;
                    foreach (string name in (string[])["weight", "bias", "running_mean", "running_var"])
                    {
                        Add(layout, prefix + "." + name, channels);
                    }

                    Add(layout, prefix + ".num_batches_tracked", 1);
                    index += 1 + ActivationModules(layer.Activation ?? Activation.Identity);
                    break;
                default:
                    // Pooling, upsampling, flatten, unflatten and dropout hold no tensors.
                    index++;
                    break;
            }

            imageTensor = layer.Kind == LayerKind.Dropout ? imageTensor : next.Image is not null;
            shape = next;
        }

        return shape.Size;
    }

    // An activation other than the identity is a module of its own after the layer.
    private static int ActivationModules(Activation activation) => activation == Activation.Identity ? 0 : 1;

    private static void AddLinear(List<KeyValuePair<string, int[]>> layout, string prefix, int inputs, int outputs)
    {
        Add(layout, prefix + ".weight", outputs, inputs);
        Add(layout, prefix + ".bias", outputs);
    }

    private static void Add(List<KeyValuePair<string, int[]>> layout, string name, params int[] shape) => layout.Add(new(name, shape));
}
