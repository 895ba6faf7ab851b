using Microsoft.ML;

namespace Mlx.Cli;

/// <summary>Which exceptions are the user's input (exit code 1, the message only) rather than a failure of mlx (exit code 4, the stack).</summary>
internal static class CommandErrors
{
    public static bool IsInputError(Exception e) => e is ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
        or InvalidOperationException or FormatException or UnauthorizedAccessException or NotSupportedException
        || e.InnerException is { } inner && IsInputError(inner);

    /// <summary>The innermost useful message: ML.NET wraps component errors.</summary>
    public static string Message(Exception e)
    {
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (!message.Contains(inner.Message, StringComparison.Ordinal))
                message += " — " + inner.Message;
        return message;
    }
}
