namespace Latent.Tensors;

/// <summary>One GEMM's operands as pinned pointers, with its k blocking (which depends on k alone).</summary>
internal readonly unsafe struct GemmProblem
{
    public GemmProblem(
        GemmForm form, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb,
        float beta, float* c, int ldc, float* bias, Activation activation, float slope, int kcMax)
    {
        Form = form;
        M = m;
        N = n;
        K = k;
        Alpha = alpha;
        A = a;
        Lda = lda;
        B = b;
        Ldb = ldb;
        Beta = beta;
        C = c;
        Ldc = ldc;
        Bias = bias;
        Activation = activation;
        Slope = slope;

        // Equal k blocks: a block count fixed by k alone keeps every element's summation order the same
        // whatever the split of the output over threads.
        KBlocks = Math.Max(1, (k + kcMax - 1) / kcMax);
        Kc = (k + KBlocks - 1) / KBlocks;
    }

    public GemmForm Form { get; }

    public int M { get; }

    public int N { get; }

    public int K { get; }

    public float Alpha { get; }

    public float* A { get; }

    public int Lda { get; }

    public float* B { get; }

    public int Ldb { get; }

    public float Beta { get; }

    public float* C { get; }

    public int Ldc { get; }

    /// <summary>The bias row, or null.</summary>
    public float* Bias { get; }

    public Activation Activation { get; }

    public float Slope { get; }

    /// <summary>How many k blocks.</summary>
    public int KBlocks { get; }

    /// <summary>The length of every k block but the last (which may be shorter).</summary>
    public int Kc { get; }
}
