using Latent.Training;

namespace Latent.Gallery;

/// <summary>Where a running gallery reports what it is doing (the CLI draws progress bars from it).</summary>
public interface IGalleryProgress
{
    /// <summary>Figure <paramref name="figureId"/> is at <paramref name="stage"/>, <paramref name="fraction"/> of it done (0 to 1).</summary>
    void Stage(string figureId, string stage, double fraction);

    /// <summary>Figure <paramref name="figureId"/> is finished: run or reused, or failed with <paramref name="error"/>.</summary>
    void Finished(string figureId, string? error)
    {
    }

    /// <summary>An observer for training part <paramref name="part"/> of figure <paramref name="figureId"/>, or null for none.</summary>
    ITrainingObserver? Training(string figureId, string part) => null;
}
