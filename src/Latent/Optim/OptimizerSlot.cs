namespace Latent.Optim;

/// <summary>
/// A per-parameter state tensor an <see cref="Optimizer"/> keeps: its name in the state dict
/// ("state.{i}.{Name}", as PyTorch names it) and the value every element starts from.
/// </summary>
/// <param name="Name">The slot's name, e.g. "exp_avg" or "momentum_buffer".</param>
/// <param name="Initial">The value of every element before the first step (0 for moments; Adagrad starts its accumulator at a small positive value).</param>
public readonly record struct OptimizerSlot(string Name, float Initial = 0f);
