using System.Globalization;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Optim;
using Latent.Tensors;
using Latent.Training;
using Latent.Visuals;
using ScottPlot;
using PlotStyle = Latent.Visuals.PlotStyle;

namespace Latent.Gallery;

/// <summary>
/// The β-VAE paper's figure 7 on <c>shapes</c>: for β = 1 and β = 4 and the table's DC-IGN, traversals of every latent
/// around an inferred image's code (rows by KL), the mean code of the most informative latents against position, scale
/// and rotation, and the two disentanglement scores (the β-VAE metric and the mutual information gap); then the same for
/// the table's InfoGAN (<see cref="InfoganRow"/>): its continuous codes traversed in the generator and read back by its
/// recognition head.
/// </summary>
internal sealed class BetaVaeTraversalsFigure : GalleryFigure
{
    /// <summary>The two KL weights compared.</summary>
    public static IReadOnlyList<float> Betas { get; } = [1f, 4f];

    /// <summary>The item of the data set whose inferred code the traversals start from.</summary>
    public const int SeedItem = 0;

    /// <summary>Latents (the highest-KL ones) whose mean code is drawn against the factors.</summary>
    public const int ShownLatents = 5;

    private const int Steps = 9;
    private const int EncodeChunk = 128;
    private const float Range = 3f;
    private const string InfoganLabel = "InfoGAN";

    public override string Id => "beta-vae-traversals";

    public override int Order => 13;

    public override string Title => "β-VAE on 2-D shapes: traversals, factor responses and disentanglement scores";

    public override string Source => "Note C (β-VAE), Higgins et al. 2017, Figure 7 and the architecture table (2-D shapes VAE)";

    public override string Caption =>
        "Two VAEs of the β-VAE paper's 2-D shapes architecture (FC 1200-1200 encoder, 10 latents, FC 1200-1200-1200 tanh decoder, "
        + "Bernoulli, Adagrad 1e-2), trained on the shapes set with β = 1 (top row) and β = 4 (second row), and the table's DC-IGN "
        + "(third row: the dcign-vae preset, 3×3 convolutions with 2×2 max-pooling, an upsampling decoder, 10 latents, β = 1, RMSprop) "
        + "on the same images. Left: each latent traversed "
        + "from −3 to 3 with the others fixed at the code inferred from one image, rows by decreasing KL. Middle: the mean code of the five "
        + "highest-KL latents over the 32×32 positions (averaged over shape, scale and rotation), then against scale and rotation. "
        + "Right: the β-VAE metric (accuracy of a linear classifier naming the factor held fixed; chance 0.2), the mutual information "
        + "gap, and each code's KL per latent by rank. With β = 4 the code spends about half the nats and concentrates them in fewer latents, whose maps become smooth ramps "
        + "along x or y and whose curves follow scale: the gap between the most and second most informative latent per factor (MIG) grows. "
        + "At these short trainings the β-VAE metric of the two is close (measured: it is not reliably higher for β = 4 below about "
        + "100,000 image presentations); the paper's far longer training separates them. DC-IGN is trained here without its paper's "
        + "clamped mini-batches (one factor varying per batch), so it is an unsupervised β = 1 VAE with a convolutional net: its code "
        + "spends as many nats as the β = 1 code, spread over as many latents (KL by rank, third row, right). Fourth row: the table's "
        + "InfoGAN (the infogan preset's 5 continuous codes c ~ U(−1, 1) and 5 noise values, a recognition head on the discriminator, "
        + "Adam 1e-3 generator / 2e-4 discriminator, β₁ 0.5), trained at the quick scale on the same shapes averaged down to 16×16 "
        + "with narrowed layers (generator fc128-fc128, deconv 32-16; discriminator conv 16-32, fc128; recognition fc64), because a "
        + "64×64 InfoGAN does not train in the quick gallery's minutes (the full run trains the preset's layers at 32×32). Its "
        + "traversal runs one code over [−1, 1] with the rest of z fixed at a seeded draw, each 16×16 image drawn as 4×4 blocks, "
        + "rows by how far the code moves the image (Δ, the mean absolute pixel change between −1 and +1 over 128 draws; bottom "
        + "right); its maps, curves and scores read the recognition head's code means on 16×16 images of the same factor "
        + "combinations. What the quick run shows: every code takes part of the position (each code's strongest factor is x or y, in the "
        + "table below) and none takes shape, scale or rotation; position is split over several codes, so its mutual information "
        + "gap stays at the β = 1 VAE's level and below β = 4's, and its β-VAE metric is close to β = 1's and below β = 4's: InfoGAN "
        + "below β-VAE, as the paper reports on this data, though by less than the paper's margin at these short trainings. "
        + "The full run (100,000 images, 8 epochs; the InfoGAN at 32×32 with the preset's layers) shows the same order more "
        + "clearly: β = 4 gives x, y and scale a latent each (MIG about 3.5 times β = 1's), and the InfoGAN's codes again share "
        + "the position and score below every VAE on the β-VAE metric, with a gap like β = 1's.";

