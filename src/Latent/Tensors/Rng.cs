using System.Runtime.CompilerServices;

namespace Latent.Tensors;

/// <summary>
/// The one seeded random-number generator of Latent: xoshiro256** (Blackman and Vigna), seeded by SplitMix64.
/// </summary>
/// <remarks>
/// Every random choice in the library (initialisation, shuffling, noise, sampling) takes an <see cref="Rng"/>,
/// so a run repeats exactly for a seed. <see cref="Split"/> hands out an independent stream (2^128 draws
/// apart) for parallel work, so results do not depend on how work is scheduled.
/// </remarks>
public sealed class Rng
{
    private const int NormalChunk = 256;

    private ulong _s0, _s1, _s2, _s3;
    private float[]? _scratch;

    /// <summary>A generator seeded with <paramref name="seed"/> (expanded to the full state by SplitMix64); the same seed gives the same draws.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    private Rng(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>The four state words, for checkpoints.</summary>
    public ulong[] GetState() => [_s0, _s1, _s2, _s3];

    /// <summary>Restores a state from <see cref="GetState"/>.</summary>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != 4)
        {
            throw new ArgumentException($"An Rng state has 4 words, not {state.Length}.", nameof(state));
        }

        if ((state[0] | state[1] | state[2] | state[3]) == 0)
        {
            throw new ArgumentException("An all-zero Rng state is invalid.", nameof(state));
        }

        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
    }

    /// <summary>
    /// Returns a generator for an independent stream and moves this one 2^128 draws ahead, so that the
    /// parent and child never overlap.
    /// </summary>
    public Rng Split()
    {
        var child = new Rng(_s0, _s1, _s2, _s3);
        Jump();
        return child;
    }

    /// <summary>64 uniformly random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform float in [0, 1), with 24 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A uniform double in [0, 1), with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong range = (ulong)maxExclusive;
        UInt128 m = (UInt128)NextUInt64() * range;
        ulong low = (ulong)m;
        if (low < range)
        {
            ulong threshold = (0 - range) % range;
            while (low < threshold)
            {
                m = (UInt128)NextUInt64() * range;
                low = (ulong)m;
            }
        }

        return (int)(m >> 64);
    }

    /// <summary>A standard normal draw (Box–Muller, one of the pair).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fills <paramref name="destination"/> with uniform draws from [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public void FillUniform(Span<float> destination, float low = 0f, float high = 1f)
    {
        float width = high - low;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = low + (width * NextFloat());
        }
    }

    /// <summary>Fills <paramref name="destination"/> with normal draws of the given mean and standard deviation.</summary>
    /// <remarks>
    /// Box–Muller on blocks: z₁ = √(−2 ln u₁)·cos 2πu₂, z₂ = √(−2 ln u₁)·sin 2πu₂, with the logarithm, square
    /// root, sine and cosine evaluated by <see cref="TensorPrimitives"/> over whole blocks (vectorised).
    /// </remarks>
    public void FillNormal(Span<float> destination, float mean = 0f, float standardDeviation = 1f)
    {
        _scratch ??= new float[2 * NormalChunk];
        Span<float> radius = _scratch.AsSpan(0, NormalChunk);
        Span<float> angle = _scratch.AsSpan(NormalChunk, NormalChunk);
        while (destination.Length > 0)
        {
            int pairs = Math.Min(NormalChunk, (destination.Length + 1) / 2);
            Span<float> r = radius[..pairs];
            Span<float> a = angle[..pairs];
            for (int i = 0; i < pairs; i++)
            {
                // 1 - u lies in (0, 1], so the logarithm is finite.
                r[i] = 1f - NextFloat();
                a[i] = NextFloat() * (2f * MathF.PI);
            }

            TensorPrimitives.Log(r, r);
            TensorPrimitives.Multiply(r, -2f, r);
            TensorPrimitives.Sqrt(r, r);
            TensorPrimitives.Multiply(r, standardDeviation, r);

            int firstHalf = Math.Min(pairs, destination.Length);
            Span<float> cosines = destination[..firstHalf];
            TensorPrimitives.Cos(a[..firstHalf], cosines);
            TensorPrimitives.MultiplyAdd(cosines, r[..firstHalf], mean, cosines);
            int secondHalf = Math.Min(pairs, destination.Length - firstHalf);
            Span<float> sines = destination.Slice(firstHalf, secondHalf);
            TensorPrimitives.Sin(a[..secondHalf], sines);
            TensorPrimitives.MultiplyAdd(sines, r[..secondHalf], mean, sines);
            destination = destination[(firstHalf + secondHalf)..];
        }
    }

    /// <summary>Fills <paramref name="destination"/> with 1 with probability <paramref name="p"/> and 0 otherwise.</summary>
    public void FillBernoulli(Span<float> destination, float p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0f);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1f);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = NextFloat() < p ? 1f : 0f;
        }
    }

    /// <summary>Fills <paramref name="destination"/> with 1 with probability <paramref name="probabilities"/>[i], else 0.</summary>
    public void FillBernoulli(ReadOnlySpan<float> probabilities, Span<float> destination)
    {
        if (probabilities.Length != destination.Length)
        {
            throw new ArgumentException("Probabilities and destination differ in length.", nameof(destination));
        }

        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = NextFloat() < probabilities[i] ? 1f : 0f;
        }
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A random permutation of 0..<paramref name="count"/>-1.</summary>
    public int[] Permutation(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var permutation = new int[count];
        for (int i = 0; i < count; i++)
        {
            permutation[i] = i;
        }

        Shuffle<int>(permutation);
        return permutation;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private void Jump()
    {
        ReadOnlySpan<ulong> jump = [0x180EC6D33CFD0ABAUL, 0xD5A61266F0C9392CUL, 0xA9582618E03FC9AAUL, 0x39ABDC4529B1661CUL];
        ulong s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        foreach (ulong word in jump)
        {
            for (int b = 0; b < 64; b++)
            {
                if ((word & (1UL << b)) != 0)
                {
                    s0 ^= _s0;
                    s1 ^= _s1;
                    s2 ^= _s2;
                    s3 ^= _s3;
                }

                NextUInt64();
            }
        }

        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }
}
