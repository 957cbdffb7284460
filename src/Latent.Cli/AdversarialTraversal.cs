using System.Globalization;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary>
/// <c>latent traverse</c> on an InfoGAN run: one row per continuous code, run evenly over [−range, range], then one row
/// per categorical code with one column per category, the rest of z fixed at one seeded draw.
/// </summary>
internal static class AdversarialTraversal
{
    /// <summary>The largest --range: twice the codes' prior support, already an extrapolation the generator never saw in training.</summary>
    internal const float MaxRange = 2f;

    /// <summary>Writes the traversal of <paramref name="network"/> to <paramref name="path"/> as a PNG grid; returns the exit code.</summary>
    /// <exception cref="ArgumentException">The network has no codes (a DCGAN), or a value is out of range.</exception>
    public static int Write(AdversarialNetwork network, string run, int steps, float range, int dims, ulong seed, string path)
    {
        var options = network.Options;
        if (!options.HasCodes)
        {
            throw new ArgumentException($"{run} is a {options.Preset} GAN without codes: its z is noise, with no code to traverse. Train an infogan (latent train infogan, or --codes / --categorical) for traversals.");
        }

        if (steps < 2 || !(range > 0) || range > MaxRange)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"--steps must be at least 2 and --range in (0, {MaxRange}] (the codes are U(−1, 1); up to {MaxRange} extrapolates); got {steps} and {range}."));
        }

        // Rows: the continuous codes, then the categorical ones; --dims keeps the first.
        var rows = Enumerable.Range(0, options.ContinuousCodes).Select(c => (Continuous: true, Index: c))
            .Concat(Enumerable.Range(0, options.CategoricalCodes.Count).Select(c => (Continuous: false, Index: c)))
            .Take(dims > 0 ? dims : int.MaxValue).ToArray();
        int columns = Math.Max(steps, rows.Where(r => !r.Continuous).Select(r => options.CategoricalCodes[r.Index]).DefaultIfEmpty(0).Max());
        OutputBudget.Check("--steps × codes", (long)rows.Length * columns, network.Inputs);

        var origin = network.DrawLatent(1, seed).Row(0).ToArray();
        var images = new float[rows.Length * columns * network.Inputs];
        for (int r = 0; r < rows.Length; r++)
        {
            var codes = rows[r].Continuous ? network.CodeTraversal(origin, [rows[r].Index], steps, range) : Categorical(options, origin, rows[r].Index);

            // A row shorter than the grid (a code of fewer categories than --steps) ends in blank tiles.
            network.Generate(codes).Span.CopyTo(images.AsSpan(r * columns * network.Inputs));
        }

        Png.Write(path, ImageGrid.Compose(images, rows.Length * columns, options.InputShape ?? ImageShapes.For(network.Inputs), columns: columns));
        string described = string.Join("; ", rows.Select(r => r.Continuous
            ? string.Create(CultureInfo.InvariantCulture, $"c{r.Index + 1} over [−{range:G3}, {range:G3}]")
            : $"categorical code {r.Index + 1} (one column per category, {options.CategoricalCodes[r.Index]})"));
        Console.WriteLine($"wrote {rows.Length} rows to {path}: {described}; the rest of z fixed at the draw of --seed {seed}");
        return 0;
    }

    private static Tensor Categorical(AdversarialOptions options, float[] origin, int code)
    {
        int offset = options.Noise + options.ContinuousCodes + options.CategoricalCodes.Take(code).Sum();
        int categories = options.CategoricalCodes[code];
        var codes = Repeat(origin, categories);
        for (int k = 0; k < categories; k++)
        {
            var row = codes.Row(k).Slice(offset, categories);
            row.Clear();
            row[k] = 1f;
        }

        return codes;
    }

    private static Tensor Repeat(float[] origin, int count)
    {
        var codes = Tensor.Zeros(count, origin.Length);
        for (int i = 0; i < count; i++)
        {
            origin.CopyTo(codes.Row(i));
        }

        return codes;
    }
}
