using System.Globalization;
using System.Net;
using System.Text;
using AgentFirm.Quant.Metrics;

namespace AgentFirm.Quant.Reporting;

/// <summary>
/// A self-contained HTML page (inline SVG, no scripts, no network) with the equity curve against
/// buy-and-hold on a log scale and the drawdown beneath it, plus the headline metrics.
/// </summary>
public static class EquityChart
{
    internal const int Width = 960, EquityHeight = 360, DrawdownHeight = 160, Left = 70, Right = 20, Top = 20, Gap = 40, Bottom = 30;
    internal const int MaxPoints = 2000; // enough for the eye; keeps ten years of hourly bars to a small file

    public static string Html(BacktestReport report)
    {
        var curve = report.Result.Curve;
        var times = curve.Times;
        var equity = curve.Equity;
        var benchmark = report.Benchmark.Curve.Count == curve.Count ? report.Benchmark.Curve.Equity : null;
        var drawdown = PerformanceMetrics.DrawdownSeries(equity);
        var m = report.Metrics;
        var b = report.BenchmarkMetrics;
        var title = WebUtility.HtmlEncode($"{report.Result.Strategy} on {string.Join(", ", report.Result.Instruments.Select(i => i.Symbol))} ({report.Result.Timeframe})");

        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(title).Append("</title>")
          .Append("<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin-top:12px}")
          .Append("td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}th:first-child,td:first-child{text-align:left}</style></head><body>")
          .Append("<h2>").Append(title).Append("</h2>");
        if (report.Halt is { } halt)
            sb.Append("<p style=\"color:#cf222e;font-weight:600\">").Append(WebUtility.HtmlEncode(halt.Describe())).Append("</p><p style=\"color:#666\">")
              .Append(WebUtility.HtmlEncode(halt.Reason)).Append("</p>");
        var totalHeight = Top + EquityHeight + Gap + DrawdownHeight + Bottom;
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{totalHeight}\" font-size=\"11\">");
        if (times.Count >= 2)
        {
            var step = Math.Max(1, times.Count / MaxPoints);
            var idx = Enumerable.Range(0, times.Count).Where(i => i % step == 0 || i == times.Count - 1).ToArray();
            double t0 = times[0].ToUnixTimeSeconds(), t1 = times[^1].ToUnixTimeSeconds();
            double X(int i) => Left + (times[i].ToUnixTimeSeconds() - t0) / Math.Max(1, t1 - t0) * (Width - Left - Right);

            var values = idx.Select(i => equity[i]).Concat(benchmark is null ? [] : idx.Select(i => benchmark[i])).Where(v => v > 0).ToArray();
            var lo = Math.Log(values.DefaultIfEmpty(1).Min());
            var hi = Math.Log(values.DefaultIfEmpty(1).Max());
            if (hi - lo < 1e-9) { hi += 0.05; lo -= 0.05; }
            double YE(double v) => Top + (hi - Math.Log(Math.Max(v, 1e-12))) / (hi - lo) * EquityHeight;
            var ddMax = Math.Max(0.01, drawdown.Max());
            var ddTop = Top + EquityHeight + Gap;
            double YD(double d) => ddTop + d / ddMax * DrawdownHeight;

            Frame(sb, Top, EquityHeight, "equity (log scale)");
            foreach (var level in Ticks(Math.Exp(lo), Math.Exp(hi)))
                sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{YE(level):F1}\" y2=\"{YE(level):F1}\" stroke=\"#eee\"/><text x=\"{Left - 6}\" y=\"{YE(level) + 4:F1}\" text-anchor=\"end\">{level:#,0}</text>");
            if (benchmark is not null) Polyline(sb, idx.Select(i => (X(i), YE(benchmark[i]))), "#999", "buy and hold");
            Polyline(sb, idx.Select(i => (X(i), YE(equity[i]))), "#1f6feb", "strategy");

