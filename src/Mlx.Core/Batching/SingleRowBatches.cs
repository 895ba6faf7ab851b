using System.Runtime.CompilerServices;
using Microsoft.ML;

namespace Mlx.Core.Batching;

/// <summary>
/// The row-by-row path (PredictionEngine, ML.NET's row mappers) through a batch mapper: each input row gets one
/// batch of one, staged and run once per row position however many of its output columns are read (ML.NET asks
/// for each output column's getter separately, with the same input row).
/// </summary>
public sealed class SingleRowBatches
{
    private readonly ConditionalWeakTable<DataViewRow, Entry> _entries = new();
    private readonly BatchRowMapperFactory _create;

    /// <summary>Creates the per-row batches with <paramref name="create"/> (called with a capacity of 1).</summary>
    public SingleRowBatches(BatchRowMapperFactory create) => _create = create;

    /// <summary>A getter of output <paramref name="output"/> for <paramref name="input"/>; the disposer releases the row's batch.</summary>
    public Delegate MakeGetter(DataViewRow input, int output, out Action disposer)
    {
        var entry = _entries.GetValue(input, row => new Entry(row, _create(row, 1)));
        disposer = entry.Dispose;
        return entry.Mapper.GetGetter(output, entry.Current);
    }

    private sealed class Entry
    {
        private readonly DataViewRow _row;
        private long _position = -1;
        private bool _disposed;

        public Entry(DataViewRow row, IBatchRowMapper mapper)
        {
            _row = row;
            Mapper = mapper;
        }

        public IBatchRowMapper Mapper { get; }

        /// <summary>Maps the row the first time one of its outputs is read at this position; the batch index is always 0.</summary>
        public int Current()
        {
            if (_row.Position != _position)
            {
                Mapper.Stage(0);
                Mapper.Run(1);
                _position = _row.Position;
            }
            return 0;
        }

        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            Mapper.Dispose();
        }
    }
}
