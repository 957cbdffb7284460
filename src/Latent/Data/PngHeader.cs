namespace Latent.Data;

/// <summary>What a PNG's IHDR chunk declares: size, bit depth and colour type.</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="BitDepth">Bits per sample (1, 2, 4, 8 or 16).</param>
/// <param name="ColorType">0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA.</param>
internal sealed record PngHeader(int Width, int Height, int BitDepth, int ColorType)
{
    /// <summary>Samples per stored pixel (a palette index is one).</summary>
    public int Samples => ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };

    /// <summary>Bytes of one unfiltered row.</summary>
    public long Stride => ((Width * (long)Samples * BitDepth) + 7) / 8;

    /// <summary>Bytes of the decompressed image data: every row with its filter byte.</summary>
    public long RawBytes => Height * (Stride + 1);

    /// <summary>Whether the image decodes to grey (with or without alpha), one channel once alpha is dropped.</summary>
    public bool IsGrey => ColorType is 0 or 4;
}
