using AgentFirm.Dashboard.Components.Firm;
using AgentFirm.Dashboard.Model;

namespace AgentFirm.Dashboard.Tests;

public sealed class EquityChartGeometryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static List<EquityPoint> Curve(params double[] equity)
    {
        var peak = double.MinValue;
        return equity.Select((e, i) => { peak = Math.Max(peak, e); return new EquityPoint(T0.AddHours(i), e, 1 - e / peak); }).ToList();
    }

    private static (double X, double Y)[] Parse(string points) =>
        points.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(',')).Select(xy => (double.Parse(xy[0]), double.Parse(xy[1]))).ToArray();

    [Fact]
    public void Highest_equity_is_drawn_at_the_top_and_lowest_at_the_bottom_of_the_equity_panel()
    {
        var g = EquityChartGeometry.Build(Curve(100, 120, 90, 110))!;
        var line = Parse(g.EquityLine);

        Assert.Equal(4, line.Length);
        Assert.Equal(EquityChartGeometry.EquityTop, line[1].Y, 1);
        Assert.Equal(EquityChartGeometry.EquityBottom, line[2].Y, 1);
        Assert.Equal(EquityChartGeometry.Left, line[0].X, 1);
        Assert.Equal(EquityChartGeometry.Width - EquityChartGeometry.Right, line[^1].X, 1);
        Assert.Equal(120, g.MaxEquity);
        Assert.Equal(90, g.MinEquity);
        Assert.Equal(0.25, g.MaxDrawdown, 9);
    }

    [Fact]
    public void Deepest_drawdown_reaches_the_bottom_of_the_drawdown_panel()
    {
        var g = EquityChartGeometry.Build(Curve(100, 120, 90, 110))!;
        var area = Parse(g.DrawdownArea);
        Assert.Equal(EquityChartGeometry.DrawdownBottom, area.Max(p => p.Y), 1);
        Assert.Equal(EquityChartGeometry.DrawdownTop, area.Min(p => p.Y), 1);
    }

    [Fact]
    public void Long_curves_are_thinned_but_keep_the_last_point()
    {
        var equity = Enumerable.Range(0, 10_001).Select(i => 100.0 + i).ToArray();
        var g = EquityChartGeometry.Build(Curve(equity))!;
        var line = Parse(g.EquityLine);

        Assert.True(line.Length <= EquityChartGeometry.MaxPoints + 1, $"{line.Length} points");
        Assert.Equal(EquityChartGeometry.EquityTop, line[^1].Y, 1); // the newest, highest equity
        Assert.Equal(T0.AddHours(10_000), g.Last);
    }

    [Fact]
    public void A_flat_curve_and_a_single_point_still_draw()
    {
        Assert.NotNull(EquityChartGeometry.Build(Curve(100, 100, 100)));
        var single = EquityChartGeometry.Build(Curve(100))!;
        Assert.Single(Parse(single.EquityLine));
        Assert.Null(EquityChartGeometry.Build([]));
    }
}
