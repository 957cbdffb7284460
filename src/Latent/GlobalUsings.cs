// System.Numerics.Tensors also defines a Tensor type; Latent only takes its span primitives, by alias, so
// that "Tensor" always means Latent.Tensors.Tensor.
global using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
