using Latent.Tensors;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>The matrix product C = op(A)·op(B) in one of the three GEMM forms (tensors seen as rows × columns).</summary>
    /// <remarks>
    /// With G = ∂C: for AB, ∂A = G·Bᵀ and ∂B = Aᵀ·G; for ABt (C = A·Bᵀ), ∂A = G·B and ∂B = Gᵀ·A; for AtB
    /// (C = Aᵀ·B), ∂A = B·Gᵀ and ∂B = A·G. Every product is one GEMM that adds into the gradient in place.
    /// </remarks>
    /// <param name="a">A: [m, k] for AB and ABt, [k, m] for AtB.</param>
    /// <param name="b">B: [k, n] for AB and AtB, [n, k] for ABt.</param>
    /// <param name="form">Which operand is transposed.</param>
    /// <returns>C, [m, n].</returns>
    public static Var MatMul(Var a, Var b, GemmForm form = GemmForm.AB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var tape = Tape.Of(a, b);
        (int m, int k) = form == GemmForm.AtB ? (a.Columns, a.Rows) : (a.Rows, a.Columns);
        (int bk, int n) = form switch
        {
            GemmForm.AB or GemmForm.AtB => (b.Rows, b.Columns),
            GemmForm.ABt => (b.Columns, b.Rows),
            _ => throw new ArgumentOutOfRangeException(nameof(form), form, "Unknown GEMM form."),
        };
        if (bk != k)
        {
            throw new ArgumentException($"MatMul {form}: {a.Value} and {b.Value} do not share the summed dimension ({k} against {bk}).", nameof(b));
        }

        var c = tape.Pool.Rent(m, n);
        Gemm.Multiply(form, m, n, k, 1f, a.Value.Span, a.Columns, b.Value.Span, b.Columns, 0f, c.Span, n);
        var node = tape.Record(MatMulBackward.Instance, c, a, b);
        node.Integer = (int)form;
        return node;
    }

    private sealed class MatMulBackward : IBackward
    {
        public static readonly MatMulBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var a = node.A!;
            var b = node.B!;
            var g = node.Grad!.Span;
            int m = node.Rows, n = node.Columns;
            var da = tape.GradBuffer(a, out float betaA);
            var db = tape.GradBuffer(b, out float betaB);
            ReadOnlySpan<float> av = a.Value.Span, bv = b.Value.Span;
            switch ((GemmForm)node.Integer)
            {
                case GemmForm.AB:
                    {
                        int k = a.Columns;
                        if (da is not null)
                        {
                            Gemm.Multiply(GemmForm.ABt, m, k, n, 1f, g, n, bv, n, betaA, da.Span, k);
                        }

                        if (db is not null)
                        {
                            Gemm.Multiply(GemmForm.AtB, k, n, m, 1f, av, k, g, n, betaB, db.Span, n);
                        }

                        break;
                    }

                case GemmForm.ABt:
                    {
                        int k = a.Columns;
                        if (da is not null)
                        {
                            Gemm.Multiply(GemmForm.AB, m, k, n, 1f, g, n, bv, k, betaA, da.Span, k);
                        }

                        if (db is not null)
                        {
                            Gemm.Multiply(GemmForm.AtB, n, k, m, 1f, g, n, av, k, betaB, db.Span, k);
                        }

                        break;
                    }

                default:
                    {
                        int k = a.Rows;
                        if (da is not null)
                        {
                            Gemm.Multiply(GemmForm.ABt, k, m, n, 1f, bv, n, g, n, betaA, da.Span, m);
                        }

                        if (db is not null)
                        {
                            Gemm.Multiply(GemmForm.AB, k, n, m, 1f, av, m, g, n, betaB, db.Span, n);
                        }

                        break;
                    }
            }
        }
    }
}
