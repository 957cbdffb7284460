using System.Xml.Linq;
using Latent.Data;
using Latent.Gallery;

namespace Latent.Tests.Gallery;

public sealed class AlphaDivergenceFigureTests
{
    [Fact]
    public void SmallAlphaSitsOnOneModeAndLargeAlphaCoversBoth()
    {
        var figure = new AlphaDivergenceFigure();
        using var folder = new TempFolder();
        var outcome = figure.Run(new GalleryContext(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0));
        double Number(string name) => outcome.Numbers.Single(n => n.Name == name).Measured;

        foreach (string alpha in new[] { "α = −50 (→ −∞)", "α = 0 (reverse KL)" })
        {
            double mean = Number($"{alpha}: mean of q"), sigma = Number($"{alpha}: σ of q");
            Assert.True(Math.Abs(Math.Abs(mean) - 2) < 0.3, $"{alpha}: q's mean {mean} is not on a mode");
            Assert.True(Math.Abs(sigma - 0.6) < 0.1, $"{alpha}: q's σ {sigma} is not the mode's 0.6");
        }

        Assert.True(Math.Abs(Number("α = 1 (forward KL): mean of q") - Number("p: mean")) < 1e-3);
        Assert.True(Math.Abs(Number("α = 1 (forward KL): σ of q") - Number("p: σ")) < 1e-3);
        double[] covering = [Number("α = 0.5: σ of q"), Number("α = 1 (forward KL): σ of q"), Number("α = 50 (→ ∞): σ of q")];
        Assert.All(covering, s => Assert.True(s > 1.5, $"σ {s} does not cover both modes"));
        Assert.True(covering[0] < covering[1] && covering[1] < covering[2], $"σ should grow with α: {string.Join(", ", covering)}");

        Assert.Equal(5, outcome.Tables.Single().Rows.Count);
        Assert.NotEmpty(outcome.Figure.ToPng());
        XDocument.Parse(outcome.Figure.ToSvg());
        Assert.Contains("--alpha=-50,0,0.5,1,50", figure.Commands(GalleryScale.Quick)[0], StringComparison.Ordinal);
    }
}