            Frame(sb, ddTop, DrawdownHeight, "drawdown");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{YD(ddMax) + 4:F1}\" text-anchor=\"end\">-{ddMax:P0}</text>");
            var area = idx.Select(i => (X(i), YD(drawdown[i]))).Prepend((X(0), ddTop)).Append((X(times.Count - 1), ddTop));
            sb.Append("<polygon fill=\"#f85149\" fill-opacity=\"0.35\" stroke=\"#f85149\" points=\"").Append(Points(area)).Append("\"/>");

            for (var k = 0; k <= 5; k++)
            {
                var i = (int)Math.Round(k / 5.0 * (times.Count - 1));
                var anchor = k == 0 ? "start" : k == 5 ? "end" : "middle";
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(i):F1}\" y=\"{totalHeight - 8}\" text-anchor=\"{anchor}\">{times[i].UtcDateTime:yyyy-MM-dd}</text>");
            }
            if (report.Halt is { } h && times.Count > 0)
            {
                var at = Enumerable.Range(0, times.Count).FirstOrDefault(i => times[i] >= h.Time, times.Count - 1);
                sb.Append(CultureInfo.InvariantCulture, $"<line class=\"halt\" x1=\"{X(at):F1}\" x2=\"{X(at):F1}\" y1=\"{Top}\" y2=\"{ddTop + DrawdownHeight}\" stroke=\"#cf222e\" stroke-dasharray=\"4 3\"/>")
                  .Append(CultureInfo.InvariantCulture, $"<text x=\"{X(at) + 4:F1}\" y=\"{Top + 30}\" fill=\"#cf222e\">halted ({h.Drawdown:P1} drawdown)</text>");
            }
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 8}\" y=\"{Top + 14}\" fill=\"#1f6feb\">strategy</text><text x=\"{Left + 70}\" y=\"{Top + 14}\" fill=\"#999\">buy and hold</text>");
        }
        sb.Append("</svg>");

        sb.Append("<table><tr><th>metric</th><th>").Append(WebUtility.HtmlEncode(report.Result.Strategy)).Append("</th><th>buy and hold</th></tr>");
        foreach (var (name, s, bh) in MetricRows(m, b))
            sb.Append("<tr><td>").Append(name).Append("</td><td>").Append(s).Append("</td><td>").Append(bh).Append("</td></tr>");
        sb.Append("</table></body></html>");
        return sb.ToString();
    }

    public static IEnumerable<(string Name, string Strategy, string BuyAndHold)> MetricRows(PerformanceMetrics m, PerformanceMetrics b)
    {
        static string P(double v) => v.ToString("P2", CultureInfo.InvariantCulture);
        static string N(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
        static string M(double v) => v.ToString("#,0.00", CultureInfo.InvariantCulture);
        yield return ("total return", P(m.TotalReturn), P(b.TotalReturn));
        yield return ("CAGR", P(m.Cagr), P(b.Cagr));
        yield return ("volatility (ann.)", P(m.Volatility), P(b.Volatility));
        yield return ("Sharpe", N(m.Sharpe), N(b.Sharpe));
        yield return ("Sortino", N(m.Sortino), N(b.Sortino));
        yield return ("max drawdown", P(m.MaxDrawdown), P(b.MaxDrawdown));
        yield return ("max drawdown duration (days)", N(m.MaxDrawdownDurationDays), N(b.MaxDrawdownDurationDays));
        yield return ("Calmar", N(m.Calmar), N(b.Calmar));
        yield return ("hit rate", m.HitRate is { } h ? P(h) : "-", b.HitRate is { } hb ? P(hb) : "-");
        yield return ("round trips", m.RoundTrips.ToString(CultureInfo.InvariantCulture), b.RoundTrips.ToString(CultureInfo.InvariantCulture));
        yield return ("turnover (x/yr)", N(m.Turnover), N(b.Turnover));
        yield return ("fees paid", M(m.FeesPaid), M(b.FeesPaid));
        yield return ("slippage paid", M(m.SlippagePaid), M(b.SlippagePaid));
        yield return ("exposure", P(m.Exposure), P(b.Exposure));
        yield return ("final equity", M(m.FinalEquity), M(b.FinalEquity));
    }

    internal static void Frame(StringBuilder sb, int top, int height, string label) =>
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{top}\" width=\"{Width - Left - Right}\" height=\"{height}\" fill=\"none\" stroke=\"#ccc\"/><text x=\"{Width - Right}\" y=\"{top - 6}\" text-anchor=\"end\" fill=\"#666\">{label}</text>");

    internal static void Polyline(StringBuilder sb, IEnumerable<(double X, double Y)> points, string colour, string name, double width = 1.5) =>
        sb.Append("<polyline fill=\"none\" stroke=\"").Append(colour).Append("\" stroke-width=\"").Append(width.ToString(CultureInfo.InvariantCulture)).Append("\" points=\"").Append(Points(points)).Append("\"><title>").Append(name).Append("</title></polyline>");

    internal static string Points(IEnumerable<(double X, double Y)> points) =>
        string.Join(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X:F1},{p.Y:F1}")));

    /// <summary>Round gridline levels (1, 2, 5 × 10^k) between lo and hi.</summary>
    internal static IEnumerable<double> Ticks(double lo, double hi)
    {
        var span = Math.Log10(hi / lo);
        var steps = span > 3 ? new[] { 1.0 } : span > 0.6 ? [1.0, 2.0, 5.0] : [1.0, 1.5, 2.0, 3.0, 5.0, 7.0];
        for (var decade = Math.Floor(Math.Log10(lo)); decade <= Math.Ceiling(Math.Log10(hi)); decade++)
            foreach (var s in steps)
            {
                var v = s * Math.Pow(10, decade);
                if (v >= lo && v <= hi) yield return v;
            }
    }
}