    public override IReadOnlyList<string> Commands(GalleryScale scale)
    {
        var sizes = Sizes.For(scale);
        var commands = new List<string>();
        foreach (var row in Rows(sizes))
        {
            string run = $"runs/beta-vae/{row.Part}";
            commands.Add($"{row.Train} --out {run}");
            commands.Add($"latent traverse {run} --data {sizes.Data} --from {SeedItem} --order kl --steps {Steps} --range 3 --out {run}/traverse.png");
            commands.Add($"latent eval {run} --data {sizes.Data} --iw-samples 0 --beta-vae-points {sizes.MetricPoints} --beta-vae-pairs {sizes.MetricPairs} --mig-items {sizes.MigItems}");
            commands.Add($"latent factor-response {run} --data shapes --by y,x --samples {sizes.MapSamples} --out {run}/position.csv");
            commands.Add($"latent factor-response {run} --data shapes --by scale --samples {sizes.CurveSamples} --out {run}/scale.csv");
            commands.Add($"latent factor-response {run} --data shapes --by rotation --samples {sizes.CurveSamples} --out {run}/rotation.csv");
        }

        // The InfoGAN row: latent traverse draws the rest of z with --seed and puts the codes in index order (the figure
        // orders them by how far each moves the image); latent eval scores the recognition head's code means.
        var infogan = InfoganRow.For(scale);
        string gan = $"runs/beta-vae/{InfoganRow.Part}";
        commands.Add(infogan.TrainCommand(gan));
        commands.Add($"latent traverse {gan} --steps {Steps} --seed {InfoganRow.TraversalSeed} --out {gan}/traverse.png");
        commands.Add($"latent eval {gan} --data {infogan.Data} --beta-vae-points {sizes.MetricPoints} --beta-vae-pairs {sizes.MetricPairs} --mig-items {sizes.MigItems}");
        return commands;
    }

    public override GalleryOutcome Run(GalleryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sizes = Sizes.For(context.Scale);
        var data = context.Data(sizes.Data);
        var shapes = DatasetCatalog.OpenFactors(sizes.Data) ?? throw new InvalidOperationException($"{sizes.Data} has no known factors.");
        var results = new List<Result>();
        foreach (var row in Rows(sizes))
        {
            var trained = context.Train(row.Part, row.Options, row.Limit is { } limit ? data.Take(limit) : data);
            var model = trained.Model;
            context.Report($"{row.Label}: traversals and scores", 0);
            var posterior = PosteriorStatistics.Measure(model, data, batchSize: EncodeChunk);
            var order = posterior.DimensionsByKl();
            var origin = model.Encode(data.Subset([SeedItem])).Span.ToArray();
            var traversal = Generation.Traverse(model, order, origin, Steps, Range);
            var scores = Measure(context, row.Label, Encoder(model, shapes), shapes, sizes);
            var last = trained.History.Epochs[^1].Train;
            results.Add(new Result(row.Label, row.Trained, order, "z", [.. posterior.KlPerDimension], "KL", traversal, scores, posterior, last.Reconstruction));
        }

        results.Add(Infogan(context, sizes));
        context.Report("drawing", 1);
        return new GalleryOutcome(Draw(results), Numbers(results, sizes), Tables(results, shapes), Describe(sizes));
    }

