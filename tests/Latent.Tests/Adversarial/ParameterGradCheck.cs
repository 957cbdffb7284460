using Latent.Autodiff;
using Latent.Nn;

namespace Latent.Tests.Adversarial;

/// <summary>
/// Checks the gradient a loss sends to a module's parameters against central finite differences of the loss.
/// </summary>
/// <remarks>
/// The loss is rebuilt on a fresh tape for every evaluation (its value is one float; the differences are taken in
/// double, as <see cref="Autodiff.GradCheck"/> does). A parameter tensor passes when the analytic and numeric
/// gradients agree element by element within an absolute floor (the float loss's rounding divided by the step) plus a
/// relative share, and as whole vectors within a relative share of the numeric gradient's norm, so that one element
/// crossing a leaky ReLU's kink cannot hide a wrong gradient. An element that disagrees at the step is measured again at
/// steps 10 and 100 times smaller, which a kink or batch norm's curvature on a tiny batch bends no more, while a wrong
/// gradient disagrees at every step.
/// </remarks>
internal static class ParameterGradCheck
{
    /// <summary>The parameters of <paramref name="module"/> whose names start with any of <paramref name="prefixes"/>.</summary>
    public static List<(string Name, Var Parameter)> Named(Module module, params string[] prefixes) =>
        module.Parameters().Where(p => prefixes.Any(prefix => p.Name.StartsWith(prefix, StringComparison.Ordinal))).ToList();

    /// <summary>The analytic gradients of <paramref name="loss"/> for every parameter of <paramref name="module"/> (null where none arrived).</summary>
    public static Dictionary<string, float[]?> Analytic(Module module, Func<Tape, Var> loss)
    {
        module.ZeroGrad();
        using var tape = new Tape();
        tape.Backward(loss(tape));
        var gradients = module.Parameters().ToDictionary(p => p.Name, p => p.Parameter.HasGrad ? p.Parameter.Grad!.ToArray() : null, StringComparer.Ordinal);
        module.ZeroGrad();
        return gradients;
    }

    /// <summary>
    /// Asserts that the gradient of <paramref name="loss"/> reaches every parameter of <paramref name="checkedParameters"/>
    /// and agrees with central finite differences there (at most <paramref name="perTensor"/> elements of each, spread
    /// over the tensor), and that no gradient reaches <paramref name="untouched"/>.
    /// </summary>
    public static void Check(
        Module module,
        Func<Tape, Var> loss,
        IReadOnlyList<(string Name, Var Parameter)> checkedParameters,
        IReadOnlyList<(string Name, Var Parameter)>? untouched = null,
        float epsilon = 1e-3f,
        double relative = 2e-2,
        int perTensor = 24)
    {
        Assert.NotEmpty(checkedParameters);
        var analytic = Analytic(module, loss);
        foreach ((string name, _) in untouched ?? [])
        {
            Assert.True(analytic[name] is null, $"{name} received a gradient it must not");
        }

        double lossScale = Math.Abs(Value(loss));
        foreach ((string name, Var parameter) in checkedParameters)
        {
            float[] gradient = analytic[name] ?? throw new Xunit.Sdk.XunitException($"{name} received no gradient");
            var span = parameter.Value.Span;
            int count = Math.Min(perTensor, span.Length);
            var numeric = new double[count];
            var chosen = new double[count];
            var positions = new int[count];
            for (int i = 0; i < count; i++)
            {
                int k = positions[i] = (int)((long)i * span.Length / count);
                float original = span[k];
                span[k] = original + epsilon;
                double plus = Value(loss);
                span[k] = original - epsilon;
                double minus = Value(loss);
                span[k] = original;
                double step = (double)(original + epsilon) - (original - epsilon);
                numeric[i] = (plus - minus) / step;
                chosen[i] = gradient[k];
            }

            // The float loss is exact to about 2⁻²³ of its size: the differences' own noise.
            double floor = 4 * lossScale * 1.2e-7 / epsilon;
            double errorNorm = 0, numericNorm = 0, floorNorm = 0;
            for (int i = 0; i < count; i++)
            {
                double error = Math.Abs(chosen[i] - numeric[i]);
                if (error > Bound(floor, numeric[i], relative))
                {
                    // A pre-activation within the step of a leaky ReLU's kink, or batch norm's curvature on a batch of
                    // five, bends the difference at this step: one 10 or 100 times smaller must then agree (within the
                    // larger rounding noise of its smaller step).
                    double fine = 0, fineError = double.PositiveInfinity, fineFloor = floor;
                    for (int shrink = 10; shrink <= 100 && fineError > Bound(fineFloor, fine, relative); shrink *= 10)
                    {
                        fine = Difference(loss, parameter, positions[i], epsilon / shrink);
                        fineError = Math.Abs(chosen[i] - fine);
                        fineFloor = floor * shrink;
                    }

                    if (fineError > Bound(fineFloor, fine, relative))
                    {
                        string steps = string.Join(", ", new[] { 1e-2f, 1e-3f, 1e-4f, 1e-5f }.Select(e => Difference(loss, parameter, positions[i], e).ToString("G4", System.Globalization.CultureInfo.InvariantCulture)));
                        Assert.Fail($"{name}[{positions[i]}]: analytic {chosen[i]} but finite difference {numeric[i]} (steps 1e-2 … 1e-5: {steps})");
                    }

                    (numeric[i], error) = (fine, fineError);
                    floorNorm += fineFloor * fineFloor;
                }
                else
                {
                    floorNorm += floor * floor;
                }

                errorNorm += error * error;
                numericNorm += numeric[i] * numeric[i];
            }

            Assert.True(Math.Sqrt(errorNorm) <= (relative * Math.Sqrt(numericNorm)) + Math.Sqrt(floorNorm), $"{name}: gradient error norm {Math.Sqrt(errorNorm):G4} against the finite differences' norm {Math.Sqrt(numericNorm):G4}");
        }
    }

    private static double Bound(double floor, double numeric, double relative) => floor + (5 * relative * Math.Abs(numeric)) + (relative * 0.1);

    private static double Difference(Func<Tape, Var> loss, Var parameter, int k, float epsilon)
    {
        var span = parameter.Value.Span;
        float original = span[k];
        span[k] = original + epsilon;
        double plus = Value(loss);
        span[k] = original - epsilon;
        double minus = Value(loss);
        parameter.Value.Span[k] = original;
        return (plus - minus) / ((double)(original + epsilon) - (original - epsilon));
    }

    private static double Value(Func<Tape, Var> loss)
    {
        using var tape = new Tape { GradEnabled = false };
        return loss(tape).Value.Span[0];
    }
}
