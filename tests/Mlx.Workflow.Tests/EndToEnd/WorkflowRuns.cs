using Xunit;

namespace Mlx.Workflow.Tests.EndToEnd;

/// <summary>
/// The tests that run whole workflows (in-process or through the CLI) share one collection: they run one after the
/// other, so that each gets the machine's cores and its time budget means what it says.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkflowRuns
{
    public const string Name = "workflow runs";
}
