using Mlx.TestSupport;
using Xunit;

namespace Mlx.Workflow.Tests.Cli;

/// <summary>Runs the mlx tool (mlx.dll, copied beside the tests by their project reference to src/Mlx.Cli) as a process.</summary>
internal static class MlxProcess
{
    public static DotnetProcess.Result Invoke(params string[] arguments)
    {
        string tool = Path.Combine(AppContext.BaseDirectory, "mlx.dll");
        Assert.True(File.Exists(tool), $"{tool} not found: the test project must reference src/Mlx.Cli.");
        // A wide console: lines are not wrapped (output is redirected, so no progress bar is drawn).
        return DotnetProcess.Run(tool, arguments, new Dictionary<string, string> { ["COLUMNS"] = "200" }, timeoutMilliseconds: 300_000);
    }
}
