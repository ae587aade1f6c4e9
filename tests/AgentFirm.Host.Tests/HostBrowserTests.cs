using System.Diagnostics;
using AgentFirm.BrowserSupport;
using AgentFirm.TestSupport;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AgentFirm.Host.Tests;

/// <summary>
/// The real thing: starts the built `agentfirm` host as its own process (silo, SQLite, live session on
/// the simulator, dashboard) on free loopback ports, opens the overview in Debian's Chromium and waits for
/// the firm to trade its way onto the page.
/// </summary>
public sealed class HostBrowserTests(ITestOutputHelper output)
{
    private static readonly float Timeout = 60_000;

    [SkippableFact]
    public async Task The_running_host_shows_the_equity_chart_and_decision_steps_in_chromium()
    {
        await using var chromium = await ChromiumBrowser.LaunchOrSkipAsync();
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder.Path, output);

        var page = await chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 1400 } });
        await page.GotoAsync(host.Url, new() { WaitUntil = WaitUntilState.NetworkIdle, Timeout = Timeout });
        await page.Locator("[data-testid=circuit-ready]").WaitForAsync(new() { Timeout = Timeout });
        await page.Locator("[data-testid=decision-row]").First.WaitForAsync(new() { Timeout = Timeout });
        await page.Locator("[data-testid=equity-chart]").WaitForAsync(new() { Timeout = Timeout });

        Assert.True(await page.Locator("[data-testid=equity-chart]").IsVisibleAsync());
        Assert.True(await page.Locator("[data-testid=decision-row]").CountAsync() >= 1);
        var shot = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", "host-overview.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await page.ScreenshotAsync(new() { Path = shot });
        output.WriteLine($"screenshot: {shot}");
    }

    /// <summary>The agentfirm process, with its stdout and stderr echoed to the test output.</summary>
    internal sealed class RunningHost : IAsyncDisposable
    {
        private readonly Process _process;

        private RunningHost(Process process, string url)
        {
            _process = process;
            Url = url;
        }

        public string Url { get; }

        /// <summary>CPU time the host process has used so far (all threads): the dashboard's cost is the difference with a page open.</summary>
        public TimeSpan ProcessorTime
        {
            get
            {
                _process.Refresh();
                return _process.TotalProcessorTime;
            }
        }

        public static async Task<RunningHost> StartAsync(string folder, ITestOutputHelper output, int days = 60)
        {
            var dll = HostDll();
            var url = $"http://127.0.0.1:{LoopbackPort.Free()}";
            var info = new ProcessStartInfo("dotnet", [dll, "--urls", url, "--speed", "50", "--days", days.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.Environment["AgentFirm__DataFolder"] = Path.Combine(folder, "data");
            info.Environment["AgentFirm__ReportsFolder"] = Path.Combine(folder, "out");
            info.Environment["AgentFirm__SiloPort"] = LoopbackPort.Free().ToString();
            info.Environment["AgentFirm__GatewayPort"] = LoopbackPort.Free().ToString();
            var process = Process.Start(info)!;
            var ready = new TaskCompletionSource();
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                Echo(output, e.Data);
                if (e.Data.Contains("AgentFirm is running")) ready.TrySetResult();
            };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Echo(output, e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var started = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(90)));
            if (started != ready.Task)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"agentfirm did not start ({(process.HasExited ? $"exit code {process.ExitCode}" : "timed out")}); see the test output.");
            }
            return new RunningHost(process, url);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }

        /// <summary>The host's own build output (same configuration as these tests), where its static web assets manifest lives.</summary>
        private static string HostDll()
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // .../bin/<Configuration>/net10.0/
            var dll = Path.Combine(RepoRoot.Path!, "src", "AgentFirm.Host", "bin", configuration, "net10.0", "agentfirm.dll");
            // This project references the host, so it is built first; its own output holds the static web assets manifest.
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"The host's build output is missing: {dll}");
        }

        private static void Echo(ITestOutputHelper output, string line)
        {
            try { output.WriteLine(line); } catch (InvalidOperationException) { /* the test already finished */ }
        }
    }

}
