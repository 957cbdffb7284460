using Latent.Tensors;
namespace Latent.Data;

/// <summary>
/// The <c>shapes</c> set (after dSprites): 64×64 binary images of a square, an ellipse or a heart at every
/// combination of 6 scales, 40 rotations, 32 x positions and 32 y positions — 737,280 images, each drawn
/// on demand from its index, never all held in memory. The label is the shape; <see cref="GetFactors"/>
/// gives all five factors, and as an <see cref="IFactorSource"/> the set tells the disentanglement metrics
/// each item's factors.
/// </summary>
/// <remarks>
/// Index order (slowest first): shape, scale, rotation, x, y. Factor values: scale 0.5 + 0.1·i (0.5 … 1.0);
/// rotation 2π·i/40; x and y i/31 in [0, 1]. A pixel (px, py) is on when its centre, moved to the shape's
/// frame — (u, v) = R(−θ)·(px + ½ − cx, py + ½ − cy) / (10·scale) with centre c = 16 + 32·(x, y) — is inside
/// the unit shape: square max(|u|, |v|) ≤ 1; ellipse u² + 4v² ≤ 1; heart (a² + b² − 1)³ − a²b³ ≤ 0 with
/// a = 1.2u, b = 0.15 − 1.2v. Every shape stays inside the frame at every rotation.
/// <para>
/// A smaller <see cref="Side"/> (32, 16 or 8; the catalog's <c>shapes:side=16</c>) gives the same images averaged over
/// blocks of (64 / side)² pixels: the same factors at a resolution small networks train on in seconds.
/// </para>
/// </remarks>
public sealed class ShapesSource : IFactorSource
{
    /// <summary>The side in pixels of the drawn images (64 × 64, one channel).</summary>
    public const int Size = 64;

    /// <summary>The sides an image may be averaged down to.</summary>
    public static IReadOnlyList<int> Sides { get; } = [64, 32, 16, 8];

    /// <summary>The full-resolution set: 64×64 images.</summary>
    public ShapesSource()
        : this(Size)
    {
    }

    /// <summary>The set at <paramref name="side"/>×<paramref name="side"/> pixels (one of <see cref="Sides"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The side is not one of <see cref="Sides"/>.</exception>
    public ShapesSource(int side)
    {
        if (!Sides.Contains(side))
        {
            throw new ArgumentOutOfRangeException(nameof(side), side, $"shapes: side {side} is not one of {string.Join(", ", Sides)} (the 64×64 images averaged over square blocks).");
        }

        Side = side;
    }

    /// <summary>The images' side in pixels: 64, or the side they are averaged down to.</summary>
    public int Side { get; }

    private const double BaseRadius = 10;

    /// <summary>The factor names, slowest-varying first.</summary>
    public static IReadOnlyList<string> FactorNames { get; } = ["shape", "scale", "rotation", "x", "y"];

    /// <summary>The number of values of each factor.</summary>
    public static IReadOnlyList<int> FactorSizes { get; } = [3, 6, 40, 32, 32];

    /// <summary>The shape names, by label.</summary>
    public static IReadOnlyList<string> ShapeNames { get; } = ["square", "ellipse", "heart"];

    /// <inheritdoc/>
    public string Name => Side == Size ? "shapes" : $"shapes:side={Side}";

    /// <inheritdoc/>
    public int Count => 3 * 6 * 40 * 32 * 32;

    /// <inheritdoc/>
    public int Dimension => Side * Side;

    /// <inheritdoc/>
    public ImageShape? ImageShape => new ImageShape(1, Side, Side);

    /// <inheritdoc/>
    public bool HasLabels => true;

    IReadOnlyList<string> IFactorSource.FactorNames => FactorNames;

    IReadOnlyList<int> IFactorSource.FactorSizes => FactorSizes;

    int IFactorSource.IndexOf(ReadOnlySpan<int> factors) => IndexOf(factors);

    /// <summary>Copies the factor indices (shape, scale, rotation, x, y) of items <paramref name="indices"/> into <paramref name="destination"/> (5 per item).</summary>
    public void CopyFactors(ReadOnlySpan<int> indices, Span<int> destination)
    {
        if (destination.Length != indices.Length * 5)
        {
            throw new ArgumentException($"The factors of {indices.Length} items take {indices.Length * 5} values; the destination holds {destination.Length}.", nameof(destination));
        }

        for (int i = 0; i < indices.Length; i++)
        {
            GetFactors(indices[i], destination.Slice(i * 5, 5));
        }
    }