    // The InfoGAN row: trained at a smaller side (InfoganRow), its codes by how far each moves the image, scored on the
    // factor source of its side (the same 737,280 factor combinations, averaged down) through the recognition head.
    private static Result Infogan(GalleryContext context, Sizes sizes)
    {
        var row = InfoganRow.For(context.Scale);
        var network = row.Train(context, context.Data(row.Data)).Network;
        context.Report("InfoGAN: traversals and scores", 0);
        var movement = InfoganRow.Movement(network);
        int[] order = [.. Enumerable.Range(0, movement.Length).OrderByDescending(c => movement[c])];
        var traversal = InfoganRow.Traverse(network, order, Steps, ShapesSource.Size);
        var shapes = DatasetCatalog.OpenFactors(row.FactorData)!;
        var scores = Measure(context, InfoganLabel, RecognitionEncoder.Of(network, shapes), shapes, sizes);
        return new Result(InfoganLabel, row.Trained, order, "c", movement, "Δ", traversal, scores, null, null);
    }

    // The disentanglement scores and factor responses of one row's code function, measured the same way for every model.
    private static RowScores Measure(GalleryContext context, string label, Func<int[], Tensor> encode, IFactorSource shapes, Sizes sizes)
    {
        var metric = BetaVaeMetric.Measure(encode, shapes, new BetaVaeMetricOptions { BatchSize = sizes.MetricPairs, TrainPoints = sizes.MetricPoints, TestPoints = sizes.MetricPoints / 2, Seed = context.Seed });
        context.Report($"{label}: traversals and scores", 0.4);
        var mig = MutualInformationGap.Measure(encode, shapes, sizes.MigItems, MutualInformationGap.DefaultBins, context.Seed);
        context.Report($"{label}: factor responses", 0.6);
        var position = FactorResponse.Measure(encode, shapes, [4, 3], sizes.MapSamples, context.Seed);
        var scale = FactorResponse.Measure(encode, shapes, [1], sizes.CurveSamples, context.Seed);
        var rotation = FactorResponse.Measure(encode, shapes, [2], sizes.CurveSamples, context.Seed);
        return new RowScores(metric, mig, position, scale, rotation);
    }

    /// <summary>
    /// The figure's rows, each a model trained on the shapes images: its label, its part (run folder), its
    /// training options and the <c>latent train</c> command that trains it alone. The rest of a row (traversal,
    /// factor responses, scores) is measured the same way for every model.
    /// </summary>
    private static List<RowModel> Rows(Sizes sizes)
    {
        var shape = new ImageShape(1, ShapesSource.Size, ShapesSource.Size);
        var rows = new List<RowModel>();
        foreach (float beta in Betas)
        {
            string label = Label(beta);
            var options = new TrainingRunOptions
            {
                Model = ModelOptions(beta, sizes, shape),
                Trainer = new TrainerOptions { Epochs = sizes.Epochs, BatchSize = sizes.Batch, Optimizer = OptimizerKind.Adagrad, LearningRate = 1e-2f, Seed = 0 },
                ValidationFraction = 0,
            };
            string train = $"latent train beta-vae --data {sizes.Data} --beta {label} --epochs {sizes.Epochs} --batch {sizes.Batch} --validation 0 --seed 0"
                + (sizes.Encoder is null ? string.Empty : $" --encoder {sizes.Encoder} --decoder {sizes.Decoder}");
            rows.Add(new RowModel($"β = {label}", $"beta-{label}", options, null, train, $"{sizes.Items:N0} shapes images, {sizes.Epochs} epochs"));
        }

        // DC-IGN: the conv issue's dcign-vae (3×3 convolutions and max-pooling, an upsampling decoder, β = 1),
        // with RMSprop as its preset recommends; narrower than the table's 96-48-48 channels below full scale.
        var dcign = sizes.Dcign;
        var dcignModel = Presets.Defaults("dcign-vae", shape) with { Seed = 0 };
        if (dcign.Encoder is not null)
        {
            dcignModel = dcignModel with { Encoder = dcign.Encoder, Decoder = dcign.Decoder! };
        }

        var dcignOptions = new TrainingRunOptions
        {
            Model = dcignModel,
            Trainer = new TrainerOptions { Epochs = dcign.Epochs, BatchSize = dcign.Batch, Optimizer = OptimizerKind.RmsProp, LearningRate = dcign.LearningRate, Seed = 0 },
            ValidationFraction = 0,
        };
        string dcignTrain = string.Create(CultureInfo.InvariantCulture, $"latent train dcign-vae --data {sizes.Data}{(dcign.Limit is { } limit ? $" --limit {limit}" : string.Empty)} --epochs {dcign.Epochs} --batch {dcign.Batch} --lr {dcign.LearningRate} --validation 0 --seed 0")
            + (dcign.Encoder is null ? string.Empty : $" --encoder {dcign.Encoder} --decoder {dcign.Decoder}");
        rows.Add(new RowModel("DC-IGN", "dcign", dcignOptions, dcign.Limit, dcignTrain, $"{dcign.Limit ?? sizes.Items:N0} shapes images, {Count(dcign.Epochs, "epoch")}"));
        return rows;
    }

