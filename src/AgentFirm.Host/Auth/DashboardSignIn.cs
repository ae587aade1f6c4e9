using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using AgentFirm.Dashboard.Model;
using AgentFirm.Host.Firm;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Host.Auth;

/// <summary>
/// Sign-in for the dashboard when it binds beyond loopback: a cookie issued by /signin after the name and password
/// match a stored PBKDF2 hash, and a fallback policy that refuses every other page, script, asset and the Blazor
/// circuit to anyone without it. On loopback the dashboard stays open, as before: only the machine's own users reach it.
/// </summary>
public static class DashboardSignIn
{
    public const string Path = "/signin";
    public const string SignOutPath = "/signout";

    /// <summary>Whether any of the addresses (';'-separated, as --urls takes them) binds beyond loopback: 0.0.0.0, *, +, a host name or a non-loopback IP.</summary>
    public static bool Required(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
            host = host.Split('/')[0];
            host = host.StartsWith('[') ? host[1..host.IndexOf(']')] : host.Split(':')[0];
            if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) continue;
            if (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip)) continue;
            return true;
        }
        return false;
    }

    /// <summary>Cookie authentication, the all-pages policy, and risk controls that answer to the signed-in operator only.</summary>
    public static IServiceCollection AddDashboardSignIn(this IServiceCollection services, IUserStore users)
    {
        services.AddSingleton(users);
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.LoginPath = Path;
            o.AccessDeniedPath = Path;
            o.LogoutPath = SignOutPath;
            o.Cookie.Name = "agentfirm.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddCascadingAuthenticationState();
        // Operators get controls that record who they are; viewers get none, so the risk panel shows read-only.
        services.AddScoped<IRiskControls>(sp => SignedInRiskControls.For(sp.GetRequiredService<FirmMonitor>(), sp.GetRequiredService<AuthenticationStateProvider>())!);
        return services;
    }

    /// <summary>Authentication and authorisation before every endpoint, and the sign-in and sign-out pages (the only anonymous ones).</summary>
    public static void UseDashboardSignIn(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet(Path, (HttpContext http, IAntiforgery antiforgery) => Results.Content(Page(http, antiforgery, failed: false), "text/html")).AllowAnonymous();
        app.MapPost(Path, SignInAsync).AllowAnonymous().DisableAntiforgery(); // validated below, with a clear answer
        app.MapPost(SignOutPath, async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect(Path);
        });
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery, IUserStore users, ILoggerFactory loggers)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest("The sign-in form expired; reload the page.");
        var form = await http.Request.ReadFormAsync();
        var name = form["name"].ToString().Trim();
        var password = form["password"].ToString();
        var user = name.Length == 0 ? null : await users.FindAsync(name);
        var log = loggers.CreateLogger("AgentFirm.SignIn");
        if (user is null || !Passwords.Verify(user, password))
        {
            // the name only: a password typed into the name field by mistake is not worth leaking, so it is cut short
            log.LogWarning("Sign-in refused for {Name} from {Address}", name.Length > 64 ? name[..64] : name, http.Connection.RemoteIpAddress);
            return Results.Content(Page(http, antiforgery, failed: true), "text/html", statusCode: StatusCodes.Status401Unauthorized);
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role)], CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        log.LogInformation("{Name} signed in as {Role}", user.Name, user.Role);
        var returnUrl = form["returnUrl"].ToString();
        return Results.Redirect(Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/");
    }

    private static string Page(HttpContext http, IAntiforgery antiforgery, bool failed)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var html = HtmlEncoder.Default;
        var returnUrl = http.Request.Query["ReturnUrl"].ToString();
        if (returnUrl.Length == 0) returnUrl = http.Request.HasFormContentType ? http.Request.Form["returnUrl"].ToString() : "/";
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>AgentFirm: sign in</title>
            <style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto}label,input,button{display:block;width:100%;margin:.4rem 0}input{padding:.4rem}p.error{color:#b00020}</style></head>
            <body><h1>AgentFirm</h1><p>This dashboard is reachable beyond this machine: sign in.</p>
            {{(failed ? "<p class=\"error\" data-testid=\"signin-error\">Wrong name or password.</p>" : "")}}
            <form method="post" action="{{Path}}">
            <input type="hidden" name="{{html.Encode(tokens.FormFieldName)}}" value="{{html.Encode(tokens.RequestToken ?? "")}}">
            <input type="hidden" name="returnUrl" value="{{html.Encode(returnUrl)}}">
            <label>Name <input name="name" autocomplete="username" required></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">Sign in</button></form></body></html>
            """;
    }
}

/// <summary>
/// The risk panel's controls for a signed-in person: only an operator may engage the kill switch or reset a halt, and
/// the audit records the signed-in name (with the name typed on the page when it differs), never only what was typed.
/// </summary>
public sealed class SignedInRiskControls(IRiskControls inner, ClaimsPrincipal user) : IRiskControls
{
    /// <summary>Controls for an operator; null for anyone else (the panel then shows read-only).</summary>
    public static SignedInRiskControls? For(IRiskControls inner, AuthenticationStateProvider authentication)
    {
        ClaimsPrincipal user;
        try
        {
            // Blazor sets the circuit's user before any component asks for a service, so this task is complete.
            user = authentication.GetAuthenticationStateAsync().GetAwaiter().GetResult().User;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        return user.IsInRole(Roles.Operator) ? new SignedInRiskControls(inner, user) : null;
    }

    public Task EngageKillSwitchAsync(string operatorName, string reason) => inner.EngageKillSwitchAsync(Who(operatorName), reason);

    public Task ResetAsync(string operatorName) => inner.ResetAsync(Who(operatorName));

    private string Who(string typed)
    {
        if (user.Identity?.IsAuthenticated != true || !user.IsInRole(Roles.Operator))
            throw new UnauthorizedAccessException("Only a signed-in operator may engage the kill switch or reset the firm.");
        var name = user.Identity.Name!;
        var other = typed.Trim();
        return other.Length == 0 || other.Equals(name, StringComparison.Ordinal) || other == AgentFirm.Dashboard.Components.Firm.RiskStatusPanel.UnnamedOperator
            ? $"{name} (operator)"
            : $"{name} (operator, typed \"{other}\")";
    }
}
