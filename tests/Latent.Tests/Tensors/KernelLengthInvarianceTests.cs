using System.Reflection;
using System.Runtime.Intrinsics;
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Tests.Tensors;

/// <summary>
/// An element's value must not depend on its index or on the length of the span it sits in: a vector body,
/// the last partial vector and a span shorter than one vector all compute it the same way, bit for bit.
/// </summary>
/// <remarks>
/// Every element-wise operator in the library (found by reflection, so a new one is covered the day it is
/// written) is run over every length 0..256 at several offsets into a long input and compared with the same
/// operator run over the whole input; in place as well as out of place.
/// </remarks>
[Trait("Category", "Kernels")]
public class KernelLengthInvarianceTests
{
    private const int MaxLength = 256;

    private static readonly int[] s_offsets = [0, 1, 2, 3, 5, 7, 8, 13, 16, 31];

    private static readonly Type[] s_operatorInterfaces = [typeof(IUnaryOperator), typeof(IBinaryOperator), typeof(ITernaryOperator)];

    public static TheoryData<string> Operators => new(FindOperators().Select(t => t.FullName!));

    [Theory]
    [MemberData(nameof(Operators))]
    public void EveryOperatorGivesAnElementTheSameBitsWhateverTheLengthAndOffset(string name)
    {
        Type type = FindOperators().Single(t => t.FullName == name);
        object op = Construct(type);
        string method = typeof(IUnaryOperator).IsAssignableFrom(type) ? nameof(CheckUnary)
            : typeof(IBinaryOperator).IsAssignableFrom(type) ? nameof(CheckBinary)
            : nameof(CheckTernary);
        typeof(KernelLengthInvarianceTests)
            .GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type)
            .Invoke(null, [op]);
    }

    [Fact]
    public void TheLibraryHasOperatorsToCheck() =>
        Assert.True(FindOperators().Length >= 25, $"Only {FindOperators().Length} operators were found.");

    [Theory]
    [InlineData(Activation.Identity)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.LeakyRelu)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    public void ActivationsAndTheirDerivativesAreLengthInvariant(Activation activation)
    {
        float[] x = Inputs(1, 90)[0];
        float[] g = Inputs(1, 91)[0];
        float[] y = (float[])x.Clone();
        ActivationKernels.Apply(activation, y, 0.1f);
        float[] dx = new float[x.Length];
        ActivationKernels.Backward(activation, y, g, dx, 0.1f);
        ForEveryPiece((offset, n) =>
        {
            float[] piece = x.AsSpan(offset, n).ToArray();
            ActivationKernels.Apply(activation, piece, 0.1f);
            AssertBits(y, offset, piece, $"{activation}, length {n}, offset {offset}");
            float[] gradient = new float[n];
            ActivationKernels.Backward(activation, y.AsSpan(offset, n), g.AsSpan(offset, n), gradient, 0.1f);
            AssertBits(dx, offset, gradient, $"{activation}′, length {n}, offset {offset}");

            // In place, as the autodiff's backward runs it.
            float[] inPlace = g.AsSpan(offset, n).ToArray();
            ActivationKernels.Backward(activation, y.AsSpan(offset, n), inPlace, inPlace, 0.1f);
            AssertBits(dx, offset, inPlace, $"{activation}′ in place, length {n}, offset {offset}");
        });
    }

    [Fact]
    public void LogSumExpShiftsEveryElementAlikeWhateverTheRowLength()
    {
        // The softmax numerators e^(x − max) of a row must not depend on where the row ends.
        float[] x = Inputs(1, 92)[0];
        for (int j = 0; j < x.Length; j++)
        {
            x[j] = float.IsFinite(x[j]) ? Math.Clamp(x[j], -50f, 50f) : 0f;
        }

        float[] scratch = new float[x.Length];
        float max = System.Numerics.Tensors.TensorPrimitives.Max<float>(x);
        var whole = new float[x.Length];
        ElementWise.Map(new ScaledShiftedExpOperator(max, 1f), x, whole);
        for (int n = 1; n <= MaxLength; n++)
        {
            float[] row = x.AsSpan(0, n).ToArray();
            row[0] = max;
            RowReductions.LogSumExp(row, scratch, out float rowMax, out _);
            Assert.Equal(max, rowMax);
            for (int i = 1; i < n; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(whole[i]) == BitConverter.SingleToInt32Bits(scratch[i]), $"length {n}, element {i}: {whole[i]} vs {scratch[i]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Operators))]
    public void TheScalarPathOfEveryOperatorIsItsVectorPathOnOneLane(string name)
    {
        // Callers that invoke an operator on one element (no span) get the bits the kernels give.
        Type type = FindOperators().Single(t => t.FullName == name);
        object op = Construct(type);
        string method = typeof(IUnaryOperator).IsAssignableFrom(type) ? nameof(CheckScalarUnary)
            : typeof(IBinaryOperator).IsAssignableFrom(type) ? nameof(CheckScalarBinary)
            : nameof(CheckScalarTernary);
        typeof(KernelLengthInvarianceTests)
            .GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type)
            .Invoke(null, [op]);
    }

    private static Type[] FindOperators() =>
        [.. typeof(Tensor).Assembly.GetTypes()
            .Where(t => t.IsValueType && !t.IsGenericTypeDefinition && t.GetInterfaces().Any(s_operatorInterfaces.Contains))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)];

    /// <summary>The operator with every constructor argument set to a typical value (0.3 for a float).</summary>
    private static object Construct(Type type)
    {
        ConstructorInfo? constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault();
        if (constructor is null)
        {
            return Activator.CreateInstance(type)!;
        }

        object[] arguments = [.. constructor.GetParameters().Select(p => p.ParameterType == typeof(float) ? (object)0.3f
            : throw new InvalidOperationException($"{type}: the test does not know how to make a {p.ParameterType} for {p.Name}."))];
        return constructor.Invoke(arguments);
    }

    /// <summary>Long inputs: normal values over a wide range with zeros, signed zeros, infinities, NaN and subnormals among them.</summary>
    private static float[][] Inputs(int count, ulong seed)
    {
        var rng = new Rng(seed);
        float[] specials = [0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e-40f, -1e-40f, 88.5f, -103f, 1e30f, -1e30f, 1f, -1f];
        var inputs = new float[count][];
        for (int a = 0; a < count; a++)
        {
            var x = new float[MaxLength + 40];
            rng.FillNormal(x, 0f, 4f);
            for (int j = (int)(seed % 7) + (a * 3); j < x.Length; j += 11)
            {
                x[j] = specials[(j / 11) % specials.Length];
            }

            inputs[a] = x;
        }

        return inputs;
    }

    private static void ForEveryPiece(Action<int, int> check)
    {
        foreach (int offset in s_offsets)
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                check(offset, n);
            }
        }
    }

    private static void AssertBits(float[] whole, int offset, ReadOnlySpan<float> piece, string where)
    {
        for (int i = 0; i < piece.Length; i++)
        {
            int expected = BitConverter.SingleToInt32Bits(whole[offset + i]), actual = BitConverter.SingleToInt32Bits(piece[i]);
            if (expected != actual)
            {
                Assert.Fail($"{where}, element {i}: {whole[offset + i]} ({expected:X8}) over the whole input, {piece[i]} ({actual:X8}) here.");
            }
        }
    }

    private static void CheckUnary<TOp>(TOp op)
        where TOp : struct, IUnaryOperator
    {
        float[] x = Inputs(1, 10)[0];
        float[] whole = new float[x.Length];
        ElementWise.Map(op, x, whole);
        ForEveryPiece((offset, n) =>
        {
            // Guard cells either side catch a write outside the destination.
            float[] destination = new float[n + 2];
            destination[0] = destination[n + 1] = 7f;
            ElementWise.Map(op, x.AsSpan(offset, n), destination.AsSpan(1, n));
            Assert.True(destination[0] == 7f && destination[n + 1] == 7f, $"{typeof(TOp).Name}, length {n}: wrote outside the destination.");
            AssertBits(whole, offset, destination.AsSpan(1, n), $"{typeof(TOp).Name}, length {n}, offset {offset}");

            float[] inPlace = x.AsSpan(offset, n).ToArray();
            ElementWise.Map(op, inPlace, inPlace);
            AssertBits(whole, offset, inPlace, $"{typeof(TOp).Name} in place, length {n}, offset {offset}");
        });
    }

    private static void CheckBinary<TOp>(TOp op)
        where TOp : struct, IBinaryOperator
    {
        float[][] inputs = Inputs(2, 20);
        float[] x = inputs[0], y = inputs[1];
        float[] whole = new float[x.Length];
        ElementWise.Map(op, x, y, whole);
        ForEveryPiece((offset, n) =>
        {
            float[] destination = new float[n + 2];
            destination[0] = destination[n + 1] = 7f;
            ElementWise.Map(op, x.AsSpan(offset, n), y.AsSpan(offset, n), destination.AsSpan(1, n));
            Assert.True(destination[0] == 7f && destination[n + 1] == 7f, $"{typeof(TOp).Name}, length {n}: wrote outside the destination.");
            AssertBits(whole, offset, destination.AsSpan(1, n), $"{typeof(TOp).Name}, length {n}, offset {offset}");

            float[] first = x.AsSpan(offset, n).ToArray(), second = y.AsSpan(offset, n).ToArray();
            ElementWise.Map(op, first, y.AsSpan(offset, n), first);
            AssertBits(whole, offset, first, $"{typeof(TOp).Name} in place of x, length {n}, offset {offset}");
            ElementWise.Map(op, x.AsSpan(offset, n), second, second);
            AssertBits(whole, offset, second, $"{typeof(TOp).Name} in place of y, length {n}, offset {offset}");
        });
    }

    private static void CheckTernary<TOp>(TOp op)
        where TOp : struct, ITernaryOperator
    {
        float[][] inputs = Inputs(3, 30);
        float[] x = inputs[0], y = inputs[1], z = inputs[2];
        float[] whole = new float[x.Length];
        ElementWise.Map(op, x, y, z, whole);
        ForEveryPiece((offset, n) =>
        {
            float[] destination = new float[n + 2];
            destination[0] = destination[n + 1] = 7f;
            ElementWise.Map(op, x.AsSpan(offset, n), y.AsSpan(offset, n), z.AsSpan(offset, n), destination.AsSpan(1, n));
            Assert.True(destination[0] == 7f && destination[n + 1] == 7f, $"{typeof(TOp).Name}, length {n}: wrote outside the destination.");
            AssertBits(whole, offset, destination.AsSpan(1, n), $"{typeof(TOp).Name}, length {n}, offset {offset}");

            float[] third = z.AsSpan(offset, n).ToArray();
            ElementWise.Map(op, x.AsSpan(offset, n), y.AsSpan(offset, n), third, third);
            AssertBits(whole, offset, third, $"{typeof(TOp).Name} in place of z, length {n}, offset {offset}");
        });
    }

    private static void CheckScalarUnary<TOp>(TOp op)
        where TOp : struct, IUnaryOperator
    {
        float[] x = Inputs(1, 40)[0];
        for (int i = 0; i < x.Length; i++)
        {
            AssertSame(op.Invoke(Vector128.CreateScalar(x[i])).ToScalar(), op.Invoke(x[i]), typeof(TOp), x[i]);
        }
    }

    private static void CheckScalarBinary<TOp>(TOp op)
        where TOp : struct, IBinaryOperator
    {
        float[][] inputs = Inputs(2, 50);
        for (int i = 0; i < inputs[0].Length; i++)
        {
            float a = inputs[0][i], b = inputs[1][i];
            AssertSame(op.Invoke(Vector128.CreateScalar(a), Vector128.CreateScalar(b)).ToScalar(), op.Invoke(a, b), typeof(TOp), a);
        }
    }

    private static void CheckScalarTernary<TOp>(TOp op)
        where TOp : struct, ITernaryOperator
    {
        float[][] inputs = Inputs(3, 60);
        for (int i = 0; i < inputs[0].Length; i++)
        {
            float a = inputs[0][i], b = inputs[1][i], c = inputs[2][i];
            AssertSame(op.Invoke(Vector128.CreateScalar(a), Vector128.CreateScalar(b), Vector128.CreateScalar(c)).ToScalar(), op.Invoke(a, b, c), typeof(TOp), a);
        }
    }

    private static void AssertSame(float vector, float scalar, Type type, float input)
    {
        // NaN is NaN: the scalar and vector units may give it different payloads.
        if (float.IsNaN(vector) && float.IsNaN(scalar))
        {
            return;
        }

        Assert.True(
            BitConverter.SingleToInt32Bits(vector) == BitConverter.SingleToInt32Bits(scalar),
            $"{type.Name} at {input}: vector lane {vector}, scalar {scalar}.");
    }
}
