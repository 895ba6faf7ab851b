using Xunit;

namespace Mlx.TestSupport;

/// <summary>Exception assertions that see through ML.NET's wrapping.</summary>
public static class Throws
{
    /// <summary>
    /// Asserts that <paramref name="action"/> throws <typeparamref name="T"/>, either directly or as an inner
    /// exception: ML.NET's parallel cursors rethrow a row's exception wrapped in an InvalidOperationException
    /// ("Splitter/consolidator worker encountered exception"), with the original one inside.
    /// </summary>
    public static T Within<T>(Action action) where T : Exception
    {
        var thrown = Assert.ThrowsAny<Exception>(action);
        for (var e = thrown; e != null; e = e.InnerException)
        {
            if (e is T match)
                return match;
        }
        throw new Xunit.Sdk.XunitException($"Expected {typeof(T).Name} in the exception chain, got: {thrown}");
    }
}
