using System.Globalization;
using System.Net;
using System.Text;
using AgentFirm.Quant.Metrics;
using static AgentFirm.Quant.Reporting.EquityChart;

namespace AgentFirm.Quant.Reporting;

/// <summary>
/// evaluate.html: the equity curves of every variant on one log scale with their drawdowns beneath, drawn
/// with <see cref="EquityChart"/>'s frame, grid and polyline helpers (inline SVG, no scripts, no network),
/// then the comparison table and each analyst's marginal contribution.
/// </summary>
public static class ComparisonChart
{
    private static readonly string[] Palette =
        ["#1f6feb", "#6e7781", "#24292f", "#1a7f37", "#bf8700", "#8250df", "#cf222e", "#4ac26b", "#d4a72c", "#a475f9", "#ff8182", "#0969da", "#953800"];

    public static string Colour(int index) => Palette[index % Palette.Length];

    public static string Html(VariantEvaluation evaluation, string title)
    {
        var variants = evaluation.Variants;
        var times = variants[0].Result.Curve.Times;
        var encoded = WebUtility.HtmlEncode(title);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(encoded).Append("</title>")
          .Append("<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin-top:12px}")
          .Append("td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}th:first-child,td:first-child{text-align:left}</style></head><body>")
          .Append("<h2>").Append(encoded).Append("</h2>");
        var legendHeight = 16 * ((variants.Count + 3) / 4);
        var totalHeight = Top + EquityHeight + Gap + DrawdownHeight + Bottom + legendHeight;
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{totalHeight}\" font-size=\"11\">");
        if (times.Count >= 2)
        {
            var step = Math.Max(1, times.Count / MaxPoints);
            var idx = Enumerable.Range(0, times.Count).Where(i => i % step == 0 || i == times.Count - 1).ToArray();
            double t0 = times[0].ToUnixTimeSeconds(), t1 = times[^1].ToUnixTimeSeconds();
            double X(int i) => Left + (times[i].ToUnixTimeSeconds() - t0) / Math.Max(1, t1 - t0) * (Width - Left - Right);

            var values = variants.SelectMany(v => idx.Select(i => v.Result.Curve.Equity[i])).Where(v => v > 0).ToArray();
            var lo = Math.Log(values.DefaultIfEmpty(1).Min());
            var hi = Math.Log(values.DefaultIfEmpty(1).Max());
            if (hi - lo < 1e-9) { hi += 0.05; lo -= 0.05; }
            double YE(double v) => Top + (hi - Math.Log(Math.Max(v, 1e-12))) / (hi - lo) * EquityHeight;
            var drawdowns = variants.Select(v => PerformanceMetrics.DrawdownSeries(v.Result.Curve.Equity)).ToArray();
            var ddMax = Math.Max(0.01, drawdowns.Max(d => d.DefaultIfEmpty(0).Max()));
            var ddTop = Top + EquityHeight + Gap;
            double YD(double d) => ddTop + d / ddMax * DrawdownHeight;

            Frame(sb, Top, EquityHeight, "equity (log scale)");
            foreach (var level in Ticks(Math.Exp(lo), Math.Exp(hi)))
                sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{YE(level):F1}\" y2=\"{YE(level):F1}\" stroke=\"#eee\"/><text x=\"{Left - 6}\" y=\"{YE(level) + 4:F1}\" text-anchor=\"end\">{level:#,0}</text>");
            Frame(sb, ddTop, DrawdownHeight, "drawdown");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{YD(ddMax) + 4:F1}\" text-anchor=\"end\">-{ddMax:P0}</text>");
            // The selected variant last, so it is drawn on top.
            var order = Enumerable.Range(0, variants.Count).OrderBy(v => variants[v].Name == evaluation.Selected ? 1 : 0).ToArray();
            foreach (var v in order)
            {
                var name = WebUtility.HtmlEncode(variants[v].Name);
                var width = variants[v].Name == evaluation.Selected ? 2.5 : 1.2;
                var equity = variants[v].Result.Curve.Equity;
                Polyline(sb, idx.Select(i => (X(i), YE(equity[i]))), Colour(v), name, width);
                Polyline(sb, idx.Select(i => (X(i), YD(drawdowns[v][i]))), Colour(v), name, width);
            }
            for (var k = 0; k <= 5; k++)
            {
                var i = (int)Math.Round(k / 5.0 * (times.Count - 1));
                var anchor = k == 0 ? "start" : k == 5 ? "end" : "middle";
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(i):F1}\" y=\"{Top + EquityHeight + Gap + DrawdownHeight + 18}\" text-anchor=\"{anchor}\">{times[i].UtcDateTime:yyyy-MM-dd}</text>");
            }
            var legendTop = Top + EquityHeight + Gap + DrawdownHeight + Bottom + 4;
            for (var v = 0; v < variants.Count; v++)
            {
                var x = Left + v % 4 * 215;
                var y = legendTop + v / 4 * 16;
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y - 8}\" width=\"14\" height=\"4\" fill=\"{Colour(v)}\"/><text x=\"{x + 20}\" y=\"{y - 3}\">{WebUtility.HtmlEncode(variants[v].Name)}</text>");
            }
        }
        sb.Append("</svg>");

        AppendTable(sb, VariantEvaluationWriter.TableHeaders, VariantEvaluationWriter.TableRows(evaluation));
        if (evaluation.Contributions.Count > 0)
        {
            sb.Append("<h3>Marginal contribution of each analyst</h3>");
            AppendTable(sb, VariantEvaluationWriter.ContributionHeaders, VariantEvaluationWriter.ContributionRows(evaluation));
        }
        foreach (var line in VariantEvaluationWriter.SummaryLines(evaluation)) sb.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append("</p>");
        sb.Append("</body></html>");
        return sb.ToString();
    }

    private static void AppendTable(StringBuilder sb, IEnumerable<string> headers, IEnumerable<IEnumerable<string>> rows)
    {
        sb.Append("<table><tr>");
        foreach (var header in headers) sb.Append("<th>").Append(header).Append("</th>");
        sb.Append("</tr>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var cell in row) sb.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</table>");
    }
}
