using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Mlx.Shared;
using Mlx.Workflow;

namespace Mlx.Benchmarks;

/// <summary>
/// The front door on public data nobody tuned it to (issue 23): `mlx train`'s workflow on every data set of
/// tests/corpus/corpus.json (CSV read as the CLI reads it, separator sniffed, its budget and seed), next to four
/// scikit-learn references fitted on the workflow's own development rows and scored on its test rows
/// (tests/corpus/reference/reference.py → results.json). Prints one row per data set: the workflow's test metric,
/// time and chosen model, the best reference and the verdict against the goal (within 0.01 AUC / 0.02 accuracy / 5 %
/// MAE of the best reference; ahead of it). Each run writes the workflow's splits to tests/corpus/reference/splits/,
/// which the reference script reads; a reference computed on another split is reported stale, not compared.
/// MLX_CORPUS=name,name runs only those.
/// </summary>
internal static class WorkflowCorpusBenchmark
{
    private sealed record Outcome(string Name, string Metric, bool HigherIsBetter, double Test, double Baseline, string Chosen, double Seconds, double Budget,
        string SplitHash, string? BudgetStop);

    public static IReadOnlyList<BenchmarkResult> Run(BenchmarkOptions options)
    {
        var corpusFolder = RepositoryRoot.Combine("tests", "corpus");
        var corpus = JsonNode.Parse(File.ReadAllText(Path.Combine(corpusFolder, "corpus.json")))!;
        double budget = corpus["budgetSeconds"]!.GetValue<double>();
        int seed = corpus["seed"]!.GetValue<int>();
        var only = Environment.GetEnvironmentVariable("MLX_CORPUS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var splits = Path.Combine(corpusFolder, "reference", "splits");
        Directory.CreateDirectory(splits);
        var outcomes = new List<Outcome>();
        foreach (var entry in corpus["datasets"]!.AsArray())
        {
            string name = entry!["name"]!.GetValue<string>();
            if (only is not null && !only.Contains(name))
                continue;
            string file = Path.GetFullPath(Path.Combine(corpusFolder, entry["file"]!.GetValue<string>()));
            string label = entry["label"]!.GetValue<string>();
            var ml = new MLContext(seed);
            var watch = Stopwatch.StartNew();
            var csv = CsvDataset.Load(ml, file);
            var workflowOptions = new WorkflowOptions { TimeBudget = TimeSpan.FromSeconds(budget), Seed = seed };
            if (entry["imageFolder"] is { } images)
                workflowOptions.ImageFolder = Path.GetFullPath(Path.Combine(corpusFolder, images.GetValue<string>()));
            WorkflowResult result;
            try
            {
                result = new WorkflowRunner(ml).Run(csv.Data, label, workflowOptions);
            }
            catch (Exception e)
            {
                Console.WriteLine($"{name}: FAILED after {watch.Elapsed.TotalSeconds:0} s: {e.GetType().Name}: {e.Message}");
                continue;
            }
            double seconds = watch.Elapsed.TotalSeconds;
            var report = result.Report;
            // The full report of each set, to read what the workflow did (out/ is ignored by git).
            report.Save(RepositoryRoot.Combine("out", "corpus", name));
            string hash = WriteSplit(Path.Combine(splits, name + ".json"), name, Path.GetRelativePath(RepositoryRoot.Combine("."), file), csv, label, report, result.TestRows, ml);
            var outcome = new Outcome(name, report.Metric, report.HigherIsBetter, report.Test, report.Baseline, report.Chosen, seconds, budget, hash, report.BudgetStop);
            outcomes.Add(outcome);
            Console.WriteLine($"{name}: {report.Task}, test {report.Metric} {report.Test:0.####} ({report.Chosen}; baseline {report.Baseline:0.####}), {seconds:0} s of {budget:0} s"
                + (report.BudgetStop is null ? "" : "; budget stopped the schedule " + report.BudgetStop));
        }
        return Compare(outcomes, Path.Combine(corpusFolder, "reference", "results.json"));
    }

    /// <summary>The split the reference script reads: development and test rows, feature columns and kinds, task and metric.</summary>
    private static string WriteSplit(string path, string name, string file, CsvDataset csv, string label, WorkflowReport report, IReadOnlyList<int> testRows, MLContext ml)
    {
        var labels = LabelValues.Read(csv.Data, label);
        var test = testRows.ToHashSet();
        var development = Enumerable.Range(0, labels.Rows).Where(r => !labels.IsMissing(r) && !test.Contains(r)).ToArray();
        var hash = Convert.ToHexString(XxHash3.Hash(Encoding.UTF8.GetBytes(string.Join(",", testRows) + "|" + string.Join(",", development))));
        var split = new Dictionary<string, object?>
        {
            ["name"] = name,
            ["file"] = file.Replace('\\', '/'),
            ["separator"] = csv.Separator.ToString(),
            ["label"] = label,
            ["task"] = report.Task.ToString(),
            ["metric"] = report.Metric,
            ["positiveClass"] = report.PositiveClass,
            ["features"] = report.Columns.Where(c => c.IsFeature || c.Kind == ColumnKind.Timestamp).Select(c => new { name = c.Name, kind = c.Kind.ToString() }).ToArray(),
            ["splitHash"] = hash,
            ["developmentRows"] = development,
            ["testRows"] = testRows.ToArray(),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(split, new JsonSerializerOptions { WriteIndented = false }));
        return hash;
    }

    /// <summary>The goal's margin for a metric: 0.01 for AUCs, 0.02 for accuracies, 5 % of the reference for errors.</summary>
    private static double Margin(string metric, double reference) => metric switch
    {
        "auc" or "auprc" => 0.01,
        "accuracy" or "macro-accuracy" => 0.02,
        _ => 0.05 * Math.Abs(reference),
    };

    private static IReadOnlyList<BenchmarkResult> Compare(List<Outcome> outcomes, string referencePath)
    {
        var references = File.Exists(referencePath) ? JsonNode.Parse(File.ReadAllText(referencePath))!.AsObject() : new JsonObject();
        var rows = new List<BenchmarkResult>();
        int compared = 0, within = 0, ahead = 0, inBudget = 0;
        Console.WriteLine();
        Console.WriteLine("| data set | metric | workflow (chosen) | best reference | HGB | linear | RF | MLP | verdict | seconds / budget |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---|---:|");
        foreach (var o in outcomes)
        {
            bool budgetKept = o.Seconds <= o.Budget * 1.1;
            inBudget += budgetKept ? 1 : 0;
            string verdict, best = "", cells = "| | | | ";
            if (references[o.Name] is not JsonObject reference || reference["splitHash"]?.GetValue<string>() != o.SplitHash)
                verdict = references[o.Name] is null ? "no reference (run reference.py)" : "reference stale (another split): run reference.py";
            else if (reference["models"]!.AsObject().Count == 0)
                verdict = reference["note"]?.GetValue<string>() ?? "no reference";
            else
            {
                var models = reference["models"]!.AsObject().ToDictionary(m => m.Key, m => m.Value!["value"]!.GetValue<double>());
                var (bestName, bestValue) = models.Aggregate((a, b) => o.HigherIsBetter ? (b.Value > a.Value ? b : a) : (b.Value < a.Value ? b : a)) is var kv ? (kv.Key, kv.Value) : default;
                double gap = o.HigherIsBetter ? o.Test - bestValue : bestValue - o.Test;   // > 0: the workflow is ahead
                compared++;
                bool isWithin = gap >= -Margin(o.Metric, bestValue);
                within += isWithin ? 1 : 0;
                ahead += gap > 0 ? 1 : 0;
                verdict = gap > 0 ? "ahead" : isWithin ? "within the margin" : $"behind by {-gap:0.####}";
                best = $"{bestValue:0.####} ({bestName})";
                string Cell(params string[] names) => names.Select(n => models.TryGetValue(n, out var v) ? v.ToString("0.####", CultureInfo.InvariantCulture) : "").FirstOrDefault(s => s != "") ?? "";
                cells = $"| {Cell("HistGradientBoosting")} | {Cell("LogisticRegression", "Ridge")} | {Cell("RandomForest")} | {Cell("MLP")} ";
            }
            Console.WriteLine($"| {o.Name} | {o.Metric} | {o.Test:0.####} ({o.Chosen}) | {best} {cells}| {verdict} | {o.Seconds:0} / {o.Budget:0}{(budgetKept ? "" : " OVER")} |");
            rows.Add(new BenchmarkResult("workflow-corpus", $"{o.Name} {o.Metric}", o.Seconds, null, $"{o.Test:0.####} vs best reference {best}: {verdict}"));
        }
        Console.WriteLine();
        Console.WriteLine($"goal: {inBudget} of {outcomes.Count} within budget + 10 %; {within} of {compared} compared within the margin of the best reference, {ahead} ahead of it (goal: all within, at least half ahead)");
        return rows;
    }
}
