using System.Globalization;
using System.Text;
using AgentFirm.Agents.Contracts;

namespace AgentFirm.Host.Firm;

/// <summary>The meta-controller's reliability table and agent trust as calibration.csv, and a one-line summary for the console.</summary>
public static class CalibrationCsv
{
    public static string Write(CalibrationReport report)
    {
        var i = CultureInfo.InvariantCulture;
        var csv = new StringBuilder("from,to,calls,mean_confidence,hit_rate\n");
        foreach (var b in report.Bins)
            csv.Append(b.From.ToString("0.0", i)).Append(',').Append(b.To.ToString("0.0", i)).Append(',').Append(b.Calls.ToString(i)).Append(',')
                .Append(double.IsNaN(b.MeanConfidence) ? "" : b.MeanConfidence.ToString("0.####", i)).Append(',')
                .Append(double.IsNaN(b.HitRate) ? "" : b.HitRate.ToString("0.####", i)).Append('\n');
        return csv.ToString();
    }

    public static string Summary(CalibrationReport report)
    {
        var i = CultureInfo.InvariantCulture;
        var trust = string.Join(", ", report.AgentTrust.Select(t => report.AgentFits.TryGetValue(t.Key, out var f)
            ? string.Create(i, $"{t.Key} {t.Value:0.00} (own calibration: sign {f.Sign:0.00} ± {f.SignError:0.00}, linear {f.Linear:0.00} ± {f.LinearError:0.00} on {f.Calls} calls)")
            : string.Create(i, $"{t.Key} {t.Value:0.00}")));
        var worst = report.Bins.Where(b => b.Calls >= 50).Select(b => Math.Abs(b.MeanConfidence - b.HitRate)).DefaultIfEmpty(double.NaN).Max();
        return string.Create(i, $"calibration: {report.ResolvedCalls} resolved calls, Brier {report.Brier:0.0000}, largest gap in a bin of >= 50 calls {worst:0.000}; agent trust (log-odds a full bullish view adds to the pool) {trust}; logistic recalibration slope {report.CalibrationSlope:0.00} (stands in until the isotonic curve has its first level of calls)");
    }
}
