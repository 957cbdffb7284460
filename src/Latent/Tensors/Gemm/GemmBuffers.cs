using System.Runtime.CompilerServices;

namespace Latent.Tensors;

/// <summary>
/// One thread's packing buffers, kept for the thread's lifetime so that steady-state GEMMs allocate
/// nothing. Pinned (on the pinned object heap) and aligned to 64 bytes for the kernels' vector loads.
/// </summary>
internal sealed unsafe class GemmBuffers
{
    [ThreadStatic]
    private static GemmBuffers? s_current;

    private readonly float[] _storage;

    private GemmBuffers(int aLength, int bLength, int tileLength)
    {
        // Each region is rounded up to whole cache lines, plus one line of slack for the alignment.
        int a = Round(aLength), b = Round(bLength), t = Round(tileLength);
        _storage = GC.AllocateUninitializedArray<float>(a + b + t + 16, pinned: true);
        float* start = (float*)(((nint)Unsafe.AsPointer(ref _storage[0]) + 63) & ~(nint)63);
        A = start;
        B = start + a;
        Tile = start + a + b;
        ALength = aLength;
        BLength = bLength;
        TileLength = tileLength;
    }

    /// <summary>The packed A sliver (mr × kc).</summary>
    public float* A { get; }

    /// <summary>The packed B block (kc × nc, in slivers of nr columns).</summary>
    public float* B { get; }

    /// <summary>The scratch tile for edge stores (mr × nr).</summary>
    public float* Tile { get; }

    public int ALength { get; }

    public int BLength { get; }

    public int TileLength { get; }

    /// <summary>This thread's buffers, (re)allocated only if they are smaller than asked.</summary>
    public static GemmBuffers For(int aLength, int bLength, int tileLength)
    {
        GemmBuffers? current = s_current;
        if (current is null || current.ALength < aLength || current.BLength < bLength || current.TileLength < tileLength)
        {
            current = new GemmBuffers(aLength, bLength, tileLength);
            s_current = current;
        }

        return current;
    }

    private static int Round(int length) => (length + 15) & ~15;
}
