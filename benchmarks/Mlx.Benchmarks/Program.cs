// Mlx benchmarks: each prints Mlx's figure next to the reference implementation's from the same run.
//   dotnet run -c Release --project benchmarks/Mlx.Benchmarks -- [datapath|power|kbins|dummy|projection|selection|vision|nn|rnn|convnet|backbone|text|resample|drift|wrapper|workflow|workflow-corpus ...] [--scale 1.0] [--reps 5] [--no-reference]
using Mlx.Benchmarks;

var options = BenchmarkOptions.Parse(args);
var suites = new Dictionary<string, Func<BenchmarkOptions, IReadOnlyList<BenchmarkResult>>>
{
    ["datapath"] = DataPathProbe.Run,
    ["power"] = PowerTransformBenchmark.Run,
    ["kbins"] = TransformsBenchmark.Discretize,
    ["dummy"] = TransformsBenchmark.Dummy,
    ["projection"] = TransformsBenchmark.Projection,
    ["selection"] = TransformsBenchmark.Selection,
    ["vision"] = VisionBenchmark.Run,
    ["nn"] = NeuralNetworkBenchmark.Run,
    ["convnet"] = NeuralNetworkBenchmark.RunConvNet,
    ["rnn"] = NeuralNetworkBenchmark.RunRecurrent,
    ["backbone"] = BackboneBenchmark.Run,
    ["text"] = TextBenchmark.Run,
    ["resample"] = ResamplingBenchmark.Run,
    ["drift"] = DriftBenchmark.Run,
    ["wrapper"] = WrapperBenchmark.Run,
    ["workflow"] = WorkflowBenchmark.Run,
    ["workflow-corpus"] = WorkflowCorpusBenchmark.Run,
};
var selected = options.Suites.Count == 0 ? suites.Keys.ToList() : options.Suites;
foreach (var name in selected)
{
    if (!suites.TryGetValue(name, out var run))
    {
        Console.Error.WriteLine($"unknown suite '{name}'; known: {string.Join(", ", suites.Keys)}");
        return 2;
    }
    Console.WriteLine($"== {name} (median of {options.Repetitions} after 3 warm-ups; {Environment.ProcessorCount} cores) ==");
    ResultTable.Print(run(options));
}
return 0;
