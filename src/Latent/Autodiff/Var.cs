using Latent.Tensors;

namespace Latent.Autodiff;

/// <summary>
/// A value in a differentiable computation: a tensor, its gradient, and (for a recorded op) how to
/// send the gradient back to the op's inputs.
/// </summary>
/// <remarks>
/// There are two kinds. A <em>parameter</em> (<see cref="Parameter"/>) lives outside any tape, owns its
/// tensors and accumulates gradient over backward passes until <see cref="ZeroGrad"/>. A <em>node</em> is
/// made by a <see cref="Tape"/> (an input or an op's output); its tensors come from the tape's pool and
/// go back when the tape is reset, and the Var object itself is reused by the next step.
/// </remarks>
public sealed class Var
{
    internal Var()
    {
        Value = null!;
    }

    /// <summary>The forward value.</summary>
    public Tensor Value { get; internal set; }

    /// <summary>The gradient of the loss with respect to <see cref="Value"/>, when <see cref="HasGrad"/>.</summary>
    /// <remarks>
    /// Exact after <see cref="Tape.Backward"/> for inputs and parameters. An op's output may see its gradient
    /// reused once its backward pass has run (fused activations apply f′ to it in place; a reshape lends its
    /// storage to its input's gradient).
    /// </remarks>
    public Tensor? Grad { get; internal set; }

    /// <summary>Whether <see cref="Grad"/> holds a gradient from the current backward pass(es).</summary>
    public bool HasGrad { get; internal set; }

    /// <summary>Whether gradients flow to this value.</summary>
    public bool RequiresGrad { get; internal set; }

    /// <summary>A parameter's name (as in a state dict), or null.</summary>
    public string? Name { get; internal set; }

    /// <summary>The tape that recorded this node, or null for a parameter.</summary>
    public Tape? Tape { get; internal set; }

    /// <summary>The only element of a one-element value (a loss).</summary>
    public float Item => Value.Length == 1
        ? Value[0]
        : throw new InvalidOperationException($"Item needs a one-element value; this one is {Value}.");

    /// <summary>Rows of the value seen as a matrix.</summary>
    public int Rows => Value.Rows;

    /// <summary>Columns of the value seen as a matrix.</summary>
    public int Columns => Value.Columns;

    // What a recorded op keeps for its backward pass. A fixed set of slots, rather than a closure, so that
    // recording an op allocates nothing.
    internal IBackward? Op { get; set; }

    internal Var? A { get; set; }

    internal Var? B { get; set; }

    internal Var? C { get; set; }

    internal Tensor? Saved { get; set; }

    internal Tensor? Saved2 { get; set; }

    internal float Scalar { get; set; }

    internal float Scalar2 { get; set; }

    internal int Integer { get; set; }

    internal Activation Activation { get; set; }

    /// <summary>The window of a convolution or pooling op (a value: keeping it allocates nothing).</summary>
    internal ConvSettings Convolution { get; set; }

    /// <summary>
    /// Any other immutable settings an op needs in its backward pass. The object must not be allocated per
    /// call (cache it where the op's settings are made, e.g. in the module), or recording allocates.
    /// </summary>
    internal object? Settings { get; set; }

    /// <summary>Integer side data kept for the backward pass (e.g. argmax indices), rented from the tape's pool and returned on reset.</summary>
    internal int[]? Indices { get; set; }

    /// <summary>Whether the tape owns <see cref="Value"/> (and returns it to its pool on reset).</summary>
    internal bool OwnsValue { get; set; }

    /// <summary>
    /// Whether <see cref="Value"/> is a view (of an input's storage) that the tape made: on reset the view is
    /// let go of, and the storage is left to its owner.
    /// </summary>
    internal bool ValueIsView { get; set; }

    /// <summary>Number of ops recorded on this node's tape that take it as an input.</summary>
    internal int Uses { get; set; }

    /// <summary>A trainable leaf that owns <paramref name="value"/> and accumulates its gradient.</summary>
    public static Var Parameter(Tensor value, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new Var { Value = value, RequiresGrad = true, Name = name };
    }

    /// <summary>Forgets the gradient (the next backward pass overwrites instead of adding).</summary>
    public void ZeroGrad() => HasGrad = false;

    /// <inheritdoc/>
    public override string ToString() => Name is null ? $"Var {Value}" : $"Var {Name} {Value}";

    /// <summary>Clears a recycled node for reuse.</summary>
    internal void ResetNode()
    {
        Value = null!;
        Grad = null;
        HasGrad = false;
        RequiresGrad = false;
        Op = null;
        A = B = C = null;
        Saved = Saved2 = null;
        Scalar = Scalar2 = 0f;
        Integer = 0;
        Activation = Activation.Identity;
        Convolution = default;
        Settings = null;
        Indices = null;
        OwnsValue = false;
        ValueIsView = false;
        Uses = 0;
    }
}
