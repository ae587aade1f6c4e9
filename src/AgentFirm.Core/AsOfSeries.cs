namespace AgentFirm.Core;

/// <summary>Raised when code asks for a value that is not yet known at the decision time.</summary>
public sealed class LookaheadException(string message) : InvalidOperationException(message);

/// <summary>
/// A time series read as-of a decision clock: only the items whose knowledge time is at or before
/// <see cref="IDecisionClock.Now"/> are visible. Index 0 is the oldest visible item. There is no way to
/// reach the hidden tail through this type; asking for it throws <see cref="LookaheadException"/>.
/// </summary>
public sealed class AsOfSeries<T>
{
    private readonly DateTimeOffset[] _knownAt;
    private readonly T[] _values;
    private readonly IDecisionClock _clock;
    private DateTimeOffset _cachedAt = DateTimeOffset.MinValue;
    private int _visible;

    /// <param name="knownAt">When each value became known (a bar's close time, a headline's publish time), ascending.</param>
    public AsOfSeries(IReadOnlyList<DateTimeOffset> knownAt, IReadOnlyList<T> values, IDecisionClock clock)
    {
        if (knownAt.Count != values.Count) throw new ArgumentException("knownAt and values must have the same length.");
        _knownAt = knownAt.ToArray();
        _values = values.ToArray();
        _clock = clock;
        for (var i = 1; i < _knownAt.Length; i++)
            if (_knownAt[i] < _knownAt[i - 1])
                throw new ArgumentException($"knownAt must be ascending; item {i} ({_knownAt[i]:O}) is before item {i - 1}.");
    }

    public static AsOfSeries<Bar> FromBars(IReadOnlyList<Bar> bars, IDecisionClock clock) =>
        new(bars.Select(b => b.CloseTime).ToArray(), bars, clock);

    public DateTimeOffset DecisionTime => _clock.Now;

    /// <summary>Number of items known at the decision time.</summary>
    public int Count
    {
        get
        {
            Sync();
            return _visible;
        }
    }

    public T this[int index]
    {
        get
        {
            Sync();
            if ((uint)index >= (uint)_visible)
                throw new LookaheadException(index >= _visible && index < _values.Length
                    ? $"Item {index} is not known at {_clock.Now:O}; only {_visible} items are."
                    : $"Index {index} is outside the {_visible} items known at {_clock.Now:O}.");
            return _values[index];
        }
    }

    /// <summary>The value <paramref name="barsAgo"/> steps before the latest known one (0 = latest).</summary>
    public T Ago(int barsAgo) => this[Count - 1 - barsAgo];

    public T Latest => Ago(0);

    public bool TryGet(int index, out T value)
    {
        Sync();
        if ((uint)index < (uint)_visible)
        {
            value = _values[index];
            return true;
        }
        value = default!;
        return false;
    }


    /// <summary>The known prefix, without copying.</summary>
    public ReadOnlySpan<T> AsSpan()
    {
        Sync();
        return _values.AsSpan(0, _visible);
    }

    private void Sync()
    {
        var now = _clock.Now;
        if (now == _cachedAt) return;
        if (now < _cachedAt) _visible = 0; // a different clock run: recount from the start
        while (_visible < _knownAt.Length && _knownAt[_visible] <= now) _visible++;
        _cachedAt = now;
    }
}
