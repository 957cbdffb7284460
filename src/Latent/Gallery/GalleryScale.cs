namespace Latent.Gallery;

/// <summary>How big a gallery experiment is: each figure chooses its data sizes and epochs for each scale.</summary>
public enum GalleryScale
{
    /// <summary>Seconds per figure: what the tests run to check each figure's claim.</summary>
    Toy,

    /// <summary>The whole gallery in under 10 minutes on 2 cores (<c>latent gallery --quick</c>).</summary>
    Quick,

    /// <summary>The notes' sizes where the machine allows, the whole gallery in under 90 minutes on 2 cores.</summary>
    Full,
}
