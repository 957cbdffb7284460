namespace Latent.Onnx;

/// <summary>Which part of an autoencoder an ONNX graph computes.</summary>
public enum OnnxPart
{
    /// <summary>Input → code, as <see cref="Models.Autoencoder.Encode(Tensors.Tensor)"/>; a variational model gives the posterior's mean and log-variance.</summary>
    Encoder,

    /// <summary>Code → the mean of p(x | z), as <see cref="Models.Autoencoder.Decode(Tensors.Tensor)"/>.</summary>
    Decoder,

    /// <summary>Input → reconstruction, as <see cref="Models.Autoencoder.Reconstruct(Tensors.Tensor)"/>.</summary>
    Reconstruct,
}
