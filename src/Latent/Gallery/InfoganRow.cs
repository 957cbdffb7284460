using System.Globalization;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Gallery;

/// <summary>
/// The InfoGAN row of <see cref="BetaVaeTraversalsFigure"/>: an <c>infogan</c> (5 continuous codes, 5 noise values) trained
/// on the shapes images averaged down to <see cref="Side"/>×<see cref="Side"/>, its codes ordered by how far each moves
/// the generated image, and its traversal (one code over [−1, 1], the rest of z fixed at a seeded draw) upscaled to the
/// VAE rows' 64×64 tiles.
/// </summary>
/// <param name="Side">The images' side: 16 below full scale (a 64×64 InfoGAN does not train in the quick budget), 32 at full.</param>
/// <param name="Items">Training images: a seeded random sample of the 737,280.</param>
/// <param name="Epochs">Training epochs.</param>
/// <param name="Generator">The generator's layers, or null for the preset's.</param>
/// <param name="Discriminator">The discriminator's layers, or null for the preset's.</param>
/// <param name="Recognition">The recognition head's hidden layers, or null for the preset's.</param>
internal sealed record InfoganRow(int Side, int Items, int Epochs, string? Generator, string? Discriminator, string? Recognition)
{
    /// <summary>The row's part (run folder) in the figure's work folder.</summary>
    public const string Part = "infogan";

    /// <summary>Batch size: the narrowed network's (tests/…/InfoganShapesTests) and the preset's at full scale.</summary>
    public const int Batch = 64;

    /// <summary>The seed of the z whose noise and other codes the traversal keeps fixed (<c>latent traverse --seed</c>).</summary>
    public const ulong TraversalSeed = 0;

    /// <summary>The draws of z over which each code's effect on the image is averaged to order the rows.</summary>
    public const int MovementDraws = 128;

    private const ulong MovementSeed = 17;

    /// <summary>
    /// The row at <paramref name="scale"/>: at toy and quick scale the narrowed 16×16 network of InfoganShapesTests
    /// (generator fc128-fc128 → 32×2×2, deconv 32-16-1; discriminator conv16-conv32-fc128; recognition fc64), which
    /// finds position in seconds; at full scale the preset's layers at 32×32.
    /// </summary>
    public static InfoganRow For(GalleryScale scale) => scale switch
    {
        GalleryScale.Toy => Narrow(2048, 4),
        GalleryScale.Quick => Narrow(8192, 8),
        // Full: the preset's layers at 32×32 train at about 3.9 ms an image on 2 cores (one epoch of 2,048 in 7.9 s), so
        // 8 epochs of 12,288 take about 6 minutes of the full gallery's 90.
        _ => new InfoganRow(32, 12_288, 8, null, null, null),
    };

    /// <summary>The training data set's specification.</summary>
    public string Data => string.Create(CultureInfo.InvariantCulture, $"shapes:side={Side},n={Items}");

    /// <summary>The factor source at the row's side (every one of the 737,280 images, drawn on demand).</summary>
    public string FactorData => string.Create(CultureInfo.InvariantCulture, $"shapes:side={Side}");

    /// <summary>The network's options (the preset's codes and noise, the row's layers).</summary>
    public AdversarialOptions Network
    {
        get
        {
            var options = AdversarialPresets.Defaults("infogan", new ImageShape(1, Side, Side)) with { Seed = 0 };
            return Generator is null ? options : options with { Generator = Generator, Discriminator = Discriminator!, Recognition = Recognition! };
        }
    }

    /// <summary>The <c>latent train</c> command that trains the row's network into <paramref name="run"/>.</summary>
    public string TrainCommand(string run) =>
        string.Create(CultureInfo.InvariantCulture, $"latent train infogan --data {Data}")
        + (Generator is null ? string.Empty : $" --generator {Generator} --discriminator {Discriminator} --recognition {Recognition}")
        + string.Create(CultureInfo.InvariantCulture, $" --epochs {Epochs} --batch {Batch} --seed 0 --out {run}");

