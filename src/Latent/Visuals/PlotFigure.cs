using ScottPlot;
using SkiaSharp;

namespace Latent.Visuals;

/// <summary>
/// A figure drawn with ScottPlot 5: a grid of panels (one <see cref="Plot"/> each) rendered together as
/// SVG or PNG. Panels may share their x or y axes; every panel starts in Latent's style
/// (<see cref="PlotStyle.Apply"/>).
/// </summary>
/// <remarks>
/// A figure is built once and then only rendered: rendering does not change it, so the SVG and the PNG of one
/// figure show the same thing. Sizes are in pixels of the PNG (and user units of the SVG).
/// </remarks>
public sealed class PlotFigure
{
    private readonly Multiplot _multiplot = new();
    private readonly Plot[] _panels;

    /// <summary>A figure of <paramref name="rows"/> × <paramref name="columns"/> panels, each <paramref name="panelWidth"/> × <paramref name="panelHeight"/> pixels.</summary>
    public PlotFigure(int rows = 1, int columns = 1, int panelWidth = 420, int panelHeight = 340)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfLessThan(panelWidth, 40);
        ArgumentOutOfRangeException.ThrowIfLessThan(panelHeight, 40);
        Rows = rows;
        Columns = columns;
        Width = columns * panelWidth;
        Height = rows * panelHeight;
        _panels = new Plot[rows * columns];

        // A new Multiplot already holds one plot of its own; the grid must hold exactly the figure's panels.
        while (_multiplot.Count() > 0)
        {
            _multiplot.RemovePlot(_multiplot.GetPlot(0));
        }

        for (int i = 0; i < _panels.Length; i++)
        {
            _panels[i] = PlotStyle.Apply(new Plot());

            // The figure clears its canvas to white once; a panel's own (transparent) clear is written by Skia's
            // SVG canvas as an opaque black rectangle whose edge shows when the SVG is scaled.
            _panels[i].RenderManager.RenderActions.RemoveAll(a => a is ScottPlot.Rendering.RenderActions.ClearCanvas);
            _multiplot.AddPlot(_panels[i]);
        }

        _multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
    }

    /// <summary>The number of panel rows.</summary>
    public int Rows { get; }

    /// <summary>The number of panel columns.</summary>
    public int Columns { get; }

    /// <summary>The figure's width in pixels.</summary>
    public int Width { get; }

    /// <summary>The figure's height in pixels.</summary>
    public int Height { get; }

    /// <summary>The panels, row by row.</summary>
    public IReadOnlyList<Plot> Panels => _panels;

    /// <summary>The panel at (<paramref name="row"/>, <paramref name="column"/>).</summary>
    public Plot this[int row, int column]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(row);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
            ArgumentOutOfRangeException.ThrowIfNegative(column);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Columns);
            return _panels[(row * Columns) + column];
        }
    }

    /// <summary>A one-panel figure of <paramref name="width"/> × <paramref name="height"/> pixels; its plot is <c>Panels[0]</c>.</summary>
    public static PlotFigure Single(int width = 560, int height = 420) => new(1, 1, width, height);

    /// <summary>Makes every panel share its x axis limits with the others (after each is autoscaled together).</summary>
    public PlotFigure ShareX()
    {
        _multiplot.SharedAxes.ShareX(_panels);
        return this;
    }

    /// <summary>Makes every panel share its y axis limits with the others.</summary>
    public PlotFigure ShareY()
    {
        _multiplot.SharedAxes.ShareY(_panels);
        return this;
    }

    /// <summary>The figure as an SVG document (images inside panels are embedded).</summary>
    public string ToSvg()
    {
        using var stream = new MemoryStream();
        NativeErrorOutput.Silenced(() =>
        {
            using var canvas = SKSvgCanvas.Create(new SKRect(0, 0, Width, Height), stream);
            Render(canvas);
            return 0;
        });
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The figure as PNG bytes.</summary>
    public byte[] ToPng()
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        Render(surface.Canvas);
        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private void Render(SKCanvas canvas)
    {
        canvas.Clear(SKColors.White);
        if (_panels.Length == 1)
        {
            _panels[0].Render(canvas, new PixelRect(0, Width, Height, 0));
        }
        else
        {
            _multiplot.Render(canvas, new PixelRect(0, Width, Height, 0));
        }
    }
}
