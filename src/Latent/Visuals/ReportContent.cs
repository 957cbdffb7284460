namespace Latent.Visuals;

/// <summary>
/// What a report shows, computed and ready to render: a title, a note, the side-by-side comparison of
/// several models and one part per model. <see cref="RunReport.Build"/> computes it; <see cref="HtmlReport"/>
/// only renders it.
/// </summary>
/// <param name="Title">The page's title and heading.</param>
/// <param name="Note">A paragraph under the heading (null: none).</param>
/// <param name="Comparison">The models' metrics side by side (null: one model, or no metrics).</param>
/// <param name="Parts">One part per model, in order.</param>
public sealed record ReportContent(string Title, string? Note, ReportComparison? Comparison, IReadOnlyList<ReportPart> Parts);

/// <summary>Several models' metrics side by side: a table (one column per model) and a chart.</summary>
/// <param name="Metrics">The table: a row per metric, a value per model ("–" where a model has none).</param>
/// <param name="Chart">The label-based scores of each model's codes, as grouped bars.</param>
public sealed record ReportComparison(ReportTable Metrics, ChartPicture Chart);

/// <summary>One model's part of a report: its tables side by side, then groups of pictures under headings.</summary>
/// <param name="Title">The part's heading (e.g. "VAE, 2-D latent").</param>
/// <param name="Tables">The tables shown side by side under the heading (metrics, options).</param>
/// <param name="Groups">The pictures, grouped under sub-headings (training curves, pictures, codes).</param>
public sealed record ReportPart(string Title, IReadOnlyList<ReportTable> Tables, IReadOnlyList<ReportGroup> Groups);

/// <summary>A table of named rows.</summary>
/// <param name="Heading">The table's heading.</param>
/// <param name="Columns">Column headings, the row names' column first (null: no header row).</param>
/// <param name="Rows">The rows: a name and its values.</param>
/// <param name="Numeric">Whether the values are numbers (aligned right).</param>
public sealed record ReportTable(string Heading, IReadOnlyList<string>? Columns, IReadOnlyList<ReportRow> Rows, bool Numeric);

/// <summary>One row of a <see cref="ReportTable"/>.</summary>
/// <param name="Name">The row's name.</param>
/// <param name="Values">Its values, one per value column.</param>
public sealed record ReportRow(string Name, IReadOnlyList<string> Values);

/// <summary>Pictures under one heading, shown in a row that wraps.</summary>
/// <param name="Heading">The heading (e.g. "Training curves").</param>
/// <param name="Pictures">The charts and images, in order (may be empty).</param>
public sealed record ReportGroup(string Heading, IReadOnlyList<Picture> Pictures);
