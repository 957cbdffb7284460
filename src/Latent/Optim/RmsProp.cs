using Latent.Autodiff;

namespace Latent.Optim;

/// <summary>RMSprop (Hinton), with PyTorch's semantics (torch.optim.RMSprop), optionally centred and with momentum.</summary>
/// <remarks>
/// At each step, with g ← g + λθ when the weight decay λ is non-zero: v ← αv + (1 − α)g². Centred (Graves 2013):
/// ḡ ← αḡ + (1 − α)g and a = √(v − ḡ²) + ε; otherwise a = √v + ε. With momentum μ &gt; 0: b ← μb + g/a and
/// θ ← θ − ηb; otherwise θ ← θ − η·g/a. Each update is one vectorised pass over the parameter
/// (<see cref="RmsPropKernel"/>) and allocates nothing. State slots: "square_avg" (v), then
/// "momentum_buffer" (b) when μ &gt; 0 and "grad_avg" (ḡ) when centred, as PyTorch names them.
/// </remarks>
public sealed class RmsProp : Optimizer
{
    /// <summary>RMSprop over <paramref name="parameters"/> (PyTorch's defaults).</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="alpha">α, the decay of the mean square, in [0, 1).</param>
    /// <param name="epsilon">ε, added to the denominator.</param>
    /// <param name="weightDecay">λ, the L2 penalty added to the gradient.</param>
    /// <param name="momentum">μ, 0 for none.</param>
    /// <param name="centered">Whether to divide by the estimated variance (v − ḡ²) rather than the mean square.</param>
    public RmsProp(IEnumerable<Var> parameters, float learningRate = 1e-2f, float alpha = 0.99f, float epsilon = 1e-8f, float weightDecay = 0f, float momentum = 0f, bool centered = false)
        : base(parameters, learningRate, SlotNames(momentum, centered))
    {
        if (!(alpha >= 0f && alpha < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The decay α of the mean square lies in [0, 1).");
        }

        Alpha = alpha;
        Epsilon = CheckNonNegative(epsilon, nameof(epsilon));
        WeightDecay = CheckNonNegative(weightDecay, nameof(weightDecay));
        Momentum = CheckNonNegative(momentum, nameof(momentum));
        Centered = centered;
    }

    /// <summary>α.</summary>
    public float Alpha { get; }

    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

    /// <summary>μ.</summary>
    public float Momentum { get; }

    /// <summary>Whether the update is centred.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    protected override bool UpdatesElementWise => true;

    /// <inheritdoc/>
    protected override void Update(int index, Range elements, Span<float> value, ReadOnlySpan<float> gradient, int step)
    {
        int slot = 1;
        Span<float> buffer = Momentum > 0f ? Slot(slot++, index, elements) : default;
        Span<float> gradientAverage = Centered ? Slot(slot, index, elements) : default;
        RmsPropKernel.Update(value, Slot(0, index, elements), gradientAverage, buffer, gradient, Alpha, WeightDecay, Momentum, LearningRate, Epsilon, Centered);
    }

    private static string[] SlotNames(float momentum, bool centered) =>
        [
            "square_avg",
            .. momentum > 0f ? (string[])["momentum_buffer"] : [],
            .. centered ? (string[])["grad_avg"] : [],
        ];

    private static float CheckNonNegative(float value, string name) =>
        value >= 0f && float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, "The value must be finite and non-negative.");
}
