using System.Diagnostics;
using Latent.Tensors;

namespace Latent.Autodiff;

/// <summary>
/// Records ops as they run (define-by-run) and walks them backwards to compute gradients.
/// </summary>
/// <remarks>
/// A training step is: <see cref="Input"/> the batch, run the model's ops, <see cref="Backward"/> the loss,
/// step the optimizer, <see cref="Reset"/>. Reset returns every tensor the step rented to the pool and keeps
/// the Var objects for the next step, so after the first step a step allocates nothing. A tape is used
/// by one thread at a time.
/// </remarks>
public sealed class Tape : IDisposable
{
    private readonly List<Var> _nodes = [];
    private int _count;

    /// <summary>A tape whose intermediate tensors come from <paramref name="pool"/> (a new pool when null) and return to it on <see cref="Reset"/>.</summary>
    public Tape(TensorPool? pool = null)
    {
        Pool = pool ?? new TensorPool();
    }

    /// <summary>Where the tape's tensors come from.</summary>
    public TensorPool Pool { get; }

    /// <summary>Whether ops record their backward pass; false for inference (less memory kept).</summary>
    public bool GradEnabled { get; set; } = true;

    /// <summary>
    /// The run's noise stream, which stochastic layers (dropout) draw from in training mode; null when none is set.
    /// The trainer's loss puts its generator here, so a checkpoint, which saves that generator's state, captures
    /// every random draw of a step. <see cref="Reset"/> keeps it.
    /// </summary>
    public Rng? Noise { get; set; }

    /// <summary>Per-op timing for the benchmarks' breakdown of a step, or null (the default: no clock is read).</summary>
    internal TapeProfile? Profile { get; set; }

    /// <summary>Number of nodes recorded since the last reset.</summary>
    public int Count => _count;

    /// <summary>The tape of the first input that has one.</summary>
    public static Tape Of(Var a, Var? b = null, Var? c = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.Tape ?? b?.Tape ?? c?.Tape
            ?? throw new InvalidOperationException("An op needs at least one input recorded on a tape; wrap data with Tape.Input.");
    }

    /// <summary>Brings a tensor onto the tape; the tape does not own it.</summary>
    /// <param name="value">The data.</param>
    /// <param name="requiresGrad">Whether to compute the gradient with respect to it (read it before <see cref="Reset"/>).</param>
    public Var Input(Tensor value, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        var node = NextNode();
        node.Value = value;
        node.RequiresGrad = requiresGrad;
        Profile?.Mark();
        return node;
    }

    /// <summary>
    /// A constant input shaped like <paramref name="like"/>, rented from <see cref="Pool"/> and owned by the tape
    /// (returned on <see cref="Reset"/>): per-step scratch such as a corrupted batch or prior samples, filled
    /// by the caller through <see cref="Var.Value"/>. Its contents are unspecified until filled.
    /// </summary>
    internal Var Scratch(Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        return Owned(Pool.RentLike(like));
    }

    /// <summary>As <see cref="Scratch(Tensor)"/>, shaped [<paramref name="rows"/>, <paramref name="columns"/>].</summary>
    internal Var Scratch(int rows, int columns) => Owned(Pool.Rent(rows, columns));

    private Var Owned(Tensor value)
    {
        var node = NextNode();
        node.Value = value;
        node.OwnsValue = true;
        node.RequiresGrad = false;
        return node;
    }

    /// <summary>Records an op's output <paramref name="value"/> (which the tape then owns).</summary>
    internal Var Record(IBackward op, Tensor value, Var a, Var? b = null, Var? c = null)
    {
        var node = Link(op, value, a, b, c);
        node.OwnsValue = true;
        return node;
    }

    /// <summary>
    /// Records an op whose output <paramref name="view"/> is a view of its input's storage (from
    /// <see cref="TensorPool.RentView(Tensor, ReadOnlySpan{int})"/>): on reset the tape lets go of the view
    /// and never returns the storage, which stays its owner's.
    /// </summary>
    internal Var RecordView(IBackward op, Tensor view, Var a)
    {
        var node = Link(op, view, a, null, null);
        node.ValueIsView = true;
        return node;
    }

    /// <summary>Keeps integer side data for the backward pass, or returns it to the pool at once when no backward pass is recorded.</summary>
    internal void SaveIndices(Var node, int[] indices)
    {
        if (node.Op is null)
        {
            Pool.ReturnIndices(indices);
        }
        else
        {
            node.Indices = indices;
        }
    }

    /// <summary>
    /// Passes <paramref name="gradient"/> (the gradient of a view of <paramref name="v"/>'s value, of the
    /// same length) on to <paramref name="v"/>: as a view of it when <paramref name="v"/> is a node with no
    /// gradient yet and no other op uses it, else added to its gradient.
    /// </summary>
    internal void PassGradient(Var v, Tensor gradient)
    {
        if (!v.RequiresGrad)
        {
            return;
        }

        if (v.Grad is null && v.Tape == this && v.Uses == 1)
        {
            v.Grad = Pool.RentView(gradient, v.Value);
            v.HasGrad = true;
            return;
        }

        AccumulateGrad(v, gradient.Span);
    }

