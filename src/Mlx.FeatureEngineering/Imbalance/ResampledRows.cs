namespace Mlx.FeatureEngineering;

/// <summary>
/// The rows a resampling outputs, written once into the arrays the output view reads: copies of source rows (features
/// and label value) and synthetic rows filled in place, with no array per row.
/// </summary>
internal sealed class ResampledRows<TLabel>(LabeledRows<TLabel> source, int capacity)
{
    private readonly int _dimension = source.Dimension;
    private readonly float[] _features = new float[(long)capacity * source.Dimension];
    private readonly TLabel[] _labels = new TLabel[capacity];

    /// <summary>Rows written so far.</summary>
    public int Count { get; private set; }

    /// <summary>Appends a copy of source row <paramref name="row"/>.</summary>
    public void Copy(int row)
    {
        source.Row(row).CopyTo(_features.AsSpan(Count * _dimension, _dimension));
        _labels[Count++] = source.Labels[row];
    }

    /// <summary>Appends every source row in order (one block copy).</summary>
    public void CopyAll()
    {
        source.Features.AsSpan().CopyTo(_features.AsSpan(Count * _dimension));
        source.Labels.AsSpan().CopyTo(_labels.AsSpan(Count));
        Count += source.Count;
    }

    /// <summary>Appends a synthetic row labelled as source row <paramref name="labelOf"/>; returns its features to fill.</summary>
    public Span<float> Add(int labelOf)
    {
        _labels[Count] = source.Labels[labelOf];
        return _features.AsSpan(Count++ * _dimension, _dimension);
    }

    /// <summary>The rows as a data view with the source's feature and label columns.</summary>
    public ResampledDataView<TLabel> ToDataView(Microsoft.ML.DataViewSchema.Column featureColumn, Microsoft.ML.DataViewSchema.Column labelColumn) =>
        new(featureColumn, labelColumn, _features, _dimension, _labels, Count);
}
