namespace Latent.Models;

/// <summary>The sparsity penalty on a deterministic code.</summary>
public enum SparsityKind
{
    /// <summary>No penalty.</summary>
    None,

    /// <summary>weight · Σⱼ |zⱼ| per item.</summary>
    L1,

    /// <summary>weight · Σⱼ KL(ρ ‖ ρ̂ⱼ), with ρ̂ⱼ the batch mean of the sigmoid code unit j.</summary>
    Kl,
}
