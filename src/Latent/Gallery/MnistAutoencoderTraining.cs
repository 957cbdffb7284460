using Latent.Training;

namespace Latent.Gallery;

/// <summary>
/// The training sizes shared by the figures that compare 784-400-20 autoencoders on mnist-10k (denoising,
/// ae-sampling): the same epochs and batch for every scale, and the option text their printed commands carry.
/// </summary>
internal static class MnistAutoencoderTraining
{
    /// <summary>The epochs each model trains for at <paramref name="scale"/>.</summary>
    public static int Epochs(GalleryScale scale) => scale switch
    {
        GalleryScale.Toy => 6,
        GalleryScale.Quick => 10,
        _ => 50,
    };

    /// <summary>The batch size: toy runs see few images, and smaller batches give them enough optimiser steps.</summary>
    public static int Batch(GalleryScale scale) => scale == GalleryScale.Toy ? 32 : 128;

    /// <summary>The <c>--batch</c> option of a printed command (empty at the default 128).</summary>
    public static string BatchOption(GalleryScale scale) => Batch(scale) == 128 ? string.Empty : $" --batch {Batch(scale)}";

    /// <summary>The trainer options of a model trained at <paramref name="context"/>'s scale and seed.</summary>
    public static TrainerOptions Trainer(GalleryContext context) =>
        new() { Epochs = Epochs(context.Scale), BatchSize = Batch(context.Scale), Seed = context.Seed, CheckpointEvery = 0 };
}
