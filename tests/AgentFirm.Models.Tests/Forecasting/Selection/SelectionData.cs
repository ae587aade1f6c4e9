using AgentFirm.Models.Forecasting;

namespace AgentFirm.Models.Tests.Forecasting.Selection;

/// <summary>
/// Planted selection data: <c>informative</c> AR(1) drivers whose value at row t moves the return realised after
/// t, among <c>noise</c> AR(1) features that do not. Label[t] is that forward return (or its sign).
/// </summary>
internal static class SelectionData
{
    public static (ForecastDataset Data, double[] Returns) Make(int rows, int informative, int noise, ForecastTask task, int seed, double signal = 0.5)
    {
        var rng = new Random(seed);
        var p = informative + noise;
        // informative ones are spread among the noise so column order cannot help
        var names = Enumerable.Range(0, p).Select(j => j < informative ? $"driver{j}" : $"noise{j - informative}").ToArray();
        var state = new double[p];
        var data = new double[rows][];
        var returns = new double[rows];
        var labels = new double[rows];
        for (var t = 0; t < rows; t++)
        {
            for (var j = 0; j < p; j++) state[j] = 0.6 * state[j] + 0.8 * PlantedData.Gaussian(rng);
            data[t] = (double[])state.Clone();
            double r = PlantedData.Gaussian(rng);
            for (var j = 0; j < informative; j++) r += (j % 2 == 0 ? signal : -signal) * state[j];
            returns[t] = 0.01 * r;
            labels[t] = task == ForecastTask.Classification ? (r > 0 ? 1 : 0) : 0.01 * r;
        }
        return (new ForecastDataset(names, data, labels), returns);
    }
}
