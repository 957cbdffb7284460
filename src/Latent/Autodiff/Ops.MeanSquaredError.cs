
namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>The mean over all elements of (prediction − target)².</summary>
    /// <remarks>∂prediction = 2(prediction − target)/N; the target gets the negation.</remarks>
    public static Var MeanSquaredError(Var prediction, Var target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.Value.Length != target.Value.Length)
        {
            throw new ArgumentException($"MeanSquaredError: prediction {prediction.Value} and target {target.Value} differ in size.", nameof(target));
        }

        var tape = Tape.Of(prediction, target);
        var difference = tape.Pool.RentLike(prediction.Value);
        TensorPrimitives.Subtract(prediction.Value.Span, target.Value.Span, difference.Span);
        int n = difference.Length;
        var loss = tape.Pool.Rent(1);
        loss[0] = n == 0 ? 0f : (float)(SumOfSquares(difference.Span) / n);
        var node = tape.Record(MeanSquaredErrorBackward.Instance, loss, prediction, target);
        if (node.Op is null)
        {
            difference.Dispose();
        }
        else
        {
            Tape.Save(node, difference);
        }

        return node;
    }

    /// <summary>Σ x², accumulated in double over float blocks for accuracy on long inputs.</summary>
    internal static double SumOfSquares(ReadOnlySpan<float> values)
    {
        const int Block = 4096;
        double total = 0;
        for (int i = 0; i < values.Length; i += Block)
        {
            total += TensorPrimitives.SumOfSquares(values.Slice(i, Math.Min(Block, values.Length - i)));
        }

        return total;
    }

    private sealed class MeanSquaredErrorBackward : IBackward
    {
        public static readonly MeanSquaredErrorBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var difference = node.Saved!;
            float scale = 2f * node.Grad![0] / difference.Length;
            TensorPrimitives.Multiply(difference.Span, scale, difference.Span);
            tape.AccumulateGrad(node.A!, difference.Span);
            if (node.B!.RequiresGrad)
            {
                TensorPrimitives.Negate(difference.Span, difference.Span);
                tape.AccumulateGrad(node.B, difference.Span);
            }
        }
    }
}