    private Var Link(IBackward op, Tensor value, Var a, Var? b, Var? c)
    {
        CountUse(a);
        CountUse(b);
        CountUse(c);
        var node = NextNode();
        node.Value = value;
        node.RequiresGrad = GradEnabled && (a.RequiresGrad || (b?.RequiresGrad ?? false) || (c?.RequiresGrad ?? false));
        if (node.RequiresGrad)
        {
            node.Op = op;
            node.A = a;
            node.B = b;
            node.C = c;
        }

        Profile?.Forward(op);
        return node;
    }

    /// <summary>Keeps a tensor for the backward pass; it goes back to the pool on reset.</summary>
    internal static void Save(Var node, Tensor tensor, bool second = false)
    {
        if (second)
        {
            node.Saved2 = tensor;
        }
        else
        {
            node.Saved = tensor;
        }
    }

    /// <summary>
    /// The gradient tensor of <paramref name="v"/> to write into, or null when no gradient flows to it.
    /// </summary>
    /// <param name="v">The input whose gradient is wanted.</param>
    /// <param name="beta">0 when the buffer holds nothing yet (overwrite it), 1 when it holds a gradient (add to it).</param>
    internal Tensor? GradBuffer(Var v, out float beta)
    {
        beta = 0f;
        if (!v.RequiresGrad)
        {
            return null;
        }

        if (v.Grad is null)
        {
            v.Grad = v.Tape is null ? Tensor.Zeros(v.Value.Shape) : Pool.RentLike(v.Value);
        }

        if (v.HasGrad)
        {
            beta = 1f;
        }

        v.HasGrad = true;
        return v.Grad;
    }

    /// <summary>Adds <paramref name="gradient"/> to the gradient of <paramref name="v"/>, if one flows to it.</summary>
    internal void AccumulateGrad(Var v, ReadOnlySpan<float> gradient)
    {
        var buffer = GradBuffer(v, out float beta);
        if (buffer is null)
        {
            return;
        }

        if (beta == 0f)
        {
            gradient.CopyTo(buffer.Span);
        }
        else
        {
            TensorPrimitives.Add(buffer.Span, gradient, buffer.Span);
        }
    }

    /// <summary>
    /// Computes the gradient of the one-element <paramref name="loss"/> with respect to every value that
    /// requires it; parameters add to their gradients.
    /// </summary>
    public void Backward(Var loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (loss.Value.Length != 1)
        {
            throw new ArgumentException($"Backward needs a one-element loss; this one is {loss.Value}. Reduce it with Sum or Mean first.", nameof(loss));
        }

        if (loss.Tape != this)
        {
            throw new ArgumentException("The loss was not recorded on this tape.", nameof(loss));
        }

        if (!loss.RequiresGrad)
        {
            throw new InvalidOperationException("The loss does not depend on any value that requires a gradient.");
        }

        var seed = GradBuffer(loss, out _)!;
        seed.Fill(1f);
        for (int i = _count - 1; i >= 0; i--)
        {
            var node = _nodes[i];
            if (node.Op is not null && node.HasGrad)
            {
                if (Profile is null)
                {
                    node.Op.Backward(node, this);
                }
                else
                {
                    long start = Stopwatch.GetTimestamp();
                    node.Op.Backward(node, this);
                    Profile.Backward(node.Op, Stopwatch.GetTimestamp() - start);
                }
            }
        }

        // The next op's forward clock starts here, not before this backward pass (a GAN's step records forward ops after one).
        Profile?.Mark();
    }

    /// <summary>
    /// Returns every tensor (and integer buffer) of this step to the pool and forgets the recorded ops; views
    /// the step made are let go of, their storage returned by its owner.
    /// </summary>
    public void Reset()
    {
        for (int i = 0; i < _count; i++)
        {
            var node = _nodes[i];
            if (node.OwnsValue || node.ValueIsView)
            {
                node.Value.Dispose();
            }

            node.Grad?.Dispose();
            node.Saved?.Dispose();
            node.Saved2?.Dispose();
            if (node.Indices is not null)
            {
                Pool.ReturnIndices(node.Indices);
            }

            node.ResetNode();
        }

        _count = 0;
    }

    /// <summary>Releases every recorded node's tensors back to the pool, as <see cref="Reset"/>.</summary>
    public void Dispose() => Reset();

    private void CountUse(Var? input)
    {
        if (input is not null && input.Tape == this)
        {
            input.Uses++;
        }
    }

    private Var NextNode()
    {
        if (_count == _nodes.Count)
        {
            _nodes.Add(new Var());
        }

        var node = _nodes[_count++];
        node.Tape = this;
        return node;
    }
}
