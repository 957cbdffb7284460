using System.Globalization;
using Latent.Serialization;

namespace Latent.Data;

/// <summary>
/// Data sets by name — bundled (<c>mnist-10k</c>, <c>digits-8x8</c>), found on the machine or downloaded
/// (<c>fashion-mnist</c>, <c>mnist</c>), synthetic (<c>onehot8</c>, <c>blobs</c>, <c>moons</c>,
/// <c>swiss-roll</c>, <c>shapes</c>) — or any path: an IDX pair, an NPY, an NPZ, a CSV, a folder of PNGs.
/// </summary>
/// <remarks>
/// A specification is <c>name</c> or <c>name:options</c>, options separated by commas: <c>train</c> or
/// <c>test</c> (the split of fashion-mnist and mnist), or <c>key=value</c> — <c>n</c>, <c>k</c>, <c>d</c>,
/// <c>seed</c>, <c>noise</c>, <c>spread</c>, <c>bins</c> for synthetic sets, <c>label</c> (column name or
/// index) for a CSV, <c>labels</c> (a file) for an IDX or NPY array, <c>label</c> (a field) for a structured
/// NPY array, <c>x</c> and <c>y</c> (array names) for an NPZ archive (<see cref="Npz.Load"/> gives the defaults). <c>n=N</c> on a data set whose
/// generator does not take n draws a seeded subset of N items (<c>seed=</c>, default 0), stratified by class
/// when it has labels (<see cref="StratifiedSubset"/>). An option the data set does not take, or one given
/// twice, is an error naming the options it takes. Fashion-MNIST and MNIST are looked
/// for in <c>$LATENT_DATA/NAME</c>, then <c>~/.latent/datasets/NAME</c>, then
/// <c>/usr/share/datasets/NAME</c>; otherwise downloaded (SHA-256 checked) into the first of
/// <c>$LATENT_DATA</c> or <c>~/.latent/datasets</c>.
/// </remarks>
public sealed class DatasetCatalog
{
    private static RemoteSet[] RemoteSets { get; } =
    [
        new("fashion-mnist", "Fashion-MNIST: 70,000 clothing images (60,000 train, 10,000 test), 28×28, 10 classes",
            ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
            new Dictionary<string, string>
            {
                ["train-images-idx3-ubyte.gz"] = "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                ["train-labels-idx1-ubyte.gz"] = "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                ["t10k-images-idx3-ubyte.gz"] = "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                ["t10k-labels-idx1-ubyte.gz"] = "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
            },
            "apt-get install dataset-fashion-mnist, or "),
        new("mnist", "MNIST: 70,000 handwritten digits (60,000 train, 10,000 test), 28×28, 10 classes",
            ["http://yann.lecun.com/exdb/mnist/", "https://ossci-datasets.s3.amazonaws.com/mnist/"],
            new Dictionary<string, string>
            {
                ["train-images-idx3-ubyte.gz"] = "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                ["train-labels-idx1-ubyte.gz"] = "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                ["t10k-images-idx3-ubyte.gz"] = "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                ["t10k-labels-idx1-ubyte.gz"] = "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
            },
            string.Empty),
    ];

    private static (string Name, string Description)[] BundledSets { get; } =
    [
        ("mnist-10k", "10,000 MNIST digits, 28×28, 10 classes (bundled)"),
        ("digits-8x8", "1,797 UCI handwritten digits, 8×8, grey levels 0..16, 10 classes (bundled)"),
    ];

    private static (string Name, string Description)[] GeneratedSets { get; } =
    [
        ("onehot8", "the 8 one-hot vectors of length 8"),
        ("blobs", "k Gaussian clusters in d dimensions (n=1000, k=3, d=2)"),
        ("moons", "two interleaving half circles in 2-D (n=1000, noise=0.1)"),
        ("swiss-roll", "the Swiss roll in 3-D (n=1000, noise=0)"),
        ("shapes", "64×64 square, ellipse, heart × 6 scales × 40 rotations × 32 x × 32 y, drawn on demand (side=32, 16 or 8: averaged down)"),
        ("two-points", "1-D points alternately −1 and +1, the InfoVAE paper's Fig. 1 (n=200)"),
    ];

