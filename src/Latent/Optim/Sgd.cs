using System.Runtime.Intrinsics;
using Latent.Autodiff;
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Optim;

/// <summary>Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight decay, with PyTorch's semantics.</summary>
/// <remarks>
/// With d = g + λθ: without momentum θ ← θ − ηd. With momentum μ, the buffer is b ← d on a parameter's first
/// step and b ← μb + (1 − τ)d afterwards (τ the dampening); then θ ← θ − η(d + μb) with Nesterov momentum,
/// else θ ← θ − ηb. State slot (with momentum only): "momentum_buffer".
/// </remarks>
public sealed class Sgd : Optimizer
{
    /// <summary>SGD over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="momentum">μ, 0 for none.</param>
    /// <param name="dampening">τ, the share of the new gradient left out of the buffer.</param>
    /// <param name="nesterov">Whether to use Nesterov momentum (needs μ &gt; 0 and τ = 0, as in PyTorch).</param>
    /// <param name="weightDecay">λ, the L2 penalty added to the gradient.</param>
    public Sgd(IEnumerable<Var> parameters, float learningRate, float momentum = 0f, float dampening = 0f, bool nesterov = false, float weightDecay = 0f)
        : base(parameters, learningRate, momentum == 0f ? [] : ["momentum_buffer"])
    {
        CheckFinite(momentum, nameof(momentum));
        CheckFinite(dampening, nameof(dampening));
        CheckFinite(weightDecay, nameof(weightDecay));
        if (nesterov && (momentum <= 0f || dampening != 0f))
        {
            throw new ArgumentException($"Nesterov momentum needs a positive momentum and zero dampening (momentum {momentum}, dampening {dampening}).", nameof(nesterov));
        }

        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
    }

    /// <summary>μ.</summary>
    public float Momentum { get; }

    /// <summary>τ.</summary>
    public float Dampening { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc/>
    protected override bool UpdatesElementWise => true;

    /// <inheritdoc/>
    protected override void Update(int index, Range elements, Span<float> value, ReadOnlySpan<float> gradient, int step)
    {
        float lr = LearningRate;
        if (Momentum == 0f)
        {
            ElementWise.Map(new Descend(lr, WeightDecay), value, gradient, value);
            return;
        }

        Span<float> buffer = Slot(0, index, elements);
        if (step == 1)
        {
            ElementWise.Map(new Decayed(WeightDecay), gradient, value, buffer);
        }
        else
        {
            ElementWise.Map(new Accumulate(Momentum, 1f - Dampening, WeightDecay), buffer, gradient, value, buffer);
        }

        if (Nesterov)
        {
            ElementWise.Map(new NesterovDescend(lr, Momentum, WeightDecay), value, gradient, buffer, value);
        }
        else
        {
            ElementWise.Map(new Descend(lr, 0f), value, buffer, value);
        }
    }

    private static void CheckFinite(float value, string name)
    {
        if (!(value >= 0f && float.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, "The value must be finite and non-negative.");
        }
    }

    /// <summary>θ ← θ − η(d + λθ).</summary>
    private readonly struct Descend(float lr, float decay) : IBinaryOperator
    {
        public float Invoke(float theta, float d) => theta - (lr * (d + (decay * theta)));

        public Vector128<float> Invoke(Vector128<float> theta, Vector128<float> d) => theta - (lr * (d + (decay * theta)));

        public Vector256<float> Invoke(Vector256<float> theta, Vector256<float> d) => theta - (lr * (d + (decay * theta)));

        public Vector512<float> Invoke(Vector512<float> theta, Vector512<float> d) => theta - (lr * (d + (decay * theta)));
    }

    /// <summary>b ← g + λθ.</summary>
    private readonly struct Decayed(float decay) : IBinaryOperator
    {
        public float Invoke(float g, float theta) => g + (decay * theta);

        public Vector128<float> Invoke(Vector128<float> g, Vector128<float> theta) => g + (decay * theta);

        public Vector256<float> Invoke(Vector256<float> g, Vector256<float> theta) => g + (decay * theta);

        public Vector512<float> Invoke(Vector512<float> g, Vector512<float> theta) => g + (decay * theta);
    }

    /// <summary>b ← μb + (1 − τ)(g + λθ).</summary>
    private readonly struct Accumulate(float momentum, float keep, float decay) : ITernaryOperator
    {
        public float Invoke(float b, float g, float theta) => (momentum * b) + (keep * (g + (decay * theta)));

        public Vector128<float> Invoke(Vector128<float> b, Vector128<float> g, Vector128<float> theta) => (momentum * b) + (keep * (g + (decay * theta)));

        public Vector256<float> Invoke(Vector256<float> b, Vector256<float> g, Vector256<float> theta) => (momentum * b) + (keep * (g + (decay * theta)));

        public Vector512<float> Invoke(Vector512<float> b, Vector512<float> g, Vector512<float> theta) => (momentum * b) + (keep * (g + (decay * theta)));
    }

    /// <summary>θ ← θ − η((g + λθ) + μb).</summary>
    private readonly struct NesterovDescend(float lr, float momentum, float decay) : ITernaryOperator
    {
        public float Invoke(float theta, float g, float b) => theta - (lr * ((g + (decay * theta)) + (momentum * b)));

        public Vector128<float> Invoke(Vector128<float> theta, Vector128<float> g, Vector128<float> b) => theta - (lr * ((g + (decay * theta)) + (momentum * b)));

        public Vector256<float> Invoke(Vector256<float> theta, Vector256<float> g, Vector256<float> b) => theta - (lr * ((g + (decay * theta)) + (momentum * b)));

        public Vector512<float> Invoke(Vector512<float> theta, Vector512<float> g, Vector512<float> b) => theta - (lr * ((g + (decay * theta)) + (momentum * b)));
    }
}
