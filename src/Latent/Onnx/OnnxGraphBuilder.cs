using System.Runtime.InteropServices;
using Google.Protobuf;
using Latent.Onnx.Proto;
using Latent.Tensors;
using DataType = Latent.Onnx.Proto.TensorProto.Types.DataType;

namespace Latent.Onnx;

/// <summary>
/// An ONNX graph under construction: named inputs with a dynamic batch dimension, initializers, nodes in
/// topological order (each appended after the values it reads), and named outputs.
/// </summary>
/// <remarks>
/// Value names are unique: a node's output is named after its operator and a counter unless the caller names
/// it. Initializers made from a Latent tensor are registered once per tensor, so a weight that two layers share
/// (a tied decoder reads the bottleneck's weight) is stored once.
/// </remarks>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The symbolic name of the batch dimension of every input and output.</summary>
    public const string BatchDimension = "batch";

    private readonly GraphProto _graph = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<Tensor, string> _tensors = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Tensor, string> _stateNames = new(ReferenceEqualityComparer.Instance);
    private int _counter;

    /// <summary>
    /// Names the initializers of these tensors by their state-dict names when they are used, whichever layer uses
    /// them first (a tied decoder's weight is the bottleneck's "bottleneck.linear.weight").
    /// </summary>
    public void NameTensors(IEnumerable<KeyValuePair<string, Tensor>> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach ((string name, Tensor tensor) in state)
        {
            _stateNames.TryAdd(tensor, name);
        }
    }

    /// <summary>A graph input of <paramref name="type"/> shaped [batch, <paramref name="dims"/>...].</summary>
    public string Input(string name, DataType type, params long[] dims)
    {
        Claim(name);
        _graph.Input.Add(ValueInfo(name, type, dims));
        return name;
    }

    /// <summary>Makes <paramref name="value"/> the graph output <paramref name="name"/> shaped [batch, <paramref name="dims"/>...].</summary>
    public void Output(string value, string name, DataType type, params long[] dims)
    {
        if (value != name)
        {
            Claim(name);
            Add("Identity", [value], [name]);
        }

        _graph.Output.Add(ValueInfo(name, type, dims));
    }

    /// <summary>The initializer holding <paramref name="tensor"/> (registered once per tensor) under <paramref name="name"/>.</summary>
    public string Weight(Tensor tensor, string name)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (_tensors.TryGetValue(tensor, out string? existing))
        {
            return existing;
        }

        string registered = Constant(_stateNames.GetValueOrDefault(tensor, name), tensor.Span, Array.ConvertAll(tensor.Shape, d => (long)d));
        _tensors.Add(tensor, registered);
        return registered;
    }

    /// <summary>A float initializer of shape <paramref name="dims"/>, stored as raw little-endian bytes.</summary>
    public string Constant(string name, ReadOnlySpan<float> values, params long[] dims) =>
        Initializer(name, DataType.Float, MemoryMarshal.AsBytes(values), dims);

    /// <summary>A double initializer of shape <paramref name="dims"/>.</summary>
    public string Constant(string name, ReadOnlySpan<double> values, params long[] dims) =>
        Initializer(name, DataType.Double, MemoryMarshal.AsBytes(values), dims);

    /// <summary>An int64 initializer of shape <paramref name="dims"/> (shapes, axes, indices).</summary>
    public string Constant(string name, ReadOnlySpan<long> values, params long[] dims) =>
        Initializer(name, DataType.Int64, MemoryMarshal.AsBytes(values), dims);

    /// <summary>Appends a node with one output, named after the operator unless <paramref name="output"/> names it.</summary>
    public string Node(string op, string[] inputs, AttributeProto[]? attributes = null, string? output = null)
    {
        string name = output ?? Fresh(op);
        Claim(name);

        Add(op, inputs, [name], attributes);
        return name;
    }

    /// <summary>Appends a node with <paramref name="outputs"/> outputs, returning their names.</summary>
    public string[] Node(string op, string[] inputs, int outputs, AttributeProto[]? attributes = null)
    {
        var names = new string[outputs];
        for (int i = 0; i < outputs; i++)
        {
            names[i] = Fresh(op);
            Claim(names[i]);
        }

        Add(op, inputs, names, attributes);
        return names;
    }

    /// <summary>A name not used yet that starts with <paramref name="stem"/> (claimed when a value takes it).</summary>
    public string Fresh(string stem)
    {
        string name;
        do
        {
            name = $"{stem}_{_counter++}";
        }
        while (_names.Contains(name));

        return name;
    }

    /// <summary>The model: this graph, opset <see cref="OnnxExport.Opset"/>, the producer and the metadata.</summary>
    public ModelProto Build(string graphName, string documentation, IReadOnlyDictionary<string, string> metadata)
    {
        _graph.Name = graphName;
        _graph.DocString = documentation;
        var model = new ModelProto
        {
            IrVersion = OnnxExport.IrVersion,
            ProducerName = "Latent",
            ProducerVersion = OnnxExport.LatentVersion,
            Graph = _graph,
            DocString = documentation,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OnnxExport.Opset });
        foreach ((string key, string value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private string Initializer(string name, DataType type, ReadOnlySpan<byte> bytes, long[] dims)
    {
        Claim(name);
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.Add(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    private void Add(string op, string[] inputs, string[] outputs, AttributeProto[]? attributes = null)
    {
        var node = new NodeProto { OpType = op, Name = outputs[0] };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        if (attributes is not null)
        {
            node.Attribute.Add(attributes);
        }

        _graph.Node.Add(node);
    }

    private void Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"The ONNX graph already has a value named '{name}'.");
        }
    }

    private static ValueInfoProto ValueInfo(string name, DataType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        foreach (long d in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
