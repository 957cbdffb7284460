using System.IO.MemoryMappedFiles;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Data;

/// <summary>
/// A raw (uncompressed) IDX or NPY file opened memory-mapped: rows are decoded on demand, batch by batch,
/// so a data set larger than memory can be trained on without loading it whole.
/// </summary>
/// <remarks>
/// The operating system pages the file in and out as rows are read; only the rows of the current batch
/// are ever converted to float32. A Fortran-order NPY array's rows are gathered column by column from the
/// column-major data; a structured array's from its records. Labels, which are small, are read whole.
/// </remarks>
public sealed unsafe class MappedSource : IFeatureSource, IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly ArrayHeader _header;
    private readonly int[]? _labels;
    private readonly RowLayout _layout;
    private byte* _pointer;

    private MappedSource(string name, MemoryMappedFile file, MemoryMappedViewAccessor view, ArrayHeader header, RowLayout layout, int[]? labels, string path)
    {
        Name = name;
        _file = file;
        _view = view;
        _header = header;
        _layout = layout;
        Dimension = layout.Dimension;
        ImageShape = ShapeRules.ImageShapeOf(header.Shape);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _pointer = pointer + _view.PointerOffset;
        try
        {
            _labels = labels ?? (layout.Label is null ? null : layout.ReadLabels(_pointer, path));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Maps <paramref name="featuresPath"/> (raw IDX or NPY, first dimension = items) with optional labels
    /// from <paramref name="labelsPath"/> (IDX or NPY, raw or gzip).
    /// </summary>
    public static MappedSource Open(string featuresPath, string? labelsPath = null, string? name = null) => Open(featuresPath, labelsPath, name, null);

    /// <summary>
    /// <see cref="Open(string, string?, string?)"/>, the labels being either the file <paramref name="labelsPath"/>
    /// or the field <paramref name="labelField"/> of a structured NPY array (not both).
    /// </summary>
    public static MappedSource Open(string featuresPath, string? labelsPath, string? name, string? labelField)
    {
        ArgumentException.ThrowIfNullOrEmpty(featuresPath);
        if (labelsPath is not null && labelField is not null)
        {
            throw new ArgumentException($"{featuresPath}: give the labels as a file (labels=) or as a field (label=), not both.", nameof(labelField));
        }

        var header = ReadRawHeader(featuresPath, labelField);
        if (header.RowLength > int.MaxValue / 8)
        {
            throw new DataFormatException(featuresPath, $"rows of {header.RowLength:N0} values are too long.");
        }

        var layout = new RowLayout(header, labelField, featuresPath);
        int[]? labels = labelsPath is null ? null : ArrayFiles.ReadLabels(labelsPath, header.Rows);
        if (header.Count == 0)
        {
            throw new DataFormatException(featuresPath, "the array is empty; there is nothing to map.");
        }

        var file = MemoryMappedFile.CreateFromFile(featuresPath, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            var view = file.CreateViewAccessor(header.DataOffset, header.DataBytes, MemoryMappedFileAccess.Read);
            return new MappedSource(name ?? Path.GetFileNameWithoutExtension(featuresPath), file, view, header, layout, labels, featuresPath);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public string Name { get; }

    public int Count => _header.Rows;

    public int Dimension { get; }

    public ImageShape? ImageShape { get; }

    public bool HasLabels => _labels is not null;

    /// <summary>The header of the mapped file.</summary>
    public ArrayHeader Header => _header;

    public void CopyRows(ReadOnlySpan<int> indices, Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_pointer == null, this);
        SourceChecks.Rows(this, indices, destination.Length);
        _layout.CopyRows(_pointer, indices, destination);
    }

    public void CopyLabels(ReadOnlySpan<int> indices, Span<int> destination)
    {
        SourceChecks.Labels(this, indices, destination.Length);
        for (int i = 0; i < indices.Length; i++)
        {
            destination[i] = _labels![indices[i]];
        }
    }

    public void Dispose()
    {
        if (_pointer != null)
        {
            _pointer = null;
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _file.Dispose();
        }
    }

    private static ArrayHeader ReadRawHeader(string path, string? labelField)
    {
        Span<byte> magic = stackalloc byte[2];
        using (var stream = FormatLimits.OpenWithLength(path, out _))
        {
            magic = magic[..stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false)];
        }

        if (FormatLimits.IsGzip(magic))
        {
            throw new DataFormatException(path, "the file is gzip-compressed and cannot be memory-mapped; decompress it (gunzip) or load it whole.");
        }

        // The same choice as ArrayFiles.Read: the content decides, except that a .npy file is held to NPY.
        bool npy = (magic.Length == 2 && magic[0] == 0x93) || path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);
        if (!npy && labelField is not null)
        {
            throw RowLayout.NoFields(path, labelField);
        }

        return npy ? Npy.ReadHeader(path) : Idx.ReadHeader(path);
    }
}
