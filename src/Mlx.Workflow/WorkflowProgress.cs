namespace Mlx.Workflow;

/// <summary>A progress report of <see cref="WorkflowRunner"/>.</summary>
/// <param name="Step">The book's step, 1 to 7.</param>
/// <param name="StepName">Its name.</param>
/// <param name="Message">What happened.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Budget">The run's time budget.</param>
public sealed record WorkflowProgress(int Step, string StepName, string Message, TimeSpan Elapsed, TimeSpan Budget);
