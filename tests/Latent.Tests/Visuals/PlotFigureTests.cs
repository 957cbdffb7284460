using Latent.Visuals;

namespace Latent.Tests.Visuals;

public class PlotFigureTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 1)]
    [InlineData(2, 4)]
    public void EveryGridRendersItsPanelsToPngAndSvgOfTheFigureSize(int rows, int columns)
    {
        var figure = new PlotFigure(rows, columns, 200, 150);
        Assert.Equal(rows * columns, figure.Panels.Count);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                figure[r, c].Add.Scatter(new double[] { 0, 1 }, new double[] { r, c });
                figure[r, c].Title($"panel {r},{c}");
            }
        }

        byte[] png = figure.ToPng();
        var image = Latent.Data.Png.Decode(png, "figure.png");
        Assert.Equal((columns * 200, rows * 150), (image.Width, image.Height));
        var svg = System.Xml.Linq.XDocument.Parse(figure.ToSvg());
        Assert.Equal((columns * 200).ToString(System.Globalization.CultureInfo.InvariantCulture), svg.Root!.Attribute("width")!.Value);
        Assert.Contains($"panel {rows - 1},{columns - 1}", figure.ToSvg());
        Assert.Throws<ArgumentOutOfRangeException>(() => figure[rows, 0]);
    }
}
