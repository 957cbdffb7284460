using System.CommandLine;
using System.Globalization;
using Latent.Evaluation;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary>
/// <c>latent divergence --p "mixture:0.5,-2,0.6;0.5,2,0.6" --alpha -50,0,0.5,1,50 --out fig</c>: fits a
/// Gaussian q to a 1-D density p by minimising D_α(p‖q) for each α, prints the fits and draws them over p
/// (Minka 2005, Figure 1).
/// </summary>
internal static class DivergenceCommand
{
    public static Command Create()
    {
        var density = new Option<string>("--p") { Description = "The density p: mixture:W,MEAN,SIGMA;W,MEAN,SIGMA;... (weights normalised) or gaussian:MEAN,SIGMA.", DefaultValueFactory = _ => "mixture:0.5,-2,0.6;0.5,2,0.6" };
        var alphas = new Option<string>("--alpha") { Description = "Comma-separated α values (large ones such as −50 and 50 stand for α → ∓∞; 0 is the reverse KL(q‖p), 1 the forward KL(p‖q)); write --alpha=-50,0,1 when the list starts with a minus.", DefaultValueFactory = _ => "-50,0,0.5,1,50" };
        var output = new Option<string?>("--out") { Description = "A folder for divergence.png and divergence.svg (none: print only)." };
        var command = new Command("divergence", "Fit a Gaussian q to a 1-D density p by minimising the alpha divergence D_α(p‖q) for several α; print the fits and draw them over p.");
        command.Options.Add(density);
        command.Options.Add(alphas);
        command.Options.Add(output);
        command.SetAction(parsed =>
        {
            foreach (string line in Run(parsed.GetValue(density)!, parsed.GetValue(alphas)!, parsed.GetValue(output)))
            {
                Console.WriteLine(line);
            }

            return 0;
        });
        return command;
    }

    /// <summary>Fits, prints and draws; returns the lines printed.</summary>
    public static IReadOnlyList<string> Run(string density, string alphaList, string? directory)
    {
        GaussianMixture1D p;
        try
        {
            p = GaussianMixture1D.Parse(density);
        }
        catch (FormatException exception)
        {
            throw new ArgumentException($"--p: {exception.Message}", exception);
        }

        double[] alphas = ParseAlphas(alphaList);
        var fits = AlphaGaussianFit.FitAll(p, alphas);
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"latent divergence: p = {p} (mean {p.Mean:0.####}, σ {p.StandardDeviation:0.####})"),
            $"  {"α",8}  {"mean",9}  {"σ",8}  {"D_α(p‖q)",12}",
        };
        lines.AddRange(fits.Select(f => string.Create(CultureInfo.InvariantCulture, $"  {f.Alpha,8:0.###}  {(Math.Abs(f.Mean) < 5e-5 ? 0 : f.Mean),9:0.0000}  {f.Sigma,8:0.0000}  {f.Divergence,12:G5}")));
        if (directory is not null)
        {
            var figure = AlphaDivergencePlot.Draw(p, fits);
            string png = Path.Combine(directory, "divergence.png"), svg = Path.Combine(directory, "divergence.svg");
            var outputs = new OutputSet();
            outputs.Add(png, figure.ToPng());
            outputs.Add(svg, System.Text.Encoding.UTF8.GetBytes(figure.ToSvg()));
            outputs.Commit();
            lines.Add($"  pictures  {png}, {svg}");
        }

        return lines;
    }

    private static double[] ParseAlphas(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i].Replace('−', '-'), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                throw new ArgumentException($"--alpha: '{parts[i]}' is not a finite number (give a comma-separated list such as -50,0,0.5,1,50).");
            }
        }

        if (values.Distinct().Count() != values.Length)
        {
            throw new ArgumentException($"--alpha: '{text}' lists a value twice.");
        }

        return values;
    }
}