    private readonly CatalogEnvironment _environment;

    /// <summary>A catalog over <paramref name="environment"/> (default: this machine).</summary>
    public DatasetCatalog(CatalogEnvironment? environment = null)
    {
        _environment = environment ?? CatalogEnvironment.FromMachine();
    }

    /// <summary>Every catalog name.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. BundledSets.Select(b => b.Name), .. RemoteSets.Select(r => r.Name), .. GeneratedSets.Select(g => g.Name)];

    /// <summary>Every catalog entry: where it was found (or why not), its size and shape. Nothing is downloaded.</summary>
    public IReadOnlyList<CatalogEntry> Survey()
    {
        var entries = new List<CatalogEntry>();
        foreach (var (name, description) in BundledSets)
        {
            entries.Add(Describe(name, "bundled", description, BundledFiles(name), "not found: the repository's data/ folder is missing"));
        }

        foreach (var set in RemoteSets)
        {
            var files = FindRemote(set, "train", out var searched);
            entries.Add(Describe(set.Name, "system", set.Description, files,
                $"not found in {string.Join(", ", searched)}; will download from {set.Mirrors[0]}"));
        }

        entries.Add(new CatalogEntry("onehot8", "synthetic", GeneratedSets[0].Description, true, "generated", 8, "8"));
        entries.Add(new CatalogEntry("blobs", "synthetic", GeneratedSets[1].Description, true, "generated", 1000, "2"));
        entries.Add(new CatalogEntry("moons", "synthetic", GeneratedSets[2].Description, true, "generated", 1000, "2"));
        entries.Add(new CatalogEntry("swiss-roll", "synthetic", GeneratedSets[3].Description, true, "generated", 1000, "3"));
        var shapes = new ShapesSource();
        entries.Add(new CatalogEntry("shapes", "synthetic", GeneratedSets[4].Description, true, "generated on demand", shapes.Count, shapes.ImageShape.ToString()));
        entries.Add(new CatalogEntry("two-points", "synthetic", GeneratedSets[5].Description, true, "generated", 200, "1"));
        return entries;
    }

    /// <summary>Loads a data set into memory by name or path (downloading a known set if needed).</summary>
    public Dataset Load(string specification)
    {
        var source = Open(specification, mapped: false);
        return source as Dataset ?? Materialise(source);
    }

    /// <summary>
    /// Opens a data set as a source: raw IDX and NPY files are memory-mapped and <c>shapes</c> is drawn on
    /// demand (nothing is loaded whole); everything else is loaded into memory. With <c>n=</c> (and no
    /// generator that takes n itself) the subset is loaded into memory.
    /// </summary>
    public IFeatureSource Open(string specification) => Open(specification, mapped: true);

    /// <summary>
    /// The generator of data set <paramref name="specification"/> with its known factors of variation
    /// (<c>shapes</c>: shape, scale, rotation, x, y), or null when the data set has none; nothing is loaded.
    /// </summary>
    public static IFactorSource? OpenFactors(string specification)
    {
        ArgumentException.ThrowIfNullOrEmpty(specification);
        var (name, options) = Parse(specification);
        return name == "shapes" ? new ShapesSource(Int(options, "side", ShapesSource.Size)) : null;
    }

    private IFeatureSource Open(string specification, bool mapped)
    {
        ArgumentException.ThrowIfNullOrEmpty(specification);
        var (name, options) = Parse(specification);
        return Subsample(OpenSource(name, options, mapped), name, options);
    }

