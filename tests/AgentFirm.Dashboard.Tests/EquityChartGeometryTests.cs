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
    public void A_flat_curve_draws_a_level_line_mid_panel_and_no_drawdown()
    {
        var g = EquityChartGeometry.Build(Curve(100, 100, 100))!;
        var line = Parse(g.EquityLine);
        const double middle = (EquityChartGeometry.EquityTop + EquityChartGeometry.EquityBottom) / 2;

        Assert.Equal(3, line.Length);
        Assert.All(line, p => Assert.Equal(middle, p.Y, 1)); // the span is widened to 99..101, so 100 sits mid-panel
        Assert.Equal([EquityChartGeometry.Left, 429, EquityChartGeometry.Width - EquityChartGeometry.Right], line.Select(p => p.X));
        Assert.Equal((99, 101), (g.MinEquity, g.MaxEquity));
        // No drawdown: the area is flat on the panel's top edge, first to last point.
        Assert.All(Parse(g.DrawdownArea), p => Assert.Equal(EquityChartGeometry.DrawdownTop, p.Y, 1));
        Assert.Equal(5, Parse(g.DrawdownArea).Length);
    }

    [Fact]
    public void A_single_point_draws_at_the_left_edge_and_an_empty_curve_draws_nothing()
    {
        var single = EquityChartGeometry.Build(Curve(100))!;
        var point = Assert.Single(Parse(single.EquityLine));
        Assert.Equal((EquityChartGeometry.Left, (EquityChartGeometry.EquityTop + EquityChartGeometry.EquityBottom) / 2), point);
        Assert.Equal(1, single.Count);
        Assert.Equal(single.First, single.Last);
        Assert.Null(EquityChartGeometry.Build([]));
    }
}