    // A convolutional encoder holds about a megabyte of activations per 64×64 image: the measures encode in chunks
    // of EncodeChunk images (the library's 1,024 took 6 GB for the DC-IGN row), which costs the FC rows nothing.
    private static Func<int[], Tensor> Encoder(Autoencoder model, IFactorSource shapes)
    {
        var encode = FactorCodes.Of(model, shapes);
        return items =>
        {
            var codes = Tensor.Zeros(items.Length, model.Latent);
            for (int start = 0; start < items.Length; start += EncodeChunk)
            {
                int count = Math.Min(EncodeChunk, items.Length - start);
                encode(items[start..(start + count)]).Span.CopyTo(codes.Span.Slice(start * model.Latent, count * model.Latent));
            }

            return codes;
        };
    }

    private static AutoencoderOptions ModelOptions(float beta, Sizes sizes, ImageShape shape)
    {
        var options = Presets.Defaults("beta-vae", shape) with { Beta = beta, Seed = 0 };
        return sizes.Encoder is null ? options : options with { Encoder = sizes.Encoder, Decoder = sizes.Decoder! };
    }

    private static PlotFigure Draw(List<Result> results)
    {
        int columns = 1 + ShownLatents + 3;
        var figure = new PlotFigure(results.Count, columns, 300, 330);
        var shape = new ImageShape(1, ShapesSource.Size, ShapesSource.Size);
        for (int r = 0; r < results.Count; r++)
        {
            var result = results[r];
            string label = result.Label;
            string traversed = result.IsGan ? "codes over ±1 (rows by Δ)" : "traversals (rows by KL)";
            PlotStyle.ImageGridPanel(figure[r, 0], result.Traversal.Span, result.Order.Length * Steps, shape, $"({Letter(r)}) {label}: {traversed}", Steps);
            int shown = Math.Min(ShownLatents, result.Order.Length);
            for (int i = 0; i < shown; i++)
            {
                int unit = result.Order[i];
                var plot = figure[r, 1 + i];
                PlotStyle.Heatmap(plot, FlipRows(result.Scores.Position.Map(unit)), 0, 1, 0, 1, $"mean {result.Unit}");
                plot.Title(string.Create(CultureInfo.InvariantCulture, $"{label}: {result.Name(unit)} ({result.WeightName} {result.Weight[unit]:0.00})"));
                plot.XLabel("position x");
                plot.YLabel("position y");
            }

            Curves(figure[r, 1 + ShownLatents], result, result.Scores.Scale, Enumerable.Range(0, ShapesSource.FactorSizes[1]).Select(v => ShapesSource.FactorValue(1, v)).ToArray(), "scale", $"{label}: mean code vs scale");
            Curves(figure[r, 2 + ShownLatents], result, result.Scores.Rotation, Enumerable.Range(0, ShapesSource.FactorSizes[2]).Select(v => ShapesSource.FactorValue(2, v) * 180 / Math.PI).ToArray(), "rotation (°)", $"{label}: mean code vs rotation");
        }

        // The last column compares the rows: one chart per figure row, while there are rows to hold them.
        var summaries = new Action<Plot>[]
        {
            plot => Scores(plot, results, r => r.Scores.Metric.Accuracy, "β-VAE metric (accuracy)", results[0].Scores.Metric.Chance, 1.1),
            plot => Scores(plot, results, r => r.Scores.Mig.Score, "mutual information gap", null, Math.Max(0.05, results.Max(r => r.Scores.Mig.Score) * 1.25)),
            plot => KlByRank(plot, [.. results.Where(r => !r.IsGan)]),
            plot => Movement(plot, results.Single(r => r.IsGan)),
        };
        for (int r = 0; r < Math.Min(results.Count, summaries.Length); r++)
        {
            summaries[r](figure[r, columns - 1]);
        }

        return figure;
    }

