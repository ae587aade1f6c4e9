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
    [InlineData("timestamp,hash_rate,hash_rate_ths\n", 1, "hash_rate_ths", "both")]
    [InlineData("timestamp,exchange_inflow\n", 1, "exchange_outflow", "needs both")]
    [InlineData("timestamp,exchange_netflow,exchange_inflow,exchange_outflow\n", 1, "exchange_netflow", "not both")]
    [InlineData("timestamp,taker_buy_fraction\n2024-01-01T00:00:00Z,1.2\n", 2, "taker_buy_fraction", "[0, 1]")]
    [InlineData("timestamp,fear_greed_value\n2024-01-01T00:00:00Z,30\n2024-01-02T00:00:00Z,101\n", 3, "fear_greed_value", "[0, 100]")]
    [InlineData("timestamp,sopr\n2024-01-01T00:00:00Z,0\n", 2, "sopr", "positive")]
    [InlineData("timestamp,market_cap_usd\n2024-01-01T00:00:00Z,nan\n", 2, "market_cap_usd", "not a finite number")]
    [InlineData("timestamp,unique_addresses\n2024-01-01T00:00:00Z,-3\n", 2, "unique_addresses", ">= 0")]
    [InlineData("timestamp,funding_rate_daily_mean\n2024-01-01T00:00:00Z,0.1\n2024-01-01T00:00:00Z,0.1\n", 3, "timestamp", "duplicate")]
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

    [Fact]
    public void Reads_the_public_export_layouts_by_their_column_names()
    {
        // the headers of ../shared/data/onchain, one row each (values shortened)
        var mvrv = Parse("timestamp,mvrv,market_cap_usd,realized_cap_usd_derived,price_usd,supply_btc\n2013-01-01T00:00:00Z,1.775,141553700.4,79733603.3,13.33,10618089.9\n")[0];
        Assert.Equal((1.775, 141553700.4, 79733603.3), (mvrv.Mvrv!.Value, mvrv.MarketCap!.Value, mvrv.RealisedCap!.Value));

        var network = Parse("timestamp,unique_addresses,n_transactions,hash_rate_ths,difficulty,miners_revenue_usd,est_tx_volume_usd\n2010-01-01T00:00:00Z,133,133,0.0000069974683206591,1.18,0,\n")[0];
        Assert.Equal((133.0, 0.0000069974683206591), (network.ActiveAddresses!.Value, network.HashRate!.Value));

        var glassnode = Parse("timestamp,sopr,active_addresses,new_addresses,tx_rate_per_sec,hash_rate_hs,difficulty,fees_total_btc,fees_mean_btc,market_cap_usd,usdt_market_cap_usd,tx_size_mean_bytes,transfer_volume_mean_btc,utxo_value_created_mean_btc,utxo_value_spent_mean_btc\n"
            + "2018-02-23T01:00:00Z,0.9919,69254,14058,2.75,25571126657428800000,1.2e22,1.72,0.00017,165086093602.5,0,919.6,6.55,1.39,1.70\n"
            + "2018-02-23T02:00:00Z,,26510,9378,1.82,25227764361003400000,1.2e22,1.42,0.00021,166319789187.9,2200000000,517.8,6.47,2.21,2.81\n");
        Assert.Equal(TimeSpan.FromHours(1), glassnode[0].KnownAt - glassnode[0].Time); // hourly export: period inferred
        Assert.Equal((0.9919, 69254.0, 0.0), (glassnode[0].Sopr!.Value, glassnode[0].ActiveAddresses!.Value, glassnode[0].StablecoinSupply!.Value));
        Assert.Null(glassnode[1].Sopr);
        Assert.Equal(2200000000.0, glassnode[1].StablecoinSupply);

        var funding = Parse("timestamp,funding_rate_daily_sum,funding_rate_daily_mean,funding_rate_daily_mean_abs\n2019-09-10T00:00:00Z,,0.0001,0.0001\n")[0];
        Assert.Equal(0.0001, funding.FundingRate);
        var taker = Parse("timestamp,taker_buy_fraction,quote_volume_usdt,taker_buy_quote_volume_usdt\n2017-08-17T00:00:00Z,0.7752,3454770.05,2678216.4\n")[0];
        Assert.Equal(0.7752, taker.TakerBuyFraction);
        var fear = Parse("timestamp,fear_greed_value\n2018-02-01T00:00:00Z,30\n2018-02-02T00:00:00Z,15\n");
        Assert.Equal((30.0, TimeSpan.FromDays(1)), (fear[0].FearGreed!.Value, fear[0].KnownAt - fear[0].Time));
        var flows = Parse("timestamp,exchange_inflow,exchange_outflow\n2024-01-01T00:00:00Z,120,100\n2024-01-02T00:00:00Z,120,\n");
        Assert.Equal(20.0, flows[0].ExchangeNetflow);
        Assert.Null(flows[1].ExchangeNetflow); // half a flow is no netflow
    }

    [Fact]
    public void Merge_joins_on_time_earlier_sources_win_and_rows_wait_for_their_latest_source()
    {
        var a = Parse("timestamp,mvrv,unique_addresses\n2024-01-01T00:00:00Z,2,\n2024-01-02T00:00:00Z,2.1,50\n");
        var b = Parse("timestamp,unique_addresses,hash_rate\n2024-01-01T00:00:00Z,40,7\n2024-01-02T00:00:00Z,99,8\n2024-01-03T00:00:00Z,41,9\n");
        var merged = OnChainCsvLoader.Merge(a, b);
        Assert.Equal(3, merged.Count);
        Assert.Equal((2.0, 40.0, 7.0), (merged[0].Mvrv!.Value, merged[0].ActiveAddresses!.Value, merged[0].HashRate!.Value)); // gap filled from b, not invented
        Assert.Equal(50.0, merged[1].ActiveAddresses); // a has it: a wins
        Assert.Null(merged[2].Mvrv);

        var late = new[] { merged[0] with { KnownAt = merged[0].KnownAt.AddDays(5) } };
        var delayed = OnChainCsvLoader.Merge(late, b);
        Assert.Equal(late[0].KnownAt, delayed[1].KnownAt); // never known before a row before it
    }

    [SkippableFact]
    public void Loads_every_shared_onchain_file()
    {
        var root = Path.GetDirectoryName(SharedData.RequireFile("onchain/btc_mvrv_marketcap.csv"))!;
        foreach (var file in Directory.GetFiles(root, "*.csv"))
        {
            var rows = OnChainCsvLoader.Load(file);
            Assert.True(rows.Count > 1000, file);
        }
        var hourly = OnChainCsvLoader.Load(Path.Combine(root, "btc_glassnode_1h_2018_2020.csv"));
        Assert.Equal(TimeSpan.FromHours(1), hourly[0].KnownAt - hourly[0].Time);
        Assert.True(hourly.Count(r => r.Sopr is not null) > 20000);
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
