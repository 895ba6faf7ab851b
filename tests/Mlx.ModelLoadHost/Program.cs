using Microsoft.ML;

// Usage: Mlx.ModelLoadHost <model.zip> <input.idv> <output.idv>
// Loads the model and the input (ML.NET binary IDV, which keeps the schema), transforms, and writes
// every visible column of the result as binary IDV for the calling test to compare.
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
