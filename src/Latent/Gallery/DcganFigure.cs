using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;
using Latent.Visuals;
using ScottPlot;
using static System.FormattableString;
using PlotStyle = Latent.Visuals.PlotStyle;

namespace Latent.Gallery;

/// <summary>
/// The other family of deep generative models (Note C): a DCGAN's samples and interpolations between generated
/// images beside a VAE's on the same digits, with both measured by the same sample-quality measures
/// (<see cref="SampleQuality"/>): Fréchet distance in the data set's classifier features, the classes found and
/// their entropy, and k-NN precision and recall.
/// </summary>
internal sealed class DcganFigure : GalleryFigure
{
    private const string DataName = "mnist-10k";
    private const int Pairs = 6;
    private const int Steps = 8;
    private const int Shown = 64;
    private const ulong SampleSeed = 1;
    private const double NoiseRow = 3;

    /// <inheritdoc/>
    public override string Id => "dcgan";

    /// <inheritdoc/>
    public override int Order => 18;

    /// <inheritdoc/>
    public override string Title => "DCGAN beside a VAE: samples, interpolations between generated images, quality and diversity";

    /// <inheritdoc/>
    public override string Source => "Note C, GANs and the DCGAN generator (Radford et al. 2016, Figure 1: a 100-D uniform z through strided transposed convolutions); the summary's themes (mode collapse)";

    /// <inheritdoc/>
    public override string Caption =>
        "The notes set the autoencoders against the other family of deep generative models, the GAN, and draw DCGAN's generator: "
        + "a 100-D uniform z projected and reshaped, then strided transposed convolutions up to an image (here the 28×28 dcgan "
        + "preset: fc 6272 → 128×7×7, deconv 64 and deconv 1, 4×4 stride 2, batch norm and ReLU, a sigmoid at the end; a leaky-ReLU "
        + "convolutional discriminator; Adam 2e-4, β₁ 0.5). (a) DCGAN samples from fresh z ~ U(−1, 1)¹⁰⁰ and (b) a VAE's "
        + "(784-400-20, Bernoulli likelihood, its decoder's means) from z ~ N(0, I), both trained on the same mnist-10k digits; "
        + "(c), (d) straight lines in z between pairs of generated images. (e) the classes the data set's feature classifier "
        + "assigns to the samples, against held-out digits; (f) k-NN precision (samples inside the real digits' manifold) "
        + "against recall (real digits inside the samples' manifold). The notes' trade-off: GAN samples are sharp but may drop "
        + "modes (mode collapse is among the summary's themes), VAE samples are blurrier but cover the data. What the pictures "
        + "and numbers show: the DCGAN's strokes are sharp where the VAE's are blurred averages, but many of its digits are "
        + "malformed, so fewer of them fall on the real digits' manifold and its precision is the lower at both scales. "
        + "Coverage moves with training: after the quick scale's 3 epochs the GAN's spread covers more of the data than the "
        + "young VAE's (higher recall, Fréchet distance half the VAE's); after the full scale's 25 epochs the VAE has caught "
        + "up and the GAN favours some digits over others (0 and 7 near a fifth of its samples each, 8 a thirtieth), so its "
        + "recall and class entropy fall below the VAE's and the Fréchet distances meet: the drift toward fewer modes the notes "
        + "warn of, short of a collapse. Both find every digit class at both scales, and the interpolations morph "
        + "continuously in both. The "
        + "Fréchet distance uses the features of a small classifier Latent trains on mnist-10k, not Inception's, so its "
        + "numbers compare models on this data set only; real training images and uniform noise bracket every measure.";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Commands(GalleryScale scale)
    {
        var sizes = Sizes.Of(scale);
        string seeds = string.Join(' ', Enumerable.Range(0, Pairs).Select(PairSeed));
        return
        [
            Invariant($"latent train dcgan --data {DataName} --epochs {sizes.GanEpochs} --batch {sizes.GanBatch} --out runs/dcgan/gan"),
            Invariant($"latent train vae --data {DataName} --epochs {MnistAutoencoderTraining.Epochs(scale)}{MnistAutoencoderTraining.BatchOption(scale)} --out runs/dcgan/vae"),
            Invariant($"latent sample runs/dcgan/gan --count {Shown} --seed {SampleSeed} --out gan-samples.png"),
            Invariant($"latent sample runs/dcgan/vae --count {Shown} --seed {SampleSeed} --out vae-samples.png"),
            Invariant($"for s in {seeds}; do latent interpolate runs/dcgan/gan --seed $s --steps {Steps} --out gan-path$s.png; done"),
            Invariant($"for s in {seeds}; do latent interpolate runs/dcgan/vae --between-samples --seed $s --steps {Steps} --mode linear --out vae-path$s.png; done"),
            Invariant($"latent eval runs/dcgan/gan --data {DataName} --quality-samples {SampleQualityNumbers.Samples(scale)}"),
            Invariant($"latent eval runs/dcgan/vae --data {DataName} --quality-samples {SampleQualityNumbers.Samples(scale)}"),
        ];
    }

