namespace Latent.Tensors;

/// <summary>How a k block's product joins what C already holds.</summary>
internal enum GemmStoreMode
{
    /// <summary>First k block with β = 0: C = α·P, C's old contents (NaN included) ignored.</summary>
    Overwrite,

    /// <summary>First k block with β ≠ 0: C = β·C + α·P (one fused multiply-add).</summary>
    ScaleAdd,

    /// <summary>Later k blocks: C = C + α·P (one fused multiply-add).</summary>
    Accumulate,
}

/// <summary>
/// What a micro-kernel does with its accumulators P: combine with C per <see cref="Mode"/>, then on the
/// last k block add the bias and apply relu or leaky relu while the tile is still in registers.
/// </summary>
/// <remarks>
/// The order of operations (α·P rounded, then a fused multiply-add with C, then + bias, then the
/// activation) is the same in the AVX kernels and in <see cref="GemmEdge"/>, so edge tiles round as full ones.
/// </remarks>
internal readonly struct GemmStore
{
    public GemmStore(GemmStoreMode mode, float alpha, float beta, Activation activation, float slope)
    {
        Mode = mode;
        Alpha = alpha;
        Beta = beta;
        Activation = activation;
        Slope = slope;
    }

    /// <summary>Stores the raw accumulators: the edge path then applies the real store itself.</summary>
    public static GemmStore Raw => new(GemmStoreMode.Overwrite, 1f, 0f, Activation.Identity, 0f);

    public GemmStoreMode Mode { get; }

    public float Alpha { get; }

    public float Beta { get; }

    /// <summary>Identity, Relu or LeakyRelu (the others are applied after the store, on whole rows).</summary>
    public Activation Activation { get; }

    public float Slope { get; }

    /// <summary>The scalar form of the combination with C, used on edge tiles.</summary>
    public float Combine(float product, float old) => Mode switch
    {
        GemmStoreMode.Overwrite => product * Alpha,
        GemmStoreMode.ScaleAdd => MathF.FusedMultiplyAdd(old, Beta, product * Alpha),
        _ => MathF.FusedMultiplyAdd(product, Alpha, old),
    };

    /// <summary>The scalar form of the in-register activation, used on edge tiles.</summary>
    public float Activate(float x) => Activation switch
    {
        Activation.Relu => MathF.Max(x, 0f),
        Activation.LeakyRelu => x > 0f ? x : x * Slope,
        _ => x,
    };
}
