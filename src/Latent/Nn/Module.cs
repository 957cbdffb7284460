using System.Text;
using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Nn;

/// <summary>
/// A layer or a network of layers: named parameters, named buffers and named sub-modules, registered in
/// order, and a <see cref="Forward"/> pass that records ops on the input's tape.
/// </summary>
/// <remarks>
/// <para>
/// Names follow PyTorch: a parameter or buffer is called by the path of sub-module names that leads to it,
/// joined by dots ("encoder.0.weight", "encoder.1.running_mean"), and enumerated depth-first in registration
/// order (the module's own entries first, then each sub-module's). A state dict written by one model loads
/// into another of the same architecture, and into PyTorch when the layer names agree.
/// </para>
/// <para>
/// A buffer is a tensor that belongs to the module's state but is not trained: a batch norm's running
/// statistics. Buffers are saved and loaded with the parameters (<see cref="StateDict"/>), so model files and
/// checkpoints carry them, but they are not among <see cref="Parameters"/>, so an optimizer never sees them.
/// The module updates them itself, in place, typically only while <see cref="Training"/> is true.
/// </para>
/// </remarks>
public abstract class Module
{
    private readonly List<Var> _parameters = [];
    private readonly List<string> _parameterNames = [];
    private readonly List<Tensor> _buffers = [];
    private readonly List<string> _bufferNames = [];
    private readonly List<Module> _modules = [];
    private readonly List<string> _moduleNames = [];

    /// <summary>
    /// Whether the module is in training mode (dropout active, running statistics updated); true until <see cref="Eval"/>.
    /// </summary>
    public bool Training { get; private set; } = true;

    /// <summary>Runs the module on <paramref name="x"/>, recording its ops on the tape of <paramref name="x"/>.</summary>
    public abstract Var Forward(Var x);

    /// <summary>
    /// Every parameter of this module and its sub-modules with its dotted name, depth-first in registration order.
    /// </summary>
    public IEnumerable<(string Name, Var Parameter)> Parameters()
    {
        var list = new List<(string, Var)>();
        CollectParameters(string.Empty, list);
        return list;
    }

    /// <summary>The parameters of <see cref="Parameters"/> without their names, in the same order (for an optimizer).</summary>
    public IEnumerable<Var> ParameterVars()
    {
        foreach ((_, Var parameter) in Parameters())
        {
            yield return parameter;
        }
    }

    /// <summary>
    /// Every buffer of this module and its sub-modules with its dotted name, depth-first in registration order.
    /// The tensors are the live buffers, not copies.
    /// </summary>
    public IEnumerable<(string Name, Tensor Buffer)> Buffers()
    {
        var list = new List<(string, Tensor)>();
        CollectBuffers(string.Empty, list);
        return list;
    }

    /// <summary>The direct sub-modules with their names, in registration order.</summary>
    public IEnumerable<(string Name, Module Module)> Children()
    {
        for (int i = 0; i < _modules.Count; i++)
        {
            yield return (_moduleNames[i], _modules[i]);
        }
    }

    /// <summary>Sets training mode on this module and every sub-module.</summary>
    public void Train(bool training = true)
    {
        Training = training;
        for (int i = 0; i < _modules.Count; i++)
        {
            _modules[i].Train(training);
        }
    }

    /// <summary>Sets evaluation mode (the same as <c>Train(false)</c>) on this module and every sub-module.</summary>
    public void Eval() => Train(false);

    /// <summary>Forgets the gradient of every parameter, so the next backward pass overwrites it.</summary>
    public void ZeroGrad()
    {
        for (int i = 0; i < _parameters.Count; i++)
        {
            _parameters[i].ZeroGrad();
        }

        for (int i = 0; i < _modules.Count; i++)
        {
            _modules[i].ZeroGrad();
        }
    }

