using System.Collections.Concurrent;
using System.Text.Json;
using Latent.Data;
using Latent.Serialization;
using Latent.Training;

namespace Latent.Gallery;

/// <summary>
/// What a figure's experiment runs in: its scale and seed, its own work folder (where trained parts are kept
/// and found again on the next run), the data sets (loaded once per gallery and scaled as every command
/// scales them) and the progress report.
/// </summary>
public sealed class GalleryContext
{
    private const string PartFileName = "gallery-part.json";
    private readonly ConcurrentDictionary<string, Dataset> _data;
    private readonly IGalleryProgress? _progress;

    /// <summary>A context for figure <paramref name="figureId"/> working in <paramref name="folder"/>.</summary>
    /// <param name="figureId">The figure's id (for progress reports).</param>
    /// <param name="scale">The experiment's size.</param>
    /// <param name="folder">The figure's work folder (created when a part is trained).</param>
    /// <param name="catalog">Where data sets are found.</param>
    /// <param name="seed">The seed every random choice of the figure derives from.</param>
    /// <param name="progress">Receives progress, or null.</param>
    /// <param name="sharedData">Data sets already loaded by other figures of the same gallery run (by specification), or null.</param>
    public GalleryContext(string figureId, GalleryScale scale, string folder, DatasetCatalog catalog, ulong seed = 0, IGalleryProgress? progress = null, ConcurrentDictionary<string, Dataset>? sharedData = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(figureId);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(catalog);
        FigureId = figureId;
        Scale = scale;
        Folder = folder;
        Catalog = catalog;
        Seed = seed;
        _progress = progress;
        _data = sharedData ?? new ConcurrentDictionary<string, Dataset>(StringComparer.Ordinal);
    }

    /// <summary>The figure's id.</summary>
    public string FigureId { get; }

    /// <summary>The experiment's size.</summary>
    public GalleryScale Scale { get; }

    /// <summary>The figure's work folder: trained parts live in its sub-folders.</summary>
    public string Folder { get; }

    /// <summary>Where data sets are found (the bundled ones, <c>--data-dir</c>, Debian's packages).</summary>
    public DatasetCatalog Catalog { get; }

    /// <summary>The seed every random choice of the figure derives from.</summary>
    public ulong Seed { get; }

    /// <summary>The value for the current scale: <paramref name="toy"/>, <paramref name="quick"/> or <paramref name="full"/>.</summary>
    public T Choose<T>(T toy, T quick, T full) => Scale switch
    {
        GalleryScale.Toy => toy,
        GalleryScale.Quick => quick,
        _ => full,
    };

    /// <summary>
    /// The data set <paramref name="specification"/> (a catalog name or path, with options), scaled to [0, 1]
    /// by the rule every command uses (<see cref="UnitScaling.Apply(Dataset)"/>); loaded once per gallery run.
    /// </summary>
    public Dataset Data(string specification)
    {
        ArgumentException.ThrowIfNullOrEmpty(specification);
        return _data.GetOrAdd(specification, spec => UnitScaling.Apply(Catalog.Load(spec)));
    }

    /// <summary>Whether the catalog can load data set <paramref name="name"/> on this machine (e.g. full "mnist").</summary>
    public bool IsAvailable(string name) => Catalog.Survey().Any(e => string.Equals(e.Name, name, StringComparison.Ordinal) && e.Found);

    /// <summary>Reports that the figure is at <paramref name="stage"/>, <paramref name="fraction"/> of it done.</summary>
    public void Report(string stage, double fraction = 0)
    {
        ArgumentNullException.ThrowIfNull(stage);
        _progress?.Stage(FigureId, stage, fraction);
    }

    /// <summary>
    /// Trains part <paramref name="part"/> of the figure as <c>latent train</c> does (<see cref="TrainingRun.Train(TrainingRunOptions, Dataset, string, ITrainingObserver?)"/>)
    /// into <c>Folder/part</c>, or loads it from there when an earlier run trained it with the same options on
    /// the same data.
    /// </summary>
    public TrainingResult Train(string part, TrainingRunOptions options, Dataset data)
    {
        ArgumentException.ThrowIfNullOrEmpty(part);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        string folder = Path.Combine(Folder, part);
        string key = PartKey(options, data);
        string keyPath = Path.Combine(folder, PartFileName);
        if (File.Exists(keyPath) && File.Exists(RunFiles.ModelPath(folder)) && TryReuse(folder, keyPath, key) is { } reused)
        {
            Report($"{part}: reusing the model trained earlier", 1);
            return reused;
        }

        Report($"training {part}", 0);
        var result = TrainingRun.Train(options with { Resume = false }, data, folder, _progress?.Training(FigureId, part));
        var record = new PartRecord(key, result.BestEpoch, result.StoppedEarly);
        AtomicFile.WriteAllBytes(keyPath, JsonSerializer.SerializeToUtf8Bytes(record));
        return result;
    }

    private static TrainingResult? TryReuse(string folder, string keyPath, string key)
    {
        try
        {
            var record = JsonSerializer.Deserialize<PartRecord>(File.ReadAllBytes(keyPath));
            if (record is null || !string.Equals(record.Key, key, StringComparison.Ordinal) || RunFiles.LoadHistory(folder) is not { } history)
            {
                return null;
            }

            return new TrainingResult(RunFiles.LoadModel(folder), history, record.BestEpoch, record.StoppedEarly);
        }
        catch (Exception e) when (e is JsonException or IOException or DataFormatException or ArgumentException)
        {
            return null; // a damaged or older part is trained again
        }
    }

    private static string PartKey(TrainingRunOptions options, Dataset data) =>
        $"{options.Model.ToJson()}|{(options.Trainer with { CheckpointPath = null }).ToJson()}|{options.ValidationFraction}|{data.Name}|{data.Count}x{data.Dimension}";

    private sealed record PartRecord(string Key, int BestEpoch, bool StoppedEarly);
}
