using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Latent.Optim;

/// <summary>
/// Flushes subnormal floats to 0 in the optimizers' running averages.
/// </summary>
/// <remarks>
/// The averages of a parameter whose gradient stays 0 (a weight from an always-black pixel) decay geometrically and
/// reach subnormal floats: Adam's first moment after about 850 steps (0.9^850 &lt; 2^-126), RMSprop's mean square
/// after a few thousand. Arithmetic on subnormals is up to 100× slower on x86, which made Adam's step 4× slower by
/// the third epoch of Fashion-MNIST. Below the smallest normal float (1.2e-38) an average changes no update (the
/// step divides by √v + ε, ε ≥ 1e-10), so it is set to 0; every width and the scalar tail flush alike.
/// </remarks>
internal static class Subnormals
{
    private static readonly float s_smallestNormal = BitConverter.Int32BitsToSingle(0x00800000);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Flush(float x) => MathF.Abs(x) < s_smallestNormal ? 0f : x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Flush(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(x), Vector512.Create(s_smallestNormal)), Vector512<float>.Zero, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Flush(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(x), Vector256.Create(s_smallestNormal)), Vector256<float>.Zero, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Flush(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.LessThan(Vector128.Abs(x), Vector128.Create(s_smallestNormal)), Vector128<float>.Zero, x);
}
