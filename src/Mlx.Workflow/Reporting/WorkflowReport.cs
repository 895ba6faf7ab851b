using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mlx.Workflow;

/// <summary>
/// What <see cref="WorkflowRunner"/> did and found: every step, every candidate with its validation metric and curve,
/// the baseline and the final test metrics, the columns' roles (feature validity) and the leakage check. Written as
/// Markdown, a self-contained HTML page with plots, and JSON whose <c>task</c>, <c>metric</c>, <c>baseline</c> and
/// <c>test</c> fields are the task, the metric's name, the baseline's test value and the final model's test value.
/// </summary>
public sealed class WorkflowReport
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The task.</summary>
    public TaskKind Task { get; init; }

    /// <summary>Why that task.</summary>
    public string TaskReason { get; init; } = "";

    /// <summary>The label column.</summary>
    public string Label { get; init; } = "";

    /// <summary>Classes in key order (classification).</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>The positive class (binary).</summary>
    public string? PositiveClass { get; init; }

    /// <summary>The success metric's name.</summary>
    public string Metric { get; init; } = "";

    /// <summary>Its direction.</summary>
    public bool HigherIsBetter { get; init; }

    /// <summary>Why that metric.</summary>
    public string MetricReason { get; init; } = "";

    /// <summary>The best baseline's name.</summary>
    public string BaselineName { get; init; } = "";

    /// <summary>The best baseline's validation value (mean over the folds).</summary>
    public double BaselineValidation { get; init; }

    /// <summary>The baseline's value of the metric on the test split.</summary>
    public double Baseline { get; init; }

    /// <summary>The baseline's test metrics.</summary>
    public IReadOnlyDictionary<string, double> BaselineTestMetrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The final model's value of the metric on the test split.</summary>
    public double Test { get; init; }

    /// <summary>All the final model's test metrics.</summary>
    public IReadOnlyDictionary<string, double> TestMetrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The chosen candidate.</summary>
    public string Chosen { get; init; } = "";

    /// <summary>Epochs of the final network fit (the chosen candidate's mean best epoch), or null.</summary>
    public int? FinalEpochs { get; init; }

    /// <summary>Boosting rounds of the final trees fit (the chosen candidate's mean best round), or null.</summary>
    public int? FinalRounds { get; init; }

    /// <summary>Rows in the data, with a label, for training and validation, and in the test split.</summary>
    public int Rows { get; init; }

    /// <inheritdoc cref="Rows"/>
    public int LabelledRows { get; init; }

    /// <inheritdoc cref="Rows"/>
    public int DevelopmentRows { get; init; }

    /// <inheritdoc cref="Rows"/>
    public int TestRows { get; init; }

    /// <summary>The protocol.</summary>
    public EvaluationProtocol Protocol { get; init; } = null!;

    /// <summary>Every input column with its kind and reason (feature validity).</summary>
    public IReadOnlyList<ColumnSummary> Columns { get; init; } = [];

    /// <summary>The preparation steps.</summary>
    public IReadOnlyList<string> Preparation { get; init; } = [];

    /// <summary>Slots of the prepared feature vector (before any filter selection) and kept.</summary>
    public int FeatureSlots { get; init; }

    /// <inheritdoc cref="FeatureSlots"/>
    public int KeptSlots { get; init; }

    /// <summary>Test rows whose prepared features repeat a training row exactly (leakage check).</summary>
    public int LeakedTestRows { get; init; }

    /// <summary>Every candidate evaluated.</summary>
    public IReadOnlyList<CandidateResult> Candidates { get; init; } = [];

    /// <summary>Candidates of the schedule not evaluated (the time budget, or no trainer for the task), with the reason.</summary>
    public IReadOnlyList<SkippedCandidate> Skipped { get; init; } = [];

    /// <summary>Where the time budget stopped the candidate schedule, or null when the schedule ran to its end.</summary>
    public string? BudgetStop { get; init; }

    /// <summary>The final model on the test rows beyond its metrics: confusion matrix, curves, predicted values, permutation importance.</summary>
    public TestDiagnostics Diagnostics { get; init; } = new();

    /// <summary>Versions and machine of the run.</summary>
    public RunEnvironment? Environment { get; init; }

    /// <summary>The steps as they ran.</summary>
    public IReadOnlyList<WorkflowStep> Steps { get; init; } = [];

    /// <summary>Wall time of the run.</summary>
    public double Seconds { get; init; }

    /// <summary>The time budget in seconds.</summary>
    public double BudgetSeconds { get; init; }

    /// <summary>The seed.</summary>
    public int Seed { get; init; }

    /// <summary>Whether the final model beats the baseline on the test split.</summary>
    public bool BeatsBaseline => HigherIsBetter ? Test > Baseline : Test < Baseline;

    /// <summary>The report as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    public static WorkflowReport FromJson(string json) =>
        JsonSerializer.Deserialize<WorkflowReport>(json, JsonOptions) ?? throw new InvalidDataException("The report JSON is empty.");

    /// <summary>The report as Markdown; plots are referenced as candidates.png and curves.png next to it.</summary>
    public string ToMarkdown() => MarkdownReport.Write(this);

    /// <summary>The report as one HTML page with the plots embedded.</summary>
    public string ToHtml() => HtmlReport.Write(this);

    /// <summary>Writes report.md, report.html, report.json, candidates.png, curves.png and the test pictures the task has (confusion.png, roc-pr.png, regression.png, importance.png) into a folder.</summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "report.json"), ToJson());
        File.WriteAllBytes(Path.Combine(folder, "candidates.png"), ReportPlots.Candidates(this));
        File.WriteAllBytes(Path.Combine(folder, "curves.png"), ReportPlots.Curves(this));
        foreach (var (file, _, png) in ReportPlots.TestPictures(this))
            File.WriteAllBytes(Path.Combine(folder, file), png);
        File.WriteAllText(Path.Combine(folder, "report.md"), ToMarkdown());
        File.WriteAllText(Path.Combine(folder, "report.html"), ToHtml());
    }
}

/// <summary>A candidate the time budget left out.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Description">Its configuration.</param>
/// <param name="Reason">Why.</param>
public sealed record SkippedCandidate(string Name, string Description, string Reason);