    /// <summary>
    /// The parameters and buffers by dotted name, in PyTorch's order: for each module its own parameters, then
    /// its own buffers, then each sub-module's entries. The tensors are the live values, not copies: clone them
    /// to keep a snapshot.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var state = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        CollectState(string.Empty, state);
        return state;
    }

    /// <summary>
    /// Copies every tensor of <paramref name="state"/> into the parameter or buffer of the same name.
    /// </summary>
    /// <remarks>
    /// The names must be exactly those of <see cref="StateDict"/> and every shape must match. Everything is
    /// checked before anything is copied, so a failed load leaves the module unchanged.
    /// </remarks>
    /// <exception cref="ArgumentException">A name is missing or unexpected, or a shape differs; the message names each.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var entries = StateDict();
        var problems = new List<string>();
        foreach ((string name, Tensor value) in entries)
        {
            if (!state.TryGetValue(name, out Tensor? tensor))
            {
                problems.Add($"missing '{name}' (shape {FormatShape(value)})");
            }
            else if (tensor is null)
            {
                problems.Add($"'{name}' is null");
            }
            else if (!tensor.SameShape(value))
            {
                problems.Add($"'{name}' has shape {FormatShape(tensor)} in the state dict but {FormatShape(value)} in the model");
            }
        }

        foreach (string name in state.Keys)
        {
            if (!entries.ContainsKey(name))
            {
                problems.Add($"unexpected '{name}'");
            }
        }

        if (problems.Count > 0)
        {
            // A hostile file may hold thousands of names: the message names the first few and counts the rest.
            const int Shown = 5;
            string listed = string.Join("; ", problems.Take(Shown)) + (problems.Count > Shown ? $"; and {problems.Count - Shown} more" : string.Empty);
            throw new ArgumentException($"The state dict does not fit {GetType().Name}: {listed}.", nameof(state));
        }

        foreach ((string name, Tensor value) in entries)
        {
            value.CopyFrom(state[name]);
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        Describe(text, 0);
        return text.ToString();
    }

    /// <summary>Creates a parameter owning <paramref name="value"/> and registers it under <paramref name="name"/>.</summary>
    protected Var RegisterParameter(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckName(name);
        var parameter = Var.Parameter(value, name);
        _parameters.Add(parameter);
        _parameterNames.Add(name);
        return parameter;
    }

    /// <summary>
    /// Registers <paramref name="value"/> as a buffer called <paramref name="name"/>: part of the state dict, not a
    /// parameter. The module keeps the tensor itself (not a copy) and updates it in place.
    /// </summary>
    /// <returns><paramref name="value"/>.</returns>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckName(name);
        _buffers.Add(value);
        _bufferNames.Add(name);
        return value;
    }

    /// <summary>Registers <paramref name="module"/> as a sub-module called <paramref name="name"/>.</summary>
    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name);
        if (ReferenceEquals(module, this))
        {
            throw new ArgumentException("A module cannot contain itself.", nameof(module));
        }

        _modules.Add(module);
        _moduleNames.Add(name);
        return module;
    }

    /// <summary>A short description of the module's own settings for <see cref="ToString"/>, e.g. "in=2, out=8".</summary>
    protected virtual string Describe() => string.Empty;

    /// <summary>A shape as "[3, 4]".</summary>
    internal static string FormatShape(Tensor tensor) => $"[{string.Join(", ", tensor.Shape)}]";

    private void CollectParameters(string prefix, List<(string, Var)> list)
    {
        for (int i = 0; i < _parameters.Count; i++)
        {
            list.Add((prefix + _parameterNames[i], _parameters[i]));
        }

        for (int i = 0; i < _modules.Count; i++)
        {
            _modules[i].CollectParameters(prefix + _moduleNames[i] + ".", list);
        }
    }

    private void CollectBuffers(string prefix, List<(string, Tensor)> list)
    {
        for (int i = 0; i < _buffers.Count; i++)
        {
            list.Add((prefix + _bufferNames[i], _buffers[i]));
        }

        for (int i = 0; i < _modules.Count; i++)
        {
            _modules[i].CollectBuffers(prefix + _moduleNames[i] + ".", list);
        }
    }

    private void CollectState(string prefix, OrderedDictionary<string, Tensor> state)
    {
        for (int i = 0; i < _parameters.Count; i++)
        {
            state.Add(prefix + _parameterNames[i], _parameters[i].Value);
        }

        for (int i = 0; i < _buffers.Count; i++)
        {
            state.Add(prefix + _bufferNames[i], _buffers[i]);
        }

        for (int i = 0; i < _modules.Count; i++)
        {
            _modules[i].CollectState(prefix + _moduleNames[i] + ".", state);
        }
    }

    private void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The name '{name}' contains a dot; dots separate the levels of a dotted name.", nameof(name));
        }

        if (_parameterNames.Contains(name) || _bufferNames.Contains(name) || _moduleNames.Contains(name))
        {
            throw new ArgumentException($"{GetType().Name} already has a parameter, buffer or sub-module called '{name}'.", nameof(name));
        }
    }

    private void Describe(StringBuilder text, int depth)
    {
        text.Append(GetType().Name).Append('(').Append(Describe());
        if (_modules.Count == 0)
        {
            text.Append(')');
            return;
        }

        text.AppendLine();
        for (int i = 0; i < _modules.Count; i++)
        {
            text.Append(' ', 2 * (depth + 1)).Append('(').Append(_moduleNames[i]).Append("): ");
            _modules[i].Describe(text, depth + 1);
            text.AppendLine();
        }

        text.Append(' ', 2 * depth).Append(')');
    }
}
