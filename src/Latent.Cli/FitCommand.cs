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
    private const int ScatterPoints = 5000;

    public static Command Create()
    {
        var method = new Argument<string>("METHOD") { Description = "pca, ppca, fa, kmeans or gmm." };
        method.AcceptOnlyFromAmong("pca", "ppca", "fa", "kmeans", "gmm");
        var data = new Option<string>("--data") { Description = "A catalog name (see latent datasets) or a path: IDX, NPY, CSV or a folder of PNGs.", Required = true };
        var output = new Option<string>("--out") { Description = "The folder for the model and the pictures.", Required = true };
        var components = new Option<int>("--components", "-k") { Description = "Components (pca, ppca, fa, gmm) or clusters (kmeans).", DefaultValueFactory = _ => 10 };
        var solver = new Option<string>("--solver") { Description = "pca: auto, full or randomized; ppca: closed or em.", DefaultValueFactory = _ => "auto" };
        var covariance = new Option<CovarianceType>("--covariance") { Description = "gmm: Full, Diagonal, Spherical or Tied.", DefaultValueFactory = _ => CovarianceType.Full };
        var restarts = new Option<int>("--restarts") { Description = "kmeans, gmm: initialisations to try (n_init).", DefaultValueFactory = _ => 1 };
        var whiten = new Option<bool>("--whiten") { Description = "pca: scale the codes to unit variance." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of everything random.", DefaultValueFactory = _ => 0 };
        var limit = new Option<int?>("--limit") { Description = "Use only the first N samples." };
        var command = new Command("fit", "Fit PCA, probabilistic PCA, factor analysis, k-means or a Gaussian mixture; save it and draw it.");
        command.Arguments.Add(method);
        foreach (Option option in new Option[] { data, output, components, solver, covariance, restarts, whiten, seed, limit })
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult =>
        {
            var settings = new Settings(
                parseResult.GetValue(method)!, parseResult.GetValue(components), parseResult.GetValue(solver)!, parseResult.GetValue(covariance),
                parseResult.GetValue(restarts), parseResult.GetValue(whiten), parseResult.GetValue(seed));
            Dataset dataset = CliData.Load(parseResult.GetValue(data)!, limit: parseResult.GetValue(limit));
            foreach (string line in Run(dataset, settings, parseResult.GetValue(output)!))
            {
                Console.WriteLine(line);
            }

            return 0;
        });
        return command;
    }

    /// <summary>Fits, saves and draws; returns the summary lines.</summary>
    public static IReadOnlyList<string> Run(Dataset dataset, Settings settings, string directory)
    {
        Directory.CreateDirectory(directory);
        Tensor x = dataset.Features;
        string modelPath = Path.Combine(directory, "model.safetensors");
        var rows = new List<(string Name, string Value)> { ("data", $"{dataset.Name}, {x.Rows} × {x.Columns}") };
        var pictures = new List<string>();
        Tensor? scatterCodes = null;
        IReadOnlyList<int>? scatterLabels = dataset.Labels;
        string scatterTitle = "first two components";
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
                    var model = new PcaOptions { Components = settings.Components, Solver = solver, Whiten = settings.Whiten, Seed = settings.Seed }.Fit(x);
                    model.Save(modelPath);
                    double[] ratio = [.. model.ExplainedVarianceRatio];
                    double cumulative = 0;
                    double[] running = Array.ConvertAll(ratio, r => cumulative += r);
                    rows.Add(("time", Seconds(model.FitTime)));
                    rows.Add(("solver", model.Options.Solver.ToString()));
                    rows.Add(("explained variance", cumulative.ToString("P2", CultureInfo.InvariantCulture)));
                    rows.Add(("noise variance", model.NoiseVariance.ToString("G6", CultureInfo.InvariantCulture)));
                    pictures.Add(Write(directory, "explained-variance.svg", SvgChart.Lines("Explained variance", "component", "ratio", [("per component", ratio), ("cumulative", running)])));
                    scatterCodes = model.Transform(x);
                    using Tensor componentMatrix = model.ComponentMatrix;
                    pictures.AddRange(Grid(directory, "components.png", componentMatrix, dataset.ImageShape, normalise: true));
                    break;
                }

            case "ppca":
            case "fa":
                {
                    double logLikelihood;
                    TimeSpan time;
                    IReadOnlyList<double> history;
                    Tensor loadings;
                    if (settings.Method == "ppca")
                    {
                        PpcaSolver solver = settings.Solver switch
                        {
                            "auto" or "closed" => PpcaSolver.ClosedForm,
                            "em" => PpcaSolver.Em,
                            _ => throw new ArgumentException($"--solver for ppca is closed or em, not {settings.Solver}."),
                        };
                        var model = new ProbabilisticPcaOptions { Components = settings.Components, Solver = solver, Seed = settings.Seed }.Fit(x);
                        model.Save(modelPath);
                        (logLikelihood, time, history, loadings) = (model.LogLikelihood, model.FitTime, model.History, model.Loadings);
                        rows.Add(("noise variance", model.NoiseVariance.ToString("G6", CultureInfo.InvariantCulture)));
                        scatterCodes = model.Transform(x);
                    }
                    else
                    {
                        var model = new FactorAnalysisOptions { Components = settings.Components, Seed = settings.Seed }.Fit(x);
                        model.Save(modelPath);
                        (logLikelihood, time, history, loadings) = (model.LogLikelihood, model.FitTime, model.History, model.Loadings);
                        scatterCodes = model.Transform(x);
                    }

                    rows.Add(("time", Seconds(time)));
                    rows.Add(("iterations", history.Count.ToString(CultureInfo.InvariantCulture)));
                    rows.Add(("mean log-likelihood", logLikelihood.ToString("F4", CultureInfo.InvariantCulture)));
                    if (history.Count > 0)
                    {
                        pictures.Add(Write(directory, "objective.svg", SvgChart.Lines("Log-likelihood per iteration", "iteration", "mean log-likelihood", [("log-likelihood", history)])));
                    }

                    pictures.AddRange(Grid(directory, "loadings.png", loadings, dataset.ImageShape, normalise: true));
                    scatterTitle = "posterior means of the first two latent dimensions";
                    break;
                }

            case "kmeans":
                {
                    var model = new KMeansOptions { Clusters = settings.Components, Restarts = settings.Restarts, Seed = settings.Seed, RecordHistory = true }.Fit(x);
                    model.Save(modelPath);
                    rows.Add(("time", Seconds(model.FitTime)));
                    rows.Add(("iterations", model.Iterations.ToString(CultureInfo.InvariantCulture)));
                    rows.Add(("inertia", model.Inertia.ToString("#,0.###", CultureInfo.InvariantCulture)));
                    pictures.Add(Write(directory, "objective.svg", SvgChart.Lines("Inertia per iteration", "iteration", "inertia", [("inertia", model.History.Select(h => h.Inertia).ToArray())])));
                    using Tensor centres = model.Centres;
                    pictures.AddRange(Grid(directory, "centres.png", centres, dataset.ImageShape, normalise: false));
                    scatterCodes = TwoComponents(x, settings.Seed);
                    scatterLabels = model.Labels;
                    scatterTitle = "first two principal components, coloured by cluster";
                    break;
                }

            default:
                {
                    var model = new GaussianMixtureOptions { Components = settings.Components, CovarianceType = settings.Covariance, Restarts = settings.Restarts, Seed = settings.Seed }.Fit(x);
                    model.Save(modelPath);
                    rows.Add(("time", Seconds(model.FitTime)));
                    rows.Add(("iterations", model.Iterations.ToString(CultureInfo.InvariantCulture)));
                    rows.Add(("mean log-likelihood", model.LowerBound.ToString("F4", CultureInfo.InvariantCulture)));
                    rows.Add(("BIC", model.Bic(x).ToString("#,0.#", CultureInfo.InvariantCulture)));
                    pictures.Add(Write(directory, "objective.svg", SvgChart.Lines("Log-likelihood per iteration", "iteration", "mean log-likelihood", [("log-likelihood", model.History)])));
                    using Tensor means = model.Means;
                    pictures.AddRange(Grid(directory, "means.png", means, dataset.ImageShape, normalise: false));
                    scatterCodes = TwoComponents(x, settings.Seed);
                    scatterLabels = model.Predict(x);
                    scatterTitle = "first two principal components, coloured by component";
                    break;
                }
        }

        if (scatterCodes is { Columns: >= 2 })
        {
            int count = Math.Min(ScatterPoints, scatterCodes.Rows);
            double[] first = Enumerable.Range(0, count).Select(i => (double)scatterCodes[i, 0]).ToArray();
            double[] second = Enumerable.Range(0, count).Select(i => (double)scatterCodes[i, 1]).ToArray();
            int[]? labels = scatterLabels?.Take(count).ToArray();
            pictures.Add(Write(directory, "scatter.svg", SvgChart.Scatter(scatterTitle, "1", "2", first, second, labels)));
        }

        rows.Add(("model", modelPath));
        rows.Add(("pictures", string.Join(", ", pictures.Select(Path.GetFileName))));
        int width = rows.Max(r => r.Name.Length);
        return [$"latent fit {settings.Method}", .. rows.Select(r => $"  {r.Name.PadRight(width)}  {r.Value}")];
    }

    /// <summary>The data on its first two principal components (for the cluster scatter).</summary>
    private static Tensor? TwoComponents(Tensor x, ulong seed) =>
        x.Columns >= 2 && x.Rows >= 2 ? new PcaOptions { Components = 2, Seed = seed }.Fit(x).Transform(x) : null;

    /// <summary>Writes the rows of <paramref name="images"/> as a PNG grid when the data are images.</summary>
    private static IEnumerable<string> Grid(string directory, string name, Tensor images, ImageShape? shape, bool normalise)
    {
        if (shape is not ImageShape imageShape)
        {
            yield break;
        }

        float[] values = images.ToArray();
        int size = images.Columns;
        float top = System.Numerics.Tensors.TensorPrimitives.Max<float>(values);
        for (int r = 0; r < images.Rows; r++)
        {
            Span<float> row = values.AsSpan(r * size, size);
            if (!normalise)
            {
                // Means and centres are in the data's units; bring data scaled beyond [0, 1] (e.g. 0..255) into range.
                if (top > 1f)
                {
                    System.Numerics.Tensors.TensorPrimitives.Divide(row, top, row);
                }
            }
            else
            {
                // Components have both signs: map each one's range onto [0, 1], grey being 0 when symmetric.
                float extent = Math.Max(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude<float>(row), 1e-12f);
                for (int i = 0; i < size; i++)
                {
                    row[i] = 0.5f + (0.5f * row[i] / extent);
                }
            }
        }

        string path = Path.Combine(directory, name);
        Png.Write(path, ImageGrid.Compose(values, images.Rows, imageShape));
        yield return path;
    }

    private static string Write(string directory, string name, string svg)
    {
        string path = Path.Combine(directory, name);
        AtomicFile.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(svg));
        return path;
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s";

    /// <summary>The options of one fit.</summary>
    internal sealed record Settings(string Method, int Components, string Solver, CovarianceType Covariance, int Restarts, bool Whiten, ulong Seed);
}
