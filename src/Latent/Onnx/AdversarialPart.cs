namespace Latent.Onnx;

/// <summary>Which network of a generative adversarial network an ONNX graph computes.</summary>
public enum AdversarialPart
{
    /// <summary>z → generated items, as <see cref="Models.AdversarialNetwork.Generate(Tensors.Tensor)"/>.</summary>
    Generator,

    /// <summary>
    /// Items → the critic's logit of "real" and its probability, as <see cref="Models.AdversarialNetwork.Discriminate"/>;
    /// for an InfoGAN also the recognition head's codes, as <see cref="Models.AdversarialNetwork.InferCodes"/>.
    /// </summary>
    Discriminator,
}
