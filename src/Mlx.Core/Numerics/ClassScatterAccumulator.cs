using Mlx.Core.Data;

namespace Mlx.Core.Numerics;

/// <summary>
/// One <see cref="ScatterAccumulator"/> per class: rows of incoming blocks are routed by their class code
/// (<see cref="RowBlock.Labels"/>) into per-class staging blocks, which are reduced when full. Memory is
/// classes × (d×d + one block), independent of the row count.
/// </summary>
public sealed class ClassScatterAccumulator
{
    private readonly int _d;
    private readonly int _blockRows;
    private readonly List<ScatterAccumulator> _classes = new();
    private readonly List<RowBlock> _staging = new();

    /// <summary>Creates an accumulator for rows of <paramref name="dimension"/> values.</summary>
    public ClassScatterAccumulator(int dimension)
    {
        _d = dimension;
        _blockRows = RowBlockReader.BlockRowsFor(dimension);
    }

    /// <summary>Adds a block's rows to their classes.</summary>
    public void Add(RowBlock block)
    {
        for (int r = 0; r < block.Rows; r++)
        {
            int c = block.Labels[r];
            while (_classes.Count <= c)
            {
                _classes.Add(new ScatterAccumulator(_d));
                _staging.Add(new RowBlock(_d, _blockRows));
            }
            var stage = _staging[c];
            int row = stage.Rows;
            for (int j = 0; j < _d; j++)
                stage.Values[j * _blockRows + row] = block.Values[j * block.Capacity + r];
            stage.Rows = row + 1;
            if (stage.Rows == _blockRows)
                Flush(c);
        }
    }

    /// <summary>Reduces what is staged; returns the per-class accumulators indexed by class code.</summary>
    public IReadOnlyList<ScatterAccumulator> Finish()
    {
        for (int c = 0; c < _classes.Count; c++)
            Flush(c);
        return _classes;
    }

    private void Flush(int c)
    {
        _classes[c].Add(_staging[c]);
        _staging[c].Rows = 0;
    }
}
