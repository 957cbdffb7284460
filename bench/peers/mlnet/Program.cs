using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MlNetClassical;

// The classical benchmark in ML.NET: k-means k=10 (one initialisation) and randomised PCA-50 on Fashion-MNIST's
// training images scaled to [0, 1], the same work as `Latent.Benchmarks classical` and ../sklearn_classical.py,
// printed in the same table. Arguments: [data: fashion-mnist or an IDX path] [comma-separated method prefixes:
// kmeans-single, pca-randomized, or all] [seed, default 0] [k-means initialisations, default plusplus,yinyang].
const string DefaultPath = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
string path = args.Length > 0 && args[0] != "fashion-mnist" ? args[0] : DefaultPath;
string[]? only = args.Length > 1 && args[1] != "all" ? args[1].Split(',') : null;
int seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0;
string[] inits = (args.Length > 3 ? args[3] : "plusplus,yinyang").Split(',');
bool Wanted(string name) => only is null || only.Any(name.StartsWith);

float[][] x = IdxImages.Load(path);
int width = x[0].Length;
string version = typeof(MLContext).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
    .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "?";
Console.WriteLine($"ML.NET {version}, .NET {Environment.Version}, {Environment.ProcessorCount} cores, data {x.Length}x{width}, seed {seed}, load average {LoadAverage()}");
Console.WriteLine($"{"method",-24} {"time s",9} {"iterations",10}  quality");

// The JIT's first compilation of ML.NET's code paths is not the fit's cost: each method runs once on a small subset first.
float[][] warm = x[..Math.Min(2000, x.Length)];

if (Wanted("pca-randomized") || Wanted("pca-50"))
{
    Pca(warm, seed);
    (float[][] projected, float[][] components, double seconds) = Pca(x, seed);
    Report("pca-50 randomized", seconds, "-",
        $"explained variance ratio {Quality.ExplainedVarianceRatio(x, projected):F6} (components orthonormal to {Quality.OrthonormalityError(components):E1})");
}

if (Wanted("kmeans-single") || Wanted("kmeans-10"))
{
    foreach (string init in inits)
    {
        // ML.NET's names: KMeansPlusPlus is k-means++, KMeansYinyang (its default) is k-means|| (the training
        // itself is Yinyang-accelerated Lloyd whichever start is chosen).
        (KMeansTrainer.InitializationAlgorithm algorithm, string label) = init switch
        {
            "plusplus" => (KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus, "k++"),
            "yinyang" => (KMeansTrainer.InitializationAlgorithm.KMeansYinyang, "k||"),
            "random" => (KMeansTrainer.InitializationAlgorithm.Random, "random"),
            _ => throw new ArgumentException($"Unknown k-means initialisation '{init}': plusplus, yinyang or random."),
        };
        KMeans(warm, seed, algorithm);
        (float[][] centroids, int? iterations, double seconds) = KMeans(x, seed, algorithm);
        Report($"kmeans-10 n_init 1 {label}", seconds, iterations?.ToString(CultureInfo.InvariantCulture) ?? "?", $"inertia {Quality.Inertia(x, centroids):E6}");
    }
}

return 0;

// Randomised PCA-50 (ML.NET's default oversampling, 20), centred. Returns the projected rows, the components
// (recovered from the transform as (T(s·e_j) − T(0)) / s) and the seconds of the fit alone.
static (float[][] Projected, float[][] Components, double Seconds) Pca(float[][] x, int seed)
{
    var ml = new MLContext(seed);
    IDataView data = Cached(ml, x);
    var estimator = ml.Transforms.ProjectToPrincipalComponents("Pca", "Features", rank: 50, seed: seed);
    var clock = Stopwatch.StartNew();
    var transformer = estimator.Fit(data);
    double seconds = clock.Elapsed.TotalSeconds;

    float[][] projected = transformer.Transform(data).GetColumn<float[]>("Pca").ToArray();
    const float Probe = 1024f;
    int width = x[0].Length;
    var probes = new float[width + 1][];
    for (int i = 0; i <= width; i++)
    {
        probes[i] = new float[width];
        if (i < width)
        {
            // A large probe (a power of two, so the division is exact) keeps T(0)'s float rounding out of the difference.
            probes[i][i] = Probe;
        }
    }

    float[][] images = transformer.Transform(View(ml, probes)).GetColumn<float[]>("Pca").ToArray();
    var components = new float[images[0].Length][];
    for (int c = 0; c < components.Length; c++)
    {
        components[c] = new float[width];
        for (int j = 0; j < width; j++)
        {
            components[c][j] = (images[j][c] - images[width][c]) / Probe;
        }
    }

    return (projected, components, seconds);
}

// k-means k=10 with one initialisation and ML.NET's defaults otherwise (Yinyang-accelerated Lloyd, tolerance 1e-7,
// at most 1000 iterations). ML.NET does not return the number of iterations (it reports them to a progress channel
// that MLContext does not surface), so they are counted from the data passes it logs.
static (float[][] Centroids, int? Iterations, double Seconds) KMeans(float[][] x, int seed, KMeansTrainer.InitializationAlgorithm init)
{
    var ml = new MLContext(seed);
    // Lloyd's loop reads the data once per iteration through one cursor of the cache when ML.NET runs it on one
    // thread (its default is half the cores, so one here); the cursors opened after the initialisation count them.
    int passes = 0;
    bool training = false;
    ml.Log += (_, e) =>
    {
        if (Environment.GetEnvironmentVariable("MLNET_LOG") is not null)
        {
            Console.Error.WriteLine(e.Message);
        }

        if (e.Message.Contains("Centroids initialized", StringComparison.Ordinal))
        {
            training = true;
        }
        else if (training && e.Message.StartsWith("[Source=Cache; Cursor", StringComparison.Ordinal) && e.Message.EndsWith("Channel started", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref passes);
        }
    };
    IDataView data = Cached(ml, x);
    var trainer = ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
    {
        FeatureColumnName = "Features",
        NumberOfClusters = 10,
        InitializationAlgorithm = init,
    });
    var clock = Stopwatch.StartNew();
    var model = trainer.Fit(data);
    double seconds = clock.Elapsed.TotalSeconds;

    VBuffer<float>[] centroids = [];
    model.Model.GetClusterCentroids(ref centroids, out int k);
    int? iterations = Environment.ProcessorCount / 2 <= 1 ? passes : null;
    return (centroids[..k].Select(c => c.DenseValues().ToArray()).ToArray(), iterations, seconds);
}

// The rows as an in-memory, cached data view whose cache is filled before any clock starts: the fit then reads
// ML.NET's own column store (which also serves the parallel cursors k-means uses), not the conversion of objects.
static IDataView Cached(MLContext ml, float[][] x)
{
    IDataView cached = ml.Data.Cache(View(ml, x));
    using (DataViewRowCursor cursor = cached.GetRowCursor(cached.Schema))
    {
        ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(cached.Schema["Features"]);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
        }
    }

    return cached;
}

static IDataView View(MLContext ml, float[][] x)
{
    // The vector's length is the data's, set at run time (a [VectorType(784)] attribute would fix it).
    SchemaDefinition schema = SchemaDefinition.Create(typeof(Row));
    schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, x[0].Length);
    return ml.Data.LoadFromEnumerable(x.Select(r => new Row { Features = r }), schema);
}

static void Report(string name, double seconds, string iterations, string quality) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-24} {seconds,9:F2} {iterations,10}  {quality}"));

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

/// <summary>One row of the data view: an image's grey levels.</summary>
internal sealed class Row
{
    /// <summary>The flattened image, scaled to [0, 1].</summary>
    public float[] Features { get; set; } = [];
}
