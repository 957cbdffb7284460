using System.Globalization;
using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Optim;

/// <summary>
/// Updates a fixed list of parameters from their gradients. Holds per-parameter state (moment tensors and a
/// step count) that <see cref="StateDict"/> and <see cref="LoadStateDict"/> carry through checkpoints.
/// </summary>
/// <remarks>
/// A parameter whose <see cref="Var.HasGrad"/> is false is skipped by <see cref="Step"/> and its step count
/// does not advance, as PyTorch skips a parameter whose grad is None. All state is allocated when the
/// optimizer is made, each slot filled with its declared initial value (<see cref="OptimizerSlot"/>: zero
/// for moments and momentum buffers, a positive start for an Adagrad accumulator), so a step allocates nothing. State is named as in PyTorch's optimizer state dict, by
/// the parameter's position: "state.{i}.{slot}" for each state tensor and "state.{i}.step" for the count
/// (a one-element float tensor, exact up to 2²⁴ steps, as PyTorch's float32 step).
/// </remarks>
public abstract class Optimizer
{
    private const int MaxExactStep = 1 << 24;

    private readonly Var[] _parameters;
    private readonly int[] _steps;
    private readonly OptimizerSlot[] _slotDeclarations;
    private readonly Tensor[][] _slots;
    private float _learningRate;
    private PartUpdates? _parts;

    /// <summary>An optimizer over <paramref name="parameters"/> keeping one zero-initialised state tensor per parameter for each of <paramref name="slotNames"/>.</summary>
    protected Optimizer(IEnumerable<Var> parameters, float learningRate, params string[] slotNames)
        : this(parameters, learningRate, ToSlots(slotNames))
    {
    }

    /// <summary>
    /// An optimizer over <paramref name="parameters"/> keeping one state tensor per parameter for each of
    /// <paramref name="slots"/>, filled with the slot's initial value.
    /// </summary>
    protected Optimizer(IEnumerable<Var> parameters, float learningRate, params OptimizerSlot[] slots)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(slots);
        var names = new HashSet<string>(StringComparer.Ordinal) { "step" };
        foreach (var slot in slots)
        {
            if (string.IsNullOrEmpty(slot.Name) || !names.Add(slot.Name))
            {
                throw new ArgumentException($"State slot '{slot.Name}' is empty, repeated or reserved.", nameof(slots));
            }

            if (!float.IsFinite(slot.Initial))
            {
                throw new ArgumentException($"State slot '{slot.Name}' starts at {slot.Initial}; it must be finite.", nameof(slots));
            }
        }

