using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// A reparameterised draw z = μ + e^(½·logσ²)·ε from N(μ, σ²), with ε ~ N(0, I) drawn from
    /// <paramref name="rng"/> and kept for the backward pass.
    /// </summary>
    /// <remarks>∂μ = g; ∂logσ² = g·½·e^(½·logσ²)·ε.</remarks>
    /// <param name="mean">μ, any shape.</param>
    /// <param name="logVar">logσ², the shape of μ.</param>
    /// <param name="rng">Where ε comes from.</param>
    public static Var Reparameterize(Var mean, Var logVar, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logVar);
        ArgumentNullException.ThrowIfNull(rng);
        CheckReparameterize(mean, logVar);
        var epsilon = Tape.Of(mean, logVar).Pool.RentLike(mean.Value);
        rng.FillNormal(epsilon.Span);
        return RecordReparameterize(mean, logVar, epsilon);
    }

    /// <summary>z = μ + e^(½·logσ²)·ε for a given ε (copied; for tests and for several samples per input).</summary>
    /// <remarks>∂μ = g; ∂logσ² = g·½·e^(½·logσ²)·ε.</remarks>
    /// <param name="mean">μ, any shape.</param>
    /// <param name="logVar">logσ², the shape of μ.</param>
    /// <param name="epsilon">ε, the shape of μ.</param>
    public static Var Reparameterize(Var mean, Var logVar, Tensor epsilon)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logVar);
        ArgumentNullException.ThrowIfNull(epsilon);
        CheckReparameterize(mean, logVar);
        if (!epsilon.SameShape(mean.Value))
        {
            throw new ArgumentException($"Reparameterize: ε is {epsilon} but μ is {mean.Value}.", nameof(epsilon));
        }

        var copy = Tape.Of(mean, logVar).Pool.RentLike(epsilon);
        epsilon.Span.CopyTo(copy.Span);
        return RecordReparameterize(mean, logVar, copy);
    }

    private static void CheckReparameterize(Var mean, Var logVar)
    {
        if (!mean.Value.SameShape(logVar.Value))
        {
            throw new ArgumentException($"Reparameterize: μ is {mean.Value} but logσ² is {logVar.Value}; they must have the same shape.", nameof(logVar));
        }
    }

    /// <summary>Records z for a pooled ε that the node then owns.</summary>
    private static Var RecordReparameterize(Var mean, Var logVar, Tensor epsilon)
    {
        var tape = Tape.Of(mean, logVar);
        var z = tape.Pool.RentLike(mean.Value);
        ElementWise.Map(default(ReparameterizeOperator), mean.Value.Span, logVar.Value.Span, epsilon.Span, z.Span);
        var node = tape.Record(ReparameterizeBackward.Instance, z, mean, logVar);
        if (node.Op is null || !logVar.RequiresGrad)
        {
            // ε is only needed for ∂logσ².
            epsilon.Dispose();
        }
        else
        {
            Tape.Save(node, epsilon);
        }

        return node;
    }

    private sealed class ReparameterizeBackward : IBackward
    {
        public static readonly ReparameterizeBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var g = node.Grad!.Span;
            tape.AccumulateGrad(node.A!, g);
            var logVar = node.B!;
            if (logVar.RequiresGrad)
            {
                // ∂μ is done, so the node's gradient is rewritten in place into ∂logσ².
                ElementWise.Map(default(ReparameterizeLogVarGradOperator), logVar.Value.Span, node.Saved!.Span, g, g);
                tape.AccumulateGrad(logVar, g);
            }
        }
    }
}
