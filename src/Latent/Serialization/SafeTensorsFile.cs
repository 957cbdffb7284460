using Latent.Tensors;

namespace Latent.Serialization;

/// <summary>The contents of a safetensors file: named float32 tensors and a string-to-string metadata map.</summary>
public sealed class SafeTensorsFile
{
    /// <summary>Creates the contents from tensors (in any order) and optional metadata.</summary>
    public SafeTensorsFile(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Tensors = tensors;
        Metadata = metadata ?? new Dictionary<string, string>();
    }

    /// <summary>The tensors by name (PyTorch-style names such as <c>encoder.0.weight</c>).</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
}
