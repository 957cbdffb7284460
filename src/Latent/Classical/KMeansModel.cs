using Latent.Tensors;

namespace Latent.Classical;

/// <summary>A fitted k-means clustering (immutable); made by <see cref="KMeans.Fit(Tensor, KMeansOptions)"/>.</summary>
/// <remarks>
/// Predict gives argminⱼ‖x − cⱼ‖², Transform the distances ‖x − cⱼ‖, Score the negative inertia
/// −Σᵢ minⱼ‖xᵢ − cⱼ‖².
/// </remarks>
public sealed class KMeansModel
{
    private readonly float[] _offset;
    private readonly float[] _centred;
    private readonly int[] _labels;
    private readonly KMeansIteration[] _history;
    private readonly CentroidAssigner _assigner;

    internal KMeansModel(KMeansOptions options, float[] offset, float[] centredCentres, int[] labels, double inertia, int iterations, bool converged, List<KMeansIteration>? history, int samples, TimeSpan fitTime)
    {
        Options = options;
        _offset = offset;
        _centred = centredCentres;
        _labels = labels;
        Inertia = inertia;
        Iterations = iterations;
        Converged = converged;
        _history = history?.ToArray() ?? [];
        Samples = samples;
        FitTime = fitTime;
        Features = offset.Length;
        _assigner = new CentroidAssigner(centredCentres, Clusters, Features);
    }

    /// <summary>The settings the model was fitted with.</summary>
    public KMeansOptions Options { get; }

    /// <summary>Number of clusters k.</summary>
    public int Clusters => _centred.Length / Features;

    /// <summary>Number of features d.</summary>
    public int Features { get; }

    /// <summary>Number of samples fitted.</summary>
    public int Samples { get; }

    /// <summary>Time the fit took, all restarts included.</summary>
    public TimeSpan FitTime { get; }

    /// <summary>The inertia Σᵢ‖xᵢ − c_{label(i)}‖² of the training data.</summary>
    public double Inertia { get; }

    /// <summary>Lloyd iterations of the best run.</summary>
    public int Iterations { get; }

    /// <summary>
    /// The best run's distance work in full passes over the data (every sample to every centre): one per
    /// iteration on the plain path, far fewer where Hamerly's bounds skip samples. 0 for a loaded model.
    /// </summary>
    internal double DistancePasses { get; init; }

    /// <summary>Rows the best run read alone from a streamed source, in the Hamerly passes that left few unsettled (diagnostics and tests).</summary>
    internal long RowsReadAlone { get; init; }

    /// <summary>Whether the best run met the tolerance (or stopped changing) before the iteration cap.</summary>
    public bool Converged { get; }

    /// <summary>The cluster of every training sample.</summary>
    public IReadOnlyList<int> Labels => _labels;

    /// <summary>The iterations of the best run, when <see cref="KMeansOptions.RecordHistory"/> was set; otherwise empty.</summary>
    public IReadOnlyList<KMeansIteration> History => _history;

    /// <summary>The centres as a [k, d] tensor (a copy).</summary>
    public Tensor Centres
    {
        get
        {
            var centres = Tensor.Zeros(Clusters, Features);
            for (int j = 0; j < Clusters; j++)
            {
                TensorPrimitives.Add(_centred.AsSpan(j * Features, Features), _offset, centres.Row(j));
            }

            return centres;
        }
    }

    /// <summary>Saves the model (not its iteration history) to one .safetensors file (see <see cref="ClassicalModelFile"/>).</summary>
    public void Save(string path)
    {
        using Tensor centres = Centres;
        ClassicalModelFile.Write(
            path,
            "kmeans",
            Options,
            new()
            {
                ["cluster_centers"] = centres,
                ["offset"] = Tensor.FromArray((float[])_offset.Clone(), Features),
                ["labels"] = Tensor.FromArray(Array.ConvertAll(_labels, l => (float)l), _labels.Length),
            },
            new() { ["inertia"] = Inertia, ["iterations"] = Iterations, ["converged"] = Converged ? 1 : 0, ["samples"] = Samples, ["fit_seconds"] = FitTime.TotalSeconds });
    }

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    public static KMeansModel Load(string path)
    {
        var file = ClassicalModelFile.Read(path, "kmeans", out KMeansOptions options);
        int k = file.Size("cluster_centers", 0), d = file.Size("cluster_centers", 1), n = (int)file.Number("samples");
        float[] offset = DenseMath.ToFloat(file.Tensor("offset", d));
        float[] centred = DenseMath.ToFloat(file.Tensor("cluster_centers", k, d));
        for (int j = 0; j < k; j++)
        {
            TensorPrimitives.Subtract(centred.AsSpan(j * d, d), offset, centred.AsSpan(j * d, d));
        }

        int[] labels = Array.ConvertAll(file.Tensor("labels", n), l => (int)l);
        if (labels.Any(l => l < 0 || l >= k))
        {
            throw new Serialization.DataFormatException(path, $"a label is outside 0..{k - 1}.");
        }

        return new KMeansModel(
            options, offset, centred, labels, file.Number("inertia"), (int)file.Number("iterations"), file.Number("converged") != 0, null, n, TimeSpan.FromSeconds(file.Number("fit_seconds")));
    }

    /// <summary>The nearest centre of every row of <paramref name="data"/>.</summary>
    public int[] Predict(Tensor data) => Assign(data, out _);

    /// <summary>The Euclidean distance of every row of <paramref name="data"/> to every centre: [n, k].</summary>
    public Tensor Transform(Tensor data)
    {
        int n = ClassicalInput.CheckMatrix(data, Features, nameof(data));
        float[] x = KMeans.Centre(data.Buffer, n, Features, _offset, out float[] norms);
        var result = Tensor.Zeros(n, Clusters);
        float[] output = result.Buffer;
        int k = Clusters;
        RowBlocks.ForEach(n, (b, start, end) =>
        {
            int count = end - start;
            var distances = new float[k * count];
            _assigner.Distances(x, norms, start, count, distances);
            for (int j = 0; j < k; j++)
            {
                for (int i = 0; i < count; i++)
                {
                    output[((start + i) * k) + j] = MathF.Sqrt(distances[(j * count) + i]);
                }
            }
        });
        return result;
    }

    /// <summary>The negative inertia of <paramref name="data"/> under these centres, −Σᵢ minⱼ‖xᵢ − cⱼ‖².</summary>
    public double Score(Tensor data)
    {
        int[] labels = Assign(data, out float[] x);
        double total = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            float distance = TensorPrimitives.Distance(x.AsSpan(i * Features, Features), _centred.AsSpan(labels[i] * Features, Features));
            total += (double)distance * distance;
        }

        return -total;
    }

    private int[] Assign(Tensor data, out float[] centred)
    {
        int n = ClassicalInput.CheckMatrix(data, Features, nameof(data));
        float[] x = KMeans.Centre(data.Buffer, n, Features, _offset, out float[] norms);
        var labels = new int[n];
        var nearest = new float[n];
        int k = Clusters;
        RowBlocks.ForEach(n, (b, start, end) =>
        {
            int count = end - start;
            _assigner.Assign(x, norms, start, count, labels.AsSpan(start, count), nearest.AsSpan(start, count), new float[k * count]);
        });
        centred = x;
        return labels;
    }
}
