using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    private enum UnaryKind
    {
        Exp,
        Log,
        Softplus,
        Square,
        Sqrt,
        Abs,
    }

    /// <summary>eˣ, element-wise.</summary>
    /// <remarks>With y = eˣ: ∂x = g·y.</remarks>
    public static Var Exp(this Var x) => Unary(x, UnaryKind.Exp);

    /// <summary>ln x, element-wise.</summary>
    /// <remarks>∂x = g / x.</remarks>
    public static Var Log(this Var x) => Unary(x, UnaryKind.Log);

    /// <summary>softplus(x) = log(1 + eˣ), element-wise, computed stably as max(x, 0) + log1p(e^−|x|).</summary>
    /// <remarks>∂x = g·σ(x).</remarks>
    public static Var Softplus(this Var x) => Unary(x, UnaryKind.Softplus);

    /// <summary>x², element-wise.</summary>
    /// <remarks>∂x = 2x·g.</remarks>
    public static Var Square(this Var x) => Unary(x, UnaryKind.Square);

    /// <summary>√x, element-wise.</summary>
    /// <remarks>With y = √x: ∂x = g / (2y) (infinite at 0).</remarks>
    public static Var Sqrt(this Var x) => Unary(x, UnaryKind.Sqrt);

    /// <summary>|x|, element-wise.</summary>
    /// <remarks>∂x = sign(x)·g, taking sign(0) = 0.</remarks>
    public static Var Abs(this Var x) => Unary(x, UnaryKind.Abs);

    private static Var Unary(Var x, UnaryKind kind)
    {
        ArgumentNullException.ThrowIfNull(x);
        var tape = Tape.Of(x);
        var y = tape.Pool.RentLike(x.Value);
        ReadOnlySpan<float> xs = x.Value.Span;
        switch (kind)
        {
            case UnaryKind.Exp:
                TensorPrimitives.Exp(xs, y.Span);
                break;
            case UnaryKind.Log:
                TensorPrimitives.Log(xs, y.Span);
                break;
            case UnaryKind.Softplus:
                ElementWise.Map(default(SoftplusOperator), xs, y.Span);
                break;
            case UnaryKind.Square:
                TensorPrimitives.Multiply(xs, xs, y.Span);
                break;
            case UnaryKind.Sqrt:
                TensorPrimitives.Sqrt(xs, y.Span);
                break;
            default:
                TensorPrimitives.Abs(xs, y.Span);
                break;
        }

        var node = tape.Record(UnaryBackward.Instance, y, x);
        node.Integer = (int)kind;
        return node;
    }

    private sealed class UnaryBackward : IBackward
    {
        public static readonly UnaryBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var dx = tape.GradBuffer(node.A!, out float beta);
            if (dx is null)
            {
                return;
            }

            // One input, so the node's own gradient is free to hold ∂x before it is added to an existing gradient.
            var g = node.Grad!.Span;
            var target = beta == 0f ? dx.Span : g;
            ReadOnlySpan<float> x = node.A!.Value.Span, y = node.Value.Span;
            switch ((UnaryKind)node.Integer)
            {
                case UnaryKind.Exp:
                    TensorPrimitives.Multiply(g, y, target);
                    break;
                case UnaryKind.Log:
                    TensorPrimitives.Divide(g, x, target);
                    break;
                case UnaryKind.Softplus:
                    ElementWise.Map(default(SoftplusGradOperator), x, g, target);
                    break;
                case UnaryKind.Square:
                    ElementWise.Map(default(SquareGradOperator), x, g, target);
                    break;
                case UnaryKind.Sqrt:
                    ElementWise.Map(default(SqrtGradOperator), y, g, target);
                    break;
                default:
                    ElementWise.Map(default(AbsGradOperator), x, g, target);
                    break;
            }

            if (beta != 0f)
            {
                TensorPrimitives.Add(dx.Span, g, dx.Span);
            }
        }
    }
}
