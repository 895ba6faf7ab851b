using Microsoft.ML;
using Mlx.Workflow;

namespace Mlx.Cli;

/// <summary>Loads a CSV for a saved model: columns by name with the model's types; the columns the model reads (and the label, for evaluation) must be there.</summary>
internal static class ModelData
{
    public static CsvDataset Load(MLContext ml, WorkflowModel model, FileInfo file, bool needLabel)
    {
        var csv = CsvDataset.Load(ml, file.FullName, model.InputSchema);
        var needed = needLabel ? model.Info.FeatureColumns.Concat(model.Info.LabelColumns) : model.Info.FeatureColumns;
        var missing = needed.Where(c => !csv.ColumnNames.Contains(c)).ToArray();
        if (missing.Length > 0)
            throw new ArgumentException($"{file.Name} lacks the column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} that the model {(needLabel ? "and its evaluation read" : "reads")}; its columns are: {string.Join(", ", csv.ColumnNames)}.");
        return csv;
    }
}
