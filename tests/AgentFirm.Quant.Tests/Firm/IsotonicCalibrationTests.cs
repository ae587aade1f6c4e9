using AgentFirm.Quant.Firm;

namespace AgentFirm.Quant.Tests.Firm;

public sealed class IsotonicCalibrationTests
{
    [Fact]
    public void Pool_adjacent_violators_matches_a_hand_worked_example()
    {
        // Strengths 1..6 with outcomes right, wrong, right, right, wrong, right. Worked by hand (Barlow et al.
        // 1972, PAV): [1] 1 | [2] 0 violates -> [1,2] 0.5 | [3] 1 | [4] 1 violates -> [3,4] 1 | [5] 0 violates
        // -> [3,4,5] 2/3 | [6] 1. Blocks: (1.5, 2 calls, 0.5), (4, 3 calls, 0.667), (6, 1 call, 1).
        var fit = new IsotonicCalibration(window: 10, minimumBlock: 1);
        bool[] right = [true, false, true, true, false, true];
        for (var i = 0; i < right.Length; i++) fit.Add(i + 1, right[i]);

        var blocks = fit.Blocks().ToArray();
        Assert.Equal(3, blocks.Length);
        Assert.Equal((1.5, 2, 0.5), (blocks[0].Strength, blocks[0].Calls, blocks[0].HitRate));
        Assert.Equal(4, blocks[1].Strength, 12);
        Assert.Equal(3, blocks[1].Calls);
        Assert.Equal(2.0 / 3, blocks[1].HitRate, 12);
        Assert.Equal((6.0, 1, 1.0), (blocks[2].Strength, blocks[2].Calls, blocks[2].HitRate));
        // Between centres the curve is linear; beyond them it is flat.
        Assert.Equal(0.5 + (2.75 - 1.5) / (4 - 1.5) * (2.0 / 3 - 0.5), fit.ProbabilityRight(2.75), 12);
        Assert.Equal(0.5, fit.ProbabilityRight(0.1));
        Assert.Equal(1.0, fit.ProbabilityRight(9));
    }

    [Fact]
    public void Every_block_holds_the_minimum_and_the_curve_never_falls()
    {
        var random = new Random(4);
        var fit = new IsotonicCalibration(window: 600, minimumBlock: 50, refitEvery: 600);
        for (var i = 0; i < 600; i++)
        {
            var strength = 3 * random.NextDouble();
            fit.Add(strength, random.NextDouble() < 0.5 + 0.1 * strength);
        }

        var blocks = fit.Blocks().ToArray();
        Assert.True(blocks.Length >= 2, $"{blocks.Length} blocks");
        Assert.All(blocks, b => Assert.True(b.Calls >= 50, $"a block of {b.Calls} calls"));
        Assert.Equal(600, blocks.Sum(b => b.Calls));
        for (var b = 1; b < blocks.Length; b++) Assert.True(blocks[b].HitRate >= blocks[b - 1].HitRate && blocks[b].Strength > blocks[b - 1].Strength);
    }

    [Fact]
    public void It_is_not_ready_before_a_block_can_be_filled_and_forgets_calls_older_than_its_window()
    {
        var fit = new IsotonicCalibration(window: 40, minimumBlock: 20);
        for (var i = 0; i < 19; i++) fit.Add(1, right: false);
        Assert.False(fit.Ready);
        Assert.Throws<InvalidOperationException>(() => fit.ProbabilityRight(1));
        for (var i = 0; i < 40; i++) fit.Add(1, right: true);
        Assert.True(fit.Ready);
        Assert.Equal(1.0, fit.ProbabilityRight(1));
    }
}
