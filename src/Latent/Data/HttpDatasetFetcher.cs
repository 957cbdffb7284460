using System.Security.Cryptography;
using Latent.Serialization;

namespace Latent.Data;

/// <summary>Downloads over HTTP(S) with a time-out, checks the SHA-256 while streaming, writes atomically.</summary>
public sealed class HttpDatasetFetcher : IDatasetFetcher
{
    private readonly TimeSpan _timeout;

    /// <summary>Creates a fetcher whose every download must finish within <paramref name="timeout"/>.</summary>
    public HttpDatasetFetcher(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _timeout = timeout;
    }

    /// <inheritdoc/>
    public void Fetch(Uri address, string destination, string sha256)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ArgumentException.ThrowIfNullOrEmpty(sha256);
        using var client = new HttpClient { Timeout = _timeout };
        using var cancel = new CancellationTokenSource(_timeout);
        AtomicFile.Write(destination, output =>
        {
            using var response = client.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, cancel.Token).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            using var input = response.Content.ReadAsStream(cancel.Token);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = input.ReadAsync(buffer, cancel.Token).AsTask().GetAwaiter().GetResult()) > 0)
            {
                hash.AppendData(buffer, 0, read);
                output.Write(buffer, 0, read);
            }

            string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"{address} has SHA-256 {actual}, not the expected {sha256}.");
            }
        });
    }
}
