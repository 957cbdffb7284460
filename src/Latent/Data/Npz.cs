using System.IO.Compression;
using Latent.Serialization;

namespace Latent.Data;

/// <summary>
/// Reads numpy's <c>.npz</c> archives (<c>numpy.savez</c>, <c>numpy.savez_compressed</c>): a zip of NPY files,
/// stored or deflated, each array named by its member's name without <c>.npy</c>.
/// </summary>
/// <remarks>
/// Members are loaded whole, never memory-mapped (as numpy's <c>load(mmap_mode=...)</c> also loads .npz
/// members): a member's declared size is checked against the memory left and against what deflate can
/// expand its compressed bytes to (at most 1,032 to 1) before anything is allocated, its CRC-32 is checked,
/// and it must decompress to exactly its declared size, so a zip bomb or a lying header gives an error.
/// </remarks>
public static class Npz
{
    // Deflate's largest expansion: a 258-byte match costs at least 2 bits, so 1 byte expands to at most 1032.
    private const long MaxDeflateRatio = 1032;

    /// <summary>The names of the arrays in the archive, in archive order.</summary>
    public static IReadOnlyList<string> Names(string path)
    {
        using var archive = OpenArchive(path);
        return ArrayNames(archive, path);
    }

    /// <summary>Reads the array <paramref name="name"/> (without <c>.npy</c>) of the archive.</summary>
    public static NumericArray Read(string path, string name) => Read(path, name, null, out _);

    /// <summary>
    /// Loads a data set: the features array <paramref name="features"/> and the labels array
    /// <paramref name="labels"/> or the labels field <paramref name="labelField"/> of a structured features array.
    /// </summary>
    /// <remarks>
    /// Without <paramref name="features"/>: the archive's only array, else the array <c>x</c>, else <c>images</c>.
    /// Without <paramref name="labels"/> or <paramref name="labelField"/>: <c>y</c> beside <c>x</c>, <c>labels</c>
    /// beside <c>images</c>, when present; otherwise none.
    /// </remarks>
    public static Dataset Load(string path, string? features = null, string? labels = null, string? labelField = null, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (labels is not null && labelField is not null)
        {
            throw new ArgumentException($"{path}: give the labels as an array (y=) or as a field (label=), not both.", nameof(labelField));
        }

        using var archive = OpenArchive(path);
        var names = ArrayNames(archive, path);
        features ??= names.Count == 1 ? names[0]
            : names.Contains("x") ? "x"
            : names.Contains("images") ? "images"
            : throw new DataFormatException(path, $"the archive holds {names.Count} arrays ({Listed(names)}) and none is named x or images; choose the features with x=NAME (and the labels with y=NAME).");
        if (labels is null && labelField is null)
        {
            string? partner = features switch { "x" => "y", "images" => "labels", _ => null };
            labels = partner is not null && names.Contains(partner) ? partner : null;
        }

        var array = Read(archive, path, names, features, labelField, out int[]? fieldLabels);
        int[]? labelValues = fieldLabels ?? (labels is null ? null : ArrayFiles.ToLabels(Read(archive, path, names, labels, null, out _), array.Rows, Member(path, labels)));
        return ArrayFiles.ToDataset(array, Member(path, features), labelValues, name ?? Path.GetFileNameWithoutExtension(path));
    }

    private static NumericArray Read(string path, string name, string? labelField, out int[]? labels)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using var archive = OpenArchive(path);
        return Read(archive, path, ArrayNames(archive, path), name, labelField, out labels);
    }

    private static NumericArray Read(ZipArchive archive, string path, IReadOnlyList<string> names, string name, string? labelField, out int[]? labels)
    {
        string member = Member(path, name);
        var entry = archive.GetEntry(name + ".npy") ?? throw new DataFormatException(path, $"the archive has no array '{name}' (it holds {Listed(names)}).");
        long declared = entry.Length;
        if (declared > FormatLimits.MaxFileBytes || declared > Math.Max(entry.CompressedLength, 1) * MaxDeflateRatio)
        {
            throw new DataFormatException(member, $"the member declares {declared:N0} bytes from {entry.CompressedLength:N0} compressed ones, more than {(declared > FormatLimits.MaxFileBytes ? "one array can hold" : "deflate can expand to (a zip bomb?)")}.");
        }

        FormatLimits.CheckMemory(declared, member, "the archive member");
        var bytes = new byte[declared];
        try
        {
            using var stream = entry.Open();
            int read = FormatLimits.ReadExpected(stream, bytes, out bool more);
            if (read < bytes.Length)
            {
                throw new DataFormatException(member, $"the member ends after {read:N0} of its declared {declared:N0} bytes.");
            }

            if (more)
            {
                throw new DataFormatException(member, $"the member decompresses to more than its declared {declared:N0} bytes.");
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or NotSupportedException or IOException and not DataFormatException and not FileNotFoundException)
        {
            throw new DataFormatException(member, $"the member cannot be decompressed ({exception.Message.ReplaceLineEndings(" ").TrimEnd('.')}).", exception);
        }

        if (Crc32.Compute(bytes) != entry.Crc32)
        {
            throw new DataFormatException(member, $"the member's CRC-32 is {Crc32.Compute(bytes):x8} but the archive says {entry.Crc32:x8}: it is corrupt.");
        }

        return Npy.Parse(bytes, member, labelField, out labels);
    }

    private static ZipArchive OpenArchive(string path)
    {
        var stream = FormatLimits.OpenWithLength(path, out _);
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException and not DataFormatException and not FileNotFoundException)
        {
            stream.Dispose();
            throw new DataFormatException(path, $"not a readable zip archive (.npz is numpy's zip of NPY files): {exception.Message.ReplaceLineEndings(" ").TrimEnd('.')}.", exception);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static List<string> ArrayNames(ZipArchive archive, string path)
    {
        var names = new List<string>();
        try
        {
            foreach (var entry in archive.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal))
                {
                    throw new DataFormatException(path, $"the archive member '{Shorten(entry.FullName)}' is not an NPY file; an .npz holds only NPY files.");
                }

                names.Add(entry.FullName[..^4]);
            }
        }
        catch (InvalidDataException exception)
        {
            throw new DataFormatException(path, $"the zip directory is corrupt ({exception.Message.ReplaceLineEndings(" ").TrimEnd('.')}).", exception);
        }

        return names.Count == 0 ? throw new DataFormatException(path, "the archive holds no array.") : names;
    }

    private static string Member(string path, string name) => $"{path}:{name}.npy";

    private static string Listed(IReadOnlyList<string> names) => Shorten(string.Join(", ", names));

    // Member names are untrusted: control characters would break the one-line error.
    private static string Shorten(string text)
    {
        text = string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
        return text.Length > 120 ? text[..117] + "..." : text;
    }
}
