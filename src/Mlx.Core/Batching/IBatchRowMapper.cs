using Microsoft.ML;

namespace Mlx.Core.Batching;

/// <summary>
/// The work of a batched column map, owned by one cursor: rows are staged one by one (while the
/// cursor reads ahead), then mapped together, then handed out one by one. Implementations keep
/// their buffers between batches so that nothing is allocated per row.
/// </summary>
public interface IBatchRowMapper : IDisposable
{
    /// <summary>Copies the input of the source row the cursor is on into batch position <paramref name="index"/>.</summary>
    void Stage(int index);

    /// <summary>Maps the first <paramref name="count"/> staged rows.</summary>
    void Run(int count);

    /// <summary>
    /// A getter of output column <paramref name="output"/> (in the order the view was given them) that reads the
    /// batch position <paramref name="index"/> returns at call time.
    /// </summary>
    Delegate GetGetter(int output, Func<int> index);
}

/// <summary>Creates the per-cursor mapper, given the source row it stages from.</summary>
/// <param name="source">The source cursor; the mapper takes its getters once.</param>
/// <param name="batchSize">The most rows a batch will hold.</param>
public delegate IBatchRowMapper BatchRowMapperFactory(DataViewRow source, int batchSize);
