namespace Latent.Autodiff;

/// <summary>
/// The backward half of an op: given the node's gradient, adds the gradients of its
/// inputs (node.A, node.B, node.C) through <see cref="Tape.GradBuffer"/>.
/// </summary>
/// <remarks>An implementation is a stateless singleton; everything it needs is in the node's slots.</remarks>
internal interface IBackward
{
    void Backward(Var node, Tape tape);
}
