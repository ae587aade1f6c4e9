using AgentFirm.Quant.Features;

namespace AgentFirm.Quant.Tests.Features;

/// <summary>Lopez de Prado, Advances in Financial Machine Learning (2018), chapter 5 (FFD, snippets 5.1-5.3).</summary>
public class FractionalDifferencingTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.4)]
    [InlineData(0.75)]
    [InlineData(1.6)]
    public void Weights_are_the_binomial_coefficients_of_one_minus_B_to_the_d(double d)
    {
        var w = FractionalDifferencing.Weights(d, 1e-5);
        // Independent closed form: w_k = (-1)^k d (d-1) ... (d-k+1) / k!  (AFML 5.4), which the recursion
        // w_k = -w_{k-1} (d - k + 1) / k reproduces.
        for (var k = 0; k < w.Length; k++)
        {
            // Summed in logs so k! cannot overflow for the long windows of small d.
            double logMagnitude = 0, sign = k % 2 == 0 ? 1 : -1;
            for (var i = 0; i < k; i++)
            {
                logMagnitude += Math.Log(Math.Abs(d - i)) - Math.Log(i + 1);
                if (d - i < 0) sign = -sign;
            }
            var closedForm = sign * Math.Exp(logMagnitude);
            Assert.True(Math.Abs(closedForm - w[k]) <= 1e-10 * Math.Abs(closedForm), $"w_{k}: closed form {closedForm:R}, recursion {w[k]:R}");
            if (k > 0) Assert.Equal(-w[k - 1] * (d - k + 1) / k, w[k], 15);
            Assert.True(Math.Abs(w[k]) >= 1e-5);
        }
        // Truncated right before the first weight below the threshold.
        var next = -w[^1] * (d - w.Length + 1) / w.Length;
        Assert.True(Math.Abs(next) < 1e-5);
    }

    [Fact]
    public void Half_order_weights_match_the_worked_series()
    {
        // (1 - B)^0.5 = 1 - 0.5 B - 0.125 B^2 - 0.0625 B^3 - 0.0390625 B^4 - 0.02734375 B^5 - ...
        var w = FractionalDifferencing.Weights(0.5, 0.025); // the next, -0.0205078125, falls below
        Assert.Equal([1, -0.5, -0.125, -0.0625, -0.0390625, -0.02734375], w);
    }

    [Fact]
    public void Order_one_is_the_first_difference_and_order_zero_the_series()
    {
        Assert.Equal([1.0, -1.0], FractionalDifferencing.Weights(1));
        Assert.Equal([1.0], FractionalDifferencing.Weights(0));
        var rng = new Random(9);
        var x = Enumerable.Range(0, 50).Select(_ => 100 + rng.NextDouble()).ToArray();
        var diff = FractionalDifferencing.Apply(x, 1);
        Assert.True(double.IsNaN(diff[0]));
        for (var t = 1; t < x.Length; t++) Assert.Equal(x[t] - x[t - 1], diff[t]);
        Assert.Equal(x, FractionalDifferencing.Apply(x, 0));
    }

    [Fact]
    public void Applies_the_fixed_window_with_warm_up()
    {
        double[] x = [1, 2, 4, 8, 16];
        var w = FractionalDifferencing.Weights(0.5, 0.1); // 1, -0.5, -0.125
        Assert.Equal(3, w.Length);
        var y = FractionalDifferencing.Apply(x, 0.5, 0.1);
        Assert.True(double.IsNaN(y[1]));
        Assert.Equal(4 - 0.5 * 2 - 0.125 * 1, y[2], 15);
        Assert.Equal(16 - 0.5 * 8 - 0.125 * 4, y[4], 15);
    }
}
