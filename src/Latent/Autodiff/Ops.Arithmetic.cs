using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>a + b, element-wise; b has a's shape or is a row vector ([cols] or [1, cols]) added to every row of a.</summary>
    /// <remarks>∂a = g; ∂b = g, or Σ_rows g when b is broadcast.</remarks>
    public static Var Add(Var a, Var b) => AddSigned(a, b, 1f, nameof(Add));

    /// <summary>a − b, element-wise; b has a's shape or is a row vector ([cols] or [1, cols]) subtracted from every row of a.</summary>
    /// <remarks>∂a = g; ∂b = −g, or −Σ_rows g when b is broadcast.</remarks>
    public static Var Subtract(Var a, Var b) => AddSigned(a, b, -1f, nameof(Subtract));

    /// <summary>a ⊙ b, element-wise; b has a's shape or is a row vector ([cols] or [1, cols]) multiplying every row of a.</summary>
    /// <remarks>∂a = g ⊙ b; ∂b = g ⊙ a, or Σ_rows g ⊙ a when b is broadcast.</remarks>
    public static Var Multiply(Var a, Var b) =>
        RowBroadcastBinary(a, b, TensorPrimitives.Multiply, MultiplyBackward.Instance, nameof(Multiply));

    /// <summary>a / b, element-wise; b has a's shape or is a row vector ([cols] or [1, cols]) dividing every row of a.</summary>
    /// <remarks>With y = a / b: ∂a = g / b; ∂b = −g·y / b, summed over the rows when b is broadcast.</remarks>
    public static Var Divide(Var a, Var b) =>
        RowBroadcastBinary(a, b, TensorPrimitives.Divide, DivideBackward.Instance, nameof(Divide));

    /// <summary>The forward of Multiply and Divide: <paramref name="operation"/> on equal shapes or row by row.</summary>
    private static Var RowBroadcastBinary(Var a, Var b, SpanOperation operation, IBackward backward, string name)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var tape = Tape.Of(a, b);
        bool broadcast = IsRowBroadcast(a, b, name);
        var y = tape.Pool.RentLike(a.Value);
        if (broadcast)
        {
            for (int i = 0; i < a.Rows; i++)
            {
                operation(a.Value.Row(i), b.Value.Span, y.Row(i));
            }
        }
        else
        {
            operation(a.Value.Span, b.Value.Span, y.Span);
        }

        var node = tape.Record(backward, y, a, b);
        node.Integer = broadcast ? 1 : 0;
        return node;
    }

    private delegate void SpanOperation(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination);

    /// <summary>x + c for a constant c, element-wise.</summary>
    /// <remarks>∂x = g.</remarks>
    public static Var AddScalar(this Var x, float c)
    {
        ArgumentNullException.ThrowIfNull(x);
        var tape = Tape.Of(x);
        var y = tape.Pool.RentLike(x.Value);
        TensorPrimitives.Add(x.Value.Span, c, y.Span);
        return tape.Record(ScaleBackward.Instance, y, x).WithScalar(1f);
    }

    /// <summary>c·x for a constant c, element-wise.</summary>
    /// <remarks>∂x = c·g.</remarks>
    public static Var Scale(this Var x, float c)
    {
        ArgumentNullException.ThrowIfNull(x);
        var tape = Tape.Of(x);
        var y = tape.Pool.RentLike(x.Value);
        TensorPrimitives.Multiply(x.Value.Span, c, y.Span);
        return tape.Record(ScaleBackward.Instance, y, x).WithScalar(c);
    }

    /// <summary>−x, element-wise.</summary>
    /// <remarks>∂x = −g.</remarks>
    public static Var Negate(this Var x) => Scale(x, -1f);

    private static Var WithScalar(this Var node, float scalar)
    {
        node.Scalar = scalar;
        return node;
    }

    private static Var AddSigned(Var a, Var b, float sign, string name)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var tape = Tape.Of(a, b);
        bool broadcast = IsRowBroadcast(a, b, name);
        var y = tape.Pool.RentLike(a.Value);
        if (broadcast)
        {
            for (int i = 0; i < a.Rows; i++)
            {
                if (sign > 0f)
                {
                    TensorPrimitives.Add(a.Value.Row(i), b.Value.Span, y.Row(i));
                }
                else
                {
                    TensorPrimitives.Subtract(a.Value.Row(i), b.Value.Span, y.Row(i));
                }
            }
        }
        else if (sign > 0f)
        {
            TensorPrimitives.Add(a.Value.Span, b.Value.Span, y.Span);
        }
        else
        {
            TensorPrimitives.Subtract(a.Value.Span, b.Value.Span, y.Span);
        }

        var node = tape.Record(AddBackward.Instance, y, a, b);
        node.Integer = broadcast ? 1 : 0;
        node.Scalar = sign;
        return node;
    }

    private sealed class AddBackward : IBackward
    {
        public static readonly AddBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var g = node.Grad!;
            tape.AccumulateGrad(node.A!, g.Span);
            var b = node.B!;
            if (!b.RequiresGrad)
            {
                return;
            }

            // ∂a is done, so the node's gradient can be negated in place for a subtraction.
            if (node.Scalar < 0f)
            {
                TensorPrimitives.Negate(g.Span, g.Span);
            }

            if (node.Integer != 0)
            {
                AccumulateColumnSums(tape, b, g);
            }
            else
            {
                tape.AccumulateGrad(b, g.Span);
            }
        }
    }

    private sealed class MultiplyBackward : IBackward
    {
        public static readonly MultiplyBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var a = node.A!;
            var b = node.B!;
            var g = node.Grad!;
            bool broadcast = node.Integer != 0;
            var da = tape.GradBuffer(a, out float betaA);
            if (da is not null)
            {
                if (broadcast)
                {
                    for (int i = 0; i < g.Rows; i++)
                    {
                        MultiplyInto(g.Row(i), b.Value.Span, da.Row(i), betaA);
                    }
                }
                else
                {
                    MultiplyInto(g.Span, b.Value.Span, da.Span, betaA);
                }
            }

            var db = tape.GradBuffer(b, out float betaB);
            if (db is not null)
            {
                if (broadcast)
                {
                    if (betaB == 0f)
                    {
                        db.Clear();
                    }

                    for (int i = 0; i < g.Rows; i++)
                    {
                        TensorPrimitives.MultiplyAdd(g.Row(i), a.Value.Row(i), db.Span, db.Span);
                    }
                }
                else
                {
                    MultiplyInto(g.Span, a.Value.Span, db.Span, betaB);
                }
            }
        }

        private static void MultiplyInto(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination, float beta)
        {
            if (beta == 0f)
            {
                TensorPrimitives.Multiply(x, y, destination);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(x, y, destination, destination);
            }
        }
    }

    private sealed class DivideBackward : IBackward
    {
        public static readonly DivideBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var a = node.A!;
            var b = node.B!;
            var g = node.Grad!;
            bool broadcast = node.Integer != 0;
            var target = BeginGrad(tape, a, out var da);
            if (target is not null)
            {
                if (broadcast)
                {
                    for (int i = 0; i < g.Rows; i++)
                    {
                        TensorPrimitives.Divide(g.Row(i), b.Value.Span, target.Row(i));
                    }
                }
                else
                {
                    TensorPrimitives.Divide(g.Span, b.Value.Span, target.Span);
                }

                EndGrad(target, da!);
            }

            if (!b.RequiresGrad)
            {
                return;
            }

            // ∂a is done, so the node's gradient becomes the scratch for −g·y / b.
            if (broadcast)
            {
                for (int i = 0; i < g.Rows; i++)
                {
                    ElementWise.Map(default(QuotientDenominatorGradOperator), g.Row(i), node.Value.Row(i), b.Value.Span, g.Row(i));
                }

                AccumulateColumnSums(tape, b, g);
            }
            else
            {
                ElementWise.Map(default(QuotientDenominatorGradOperator), g.Span, node.Value.Span, b.Value.Span, g.Span);
                tape.AccumulateGrad(b, g.Span);
            }
        }
    }

    private sealed class ScaleBackward : IBackward
    {
        public static readonly ScaleBackward Instance = new();

        // Shared by Scale (Scalar = c) and AddScalar (Scalar = 1): ∂x = Scalar·g.
        public void Backward(Var node, Tape tape)
        {
            var dx = tape.GradBuffer(node.A!, out float beta);
            if (dx is null)
            {
                return;
            }

            var g = node.Grad!.Span;
            if (beta == 0f)
            {
                TensorPrimitives.Multiply(g, node.Scalar, dx.Span);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(g, node.Scalar, dx.Span, dx.Span);
            }
        }
    }
}
