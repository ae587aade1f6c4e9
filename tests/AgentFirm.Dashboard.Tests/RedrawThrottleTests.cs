using AgentFirm.Dashboard.Components;

namespace AgentFirm.Dashboard.Tests;

public sealed class RedrawThrottleTests
{
    [Fact]
    public async Task A_burst_of_changes_becomes_one_redraw_and_a_later_change_another()
    {
        var redraws = 0;
        var drawn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var throttle = new RedrawThrottle(TimeSpan.FromMilliseconds(20), () =>
        {
            Interlocked.Increment(ref redraws);
            drawn.TrySetResult();
            return Task.CompletedTask;
        });

        for (var i = 0; i < 1_000; i++) throttle.Request();
        await drawn.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, Volatile.Read(ref redraws));

        drawn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        throttle.Request();
        await drawn.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, Volatile.Read(ref redraws));
    }

    [Fact]
    public async Task No_redraw_after_dispose()
    {
        var redraws = 0;
        // An interval long enough that a stalled test thread (two busy cores) still disposes before it ends.
        var throttle = new RedrawThrottle(TimeSpan.FromMilliseconds(200), () => { redraws++; return Task.CompletedTask; });
        throttle.Request();
        throttle.Dispose();
        throttle.Request();
        await Task.Delay(500); // longer than the interval: a redraw would have happened by now
        Assert.Equal(0, redraws);
    }
}
