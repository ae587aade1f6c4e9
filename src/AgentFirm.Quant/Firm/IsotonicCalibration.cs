namespace AgentFirm.Quant.Firm;

/// <summary>
/// P(call right | strength) as a monotone step curve fitted on the most recent resolved calls: isotonic
/// regression by pool-adjacent-violators (Zadrozny &amp; Elkan 2002; Niculescu-Mizil &amp; Caruana 2005), whose
/// blocks are then merged until each holds at least <c>minimumBlock</c> calls, so no level rests on a
/// handful of lucky calls. Between block centres the curve is interpolated linearly. Unlike a logistic
/// curve it can flatten where stronger pooled evidence stops being more often right, which is where a
/// logistic recalibration turns overconfident.
/// </summary>
public sealed class IsotonicCalibration
{
    private readonly double[] _strength;
    private readonly bool[] _right;
    private readonly int _minimumBlock;
    private readonly int _refitEvery;
    private int _next, _count, _sinceFit;
    // Workspace and result, reused across refits.
    private readonly int[] _order;
    private readonly double[] _blockStrength, _blockRate;
    private readonly int[] _blockCalls;
    private int _blocks;

    public IsotonicCalibration(int window, int minimumBlock, int refitEvery = 1)
    {
        if (window < 2) throw new ArgumentOutOfRangeException(nameof(window), "The window needs at least 2 calls.");
        if (minimumBlock < 1 || minimumBlock > window) throw new ArgumentOutOfRangeException(nameof(minimumBlock), "A block needs between 1 call and the whole window.");
        if (refitEvery < 1) throw new ArgumentOutOfRangeException(nameof(refitEvery));
        _strength = new double[window];
        _right = new bool[window];
        _order = new int[window];
        _blockStrength = new double[window];
        _blockRate = new double[window];
        _blockCalls = new int[window];
        _minimumBlock = minimumBlock;
        _refitEvery = refitEvery;
    }

    /// <summary>Resolved calls in the window.</summary>
    public int Count => _count;

    /// <summary>Whether the window holds enough calls for at least one block.</summary>
    public bool Ready => _blocks > 0;

    /// <summary>The fitted levels, weakest first: mean strength, calls and hit rate of each block.</summary>
    public IEnumerable<(double Strength, int Calls, double HitRate)> Blocks()
    {
        for (var b = 0; b < _blocks; b++) yield return (_blockStrength[b], _blockCalls[b], _blockRate[b]);
    }

    /// <summary>Adds one resolved call: its strength (≥ 0) and whether its direction was right.</summary>
    public void Add(double strength, bool right)
    {
        if (!double.IsFinite(strength) || strength < 0) return;
        _strength[_next] = strength;
        _right[_next] = right;
        _next = (_next + 1) % _strength.Length;
        if (_count < _strength.Length) _count++;
        if (++_sinceFit >= _refitEvery) Fit();
    }

    /// <summary>The probability that a call of this strength is right (interpolated between block centres).</summary>
    public double ProbabilityRight(double strength)
    {
        if (_blocks == 0) throw new InvalidOperationException("No block fitted yet: check Ready.");
        if (strength <= _blockStrength[0]) return _blockRate[0];
        for (var b = 1; b < _blocks; b++)
        {
            if (strength > _blockStrength[b]) continue;
            var t = (strength - _blockStrength[b - 1]) / (_blockStrength[b] - _blockStrength[b - 1]);
            return _blockRate[b - 1] + t * (_blockRate[b] - _blockRate[b - 1]);
        }
        return _blockRate[_blocks - 1];
    }

    private void Fit()
    {
        _sinceFit = 0;
        _blocks = 0;
        if (_count < _minimumBlock) return;
        for (var i = 0; i < _count; i++) _order[i] = i;
        Array.Sort(_order, 0, _count, Comparer<int>.Create((a, b) => _strength[a].CompareTo(_strength[b])));

        // Pool adjacent violators: each new call starts a block; while a block's rate is not above the one
        // before it, the two merge (sums kept, so a merged block's rate is its calls' hit rate).
        for (var k = 0; k < _count; k++)
        {
            var i = _order[k];
            Push(_strength[i], 1, _right[i] ? 1 : 0);
            while (_blocks > 1 && _blockRate[_blocks - 1] <= _blockRate[_blocks - 2]) MergeLast();
        }
        // Then no block smaller than the minimum: merge each small one into its smaller neighbour (merging two
        // monotone neighbours keeps the sequence monotone).
        for (var b = 0; b < _blocks;)
        {
            if (_blockCalls[b] >= _minimumBlock || _blocks == 1) { b++; continue; }
            var into = b == 0 ? 1 : b == _blocks - 1 ? b - 1 : _blockCalls[b - 1] <= _blockCalls[b + 1] ? b - 1 : b + 1;
            MergePair(Math.Min(b, into));
            b = Math.Max(0, Math.Min(b, into) - 1);
        }
    }

    private void Push(double strength, int calls, int hits)
    {
        _blockStrength[_blocks] = strength;
        _blockCalls[_blocks] = calls;
        _blockRate[_blocks] = (double)hits / calls;
        _blocks++;
    }

    private void MergeLast() => MergePair(_blocks - 2);

    /// <summary>Merges block <paramref name="b"/> with block b + 1 (call-weighted strength and rate).</summary>
    private void MergePair(int b)
    {
        var n1 = _blockCalls[b];
        var n2 = _blockCalls[b + 1];
        var n = n1 + n2;
        _blockStrength[b] = (_blockStrength[b] * n1 + _blockStrength[b + 1] * n2) / n;
        _blockRate[b] = (_blockRate[b] * n1 + _blockRate[b + 1] * n2) / n;
        _blockCalls[b] = n;
        for (var k = b + 1; k < _blocks - 1; k++)
        {
            _blockStrength[k] = _blockStrength[k + 1];
            _blockRate[k] = _blockRate[k + 1];
            _blockCalls[k] = _blockCalls[k + 1];
        }
        _blocks--;
    }
}
