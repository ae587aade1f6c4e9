using AgentFirm.Host.Firm;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests;

/// <summary>The dashboard's backtest run page reads a run back from its report folder.</summary>
public sealed class BacktestRunFolderTests
{
    [Fact]
    public void A_run_opens_with_its_equity_curve_trades_and_configuration_from_its_folder()
    {
        using var folder = new TempFolder();
        var run = Directory.CreateDirectory(Path.Combine(folder.Path, "sma", "run-7")).FullName;
        File.WriteAllText(Path.Combine(run, "report.json"), """
            {"strategy":"sma","initial_equity":100000,"final_equity":101000,"total_return":0.01,"symbols":["BTC-USDT"],"timeframe":"1d",
             "start":"2024-01-01T00:00:00+00:00","end":"2024-01-03T00:00:00+00:00","config":{"fast":20,"slow":50}}
            """);
        File.WriteAllText(Path.Combine(run, "equity.csv"), """
            timestamp,equity,cash,gross_exposure,net_exposure,drawdown,benchmark_equity
            2024-01-01T00:00:00Z,100000,100000,0,0,0,100000
            2024-01-02T00:00:00Z,99000,49500,49500,49500,0.01,99500
            not-a-time,1,1,1,1,1,1
            """);
        File.WriteAllText(Path.Combine(run, "trades.csv"), "symbol,net_pnl\nBTC-USDT,-1000\nBTC-USDT,2000\n");

        var runs = FirmMonitor.ScanBacktests(folder.Path);
        var detail = FirmMonitor.OpenBacktest(folder.Path, runs, "run-7");

        Assert.NotNull(detail);
        Assert.Equal(2, detail.Trades);
        Assert.Equal([100_000.0, 99_000.0], detail.Equity.Select(p => p.Equity));
        // equity.csv holds exposure in money; the page plots it as a fraction of equity
        Assert.Equal((0.01, 0.5, 0.5), (detail.Equity[1].Drawdown, detail.Equity[1].Gross, detail.Equity[1].Net));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero), detail.Equity[1].Time);
        Assert.Contains("\"slow\": 50", detail.Configuration);
        Assert.Null(FirmMonitor.OpenBacktest(folder.Path, runs, "run-8"));
    }
}
