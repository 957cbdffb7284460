namespace Latent.Tensors;

/// <summary>The activations that can be fused into a GEMM's output step and into the linear op.</summary>
public enum Activation
{
    /// <summary>f(x) = x.</summary>
    Identity,

    /// <summary>f(x) = max(x, 0).</summary>
    Relu,

    /// <summary>f(x) = x for x &gt; 0, else slope·x.</summary>
    LeakyRelu,

    /// <summary>f(x) = 1 / (1 + e^−x).</summary>
    Sigmoid,

    /// <summary>f(x) = tanh x.</summary>
    Tanh,
}
