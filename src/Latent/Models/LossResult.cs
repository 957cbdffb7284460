using Latent.Autodiff;

namespace Latent.Models;

/// <summary>The loss of one batch: the [1] value to differentiate and its terms as numbers.</summary>
/// <param name="Loss">The total, a one-element Var on the batch's tape (call <see cref="Tape.Backward"/> on it).</param>
/// <param name="Terms">The terms, read before the tape is reset.</param>
public readonly record struct LossResult(Var Loss, LossTerms Terms);
