namespace Latent.Tensors;

/// <summary>Which operands of a GEMM are transposed.</summary>
/// <remarks>
/// With weights stored [out, in], a linear layer's forward pass is <see cref="ABt"/>, the input gradient
/// <see cref="AB"/> and the weight gradient <see cref="AtB"/>.
/// </remarks>
public enum GemmForm
{
    /// <summary>C = A·B with A [m, k] and B [k, n].</summary>
    AB,

    /// <summary>C = A·Bᵀ with A [m, k] and B [n, k].</summary>
    ABt,

    /// <summary>C = Aᵀ·B with A [k, m] and B [k, n].</summary>
    AtB,
}