    private IFeatureSource OpenSource(string name, DatasetOptions options, bool mapped)
    {
        if (BundledSets.Any(b => b.Name == name))
        {
            var files = BundledFiles(name) ?? throw new DatasetUnavailableException(name, $"{name} is bundled in the repository's data/ folder, which was not found next to the program or above the current folder; run from a checkout of Latent.");
            return OpenPair(files.Images, files.Labels, name, mapped);
        }

        if (RemoteSets.FirstOrDefault(r => r.Name == name) is { } set)
        {
            string split = options.ContainsKey("test") ? "test" : "train";
            options.Declare("train", "n", "seed");
            options.ThrowIfUnknown(name); // before any download
            var files = FindRemote(set, split, out _) ?? Download(set, split);
            return OpenPair(files.Images, files.Labels, split == "train" ? name : $"{name}:test", mapped);
        }

        switch (name)
        {
            case "onehot8":
                return Synthetic.OneHot8();
            case "blobs":
                return Synthetic.Blobs(Int(options, "n", 1000), Int(options, "k", 3), Int(options, "d", 2), (ulong)Int(options, "seed", 0), Float(options, "spread", 1f));
            case "moons":
                return Synthetic.Moons(Int(options, "n", 1000), (ulong)Int(options, "seed", 0), Float(options, "noise", 0.1f));
            case "swiss-roll":
                return Synthetic.SwissRoll(Int(options, "n", 1000), (ulong)Int(options, "seed", 0), Float(options, "noise", 0f), Int(options, "bins", 6));
            case "shapes":
                {
                    var shapes = new ShapesSource(Int(options, "side", ShapesSource.Size));
                    return !mapped || options.ContainsKey("n") ? SampleShapes(shapes, options) : shapes;
                }

            case "two-points":
                return Synthetic.TwoPoints(Int(options, "n", 200));
        }

        return OpenPath(name, options, mapped);
    }

    private IFeatureSource OpenPath(string path, DatasetOptions options, bool mapped)
    {
        if (Directory.Exists(path))
        {
            var images = Directory.GetFiles(path).Where(f => Path.GetFileName(f).Contains("images-idx3", StringComparison.Ordinal) || Path.GetFileName(f).Contains("images.idx3", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal).ToArray();
            if (images.Length > 0)
            {
                string split = options.ContainsKey("test") ? "t10k" : "train";
                options.Declare("train");
                string chosen = images.FirstOrDefault(f => Path.GetFileName(f).StartsWith(split, StringComparison.Ordinal)) ?? images[0];
                return OpenPair(chosen, LabelsBeside(chosen), Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path))), mapped);
            }

