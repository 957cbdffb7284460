using Latent.Tensors;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>Inverted dropout: each element is zeroed with probability <paramref name="p"/>, the kept ones scaled by 1/(1 − p).</summary>
    /// <remarks>
    /// y = x ⊙ m with m_i = 1/(1 − p) with probability 1 − p, else 0, drawn from <paramref name="rng"/> in
    /// element order, so E[y] = x and the layer is the identity at evaluation. ∂x = gy ⊙ m (the mask is kept
    /// for the backward pass). p = 0 returns <paramref name="x"/> itself and draws nothing; p = 1 gives zeros.
    /// The <see cref="Nn.Dropout"/> layer calls it with the run's noise stream, <see cref="Tape.Noise"/>.
    /// </remarks>
    /// <param name="x">The input.</param>
    /// <param name="p">The probability of dropping an element, in [0, 1].</param>
    /// <param name="rng">The generator the mask is drawn from.</param>
    public static Var Dropout(Var x, float p, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        CheckDropoutProbability(p);
        if (p == 0f)
        {
            return x;
        }

        var tape = Tape.Of(x);
        var mask = tape.Pool.RentLike(x.Value);
        FillDropoutMask(rng, mask.Span, p);
        var y = tape.Pool.RentLike(x.Value);
        TensorPrimitives.Multiply(x.Value.Span, mask.Span, y.Span);
        var node = tape.Record(DropoutBackward.Instance, y, x);
        if (node.Op is null)
        {
            mask.Dispose();
        }
        else
        {
            Tape.Save(node, mask);
        }

        return node;
    }

    /// <summary>Throws unless 0 ≤ <paramref name="p"/> ≤ 1.</summary>
    internal static void CheckDropoutProbability(float p, string name = "p")
    {
        if (!(p >= 0f && p <= 1f))
        {
            throw new ArgumentOutOfRangeException(name, p, "A dropout probability lies in [0, 1].");
        }
    }

    /// <summary>mask_i = 1/(1 − p) when a uniform draw u_i ≥ p (probability 1 − p), else 0.</summary>
    private static void FillDropoutMask(Rng rng, Span<float> mask, float p)
    {
        float scale = p == 1f ? 0f : 1f / (1f - p);
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = rng.NextFloat() >= p ? scale : 0f;
        }
    }

    private sealed class DropoutBackward : IBackward
    {
        public static readonly DropoutBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var dx = tape.GradBuffer(node.A!, out float beta);
            if (dx is null)
            {
                return;
            }

            var mask = node.Saved!;
            if (beta == 0f)
            {
                TensorPrimitives.Multiply(node.Grad!.Span, mask.Span, dx.Span);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(node.Grad!.Span, mask.Span, dx.Span, dx.Span);
            }
        }
    }
}
