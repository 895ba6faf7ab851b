using System.Globalization;
using System.Text.Json;
using Mlx.TestSupport;
using Mlx.Workflow.Tests.EndToEnd;
using Xunit;

namespace Mlx.Workflow.Tests.Cli;

/// <summary>The mlx tool as a script sees it: files written, numbers that agree, exit codes and messages.</summary>
[Collection(WorkflowRuns.Name)]
public sealed class CliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlx-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Data(params string[] parts) => RepoPaths.Combine(["examples", "data", .. parts]);

    [Fact]
    public void Train_writes_the_model_and_report_and_evaluate_recomputes_the_reported_test_metric()
    {
        var output = Path.Combine(_folder, "credit");
        var train = MlxProcess.Invoke("train", "--data", Data("german_credit", "credit_g.csv"), "--label", "class", "--time", "20s", "--out", output, "--seed", "3");
        Assert.True(train.ExitCode == 0, train.Output + train.Error);
        foreach (var file in new[] { "model.zip", "report.html", "report.md", "report.json", "candidates.png", "curves.png", "confusion.png", "roc-pr.png", "importance.png", "test.csv", "profile.json", "ModelConsumer.cs" })
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} missing");
        Assert.Contains("7. Retrain on all training data", train.Output);

        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        var root = report.RootElement;
        Assert.Equal("BinaryClassification", root.GetProperty("task").GetString());
        Assert.Equal("auc", root.GetProperty("metric").GetString());
        double test = root.GetProperty("test").GetDouble(), baseline = root.GetProperty("baseline").GetDouble();
        Assert.Equal(0.5, baseline, 12);
        // German credit is hard (AUC 0.69-0.80 by split): the bar is the baseline.
        Assert.InRange(test, 0.6, 1);
        Assert.Equal("bad", root.GetProperty("positiveClass").GetString());

        var evaluate = MlxProcess.Invoke("evaluate", "--model", Path.Combine(output, "model.zip"), "--data", Path.Combine(output, "test.csv"), "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Output + evaluate.Error);
        using var metrics = JsonDocument.Parse(evaluate.Output);
        Assert.Equal(test, metrics.RootElement.GetProperty("value").GetDouble(), 12);
        foreach (var m in root.GetProperty("testMetrics").EnumerateObject())
            Assert.Equal(m.Value.GetDouble(), metrics.RootElement.GetProperty("metrics").GetProperty(m.Name).GetDouble(), 12);

        // predict: every test row once, with the class names and a probability; the label column is not needed.
        var unlabelled = Path.Combine(_folder, "unlabelled.csv");
        File.WriteAllLines(unlabelled, File.ReadLines(Path.Combine(output, "test.csv")).Select(l => string.Join(',', l.Split(',').SkipLast(1))));
        var predictions = Path.Combine(_folder, "predictions.csv");
        var predict = MlxProcess.Invoke("predict", "--model", Path.Combine(output, "model.zip"), "--data", unlabelled, "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.Output + predict.Error);
        var lines = File.ReadAllLines(predictions);
        Assert.EndsWith("PredictedLabel,Probability", lines[0]);
        Assert.Equal(File.ReadAllLines(Path.Combine(output, "test.csv")).Length, lines.Length);
        Assert.All(lines.Skip(1), l =>
        {
            var fields = l.Split(',');
            Assert.Contains(fields[^2], new[] { "good", "bad" });
            Assert.InRange(double.Parse(fields[^1], CultureInfo.InvariantCulture), 0, 1);
            Assert.Equal(fields[^2] == "bad", double.Parse(fields[^1], CultureInfo.InvariantCulture) > 0.5);
        });

        Assert.DoesNotContain("warning", predict.Error);
        // Values the model cannot read: counted per column on standard error, the rows still scored.
        var odd = File.ReadAllLines(unlabelled);
        for (int row = 1; row <= 5; row++)
        {
            var fields = odd[row].Split(',');
            if (row <= 2)
                fields[1] = "abc";                  // duration: not a number
            else
                fields[0] = "'overdrawn'";          // checking_status: a level training never had
            odd[row] = string.Join(',', fields);
        }
        var oddFile = Path.Combine(_folder, "odd.csv");
        File.WriteAllLines(oddFile, odd);
        var oddPredict = MlxProcess.Invoke("predict", "--model", Path.Combine(output, "model.zip"), "--data", oddFile, "--out", Path.Combine(_folder, "odd-predictions.csv"));
        Assert.True(oddPredict.ExitCode == 0, oddPredict.Output + oddPredict.Error);
        Assert.Contains("warning: column 'duration': 2 value(s) are not numbers (first: 'abc' on line 2)", oddPredict.Error);
        Assert.Contains("warning: column 'checking_status': 3 value(s) are categories the model never saw in training (first: ''overdrawn'' on line 4)", oddPredict.Error);
        Assert.Equal(lines.Length, File.ReadAllLines(Path.Combine(_folder, "odd-predictions.csv")).Length);

        var summary = MlxProcess.Invoke("summary", "--model", Path.Combine(output, "model.zip"));
        Assert.Equal(0, summary.ExitCode);
        Assert.Contains("BinaryClassification", summary.Output);
        Assert.Contains("checking_status", summary.Output);

        // monitor: the test rows drift from nothing; the test rows with a shifted duration do.
        Assert.Equal(0, MlxProcess.Invoke("monitor", "--profile", Path.Combine(output, "profile.json"), "--data", Data("german_credit", "credit_g.csv")).ExitCode);
        var shifted = Path.Combine(_folder, "shifted.csv");
        var credit = File.ReadAllLines(Data("german_credit", "credit_g.csv"));
        File.WriteAllLines(shifted, credit.Take(1).Concat(credit.Skip(1).Select(l =>
        {
            var fields = l.Split(',');
            fields[1] = (int.Parse(fields[1], CultureInfo.InvariantCulture) * 3).ToString(CultureInfo.InvariantCulture);
            return string.Join(',', fields);
        })));
        var monitor = MlxProcess.Invoke("monitor", "--profile", Path.Combine(output, "profile.json"), "--data", shifted, "--out", Path.Combine(_folder, "drift"));
        Assert.Equal(3, monitor.ExitCode);
        Assert.Contains("duration", monitor.Output);
        // A column that goes missing in 30 % of the rows drifts, though its present values are unchanged.
        var gaps = Path.Combine(_folder, "gaps.csv");
        File.WriteAllLines(gaps, credit.Take(1).Concat(credit.Skip(1).Select((l, i) =>
        {
            var fields = l.Split(',');
            if (i % 10 < 3)
                fields[1] = "";
            return string.Join(',', fields);
        })));
        var gapMonitor = MlxProcess.Invoke("monitor", "--profile", Path.Combine(output, "profile.json"), "--data", gaps);
        Assert.Equal(3, gapMonitor.ExitCode);
        Assert.Contains("duration", gapMonitor.Output);
        Assert.True(File.Exists(Path.Combine(_folder, "drift", "drift.png")));
    }

    [Fact]
    public void Bad_input_exits_with_1_and_says_what_is_wrong_and_bad_usage_with_2()
    {
        var missingLabel = MlxProcess.Invoke("train", "--data", Data("wine", "wine.csv"), "--label", "quality");
        Assert.Equal(1, missingLabel.ExitCode);
        Assert.Contains("The label column 'quality' is not in wine.csv", missingLabel.Error);

        var ragged = Path.Combine(_folder, "ragged.csv");
        File.WriteAllText(ragged, "a,b,y\n1,2,0\n3,4\n");
        var unparsable = MlxProcess.Invoke("train", "--data", ragged, "--label", "y");
        Assert.Equal(1, unparsable.ExitCode);
        Assert.Contains("line 3 has 2 fields where the header has 3", unparsable.Error);

        var constant = Path.Combine(_folder, "constant.csv");
        File.WriteAllLines(constant, new[] { "x,y" }.Concat(Enumerable.Range(0, 50).Select(i => $"{i},yes")));
        var oneValue = MlxProcess.Invoke("train", "--data", constant, "--label", "y");
        Assert.Equal(1, oneValue.ExitCode);
        Assert.Contains("has one value ('yes')", oneValue.Error);

        Assert.Equal(1, MlxProcess.Invoke("evaluate", "--model", ragged, "--data", ragged).ExitCode);
        Assert.Equal(2, MlxProcess.Invoke("train", "--label", "y").ExitCode);
        Assert.Equal(2, MlxProcess.Invoke("frobnicate").ExitCode);
        var badTime = MlxProcess.Invoke("train", "--data", constant, "--label", "y", "--time", "soon");
        Assert.Equal(1, badTime.ExitCode);
        Assert.Contains("is not a duration", badTime.Error);
    }

    [Fact]
    public void Outputs_durations_and_damaged_models_are_refused_with_1_before_any_work()
    {
        var wine = Data("wine", "wine.csv");
        foreach (var time in new[] { "1e308", "Infinity", "99999999999h", "-5s" })
        {
            var overflow = MlxProcess.Invoke("train", "--data", wine, "--label", "target", "--time", time);
            Assert.True(overflow.ExitCode == 1, $"--time {time}: exit {overflow.ExitCode}: {overflow.Error}");
            Assert.Contains("is not a duration", overflow.Error);
        }

        // An --out that is a file, or lies under a file (unwritable): refused before the CSV is even read.
        var file = Path.Combine(_folder, "taken");
        File.WriteAllText(file, "not a folder");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var existing = MlxProcess.Invoke("train", "--data", wine, "--label", "target", "--time", "10m", "--out", file);
        Assert.Equal(1, existing.ExitCode);
        Assert.Contains("--out", existing.Error);
        Assert.Contains("is a file", existing.Error);
        var unwritable = MlxProcess.Invoke("train", "--data", wine, "--label", "target", "--time", "10m", "--out", Path.Combine(file, "sub"));
        Assert.Equal(1, unwritable.ExitCode);
        Assert.Contains("cannot be written", unwritable.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"refusing the outputs took {clock.Elapsed.TotalSeconds:0} s: the training ran first");

        var output = Path.Combine(_folder, "wine");
        var train = MlxProcess.Invoke("train", "--data", wine, "--label", "target", "--ignore", "target_name", "--time", "5s", "--out", output);
        Assert.True(train.ExitCode == 0, train.Output + train.Error);
        var model = Path.Combine(output, "model.zip");

        // predict refuses a CSV that already has the columns it writes; profile refuses --ignore of a missing column.
        var predicted = Path.Combine(_folder, "predicted.csv");
        File.WriteAllLines(predicted, File.ReadAllLines(Path.Combine(output, "test.csv")).Select((line, i) => line + (i == 0 ? ",PredictedLabel" : ",0")));
        var again = MlxProcess.Invoke("predict", "--model", model, "--data", predicted);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("'PredictedLabel', which 'mlx predict' writes", again.Error);
        var profile = MlxProcess.Invoke("profile", "--data", wine, "--ignore", "qualty", "--out", Path.Combine(_folder, "p.json"));
        Assert.Equal(1, profile.ExitCode);
        Assert.Contains("--ignore names 'qualty'", profile.Error);

        // A damaged model: the file and the damaged component named, exit 1, no stack trace.
        var damaged = Path.Combine(_folder, "damaged.zip");
        var zip = File.ReadAllBytes(model);
        var entry = SavedModelBytes.Entries(zip).First(e => SavedModelBytes.ModelBlock(e.Bytes) is { LoaderSignature: var l } && l.StartsWith("Mlx", StringComparison.Ordinal));
        var bytes = entry.Bytes;
        var block = SavedModelBytes.ModelBlock(bytes)!.Value;
        bytes[block.Offset + block.Length / 2] ^= 0x5A; // inside the component's sealed state
        File.WriteAllBytes(damaged, SavedModelBytes.WithEntry(zip, entry.Name, bytes));
        var summary = MlxProcess.Invoke("summary", "--model", damaged);
        Assert.Equal(1, summary.ExitCode);
        Assert.Contains(damaged, summary.Error);
        Assert.Contains($"component {SavedModelBytes.ModelBlock(bytes)!.Value.LoaderSignature}", summary.Error);
        Assert.DoesNotContain("   at ", summary.Error);
        File.WriteAllBytes(damaged, SavedModelBytes.WithEntry(zip, entry.Name, entry.Bytes[..(entry.Bytes.Length / 2)]));
        var cut = MlxProcess.Invoke("summary", "--model", damaged);
        Assert.Equal(1, cut.ExitCode);
        Assert.Contains($"entry '{entry.Name}'", cut.Error);
        Assert.Contains("cut short", cut.Error);
    }
}
