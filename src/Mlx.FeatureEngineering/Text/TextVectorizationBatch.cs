using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Batching;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Vectorizes a cursor's texts a batch at a time, the batch split over the cores (one <see cref="TextRowEncoder"/> per
/// part): ML.NET's row mappers see one row per call, so a single cursor — what most consumers open — would tokenize on one
/// core. Outputs are kept per part as flat lists (ids, or slots and values, with each row's start) and handed out row by row.
/// </summary>
internal sealed class TextVectorizationBatch : IBatchRowMapper
{
    private readonly ValueGetter<ReadOnlyMemory<char>> _read;
    private readonly ReadOnlyMemory<char>[] _texts;
    private readonly Part[] _parts;
    private readonly bool _ids;
    private readonly int _slots;
    private int _count;

    public TextVectorizationBatch(DataViewRow source, string inputColumn, int capacity, Func<TextRowEncoder> createEncoder, bool ids, int slots)
    {
        _read = source.GetGetter<ReadOnlyMemory<char>>(source.Schema[inputColumn]);
        _texts = new ReadOnlyMemory<char>[capacity];
        _ids = ids;
        _slots = slots;
        _parts = Enumerable.Range(0, Math.Clamp(Environment.ProcessorCount, 1, 8)).Select(_ => new Part(createEncoder())).ToArray();
    }

    public void Stage(int index) => _read(ref _texts[index]);

    public void Run(int count)
    {
        _count = count;
        // Parts of at least 64 texts: fewer are not worth a thread.
        int parts = Math.Clamp(count / 64, 1, _parts.Length);
        if (parts == 1)
            Encode(0, 0, count);
        else
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p => Encode(p, p * count / parts, (p + 1) * count / parts));
        for (int p = parts; p < _parts.Length; p++)
            _parts[p].Clear(count);
    }

    // Optimized at once, as the encoder's methods: a transform runs it a few dozen times, too few for tiered compilation.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Encode(int part, int first, int last)
    {
        var o = _parts[part];
        o.Clear(first);
        for (int row = first; row < last; row++)
        {
            o.Starts.Add(_ids ? o.Ids.Count : o.Indices.Count);
            if (_ids)
                o.Encoder.AppendIds(_texts[row].Span, o.Ids);
            else
                o.Encoder.AppendSlots(_texts[row].Span, o.Indices, o.Values);
        }
        o.Starts.Add(_ids ? o.Ids.Count : o.Indices.Count);
    }

    public Delegate GetGetter(int output, Func<int> index)
    {
        if (_ids)
        {
            return (ValueGetter<VBuffer<uint>>)((ref VBuffer<uint> value) =>
            {
                var (part, start, length) = Locate(index());
                var editor = VBufferEditor.Create(ref value, length);
                CollectionsMarshal.AsSpan(part.Ids).Slice(start, length).CopyTo(editor.Values);
                value = editor.Commit();
            });
        }
        return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            var (part, start, length) = Locate(index());
            value = TextRowEncoder.Vector(ref value, _slots, CollectionsMarshal.AsSpan(part.Indices).Slice(start, length), CollectionsMarshal.AsSpan(part.Values).Slice(start, length));
        });
    }

    // The part holding row `row` of the batch, and where the row's outputs start and how many there are.
    private (Part Part, int Start, int Length) Locate(int row)
    {
        foreach (var part in _parts)
        {
            if (row >= part.First && row < part.First + part.Starts.Count - 1)
            {
                int i = row - part.First;
                return (part, part.Starts[i], part.Starts[i + 1] - part.Starts[i]);
            }
        }
        throw new InvalidOperationException($"Row {row} of a batch of {_count} was not vectorized.");
    }

    public void Dispose()
    {
    }

    private sealed class Part(TextRowEncoder encoder)
    {
        public TextRowEncoder Encoder { get; } = encoder;
        public int First { get; private set; }
        public List<int> Starts { get; } = [];
        public List<uint> Ids { get; } = [];
        public List<int> Indices { get; } = [];
        public List<float> Values { get; } = [];

        public void Clear(int first)
        {
            First = first;
            Starts.Clear();
            Ids.Clear();
            Indices.Clear();
            Values.Clear();
        }
    }
}
