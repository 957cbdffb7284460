using Latent.Autodiff;

namespace Latent.Optim;

/// <summary>Adam (Kingma and Ba), with PyTorch's semantics.</summary>
/// <remarks>
/// At step t, with g ← g + λθ when the weight decay λ is non-zero (L2 regularisation through the gradient):
/// m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², and
/// θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε),
/// with ε added after the bias correction of v, as PyTorch does. Each update is one vectorised pass over
/// the parameter (<see cref="AdamKernel"/>) and allocates nothing. State slots: "exp_avg" (m) and "exp_avg_sq" (v).
/// </remarks>
public class Adam : Optimizer
{
    /// <summary>Adam over <paramref name="parameters"/> (PyTorch's defaults).</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="beta1">β₁, the decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">β₂, the decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">ε, added to the denominator.</param>
    /// <param name="weightDecay">λ, the L2 penalty added to the gradient.</param>
    public Adam(IEnumerable<Var> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
        : this(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: false)
    {
    }

    private protected Adam(IEnumerable<Var> parameters, float learningRate, float beta1, float beta2, float epsilon, float weightDecay, bool decoupled)
        : base(parameters, learningRate, "exp_avg", "exp_avg_sq")
    {
        CheckBeta(beta1, nameof(beta1));
        CheckBeta(beta2, nameof(beta2));
        CheckNonNegative(epsilon, nameof(epsilon));
        CheckNonNegative(weightDecay, nameof(weightDecay));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Decoupled = decoupled;
    }

    /// <summary>β₁.</summary>
    public float Beta1 { get; }

    /// <summary>β₂.</summary>
    public float Beta2 { get; }

    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

    /// <summary>Whether the weight decay shrinks θ directly (AdamW) rather than entering the gradient (Adam).</summary>
    private protected bool Decoupled { get; }

    /// <inheritdoc/>
    protected override bool UpdatesElementWise => true;

    /// <inheritdoc/>
    protected override void Update(int index, Range elements, Span<float> value, ReadOnlySpan<float> gradient, int step)
    {
        Span<float> m = Slot(0, index, elements);
        Span<float> v = Slot(1, index, elements);
        float coupled = Decoupled ? 0f : WeightDecay;

        // As PyTorch: the scalars are worked out in double, then used in float32 arithmetic.
        double lr = LearningRate;
        float stepSize = (float)(lr / (1.0 - Math.Pow(Beta1, step)));
        float correction2 = (float)Math.Sqrt(1.0 - Math.Pow(Beta2, step));
        float shrink = Decoupled ? (float)(1.0 - (lr * WeightDecay)) : 1f;

        AdamKernel.Update(value, m, v, gradient, Beta1, Beta2, coupled, shrink, stepSize, correction2, Epsilon);
    }

    private static void CheckBeta(float beta, string name)
    {
        if (!(beta >= 0f && beta < 1f))
        {
            throw new ArgumentOutOfRangeException(name, beta, "A moment decay lies in [0, 1).");
        }
    }

    private static void CheckNonNegative(float value, string name)
    {
        if (!(value >= 0f && float.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, "The value must be finite and non-negative.");
        }
    }
}
