using System.Globalization;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Gallery;

/// <summary>
/// The binary autoencoder on the one-hot vectors 0..7 (Note B, semantic hashing): with three bits the eight items
/// need the eight distinct codes, and the decoder reconstructs each item exactly from its code.
/// </summary>
internal sealed class BinaryCodesFigure : GalleryFigure
{
    private const int Bits = 3;

    /// <inheritdoc/>
    public override string Id => "binary-codes";

    /// <inheritdoc/>
    public override int Order => 4;

    /// <inheritdoc/>
    public override string Title => "A binary autoencoder gives the eight one-hot vectors eight distinct 3-bit codes";

    /// <inheritdoc/>
    public override string Source => "Note B (binary codes; Salakhutdinov and Hinton's semantic hashing: a noisy sigmoid driven to saturation)";

    /// <inheritdoc/>
    public override string Caption =>
        "The binary-ae preset (encoder fc400, 3 binary units trained through a noisy sigmoid, decoder fc400, Bernoulli likelihood; " +
        "its default optimiser, Adam 1e-3, full batch) on the one-hot vectors of 0..7. (a) The eight inputs. (b) The learned codes " +
        "[a > 0], one row per item, with the bits written in: three bits have exactly eight values, so a perfect code is a " +
        "permutation of 000..111. (c) The decoder's reconstructions from the binary codes (probabilities; rounded, they equal the inputs " +
        "when every code is distinct).";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Commands(GalleryScale scale) =>
    [
        Invariant($"latent train binary-ae --data onehot8 --latent {Bits} --validation 0 --epochs {Epochs(scale)} --checkpoint-every 0 --out runs/binary"),
        "latent encode runs/binary --data onehot8 --out codes.csv   # the 3-bit code of each item",
    ];

    /// <inheritdoc/>
    public override GalleryOutcome Run(GalleryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.Data("onehot8");
        var model = Presets.Defaults("binary-ae", data.Dimension) with { Latent = Bits, Seed = context.Seed };
        var options = new TrainingRunOptions
        {
            Model = model,
            Trainer = new TrainerOptions { Epochs = Epochs(context.Scale), Seed = context.Seed, CheckpointEvery = 0 },
            ValidationFraction = 0,
        };
        var trained = context.Train("binary-ae", options, data);
        var codes = trained.Model.Encode(data.Features);
        var reconstructions = trained.Model.Reconstruct(data.Features);
        int items = data.Count, dimension = data.Dimension;

        var distinct = new HashSet<string>(StringComparer.Ordinal);
        int exact = 0;
        var rows = new List<IReadOnlyList<string>>();
        for (int i = 0; i < items; i++)
        {
            string input = Bitstring(data.Features, i, dimension, 0.5);
            string code = Bitstring(codes, i, Bits, 0.5);
            string rounded = Bitstring(reconstructions, i, dimension, 0.5);
            distinct.Add(code);
            bool same = rounded == input;
            exact += same ? 1 : 0;
            rows.Add([i.ToString(CultureInfo.InvariantCulture), input, code, rounded, same ? "yes" : "no"]);
        }

        var figure = new PlotFigure(1, 3, 360, 380);
        Grid(figure[0, 0], ToArray(data.Features, items, dimension), "(a) inputs: one-hot 0..7", "input unit", false);
        Grid(figure[0, 1], ToArray(codes, items, Bits), "(b) learned 3-bit codes", "bit", true);
        Grid(figure[0, 2], ToArray(reconstructions, items, dimension), "(c) reconstructions p(x | code)", "output unit", false);

        var numbers = new List<GalleryNumber>
        {
            new("distinct codes (of 8)", distinct.Count, 8, "", "three bits have exactly eight values"),
            new("exact reconstructions (of 8, rounded at ½)", exact, 8, "", null),
            new("final training loss (Bernoulli −log p(x|z) per item)", trained.History.Epochs[^1].Train.Total, null, "nats", null),
        };
        var table = new GalleryTable(
            "The learned codes",
            ["item", "input", "code bits", "reconstruction (rounded)", "exact?"],
            rows).Validate();
        string dataWords = Invariant($"onehot8: the {items} one-hot vectors of {dimension} units; binary-ae defaults with --latent {Bits}, no validation split, {options.Trainer.Epochs} epochs of full-batch Adam 1e-3, seed {context.Seed}");
        return new GalleryOutcome(figure, numbers, [table], dataWords);
    }

    private static int Epochs(GalleryScale scale) => scale == GalleryScale.Toy ? 1000 : 4000;

    private static string Bitstring(Tensor values, int row, int columns, double threshold)
    {
        var chars = new char[columns];
        for (int j = 0; j < columns; j++)
        {
            chars[j] = values[row, j] > threshold ? '1' : '0';
        }

        return new string(chars);
    }

    private static double[,] ToArray(Tensor values, int rows, int columns)
    {
        var array = new double[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                array[i, j] = values[i, j];
            }
        }

        return array;
    }

    private static void Grid(ScottPlot.Plot plot, double[,] values, string title, string xLabel, bool writeValues)
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var heatmap = PlotStyle.Heatmap(plot, values, -0.5, columns - 0.5, -0.5, rows - 0.5, "value");
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        if (writeValues)
        {
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    var text = plot.Add.Text(values[i, j] > 0.5 ? "1" : "0", j, rows - 1 - i);
                    text.LabelFontSize = 22;
                    text.LabelBold = true;
                    text.LabelFontColor = ScottPlot.Colors.Black;
                    text.LabelBackgroundColor = ScottPlot.Colors.White.WithAlpha(0.8);
                    text.LabelAlignment = ScottPlot.Alignment.MiddleCenter;
                }
            }
        }

        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, rows).Select(i => (double)(rows - 1 - i))], [.. Enumerable.Range(0, rows).Select(i => i.ToString(CultureInfo.InvariantCulture))]);
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, columns).Select(j => (double)j)], [.. Enumerable.Range(0, columns).Select(j => j.ToString(CultureInfo.InvariantCulture))]);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("item");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
