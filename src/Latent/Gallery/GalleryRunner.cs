using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Latent.Data;
using Latent.Serialization;

namespace Latent.Gallery;

/// <summary>
/// Runs the gallery: each figure's experiment (or its finished result from an earlier run in the same folder),
/// its PNG and SVG, then results.json and the self-contained index.html.
/// </summary>
/// <remarks>
/// The runner only schedules: figures hold the experiments, <see cref="GalleryContext"/> keeps their trained
/// parts, <see cref="GalleryPage"/> writes the page. A figure that fails does not stop the others: its error is
/// recorded in results.json and on the page, and <see cref="GalleryRun.Failed"/> lists it.
/// </remarks>
public static class GalleryRunner
{
    /// <summary>The page's file name in the output folder.</summary>
    public const string PageFileName = "index.html";

    /// <summary>The results' file name in the output folder.</summary>
    public const string ResultsFileName = "results.json";

    private const string RecordFileName = "figure.json";

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The version of Latent that runs figures (part of each finished figure's record).</summary>
    public static string Version { get; } =
        typeof(GalleryRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Runs the figures of <paramref name="options"/> and writes the page; returns every figure's result.</summary>
    /// <exception cref="ArgumentException">The options do not fit (no figures, the folder is a file).</exception>
    public static GalleryRun Run(GalleryRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Folder);
        ArgumentNullException.ThrowIfNull(options.Figures);
        if (options.Figures.Count == 0)
        {
            throw new ArgumentException("The gallery has no figures to run.", nameof(options));
        }

        if (File.Exists(options.Folder))
        {
            throw new ArgumentException($"{options.Folder}: is a file; the gallery writes into a folder.", nameof(options));
        }

        Directory.CreateDirectory(options.Folder);
        var clock = Stopwatch.StartNew();
        var data = new ConcurrentDictionary<string, Dataset>(StringComparer.Ordinal);
        var results = new List<GalleryFigureResult>();
        for (int i = 0; i < options.Figures.Count; i++)
        {
            GalleryFigure figure = options.Figures[i];
            options.Progress?.Stage(figure.Id, $"figure {i + 1} of {options.Figures.Count}", 0);
            var result = (options.Rerun ? null : Reuse(options, figure)) ?? RunOne(options, figure, data);
            results.Add(result);
            options.Progress?.Finished(figure.Id, result.Error);
        }

        var run = new GalleryRun(options.Scale, options.Seed, Version, clock.Elapsed.TotalSeconds, results);
        AtomicFile.WriteAllBytes(Path.Combine(options.Folder, ResultsFileName), JsonSerializer.SerializeToUtf8Bytes(run, JsonOptions));
        GalleryPage.Write(Path.Combine(options.Folder, PageFileName), run, options.Folder);
        return run;
    }

    /// <summary>The work folder of figure <paramref name="id"/> under gallery folder <paramref name="folder"/>.</summary>
    public static string PartsFolder(string folder, string id) => Path.Combine(folder, "parts", id);

    private static GalleryFigureResult RunOne(GalleryRunOptions options, GalleryFigure figure, ConcurrentDictionary<string, Dataset> data)
    {
        string parts = PartsFolder(options.Folder, figure.Id);
        var context = new GalleryContext(figure.Id, options.Scale, parts, options.Catalog, options.Seed, options.Progress, data);
        var result = new GalleryFigureResult
        {
            Id = figure.Id,
            Title = figure.Title,
            Source = figure.Source,
            Caption = figure.Caption,
            Commands = figure.Commands(options.Scale),
            Scale = ScaleName(options.Scale),
            Seed = options.Seed,
            Version = Version,
        };
        var clock = Stopwatch.StartNew();
        GalleryOutcome outcome;
        try
        {
            outcome = figure.Run(context);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // One figure's failure (a data set that is missing, a diverged model) must not lose the others' work.
            return result with { Seconds = clock.Elapsed.TotalSeconds, Error = e.Message.ReplaceLineEndings(" ") };
        }

        string png = figure.Id + ".png", svg = figure.Id + ".svg";
        AtomicFile.WriteAllBytes(Path.Combine(options.Folder, png), outcome.Figure.ToPng());
        AtomicFile.WriteAllBytes(Path.Combine(options.Folder, svg), System.Text.Encoding.UTF8.GetBytes(outcome.Figure.ToSvg()));
        result = result with
        {
            Seconds = clock.Elapsed.TotalSeconds,
            Data = outcome.Data,
            Numbers = outcome.Numbers,
            Tables = [.. outcome.Tables.Select(t => t.Validate())],
            Png = png,
            Svg = svg,
        };
        Directory.CreateDirectory(parts);
        AtomicFile.WriteAllBytes(Path.Combine(parts, RecordFileName), JsonSerializer.SerializeToUtf8Bytes(result, JsonOptions));
        return result;
    }

    /// <summary>The finished result of <paramref name="figure"/> from an earlier run with the same scale, seed and version, or null.</summary>
    private static GalleryFigureResult? Reuse(GalleryRunOptions options, GalleryFigure figure)
    {
        string path = Path.Combine(PartsFolder(options.Folder, figure.Id), RecordFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var record = JsonSerializer.Deserialize<GalleryFigureResult>(File.ReadAllBytes(path), JsonOptions);
            bool same = record is { Error: null, Png: not null, Svg: not null }
                && record.Scale == ScaleName(options.Scale) && record.Seed == options.Seed && record.Version == Version
                && File.Exists(Path.Combine(options.Folder, record.Png)) && File.Exists(Path.Combine(options.Folder, record.Svg));
            return same ? record! with { Reused = true, Title = figure.Title, Source = figure.Source, Caption = figure.Caption, Commands = figure.Commands(options.Scale) } : null;
        }
        catch (JsonException)
        {
            return null; // a damaged record: run the figure again
        }
    }

    internal static string ScaleName(GalleryScale scale) => scale.ToString().ToLowerInvariant();
}

/// <summary>A whole gallery run, as results.json holds it.</summary>
/// <param name="Scale">The experiments' size.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Version">The Latent version.</param>
/// <param name="Seconds">Wall-clock seconds of the whole run.</param>
/// <param name="Figures">Every figure's result, in page order.</param>
public sealed record GalleryRun(GalleryScale Scale, ulong Seed, string Version, double Seconds, IReadOnlyList<GalleryFigureResult> Figures)
{
    /// <summary>The figures that failed.</summary>
    [JsonIgnore]
    public IReadOnlyList<GalleryFigureResult> Failed => [.. Figures.Where(f => f.Error is not null)];
}
