namespace Latent.Classical;

/// <summary>How <see cref="KMeans"/> picks its first centres.</summary>
public enum KMeansInit
{
    /// <summary>
    /// Greedy k-means++ (Arthur and Vassilvitskii): each new centre is the best of 2 + ⌊ln k⌋ candidates drawn
    /// with probability proportional to the squared distance to the nearest centre so far.
    /// </summary>
    PlusPlus,

    /// <summary>k distinct samples chosen uniformly at random.</summary>
    Random,
}
