using Microsoft.ML;
using Mlx.Estimators;

// Usage: Mlx.ModelLoadHost <model.zip> <input.idv> <output.idv>
//        Mlx.ModelLoadHost --native-tuning   (prints Mlx.Estimators' native tuning status after one tiny training)
// Loads the model and the input (ML.NET binary IDV, which keeps the schema), transforms, and writes
// every visible column of the result as binary IDV for the calling test to compare.
if (args is ["--native-tuning"])
{
    var ml = new MLContext(seed: 0);
    var rows = Enumerable.Range(0, 16).Select(i => new TuningRow { Features = [i % 4, i / 4f], Label = i % 2 == 0 }).ToList();
    ml.BinaryClassification.Trainers.NeuralNetwork(new Mlx.Estimators.NeuralNetworkOptions { Epochs = 1, Seed = 1 }).Fit(ml.Data.LoadFromEnumerable(rows));
    Console.WriteLine(Mlx.Estimators.Runtime.NativeTuning.Describe());
    return 0;
}
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Mlx.ModelLoadHost <model.zip> <input.idv> <output.idv>");
    return 2;
}

var mlContext = new MLContext(seed: 0);
var model = mlContext.Model.Load(args[0], out _);
var input = mlContext.Data.LoadFromBinary(args[1]);
var output = model.Transform(input);
using (var stream = File.Create(args[2]))
    mlContext.Data.SaveAsBinary(output, stream, keepHidden: false);
Console.WriteLine($"loaded {Path.GetFileName(args[0])}, wrote {output.Schema.Count} columns");
return 0;

internal sealed class TuningRow
{
    [Microsoft.ML.Data.VectorType(2)]
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }
}
