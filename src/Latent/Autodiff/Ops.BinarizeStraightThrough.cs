using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// 1 where x &gt; <paramref name="threshold"/>, else 0, with the straight-through gradient: the
    /// bottleneck of the binary autoencoder.
    /// </summary>
    /// <remarks>Forward y = [x &gt; threshold]; backward ∂x = g (the step is treated as the identity).</remarks>
    public static Var BinarizeStraightThrough(this Var x, float threshold = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(x);
        var tape = Tape.Of(x);
        var y = tape.Pool.RentLike(x.Value);
        ElementWise.Map(new ThresholdOperator(threshold), x.Value.Span, y.Span);
        return tape.Record(StraightThroughBackward.Instance, y, x);
    }

    private sealed class StraightThroughBackward : IBackward
    {
        public static readonly StraightThroughBackward Instance = new();

        public void Backward(Var node, Tape tape) => tape.AccumulateGrad(node.A!, node.Grad!.Span);
    }
}
