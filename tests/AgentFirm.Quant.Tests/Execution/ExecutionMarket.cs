using AgentFirm.Core;

namespace AgentFirm.Quant.Tests.Execution;

/// <summary>Hand-made sub-bars for the execution tests.</summary>
internal static class ExecutionMarket
{
    public static readonly DateTimeOffset Day0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Flat bars at <paramref name="price"/> with the given volumes, one per <paramref name="step"/> from <paramref name="start"/>.</summary>
    public static Bar[] Flat(DateTimeOffset start, TimeSpan step, double price, params double[] volumes) =>
        volumes.Select((v, k) => new Bar(start + k * step, step, price, price, price, price, v)).ToArray();

    public static Bar At(DateTimeOffset time, TimeSpan step, double open, double high, double low, double close, double volume) =>
        new(time, step, open, high, low, close, volume);
}
