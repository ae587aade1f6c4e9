using System.Globalization;
using System.Text;
using AgentFirm.Dashboard.Model;

namespace AgentFirm.Dashboard.Components.Firm;

/// <summary>
/// Turns an equity curve into SVG polyline/polygon coordinates for two stacked panels (equity above,
/// drawdown below). Plain arithmetic, no JS chart library, so the chart renders offline and in prerender.
/// </summary>
internal sealed class EquityChartGeometry
{
    public const double Width = 800, Left = 70, Right = 12;
    public const double EquityTop = 12, EquityBottom = 190;
    public const double DrawdownTop = 212, DrawdownBottom = 280;
    public const double Height = 300;

    /// <summary>More points than pixels only grows the circuit diff; keep about one per pixel.</summary>
    public const int MaxPoints = 720;

    public required string EquityLine { get; init; }
    public required string DrawdownArea { get; init; }
    public required double MinEquity { get; init; }
    public required double MaxEquity { get; init; }
    public required double MaxDrawdown { get; init; }
    public required DateTimeOffset First { get; init; }
    public required DateTimeOffset Last { get; init; }
    public required int Count { get; init; }

    public static EquityChartGeometry? Build(IReadOnlyList<EquityPoint> curve)
    {
        if (curve.Count == 0) return null;
        var points = Thin(curve);
        // Scales come from the whole curve, so thinning never hides the worst drawdown's depth.
        var min = curve.Min(p => p.Equity);
        var max = curve.Max(p => p.Equity);
        if (max - min < 1e-9) { min -= 1; max += 1; } // a flat line still needs a span to draw in
        var maxDd = Math.Max(curve.Max(p => p.Drawdown), 1e-4);

        var equity = new StringBuilder();
        var drawdown = new StringBuilder();
        drawdown.Append(F(X(0, points.Count))).Append(',').Append(F(DrawdownTop)).Append(' ');
        for (var i = 0; i < points.Count; i++)
        {
            var x = F(X(i, points.Count));
            var ye = EquityBottom - (points[i].Equity - min) / (max - min) * (EquityBottom - EquityTop);
            var yd = DrawdownTop + Math.Clamp(points[i].Drawdown, 0, maxDd) / maxDd * (DrawdownBottom - DrawdownTop);
            equity.Append(x).Append(',').Append(F(ye)).Append(' ');
            drawdown.Append(x).Append(',').Append(F(yd)).Append(' ');
        }
        drawdown.Append(F(X(points.Count - 1, points.Count))).Append(',').Append(F(DrawdownTop));

        return new EquityChartGeometry
        {
            EquityLine = equity.ToString().TrimEnd(),
            DrawdownArea = drawdown.ToString(),
            MinEquity = min,
            MaxEquity = max,
            MaxDrawdown = maxDd,
            First = curve[0].Time,
            Last = curve[^1].Time,
            Count = curve.Count,
        };
    }

    private static double X(int i, int n) =>
        n <= 1 ? Left : Left + i / (double)(n - 1) * (Width - Left - Right);

    /// <summary>Every k-th point plus the last, so the newest equity is always drawn.</summary>
    private static List<EquityPoint> Thin(IReadOnlyList<EquityPoint> curve)
    {
        var step = Math.Max(1, (int)Math.Ceiling(curve.Count / (double)MaxPoints));
        var thinned = new List<EquityPoint>(curve.Count / step + 1);
        for (var i = 0; i < curve.Count; i += step) thinned.Add(curve[i]);
        if (!ReferenceEquals(thinned[^1], curve[^1])) thinned.Add(curve[^1]);
        return thinned;
    }

    public static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
