using System.Globalization;
using AgentFirm.Core;

namespace AgentFirm.Causal;

/// <summary>
/// What the causal-feature analyst reads: the step times, an asset's per-step return (the target) and the
/// candidate drivers, all aligned by step. Times[t] is when the values of step t became known.
/// </summary>
public sealed record CausalPanel(IReadOnlyList<DateTimeOffset> Times, IReadOnlyList<double> Target, IReadOnlyList<DriverSeries> Drivers)
{
    public void Validate()
    {
        if (Target.Count != Times.Count) throw new ArgumentException($"Target has {Target.Count} steps but there are {Times.Count} times.");
        foreach (var d in Drivers)
            if (d.Values.Count != Times.Count) throw new ArgumentException($"Driver '{d.Name}' has {d.Values.Count} steps but there are {Times.Count} times.");
        if (Drivers.Select(d => d.Name).Distinct(StringComparer.Ordinal).Count() != Drivers.Count) throw new ArgumentException("Driver names must be unique.");
    }
}

/// <summary>The whole panel of a firm's screen: every return, volume change and side series, aligned by step.</summary>
public sealed record CausalNetworkPanel(IReadOnlyList<DateTimeOffset> Times, IReadOnlyList<DriverSeries> Variables)
{
    public void Validate()
    {
        foreach (var v in Variables)
            if (v.Values.Count != Times.Count) throw new ArgumentException($"Series '{v.Name}' has {v.Values.Count} steps but there are {Times.Count} times.");
        if (Variables.Select(v => v.Name).Distinct(StringComparer.Ordinal).Count() != Variables.Count) throw new ArgumentException("Variable names must be unique.");
    }
}

/// <param name="Squash">Direction = tanh(signal / Squash), signal = sum(c z) / sum(|c|) over the parents.</param>
public sealed record CausalAnalystOptions(TimeSpan Horizon, ScreenOptions Screen, double Squash = 1.5)
{
    public static CausalAnalystOptions Default { get; } = new(TimeSpan.FromDays(1), new ScreenOptions());
}

/// <summary>One parent's part in a view: its link and the standardised driver value that now forecasts the target.</summary>
public sealed record ParentSignal(CausalLink Link, double DriverValue, double DriverZ);

public sealed record CausalAssessment(ScreenResult Screen, IReadOnlyList<ParentSignal> Signals, double Direction, double Confidence);

/// <summary>
/// The causal-feature analyst: screens the drivers of an asset's return over the rolling window (by default
/// PCMCI with ParCorr, see <see cref="PcmciScreen"/>; the lagged-correlation screen is kept for comparison) and,
/// for each significant parent (driver, lag), reads the driver value that leads the next step's return,
/// driver[AsOf + 1 - lag], standardised by the window's mean and deviation. Direction follows
/// sign(correlation) x that z, weighted by |correlation|; confidence grows with the parents' strength.
/// The network density (share of significant lagged links) is reported as a regime indicator.
/// </summary>
public sealed class CausalFeatureAnalyst
{
    public const string AgentName = "causal";

    private readonly LaggedCorrelationScreen _screen;
    private readonly PcmciScreen _pcmci;

    public CausalFeatureAnalyst(CausalAnalystOptions? options = null)
    {
        Options = options ?? CausalAnalystOptions.Default;
        if (!(Options.Squash > 0) || !double.IsFinite(Options.Squash)) throw new BadInputException($"Causal squash must be positive, got {Options.Squash}.");
        if (Options.Horizon <= TimeSpan.Zero) throw new BadInputException($"Causal horizon must be positive, got {Options.Horizon}.");
        _screen = new LaggedCorrelationScreen(Options.Screen);
        _pcmci = new PcmciScreen(Options.Screen);
    }

    public CausalAnalystOptions Options { get; }

    public CausalAssessment Analyse(CausalPanel panel, int asOf)
    {
        panel.Validate();
        var screen = Options.Screen.Method == ScreenMethod.Pcmci
            ? _pcmci.Screen(panel.Target, panel.Drivers, asOf)
            : _screen.Screen(panel.Target, panel.Drivers, asOf);
        var byName = panel.Drivers.ToDictionary(d => d.Name, StringComparer.Ordinal);
        return Read(screen, name => name == PcmciScreen.Self ? panel.Target : byName[name].Values, asOf);
    }

