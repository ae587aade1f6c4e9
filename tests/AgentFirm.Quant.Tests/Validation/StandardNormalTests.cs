using AgentFirm.Quant.Validation;

namespace AgentFirm.Quant.Tests.Validation;

public class StandardNormalTests
{
    // Reference values: Abramowitz & Stegun table 26.1 / any statistical table, to the digits quoted.
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.84134474606854293)]
    [InlineData(-1.0, 0.15865525393145707)]
    [InlineData(1.959963984540054, 0.975)]
    [InlineData(2.5, 0.99379033467422384)]
    [InlineData(-3.0, 0.0013498980316300946)]
    [InlineData(-5.0, 2.8665157187919391e-07)]
    [InlineData(-8.0, 6.2209605742717841e-16)]
    public void Cdf_matches_tabulated_values(double x, double expected)
    {
        Assert.Equal(expected, StandardNormal.Cdf(x), Math.Max(1e-15, expected * 1e-12));
    }

    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(0.95, 1.6448536269514722)]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.99, 2.3263478740408408)]
    [InlineData(0.001, -3.0902323061678132)]
    [InlineData(1e-10, -6.3613409024040557)]
    public void InverseCdf_matches_tabulated_quantiles(double p, double expected)
    {
        Assert.Equal(expected, StandardNormal.InverseCdf(p), 1e-12);
    }

    [Fact]
    public void InverseCdf_inverts_Cdf_across_the_range()
    {
        for (var x = -7.5; x <= 7.5; x += 0.37)
        {
            var p = StandardNormal.Cdf(x);
            // Far in the upper tail p itself is only known to 1e-16 absolutely, which limits x to 1e-16/pdf(x).
            Assert.Equal(x, StandardNormal.InverseCdf(p), Math.Max(1e-10, 4e-16 / StandardNormal.Pdf(x)));
        }
    }

    [Fact]
    public void Cdf_is_symmetric()
    {
        for (var x = 0.0; x < 6; x += 0.25)
            Assert.Equal(1.0, StandardNormal.Cdf(x) + StandardNormal.Cdf(-x), 1e-15);
    }
}
