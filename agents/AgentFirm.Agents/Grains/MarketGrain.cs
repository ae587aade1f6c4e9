using AgentFirm.Agents.Contracts;
using AgentFirm.Core;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The recent bars of one symbol, as they became known. Fed one-way so the decision step never waits
/// on it; the dashboard and tools read from it.
/// </summary>
public sealed class MarketGrain : Grain, IMarketGrain
{
    private const int Capacity = 2_000;
    private readonly Queue<Bar> _bars = new();

    private DateTimeOffset _last = DateTimeOffset.MinValue;

    public Task PublishAsync(Bar[] bars)
    {
        foreach (var bar in bars)
        {
            if (bar.Time <= _last) continue; // replays and retries
            _last = bar.Time;
            _bars.Enqueue(bar);
            if (_bars.Count > Capacity) _bars.Dequeue();
        }
        return Task.CompletedTask;
    }

    public Task<Bar[]> RecentAsync(int count) => Task.FromResult(_bars.Skip(Math.Max(0, _bars.Count - count)).ToArray());
}
