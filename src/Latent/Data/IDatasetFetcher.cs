namespace Latent.Data;

/// <summary>Downloads one file, verifying its SHA-256, writing it atomically; injected into the catalog so tests need no network.</summary>
public interface IDatasetFetcher
{
    /// <summary>
    /// Fetches <paramref name="address"/> into <paramref name="destination"/>; throws (leaving no file) on any
    /// failure, including a time-out or a SHA-256 other than <paramref name="sha256"/>.
    /// </summary>
    void Fetch(Uri address, string destination, string sha256);
}
