using System.Diagnostics;
using Microsoft.ML.Runtime;

namespace Mlx.Workflow;

/// <summary>Collects the lines of the workflow's steps with their wall times, and sends each line to the progress callback and ML.NET's log channel.</summary>
internal sealed class StepRecorder(IChannel channel, IProgress<WorkflowProgress>? progress, TimeSpan budget)
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly List<WorkflowStep> _steps = [];
    private List<string> _lines = [];
    private (int Number, string Name)? _current;
    private TimeSpan _stepStart;

    public IReadOnlyList<WorkflowStep> Steps => _steps;

    public TimeSpan Elapsed => _watch.Elapsed;

    public void Begin(int number, string name)
    {
        End();
        _current = (number, name);
        _lines = [];
        _stepStart = _watch.Elapsed;
        channel.Info($"Step {number}: {name}");
        progress?.Report(new WorkflowProgress(number, name, "", _watch.Elapsed, budget));
    }

    public void Line(string line)
    {
        _lines.Add(line);
        channel.Info(line);
        progress?.Report(new WorkflowProgress(_current?.Number ?? 0, _current?.Name ?? "", line, _watch.Elapsed, budget));
    }

    public void End()
    {
        if (_current is { } c)
            _steps.Add(new WorkflowStep(c.Number, c.Name, _lines.ToArray(), (_watch.Elapsed - _stepStart).TotalSeconds));
        _current = null;
    }
}