    /// <summary>
    /// Views for several assets from one screen of the whole network (one PCMCI run for all of them): each
    /// target's parents are found among every other variable of the panel.
    /// </summary>
    /// <param name="targets">Per asset, the symbol and the name of its return variable in the panel.</param>
    public IReadOnlyDictionary<string, AgentView> AssessNetwork(CausalNetworkPanel panel, IReadOnlyList<(string Symbol, string Target)> targets, int asOf)
    {
        panel.Validate();
        var byName = panel.Variables.ToDictionary(d => d.Name, StringComparer.Ordinal);
        IReadOnlyDictionary<string, ScreenResult> screens = Options.Screen.Method == ScreenMethod.Pcmci
            ? _pcmci.ScreenNetwork(panel.Variables, targets.Select(t => t.Target).ToArray(), asOf)
            : targets.Distinct().ToDictionary(t => t.Target, t => _screen.Screen(byName[t.Target].Values, panel.Variables.Where(v => v.Name != t.Target).ToArray(), asOf));
        var views = new Dictionary<string, AgentView>(StringComparer.OrdinalIgnoreCase);
        foreach (var (symbol, target) in targets)
            views[symbol] = View(symbol, panel.Times[asOf], Read(screens[target], name => byName[name == PcmciScreen.Self ? target : name].Values, asOf));
        return views;
    }

    private CausalAssessment Read(ScreenResult screen, Func<string, IReadOnlyList<double>> valuesOf, int asOf)
    {
        var first = Math.Max(0, asOf - Options.Screen.Window + 1);
        var signals = new List<ParentSignal>();
        double weighted = 0, weights = 0, miss = 1;
        foreach (var link in screen.Parents)
        {
            var values = valuesOf(link.Driver);
            var x = values[asOf + 1 - link.Lag]; // lag >= 1, so this step is known
            var (mean, sd) = MeanStdDev(values, first, asOf);
            if (double.IsNaN(x) || !(sd > 0)) continue; // masked now: this parent says nothing this step
            var z = Math.Clamp((x - mean) / sd, -4, 4);
            signals.Add(new ParentSignal(link, x, z));
            weighted += link.Correlation * z;
            weights += Math.Abs(link.Correlation);
            miss *= 1 - Math.Abs(link.Correlation);
        }
        var direction = weights > 0 ? Math.Tanh(weighted / weights / Options.Squash) : 0;
        return new CausalAssessment(screen, signals, direction, signals.Count > 0 ? 1 - miss : 0);
    }

    public AgentView Assess(string symbol, CausalPanel panel, int asOf) => View(symbol, panel.Times[asOf], Analyse(panel, asOf));

    private AgentView View(string symbol, DateTimeOffset time, CausalAssessment a)
    {
        var density = new Evidence("network_density", a.Screen.Density, a.Screen.NetworkDensity is null
            ? $"{a.Screen.Parents.Count} of {a.Screen.Tests.Count} driver-lag links significant"
            : $"share of significant lagged links in the PCMCI network; {a.Screen.Parents.Count} of {a.Screen.Tests.Count} links into this return");
        if (a.Signals.Count == 0)
        {
            var why = a.Screen.Tests.Count == 0 ? "too little data to screen drivers" : "no driver leads the return significantly";
            return AgentView.Neutral(AgentName, symbol, time, Options.Horizon, $"Causal screen: {why}.") with { Evidence = [density] };
        }
        var evidence = new List<Evidence> { density };
        foreach (var s in a.Signals)
            evidence.Add(new Evidence($"{s.Link.Driver}[t-{s.Link.Lag}]", s.DriverZ,
                string.Create(CultureInfo.InvariantCulture, $"corr {s.Link.Correlation:+0.000;-0.000}, p {s.Link.PValue:0.0e+0}, n {s.Link.Samples}; z of the value leading the next step")));
        var top = a.Signals[0];
        var rationale = string.Create(CultureInfo.InvariantCulture,
            $"{a.Signals.Count} causal parent(s) of {symbol}'s return; strongest {top.Link.Driver} at lag {top.Link.Lag} (corr {top.Link.Correlation:+0.00;-0.00}) now at z {top.DriverZ:+0.00;-0.00}; network density {a.Screen.Density:P0}.");
        return new AgentView(AgentName, symbol, time, a.Direction, a.Confidence, Options.Horizon, evidence, rationale).Sanitised();
    }

    /// <summary>Share of significant links in the whole lagged network of the target and its drivers: a regime indicator.</summary>
    public double NetworkDensity(CausalPanel panel, string targetName, int asOf)
    {
        panel.Validate();
        if (Options.Screen.Method == ScreenMethod.Pcmci) return _pcmci.Screen(panel.Target, panel.Drivers, asOf).Density;
        var variables = new List<DriverSeries>(panel.Drivers.Count + 1) { new(targetName, panel.Target) };
        variables.AddRange(panel.Drivers);
        return _screen.Network(variables, asOf).Density;
    }

    private static (double Mean, double StdDev) MeanStdDev(IReadOnlyList<double> values, int from, int to)
    {
        double sum = 0, sumSq = 0;
        var n = 0;
        for (var t = from; t <= to; t++)
        {
            var v = values[t];
            if (double.IsNaN(v)) continue;
            sum += v;
            n++;
        }
        if (n < 2) return (double.NaN, double.NaN);
        var mean = sum / n;
        for (var t = from; t <= to; t++)
            if (!double.IsNaN(values[t])) sumSq += (values[t] - mean) * (values[t] - mean);
        return (mean, Math.Sqrt(sumSq / (n - 1)));
    }
}
