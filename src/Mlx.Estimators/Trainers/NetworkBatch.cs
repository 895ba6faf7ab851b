using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Batching;
using Mlx.Core.Data;

namespace Mlx.Estimators;

/// <summary>
/// One cursor's batch of rows through a trained network: features are copied into a reused buffer, one
/// forward pass maps the batch, and the task's columns are read from the outputs (sigmoid / softmax applied
/// here with SIMD). Also serves the row-by-row path as a batch of one. A batch whose first row is a sparse vector
/// at most 5 % non-zero is kept sparse and scored by the first Dense layer on its non-zeros (as in training):
/// scoring 25,000 bag-of-words rows of 10,000 slots otherwise densifies 1 GB.
/// </summary>
internal sealed class NetworkBatch : IBatchRowMapper
{
    private readonly NeuralNetworkModel _model;
    private readonly Func<ReadOnlySpan<float>>? _read;
    private readonly ValueGetter<VBuffer<float>>? _readVector;
    private readonly Func<ReadOnlySpan<float>>? _readSequence; // variable-length token ids
    private readonly List<(int Index, float[] Ids)> _longRows = [];
    private readonly SparseRows? _sparse;
    private VBuffer<float> _vector;
    private bool _batchIsSparse;
    private float[]? _input; // made on the first dense batch (1,024 × 10,000 floats is 40 MB)
    private readonly float[] _output;
    private readonly int _d, _k, _capacity;

    public NetworkBatch(NeuralNetworkModel model, DataViewRow source, int capacity)
    {
        _model = model;
        var column = source.Schema[model.FeatureColumnName];
        _d = model.FeatureSize;
        if (model.AcceptsSparseInput && column.Type is VectorDataViewType && model.InputShape == null)
        {
            _readVector = source.GetGetter<VBuffer<float>>(column);
            _sparse = new SparseRows(_d, capacity, perRow: Math.Max(1, (int)(SparseRows.AutoDensity * _d)));
        }
        else if (model.VariableLength)
        {
            _readSequence = FeatureColumn.SequenceReader(source, column);
        }
        else
        {
            _read = FeatureColumn.Reader(source, column, model.FeatureSize);
        }
        _k = model.Outputs;
        _capacity = capacity;
        _output = new float[capacity * _k];
    }

    private float[] Input => _input ??= new float[_capacity * _d];

    public void Stage(int index)
    {
        if (_readSequence is not null)
        {
            // Padded with 0 to the training length; a longer row is kept aside and scored alone (its slot here stays padding).
            if (index == 0)
                _longRows.Clear();
            var ids = _readSequence();
            var slot = Input.AsSpan(index * _d, _d);
            if (ids.Length > _d)
            {
                _longRows.Add((index, ids.ToArray()));
                slot.Clear();
                return;
            }
            ids.CopyTo(slot);
            slot[ids.Length..].Clear();
            return;
        }
        if (_readVector is null)
        {
            _read!().CopyTo(Input.AsSpan(index * _d, _d));
            return;
        }
        _readVector(ref _vector);
        if (index == 0)
        {
            _batchIsSparse = !_vector.IsDense && _vector.GetValues().Length <= SparseRows.AutoDensity * _d;
            _sparse!.Clear();
        }
        if (!_batchIsSparse)
            _vector.CopyTo(Input.AsSpan(index * _d, _d));
        else if (_vector.IsDense)
            _sparse!.AddDense(_vector.GetValues());
        else
            _sparse!.Add(_vector.GetIndices(), _vector.GetValues());
    }

    public void Run(int count)
    {
        if (_batchIsSparse)
            _model.Forward(_sparse!, count, _output);
        else
            _model.Forward(Input.AsSpan(0, count * _d), count, _output);
        foreach (var (index, ids) in _longRows)
            _model.Forward(ids, 1, ids.Length, _output.AsSpan(index * _k, _k));
    }

    public Delegate GetGetter(int output, Func<int> index)
    {
        switch (_model.Task, output)
        {
            case (NeuralNetworkTask.BinaryClassification, 0):
            case (NeuralNetworkTask.Regression, 0):
                return (ValueGetter<float>)((ref float v) => v = _output[index()]);
            case (NeuralNetworkTask.BinaryClassification, 1):
                return (ValueGetter<float>)((ref float v) => v = 1f / (1f + MathF.Exp(-_output[index()])));
            case (NeuralNetworkTask.BinaryClassification, 2):
                return (ValueGetter<bool>)((ref bool v) => v = _output[index()] > 0);
            case (NeuralNetworkTask.MulticlassClassification, 0):
                return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
                {
                    var editor = VBufferEditor.Create(ref v, _k);
                    TensorPrimitives.SoftMax(_output.AsSpan(index() * _k, _k), editor.Values);
                    v = editor.Commit();
                });
            case (NeuralNetworkTask.MulticlassClassification, 1):
                return (ValueGetter<uint>)((ref uint v) => v = (uint)Argmax.Of(_output.AsSpan(index() * _k, _k)) + 1);
            case (NeuralNetworkTask.MultilabelClassification, 0):
            case (NeuralNetworkTask.VectorRegression, 0):
                return Vector<float>((source, destination) => source.CopyTo(destination));
            case (NeuralNetworkTask.MultilabelClassification, 1):
                return Vector<float>((source, destination) => TensorPrimitives.Sigmoid(source, destination));
            case (NeuralNetworkTask.MultilabelClassification, 2):
                return Vector<bool>((source, destination) =>
                {
                    for (int j = 0; j < source.Length; j++)
                        destination[j] = source[j] > 0;
                });
            default:
                throw new ArgumentOutOfRangeException(nameof(output), output, $"{_model.Task} has no output {output}.");
        }

        // A vector column computed from the row's K outputs.
        ValueGetter<VBuffer<T>> Vector<T>(SpanMap<T> map) => (ref VBuffer<T> v) =>
        {
            var editor = VBufferEditor.Create(ref v, _k);
            map(_output.AsSpan(index() * _k, _k), editor.Values);
            v = editor.Commit();
        };
    }

    public void Dispose()
    {
    }

    private delegate void SpanMap<T>(ReadOnlySpan<float> source, Span<T> destination);
}
