using System.Diagnostics;
using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.RegularExpressions;
using AgentFirm.Agents;
using AgentFirm.Agents.Hosting;
using LoopbackPort = AgentFirm.TestSupport.LoopbackPort;
using AgentFirm.Host.Auth;
using AgentFirm.Host.Firm;
using AgentFirm.Quant.Risk;
using AgentFirm.TestSupport;
using Microsoft.AspNetCore.Components.Authorization;

namespace AgentFirm.Host.Tests.Auth;

/// <summary>The dashboard beyond loopback: nothing without sign-in, operators only for the kill switch and reset, the audit names them.</summary>
public sealed partial class SignInTests
{
    private const string OperatorPassword = "correct-horse-battery-9";
    private const string ViewerPassword = "viewer-sees-all-17";

    [Theory]
    [InlineData("http://0.0.0.0:5080", true)]
    [InlineData("http://*:5080", true)]
    [InlineData("http://+:5080", true)]
    [InlineData("http://firm.example.org:80", true)]
    [InlineData("http://192.168.1.20:5080", true)]
    [InlineData("http://127.0.0.1:5080;http://0.0.0.0:5081", true)]
    [InlineData("http://127.0.0.1:5080", false)]
    [InlineData("http://localhost:5080", false)]
    [InlineData("http://[::1]:5080", false)]
    public void Sign_in_is_required_exactly_when_an_address_binds_beyond_loopback(string urls, bool required) =>
        Assert.Equal(required, DashboardSignIn.Required(urls));

