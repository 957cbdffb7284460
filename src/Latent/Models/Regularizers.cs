using Latent.Autodiff;

namespace Latent.Models;

/// <summary>The penalties an autoencoder adds to its reconstruction term, as compositions of differentiable ops.</summary>
public static class Regularizers
{
    /// <summary>Σⱼ |zⱼ| per item: [rows].</summary>
    public static Var L1(Var code) => Ops.RowSums(Ops.Abs(code));

    /// <summary>
    /// Σⱼ KL(ρ ‖ ρ̂ⱼ) for the batch, with ρ̂ⱼ the mean over the batch of code unit j (in (0, 1)): [1].
    /// </summary>
    /// <remarks>KL(ρ ‖ ρ̂) = ρ·log(ρ/ρ̂) + (1 − ρ)·log((1 − ρ)/(1 − ρ̂)) (Ng's sparse autoencoder notes).</remarks>
    public static Var KlSparsity(Var code, float target)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(target, 0f);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(target, 1f);
        const float Floor = 1e-6f;
        int units = code.Columns;
        var rho = Ops.ColumnMeans(code);
        // Clamping away from 0 and 1 keeps the logarithms finite when a unit is dead or saturated.
        var logRho = Ops.Log(Ops.AddScalar(rho, Floor));
        var logOneMinus = Ops.Log(Ops.AddScalar(Ops.Negate(rho), 1f + Floor));
        float constant = units * ((target * MathF.Log(target)) + ((1 - target) * MathF.Log(1 - target)));
        var cross = Ops.Add(Ops.Scale(Ops.Sum(logRho), -target), Ops.Scale(Ops.Sum(logOneMinus), -(1 - target)));
        return Ops.AddScalar(cross, constant);
    }

    /// <summary>
    /// The maximum mean discrepancy between the codes <paramref name="code"/> ~ q(z) and draws
    /// <paramref name="prior"/> ~ N(0, I) of the same shape, with the V-statistic: [1].
    /// </summary>
    /// <remarks>
    /// MMD² = mean k(zᵢ, zⱼ) + mean k(pᵢ, pⱼ) − 2·mean k(zᵢ, pⱼ) (Gretton et al. 2012; InfoVAE, Zhao et al.
    /// 2019), with k the RBF exp(−‖a − b‖²/(2ds²)) or the inverse multiquadratic C/(C + ‖a − b‖²), C = 2ds².
    /// </remarks>
    public static Var Mmd(Var code, Var prior, MmdKernel kernel, float scale)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(prior);
        float c = 2f * code.Columns * scale * scale;
        var qq = Ops.Mean(Kernel(Ops.PairwiseSquaredDistances(code, code), kernel, c));
        var pp = Ops.Mean(Kernel(Ops.PairwiseSquaredDistances(prior, prior), kernel, c));
        var qp = Ops.Mean(Kernel(Ops.PairwiseSquaredDistances(code, prior), kernel, c));
        return Ops.Add(Ops.Add(qq, pp), Ops.Scale(qp, -2f));
    }

    private static Var Kernel(Var squaredDistances, MmdKernel kernel, float c) => kernel switch
    {
        MmdKernel.Rbf => Ops.Exp(Ops.Scale(squaredDistances, -1f / c)),
        // C / (C + d) = exp(−log(1 + d/C)).
        MmdKernel.InverseMultiquadratic => Ops.Exp(Ops.Negate(Ops.Log(Ops.AddScalar(Ops.Scale(squaredDistances, 1f / c), 1f)))),
        _ => throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "Unknown MMD kernel."),
    };
}
