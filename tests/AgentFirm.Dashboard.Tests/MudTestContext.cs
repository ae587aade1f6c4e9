using Bunit;
using MudBlazor.Services;

namespace AgentFirm.Dashboard.Tests;

/// <summary>A bUnit context with MudBlazor's services, disposed after each test. MudBlazor calls into its JS; nothing to check there.</summary>
public abstract class MudTestContext : IAsyncLifetime
{
    protected readonly BunitContext ctx = new();

    protected MudTestContext()
    {
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => ctx.DisposeAsync().AsTask();
}
