namespace Latent.Data;

/// <summary>An array read from (or to be written to) an IDX or NPY file: a shape and float32 values.</summary>
/// <remarks>Values of any stored element type are converted to float32 on reading; <see cref="StoredType"/> says what the file held.</remarks>
public sealed class NumericArray
{
    /// <summary>Wraps <paramref name="values"/> (not copied) with <paramref name="shape"/>.</summary>
    public NumericArray(int[] shape, float[] values, ElementType storedType = ElementType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(values);
        long count = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            count *= d;
        }

        if (shape.Length == 0 || count != values.Length)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] does not hold {values.Length} values.", nameof(values));
        }

        Shape = shape;
        Values = values;
        StoredType = storedType;
    }

    /// <summary>The dimensions, outermost first.</summary>
    public int[] Shape { get; }

    /// <summary>The values, row-major (C order).</summary>
    public float[] Values { get; }

    /// <summary>The element type of the file the array came from (or is to be written as).</summary>
    public ElementType StoredType { get; }

    /// <summary>Size of the first dimension.</summary>
    public int Rows => Shape[0];

    /// <summary>Product of the dimensions after the first.</summary>
    public int RowLength => Rows == 0 ? Shape.Skip(1).Aggregate(1, (a, b) => a * b) : Values.Length / Rows;
}
