using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Latent.Data;
using Latent.Serialization;

namespace Latent.Visuals;

/// <summary>
/// Renders a <see cref="ReportContent"/> as one self-contained HTML page: the heading and note, links and the
/// side-by-side metrics when there are several models, then each model's tables and pictures.
/// </summary>
/// <remarks>
/// One file with nothing to fetch: PNG pictures are inlined as base64 data URIs and charts as inline SVG
/// (drawn with ScottPlot by <see cref="ChartPlotter"/>, ids made unique per chart, scaled by CSS), so the report opens anywhere and can be mailed as it is. It is
/// written atomically. Rendering computes nothing: <see cref="RunReport.Build"/> does.
/// </remarks>
public static partial class HtmlReport
{
    /// <summary>The size charts are drawn at when several share a row (shown 410 pixels wide, so their text reads larger than a 640-pixel chart's).</summary>
    private const int RowChartWidth = 500;

    private const int RowChartHeight = 360;

    private const string Style = """
        body { font-family: system-ui, sans-serif; max-width: 1320px; margin: 24px auto; padding: 0 16px; color: #222; }
        h1 { font-size: 26px; } h2 { font-size: 21px; border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 36px; }
        h3 { font-size: 16px; margin: 18px 0 6px; }
        p.note { color: #555; }
        table { border-collapse: collapse; font-size: 14px; }
        td, th { border: 1px solid #ddd; padding: 3px 10px; text-align: left; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .row { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
        .figure { margin: 0; }
        .figure figcaption { font-size: 13px; color: #555; max-width: 640px; }
        img.grid { image-rendering: pixelated; max-width: 100%; height: auto; }
        svg { max-width: 100%; height: auto; }
        .charts svg { width: 400px; }
        """;

    /// <summary>The report as an HTML document.</summary>
    public static string Render(ReportContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(content.Title, nameof(content));
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(Encode(content.Title)).Append("</title>\n");
        html.Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        html.Append("<h1>").Append(Encode(content.Title)).Append("</h1>\n");
        if (!string.IsNullOrEmpty(content.Note))
        {
            html.Append("<p class=\"note\">").Append(Encode(content.Note)).Append("</p>\n");
        }

        if (content.Parts.Count > 1)
        {
            html.Append("<ul>\n");
            for (int s = 0; s < content.Parts.Count; s++)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#section{s}\">{Encode(content.Parts[s].Title)}</a></li>\n");
            }

            html.Append("</ul>\n");
        }

        int charts = 0;
        if (content.Comparison is { } comparison)
        {
            html.Append("<h2>").Append(Encode(comparison.Metrics.Heading)).Append("</h2>\n");
            Table(html, comparison.Metrics);
            html.Append('\n');
            Figure(html, comparison.Chart, charts++, inRow: false);
        }