    /// <inheritdoc/>
    public override GalleryOutcome Run(GalleryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sizes = Sizes.Of(context.Scale);
        var all = context.Data(DataName);
        var data = all.Take(Math.Min(sizes.Items, all.Count));
        var shape = data.ImageShape ?? new ImageShape(1, 28, 28);

        var vaeTrainer = MnistAutoencoderTraining.Trainer(context);
        var vaeRun = new TrainingRunOptions { Model = Presets.Defaults("vae", shape) with { Seed = context.Seed }, Trainer = vaeTrainer };
        // The GAN trains on the VAE's training split, so that both are measured against images neither has seen.
        (var train, var heldOut) = data.Split(vaeRun.ValidationFraction, vaeTrainer.Seed);
        var gan = TrainGan(context, sizes, shape, train);
        context.Report("training vae", 0.6);
        var vae = context.Train("vae", vaeRun, data).Model;

        context.Report("measuring sample quality", 0.8);
        var measure = SampleQualityNumbers.For(context, DataName, heldOut, "the held-out digits");
        int measured = measure.Count;
        var rows = new (string Name, Tensor Samples)[]
        {
            ("DCGAN", gan.Sample(measured, SampleSeed)),
            ("VAE", Generation.PriorSamples(vae, measured, new Rng(SampleSeed))),
            ("real training images", train.Take(Math.Min(measured, train.Count)).Features),
            ("uniform noise", Noise(measured, data.Dimension, context.Seed + 11)),
        };
        var quality = rows.Select(r => measure.Measure(r.Samples)).ToArray();
        var classes = rows.Select(r => measure.ClassShares(r.Samples)).Append(measure.ClassShares(heldOut.Features)).ToArray();

        context.Report("drawing", 0.95);
        var figure = new PlotFigure(3, 2, 520, 470);
        string[] titles = [Headline("(a) DCGAN samples, z ~ U(−1, 1)¹⁰⁰", quality[0]), Headline("(b) VAE samples (decoder means), z ~ N(0, I)", quality[1])];
        PlotStyle.ImageGridPanel(figure[0, 0], rows[0].Samples.Span[..(Shown * data.Dimension)], Shown, shape, titles[0], 8);
        PlotStyle.ImageGridPanel(figure[0, 1], rows[1].Samples.Span[..(Shown * data.Dimension)], Shown, shape, titles[1], 8);
        PlotStyle.ImageGridPanel(figure[1, 0], GanPaths(gan).Span, Pairs * Steps, shape, Invariant($"(c) DCGAN: between {Pairs} pairs of generated images\n(z seeds {PairSeed(0)}–{PairSeed(Pairs - 1)}), linear in z"), Steps);
        PlotStyle.ImageGridPanel(figure[1, 1], VaePaths(vae).Span, Pairs * Steps, shape, Invariant($"(d) VAE: between {Pairs} pairs of prior draws\n(z seeds {PairSeed(0)}–{PairSeed(Pairs - 1)}), linear in z"), Steps);
        ClassPanel(figure[2, 0], classes, measured, heldOut.Count);
        PrecisionRecallPanel(figure[2, 1], rows.Select(r => r.Name).ToArray(), quality);

        var named = rows.Select((r, i) => (r.Name, quality[i])).ToArray();
        string dataText = Invariant($"{DataName}: {train.Count:N0} training images, {heldOut.Count:N0} held out (the reference of every measure); DCGAN {sizes.GanEpochs} epochs in batches of {sizes.GanBatch}, VAE {vaeTrainer.Epochs} epochs in batches of {vaeTrainer.BatchSize}; {measure.Comment}. latent train dcgan trains on all {DataName}; the figure holds the VAE's validation images out of both");
        return new GalleryOutcome(figure, Numbers(measure, named), [measure.Table(named)], dataText);
    }

