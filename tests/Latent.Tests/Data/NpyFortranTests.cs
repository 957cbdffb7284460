using Latent.Data;
using Latent.Serialization;

namespace Latent.Tests.Data;

/// <summary>Fortran-order NPY files read as numpy reads them: the same floats, bit for bit, as the C-order file of the same array.</summary>
public class NpyFortranTests
{
    public static TheoryData<ElementType, bool, int[]> Cases()
    {
        var cases = new TheoryData<ElementType, bool, int[]>();
        foreach (var type in NpySpecWriter.Types)
        {
            foreach (bool bigEndian in new[] { false, true })
            {
                if (bigEndian && NpySpecWriter.Size(type) == 1)
                {
                    continue;
                }

                cases.Add(type, bigEndian, [7, 3]);
                cases.Add(type, bigEndian, [5, 3, 4]);
            }
        }

        cases.Add(ElementType.Float32, false, [3, 2, 3, 2]);
        cases.Add(ElementType.Int16, true, [300, 5]);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FortranFilesReadAsTheCOrderFileBitForBit(ElementType type, bool bigEndian, int[] shape)
    {
        var values = NpySpecWriter.Values(shape.Aggregate(1, (a, b) => a * b), type, seed: shape.Length);
        var c = Npy.Parse(NpySpecWriter.Array(shape, values, type, bigEndian, fortran: false), "c.npy");
        var f = Npy.Parse(NpySpecWriter.Array(shape, values, type, bigEndian, fortran: true), "f.npy");
        Assert.Equal(shape, f.Shape);
        Assert.Equal(type, f.StoredType);
        Assert.Equal(Bits(values), Bits(c.Values));
        Assert.Equal(Bits(c.Values), Bits(f.Values));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MappedFortranBatchesMatchTheCOrderFile(ElementType type, bool bigEndian, int[] shape)
    {
        using var folder = new TempFolder();
        var values = NpySpecWriter.Values(shape.Aggregate(1, (a, b) => a * b), type, seed: 5);
        File.WriteAllBytes(folder.File("c.npy"), NpySpecWriter.Array(shape, values, type, bigEndian, fortran: false));
        File.WriteAllBytes(folder.File("f.npy"), NpySpecWriter.Array(shape, values, type, bigEndian, fortran: true));
        using var c = MappedSource.Open(folder.File("c.npy"));
        using var f = MappedSource.Open(folder.File("f.npy"));
        Assert.True(f.Header.FortranOrder);
        Assert.Equal(c.Dimension, f.Dimension);
        int n = shape[0];
        f.CopyRows([], []);

        // Shuffled with repeats, one row, the whole file in order, and a contiguous run from the middle.
        int[][] batches = [[n - 1, 0, n / 2, 0, 1, n - 1], [n / 2], [.. Enumerable.Range(0, n)], [.. Enumerable.Range(1, n - 2)]];
        foreach (var batch in batches)
        {
            var expected = new float[batch.Length * c.Dimension];
            var actual = new float[batch.Length * f.Dimension];
            c.CopyRows(batch, expected);
            f.CopyRows(batch, actual);
            Assert.Equal(Bits(expected), Bits(actual));
        }
    }

    [Fact]
    public void ThreeDimensionalFortranFollowsNumpysLayout()
    {
        // numpy.asfortranarray(numpy.arange(24, dtype='<i4').reshape(2, 3, 4)): element (i, j, k) = 12i + 4j + k
        // is stored at i + 2·(j + 3·k), so the file's data is 0, 12, 4, 16, 8, 20, 1, 13, ...
        var data = new byte[24 * 4];
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                for (int k = 0; k < 4; k++)
                {
                    BitConverter.TryWriteBytes(data.AsSpan((i + (2 * (j + (3 * k)))) * 4), (12 * i) + (4 * j) + k);
                }
            }
        }

        Assert.Equal([0, 0, 0, 0, 12, 0, 0, 0, 4], data[..9]);
        var array = Npy.Parse(NpySpecWriter.File("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3, 4), }", data), "f.npy");
        Assert.Equal([2, 3, 4], array.Shape);
        Assert.Equal(Enumerable.Range(0, 24).Select(v => (float)v), array.Values);
    }

    [Fact]
    public void OneDimensionalFortranIsTheSameVectorAndStillRefusedAsFeatures()
    {
        using var folder = new TempFolder();
        string path = folder.File("v.npy");
        File.WriteAllBytes(path, NpySpecWriter.Array([4], [1, 2, 3, 4], ElementType.Float64, false, fortran: true));
        Assert.Equal([1f, 2, 3, 4], Npy.Read(path).Values);
        Assert.False(Npy.ReadHeader(path).FortranOrder);
        Assert.Contains("vector of 4", Assert.Throws<DataFormatException>(() => ArrayFiles.Load(path)).Message);
        Assert.Equal([1, 2, 3, 4], ArrayFiles.ReadLabels(path, 4));
    }

    [Fact]
    public void TheCatalogOpensAFortranFileMappedAndLoadsItWhole()
    {
        using var folder = new TempFolder();
        string path = folder.File("f.npy");
        var values = NpySpecWriter.Values(60, ElementType.Float32, 2);
        File.WriteAllBytes(path, NpySpecWriter.Array([20, 3], values, ElementType.Float32, false, fortran: true));
        var catalog = new DatasetCatalog();
        using (var mapped = (MappedSource)catalog.Open(path))
        {
            var row = new float[3];
            mapped.CopyRows([19], row);
            Assert.Equal(values[57..60], row);
        }

        Assert.Equal(values, catalog.Load(path).Features.ToArray());
    }

    [Fact]
    public void ASizeBeyondIntIsRefusedEvenBesideAZero()
    {
        var bytes = NpySpecWriter.File("{'descr': '<f4', 'fortran_order': True, 'shape': (0, 5000000000), }", []);
        Assert.Contains("5,000,000,000 is larger than the limit", Assert.Throws<DataFormatException>(() => Npy.Parse(bytes, "z.npy")).Message);
    }

    internal static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
