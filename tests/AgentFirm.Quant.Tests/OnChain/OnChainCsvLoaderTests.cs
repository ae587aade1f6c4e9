using AgentFirm.Core;
using AgentFirm.Market.Simulation;
using AgentFirm.Quant.OnChain;
using AgentFirm.TestSupport;

namespace AgentFirm.Quant.Tests.OnChain;

public sealed class OnChainCsvLoaderTests
{
    private const string Header = "timestamp,mvrv,exchange_netflow,active_addresses";

    private static IReadOnlyList<OnChainObservation> Parse(string csv) => OnChainCsvLoader.Parse(new StringReader(csv), "chain.csv");

    private static BadInputException Bad(string csv) => Assert.Throws<BadInputException>(() => Parse(csv));

    [Fact]
    public void Reads_the_simulator_files_exactly_with_empty_cells_masked()
    {
        var sim = new MarketSimulator(new SimulatorOptions { Seed = 5, Days = 400, Timeframe = Timeframe.Day }).Run();
        var asset = sim["BTC-USDT"];
        var csv = new StringWriter();
        SimulationWriter.WriteOnChain(csv, asset.OnChain);
        var rows = Parse(csv.ToString());

        Assert.Equal(asset.OnChain.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var expected = asset.OnChain[i];
            Assert.Equal(new OnChainObservation(expected.Time, expected.KnownAt, expected.Mvrv, expected.ExchangeNetflow, expected.ActiveAddresses), rows[i]);
        }
        Assert.Contains(rows, r => r.Mvrv is null || r.ExchangeNetflow is null || r.ActiveAddresses is null); // about 0.5% of cells are empty
    }

    [Fact]
    public void Values_are_known_one_period_after_the_row_starts()
    {
        var rows = OnChainCsvLoader.Parse(new StringReader(Header + "\n2024-01-01T00:00:00Z,1.5,-20,1000\n2024-01-01T04:00:00Z,,,\n"), "chain.csv", TimeSpan.FromHours(4));
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 4, 0, 0, TimeSpan.Zero), rows[0].KnownAt);
        Assert.Equal(new OnChainObservation(rows[1].Time, rows[1].Time.AddHours(4), null, null, null), rows[1]);
    }

    [Fact]
    public void Columns_are_found_by_name_and_others_ignored()
    {
        var rows = Parse("timestamp,market_cap_usd,mvrv\n2024-01-01T00:00:00Z,123,2.5\n");
        Assert.Equal(2.5, rows[0].Mvrv);
        Assert.Null(rows[0].ExchangeNetflow);
    }

    [Theory]
    [InlineData(Header + "\n2024-01-01T00:00:00Z,1.5,x,1000\n", 2, "exchange_netflow", "not a finite number")]
    [InlineData(Header + "\n2024-01-01T00:00:00Z,1.5,3,1000\n2024-01-02T00:00:00Z,NaN,3,1000\n", 3, "mvrv", "not a finite number")]
    [InlineData(Header + "\n2024-01-01T00:00:00Z,-1.5,3,1000\n", 2, "mvrv", "positive")]
    [InlineData(Header + "\n2024-01-01T00:00:00Z,1.5,3,-1\n", 2, "active_addresses", ">= 0")]
    [InlineData(Header + "\n2024-01-01,1.5,3,1000\n", 2, "timestamp", "ISO-8601")]
    [InlineData(Header + "\n2024-01-02T00:00:00Z,1.5,3,1000\n2024-01-01T00:00:00Z,1.5,3,1000\n", 3, "timestamp", "ascending")]
    [InlineData(Header + "\n2024-01-01T00:00:00Z,1.5,3,1000\n2024-01-01T00:00:00Z,1.5,3,1000\n", 3, "timestamp", "duplicate")]
    [InlineData(Header + "\n2024-01-01T00:00:00Z,1.5,3\n", 2, "active_addresses", "expected 4 fields")]
    [InlineData(Header + "\n2024-01-01T00:00:00Z,1.5,3,4,5\n", 2, "row", "expected 4 fields")]
    [InlineData(Header + "\n\n2024-01-01T00:00:00Z,1.5,3,4\n", 2, "timestamp", "empty row")]
    [InlineData("", 1, "header", "empty")]
    [InlineData("time,mvrv\n", 1, "timestamp", "no 'timestamp' column")]
    [InlineData("timestamp,price\n", 1, "header", "none of the columns")]
    [InlineData("timestamp,mvrv,mvrv\n", 1, "mvrv", "twice")]
    public void Bad_input_names_file_row_and_field(string csv, long row, string field, string problem)
    {
        var e = Bad(csv);
        Assert.Equal("chain.csv", e.File);
        Assert.Equal(row, e.Row);
        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Problem);
        Assert.StartsWith("chain.csv: row ", e.Message);
    }

    [Fact]
    public void A_missing_file_is_bad_input()
    {
        var e = Assert.Throws<BadInputException>(() => OnChainCsvLoader.Load("/nonexistent/chain.csv"));
        Assert.Contains("/nonexistent/chain.csv", e.Message);
    }

    [SkippableFact]
    public void Loads_the_shared_mvrv_series()
    {
        var path = SharedData.RequireFile("onchain/btc_mvrv_marketcap.csv");
        var rows = OnChainCsvLoader.Load(path);
        Assert.True(rows.Count > 4000);
        Assert.All(rows, r => Assert.True(r.Mvrv is null or > 0));
        Assert.Equal(rows[0].Time.AddDays(1), rows[0].KnownAt);
    }
}