    private static AdversarialNetwork TrainGan(GalleryContext context, Sizes sizes, ImageShape shape, Dataset train)
    {
        context.Report("training dcgan", 0);
        var recommended = AdversarialPresets.RecommendedTrainer("dcgan");
        var trainer = new TrainerOptions
        {
            Epochs = sizes.GanEpochs,
            BatchSize = sizes.GanBatch,
            LearningRate = recommended.GeneratorLearningRate,
            DiscriminatorLearningRate = recommended.DiscriminatorLearningRate,
            Beta1 = recommended.Beta1,
            Seed = context.Seed,
            CheckpointEvery = 0,
        };
        var options = new AdversarialRunOptions { Network = AdversarialPresets.Defaults("dcgan", shape) with { Seed = context.Seed }, Trainer = trainer };
        // A run folder like latent train dcgan's, so latent sample, interpolate and eval open the part.
        return AdversarialTrainingRun.Train(options, train, Path.Combine(context.Folder, "gan")).Network;
    }

    private static ulong PairSeed(int pair) => (ulong)pair + 1;

    // Pairs rows of Steps images, each row the linear path between two draws of the GAN's z.
    private static Tensor GanPaths(AdversarialNetwork gan) => Paths(gan.LatentSize, p => gan.DrawLatent(2, PairSeed(p)), gan.Generate);

    private static Tensor VaePaths(Autoencoder vae) => Paths(vae.Latent, p => Generation.PriorPair(vae.Latent, new Rng(PairSeed(p))), vae.Decode);

    private static Tensor Paths(int latent, Func<int, Tensor> ends, Func<Tensor, Tensor> decode)
    {
        var codes = Tensor.Zeros(Pairs * Steps, latent);
        for (int p = 0; p < Pairs; p++)
        {
            var pair = ends(p);
            Generation.InterpolateCodes(pair.Row(0), pair.Row(1), Steps, spherical: false).Span.CopyTo(codes.Span.Slice(p * Steps * latent, Steps * latent));
        }

        return decode(codes);
    }

    private static Tensor Noise(int count, int dimension, ulong seed)
    {
        var noise = Tensor.Zeros(count, dimension);
        new Rng(seed).FillUniform(noise.Span, 0f, 1f);
        return noise;
    }

    private static string Headline(string name, SampleQuality q) =>
        Invariant($"{name}\nFréchet {q.Frechet:F1} · classes {q.Coverage.Found}/{q.Coverage.Classes}, entropy {q.Coverage.Entropy:F2}\nprecision {q.Precision:F2} · recall {q.Recall:F2}");