            return PngFolder.Load(path);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: not a catalog name ({string.Join(", ", Names)}) nor an existing file or folder.", path);
        }

        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase))
        {
            var csv = new CsvOptions { Delimiter = path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',' };
            if (options.TryGetValue("label", out string? label))
            {
                csv = int.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? csv with { LabelIndex = index } : csv with { LabelColumn = label };
            }

            return Csv.Read(path, csv);
        }

        if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            throw new DataFormatException(path, "a single PNG is not a data set; give the folder that holds the images.");
        }

        options.TryGetValue("label", out string? field);
        if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
        {
            // Loaded whole even when mapping is asked for, as numpy loads .npz members (see Npz).
            options.TryGetValue("x", out string? x);
            options.TryGetValue("y", out string? y);
            return Npz.Load(path, x, y, field);
        }

        string? labels = options.TryGetValue("labels", out string? given) ? given : field is null ? LabelsBeside(path) : null;
        return OpenPair(path, labels, Path.GetFileNameWithoutExtension(path), mapped, field);
    }

    private static IFeatureSource OpenPair(string features, string? labels, string name, bool mapped, string? labelField = null)
    {
        if (mapped && !IsGzip(features))
        {
            return MappedSource.Open(features, labels, name, labelField);
        }

        return ArrayFiles.Load(features, labels, name, labelField);
    }

    private static Dataset Materialise(IFeatureSource source)
    {
        try
        {
            return Dataset.FromSource(source);
        }
        finally
        {
            (source as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// A seeded subset of <c>n</c> items (stratified by class when labelled; <see cref="StratifiedSubset"/>) unless
    /// the data set's generator took n itself; then checks that every option given is one the data set takes.
    /// </summary>
    private static IFeatureSource Subsample(IFeatureSource source, string name, DatasetOptions options)
    {
        bool sized = options.WasRead("n");
        options.Declare("n", "seed");
        try
        {
            options.ThrowIfUnknown(name);
            if (sized || !options.ContainsKey("n"))
            {
                return source;
            }

            int n = Int(options, "n", 0);
            if (n == 0 || n > source.Count)
            {
                throw new ArgumentException($"Option n={n} in '{options.Specification}': {name} has {source.Count:N0} items; n takes 1 to {source.Count:N0}.", nameof(options));
            }

            var subset = Dataset.FromSource(source, StratifiedSubset.Indices(source, n, (ulong)Int(options, "seed", 0)));
            (source as IDisposable)?.Dispose();
            return subset;
        }
        catch
        {
            (source as IDisposable)?.Dispose();
            throw;
        }
    }

    private static Dataset SampleShapes(ShapesSource shapes, DatasetOptions options)
    {
        // All 737,280 images would take 12 GB as float32: Load takes a seeded random sample of n.
        int n = Int(options, "n", 10_000);
        if (n > shapes.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(options), n, $"shapes has {shapes.Count} images.");
        }

        var order = new Tensors.Rng((ulong)Int(options, "seed", 0)).Permutation(shapes.Count).AsSpan(0, n);
        return Dataset.FromSource(shapes, order);
    }

    private static string? LabelsBeside(string features)
    {
        string file = Path.GetFileName(features);
        string folder = Path.GetDirectoryName(features) ?? ".";
        var candidates = new List<string>();
        foreach (var (images, labels) in new[] { ("images-idx3", "labels-idx1"), ("images.idx3", "labels.idx1") })
        {
            if (file.Contains(images, StringComparison.Ordinal))
            {
                string swapped = file.Replace(images, labels, StringComparison.Ordinal);
                candidates.Add(swapped);
                candidates.Add(swapped.EndsWith(".gz", StringComparison.Ordinal) ? swapped[..^3] : swapped + ".gz");
            }
        }

        if (file.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            candidates.Add(file[..^4] + ".labels.npy");
        }

        return candidates.Select(c => Path.Combine(folder, c)).FirstOrDefault(File.Exists);
    }

    private (string Images, string Labels)? BundledFiles(string name)
    {
        if (_environment.BundledData is null)
        {
            return null;
        }

        string images = Path.Combine(_environment.BundledData, name, "images-idx3-ubyte.gz");
        string labels = Path.Combine(_environment.BundledData, name, "labels-idx1-ubyte.gz");
        return File.Exists(images) && File.Exists(labels) ? (images, labels) : null;
    }

    private IEnumerable<string> SearchFolders(string name)
    {
        if (_environment.LatentData is not null)
        {
            yield return Path.Combine(_environment.LatentData, name);
        }

        if (_environment.UserDatasets is not null)
        {
            yield return Path.Combine(_environment.UserDatasets, name);
        }

        if (_environment.SystemDatasets is not null)
        {
            yield return Path.Combine(_environment.SystemDatasets, name);
        }
    }

    private (string Images, string Labels)? FindRemote(RemoteSet set, string split, out List<string> searched)
    {
        searched = [];
        string prefix = split == "test" ? "t10k" : "train";
        foreach (string folder in SearchFolders(set.Name))
        {
            searched.Add(folder);
            // Raw files first: they can be memory-mapped.
            string? images = FirstExisting(folder, $"{prefix}-images-idx3-ubyte", $"{prefix}-images.idx3-ubyte", $"{prefix}-images-idx3-ubyte.gz");
            string? labels = FirstExisting(folder, $"{prefix}-labels-idx1-ubyte", $"{prefix}-labels.idx1-ubyte", $"{prefix}-labels-idx1-ubyte.gz");
            if (images is not null && labels is not null)
            {
                return (images, labels);
            }
        }

        return null;
    }

    private (string Images, string Labels) Download(RemoteSet set, string split)
    {
        string prefix = split == "test" ? "t10k" : "train";
        string imagesName = $"{prefix}-images-idx3-ubyte.gz", labelsName = $"{prefix}-labels-idx1-ubyte.gz";
        string? root = _environment.LatentData ?? _environment.UserDatasets;
        string searched = string.Join(", ", SearchFolders(set.Name));
        string how = $"To use it, {set.InstallHint}put {imagesName} and {labelsName} (from {set.Mirrors[0]}) in {(root is null ? "$LATENT_DATA/" + set.Name : Path.Combine(root, set.Name))}.";
        if (_environment.Fetcher is null || root is null)
        {
            throw new DatasetUnavailableException(set.Name, $"{set.Name} was not found (looked in {searched}) and downloading is off. {how}");
        }

        string folder = Path.Combine(root, set.Name);
        var failures = new List<string>();
        foreach (string mirror in set.Mirrors)
        {
            try
            {
                foreach (string file in new[] { imagesName, labelsName })
                {
                    string destination = Path.Combine(folder, file);
                    if (!File.Exists(destination))
                    {
                        _environment.Fetcher.Fetch(new Uri(new Uri(mirror), file), destination, set.Sha256[file]);
                    }
                }

                return (Path.Combine(folder, imagesName), Path.Combine(folder, labelsName));
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or InvalidDataException or TaskCanceledException or OperationCanceledException or UnauthorizedAccessException)
            {
                failures.Add($"{mirror}: {Innermost(exception)}");
            }
        }

        throw new DatasetUnavailableException(set.Name, $"{set.Name} was not found (looked in {searched}) and could not be downloaded ({string.Join("; ", failures)}). {how}");
    }

    private static string Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception is TaskCanceledException or OperationCanceledException ? "timed out" : exception.Message.ReplaceLineEndings(" ").TrimEnd('.');
    }

    private static CatalogEntry Describe(string name, string kind, string description, (string Images, string Labels)? files, string missing)
    {
        if (files is not { } found)
        {
            return new CatalogEntry(name, kind, description, false, missing, null, null);
        }

        try
        {
            var header = Idx.ReadHeader(found.Images);
            var image = ShapeRules.ImageShapeOf(header.Shape);
            return new CatalogEntry(name, kind, description, true, Path.GetDirectoryName(found.Images) ?? found.Images, header.Rows, image?.ToString() ?? header.RowLength.ToString(CultureInfo.InvariantCulture));
        }
        catch (IOException exception)
        {
            return new CatalogEntry(name, kind, description, false, $"unreadable: {exception.Message}", null, null);
        }
    }

    private static (string Name, DatasetOptions Options) Parse(string specification)
    {
        int colon = specification.LastIndexOf(':');
        if (colon <= 0 || File.Exists(specification) || Directory.Exists(specification))
        {
            return (specification, DatasetOptions.None(specification));
        }

        return (specification[..colon], DatasetOptions.Parse(specification, specification[(colon + 1)..]));
    }

    private static int Int(DatasetOptions options, string key, int fallback)
    {
        if (!options.TryGetValue(key, out string? text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 0
            ? value
            : throw new ArgumentException($"Option {key}={text} is not a non-negative integer.", nameof(options));
    }

    private static float Float(DatasetOptions options, string key, float fallback)
    {
        if (!options.TryGetValue(key, out string? text))
        {
            return fallback;
        }

        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value) && value >= 0
            ? value
            : throw new ArgumentException($"Option {key}={text} is not a non-negative number.", nameof(options));
    }

    private static string? FirstExisting(string folder, params string[] names) =>
        names.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    private static bool IsGzip(string path)
    {
        Span<byte> magic = stackalloc byte[2];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && FormatLimits.IsGzip(magic);
    }

    private sealed record RemoteSet(string Name, string Description, string[] Mirrors, Dictionary<string, string> Sha256, string InstallHint);
}
