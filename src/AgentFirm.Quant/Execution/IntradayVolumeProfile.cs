using AgentFirm.Core;

namespace AgentFirm.Quant.Execution;

/// <summary>
/// The usual share of a day's volume traded in each time-of-day slot, learned only from whole UTC days before
/// the day of the decision (the current day's bars, even those already closed, stay out: its total is unknown).
/// Each past day's slot volumes are divided by that day's volume and the shares averaged over the days, so one
/// busy day does not dominate. With no usable past day every slot gets the same share (TWAP) and
/// <see cref="IsFallback"/> says so.
/// </summary>
public sealed class IntradayVolumeProfile
{
    private readonly double[] _share;
    private readonly TimeSpan _slot;

    private IntradayVolumeProfile(double[] share, TimeSpan slot, int days)
    {
        _share = share;
        _slot = slot;
        Days = days;
    }

    /// <summary>Past days the profile averages; 0 means the uniform fallback.</summary>
    public int Days { get; }
    public bool IsFallback => Days == 0;
    public int Slots => _share.Length;

    /// <summary>Share of a day's volume usually traded in the slot that opens at <paramref name="time"/>.</summary>
    public double Share(DateTimeOffset time) => _share[SlotOf(time)];

    private int SlotOf(DateTimeOffset time) => (int)(time.UtcDateTime.TimeOfDay.Ticks / _slot.Ticks) % _share.Length;

    public static IntradayVolumeProfile Learn(IReadOnlyList<Bar> history, DateTimeOffset decision, TimeSpan slot, int lookbackDays)
    {
        if (slot <= TimeSpan.Zero || TimeSpan.TicksPerDay % slot.Ticks != 0)
            throw new ArgumentException($"A volume-profile slot must divide a day evenly, got {slot}.");
        if (lookbackDays < 1) throw new ArgumentException($"A volume profile needs a lookback of at least one day, got {lookbackDays}.");
        var slots = (int)(TimeSpan.TicksPerDay / slot.Ticks);
        var today = new DateTimeOffset(decision.UtcDateTime.Date, TimeSpan.Zero);
        var from = today.AddDays(-lookbackDays);
        var sum = new double[slots];
        var day = new double[slots];
        var days = 0;
        var current = DateTimeOffset.MinValue;
        var profile = new IntradayVolumeProfile(sum, slot, 0);

        void Close()
        {
            var total = day.Sum();
            if (total > 0)
            {
                for (var s = 0; s < slots; s++) sum[s] += day[s] / total;
                days++;
            }
            Array.Clear(day);
        }

        foreach (var bar in history)
        {
            if (bar.Time < from) continue;
            if (bar.Time >= today) break;
            var date = new DateTimeOffset(bar.Time.UtcDateTime.Date, TimeSpan.Zero);
            if (date != current)
            {
                if (current != DateTimeOffset.MinValue) Close();
                current = date;
            }
            if (bar.Volume > 0) day[profile.SlotOf(bar.Time)] += bar.Volume;
        }
        if (current != DateTimeOffset.MinValue) Close();
        if (days == 0) return new IntradayVolumeProfile(Enumerable.Repeat(1.0 / slots, slots).ToArray(), slot, 0);
        for (var s = 0; s < slots; s++) sum[s] /= days;
        return new IntradayVolumeProfile(sum, slot, days);
    }
}
