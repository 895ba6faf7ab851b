using Microsoft.ML;
using Mlx.ModelFixtures;

// Usage: Mlx.ModelFixtures <output folder>
// Fits one small pipeline per Mlx component (ComponentModels) on bundled data and writes, for each, <name>.zip
// (mlContext.Model.Save), <name>.input.idv (the rows to score) and <name>.output.idv (what this build computed for them).
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Mlx.ModelFixtures <output folder>");
    return 2;
}
string folder = Directory.CreateDirectory(args[0]).FullName;
var ml = new MLContext(seed: 1);
foreach (var component in ComponentModels.All(ml))
    Write(component);
return 0;

void Write(ComponentModel component)
{
    var (name, estimator, data) = (component.Name, component.Estimator, component.Data);
    var model = estimator.Fit(data);
    ml.Model.Save(model, data.Schema, Path.Combine(folder, name + ".zip"));
    using (var input = File.Create(Path.Combine(folder, name + ".input.idv")))
        ml.Data.SaveAsBinary(data, input, keepHidden: false);
    using (var output = File.Create(Path.Combine(folder, name + ".output.idv")))
        ml.Data.SaveAsBinary(model.Transform(data), output, keepHidden: false);
    Console.WriteLine($"{name}: {new FileInfo(Path.Combine(folder, name + ".zip")).Length:N0} bytes");
}
