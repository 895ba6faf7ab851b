namespace Mlx.Workflow;

/// <summary>One step of the book's workflow as it ran: its number, name and what was decided, in lines.</summary>
/// <param name="Number">1 to 7.</param>
/// <param name="Name">The book's name of the step.</param>
/// <param name="Lines">What was found or decided.</param>
/// <param name="Seconds">Wall time of the step.</param>
public sealed record WorkflowStep(int Number, string Name, IReadOnlyList<string> Lines, double Seconds);
