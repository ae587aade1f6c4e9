using System.Globalization;

namespace AgentFirm.Quant.Labels;

public enum LabelKind { Direction, Return, TripleBarrier }

/// <summary>
/// Labels for every bar: <see cref="Values"/>[t] (NaN when not yet known) resolved at bar <see cref="Ends"/>[t]
/// (-1 when unknown). Direction and triple-barrier labels are 0/1 (up / not up); return labels are log returns.
/// </summary>
public sealed record LabelSet(LabelSpec Spec, double[] Values, int[] Ends)
{
    public bool IsClassification => Spec.Kind != LabelKind.Return;
}

/// <summary>
/// A label recipe as the CLI writes it: direction:H, return:H or triple-barrier:H:K (vertical barrier H bars,
/// horizontal barriers K horizon-scaled standard deviations, see <see cref="TripleBarrierLabels"/>).
/// </summary>
public sealed record LabelSpec(LabelKind Kind, int Horizon, double Multiplier = 0, int VolWindow = 20)
{
    public static LabelSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().ToLowerInvariant().Split(':');
        int Horizon(string s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var h) && h >= 1
            ? h : throw new FormatException($"label '{text}': the horizon '{s}' must be a whole number of bars, at least 1");
        return parts switch
        {
            ["direction", var h] => new LabelSpec(LabelKind.Direction, Horizon(h)),
            ["return", var h] => new LabelSpec(LabelKind.Return, Horizon(h)),
            ["triple-barrier", var h, var k] when double.TryParse(k, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m > 0
                => new LabelSpec(LabelKind.TripleBarrier, Horizon(h), m),
            _ => throw new FormatException($"label '{text}' must be direction:H, return:H or triple-barrier:H:K (e.g. direction:24, triple-barrier:24:2)"),
        };
    }

    public override string ToString() => Kind switch
    {
        LabelKind.Direction => $"direction:{Horizon}",
        LabelKind.Return => $"return:{Horizon}",
        _ => $"triple-barrier:{Horizon}:{Multiplier.ToString(CultureInfo.InvariantCulture)}",
    };

    public LabelSet Build(IReadOnlyList<double> closes)
    {
        var n = closes.Count;
        var ends = new int[n];
        Array.Fill(ends, -1);
        double[] values;
        switch (Kind)
        {
            case LabelKind.Direction:
            case LabelKind.Return:
                values = Kind == LabelKind.Direction ? FixedHorizonLabels.Direction(closes, Horizon) : FixedHorizonLabels.Return(closes, Horizon);
                for (var t = 0; t + Horizon < n; t++) ends[t] = t + Horizon;
                break;
            default:
                values = new double[n];
                Array.Fill(values, double.NaN);
                var labels = TripleBarrierLabels.Compute(closes, Horizon, Multiplier, VolWindow);
                for (var t = 0; t < n; t++)
                    if (labels[t] is { } l)
                    {
                        values[t] = l.Side > 0 ? 1 : 0;
                        ends[t] = l.End;
                    }
                break;
        }
        return new LabelSet(this, values, ends);
    }
}