    /// <summary>The factor indices of item <paramref name="index"/> (shape, scale, rotation, x, y).</summary>
    public static void GetFactors(int index, Span<int> factors)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, 3 * 6 * 40 * 32 * 32);
        if (factors.Length != 5)
        {
            throw new ArgumentException("There are 5 factors.", nameof(factors));
        }

        for (int f = 4; f >= 0; f--)
        {
            factors[f] = index % FactorSizes[f];
            index /= FactorSizes[f];
        }
    }

    /// <summary>The item index of the factor indices (the inverse of <see cref="GetFactors"/>).</summary>
    public static int IndexOf(ReadOnlySpan<int> factors)
    {
        if (factors.Length != 5)
        {
            throw new ArgumentException("There are 5 factors.", nameof(factors));
        }

        int index = 0;
        for (int f = 0; f < 5; f++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(factors[f], nameof(factors));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(factors[f], FactorSizes[f], nameof(factors));
            index = (index * FactorSizes[f]) + factors[f];
        }

        return index;
    }

    /// <summary>The value of factor <paramref name="factor"/> at index <paramref name="value"/>.</summary>
    public static double FactorValue(int factor, int value) => factor switch
    {
        0 => value,
        1 => 0.5 + (0.1 * value),
        2 => 2 * Math.PI * value / 40,
        _ => value / 31.0,
    };

    /// <inheritdoc/>
    public void CopyRows(ReadOnlySpan<int> indices, Span<float> destination)
    {
        SourceChecks.Rows(this, indices, destination.Length);
        Span<int> factors = stackalloc int[5];
        float[]? full = Side == Size ? null : new float[Size * Size];
        for (int i = 0; i < indices.Length; i++)
        {
            GetFactors(indices[i], factors);
            var image = destination.Slice(i * Dimension, Dimension);
            if (full is null)
            {
                Render(factors, image);
            }
            else
            {
                Render(factors, full);
                Average(full, image, Size / Side);
            }
        }
    }

    // The mean of each block × block square of the 64×64 image.
    private static void Average(ReadOnlySpan<float> full, Span<float> image, int block)
    {
        int side = Size / block;
        float weight = 1f / (block * block);
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                float sum = 0;
                for (int dy = 0; dy < block; dy++)
                {
                    var row = full.Slice((((y * block) + dy) * Size) + (x * block), block);
                    foreach (float value in row)
                    {
                        sum += value;
                    }
                }

                image[(y * side) + x] = sum * weight;
            }
        }
    }

    /// <inheritdoc/>
    public void CopyLabels(ReadOnlySpan<int> indices, Span<int> destination)
    {
        SourceChecks.Labels(this, indices, destination.Length);
        for (int i = 0; i < indices.Length; i++)
        {
            destination[i] = indices[i] / (6 * 40 * 32 * 32);
        }
    }

    /// <summary>Draws the image with the given factor indices into <paramref name="image"/> (64·64 values, 0 or 1).</summary>
    public static void Render(ReadOnlySpan<int> factors, Span<float> image)
    {
        int shape = factors[0];
        double scale = FactorValue(1, factors[1]), angle = FactorValue(2, factors[2]);
        double cx = 16 + (32 * FactorValue(3, factors[3])), cy = 16 + (32 * FactorValue(4, factors[4]));
        double cos = Math.Cos(angle), sin = Math.Sin(angle), inverse = 1 / (BaseRadius * scale);
        for (int py = 0; py < Size; py++)
        {
            double dy = py + 0.5 - cy;
            for (int px = 0; px < Size; px++)
            {
                double dx = px + 0.5 - cx;
                double u = ((cos * dx) + (sin * dy)) * inverse;
                double v = ((-sin * dx) + (cos * dy)) * inverse;
                image[(py * Size) + px] = Inside(shape, u, v) ? 1f : 0f;
            }
        }
    }

    private static bool Inside(int shape, double u, double v)
    {
        switch (shape)
        {
            case 0:
                return Math.Abs(u) <= 1 && Math.Abs(v) <= 1;
            case 1:
                return (u * u) + (4 * v * v) <= 1;
            default:
                double a = 1.2 * u, b = 0.15 - (1.2 * v);
                double r = (a * a) + (b * b) - 1;
                return (r * r * r) - (a * a * b * b * b) <= 0;
        }
    }
}
