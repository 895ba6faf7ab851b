using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Mlx.Workflow.Tests.EndToEnd;
using Xunit;

namespace Mlx.Workflow.Tests.Reporting;

/// <summary>The generated ModelConsumer.cs compiles as it is written and predicts what the model predicts; the reports carry their numbers.</summary>
[Collection(WorkflowRuns.Name)]
public sealed class ConsumptionSnippetTests
{
    [Fact]
    public void The_generated_consumer_compiles_and_scores_a_CSV_as_the_model_does_and_the_reports_agree()
    {
        var ml = new MLContext(1);
        var path = RepoPaths.Combine("examples", "data", "wine", "wine.csv");
        var csv = CsvDataset.Load(ml, path);
        var result = new WorkflowRunner(ml).Run(csv.Data, "target", new WorkflowOptions { TimeBudget = TimeSpan.FromSeconds(10), Seed = 2 });
        var folder = Directory.CreateTempSubdirectory("mlx-snippet-").FullName;
        var modelPath = Path.Combine(folder, "model.zip");
        result.Model.Save(ml, modelPath);

        var code = ConsumptionSnippet.Write(result.Model, modelPath, "WineModel");
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => a.Location))
            .Distinct().Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("WineConsumer",
            [CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest)), CSharpSyntaxTree.ParseText("global using System; global using System.IO; global using System.Linq; global using System.Collections.Generic;")],
            references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)) + "\n" + code);

        var assembly = new AssemblyLoadContext("consumer", isCollectible: true).LoadFromStream(new MemoryStream(stream.ToArray()));
        var consumer = assembly.GetType("WineModel")!;
        var outputs = ((System.Collections.IEnumerable)consumer.GetMethod("PredictFile")!.Invoke(null, [path])!).Cast<object>().ToArray();
        var outputType = consumer.GetNestedType("ModelOutput")!;
        var predicted = outputs.Select(o => (string)outputType.GetProperty("PredictedLabel")!.GetValue(o)!).ToArray();
        var expected = result.Model.Model.Transform(csv.Data).GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(p => p.ToString()).ToArray();
        Assert.Equal(178, predicted.Length);
        Assert.Equal(expected, predicted);

        // The Markdown, HTML and JSON reports carry the run's numbers.
        var report = result.Report;
        report.Save(folder);
        string Show(double v) => v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"**Test accuracy: {Show(report.Test)}**", File.ReadAllText(Path.Combine(folder, "report.md")));
        var html = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.Contains($"<b>Test accuracy: {Show(report.Test)}</b>", html);
        // Candidates, loss curves, and for a multiclass task the confusion matrix and the permutation importance.
        Assert.Equal(4, html.Split("data:image/png;base64,").Length - 1);
        foreach (var picture in new[] { "confusion.png", "importance.png" })
        {
            Assert.True(File.Exists(Path.Combine(folder, picture)), picture);
            Assert.Contains($"]({picture})", File.ReadAllText(Path.Combine(folder, "report.md")));
        }
        var json = WorkflowReport.FromJson(File.ReadAllText(Path.Combine(folder, "report.json")));
        Assert.Equal(report.Test, json.Test);
        Assert.Equal(report.Diagnostics.ConfusionMatrix!.SelectMany(r => r), json.Diagnostics.ConfusionMatrix!.SelectMany(r => r));
        Assert.Equal(report.Diagnostics.Importance.Select(i => (i.Column, i.Drop)), json.Diagnostics.Importance.Select(i => (i.Column, i.Drop)));
        // The confusion matrix is the test split's: its diagonal share is the test accuracy.
        var matrix = report.Diagnostics.ConfusionMatrix!;
        Assert.Equal(report.TestMetrics["accuracy"], (double)Enumerable.Range(0, matrix.Count).Sum(i => matrix[i][i]) / matrix.Sum(r => r.Sum()), 12);
        Assert.Equal(report.Candidates.Select(c => c.Mean), json.Candidates.Select(c => c.Mean));
        Directory.Delete(folder, recursive: true);
    }
}
