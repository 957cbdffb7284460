using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Tests.Serialization;

/// <summary>Seeded fuzzing: random bytes, bit flips, truncations and byte edits of a valid file.</summary>
internal static class FuzzHelper
{
    /// <summary>
    /// Runs <paramref name="parse"/> on <paramref name="iterations"/> mutations of <paramref name="valid"/>
    /// (and on purely random inputs); anything but success or a <see cref="DataFormatException"/> fails.
    /// Returns how many inputs were rejected, so a test can check the fuzzer reached the error paths.
    /// </summary>
    public static int Run(byte[] valid, Action<byte[]> parse, int iterations, ulong seed) =>
        Run(valid, parse, iterations, seed, static e => e is DataFormatException);

    /// <summary>
    /// As <see cref="Run(byte[], Action{byte[]}, int, ulong)"/>, with <paramref name="isFormatError"/> naming the
    /// exceptions that are the reader's documented format errors (anything else, an out-of-memory above all, fails).
    /// </summary>
    public static int Run(byte[] valid, Action<byte[]> parse, int iterations, ulong seed, Func<Exception, bool> isFormatError)
    {
        var rng = new Rng(seed);
        int rejected = 0;
        for (int i = 0; i < iterations; i++)
        {
            byte[] input = Mutate(valid, rng);
            try
            {
                parse(input);
            }
            catch (Exception exception) when (isFormatError(exception))
            {
                Assert.False(string.IsNullOrWhiteSpace(exception.Message));
                if (exception is DataFormatException format)
                {
                    Assert.False(string.IsNullOrWhiteSpace(format.Problem));
                    Assert.DoesNotContain('\n', format.Message);
                }

                rejected++;
            }
            catch (Exception exception)
            {
                Assert.Fail($"Input {i} (seed {seed}) raised {exception.GetType().Name}: {exception.Message}\n{exception.StackTrace}");
            }
        }

        return rejected;
    }

    private static byte[] Mutate(byte[] valid, Rng rng)
    {
        switch (rng.NextInt(6))
        {
            case 0:
                var random = new byte[rng.NextInt(64)];
                for (int i = 0; i < random.Length; i++)
                {
                    random[i] = (byte)rng.NextInt(256);
                }

                return random;
            case 1:
                return valid[..rng.NextInt(valid.Length)];
            case 2:
                var prefixRandom = (byte[])valid.Clone();
                int end = Math.Min(prefixRandom.Length, 64);
                int pos = rng.NextInt(end);
                prefixRandom[pos] = (byte)rng.NextInt(256);
                return prefixRandom;
            default:
                var flipped = (byte[])valid.Clone();
                int flips = 1 + rng.NextInt(4);
                for (int f = 0; f < flips; f++)
                {
                    // Headers are where the interesting failures live: bias half the flips to the first 80 bytes.
                    int limit = rng.NextInt(2) == 0 ? Math.Min(80, flipped.Length) : flipped.Length;
                    int index = rng.NextInt(limit);
                    flipped[index] ^= (byte)(1 << rng.NextInt(8));
                }

                return flipped;
        }
    }
}