        _parameters = [.. parameters];
        var seen = new HashSet<Var>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i] ?? throw new ArgumentException($"Parameter {i} is null.", nameof(parameters));
            if (parameter.Tape is not null || !parameter.RequiresGrad)
            {
                throw new ArgumentException($"Parameter {i} ({parameter}) is not a trainable parameter; make it with Var.Parameter.", nameof(parameters));
            }

            if (!seen.Add(parameter))
            {
                throw new ArgumentException($"Parameter {i} ({parameter}) appears more than once.", nameof(parameters));
            }
        }

        LearningRate = learningRate;
        _steps = new int[_parameters.Length];
        _slotDeclarations = [.. slots];
        _slots = new Tensor[slots.Length][];
        for (int s = 0; s < slots.Length; s++)
        {
            _slots[s] = new Tensor[_parameters.Length];
            for (int i = 0; i < _parameters.Length; i++)
            {
                _slots[s][i] = Tensor.Zeros(_parameters[i].Value.Shape);
                if (slots[s].Initial != 0f)
                {
                    _slots[s][i].Fill(slots[s].Initial);
                }
            }
        }
    }

    /// <summary>The state slots, in the order declared (their names and initial values).</summary>
    public IReadOnlyList<OptimizerSlot> Slots => _slotDeclarations;

    /// <summary>The parameters, in the order given.</summary>
    public IReadOnlyList<Var> Parameters => _parameters;

    /// <summary>The learning rate of the next <see cref="Step"/> (set it from a schedule between steps).</summary>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value >= 0f && float.IsFinite(value)))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be finite and non-negative.");
            }

            _learningRate = value;
        }
    }

    /// <summary>How many updates parameter <paramref name="index"/> has received.</summary>
    public int StepCount(int index) => _steps[index];

    /// <summary>Updates every parameter that has a gradient.</summary>
    /// <remarks>
    /// When <see cref="UpdatesElementWise"/>, the parameters are cut into parts of 32,768
    /// elements that run on every core the <see cref="Parallelism"/> limit allows; an element's update does not
    /// depend on the part it is in, so the result is the same for any number of threads.
    /// </remarks>
    public void Step()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i].HasGrad)
            {
                _steps[i]++;
            }
        }

        if (!UpdatesElementWise)
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                UpdatePart(i, Range.All);
            }

            return;
        }

        _parts ??= new PartUpdates(this);
        _parts.Run();
    }

    /// <summary>Forgets every parameter's gradient, so the next backward pass overwrites it.</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            parameter.ZeroGrad();
        }
    }

    /// <summary>A copy of the state: every state tensor and step count, named "state.{i}.{slot}" and "state.{i}.step".</summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var state = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < _parameters.Length; i++)
        {
            for (int s = 0; s < _slotDeclarations.Length; s++)
            {
                state.Add(SlotKey(i, _slotDeclarations[s].Name), _slots[s][i].Clone());
            }

            state.Add(SlotKey(i, "step"), Tensor.FromArray([_steps[i]], 1));
        }

        return state;
    }

    /// <summary>Restores the state from <see cref="StateDict"/> of an optimizer of the same kind over parameters of the same shapes.</summary>
    /// <remarks>Everything is checked before anything is copied, so a failed load leaves the optimizer unchanged.</remarks>
    /// <exception cref="ArgumentException">A name is missing or unexpected, a shape differs, or a step count is not a whole number in [0, 2²⁴].</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = new List<string>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < _parameters.Length; i++)
        {
            for (int s = 0; s < _slotDeclarations.Length; s++)
            {
                string key = SlotKey(i, _slotDeclarations[s].Name);
                known.Add(key);
                CheckEntry(state, key, _slots[s][i], _parameters[i], problems);
            }

            string stepKey = SlotKey(i, "step");
            known.Add(stepKey);
            if (CheckEntry(state, stepKey, null, _parameters[i], problems))
            {
                float step = state[stepKey][0];
                if (!(step >= 0f && step <= MaxExactStep && step == MathF.Floor(step)))
                {
                    problems.Add($"'{stepKey}' is {step.ToString(CultureInfo.InvariantCulture)}, not a whole number of steps in [0, {MaxExactStep}]");
                }
            }
        }

        foreach (string key in state.Keys)
        {
            if (!known.Contains(key))
            {
                problems.Add($"unexpected '{key}'");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"The optimizer state does not fit this {GetType().Name} over {_parameters.Length} parameters: {string.Join("; ", problems)}.", nameof(state));
        }

        for (int i = 0; i < _parameters.Length; i++)
        {
            for (int s = 0; s < _slotDeclarations.Length; s++)
            {
                _slots[s][i].CopyFrom(state[SlotKey(i, _slotDeclarations[s].Name)]);
            }

            _steps[i] = (int)state[SlotKey(i, "step")][0];
        }
    }

    /// <summary>
    /// Whether an element's update reads only that element of the parameter, its gradient and its state (true of
    /// every optimizer here), so that <see cref="Step"/> may update a parameter in parts on several threads. False
    /// by default: <see cref="Update"/> then always receives whole parameters.
    /// </summary>
    protected virtual bool UpdatesElementWise => false;

    /// <summary>Updates one parameter, or the part <paramref name="elements"/> of it, in place.</summary>
    /// <param name="index">The parameter's position, for <see cref="Slot"/>.</param>
    /// <param name="elements">Which elements of the parameter <paramref name="value"/> and <paramref name="gradient"/> hold (all, unless <see cref="UpdatesElementWise"/>).</param>
    /// <param name="value">The parameter's values θ (those elements).</param>
    /// <param name="gradient">Its gradient g (those elements).</param>
    /// <param name="step">Its step count t, counting this update (1 on the first).</param>
    protected abstract void Update(int index, Range elements, Span<float> value, ReadOnlySpan<float> gradient, int step);

    /// <summary>
    /// Elements <paramref name="elements"/> of state tensor <paramref name="slot"/> (in the order of the names given to
    /// the constructor) of parameter <paramref name="index"/>.
    /// </summary>
    protected Span<float> Slot(int slot, int index, Range elements) => _slots[slot][index].Span[elements];

    private void UpdatePart(int index, Range elements)
    {
        var parameter = _parameters[index];
        if (parameter.HasGrad)
        {
            Update(index, elements, parameter.Value.Span[elements], parameter.Grad!.Span[elements], _steps[index]);
        }
    }

    private static OptimizerSlot[] ToSlots(string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return [.. names.Select(name => new OptimizerSlot(name))];
    }

    private static string SlotKey(int index, string slot) => string.Create(CultureInfo.InvariantCulture, $"state.{index}.{slot}");

    /// <summary>Records a problem unless <paramref name="key"/> is present with the expected shape ([1] for a step count).</summary>
    private static bool CheckEntry(IReadOnlyDictionary<string, Tensor> state, string key, Tensor? expected, Var parameter, List<string> problems)
    {
        string of = parameter.Name is null ? string.Empty : $" (for parameter '{parameter.Name}')";
        string expectedShape = expected is null ? "[1]" : FormatShape(expected);
        if (!state.TryGetValue(key, out Tensor? tensor) || tensor is null)
        {
            problems.Add($"missing '{key}'{of} (shape {expectedShape})");
            return false;
        }

        bool fits = expected is null ? tensor.Rank == 1 && tensor.Length == 1 : tensor.SameShape(expected);
        if (!fits)
        {
            problems.Add($"'{key}'{of} has shape {FormatShape(tensor)} in the state but {expectedShape} in the optimizer");
        }

        return fits;
    }

    private static string FormatShape(Tensor tensor) => $"[{string.Join(", ", tensor.Shape)}]";

    /// <summary>The parts of an element-wise step, cut once (the parameters never change) and run as one parallel job.</summary>
    private sealed class PartUpdates : IGemmPartRunner
    {
        /// <summary>Elements per part: large enough that a part outweighs handing it to a thread, a multiple of every vector width.</summary>
        private const int PartLength = 1 << 15;

        private readonly Optimizer _optimizer;
        private readonly (int Index, Range Elements)[] _parts;
        private readonly long _elements;

        public PartUpdates(Optimizer optimizer)
        {
            _optimizer = optimizer;
            var parts = new List<(int, Range)>();
            for (int i = 0; i < optimizer._parameters.Length; i++)
            {
                int length = optimizer._parameters[i].Value.Length;
                _elements += length;
                for (int start = 0; start < length; start += PartLength)
                {
                    parts.Add((i, start..Math.Min(length, start + PartLength)));
                }
            }

            _parts = [.. parts];
        }

        public void Run()
        {
            int threads = _elements < 2 * PartLength ? 1 : Parallelism.MaxThreads;
            GemmWorkers.Run(this, _parts.Length, threads);
        }

        public void RunPart(int part) => _optimizer.UpdatePart(_parts[part].Index, _parts[part].Elements);
    }
}
