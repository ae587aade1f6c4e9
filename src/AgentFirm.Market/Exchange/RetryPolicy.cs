namespace AgentFirm.Market.Exchange;

/// <summary>Waits before the next attempt. Injected so tests see the delays without spending them.</summary>
public delegate Task RetryDelay(TimeSpan delay, CancellationToken cancellationToken);

/// <summary>
/// How hard to try one page. Rate limits (429/418) wait what the exchange asks in Retry-After, up to
/// <see cref="RetryAfterCap"/>; server errors, timeouts and unreadable bodies back off exponentially with
/// jitter drawn from a generator seeded with <see cref="Seed"/>, so a run's delays are reproducible.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Attempts per page, the first one included.</summary>
    public int MaxAttempts { get; init; } = 6;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan RetryAfterCap { get; init; } = TimeSpan.FromMinutes(2);
    public int Seed { get; init; } = 20240101;

    public static RetryPolicy Default { get; } = new();

    /// <summary>
    /// Delay after failed attempt number <paramref name="attempt"/> (1-based): base·2^(attempt−1), capped, then
    /// scaled by a factor in [0.5, 1) so that clients that failed together do not retry together.
    /// </summary>
    public TimeSpan Backoff(int attempt, Random jitter)
    {
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + 0.5 * jitter.NextDouble()));
    }

    /// <summary>What the exchange asked for, never more than the cap and never negative.</summary>
    public TimeSpan ClampRetryAfter(TimeSpan requested) =>
        requested < TimeSpan.Zero ? TimeSpan.Zero : requested > RetryAfterCap ? RetryAfterCap : requested;

    public void Validate()
    {
        if (MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "At least one attempt is needed.");
        if (BaseDelay < TimeSpan.Zero || MaxBackoff < TimeSpan.Zero || RetryAfterCap < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(BaseDelay), "Delays cannot be negative.");
    }
}
