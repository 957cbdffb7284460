namespace Latent.Models;

/// <summary>The kernel of the maximum mean discrepancy between q(z) and N(0, I).</summary>
public enum MmdKernel
{
    /// <summary>k(a, b) = exp(−‖a − b‖² / (2·d·s²)), with d the code size and s the scale.</summary>
    Rbf,

    /// <summary>k(a, b) = C / (C + ‖a − b‖²), C = 2·d·s² (inverse multiquadratic).</summary>
    InverseMultiquadratic,
}
