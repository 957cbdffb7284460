using System.CommandLine;
using System.Globalization;
using Latent.Classical;
using Latent.Data;
using Latent.Serialization;
using Latent.Tensors;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary>
/// <c>latent fit pca|ppca|fa|kmeans|gmm --data DATA --out DIR</c>: fits a classical model, saves it as
/// DIR/model.safetensors, prints a summary and writes pictures into DIR.
/// </summary>
internal static class FitCommand
{
    private static readonly string[] s_methods = ["pca", "ppca", "fa", "kmeans", "gmm"];

    public static Command Create()
    {
        var method = new Argument<string>("METHOD") { Description = string.Join(", ", s_methods) + "." };
        method.AcceptOnlyFromAmong("pca", "ppca", "fa", "kmeans", "gmm");
        var data = new Option<string>("--data") { Description = "A catalog name (see latent datasets) or a path: IDX, NPY, CSV or a folder of PNGs. A raw IDX or NPY file of more than 256 MiB (as float32) is memory-mapped and read in blocks, never whole; pictures then draw 10,000 items spread through it.", Required = true };
        var output = new Option<string>("--out") { Description = "The folder for the model and the pictures.", Required = true };
        var components = new Option<int>("--components", "-k") { Description = "Components (pca, ppca, fa, gmm) or clusters (kmeans).", DefaultValueFactory = _ => 10 };
        var solver = new Option<string>("--solver") { Description = "pca: auto, full or randomized; ppca: closed or em.", DefaultValueFactory = _ => "auto" };
        var covariance = new Option<CovarianceType>("--covariance") { Description = "gmm: Full, Diagonal, Spherical or Tied.", DefaultValueFactory = _ => CovarianceType.Full };
        var restarts = new Option<int>("--restarts") { Description = "kmeans, gmm: initialisations to try (n_init).", DefaultValueFactory = _ => 1 };
        var whiten = new Option<bool>("--whiten") { Description = "pca: scale the codes to unit variance." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of everything random.", DefaultValueFactory = _ => 0 };
        var limit = new Option<int?>("--limit") { Description = "Use only the first N samples." };
        var init = new Option<string>("--init") { Description = "kmeans: plusplus (k-means++) or random (k distinct samples); gmm: kmeans, random (random responsibilities) or samples (means at random samples, the data's covariance); auto: the method's default.", DefaultValueFactory = _ => "auto" };
        var maxIterations = new Option<int?>("--max-iterations") { Description = "kmeans, gmm, fa, ppca (em): the most iterations (default: the method's)." };
        var noiseFloor = new Option<double?>("--noise-floor") { Description = "fa: the smallest noise variance a feature may have (default 1e-12, as scikit-learn; constant pixels get it)." };
        var pcaAngle = new Option<bool>("--pca-angle") { Description = "ppca --solver em: record after every EM iteration the largest principal angle (degrees) between the loadings' span and PCA's top-k subspace, written to pca-angle.csv." };
        var command = new Command("fit", "Fit PCA, probabilistic PCA, factor analysis, k-means or a Gaussian mixture; save it and draw it.");
        command.Arguments.Add(method);
        foreach (Option option in new Option[] { data, output, components, solver, covariance, restarts, whiten, seed, limit, init, maxIterations, noiseFloor, pcaAngle })
        {
            command.Options.Add(option);
        }

        // The options only some methods read, and those methods: any other method refuses them rather than ignore them.
        var methodOptions = new (Option Option, string[] Methods)[]
        {
            (solver, ["pca", "ppca"]), (covariance, ["gmm"]), (restarts, ["kmeans", "gmm"]), (whiten, ["pca"]), (init, ["kmeans", "gmm"]),
            (maxIterations, ["kmeans", "gmm", "fa", "ppca"]), (noiseFloor, ["fa"]), (pcaAngle, ["ppca"]),
        };
        command.SetAction(parseResult =>
        {
            string chosen = parseResult.GetValue(method)!;
            foreach ((var option, string[] methods) in methodOptions)
            {
                if (parseResult.GetResult(option) is { Implicit: false } && !methods.Contains(chosen) && s_methods.Contains(chosen))
                {
                    throw new ArgumentException($"{option.Name}: fit {chosen} does not use it (it applies to {string.Join(", ", methods)}).");
                }
            }

            var settings = new Settings(
                parseResult.GetValue(method)!, parseResult.GetValue(components), parseResult.GetValue(solver)!, parseResult.GetValue(covariance),
                parseResult.GetValue(restarts), parseResult.GetValue(whiten), parseResult.GetValue(seed), parseResult.GetValue(init)!,
                parseResult.GetValue(maxIterations), parseResult.GetValue(noiseFloor), parseResult.GetValue(pcaAngle));
            IFeatureSource dataset = CliData.Open(parseResult.GetValue(data)!, limit: parseResult.GetValue(limit));
            foreach (string line in Run(dataset, settings, parseResult.GetValue(output)!))
            {
                Console.WriteLine(line);
            }

            return 0;
        });
        return command;
    }

    /// <summary>Items drawn in the pictures of a fit on data that is not in memory (evenly spaced through it).</summary>
    private const int PictureItems = 10_000;

    /// <summary>Fits, saves and draws; returns the summary lines.</summary>
    /// <remarks>
    /// Data in memory is fitted and drawn whole. Data that is not (a large memory-mapped file) is fitted block by
    /// block, without per-iteration history (k-means would keep every iteration's labels), and drawn from
    /// <see cref="PictureItems"/> items spread evenly through it.
    /// </remarks>
    public static IReadOnlyList<string> Run(IFeatureSource source, Settings settings, string directory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.MaxIterations is int most && most < 1)
        {
            throw new ArgumentException($"--max-iterations must be positive, not {most}.");
        }

        if (settings.Init != "auto" && settings.Method is not ("kmeans" or "gmm"))
        {
            throw new ArgumentException($"--init applies to kmeans and gmm, not {settings.Method}.");
        }

        if (settings.PcaAngle && settings.Method != "ppca")
        {
            throw new ArgumentException($"--pca-angle records probabilistic PCA's EM iterations (fit ppca --solver em); it does not apply to {settings.Method}.");
        }

        ArgumentNullException.ThrowIfNull(source);
        CheckVaries(source, settings.Method);
        Dataset dataset = source as Dataset ?? Dataset.FromSource(source, Spread(source.Count, PictureItems));
        bool inMemory = source is Dataset;

        // Everything is fitted and drawn first and written at the end, together: a fit or a picture that fails
        // leaves no model, picture or folder behind.
        var outputs = new OutputSet();
        string modelPath = Path.Combine(directory, "model.safetensors");
        var rows = new List<(string Name, string Value)> { ("data", $"{source.Name}, {source.Count} × {source.Dimension}{(inMemory ? string.Empty : " (memory-mapped)")}") };
        var pictures = new List<string>();
        switch (settings.Method)
        {
            case "pca":
                {
                    PcaSolver solver = settings.Solver switch
                    {
                        "auto" => PcaSolver.Auto,
                        "full" => PcaSolver.Full,
                        "randomized" => PcaSolver.Randomized,
                        _ => throw new ArgumentException($"--solver for pca is auto, full or randomized, not {settings.Solver}."),
                    };
                    var model = new PcaOptions { Components = settings.Components, Solver = solver, Whiten = settings.Whiten, Seed = settings.Seed }.Fit(source);
                    outputs.Add(modelPath, model.Save);
                    double cumulative = model.ExplainedVarianceRatio.Sum();
                    rows.Add(("time", Seconds(model.FitTime)));
                    rows.Add(("solver", model.Options.Solver.ToString()));
                    rows.Add(("explained variance", cumulative.ToString("P2", CultureInfo.InvariantCulture)));
                    rows.Add(("noise variance", model.NoiseVariance.ToString("G6", CultureInfo.InvariantCulture)));
                    pictures.AddRange(outputs.AddPictures(ClassicalPictures.Of(model, dataset), directory));
                    break;
                }

            case "ppca":
            case "fa":
                {
                    double logLikelihood;
                    TimeSpan time;
                    IReadOnlyList<double> history;
                    if (settings.Method == "ppca")
                    {
                        PpcaSolver solver = settings.Solver switch
                        {
                            "auto" or "closed" => PpcaSolver.ClosedForm,
                            "em" => PpcaSolver.Em,
                            _ => throw new ArgumentException($"--solver for ppca is closed or em, not {settings.Solver}."),
                        };
                        if (settings.PcaAngle && solver != PpcaSolver.Em)
                        {
                            throw new ArgumentException("--pca-angle records the angle per EM iteration; give --solver em (the closed form is PCA's subspace itself).");
                        }

                        var options = new ProbabilisticPcaOptions { Components = settings.Components, Solver = solver, Seed = settings.Seed, PcaAngle = settings.PcaAngle };
                        var model = (settings.MaxIterations is int cap ? options with { MaxIterations = cap } : options).Fit(source);
                        outputs.Add(modelPath, model.Save);
                        if (model.PcaAngleHistory.Count > 0)
                        {
                            var csv = new System.Text.StringBuilder("iteration,pca_angle_degrees\n");
                            for (int i = 0; i < model.PcaAngleHistory.Count; i++)
                            {
                                csv.Append(CultureInfo.InvariantCulture, $"{i + 1},{model.PcaAngleHistory[i]:R}\n");
                            }

                            outputs.Add(Path.Combine(directory, "pca-angle.csv"), System.Text.Encoding.UTF8.GetBytes(csv.ToString()));
                            rows.Add(($"largest principal angle to PCA-{settings.Components}", $"{model.PcaAngleHistory[^1].ToString("G4", CultureInfo.InvariantCulture)}° (per iteration: pca-angle.csv)"));
                        }

                        (logLikelihood, time, history) = (model.LogLikelihood, model.FitTime, model.History);
                        rows.Add(("noise variance", model.NoiseVariance.ToString("G6", CultureInfo.InvariantCulture)));
                        pictures.AddRange(outputs.AddPictures(ClassicalPictures.Of(model, dataset), directory));
                    }
                    else
                    {
                        var options = new FactorAnalysisOptions { Components = settings.Components, Seed = settings.Seed };
                        options = settings.MaxIterations is int cap ? options with { MaxIterations = cap } : options;
                        options = settings.NoiseFloor is double floor ? options with { NoiseFloor = floor } : options;
                        var model = options.Fit(source);
                        outputs.Add(modelPath, model.Save);
                        (logLikelihood, time, history) = (model.LogLikelihood, model.FitTime, model.History);
                        pictures.AddRange(outputs.AddPictures(ClassicalPictures.Of(model, dataset), directory));
                    }

                    rows.Add(("time", Seconds(time)));
                    rows.Add(("iterations", history.Count.ToString(CultureInfo.InvariantCulture)));
                    rows.Add(("mean log-likelihood", logLikelihood.ToString("F4", CultureInfo.InvariantCulture)));
                    break;
                }

            case "kmeans":
                {
                    KMeansInit kmeansInit = settings.Init switch
                    {
                        "auto" or "plusplus" => KMeansInit.PlusPlus,
                        "random" => KMeansInit.Random,
                        _ => throw new ArgumentException($"--init for kmeans is plusplus or random, not {settings.Init}."),
                    };
                    var options = new KMeansOptions { Clusters = settings.Components, Init = kmeansInit, Restarts = settings.Restarts, Seed = settings.Seed, RecordHistory = inMemory };
                    var model = (settings.MaxIterations is int cap ? options with { MaxIterations = cap } : options).Fit(source);
                    outputs.Add(modelPath, model.Save);
                    rows.Add(("time", Seconds(model.FitTime)));
                    rows.Add(("init", model.Options.Init.ToString()));
                    rows.Add(("iterations", model.Iterations.ToString(CultureInfo.InvariantCulture)));
                    rows.Add(("inertia", model.Inertia.ToString("#,0.###", CultureInfo.InvariantCulture)));
                    pictures.AddRange(outputs.AddPictures(ClassicalPictures.Of(model, dataset), directory));
                    if (source.Dimension == 2 && inMemory)
                    {
                        pictures.AddRange(AddSteps(outputs, ClusteringSteps.KMeans(model, dataset.Features), directory));
                    }
                    break;
                }

            default:
                {
                    MixtureInit mixtureInit = settings.Init switch
                    {
                        "auto" or "kmeans" => MixtureInit.KMeans,
                        "random" => MixtureInit.Random,
                        "samples" => MixtureInit.RandomSamples,
                        _ => throw new ArgumentException($"--init for gmm is kmeans, random or samples, not {settings.Init}."),
                    };
                    var options = new GaussianMixtureOptions
                    {
                        Components = settings.Components,
                        CovarianceType = settings.Covariance,
                        Init = mixtureInit,
                        Restarts = settings.Restarts,
                        Seed = settings.Seed,
                        RecordHistory = inMemory && source.Dimension == 2,
                    };
                    var model = (settings.MaxIterations is int cap ? options with { MaxIterations = cap } : options).Fit(source);
                    outputs.Add(modelPath, model.Save);
                    rows.Add(("time", Seconds(model.FitTime)));
                    rows.Add(("init", model.Options.Init.ToString()));
                    rows.Add(("iterations", model.Iterations.ToString(CultureInfo.InvariantCulture)));
                    rows.Add(("mean log-likelihood", model.LowerBound.ToString("F4", CultureInfo.InvariantCulture)));
                    rows.Add(("BIC", model.Bic(source).ToString("#,0.#", CultureInfo.InvariantCulture)));
                    pictures.AddRange(outputs.AddPictures(ClassicalPictures.Of(model, dataset), directory));
                    if (model.Steps.Count > 0)
                    {
                        pictures.AddRange(AddSteps(outputs, ClusteringSteps.Mixture(model, dataset.Features), directory));
                    }

                    break;
                }
        }

        outputs.Commit();
        rows.Add(("model", modelPath));
        rows.Add(("pictures", string.Join(", ", pictures.Select(Path.GetFileName))));
        int width = rows.Max(r => r.Name.Length);
        return [$"latent fit {settings.Method}", .. rows.Select(r => $"  {r.Name.PadRight(width)}  {r.Value}")];
    }

