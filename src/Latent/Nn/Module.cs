using System.Text;
using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Nn;

/// <summary>
/// A layer or a network of layers: named parameters and named sub-modules, registered in order, and a
/// <see cref="Forward"/> pass that records ops on the input's tape.
/// </summary>
/// <remarks>
/// Names follow PyTorch: a parameter is called by the path of sub-module names that leads to it, joined by
/// dots ("encoder.0.weight"), and enumerated depth-first in registration order (the module's own parameters
/// first, then each sub-module's). A state dict written by one model loads into another of the same
/// architecture, and into PyTorch when the layer names agree.
/// </remarks>
public abstract class Module
{
    private readonly List<Var> _parameters = [];
    private readonly List<string> _parameterNames = [];
    private readonly List<Module> _modules = [];
    private readonly List<string> _moduleNames = [];

    /// <summary>Whether the module is in training mode (dropout active); true until <see cref="Eval"/>.</summary>
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
    /// The parameters by dotted name, in the order of <see cref="Parameters"/>. The tensors are the live
    /// parameter values, not copies: clone them to keep a snapshot.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var state = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string name, Var parameter) in Parameters())
        {
            state.Add(name, parameter.Value);
        }

        return state;
    }

    /// <summary>
    /// Copies every tensor of <paramref name="state"/> into the parameter of the same name.
    /// </summary>
    /// <remarks>
    /// The names must be exactly those of <see cref="StateDict"/> and every shape must match. Everything is
    /// checked before anything is copied, so a failed load leaves the module unchanged.
    /// </remarks>
    /// <exception cref="ArgumentException">A name is missing or unexpected, or a shape differs; the message names each.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var parameters = Parameters().ToList();
        var problems = new List<string>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, Var parameter) in parameters)
        {
            known.Add(name);
            if (!state.TryGetValue(name, out Tensor? tensor))
            {
                problems.Add($"missing '{name}' (shape {FormatShape(parameter.Value)})");
            }
            else if (tensor is null)
            {
                problems.Add($"'{name}' is null");
            }
            else if (!tensor.SameShape(parameter.Value))
            {
                problems.Add($"'{name}' has shape {FormatShape(tensor)} in the state dict but {FormatShape(parameter.Value)} in the model");
            }
        }

        foreach (string name in state.Keys)
        {
            if (!known.Contains(name))
            {
                problems.Add($"unexpected '{name}'");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"The state dict does not fit {GetType().Name}: {string.Join("; ", problems)}.", nameof(state));
        }

        foreach ((string name, Var parameter) in parameters)
        {
            parameter.Value.CopyFrom(state[name]);
        }
    }

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

    private void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The name '{name}' contains a dot; dots separate the levels of a dotted name.", nameof(name));
        }

        if (_parameterNames.Contains(name) || _moduleNames.Contains(name))
        {
            throw new ArgumentException($"{GetType().Name} already has a parameter or sub-module called '{name}'.", nameof(name));
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