    private static void ClassPanel(Plot plot, double[][] shares, int measured, int heldOut)
    {
        // Shares of DCGAN, VAE and the held-out digits side by side per class (the training-image and noise rows are in the table).
        (int Row, string Label)[] shown = [(0, "DCGAN"), (1, "VAE"), (4, Invariant($"held-out digits ({heldOut:N0})"))];
        int classes = shares[0].Length;
        double width = 0.8 / shown.Length;
        for (int s = 0; s < shown.Length; s++)
        {
            int row = shown[s].Row;
            var colour = s == 2 ? Colors.Gray : PlotStyle.Colour(s);
            var bars = Enumerable.Range(0, classes).Select(c => new Bar
            {
                Position = c - 0.4 + (width * (s + 0.5)),
                Value = shares[row][c],
                Size = width,
                FillColor = colour,
            }).ToArray();
            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = shown[s].Label, FillColor = colour });
        }

        var uniform = plot.Add.HorizontalLine(1.0 / classes);
        uniform.LinePattern = LinePattern.Dotted;
        uniform.Color = Colors.Black;
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, classes).Select(c => (double)c)], [.. Enumerable.Range(0, classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Axes.SetLimits(-0.6, classes - 0.4, 0, 1.25 * shares.Take(2).Append(shares[4]).Max(s => s.Max()));
        plot.Title(Invariant($"(e) classes the classifier assigns\n(share of {measured:N0} samples; dotted: uniform)"));
        plot.XLabel("class (digit)");
        plot.YLabel("share");
        plot.ShowLegend(Alignment.UpperRight);
    }

    private static void PrecisionRecallPanel(Plot plot, string[] names, SampleQuality[] quality)
    {
        for (int i = 0; i < names.Length; i++)
        {
            var point = plot.Add.Scatter(new[] { quality[i].Recall }, new[] { quality[i].Precision });
            point.Color = i < 2 ? PlotStyle.Colour(i) : i == NoiseRow ? Colors.Black : Colors.Gray;
            point.MarkerSize = 12;
            point.LegendText = Invariant($"{names[i]}: Fréchet {quality[i].Frechet:F1}");
            plot.Add.Text(names[i], quality[i].Recall, quality[i].Precision).LabelAlignment = Alignment.LowerLeft;
        }

        plot.Axes.SetLimits(-0.05, 1.1, -0.05, 1.1);
        plot.Title(Invariant($"(f) k-NN precision (realism) against recall (coverage)\nk = {ManifoldPrecisionRecall.DefaultK}, {quality[0].ManifoldItems:N0} items a side"));
        plot.XLabel("recall: real digits inside the samples' manifold");
        plot.YLabel("precision: samples inside the real digits' manifold");
        plot.ShowLegend(Alignment.LowerRight);
    }

    // The shared Fréchet distance and classes found, then the diversity numbers the figure is about: class entropy,
    // k-NN precision and recall.
    private static List<GalleryNumber> Numbers(SampleQualityNumbers measure, (string Label, SampleQuality Quality)[] rows)
    {
        var numbers = new List<GalleryNumber>();
        foreach ((string label, var q) in rows)
        {
            string manifolds = Invariant($"k = {ManifoldPrecisionRecall.DefaultK} nearest-neighbour manifolds of {q.ManifoldItems:N0} items each");
            numbers.AddRange(measure.Numbers(label, q));
            numbers.Add(new GalleryNumber(SampleQualityNumbers.Name("class entropy", label), q.Coverage.Entropy, null, "nats", Invariant($"ln {q.Coverage.Classes} = {Math.Log(q.Coverage.Classes):F2} for equal classes; the held-out digits: {q.ReferenceCoverage.Entropy:F2}")));
            numbers.Add(new GalleryNumber(SampleQualityNumbers.Name("precision", label), q.Precision, null, string.Empty, manifolds));
            numbers.Add(new GalleryNumber(SampleQualityNumbers.Name("recall", label), q.Recall, null, string.Empty, manifolds));
        }

        return numbers;
    }

    // The figure's size at each scale: quick keeps the figure near a minute on 2 cores (the DCGAN's epochs dominate it).
    // Small batches give the GAN more steps for the same seconds.
    private sealed record Sizes(int Items, int GanEpochs, int GanBatch)
    {
        public static Sizes Of(GalleryScale scale) => scale switch
        {
            GalleryScale.Toy => new Sizes(800, 4, 16),
            GalleryScale.Quick => new Sizes(10_000, 3, 32),
            _ => new Sizes(10_000, 25, 64),
        };
    }
}