    /// <summary>What the row trains on, for the numbers' comments.</summary>
    public string Trained => string.Create(CultureInfo.InvariantCulture, $"{Items:N0} shapes images averaged to {Side}×{Side}, {Epochs} epochs");

    /// <summary>Trains the row's network on <paramref name="data"/> as <c>latent train infogan</c> does, into the part's run folder.</summary>
    public AdversarialTrainingResult Train(GalleryContext context, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Report("training infogan", 0);
        var recommended = AdversarialPresets.RecommendedTrainer("infogan");
        var trainer = new TrainerOptions
        {
            Epochs = Epochs,
            BatchSize = Batch,
            LearningRate = recommended.GeneratorLearningRate,
            DiscriminatorLearningRate = recommended.DiscriminatorLearningRate,
            Beta1 = recommended.Beta1,
            Seed = 0,
            CheckpointEvery = 0,
        };

        // A run folder like latent train's, so that latent traverse and eval open the part.
        return AdversarialTrainingRun.Train(new AdversarialRunOptions { Network = Network, Trainer = trainer }, data, Path.Combine(context.Folder, Part));
    }

    /// <summary>
    /// How far each continuous code moves the generated image: the mean absolute pixel difference between the images at
    /// code −1 and +1, the rest of z drawn <see cref="MovementDraws"/> times. A code the generator ignores scores 0.
    /// </summary>
    public static double[] Movement(AdversarialNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var options = network.Options;
        var z = network.DrawLatent(MovementDraws, MovementSeed);
        var movement = new double[options.ContinuousCodes];
        for (int code = 0; code < movement.Length; code++)
        {
            var low = network.Generate(WithCode(z, options.Noise + code, -1f));
            var high = network.Generate(WithCode(z, options.Noise + code, 1f));
            double sum = 0;
            for (int i = 0; i < low.Span.Length; i++)
            {
                sum += Math.Abs(high.Span[i] - low.Span[i]);
            }

            movement[code] = sum / low.Span.Length;
        }

        return movement;
    }

    /// <summary>
    /// The traversal: for each code of <paramref name="order"/>, <paramref name="steps"/> images with that code running
    /// evenly over [−1, 1] and the rest of z at the draw of <see cref="TraversalSeed"/> (as <c>latent traverse</c> draws it),
    /// each image enlarged by pixel replication to <paramref name="size"/>×<paramref name="size"/>.
    /// </summary>
    public static Tensor Traverse(AdversarialNetwork network, int[] order, int steps, int size)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(order);
        var codes = network.CodeTraversal(network.DrawLatent(1, TraversalSeed).Row(0), order, steps, 1f);
        return Enlarge(network.Generate(codes), network.Options.InputShape!.Value.Height, size);
    }

    // Each side × side image as size × size, every pixel a (size / side)² block, so the row's tiles match the 64×64 rows'.
    private static Tensor Enlarge(Tensor images, int side, int size)
    {
        int factor = size / side;
        var large = Tensor.Zeros(images.Rows, size * size);
        for (int i = 0; i < images.Rows; i++)
        {
            var source = images.Row(i);
            var target = large.Row(i);
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    target[(y * size) + x] = source[((y / factor) * side) + (x / factor)];
                }
            }
        }

        return large;
    }

    private static Tensor WithCode(Tensor z, int column, float value)
    {
        var copy = z.Clone();
        for (int i = 0; i < copy.Rows; i++)
        {
            copy.Row(i)[column] = value;
        }

        return copy;
    }

    private static InfoganRow Narrow(int items, int epochs) => new(
        16,
        items,
        epochs,
        "fc128:none,bn:relu,fc128:none,bn:relu,unflatten32x2x2,deconv32k4s2p1:none,bn:relu,deconv16k4s2p1:none,bn:relu,deconv1k4s2p1:sigmoid",
        "conv16k4s2p1:leaky-relu0.2,conv32k4s2p1:none,bn:leaky-relu0.2,fc128:none,bn:leaky-relu0.2",
        "fc64:none,bn:leaky-relu0.2");
}
