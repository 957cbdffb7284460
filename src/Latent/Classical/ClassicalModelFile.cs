using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>
/// One .safetensors file per fitted classical model: float32 tensors named like scikit-learn's attributes
/// ("components", "mean", …), and in <c>__metadata__</c> the format, the method, its options as JSON and the
/// fitted scalars. Reading checks the method and every tensor's shape before a model is built.
/// </summary>
public static class ClassicalModelFile
{
    /// <summary>The value of the "format" metadata entry.</summary>
    public const string Format = "latent.classical/1";

    private static readonly JsonSerializerOptions s_json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The method ("pca", "ppca", "fa", "kmeans" or "gmm") of the model in <paramref name="path"/>.</summary>
    public static string Method(string path) => Open(path).Metadata["method"];

    /// <summary>Loads whichever classical model <paramref name="path"/> holds.</summary>
    public static object Load(string path) => Method(path) switch
    {
        "pca" => PcaModel.Load(path),
        "ppca" => ProbabilisticPcaModel.Load(path),
        "fa" => FactorAnalysisModel.Load(path),
        "kmeans" => KMeansModel.Load(path),
        _ => GaussianMixtureModel.Load(path),
    };

    internal static void Write<TOptions>(string path, string method, TOptions options, Dictionary<string, Tensor> tensors, Dictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(path);
        var metadata = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["method"] = method,
            ["options"] = JsonSerializer.Serialize(options, s_json),
        };
        foreach ((string key, double value) in values)
        {
            metadata[key] = value.ToString("R", CultureInfo.InvariantCulture);
        }

