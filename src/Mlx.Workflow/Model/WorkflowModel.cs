using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.Workflow;

/// <summary>
/// A model the workflow trained: an ordinary ML.NET transformer chain (preparation + predictor, and for multiclass the
/// key-to-class-name mapping) saved with <c>mlContext.Model.Save</c> — one <c>Model.Load</c> away from production —
/// plus <see cref="WorkflowModelInfo"/> in the same zip, which lets <see cref="Evaluate"/> recompute the report's
/// metrics on new labelled data.
/// </summary>
public sealed class WorkflowModel
{
    private const string InfoEntry = "Mlx/workflow.json";
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    internal WorkflowModel(ITransformer model, DataViewSchema inputSchema, WorkflowModelInfo info)
    {
        Model = model;
        InputSchema = inputSchema;
        Info = info;
    }

    /// <summary>The transformer chain: scores rows with the input schema's columns.</summary>
    public ITransformer Model { get; }

    /// <summary>The schema of the data it was trained from.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>Task, label, classes, metric.</summary>
    public WorkflowModelInfo Info { get; }

    /// <summary>Saves the model (ML.NET zip) with its information entry.</summary>
    public void Save(MLContext ml, string path)
    {
        ml.Model.Save(Model, InputSchema, path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.CreateEntry(InfoEntry);
        using var stream = entry.Open();
        JsonSerializer.Serialize(stream, Info, JsonOptions);
    }

    /// <summary>Loads a model saved by <see cref="Save"/>; a zip that ML.NET cannot read, or one without the workflow entry, fails with the path and the fix.</summary>
    public static WorkflowModel Load(MLContext ml, string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No model at '{path}': pass the model.zip that 'mlx train' wrote.", path);
        // Read once: the workflow's entry from the zip, then the model from the same bytes.
        var bytes = File.ReadAllBytes(path);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' is not a model zip (damaged, or another kind of file): {e.Message}", e);
        }
        WorkflowModelInfo info;
        using (zip)
        {
            var entry = zip.GetEntry(InfoEntry)
                ?? throw new InvalidDataException($"'{path}' is not a model the Mlx workflow saved (no {InfoEntry}): load it with mlContext.Model.Load and evaluate it with ML.NET's evaluators.");
            try
            {
                using var stream = entry.Open();
                info = JsonSerializer.Deserialize<WorkflowModelInfo>(stream, JsonOptions) ?? throw new InvalidDataException($"{InfoEntry} in '{path}' is empty.");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{InfoEntry} in '{path}' is damaged: {e.Message}", e);
            }
        }
        var model = Mlx.Core.Persistence.SavedModel.Load(ml, bytes, $"'{path}'", out var schema);
        return new WorkflowModel(model, schema, info);
    }

    /// <summary>The chain that writes Score (and Probability / key PredictedLabel) — the model without its output mapping.</summary>
    internal ITransformer ScoringChain => Info.HasOutputMapping && Model is TransformerChain<ITransformer> chain
        ? new TransformerChain<ITransformer>(chain.Take(chain.Count() - 1).ToArray())
        : Model;

    /// <summary>
    /// The task's metrics on labelled data (rows without a label are left out): the numbers the report's test metrics
    /// are, recomputed from the saved model.
    /// </summary>
    /// <param name="ml">The context.</param>
    /// <param name="data">Data with the training data's columns, the label among them; it must return its rows in the same order on every pass (a text loader or a cache).</param>
    public IReadOnlyDictionary<string, double> Evaluate(MLContext ml, IDataView data)
    {
        var labels = WorkflowRunner.ReadLabel(data, Info.LabelColumns, Info.HasVectorLabel);
        var head = TaskHead.Create(ml, Info.Task, labels, Info.PositiveClass, Info.HasVectorLabel ? null : Info.Classes);
        var rows = Enumerable.Range(0, labels.Rows).Where(r => !labels.IsMissing(r)).ToArray();
        if (rows.Length == 0)
            throw new InvalidOperationException($"No row of the data has a (complete) label in '{Info.Label}': nothing to evaluate.");
        return head.Evaluate(ScoringChain.Transform(head.Rows(data, rows)));
    }
}
