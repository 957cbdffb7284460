using System.Globalization;
using Latent.Evaluation;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Gallery;

/// <summary>
/// Makhzani and Frey (2013): the filters of 1000-unit tied k-sparse autoencoders for k = 10, 25, 40, 70
/// (Figure 1), the error of a linear classifier on their features against raw pixels, a plain and a dropout
/// autoencoder (Table 1), and the fine-tuned networks against the same network without pre-training (Table 3).
/// </summary>
internal sealed class KSparseFigure : GalleryFigure
{
    private const double HeldOut = 0.1;
    private const float KSparseRate = 5e-3f;
    private static readonly int[] s_filterKs = [10, 25, 40, 70];
    private static readonly int[] s_tableKs = [10, 25, 40];

    public override string Id => "ksparse";

    public override int Order => 6;

    public override string Title => "k-sparse autoencoders: filters, linear classification and fine-tuning";

    public override string Source => "Note C, the k-sparse autoencoder (Makhzani & Frey 2013, Figure 1, Tables 1 and 3)";

    public override string Caption =>
        "The first 100 filters (decoder columns as 28×28 images, each scaled to its own range) of tied k-sparse autoencoders with 1000 "
        + "hidden units, trained keeping the k largest units per image (k = 10, 25, 40, 70) and encoding with the 3k largest: small k "
        + "gives larger, more global strokes, large k local ones. Table 1: the held-out error of a linear classifier (logistic regression) "
        + "on raw pixels and on each model's codes; Table 3: the encoder plus a softmax layer trained end to end (latent finetune), against "
        + "the same network from random weights. The paper trains with SGD and a k schedule for many epochs on full MNIST; Latent uses Adam "
        + "and a fixed k.";

    public override IReadOnlyList<string> Commands(GalleryScale scale)
    {
        var c = CultureInfo.InvariantCulture;
        (int ks, int ae, int tune) = Epochs(scale);
        var commands = new List<string>();
        foreach (int k in s_filterKs)
        {
            commands.Add(string.Create(c, $"latent train ksparse-ae --data mnist-10k --latent 1000 --top-k {k} --tied --lr 0.005 --epochs {ks} --out runs/ksparse-k{k}"));
            commands.Add(string.Create(c, $"latent filters runs/ksparse-k{k} --out ksparse-k{k}-filters.png"));
        }

        commands.Add(string.Create(c, $"latent train ae --data mnist-10k --encoder fc1000 --decoder none --latent 1000 --epochs {ae} --out runs/plain-ae"));
        commands.Add(string.Create(c, $"latent train ae --data mnist-10k --encoder fc1000 --decoder none --latent 1000 --dropout 0.5 --epochs {ae} --out runs/dropout-ae"));
        commands.Add("latent probe --data mnist-10k");
        commands.Add("latent probe runs/ksparse-k25 --data mnist-10k");
        commands.Add(string.Create(c, $"latent finetune runs/ksparse-k25 --data mnist-10k --epochs {tune}"));
        commands.Add(string.Create(c, $"latent finetune runs/dropout-ae --data mnist-10k --epochs {tune}"));
        commands.Add(string.Create(c, $"latent finetune runs/plain-ae --data mnist-10k --epochs {tune} --from-scratch"));
        return commands;
    }

