using AgentFirm.Core;

namespace AgentFirm.Market.Data;

/// <summary>Turns validated rows into bars: settles the timeframe, then applies the gap policy.</summary>
internal static class SeriesAssembler
{
    public sealed record Result(Timeframe Timeframe, Bar[] Bars, int Gaps, int MissingBars, int FilledBars);

    public static Result Assemble(string file, RawBars rows, LoadOptions options, string timeField, List<LoadWarning> warnings)
    {
        var n = rows.Count;
        var timeframe = options.Timeframe ?? Infer(file, rows, timeField);
        var step = timeframe.Duration.Ticks;
        if (step <= 0) throw new BadInputException($"{file}: the timeframe must be positive, got {timeframe.Duration}.");

        int gaps = 0, missing = 0;
        var ticks = rows.Ticks;
        for (var i = 1; i < n; i++)
        {
            var delta = ticks[i] - ticks[i - 1];
            if (delta == step) continue;
            var row = rows.Row[i];
            var from = BarRules.Iso(ticks[i - 1]);
            var to = BarRules.Iso(ticks[i]);
            if (delta < step)
                throw new BadInputException(file, row, timeField,
                    $"{to} is only {TimeSpan.FromTicks(delta)} after the previous bar ({from}), less than the timeframe {timeframe}; is the timeframe right?");
            if (delta % step != 0)
                throw new BadInputException(file, row, timeField,
                    $"{to} is {TimeSpan.FromTicks(delta)} after the previous bar ({from}), not a whole number of {timeframe} bars: the bars are misaligned");
            var absent = (int)(delta / step - 1);
            if (options.Gaps == GapPolicy.Fail)
                throw new BadInputException(file, row, timeField,
                    $"gap: {absent} {timeframe} bar(s) missing between {from} and {to} (gap longer than the timeframe); " +
                    "pass --gaps carry or --gaps skip (AgentFirm:Market:GapPolicy CarryForward or Skip) to accept it");
            gaps++;
            missing += absent;
            warnings.Add(new LoadWarning(file, row, timeField, options.Gaps == GapPolicy.CarryForward
                ? $"gap: {absent} bar(s) missing between {from} and {to}; filled with flat zero-volume bars at the previous close"
                : $"gap: {absent} bar(s) missing between {from} and {to}; left as a gap"));
        }

        var fill = options.Gaps == GapPolicy.CarryForward ? missing : 0;
        var bars = new Bar[n + fill];
        var duration = timeframe.Duration;
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            if (fill > 0 && i > 0)
            {
                // Mark and carry forward: flat at the last close, zero volume (Bar.IsFiller).
                var last = rows.Close[i - 1];
                for (var t = ticks[i - 1] + step; t < ticks[i]; t += step)
                    bars[k++] = new Bar(new DateTimeOffset(t, TimeSpan.Zero), duration, last, last, last, last, 0);
            }
            bars[k++] = new Bar(new DateTimeOffset(ticks[i], TimeSpan.Zero), duration,
                rows.Open[i], rows.High[i], rows.Low[i], rows.Close[i], rows.Volume[i]);
        }
        return new Result(timeframe, bars, gaps, missing, fill);
    }

    /// <summary>Median spacing of consecutive bars: robust to the odd gap, unlike the minimum or the mean.</summary>
    private static Timeframe Infer(string file, RawBars rows, string timeField)
    {
        var n = rows.Count;
        if (n < 2)
        {
            // One bar has no spacing; a folder named like a timeframe (ohlcv/1h/...) still tells it.
            var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file)));
            if (Timeframe.TryParse(folder, out var fromFolder)) return fromFolder;
            throw new BadInputException(file, n == 1 ? rows.Row[0] : 1, timeField,
                $"cannot infer the timeframe from {n} bar(s); set LoadOptions.Timeframe");
        }
        var deltas = new long[n - 1];
        for (var i = 1; i < n; i++) deltas[i - 1] = rows.Ticks[i] - rows.Ticks[i - 1];
        Array.Sort(deltas);
        return new Timeframe(TimeSpan.FromTicks(deltas[(n - 1) / 2]));
    }
}
