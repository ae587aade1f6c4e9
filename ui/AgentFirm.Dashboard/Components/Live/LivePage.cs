using AgentFirm.Dashboard.Model;
using Microsoft.AspNetCore.Components;

namespace AgentFirm.Dashboard.Components.Live;

/// <summary>
/// A page that follows the firm: it holds the latest snapshot and redraws at most <see cref="RedrawsPerSecond"/>
/// times a second however fast the firm publishes (50 steps a second in a fast live session). Each redraw
/// re-renders every chart on the page once, so this is also each chart's redraw rate.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    /// <summary>The budget: no chart redraws more than twice a second.</summary>
    public const double RedrawsPerSecond = 2;

    private RedrawThrottle? throttle;

    [Inject] protected IFirmMonitor Monitor { get; set; } = default!;

    protected FirmSnapshot Snapshot { get; private set; } = FirmSnapshot.Empty;

    protected override void OnInitialized() => Snapshot = Monitor.Current;

    protected override void OnAfterRender(bool firstRender)
    {
        // Subscribe only once interactive: a prerendered instance is thrown away after the first paint.
        if (!firstRender || !RendererInfo.IsInteractive) return;
        throttle = new RedrawThrottle(TimeSpan.FromSeconds(1 / RedrawsPerSecond), () => InvokeAsync(Redraw));
        Monitor.Changed += OnFirmChanged;
        // A change may have landed between the prerender and the subscription.
        if (!ReferenceEquals(Snapshot, Monitor.Current)) throttle.Request();
    }

    private void OnFirmChanged() => throttle?.Request();

    private void Redraw()
    {
        Snapshot = Monitor.Current;
        OnSnapshotChanged();
        StateHasChanged();
    }

    /// <summary>Hook for pages that derive state (a filtered page of rows) from the new snapshot before drawing.</summary>
    protected virtual void OnSnapshotChanged() { }

    public void Dispose()
    {
        Monitor.Changed -= OnFirmChanged;
        throttle?.Dispose();
        GC.SuppressFinalize(this);
    }
}