    [Fact]
    public async Task Anonymous_requests_to_every_page_and_endpoint_are_refused_beyond_loopback_and_a_signed_in_user_gets_through()
    {
        using var folder = new TempFolder();
        var logs = new StringBuilder();
        Assert.Equal(0, await Agentfirm(folder, logs, ("AGENTFIRM_PASSWORD", OperatorPassword), "users", "add", "alice", "--role", "operator"));
        Assert.Equal(0, await Agentfirm(folder, logs, ("AGENTFIRM_PASSWORD", ViewerPassword), "users", "add", "bob", "--role", "viewer"));
        Assert.NotEqual(0, await Agentfirm(folder, logs, ("AGENTFIRM_PASSWORD", "tiny-pw1"), "users", "add", "carol"));

        var port = LoopbackPort.Free();
        using var host = StartHost(folder, logs, port);
        try
        {
            using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
            using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilServingAsync(http, host);

            foreach (var path in new[] { "/", "/agents", "/decisions", "/risk", "/sessions", "/backtests", "/backtests/run-1", "/no-such-page",
                         "/_framework/blazor.web.js", "/_content/AgentFirm.Dashboard/dashboard.css", "/_content/MudBlazor/MudBlazor.min.css" })
            {
                var response = await http.GetAsync(path);
                Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, $"GET {path} answered {response.StatusCode} without sign-in");
                if (response.StatusCode == HttpStatusCode.Redirect) Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery);
            }
            var negotiate = await http.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
            Assert.True(negotiate.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, $"the Blazor circuit answered {negotiate.StatusCode} without sign-in");

            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(http, "alice", "not-her-password")).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("/risk")).StatusCode);
            var signedIn = await SignInAsync(http, "alice", OperatorPassword);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/risk")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }

        string captured;
        lock (logs) captured = logs.ToString();
        Assert.Contains("Sign-in refused for alice", captured);
        foreach (var secret in new[] { OperatorPassword, ViewerPassword, "not-her-password", "tiny-pw1" })
            Assert.DoesNotContain(secret, captured);
        Assert.DoesNotContain(OperatorPassword, File.ReadAllText(Path.Combine(folder.Path, "data", "agentfirm.db"), Encoding.Latin1));
    }

    [Fact]
    public async Task Only_an_operator_engages_the_kill_switch_or_resets_and_the_audit_names_the_signed_in_user()
    {
        using var folder = new TempFolder();
        await using var silo = await EmbeddedSilo.StartAsync(new FirmSiloSettings { DatabasePath = folder.File("firm.db") }, CancellationToken.None);
        var monitor = new FirmMonitor(new RiskLimits(), folder.File("out")) { Run = (silo.Grains, "firm-audit") };

        var viewer = Signed("bob", Roles.Viewer);
        Assert.Null(SignedInRiskControls.For(monitor, new FixedUser(viewer))); // the panel shows read-only
        Assert.Null(SignedInRiskControls.For(monitor, new FixedUser(new ClaimsPrincipal(new ClaimsIdentity()))));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => new SignedInRiskControls(monitor, viewer).EngageKillSwitchAsync("bob", "trying"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => new SignedInRiskControls(monitor, viewer).ResetAsync("bob"));
        Assert.Empty(monitor.Current.Audit);

        var controls = SignedInRiskControls.For(monitor, new FixedUser(Signed("alice", Roles.Operator)));
        Assert.NotNull(controls);
        var before = DateTimeOffset.UtcNow;
        await controls.EngageKillSwitchAsync("", "kill switch pressed on the dashboard");
        await controls.ResetAsync("Alice Smith");
        var audit = monitor.Current.Audit;
        Assert.Equal(2, audit.Count);
        Assert.Equal(("reset", "alice (operator, typed \"Alice Smith\")"), (audit[0].Action, audit[0].Who));
        Assert.Equal(("kill switch", "alice (operator)"), (audit[1].Action, audit[1].Who));
        Assert.All(audit, e => Assert.InRange(e.At, before, DateTimeOffset.UtcNow));
    }

    private static ClaimsPrincipal Signed(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));

    private sealed class FixedUser(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient http, string name, string password)
    {
        var page = await (await http.GetAsync("/signin?ReturnUrl=%2Frisk")).Content.ReadAsStringAsync();
        var token = Token().Match(page);
        Assert.True(token.Success, page);
        return await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value), ["name"] = name, ["password"] = password, ["returnUrl"] = "/risk",
        }));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex Token();

    private static async Task WaitUntilServingAsync(HttpClient http, Process host)
    {
        for (var i = 0; i < 180; i++)
        {
            if (host.HasExited) throw new InvalidOperationException($"agentfirm exited ({host.ExitCode})");
            try
            {
                await http.GetAsync("/signin");
                return;
            }
            catch (HttpRequestException) { await Task.Delay(500); }
        }
        throw new TimeoutException("the dashboard never answered");
    }

    private static ProcessStartInfo Start(TempFolder folder, StringBuilder logs, params string[] args)
    {
        // the host's own build output (same configuration as these tests), where its static web assets manifest lives
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(RepoRoot.Path!, "src", "AgentFirm.Host", "bin", configuration, "net10.0", "agentfirm.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder.Path, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["AgentFirm__DataFolder"] = Path.Combine(folder.Path, "data");
        start.Environment["AgentFirm__ReportsFolder"] = Path.Combine(folder.Path, "out");
        return start;
    }

    private static Process Capture(ProcessStartInfo start, StringBuilder logs)
    {
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (logs) logs.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (logs) logs.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<int> Agentfirm(TempFolder folder, StringBuilder logs, (string Key, string Value) environment, params string[] args)
    {
        var start = Start(folder, logs, args);
        start.Environment[environment.Key] = environment.Value;
        using var process = Capture(start, logs);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        process.WaitForExit();
        return process.ExitCode;
    }

    private static Process StartHost(TempFolder folder, StringBuilder logs, int port)
    {
        var start = Start(folder, logs, "--urls", $"http://0.0.0.0:{port}", "--speed", "20", "--days", "30");
        start.Environment["AgentFirm__SiloPort"] = LoopbackPort.Free().ToString();
        start.Environment["AgentFirm__GatewayPort"] = LoopbackPort.Free().ToString();
        return Capture(start, logs);
    }
}