    public override GalleryOutcome Run(GalleryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var c = CultureInfo.InvariantCulture;
        bool full = context.IsAvailable("mnist");
        var all = context.Data(full ? "mnist" : "mnist-10k");
        var data = context.Scale == GalleryScale.Toy ? all.Take(1200) : all;
        int units = context.Choose(100, 1000, 1000);
        (int ksEpochs, int aeEpochs, int tuneEpochs) = Epochs(context.Scale);
        ulong seed = context.Seed;
        var shape = data.ImageShape ?? new ImageShape(1, 28, 28);

        var kSparse = new Dictionary<int, Autoencoder>();
        foreach (int k in s_filterKs)
        {
            var options = Presets.Defaults("ksparse-ae", data.Dimension) with { Latent = units, TopK = k, TiedWeights = true, Seed = seed };
            kSparse[k] = context.Train($"ksparse-k{k}", Run(options, ksEpochs, KSparseRate, seed), data).Model;
        }

        // The shallow autoencoders of Table 1: 1000 ReLU hidden units (dropped with p = 0.5 in the dropout AE), a linear
        // 1000-unit code and a linear decoder; the code is a linear map of the hidden units, so a linear classifier on it
        // sees what it would see on them.
        var shallow = Presets.Defaults("ae", data.Dimension) with { Encoder = string.Create(c, $"fc{units}"), Decoder = string.Empty, Latent = units, Seed = seed };
        var plain = context.Train("plain-ae", Run(shallow, aeEpochs, 1e-3f, seed), data).Model;
        var dropout = context.Train("dropout-ae", Run(shallow.WithDropout(0.5f), aeEpochs, 1e-3f, seed), data).Model;

        var rows = new List<(string Name, double? Published, Autoencoder? Model)> { ("raw pixels", 7.20, null), ("plain autoencoder", null, plain), ("dropout autoencoder (50 % hidden)", 1.80, dropout) };
        var published = new Dictionary<int, double> { [10] = 2.10, [25] = 1.35, [40] = 1.54 };
        rows.AddRange(s_tableKs.Select(k => ($"k-sparse autoencoder, k = {k}", (double?)published[k], (Autoencoder?)kSparse[k])));
        var probes = new List<(string Name, double? Published, LinearProbeResult Result)>();
        for (int i = 0; i < rows.Count; i++)
        {
            context.Report($"linear classifier: {rows[i].Name}", (double)i / rows.Count);
            probes.Add((rows[i].Name, rows[i].Published, LinearProbe.Measure(data, HeldOut, seed, rows[i].Model)));
        }

        var tuning = new FineTuningOptions { Epochs = tuneEpochs, ValidationFraction = HeldOut, Seed = seed };
        var tuned = new List<(string Name, double Published, FineTuningResult Result)>();
        foreach ((string name, double value, Autoencoder model, bool scratch) in new[]
        {
            ("without pre-training (the plain AE's network, random weights)", 1.60, plain, true),
            ("k-sparse autoencoder, k = 25", 1.08, kSparse[25], false),
            ("dropout autoencoder (shallow)", 1.05, dropout, false),
        })
        {
            tuned.Add((name, value, FineTuning.Run(model, data, tuning with { FromScratch = scratch }, (stage, fraction) => context.Report($"{name}: {stage}", fraction))));
        }

        var figure = new PlotFigure(1, s_filterKs.Length, 330, 360);
        int shown = Math.Min(100, units);
        for (int i = 0; i < s_filterKs.Length; i++)
        {
            using var images = DecoderFilters.Images(kSparse[s_filterKs[i]], shown);
            PlotStyle.ImageGridPanel(figure[0, i], images.Span, shown, shape, $"({(char)('a' + i)}) k = {s_filterKs[i]}", columns: 10);
        }

        string dataName = full ? "MNIST" : "mnist-10k";
        var numbers = new List<GalleryNumber>();
        string probeComment = string.Create(c, $"{dataName}, {probes[0].Result.HeldOutItems} held-out images; logistic regression fitted on {probes[0].Result.TrainItems}");
        foreach (var probe in probes)
        {
            numbers.Add(new GalleryNumber($"Linear classifier error: {probe.Name}", probe.Result.HeldOutError * 100, probe.Published, "%", probeComment));
        }

        string tuneComment = string.Create(c, $"{dataName}, {tuned[0].Result.HeldOutItems} held-out images; Adam, {tuneEpochs} epochs");
        foreach (var tune in tuned)
        {
            numbers.Add(new GalleryNumber($"Fine-tuned error: {tune.Name}", tune.Result.HeldOutError * 100, tune.Published, "%", tuneComment));
        }

        string Percent(double? value) => value is { } v ? v.ToString("F2", c) + " %" : "–";
        var table1 = new GalleryTable(
            "Table 1: linear classifier on unsupervised features (held-out error)",
            ["features", "published (MNIST)", "measured"],
            [.. probes.Select(p => (IReadOnlyList<string>)[p.Name, Percent(p.Published), Percent(p.Result.HeldOutError * 100)])]).Validate();
        var table3 = new GalleryTable(
            "Table 3: encoder + softmax layer fine-tuned end to end (held-out error)",
            ["network", "published (MNIST)", "measured"],
            [.. tuned.Select(t => (IReadOnlyList<string>)[t.Name, Percent(t.Published), Percent(t.Result.HeldOutError * 100)])]).Validate();

        string scaleNote = context.Scale == GalleryScale.Full
            ? string.Empty
            : $" {context.Scale} scale: {units} hidden units, {ksEpochs} epochs (k-sparse), {aeEpochs} (plain and dropout AEs), {tuneEpochs} of fine-tuning{(context.Scale == GalleryScale.Toy ? $", the first {data.Count} images" : string.Empty)}.";
        string text = string.Create(c,
            $"{(full ? "MNIST" : "mnist-10k (full MNIST is not on this machine)")}: every model is trained on the same {probes[0].Result.TrainItems} images and every error is measured on the same {probes[0].Result.HeldOutItems} held-out ones (a stratified split, seed {seed}); the paper's errors are on the 10,000 MNIST test images after training on 60,000.{scaleNote}");
        return new GalleryOutcome(figure, numbers, [table1, table3], text);
    }

    private static (int KSparse, int Autoencoder, int FineTuning) Epochs(GalleryScale scale) => scale switch
    {
        GalleryScale.Toy => (2, 2, 3),
        GalleryScale.Quick => (5, 3, 3),
        _ => (30, 30, 20),
    };

    private static TrainingRunOptions Run(AutoencoderOptions model, int epochs, float rate, ulong seed) => new()
    {
        Model = model,
        Trainer = new TrainerOptions { Epochs = epochs, LearningRate = rate, Seed = seed },
        ValidationFraction = HeldOut,
    };
}
