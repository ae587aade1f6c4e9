namespace AgentFirm.Dashboard.Components;

/// <summary>
/// Coalesces bursts of change notifications into at most one redraw per interval: a firm in backtest
/// mode can publish thousands of snapshots a second, and each redraw is a diff sent over the circuit.
/// </summary>
internal sealed class RedrawThrottle(TimeSpan interval, Func<Task> redraw) : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private int pending;

    /// <summary>Asks for a redraw; returns at once. Safe from any thread.</summary>
    public void Request()
    {
        if (stop.IsCancellationRequested || Interlocked.Exchange(ref pending, 1) == 1) return;
        _ = RedrawLaterAsync();
    }

    private async Task RedrawLaterAsync()
    {
        try
        {
            await Task.Delay(interval, stop.Token);
            // Disposed while the delay was finishing (a busy machine runs the continuation late): no redraw.
            if (stop.IsCancellationRequested) return;
            // Cleared before drawing, so a change that lands mid-redraw schedules the next one.
            Volatile.Write(ref pending, 0);
            await redraw();
        }
        catch (OperationCanceledException) { /* the page went away */ }
        catch (ObjectDisposedException) { /* the circuit went away between the delay and the redraw */ }
    }

    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
    }
}
