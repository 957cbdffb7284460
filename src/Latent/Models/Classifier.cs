using System.Globalization;
using Latent.Autodiff;
using Latent.Data;
using Latent.Nn;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// An autoencoder's encoder with a softmax (linear) layer on its code: the network that fine-tuning trains end
/// to end on labels (Makhzani and Frey 2013, Table 3; Hinton and Salakhutdinov 2006).
/// </summary>
/// <remarks>
/// The logits are W·enc(x) + b, enc(x) the autoencoder's encoding code: the encoder's layers, then the
/// bottleneck's encoding path (a k-sparse code keeps its ⌊α·k⌋ largest units, the gradient flowing through
/// that support; a variational code is its mean). The encoder's dropout layers stay active in training mode.
/// Parameters are named encoder.*, bottleneck.* (as in the autoencoder) and head.weight [classes, latent],
/// head.bias; the autoencoder's decoder is not part of the classifier.
/// </remarks>
public sealed class Classifier : Module
{
    /// <summary>The file kind a classifier file declares in <see cref="ModelFile.FormatKey"/>.</summary>
    public const string Format = "classifier/1";

    /// <summary>The metadata key holding the number of classes.</summary>
    public const string ClassesKey = "latent.classes";

    private const int InferenceBatch = 1024;
    private readonly Autoencoder _autoencoder;
    private readonly Linear _head;

    /// <summary>A classifier on a new (randomly initialised) encoder of <paramref name="encoder"/>'s options: fine-tuning without pre-training.</summary>
    /// <param name="encoder">The autoencoder whose encoder and bottleneck the classifier has (the decoder is dropped).</param>
    /// <param name="classes">The number of classes, at least 2.</param>
    /// <param name="seed">Seeds the head's initial weights (the encoder's come from <see cref="AutoencoderOptions.Seed"/>).</param>
    public Classifier(AutoencoderOptions encoder, int classes, ulong seed = 0)
        : this(new Autoencoder(encoder ?? throw new ArgumentNullException(nameof(encoder))), classes, seed)
    {
    }

    private Classifier(Autoencoder autoencoder, int classes, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        _autoencoder = autoencoder;
        Classes = classes;
        RegisterModule("encoder", autoencoder.Encoder);
        RegisterModule("bottleneck", autoencoder.Bottleneck);
        _head = RegisterModule("head", new Linear(autoencoder.Latent, classes, new Rng(seed)));
    }

    /// <summary>
    /// A classifier whose encoder starts from <paramref name="pretrained"/>'s trained encoder and bottleneck (copied:
    /// training the classifier leaves <paramref name="pretrained"/> unchanged) and whose head is initialised from <paramref name="seed"/>.
    /// </summary>
    public static Classifier FromAutoencoder(Autoencoder pretrained, int classes, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(pretrained);
        var copy = new Autoencoder(pretrained.Options);
        copy.LoadStateDict(pretrained.StateDict());
        return new Classifier(copy, classes, seed);
    }

    /// <summary>The options of the autoencoder whose encoder this is.</summary>
    public AutoencoderOptions EncoderOptions => _autoencoder.Options;

    /// <summary>The number of classes.</summary>
    public int Classes { get; }

    /// <summary>Input size.</summary>
    public int Inputs => _autoencoder.Inputs;

    /// <summary>The logits [n, classes] of input rows <paramref name="x"/> [n, inputs], recorded on the tape of <paramref name="x"/>.</summary>
    public override Var Forward(Var x) => _head.Forward(_autoencoder.EncodeVar(x));

    /// <summary>
    /// The mean cross-entropy of the labels <paramref name="labels"/> under the classifier for the rows of
    /// <paramref name="batch"/>, recorded on <paramref name="tape"/> (<paramref name="noise"/> drives dropout).
    /// </summary>
    public Var Loss(Tape tape, Tensor batch, ReadOnlySpan<int> labels, Rng noise)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(noise);
        if (batch.Columns != Inputs || batch.Rows != labels.Length)
        {
            throw new ArgumentException($"The batch is {batch.Rows} × {batch.Columns} with {labels.Length} labels; the classifier takes rows of {Inputs} features, one label each.", nameof(batch));
        }