    /// <summary>Adds a clustering-steps figure as steps.svg and steps.png, rendered now; returns their paths.</summary>
    private static string[] AddSteps(OutputSet outputs, PlotFigure figure, string directory) =>
    [
        outputs.Add(Path.Combine(directory, "steps.svg"), System.Text.Encoding.UTF8.GetBytes(figure.ToSvg())),
        outputs.Add(Path.Combine(directory, "steps.png"), figure.ToPng()),
    ];

    /// <summary>
    /// Refuses data in which every feature is constant: every method would fit noise (or divide by a zero
    /// variance) and the pictures have no direction to project on.
    /// </summary>
    private static void CheckVaries(IFeatureSource data, string method)
    {
        int n = data.Count, d = data.Dimension, chunk = Math.Max(1, Math.Min(n, (1 << 20) / Math.Max(d, 1)));
        var first = new float[d];
        data.CopyRows([0], first);
        var rows = new float[chunk * d];

        // Read in chunks, so that data that is not in memory is read only as far as the first item that differs.
        for (int start = 1; start < n; start += chunk)
        {
            int count = Math.Min(chunk, n - start);
            data.CopyRows(Enumerable.Range(start, count).ToArray(), rows.AsSpan(0, count * d));
            for (int i = 0; i < count; i++)
            {
                if (!rows.AsSpan(i * d, d).SequenceEqual(first))
                {
                    return;
                }
            }
        }

        throw new ArgumentException($"{data.Name}: all {n} items are the same (every feature is constant), so there is nothing for {method} to fit; give data that varies.");
    }

    /// <summary>At most <paramref name="most"/> indices spread evenly over <paramref name="count"/> items.</summary>
    private static int[] Spread(int count, int most) =>
        count <= most ? Enumerable.Range(0, count).ToArray() : Enumerable.Range(0, most).Select(i => (int)((long)i * count / most)).ToArray();

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s";

    /// <summary>The options of one fit.</summary>
    internal sealed record Settings(
        string Method, int Components, string Solver, CovarianceType Covariance, int Restarts, bool Whiten, ulong Seed, string Init = "auto", int? MaxIterations = null, double? NoiseFloor = null, bool PcaAngle = false);
}
