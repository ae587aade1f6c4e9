using System.Globalization;
using System.Net;
using System.Text;

namespace AgentFirm.Causal;

/// <summary>
/// The lagged causal graph as an SVG picture, in the spirit of tigramite's plot_graph: variables on a circle,
/// one curved arrow per linked pair labelled with its lags, width by the strongest |statistic|, red for positive
/// and blue for negative; autodependence as a loop on the node; contemporaneous links as lines ('o-o' with circle
/// ends, 'x-x' dashed).
/// </summary>
public static class PcmciSvg
{
    private const double Size = 640, Radius = 230, NodeRadius = 30;

    public static string Render(PcmciResult result)
    {
        var n = result.Variables.Count;
        var c = Size / 2;
        var pos = Enumerable.Range(0, n).Select(k =>
        {
            var angle = -Math.PI / 2 + 2 * Math.PI * k / Math.Max(1, n);
            return (X: c + (n == 1 ? 0 : Radius * Math.Cos(angle)), Y: c + (n == 1 ? 0 : Radius * Math.Sin(angle)));
        }).ToArray();
        var maxStrength = result.Links.Select(l => Math.Abs(l.Value)).DefaultIfEmpty(1).Max();
        if (!(maxStrength > 0)) maxStrength = 1;

        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Size}\" height=\"{Size + 40}\" viewBox=\"0 0 {Size} {Size + 40}\" font-family=\"sans-serif\">\n"));
        svg.Append("<defs>");
        foreach (var colour in new[] { "red", "blue" })
            svg.Append(Inv($"<marker id=\"arrow-{colour}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"5\" markerHeight=\"5\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{Colour(colour)}\"/></marker>"));
        svg.Append("</defs>\n");
        svg.Append(Inv($"<rect width=\"{Size}\" height=\"{Size + 40}\" fill=\"white\"/>\n"));
        svg.Append(Inv($"<text x=\"10\" y=\"{Size + 25}\" font-size=\"13\" fill=\"#333\">links at alpha {result.Alpha}; labels are lags; width ~ |statistic|; red positive, blue negative</text>\n"));

        foreach (var group in result.Links.GroupBy(l => (l.From, l.To, Contemporaneous: l.Lag == 0)))
        {
            var links = group.OrderBy(l => l.Lag).ToArray();
            var strongest = links.MaxBy(l => Math.Abs(l.Value))!;
            var colour = strongest.Value >= 0 ? "red" : "blue";
            var width = 1 + 6 * Math.Abs(strongest.Value) / maxStrength;
            var label = string.Join(",", links.Select(l => l.Lag.ToString(CultureInfo.InvariantCulture)));
            var (from, to) = (pos[group.Key.From], pos[group.Key.To]);
            if (group.Key.From == group.Key.To)
            {
                // loop above the node, away from the centre
                var (ux, uy) = Unit(from.X - c, from.Y - c, fallbackY: -1);
                var lx = from.X + ux * (NodeRadius + 18);
                var ly = from.Y + uy * (NodeRadius + 18);
                svg.Append(Inv($"<circle cx=\"{lx:F1}\" cy=\"{ly:F1}\" r=\"16\" fill=\"none\" stroke=\"{Colour(colour)}\" stroke-width=\"{width:F2}\"/>"));
                svg.Append(Inv($"<text x=\"{lx + ux * 26:F1}\" y=\"{ly + uy * 26 + 4:F1}\" font-size=\"12\" text-anchor=\"middle\">{label}</text>\n"));
                continue;
            }
            var (dx, dy) = Unit(to.X - from.X, to.Y - from.Y, fallbackY: 1);
            var start = (X: from.X + dx * NodeRadius, Y: from.Y + dy * NodeRadius);
            var end = (X: to.X - dx * NodeRadius, Y: to.Y - dy * NodeRadius);
            // bend to the right of the direction of travel, so i->j and j->i do not overlap
            var bend = group.Key.Contemporaneous ? 0 : 30;
            var mid = (X: (start.X + end.X) / 2 - dy * bend, Y: (start.Y + end.Y) / 2 + dx * bend);
            var type = strongest.Type;
            var dash = type == "x-x" ? " stroke-dasharray=\"6,4\"" : "";
            var marker = type == "-->" ? Inv($" marker-end=\"url(#arrow-{colour})\"") : "";
            svg.Append(Inv($"<path d=\"M{start.X:F1},{start.Y:F1} Q{mid.X:F1},{mid.Y:F1} {end.X:F1},{end.Y:F1}\" fill=\"none\" stroke=\"{Colour(colour)}\" stroke-width=\"{width:F2}\"{dash}{marker}/>"));
            if (type == "o-o")
            {
                svg.Append(Inv($"<circle cx=\"{start.X:F1}\" cy=\"{start.Y:F1}\" r=\"4\" fill=\"white\" stroke=\"{Colour(colour)}\"/>"));
                svg.Append(Inv($"<circle cx=\"{end.X:F1}\" cy=\"{end.Y:F1}\" r=\"4\" fill=\"white\" stroke=\"{Colour(colour)}\"/>"));
            }
            var labelX = 0.25 * start.X + 0.5 * mid.X + 0.25 * end.X;
            var labelY = 0.25 * start.Y + 0.5 * mid.Y + 0.25 * end.Y;
            svg.Append(Inv($"<text x=\"{labelX:F1}\" y=\"{labelY - 4:F1}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#222\">{label}</text>\n"));
        }

        for (var k = 0; k < n; k++)
        {
            svg.Append(Inv($"<circle cx=\"{pos[k].X:F1}\" cy=\"{pos[k].Y:F1}\" r=\"{NodeRadius}\" fill=\"#f3f3f3\" stroke=\"#555\" stroke-width=\"1.5\"/>"));
            svg.Append(Inv($"<text x=\"{pos[k].X:F1}\" y=\"{pos[k].Y + 4:F1}\" font-size=\"12\" text-anchor=\"middle\">{WebUtility.HtmlEncode(result.Variables[k])}</text>\n"));
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Colour(string name) => name == "red" ? "#c0392b" : "#2c64b0";

    private static (double X, double Y) Unit(double x, double y, double fallbackY)
    {
        var length = Math.Sqrt(x * x + y * y);
        return length > 1e-9 ? (x / length, y / length) : (0, fallbackY);
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
