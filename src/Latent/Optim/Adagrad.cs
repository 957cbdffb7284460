using Latent.Autodiff;

namespace Latent.Optim;

/// <summary>Adagrad (Duchi, Hazan and Singer), with PyTorch's semantics (torch.optim.Adagrad).</summary>
/// <remarks>
/// At step t, with g ← g + λθ when the weight decay λ is non-zero and the decayed rate
/// η_t = η / (1 + (t − 1)·δ): s ← s + g², θ ← θ − η_t · g / (√s + ε). The accumulator s starts at
/// <see cref="InitialAccumulator"/>. Each update is one vectorised pass over the parameter
/// (<see cref="AdagradKernel"/>) and allocates nothing. State slot: "sum" (s, PyTorch's name).
/// </remarks>
public sealed class Adagrad : Optimizer
{
    /// <summary>Adagrad over <paramref name="parameters"/> (PyTorch's defaults).</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="learningRateDecay">δ, the decay of the rate with the step count.</param>
    /// <param name="weightDecay">λ, the L2 penalty added to the gradient.</param>
    /// <param name="initialAccumulator">The value every element of the accumulator s starts from.</param>
    /// <param name="epsilon">ε, added to the denominator.</param>
    public Adagrad(IEnumerable<Var> parameters, float learningRate = 1e-2f, float learningRateDecay = 0f, float weightDecay = 0f, float initialAccumulator = 0f, float epsilon = 1e-10f)
        : base(parameters, learningRate, new OptimizerSlot("sum", CheckNonNegative(initialAccumulator, nameof(initialAccumulator))))
    {
        LearningRateDecay = CheckNonNegative(learningRateDecay, nameof(learningRateDecay));
        WeightDecay = CheckNonNegative(weightDecay, nameof(weightDecay));
        InitialAccumulator = initialAccumulator;
        Epsilon = CheckNonNegative(epsilon, nameof(epsilon));
    }

    /// <summary>δ.</summary>
    public float LearningRateDecay { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

    /// <summary>The accumulator's starting value.</summary>
    public float InitialAccumulator { get; }

    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    protected override bool UpdatesElementWise => true;

    /// <inheritdoc/>
    protected override void Update(int index, Range elements, Span<float> value, ReadOnlySpan<float> gradient, int step)
    {
        // As PyTorch: the decayed rate is worked out in double, then used in float32 arithmetic.
        float stepSize = (float)(LearningRate / (1.0 + ((step - 1) * (double)LearningRateDecay)));
        AdagradKernel.Update(value, Slot(0, index, elements), gradient, WeightDecay, stepSize, Epsilon);
    }

    private static float CheckNonNegative(float value, string name) =>
        value >= 0f && float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, "The value must be finite and non-negative.");
}
