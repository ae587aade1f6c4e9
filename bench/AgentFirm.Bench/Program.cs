using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFirm.Bench;

// Usage: dotnet run -c Release --project bench/AgentFirm.Bench -- NAME
// Runs one named benchmark and prints its figures as one JSON object on the last line.
var benchmarks = BenchmarkRegistry.All;
if (args.Length != 1 || !benchmarks.ContainsKey(args[0]))
{
    Console.Error.WriteLine($"usage: AgentFirm.Bench NAME   where NAME is one of: {string.Join(", ", benchmarks.Keys)}");
    return 2;
}
JsonObject figures = benchmarks[args[0]]();
Console.WriteLine(figures.ToJsonString(new JsonSerializerOptions { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
return 0;
