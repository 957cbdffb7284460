using Latent.Tensors;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// The cross-entropy of each row of <paramref name="logits"/> against the class distribution in the same row
    /// of <paramref name="targets"/> (one-hot for labels), shape [rows]: the negative log-likelihood of a softmax
    /// classifier.
    /// </summary>
    /// <remarks>
    /// loss_i = −Σ_j t_ij·log softmax(l_i)_j = (Σ_j t_ij)·lse_i − Σ_j t_ij·l_ij, with lse_i = m_i + log Σ_j e^(l_ij − m_i)
    /// and m_i the row maximum, so it never overflows. ∂l_ij = g_i·((Σ_k t_ik)·softmax(l_i)_j − t_ij) (the softmax
    /// is kept for the backward pass); ∂t_ij = g_i·(lse_i − l_ij).
    /// </remarks>
    /// <param name="logits">The class scores, [rows, classes].</param>
    /// <param name="targets">The target distributions, the same rows × classes; usually one-hot labels that need no gradient.</param>
    public static Var SoftmaxCrossEntropy(Var logits, Var targets)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        CheckSameMatrix(logits, targets, nameof(SoftmaxCrossEntropy), nameof(targets));
        var tape = Tape.Of(logits, targets);
        int rows = logits.Rows, classes = logits.Columns;
        var loss = tape.Pool.Rent(rows);

        // Kept for the backward pass: each row's softmax, then its lse, side by side: [rows, classes + 1].
        int stride = classes + 1;
        var saved = tape.Pool.Rent(rows, stride);
        ReadOnlySpan<float> l = logits.Value.Span, t = targets.Value.Span;
        var s = saved.Span;
        for (int i = 0; i < rows; i++)
        {
            var row = l.Slice(i * classes, classes);
            var probabilities = s.Slice(i * stride, classes);
            float max = classes == 0 ? 0f : TensorPrimitives.Max(row);
            double sum = 0;
            for (int j = 0; j < classes; j++)
            {
                double e = Math.Exp(row[j] - max);
                probabilities[j] = (float)e;
                sum += e;
            }

            double logSum = max + Math.Log(sum);
            double total = 0;
            var targetRow = t.Slice(i * classes, classes);
            for (int j = 0; j < classes; j++)
            {
                probabilities[j] = (float)(probabilities[j] / sum);
                total += targetRow[j] * (logSum - row[j]);
            }

            loss[i] = (float)total;
            s[(i * stride) + classes] = (float)logSum;
        }

        var node = tape.Record(SoftmaxCrossEntropyBackward.Instance, loss, logits, targets);
        if (node.Op is null)
        {
            saved.Dispose();
        }
        else
        {
            Tape.Save(node, saved);
        }

        return node;
    }

    private sealed class SoftmaxCrossEntropyBackward : IBackward
    {
        public static readonly SoftmaxCrossEntropyBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var logits = node.A!;
            var targets = node.B!;
            var g = node.Grad!.Span;
            var saved = node.Saved!.Span;
            int classes = logits.Columns, stride = classes + 1;
            ReadOnlySpan<float> l = logits.Value.Span, t = targets.Value.Span;
            var target = BeginGrad(tape, logits, out var dLogits);
            if (target is not null)
            {
                var d = target.Span;
                for (int i = 0; i < g.Length; i++)
                {
                    var targetRow = t.Slice(i * classes, classes);
                    float mass = TensorPrimitives.Sum(targetRow);
                    for (int j = 0; j < classes; j++)
                    {
                        d[(i * classes) + j] = g[i] * ((mass * saved[(i * stride) + j]) - targetRow[j]);
                    }
                }

                EndGrad(target, dLogits!);
            }

            target = BeginGrad(tape, targets, out var dTargets);
            if (target is not null)
            {
                var d = target.Span;
                for (int i = 0; i < g.Length; i++)
                {
                    float lse = saved[(i * stride) + classes];
                    for (int j = 0; j < classes; j++)
                    {
                        d[(i * classes) + j] = g[i] * (lse - l[(i * classes) + j]);
                    }
                }

                EndGrad(target, dTargets!);
            }
        }
    }
}
