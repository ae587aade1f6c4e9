using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using static System.FormattableString;

namespace AgentFirm.Market.Simulation;

/// <summary>
/// Writes a simulation in the shared data layout:
/// <c>ohlcv/&lt;timeframe&gt;/&lt;SYMBOL&gt;.csv</c>, <c>text/headlines.csv</c>, <c>onchain/&lt;SYMBOL&gt;.csv</c> and
/// <c>truth.json</c> (what was planted). All or nothing: everything is written into a temporary folder
/// beside the target and moved into place at the end.
/// </summary>
public static class SimulationWriter
{
    public const string HeadlinesHeader = "timestamp,text,label,source";
    public const string OnChainHeader = "timestamp,mvrv,exchange_netflow,active_addresses";

    /// <summary>True when <paramref name="directory"/> exists and holds anything: writing there needs force.</summary>
    public static bool IsOccupied(string directory) =>
        Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any();

    public static void Write(SimulationResult result, string directory, bool force = false)
    {
        var target = Path.GetFullPath(directory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        if (File.Exists(target)) throw new BadInputException($"{target} is a file; the simulator writes a folder.");
        if (!force && IsOccupied(target)) throw new BadInputException($"{target} exists and is not empty; pass --force to replace it.");
        var parent = Path.GetDirectoryName(target) ?? throw new BadInputException($"{target} has no parent folder.");
        Directory.CreateDirectory(parent);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{suffix}");
        try
        {
            WriteContents(result, staging);
            if (Directory.Exists(target))
            {
                // Swap: park the old folder, move the new one in, then drop the old one.
                var old = Path.Combine(parent, $".{Path.GetFileName(target)}.old-{suffix}");
                Directory.Move(target, old);
                try
                {
                    Directory.Move(staging, target);
                }
                catch
                {
                    Directory.Move(old, target);
                    throw;
                }
                Directory.Delete(old, recursive: true);
            }
            else Directory.Move(staging, target);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Writes the files into <paramref name="root"/> directly (created if needed).</summary>
    public static void WriteContents(SimulationResult result, string root)
    {
        var timeframe = result.Options.Timeframe.ToString();
        foreach (var asset in result.Assets)
        {
            OhlcvCsvWriter.Write(Path.Combine(root, "ohlcv", timeframe, asset.Symbol + ".csv"), asset.Bars);
            WriteText(Path.Combine(root, "onchain", asset.Symbol + ".csv"), w => WriteOnChain(w, asset.OnChain));
        }
        WriteText(Path.Combine(root, "text", "headlines.csv"), w => WriteHeadlines(w, result.Headlines));
        WriteText(Path.Combine(root, "truth.json"), w => w.Write(TruthJson(result)));
    }

    public static void WriteHeadlines(TextWriter writer, IEnumerable<Headline> headlines)
    {
        writer.WriteLine(HeadlinesHeader);
        foreach (var h in headlines)
            writer.WriteLine($"{CsvFormat.Timestamp(h.Time)},{CsvFormat.Field(h.Text)},{CsvFormat.Field(h.Label ?? "")},{CsvFormat.Field(h.Source)}");
    }

    public static void WriteOnChain(TextWriter writer, IEnumerable<OnChainRecord> rows)
    {
        writer.WriteLine(OnChainHeader);
        foreach (var row in rows)
            writer.WriteLine($"{CsvFormat.Timestamp(row.Time)},{CsvFormat.Number(row.Mvrv)},{CsvFormat.Number(row.ExchangeNetflow)},{CsvFormat.Number(row.ActiveAddresses)}");
    }

    /// <summary>
    /// The ground truth: options, correlation, regime chain (with its stationary distribution and the
    /// realised path), GARCH and jump settings, and the planted relationships with coefficients and lags.
    /// </summary>
    public static string TruthJson(SimulationResult result)
    {
        var o = result.Options;
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("generator", "AgentFirm.Market.Simulation.MarketSimulator");
            json.WriteNumber("seed", o.Seed);
            json.WriteString("start", CsvFormat.Timestamp(o.Start));
            json.WriteNumber("days", o.Days);
            json.WriteString("timeframe", o.Timeframe.ToString());
            json.WriteString("conventions",
                "Log returns. OHLCV timestamps are bar open times. On-chain rows are UTC days stamped at the day's start, " +
                "describing the whole day and known only at its end (use them from the next day on). Headline timestamps are " +
                "publish times. 'sigma_day' is an asset's annual_volatility / sqrt(365). A planted feature observed on day d " +
                "adds its drift to every bar of day d + lag, spread evenly. Latent series are correlated across assets with the " +
                "same matrix as returns. The configured volatility is the target total volatility: planted drifts and jumps take " +
                "their share of variance and the diffusion the rest.");

            json.WriteStartArray("assets");
            foreach (var a in o.Assets)
            {
                json.WriteStartObject();
                json.WriteString("symbol", a.Symbol);
                json.WriteNumber("start_price", a.StartPrice);
                json.WriteNumber("annual_volatility", a.AnnualVolatility);
                json.WriteNumber("btc_loading", a.BtcLoading);
                json.WriteNumber("daily_volume", a.DailyVolume);
                json.WriteNumber("jumps_per_year", a.JumpsPerYear);
                json.WriteNumber("jump_mean", a.JumpMean);
                json.WriteNumber("jump_std_dev", a.JumpStdDev);
                json.WriteNumber("active_addresses_start", a.ActiveAddresses);
                json.WriteNumber("netflow_scale", a.NetflowScale);
                json.WriteEndObject();
            }
            json.WriteEndArray();

            json.WriteStartObject("correlation");
            json.WriteString("model", "one factor with BTC as the hub: corr(i,j) = btc_loading_i * btc_loading_j; Cholesky of this matrix correlates the shocks");
            json.WriteStartArray("symbols");
            foreach (var a in o.Assets) json.WriteStringValue(a.Symbol);
            json.WriteEndArray();
            json.WriteStartArray("matrix");
            for (var i = 0; i < o.Assets.Count; i++)
            {
                json.WriteStartArray();
                for (var j = 0; j < o.Assets.Count; j++) json.WriteNumberValue(result.Correlation[i, j]);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteEndObject();

            var stationary = o.Regimes.StationaryDistribution();
            var shares = result.RegimeShares();
            json.WriteStartObject("regimes");
            json.WriteString("model", "Markov chain stepped once per UTC day; drift = annual_sharpe * annual_volatility; volatility multiplied by volatility_scale / sqrt(sum_k pi_k scale_k^2)");
            foreach (var r in o.Regimes.Regimes)
            {
                json.WriteStartObject(Name(r.Regime));
                json.WriteNumber("annual_sharpe", r.AnnualSharpe);
                json.WriteNumber("volatility_scale", r.VolatilityScale);
                json.WriteStartArray("daily_transitions");
                foreach (var p in r.DailyTransitions) json.WriteNumberValue(p);
                json.WriteEndArray();
                json.WriteNumber("stationary_share", stationary[(int)r.Regime]);
                json.WriteNumber("expected_duration_days", o.Regimes.ExpectedDurationDays(r.Regime));
                json.WriteNumber("realised_share", shares[(int)r.Regime]);
                json.WriteEndObject();
            }
            json.WriteNumber("long_run_annual_sharpe", o.Regimes.Regimes.Sum(r => stationary[(int)r.Regime] * r.AnnualSharpe));
            json.WriteStartArray("path");
            foreach (var span in result.RegimeSpans())
            {
                json.WriteStartObject();
                json.WriteString("start", CsvFormat.Timestamp(span.Start));
                json.WriteString("end", CsvFormat.Timestamp(span.End));
                json.WriteString("regime", Name(span.Regime));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();

            var (alpha, beta) = o.Garch.PerBar(1.0 / o.BarsPerDay);
            json.WriteStartObject("garch");
            json.WriteString("model", "GARCH(1,1) (Bollerslev 1986) on each standardised shock: h' = (1 - a - b) + a z^2 h + b h, E[h] = 1");
            json.WriteNumber("alpha_daily", o.Garch.AlphaDaily);
            json.WriteNumber("beta_daily", o.Garch.BetaDaily);
            json.WriteNumber("alpha_per_bar", alpha);
            json.WriteNumber("beta_per_bar", beta);
            json.WriteEndObject();

            json.WriteStartObject("jumps");
            json.WriteString("model", "Poisson count per bar at jumps_per_year (times crash_multiplier in the crash regime); each jump adds N(jump_mean, jump_std_dev) to the log return");
            json.WriteNumber("crash_multiplier", o.CrashJumpMultiplier);
            json.WriteEndObject();

            json.WriteStartObject("headlines");
            json.WriteString("model", "per asset and day Poisson(per_asset_per_day) headlines, label ~ softmax(k*s, neutral_bias, -k*s) for (positive, neutral, negative), text from label templates; noise headlines name no asset and get a uniform random label");
            json.WriteNumber("per_asset_per_day", o.HeadlinesPerDay);
            json.WriteNumber("noise_per_day", o.NoiseHeadlinesPerDay);
            json.WriteNumber("k", o.HeadlineInformativeness);
            json.WriteNumber("neutral_bias", o.HeadlineNeutralBias);
            json.WriteNumber("sentiment_persistence", o.SentimentPersistence);
            if (o.NewsVolumeSensitivity > 0) json.WriteNumber("news_volume_sensitivity", o.NewsVolumeSensitivity); // volume x exp(k s[d] - k^2/2)
            json.WriteNumber("count", result.Headlines.Count);
            json.WriteEndObject();

            json.WriteStartObject("onchain");
            json.WriteString("frequency", "daily (one row per UTC day, whatever the bar timeframe)");
            json.WriteString("mvrv", "close / realised price, realised price = EMA of daily closes (a stand-in for the on-chain cost basis)");
            json.WriteString("exchange_netflow", "coins moved onto exchanges minus off, per day, in base units");
            json.WriteString("active_addresses", Invariant($"ln A[d] = ln A[d-1] + trend + growth_sd * u[d] - {MarketSimulator.ActiveAddressMeanReversion} * (ln A[d-1] - ln trend[d-1])"));
            json.WriteNumber("realised_price_half_life_days", o.OnChain.RealisedPriceHalfLifeDays);
            json.WriteNumber("netflow_persistence", o.OnChain.NetflowPersistence);
            json.WriteNumber("active_address_growth_sd", o.OnChain.ActiveAddressGrowthStdDev);
            json.WriteNumber("active_address_trend_per_year", o.OnChain.ActiveAddressTrendPerYear);
            json.WriteNumber("missing_rate", o.OnChain.MissingRate);
            json.WriteEndObject();

            json.WriteStartArray("planted");
            foreach (var p in result.Planted)
            {
                json.WriteStartObject();
                json.WriteString("name", p.Name);
                json.WriteString("feature", p.Feature);
                json.WriteNumber("coefficient", p.Coefficient);
                json.WriteNumber("lag_days", p.LagDays);
                json.WriteNumber("expected_sign", p.Sign);
                json.WriteString("formula", p.Formula);
                json.WriteEndObject();
            }
            json.WriteEndArray();

            json.WriteStartArray("summary");
            foreach (var a in result.Assets)
            {
                json.WriteStartObject();
                json.WriteString("symbol", a.Symbol);
                json.WriteNumber("bars", a.Bars.Count);
                json.WriteNumber("final_close", a.Bars[^1].Close);
                json.WriteNumber("realised_annual_volatility_daily", result.DailyRealisedVolatility(a));
                json.WriteNumber("realised_annual_volatility_bars", SimulationResult.RealisedVolatility(a.Bars, o.Timeframe));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()).Replace("\r\n", "\n") + "\n";
    }

    public static string Name(MarketRegime regime) => regime.ToString().ToLowerInvariant();

    private static void WriteText(string path, Action<TextWriter> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        write(writer);
    }

}
