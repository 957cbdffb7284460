namespace Latent.Autodiff;

/// <summary>
/// Parameters that take no gradient while the scope is open: ops recorded and differentiated meanwhile still pass
/// gradients through them to their other inputs, but skip the work of their own (a GAN's generator step needs
/// ∂loss/∂fake through the discriminator, not the discriminator's weight gradients, which its next step would
/// discard). Disposing it makes them trainable again.
/// </summary>
/// <remarks>
/// A parameter's gradient is left as it was (not zeroed, not added to), so freezing ones whose gradients no one
/// reads before the next <see cref="Var.ZeroGrad"/> changes no result.
/// </remarks>
internal readonly struct FrozenParameters : IDisposable
{
    private readonly Var[] _parameters;

    /// <summary>Freezes <paramref name="parameters"/>, all trainable, until <see cref="Dispose"/>; allocates nothing.</summary>
    /// <exception cref="ArgumentException">One of them takes no gradient (not a parameter, or frozen already).</exception>
    public FrozenParameters(Var[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var parameter in parameters)
        {
            if (!parameter.RequiresGrad)
            {
                throw new ArgumentException($"{parameter} takes no gradient: only trainable parameters can be frozen.", nameof(parameters));
            }
        }

        _parameters = parameters;
        Set(false);
    }

    /// <summary>Makes the parameters trainable again.</summary>
    public void Dispose() => Set(true);

    private void Set(bool requiresGrad)
    {
        foreach (var parameter in _parameters ?? [])
        {
            parameter.RequiresGrad = requiresGrad;
        }
    }
}
