using Microsoft.Playwright;
using Xunit;

namespace AgentFirm.BrowserSupport;

/// <summary>Debian's Chromium driven by Playwright; no browser download (there is no internet here).</summary>
public sealed class ChromiumBrowser : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright playwright;

    private ChromiumBrowser(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Skips the calling test, with the reason, when Chromium is not installed.</summary>
    public static async Task<ChromiumBrowser> LaunchOrSkipAsync()
    {
        Skip.IfNot(File.Exists(ExecutablePath),
            $"{ExecutablePath} is absent: install Debian's chromium (apt-get install chromium) to run the dashboard browser tests.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return new ChromiumBrowser(playwright, browser);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}