        tape.Noise = noise;
        var targets = tape.Scratch(batch.Rows, Classes);
        var span = targets.Value.Span;
        span.Clear();
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)Classes)
            {
                throw new ArgumentException($"Label {labels[i]} of row {i} is outside the classifier's classes 0..{Classes - 1}.", nameof(labels));
            }

            span[(i * Classes) + labels[i]] = 1f;
        }

        return Ops.Mean(Ops.SoftmaxCrossEntropy(Forward(tape.Input(batch)), targets));
    }

    /// <summary>The codes [n, latent] the head classifies, of the items of <paramref name="data"/> (evaluation mode: no dropout).</summary>
    public Tensor Features(IFeatureSource data) => _autoencoder.Encode(data ?? throw new ArgumentNullException(nameof(data)));

    /// <summary>The most probable class of each item of <paramref name="data"/> (evaluation mode: no dropout).</summary>
    public int[] Predict(IFeatureSource data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Dimension != Inputs)
        {
            throw new ArgumentException($"The data ('{data.Name}') have {data.Dimension} columns; the classifier takes {Inputs}.", nameof(data));
        }

        var predictions = new int[data.Count];
        bool training = Training;
        Eval();
        using var tape = new Tape { GradEnabled = false };
        using var batcher = new Batcher(data, BatchOptions.Sequential(InferenceBatch), pool: tape.Pool);
        try
        {
            foreach (var batch in batcher.NextEpoch())
            {
                var logits = Forward(tape.Input(batch.Features)).Value;
                for (int i = 0; i < batch.Size; i++)
                {
                    predictions[batch.Offset + i] = TensorPrimitives.IndexOfMax(logits.Row(i));
                }

                tape.Reset();
            }
        }
        finally
        {
            Train(training);
        }

        return predictions;
    }

    /// <summary>The fraction of the items of <paramref name="data"/> (which must have labels) that are misclassified.</summary>
    public double Error(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Labels is not { } labels)
        {
            throw new ArgumentException($"Data '{data.Name}' have no labels to measure a classifier's error on.", nameof(data));
        }

        var predictions = Predict(data);
        int wrong = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            wrong += predictions[i] == labels[i] ? 0 : 1;
        }

        return predictions.Length == 0 ? 0 : (double)wrong / predictions.Length;
    }

    /// <summary>Writes the classifier to one .safetensors file at <paramref name="path"/> (atomically), with extra metadata if given.</summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ModelFile.FormatKey] = Format,
            [ModelFile.PresetKey] = EncoderOptions.Preset,
            [ModelFile.OptionsKey] = EncoderOptions.ToJson(),
            [ClassesKey] = Classes.ToString(CultureInfo.InvariantCulture),
        };
        if (extraMetadata is not null)
        {
            foreach ((string key, string value) in extraMetadata)
            {
                metadata.TryAdd(key, value);
            }
        }

        SafeTensors.Write(path, StateDict(), metadata);
    }

    /// <summary>Reads a classifier written by <see cref="Save"/>.</summary>
    /// <exception cref="DataFormatException">The file is not a Latent classifier, or a tensor is missing or misshapen.</exception>
    public static Classifier Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = SafeTensors.Read(path);
        var metadata = file.Metadata;
        if (!metadata.TryGetValue(ModelFile.FormatKey, out string? format) || format != Format)
        {
            throw new DataFormatException(path, $"not a Latent classifier (metadata '{ModelFile.FormatKey}' is '{format ?? "missing"}', expected '{Format}').");
        }

        if (!metadata.TryGetValue(ClassesKey, out string? count) || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int classes) || classes < 2)
        {
            throw new DataFormatException(path, $"metadata '{ClassesKey}' is '{count ?? "missing"}'; expected a number of classes, at least 2.");
        }

        if (!metadata.TryGetValue(ModelFile.OptionsKey, out string? json))
        {
            throw new DataFormatException(path, $"metadata '{ModelFile.OptionsKey}' is missing.");
        }

        try
        {
            var classifier = new Classifier(AutoencoderOptions.FromJson(json), classes);
            classifier.LoadStateDict(file.Tensors);
            return classifier;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            throw new DataFormatException(path, exception.Message, exception);
        }
    }
}
