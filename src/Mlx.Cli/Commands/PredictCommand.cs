using System.CommandLine;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Workflow;
using Spectre.Console;

namespace Mlx.Cli.Commands;

/// <summary><c>mlx predict</c>: scores a CSV with a saved workflow model and writes the rows with their predictions as CSV.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = Options.Model();
        var data = Options.Data("A CSV with the columns the model reads (any order; the label may be absent).");
        var output = new Option<FileInfo?>("--out", "-o") { Description = "The CSV to write (standard output when left out)." };
        var command = new Command("predict", "Score a CSV: its rows with PredictedLabel and Probability (binary), PredictedLabel and one probability per class (multiclass), the prediction (regression), or one prediction (and probability) per output (multilabel, vector).") { model, data, output };
        command.SetAction(result =>
        {
            if (result.GetValue(output) is { } outFile)
                OutputPaths.CheckFile(outFile, "--out");
            var ml = new MLContext(1);
            var loaded = WorkflowModel.Load(ml, result.GetValue(model)!.FullName);
            var file = result.GetValue(data)!;
            var csv = ModelData.Load(ml, loaded, file, needLabel: false);
            // The scored rows' columns of these names are the model's: a CSV column of the same name would be hidden.
            var taken = csv.ColumnNames.Intersect(PredictionColumns, StringComparer.Ordinal).ToArray();
            if (taken.Length > 0)
                throw new ArgumentException($"{file.Name} already has the column(s) {string.Join(", ", taken.Select(t => $"'{t}'"))}, which 'mlx predict' writes: rename or drop them in the CSV (e.g. predictions of an earlier run).");
            // Values the model cannot read are scored as missing: say so, per column, before the predictions.
            foreach (var issue in InputCheck.Check(loaded, csv))
                Console.Error.WriteLine($"warning: {issue}");
            var scored = loaded.Model.Transform(csv.Data);
            var lines = Write(loaded, csv, scored);
            if (result.GetValue(output) is { } target)
            {
                File.WriteAllText(target.FullName, lines);
                AnsiConsole.MarkupLine($"wrote {csv.Rows:N0} predictions to {Markup.Escape(target.FullName)}");
            }
            else
            {
                Console.Write(lines);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The columns a workflow model adds to the rows it scores.</summary>
    private static readonly string[] PredictionColumns = ["PredictedLabel", "Score", "Probability"];

    private static string Write(WorkflowModel model, CsvDataset csv, IDataView scored)
    {
        var info = model.Info;
        var inputs = csv.ColumnNames.Select(n => scored.Schema[n]).ToArray();
        var header = csv.ColumnNames.ToList();
        var text = new StringBuilder();
        using var cursor = scored.GetRowCursor(scored.Schema.Where(c => !c.IsHidden));
        var inputGetters = inputs.Select(c => Formatter(cursor, c)).ToArray();
        Func<IEnumerable<string>> prediction;
        switch (info.Task)
        {
            case TaskKind.BinaryClassification:
            {
                header.AddRange(["PredictedLabel", "Probability"]);
                var predicted = cursor.GetGetter<bool>(scored.Schema["PredictedLabel"]);
                var probability = cursor.GetGetter<float>(scored.Schema["Probability"]);
                var negative = info.Classes!.First(c => c != info.PositiveClass);
                prediction = () =>
                {
                    bool p = false;
                    float q = 0;
                    predicted(ref p);
                    probability(ref q);
                    return [p ? info.PositiveClass! : negative, CsvWriter.Number(q)];
                };
                break;
            }
            case TaskKind.MulticlassClassification:
            {
                header.Add("PredictedLabel");
                header.AddRange(info.Classes!.Select(c => $"Probability({c})"));
                var predicted = cursor.GetGetter<ReadOnlyMemory<char>>(scored.Schema["PredictedLabel"]);
                var score = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
                prediction = () =>
                {
                    ReadOnlyMemory<char> p = default;
                    VBuffer<float> s = default;
                    predicted(ref p);
                    score(ref s);
                    return s.DenseValues().Select(v => CsvWriter.Number(v)).Prepend(p.ToString());
                };
                break;
            }
            case TaskKind.MultilabelClassification:
            {
                header.AddRange(info.Classes!.Select(c => $"Predicted({c})"));
                header.AddRange(info.Classes!.Select(c => $"Probability({c})"));
                var predicted = cursor.GetGetter<VBuffer<bool>>(scored.Schema["PredictedLabel"]);
                var probability = cursor.GetGetter<VBuffer<float>>(scored.Schema["Probability"]);
                prediction = () =>
                {
                    VBuffer<bool> p = default;
                    VBuffer<float> q = default;
                    predicted(ref p);
                    probability(ref q);
                    return p.DenseValues().Select(b => b ? "1" : "0").Concat(q.DenseValues().Select(CsvWriter.Number));
                };
                break;
            }
            case TaskKind.VectorRegression:
            {
                header.AddRange(info.Classes!.Select(c => $"Predicted({c})"));
                var score = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
                prediction = () =>
                {
                    VBuffer<float> s = default;
                    score(ref s);
                    return s.DenseValues().Select(CsvWriter.Number);
                };
                break;
            }
            default:
            {
                header.Add($"Predicted({info.Label})");
                var score = cursor.GetGetter<float>(scored.Schema["Score"]);
                prediction = () =>
                {
                    float s = 0;
                    score(ref s);
                    return [CsvWriter.Number(s)];
                };
                break;
            }
        }
        text.AppendLine(CsvWriter.Line(header));
        while (cursor.MoveNext())
            text.AppendLine(CsvWriter.Line(inputGetters.Select(g => g()).Concat(prediction())));
        return text.ToString();
    }

    private static Func<string> Formatter(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type.RawType == typeof(float))
        {
            var get = row.GetGetter<float>(column);
            return () =>
            {
                float v = 0;
                get(ref v);
                return float.IsNaN(v) ? "" : CsvWriter.Number(v);
            };
        }
        var text = row.GetGetter<ReadOnlyMemory<char>>(column);
        return () =>
        {
            ReadOnlyMemory<char> v = default;
            text(ref v);
            return v.ToString();
        };
    }
}
