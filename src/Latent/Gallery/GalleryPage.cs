using System.Globalization;
using System.Net;
using System.Text;
using Latent.Serialization;

namespace Latent.Gallery;

/// <summary>
/// Writes a gallery run as one self-contained HTML page: a table of contents, then each figure with its
/// picture inlined, its caption, the notes' section it reproduces, the measured numbers beside the published
/// ones, its tables and the commands that make it alone.
/// </summary>
public static class GalleryPage
{
    private const string Style = """
        body { font-family: system-ui, "DejaVu Sans", sans-serif; max-width: 1400px; margin: 24px auto; padding: 0 16px; color: #222; line-height: 1.4; }
        h1 { font-size: 28px; margin-bottom: 4px; } h2 { font-size: 22px; border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 44px; }
        h3 { font-size: 15px; margin: 16px 0 6px; }
        p.meta, p.source { color: #555; margin: 4px 0; }
        ol.toc { columns: 2; font-size: 15px; }
        table { border-collapse: collapse; font-size: 14px; margin: 6px 0 12px; }
        td, th { border: 1px solid #ddd; padding: 3px 10px; text-align: left; vertical-align: top; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        figure { margin: 12px 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { font-size: 14px; color: #333; max-width: 980px; }
        pre { background: #f6f6f6; padding: 8px 12px; font-size: 13px; overflow-x: auto; }
        .failed { color: #a00; font-weight: bold; }
        """;

    /// <summary>Writes the page for <paramref name="run"/> to <paramref name="path"/> (atomically), reading the figures' PNGs from <paramref name="folder"/>.</summary>
    public static void Write(string path, GalleryRun run, string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(Render(run, folder)));
    }

    /// <summary>The page for <paramref name="run"/>, its pictures read from <paramref name="folder"/>.</summary>
    public static string Render(GalleryRun run, string folder)
    {
        ArgumentNullException.ThrowIfNull(run);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Latent gallery</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        html.Append("<h1>Latent gallery: the lecture notes' figures and tables, reproduced</h1>\n");
        html.Append(CultureInfo.InvariantCulture,
            $"<p class=\"meta\">Scale <b>{GalleryRunner.ScaleName(run.Scale)}</b>, seed {run.Seed}, Latent {Encode(run.Version)}, {run.Figures.Count} figures in {Minutes(run.Seconds)} on {Environment.ProcessorCount} cores. Each figure reruns its experiment on real data through the same library calls as the commands listed under it; published numbers are the papers' (usually on the full 60,000-image MNIST), the data each figure used is named beside its numbers.</p>\n");
        if (run.Failed.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"failed\">{run.Failed.Count} figure(s) failed: {Encode(string.Join(", ", run.Failed.Select(f => f.Id)))}.</p>\n");
        }

        html.Append("<ol class=\"toc\">\n");
        foreach (var figure in run.Figures)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#{Encode(figure.Id)}\">{Encode(figure.Title)}</a>{(figure.Error is null ? string.Empty : " <span class=\"failed\">(failed)</span>")}</li>\n");
        }

        html.Append("</ol>\n");
        foreach (var figure in run.Figures)
        {
            Section(html, figure, folder);
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Section(StringBuilder html, GalleryFigureResult figure, string folder)
    {
        html.Append(CultureInfo.InvariantCulture, $"<section id=\"{Encode(figure.Id)}\">\n<h2>{Encode(figure.Title)} <small>[{Encode(figure.Id)}]</small></h2>\n");
        html.Append("<p class=\"source\">Reproduces: ").Append(Encode(figure.Source)).Append("</p>\n");
        if (figure.Error is not null)
        {
            html.Append("<p class=\"failed\">Failed: ").Append(Encode(figure.Error)).Append("</p>\n");
        }
        else if (figure.Png is not null)
        {
            string picture = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(folder, figure.Png)));
            html.Append(CultureInfo.InvariantCulture, $"<figure><img alt=\"{Encode(figure.Title)}\" src=\"data:image/png;base64,{picture}\">\n<figcaption>{Encode(figure.Caption)}</figcaption></figure>\n");
        }

        if (!string.IsNullOrEmpty(figure.Data))
        {
            html.Append("<p class=\"meta\">Data: ").Append(Encode(figure.Data)).Append(CultureInfo.InvariantCulture, $"; {(figure.Reused ? "reused from an earlier run" : $"ran in {Minutes(figure.Seconds)}")}.</p>\n");
        }

        if (figure.Numbers.Count > 0)
        {
            html.Append("<table>\n<tr><th>quantity</th><th>Latent</th><th>published</th><th>note</th></tr>\n");
            foreach (var number in figure.Numbers)
            {
                html.Append("<tr><td>").Append(Encode(number.Name)).Append("</td><td class=\"num\">").Append(Encode(Format(number.Measured, number.Unit)))
                    .Append("</td><td class=\"num\">").Append(number.Published is double published ? Encode(Format(published, number.Unit)) : "–")
                    .Append("</td><td>").Append(Encode(number.Comment ?? string.Empty)).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        foreach (var table in figure.Tables)
        {
            html.Append("<h3>").Append(Encode(table.Title)).Append("</h3>\n<table>\n<tr>");
            foreach (string column in table.Columns)
            {
                html.Append("<th>").Append(Encode(column)).Append("</th>");
            }

            html.Append("</tr>\n");
            foreach (var row in table.Rows)
            {
                html.Append("<tr>");
                foreach (string cell in row)
                {
                    html.Append(LooksNumeric(cell) ? "<td class=\"num\">" : "<td>").Append(Encode(cell)).Append("</td>");
                }

                html.Append("</tr>\n");
            }

            html.Append("</table>\n");
        }

        if (figure.Commands.Count > 0)
        {
            html.Append("<h3>Make it alone</h3>\n<pre>").Append(Encode(string.Join("\n", figure.Commands))).Append("</pre>\n");
        }

        html.Append("</section>\n");
    }

    /// <summary>A number as the page shows it: four significant digits (integers whole), then the unit.</summary>
    internal static string Format(double value, string unit)
    {
        if (double.IsNaN(value))
        {
            return "n/a";
        }

        string text = value == Math.Round(value) && Math.Abs(value) < 1e9
            ? value.ToString("N0", CultureInfo.InvariantCulture)
            : value.ToString("G4", CultureInfo.InvariantCulture);
        return unit.Length == 0 ? text : unit is "%" or "°" ? text + unit : text + " " + unit;
    }

    private static bool LooksNumeric(string cell) =>
        cell.Length > 0 && (char.IsDigit(cell[0]) || (cell.Length > 1 && cell[0] is '-' or '−' && char.IsDigit(cell[1])));

    private static string Minutes(double seconds) =>
        seconds < 90 ? seconds.ToString("F1", CultureInfo.InvariantCulture) + " s" : (seconds / 60).ToString("F1", CultureInfo.InvariantCulture) + " min";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
