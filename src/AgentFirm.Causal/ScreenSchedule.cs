namespace AgentFirm.Causal;

/// <summary>
/// When the causal-feature analyst re-runs its screen: at most once a day of bars and once per 2% of the window
/// (every 5 steps of a 250-step window). Consecutive windows overlap almost entirely and PCMCI is the expensive part
/// of the firm's step, so this bounds its cost per step; a symbol never screened (the first step, a newly listed
/// asset) is screened at once.
/// </summary>
public sealed class ScreenSchedule(int window)
{
    private int _stepsSinceScreen;

    /// <summary>Counts one step of bars lasting <paramref name="barDuration"/> and says whether to screen on it.</summary>
    public bool Due(TimeSpan barDuration, bool unscreenedSymbol)
    {
        var barsPerDay = barDuration > TimeSpan.Zero ? Math.Max(1, (int)(TimeSpan.FromDays(1) / barDuration)) : 1;
        var every = Math.Max(barsPerDay, Math.Max(1, window / 50));
        var due = ++_stepsSinceScreen >= every || unscreenedSymbol;
        if (due) _stepsSinceScreen = 0;
        return due;
    }
}