        SafeTensors.Write(path, tensors, metadata);
    }

    internal static Reader Read<TOptions>(string path, string method, out TOptions options)
    {
        SafeTensorsFile file = Open(path);
        if (file.Metadata["method"] != method)
        {
            throw new DataFormatException(path, $"it holds a {file.Metadata["method"]} model, not {method}.");
        }

        try
        {
            options = JsonSerializer.Deserialize<TOptions>(file.Metadata.GetValueOrDefault("options") ?? "null", s_json)
                ?? throw new DataFormatException(path, "the options in __metadata__ are missing.");
        }
        catch (JsonException exception)
        {
            throw new DataFormatException(path, $"the options in __metadata__ are not valid JSON ({exception.Message}).", exception);
        }

        CheckLayout(path, file, options!);
        return new Reader(path, file);
    }

    /// <summary>
    /// Compares every tensor's shape in the file's header with the shapes the options imply (the component or
    /// cluster count from the options, the feature count from the main matrix), naming the first few differences,
    /// before any tensor is converted or any model allocated.
    /// </summary>
    private static void CheckLayout(string path, SafeTensorsFile file, object options)
    {
        // The feature count is the one size the options do not hold: it comes from the main matrix's rows.
        string main = options switch
        {
            PcaOptions => "components",
            KMeansOptions => "cluster_centers",
            GaussianMixtureOptions => "means",
            _ => "loadings",
        };
        if (!file.Tensors.TryGetValue(main, out Tensor? mainTensor) || mainTensor.Rank != 2)
        {
            throw new DataFormatException(path, $"the tensor \"{main}\" is missing or is not a matrix; it gives the model's feature count.");
        }

        int d = mainTensor.Dim(1);
        (string Name, int[] Shape)[] layout = options switch
        {
            PcaOptions o => [("components", [o.Components, d]), ("mean", [d]), ("explained_variance", [o.Components])],
            ProbabilisticPcaOptions o => [("loadings", [o.Components, d]), ("mean", [d]), ("noise_variance", [1]), ("history", [-1]), ("pca_angle_history", [-1])],
            FactorAnalysisOptions o => [("loadings", [o.Components, d]), ("mean", [d]), ("noise_variance", [d]), ("history", [-1])],
            KMeansOptions o => [("cluster_centers", [o.Clusters, d]), ("offset", [d]), ("labels", [-1])],
            GaussianMixtureOptions o => [("weights", [o.Components]), ("means", [o.Components, d]), ("covariances", CovarianceShape(o.CovarianceType, o.Components, d)), ("offset", [d]), ("history", [-1])],
            _ => throw new ArgumentException($"No layout for {options.GetType().Name}.", nameof(options)),
        };

        const int Shown = 5;
        var problems = new List<string>();
        int count = 0;
        foreach ((string name, int[] shape) in layout)
        {
            string? problem = !file.Tensors.TryGetValue(name, out Tensor? tensor)
                ? $"\"{name}\" is missing"
                : !Fits(tensor.Shape, shape) ? $"\"{name}\" has shape {Text(tensor.Shape)}, the options imply {Text(shape)}" : null;
            if (problem is not null && count++ < Shown)
            {
                problems.Add(problem);
            }
        }

        foreach (string name in file.Tensors.Keys)
        {
            if (!layout.Any(entry => entry.Name == name) && count++ < Shown)
            {
                problems.Add($"\"{name}\" is unexpected");
            }
        }

        if (count > 0)
        {
            string more = count > Shown ? string.Create(CultureInfo.InvariantCulture, $"; and {count - Shown} more") : string.Empty;
            throw new DataFormatException(path, $"the tensors do not fit the {file.Metadata["method"]} model its options describe: {string.Join("; ", problems)}{more}.");
        }
    }

    /// <summary>The shape of a Gaussian mixture's covariances tensor.</summary>
    internal static int[] CovarianceShape(CovarianceType type, int k, int d) => type switch
    {
        CovarianceType.Full => [k, d, d],
        CovarianceType.Diagonal => [k, d],
        CovarianceType.Spherical => [k],
        _ => [d, d],
    };

    private static bool Fits(int[] actual, int[] expected) =>
        actual.Length == expected.Length && actual.Zip(expected).All(pair => pair.Second < 0 || pair.First == pair.Second);

    private static string Text(int[] shape) => "[" + string.Join(", ", shape.Select(s => s < 0 ? "any" : s.ToString(CultureInfo.InvariantCulture))) + "]";

    private static SafeTensorsFile Open(string path)
    {
        SafeTensorsFile file = SafeTensors.Read(path);
        if (file.Metadata.GetValueOrDefault("format") != Format || !file.Metadata.ContainsKey("method"))
        {
            throw new DataFormatException(path, $"it is not a Latent classical model (no \"format\": \"{Format}\" in __metadata__).");
        }

        return file;
    }

    /// <summary>Typed, checked access to the tensors and numbers of a model file.</summary>
    internal sealed class Reader(string path, SafeTensorsFile file)
    {
        /// <summary>Tensor <paramref name="name"/> as doubles, after checking its shape (−1 accepts any size).</summary>
        public double[] Tensor(string name, params int[] shape)
        {
            if (!file.Tensors.TryGetValue(name, out Tensor? tensor))
            {
                throw new DataFormatException(path, $"the tensor \"{name}\" is missing.");
            }

            int[] actual = tensor.Shape;
            bool matches = actual.Length == shape.Length;
            for (int i = 0; matches && i < shape.Length; i++)
            {
                matches = shape[i] < 0 || actual[i] == shape[i];
            }

            if (!matches)
            {
                throw new DataFormatException(path, $"the tensor \"{name}\" has shape [{string.Join(", ", actual)}]; expected [{string.Join(", ", shape.Select(s => s < 0 ? "any" : s.ToString(CultureInfo.InvariantCulture)))}].");
            }

            if (FiniteValues.FirstNonFinite(tensor.Span) is int index)
            {
                throw new DataFormatException(path, $"the tensor \"{name}\" holds {tensor.Span[index]} at element {index}; a model's values must be finite.");
            }

            return DenseMath.ToDouble(tensor.Span);
        }

        /// <summary>The size of dimension <paramref name="axis"/> of tensor <paramref name="name"/>.</summary>
        public int Size(string name, int axis)
        {
            if (!file.Tensors.TryGetValue(name, out Tensor? tensor) || tensor.Rank <= axis)
            {
                throw new DataFormatException(path, $"the tensor \"{name}\" is missing or has fewer than {axis + 1} dimensions.");
            }

            return tensor.Dim(axis);
        }

        public double Number(string key)
        {
            if (!file.Metadata.TryGetValue(key, out string? text) || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                throw new DataFormatException(path, $"the number \"{key}\" in __metadata__ is missing or malformed.");
            }

            return value;
        }
    }

    internal static Tensor Vector(IReadOnlyList<double> values) => Tensors.Tensor.FromArray(DenseMath.ToFloat(values.ToArray()), values.Count);

    internal static Tensor Matrix(ReadOnlySpan<double> values, int rows, int columns) => Tensors.Tensor.FromArray(DenseMath.ToFloat(values), rows, columns);
}