        for (int s = 0; s < content.Parts.Count; s++)
        {
            Part(html, content.Parts[s], s, ref charts);
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Renders the report and writes it to <paramref name="path"/> atomically.</summary>
    public static void Write(ReportContent content, string path)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(Render(content)));
    }

    private static void Part(StringBuilder html, ReportPart part, int index, ref int charts)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2 id=\"section{index}\">{Encode(part.Title)}</h2>\n");
        html.Append("<div class=\"row\">\n");
        foreach (ReportTable table in part.Tables)
        {
            html.Append("<div><h3>").Append(Encode(table.Heading)).Append("</h3>\n");
            Table(html, table);
            html.Append("</div>\n");
        }

        html.Append("</div>\n");
        foreach (ReportGroup group in part.Groups)
        {
            bool row = group.Pictures.All(p => p is ChartPicture);
            html.Append("<h3>").Append(Encode(group.Heading)).Append(row ? "</h3>\n<div class=\"row charts\">\n" : "</h3>\n<div class=\"row\">\n");
            foreach (Picture picture in group.Pictures)
            {
                Figure(html, picture, picture is ChartPicture ? charts++ : charts, row);
            }

            html.Append("</div>\n");
        }
    }

    /// <summary>The table, from &lt;table&gt; to &lt;/table&gt; (no line break after it).</summary>
    private static void Table(StringBuilder html, ReportTable table)
    {
        html.Append("<table>\n");
        if (table.Columns is { } columns)
        {
            html.Append("<tr>");
            foreach (string column in columns)
            {
                html.Append("<th>").Append(Encode(column)).Append("</th>");
            }

            html.Append("</tr>\n");
        }

        string cell = table.Numeric ? "<td class=\"num\">" : "<td>";
        foreach (ReportRow row in table.Rows)
        {
            html.Append("<tr><td>").Append(Encode(row.Name)).Append("</td>");
            foreach (string value in row.Values)
            {
                html.Append(cell).Append(Encode(value)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>");
    }

    /// <summary>
    /// The picture as a figure; a chart is inline SVG, drawn smaller (so its text reads larger) when it shares a row
    /// with other charts, and its ids are prefixed with "chart<paramref name="chart"/>-" so that the clip paths of
    /// several charts on one page do not clash.
    /// </summary>
    private static void Figure(StringBuilder html, Picture picture, int chart, bool inRow)
    {
        switch (picture)
        {
            case ChartPicture chartPicture:
                var figure = inRow ? ChartPlotter.ToFigure(chartPicture.Chart, RowChartWidth, RowChartHeight) : ChartPlotter.ToFigure(chartPicture.Chart);
                html.Append("<figure class=\"figure\">\n").Append(InlineSvg(figure.ToSvg(), figure.Width, figure.Height, $"chart{chart.ToString(CultureInfo.InvariantCulture)}-")).Append('\n');
                if (chartPicture.Caption is { } caption)
                {
                    html.Append("<figcaption>").Append(Encode(caption)).Append("</figcaption>\n");
                }

                html.Append("</figure>\n");
                break;
            case ImagePicture image:
                string text = Encode(image.Caption ?? string.Empty);
                html.Append(CultureInfo.InvariantCulture,
                    $"<figure class=\"figure\"><img class=\"grid\" width=\"{image.Image.Width * image.Zoom}\" height=\"{image.Image.Height * image.Zoom}\" alt=\"{text}\" src=\"data:image/png;base64,{Convert.ToBase64String(Png.Encode(image.Image))}\">\n<figcaption>{text}</figcaption></figure>\n");
                break;
            default:
                throw new NotSupportedException($"The HTML report cannot show a {picture.GetType().Name}.");
        }
    }

    /// <summary>
    /// An SVG document made ready to sit inside HTML: without its XML declaration, with a view box (so CSS can scale it)
    /// and with every id, and every reference to one, prefixed by <paramref name="prefix"/>.
    /// </summary>
    internal static string InlineSvg(string svg, int width, int height, string prefix)
    {
        ArgumentNullException.ThrowIfNull(svg);
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new ArgumentException("The text to inline is not an SVG document: it has no <svg> element.", nameof(svg));
        }

        string body = svg[start..].TrimEnd();
        if (!body.AsSpan(0, body.IndexOf('>')).Contains("viewBox=", StringComparison.Ordinal))
        {
            body = string.Create(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {width} {height}\"{body.AsSpan(4)}");
        }

        body = IdPattern().Replace(body, m => $"{m.Groups[1].Value}=\"{prefix}{m.Groups[2].Value}\"");
        body = ReferencePattern().Replace(body, m => $"url(#{prefix}{m.Groups[1].Value})");
        return HrefPattern().Replace(body, m => $"{m.Groups[1].Value}=\"#{prefix}{m.Groups[2].Value}\"");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    [GeneratedRegex("\\b(id)=\"([^\"]+)\"")]
    private static partial Regex IdPattern();

    [GeneratedRegex("url\\(#([^)]+)\\)")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("\\b((?:xlink:)?href)=\"#([^\"]+)\"")]
    private static partial Regex HrefPattern();
}