    private static void KlByRank(Plot plot, List<Result> results)
    {
        for (int m = 0; m < results.Count; m++)
        {
            var result = results[m];
            double[] ranks = [.. Enumerable.Range(1, result.Order.Length).Select(k => (double)k)];
            double[] kl = [.. result.Order.Select(unit => result.Weight[unit])];
            var line = plot.Add.Scatter(ranks, kl, PlotStyle.Colour(m));
            line.LineWidth = 2;
            line.MarkerSize = 5;
            line.LegendText = result.Label;
        }

        plot.Title("KL per latent, by rank");
        plot.XLabel("rank");
        plot.YLabel("nats");
        plot.ShowLegend(Alignment.UpperRight);
    }

    // The InfoGAN's rows' order: each code's mean absolute pixel change between code −1 and +1.
    private static void Movement(Plot plot, Result gan)
    {
        double[] values = [.. gan.Order.Select(code => gan.Weight[code])];
        var bars = plot.Add.Bars(values);
        foreach (var bar in bars.Bars)
        {
            bar.FillColor = PlotStyle.Colour(3);
        }

        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, values.Length).Select(i => (double)i)], [.. gan.Order.Select(gan.Name)]);
        plot.Axes.SetLimits(-0.6, values.Length - 0.4, 0, Math.Max(0.01, values.Max() * 1.2));
        plot.Title("InfoGAN: image change Δ");
        plot.XLabel("code, by rank");
        plot.YLabel("Δ: mean |pixel(+1) − pixel(−1)|");
    }

    private static void Curves(Plot plot, Result result, FactorResponse response, double[] xs, string xLabel, string title)
    {
        int shown = Math.Min(ShownLatents, result.Order.Length);
        for (int i = 0; i < shown; i++)
        {
            int unit = result.Order[i];
            var line = plot.Add.Scatter(xs, response.Curve(unit));
            line.Color = PlotStyle.Colour(i);
            line.MarkerSize = 3;
            line.LineWidth = 2;
            line.LegendText = result.Name(unit);
        }

        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("mean code");
        plot.ShowLegend(Alignment.UpperRight);
    }

    private static void Scores(Plot plot, List<Result> results, Func<Result, double> score, string title, double? chance, double top)
    {
        var values = results.Select(score).ToArray();
        var bars = plot.Add.Bars(values);
        for (int i = 0; i < values.Length; i++)
        {
            bars.Bars[i].FillColor = PlotStyle.Colour(i);
            plot.Add.Text(values[i].ToString("0.00", CultureInfo.InvariantCulture), i, values[i]).LabelAlignment = Alignment.LowerCenter;
        }

        if (chance is { } c)
        {
            var line = plot.Add.HorizontalLine(c);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Gray;
            line.LegendText = "chance";
            plot.ShowLegend(Alignment.UpperLeft);
        }

        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, values.Length).Select(i => (double)i).ToArray(), results.Select(r => r.Label).ToArray());
        plot.Axes.SetLimits(-0.6, values.Length - 0.4, 0, top);
        plot.Title(title);
    }

    private static List<GalleryNumber> Numbers(List<Result> results, Sizes sizes)
    {
        var numbers = new List<GalleryNumber>();
        foreach (var result in results)
        {
            string beta = result.Label;
            string comment = $"{result.Trained} (the paper trains on all 737,280 for far longer)";
            string codes = result.IsGan ? " Scored on the recognition head's means of the 5 continuous codes, on images averaged to the InfoGAN's side." : string.Empty;
            numbers.Add(new GalleryNumber($"{beta}: β-VAE metric (test accuracy, chance 0.2)", result.Scores.Metric.Accuracy, null, "",
                $"{sizes.MetricPoints} training and {sizes.MetricPoints / 2} test points of {sizes.MetricPairs} pairs; the paper reports the β-VAE far above the VAE, InfoGAN and DC-IGN on 2-D shapes. {comment}.{codes}"));
            numbers.Add(new GalleryNumber($"{beta}: mutual information gap", result.Scores.Mig.Score, null, "", $"{sizes.MigItems:N0} items, {MutualInformationGap.DefaultBins} bins (Chen et al. 2018).{codes}"));
            if (result.Posterior is { } posterior)
            {
                numbers.Add(new GalleryNumber($"{beta}: KL(q(z|x) ‖ p(z))", posterior.TotalKl, null, "nats", "mean over the training images"));
                numbers.Add(new GalleryNumber($"{beta}: active latents (Cov μ > 0.01)", posterior.ActiveUnits, null, "of 10"));
                numbers.Add(new GalleryNumber($"{beta}: reconstruction −log p(x|z), last epoch", result.Reconstruction ?? double.NaN, null, "nats"));
            }
            else
            {
                numbers.Add(new GalleryNumber($"{beta}: image change Δ of the most effective code", result.Weight[result.Order[0]], null, "per pixel",
                    string.Create(CultureInfo.InvariantCulture, $"mean |G(c = +1) − G(c = −1)| over {InfoganRow.MovementDraws} draws of the rest of z; {result.Name(result.Order[^1])}, the least effective, {result.Weight[result.Order[^1]]:0.000}")));
            }
        }

        return numbers;
    }

    private static List<GalleryTable> Tables(List<Result> results, IFactorSource shapes)
    {
        var vaes = results.Where(r => !r.IsGan).ToList();
        var gan = results.Single(r => r.IsGan);
        var klRows = new List<IReadOnlyList<string>>();
        int latent = vaes[0].Order.Length;
        for (int rank = 0; rank < latent; rank++)
        {
            var row = new List<string> { (rank + 1).ToString(CultureInfo.InvariantCulture) };
            row.AddRange(vaes.Select(result => $"{result.Name(result.Order[rank])}: {result.Weight[result.Order[rank]].ToString("0.000", CultureInfo.InvariantCulture)}"));
            klRows.Add(row);
        }

        // The InfoGAN's codes by image change, with the factor each informs most (mutual information, nats).
        var codeRows = new List<IReadOnlyList<string>>();
        var information = gan.Scores.Mig.MutualInformation;
        foreach (int code in gan.Order)
        {
            int factor = Enumerable.Range(0, shapes.FactorNames.Count).MaxBy(f => information[code, f]);
            codeRows.Add([gan.Name(code), gan.Weight[code].ToString("0.000", CultureInfo.InvariantCulture), shapes.FactorNames[factor], information[code, factor].ToString("0.000", CultureInfo.InvariantCulture)]);
        }

        var migRows = new List<IReadOnlyList<string>>();
        for (int f = 0; f < shapes.FactorNames.Count; f++)
        {
            var row = new List<string> { shapes.FactorNames[f] };
            row.AddRange(results.Select(r => r.Scores.Mig.PerFactor[f].ToString("0.000", CultureInfo.InvariantCulture)));
            migRows.Add(row);
        }

        return
        [
            new GalleryTable("KL per latent (nats), by rank", ["rank", .. vaes.Select(r => r.Label)], klRows).Validate(),
            new GalleryTable("Mutual information gap per factor", ["factor", .. results.Select(r => r.Label)], migRows).Validate(),
            new GalleryTable("InfoGAN codes by image change Δ (mean |pixel(+1) − pixel(−1)|), with the factor each code informs most", ["code", "Δ", "factor", "mutual information (nats)"], codeRows).Validate(),
        ];
    }

    private static string Describe(Sizes sizes) =>
        $"shapes: a seeded random {sizes.Items:N0} of the 737,280 64×64 images (3 shapes × 6 scales × 40 rotations × 32 × 32 positions), "
        + $"{sizes.Epochs} epochs of batch {sizes.Batch}"
        + (sizes.Encoder is null ? "; the paper's 2-D shapes VAE" : $"; smaller layers ({sizes.Encoder} / {sizes.Decoder}) than the paper's at this scale")
        + $"; {sizes.Dcign.Describe(sizes.Items)}; {Infogan(sizes.Scale)}; the metrics draw fresh images from all 737,280.";

    private static string Infogan(GalleryScale scale)
    {
        var row = InfoganRow.For(scale);
        return $"InfoGAN: {row.Trained} (a seeded random sample; each 4×4 or 2×2 block of the 64×64 image averaged), batch {InfoganRow.Batch}, Adam 1e-3 / 2e-4, β₁ 0.5"
            + (row.Generator is null ? "; the preset's layers" : $"; narrowed layers (generator {row.Generator}; discriminator {row.Discriminator}; recognition {row.Recognition})");
    }

    // Row 0 of a map is the first value of y (the top of the image); the heatmap draws row 0 at the top of its axis,
    // whose y runs upwards, so the rows are flipped to put y = 0 at the bottom of the axis.
    private static double[,] FlipRows(double[,] map)
    {
        int rows = map.GetLength(0), columns = map.GetLength(1);
        var flipped = new double[rows, columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                flipped[rows - 1 - r, c] = map[r, c];
            }
        }

        return flipped;
    }

    private static string Count(int count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");

    private static char Letter(int row) => (char)('a' + row);

    private static string Label(float beta) => beta.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>One row's model: its label, its part, how it trains (on the first <paramref name="Limit"/> images, or all) and the command that trains it.</summary>
    private sealed record RowModel(string Label, string Part, TrainingRunOptions Options, int? Limit, string Train, string Trained);

    /// <summary>
    /// One row's measurements: its units (latents "z0"… or InfoGAN codes "c1"…) in the row's order, each unit's weight
    /// (KL in nats, or the InfoGAN's image change), the traversal at 64×64, the scores, and for a VAE its posterior.
    /// </summary>
    private sealed record Result(
        string Label,
        string Trained,
        int[] Order,
        string Unit,
        double[] Weight,
        string WeightName,
        Tensor Traversal,
        RowScores Scores,
        PosteriorStatistics? Posterior,
        double? Reconstruction)
    {
        public bool IsGan => Posterior is null;

        // VAE latents are named from 0 as latent traverse and eval name them; InfoGAN codes from 1 as latent traverse does.
        public string Name(int unit) => string.Create(CultureInfo.InvariantCulture, $"{Unit}{(IsGan ? unit + 1 : unit)}");
    }

    private sealed record RowScores(BetaVaeMetricResult Metric, MutualInformationGapResult Mig, FactorResponse Position, FactorResponse Scale, FactorResponse Rotation);

    /// <summary>The experiment's sizes at one scale.</summary>
    private sealed record Sizes(GalleryScale Scale, int Items, int Epochs, int Batch, string? Encoder, string? Decoder, int MetricPoints, int MetricPairs, int MigItems, int MapSamples, int CurveSamples, DcignSizes Dcign)
    {
        // DC-IGN's layers with fewer channels: convolutions at 64×64 cost ~100× an FC layer of the β rows per image.
        private const string NarrowEncoder = "conv8k3s1p1,pool2,conv16k3s1p1,pool2,conv32k3s1p1,pool2";
        private const string NarrowDecoder = "fc2048,unflatten32x8x8,up2,conv16k3s1p1,up2,conv8k3s1p1,up2,conv1k3s1p1:none";

        public string Data => $"shapes:n={Items}";

        public static Sizes For(GalleryScale scale) => scale switch
        {
            GalleryScale.Toy => new Sizes(scale, 3000, 4, 64, "fc256", "fc256:tanh", 120, 16, 2000, 1, 16, new DcignSizes(null, 2, 32, NarrowEncoder, NarrowDecoder)),
            // Quick: DC-IGN trains 1 epoch (2 before the InfoGAN row was added) to keep the figure near its earlier time.
            GalleryScale.Quick => new Sizes(scale, 10_000, 5, 128, null, null, 300, 32, 5000, 2, 64, new DcignSizes(null, 1, 64, NarrowEncoder, NarrowDecoder)),
            _ => new Sizes(scale, 100_000, 8, 128, null, null, 800, 64, 10_000, 4, 256,
                new DcignSizes(20_000, 2, 64, "conv16k3s1p1,pool2,conv32k3s1p1,pool2,conv32k3s1p1,pool2", "fc2048,unflatten32x8x8,up2,conv32k3s1p1,up2,conv16k3s1p1,up2,conv1k3s1p1:none")),
        };
    }

    /// <summary>The DC-IGN row's training: the first <paramref name="Limit"/> images (null: all), epochs, batch, and its layers (null: the preset's).</summary>
    private sealed record DcignSizes(int? Limit, int Epochs, int Batch, string? Encoder, string? Decoder)
    {
        /// <summary>RMSprop's rate: the preset's 5e-4 learns too little in these few epochs.</summary>
        public float LearningRate => 1e-3f;

        public string Describe(int items) =>
            $"DC-IGN: {(Limit is { } limit ? $"the first {limit:N0} of the images" : "the same images")}, {Count(Epochs, "epoch")} of batch {Batch}, RMSprop {LearningRate.ToString(CultureInfo.InvariantCulture)}"
            + (Encoder is null ? "; the table's DC-IGN layers" : $"; narrower layers ({Encoder} / {Decoder}) than the table's 96-48-48 channels at this scale")
            + (Limit is null ? string.Empty : $" (of the {items:N0})");
    }
}
