using System.Buffers.Binary;
using Latent.Data;
using Latent.Serialization;
using Latent.Tests.Serialization;

namespace Latent.Tests.Data;

/// <summary>Structured NPY arrays of numeric fields: one column per field value, <c>:label=FIELD</c> as the labels.</summary>
public class NpyStructuredTests
{
    // Fields of every kind: little- and big-endian, a (3,) sub-array, three bytes of padding (numpy's ('', '|V3')).
    private const string Descr = "[('a', '<f8'), ('cls', '>i4'), ('pos', '>i2', (3,)), ('', '|V3'), ('b', '|u1')]";
    private const int RecordBytes = 8 + 4 + 6 + 3 + 1;

    internal static byte[] Records(int n, string descr = Descr)
    {
        var data = new byte[n * RecordBytes];
        for (int i = 0; i < n; i++)
        {
            var r = data.AsSpan(i * RecordBytes, RecordBytes);
            BinaryPrimitives.WriteDoubleLittleEndian(r, i + 0.25);
            BinaryPrimitives.WriteInt32BigEndian(r[8..], i % 3);
            for (int k = 0; k < 3; k++)
            {
                BinaryPrimitives.WriteInt16BigEndian(r[(12 + (2 * k))..], (short)(-100 * i - k));
            }

            r[18..21].Fill(0xEE);
            r[21] = (byte)(200 + i);
        }

        return NpySpecWriter.File($"{{'descr': {descr}, 'fortran_order': False, 'shape': ({n},), }}", data);
    }

    private static float[] Row(int i, bool withLabel) =>
        withLabel ? [i + 0.25f, i % 3, -100 * i, (-100 * i) - 1, (-100 * i) - 2, 200 + i] : [i + 0.25f, -100 * i, (-100 * i) - 1, (-100 * i) - 2, 200 + i];

    [Fact]
    public void EveryFieldValueIsAColumnInFieldOrder()
    {
        var array = Npy.Parse(Records(4), "s.npy");
        Assert.Equal([4, 6], array.Shape);
        Assert.Equal(Enumerable.Range(0, 4).SelectMany(i => Row(i, withLabel: true)), array.Values);
        var header = Npy.ParseHeader(Records(1), "s.npy");
        Assert.Equal(["a", "cls", "pos", "b"], header.Fields!.Select(f => f.Name));
        Assert.Equal([0, 8, 12, 21], header.Fields!.Select(f => f.Offset));
        Assert.Equal(RecordBytes, header.RecordBytes);
    }

    [Fact]
    public void LabelFieldGivesTheLabelsWholeMappedAndThroughTheCatalog()
    {
        using var folder = new TempFolder();
        string path = folder.File("s.npy");
        File.WriteAllBytes(path, Records(6));
        var expected = Enumerable.Range(0, 6).SelectMany(i => Row(i, withLabel: false)).ToArray();

        var whole = ArrayFiles.Load(path, null, null, "cls");
        Assert.Equal(expected, whole.Features.ToArray());
        Assert.Equal([0, 1, 2, 0, 1, 2], whole.Labels!);

        using (var mapped = MappedSource.Open(path, null, null, "cls"))
        {
            Assert.Equal(5, mapped.Dimension);
            var rows = new float[10];
            var labels = new int[2];
            mapped.CopyRows([5, 1], rows);
            mapped.CopyLabels([5, 1], labels);
            Assert.Equal([.. Row(5, false), .. Row(1, false)], rows);
            Assert.Equal([2, 1], labels);
        }

        var catalog = new DatasetCatalog();
        Assert.Equal(whole.Labels, catalog.Load($"{path}:label=cls").Labels!);
        using var opened = (MappedSource)catalog.Open($"{path}:label=cls");
        Assert.True(opened.HasLabels);
    }

    [Theory]
    [InlineData("[('x', '<f8'), ('obj', '|O')]", "field 'obj'", "Python objects")]
    [InlineData("[('x', '<f8'), ('name', '<U10')]", "field 'name'", "text")]
    [InlineData("[('x', '<f8'), ('inner', [('p', '<f4'), ('q', '<f4')])]", "field 'inner'", "nested")]
    [InlineData("[('x', '<f8'), ('c', '<c16')]", "field 'c'", "not supported")]
    [InlineData("[('x', '<f8'), ('x', '<f4')]", "field 'x' twice", "")]
    [InlineData("[('x', '<f8'), 'y']", "not (name, type[, shape])", "")]
    public void NonNumericFieldsAreRefusedNamingTheField(string descr, string field, string reason)
    {
        var bytes = NpySpecWriter.File($"{{'descr': {descr}, 'fortran_order': False, 'shape': (2,), }}", new byte[64]);
        var message = Assert.Throws<DataFormatException>(() => Npy.Parse(bytes, "s.npy")).Message;
        Assert.StartsWith("s.npy: ", message);
        Assert.Contains(field, message);
        Assert.Contains(reason, message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void LabelOptionErrorsNameTheFieldsAndTheAlternative()
    {
        using var folder = new TempFolder();
        string path = folder.File("s.npy");
        File.WriteAllBytes(path, Records(3));
        Assert.Contains("fields are a, cls, pos, b", Assert.Throws<DataFormatException>(() => ArrayFiles.Load(path, null, null, "species")).Message);
        Assert.Contains("3 values per record", Assert.Throws<DataFormatException>(() => MappedSource.Open(path, null, null, "pos")).Message);
        Assert.Contains("label 0 is 0.25", Assert.Throws<DataFormatException>(() => ArrayFiles.Load(path, null, null, "a")).Message);

        string plain = folder.File("p.npy");
        Npy.Write(plain, new NumericArray([2, 2], [1, 2, 3, 4]));
        Assert.Contains("labels=FILE", Assert.Throws<DataFormatException>(() => new DatasetCatalog().Load($"{plain}:label=x")).Message);
        var twoD = NpySpecWriter.File("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2, 2), }", new byte[16]);
        Assert.Contains("one dimension", Assert.Throws<DataFormatException>(() => Npy.Parse(twoD, "t.npy")).Message);
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void FuzzedStructuredFilesRaiseOnlyFormatErrors()
    {
        var valid = Records(3);
        Assert.InRange(FuzzHelper.Run(valid, b => Npy.Parse(b, "fuzz", "cls", out _), 3000, seed: 41), 300, 3000);
        using var folder = new TempFolder();
        string path = folder.File("f.npy");
        Assert.InRange(FuzzHelper.Run(valid, b => { File.WriteAllBytes(path, b); MappedSource.Open(path, null, null, "cls").Dispose(); }, 300, seed: 42), 30, 300);
    }
}
