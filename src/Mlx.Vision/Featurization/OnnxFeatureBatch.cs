using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Mlx.Core.Batching;
using Mlx.Core.Errors;

namespace Mlx.Vision;

/// <summary>
/// One cursor's batch of images on their way through the backbone: pixels are normalised straight into
/// a reused input buffer, and ONNX Runtime writes the features into a reused output buffer (both wrapped
/// as <see cref="OrtValue"/>s once), so a batch costs one <c>Run</c> and no allocation.
/// </summary>
internal sealed class OnnxFeatureBatch : IBatchRowMapper
{
    private readonly FeaturizeImageTransformer _parent;
    private readonly DataViewRow _source;
    private readonly ValueGetter<MLImage>? _image;
    private readonly ValueGetter<VBuffer<float>>? _pixels;
    private readonly float[] _input, _output;
    private readonly int _inputLength, _featureSize;
    private readonly OrtValue _fullInput, _fullOutput;
    private readonly int _capacity;
    private readonly string[] _inputNames, _outputNames;
    private readonly RunOptions _runOptions = new();
    private readonly Microsoft.ML.Runtime.IChannel _log;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private long _featurized;
    private double _lastReport;
    private MLImage? _currentImage;
    private readonly (string Name, ValueGetter<ReadOnlyMemory<char>> Get)[] _describe;
    private readonly bool[] _bad;
    private VBuffer<float> _currentPixels;
    private float[]? _dense;

    public OnnxFeatureBatch(FeaturizeImageTransformer parent, DataViewRow source, int capacity)
    {
        _parent = parent;
        _source = source;
        _capacity = capacity;
        var column = source.Schema[parent.InputColumnName];
        if (parent.InputIsImage)
            _image = source.GetGetter<MLImage>(column);
        else
            _pixels = source.GetGetter<VBuffer<float>>(column);
        _describe = FeaturizeImageTransformer.DescriptiveColumns(source.Schema)
            .Select(i => source.Schema[i]).Where(source.IsColumnActive)
            .Select(c => (c.Name, source.GetGetter<ReadOnlyMemory<char>>(c))).ToArray();
        _bad = new bool[capacity];
        var backbone = parent.Backbone;
        _inputLength = backbone.Channels * backbone.Height * backbone.Width;
        _featureSize = backbone.FeatureSize;
        _input = new float[capacity * _inputLength];
        _output = new float[capacity * _featureSize];
        _fullInput = InputValue(capacity);
        _fullOutput = OutputValue(capacity);
        _log = parent.Host.Start("FeaturizeImage");
        _inputNames = new[] { backbone.InputName };
        _outputNames = new[] { backbone.OutputName };
    }

    public void Stage(int index)
    {
        var destination = _input.AsSpan(index * _inputLength, _inputLength);
        _bad[index] = false;
        if (_image != null)
        {
            if (!TryReadImage(out string? problem))
            {
                string message = _parent.BadImageMessage(_source.Position, problem!, DescribeRow());
                if (_parent.BadImages == BadImageHandling.Fail)
                    throw new InvalidOperationException(message);
                _log.Warning(Microsoft.ML.Runtime.MessageSensitivity.None, message);
                _bad[index] = true;
                destination.Clear();
                return;
            }
            _parent.CheckImage(_currentImage, _source.Position);
            _parent.Normalizer.Write(_currentImage!, destination);
        }
        else
        {
            _pixels!(ref _currentPixels);
            if (_currentPixels.Length != _inputLength)
                throw MlxError.WrongColumnType(_parent.InputColumnName, $"a vector of {_inputLength} pixel values", $"a vector of {_currentPixels.Length}", "Extract pixels of images resized to the backbone's size.");
            ReadOnlySpan<float> dense = _currentPixels.GetValues();
            if (!_currentPixels.IsDense)
            {
                _dense ??= new float[_inputLength];
                _currentPixels.CopyTo(_dense);
                dense = _dense;
            }
            _parent.Normalizer.Write(dense, destination);
        }
    }

    /// <summary>Reads the row's image; false (with the reason) when the file cannot be decoded or there is no image.</summary>
    private bool TryReadImage(out string? problem)
    {
        try
        {
            _image!(ref _currentImage!);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // ML.NET's LoadImages throws while decoding (SkiaSharp: "Invalid input stream contents") or opening the file.
            problem = $"the image could not be read ({e.GetType().Name}: {e.Message})";
            return false;
        }
        problem = _currentImage == null ? "the image is missing (null)" : null;
        return _currentImage != null;
    }

    /// <summary>The row's text values (e.g. Path = 'photos/cat.png'), to name it in messages.</summary>
    private string DescribeRow()
    {
        var parts = new List<string>(_describe.Length);
        foreach (var (name, get) in _describe)
        {
            ReadOnlyMemory<char> value = default;
            get(ref value);
            parts.Add($"{name} = '{value}'");
        }
        return string.Join(", ", parts);
    }

    public void Run(int count)
    {
        if (count == _capacity)
        {
            _parent.Session.Run(_runOptions, _inputNames, new[] { _fullInput }, _outputNames, new[] { _fullOutput });
        }
        else
        {
            using var input = InputValue(count);
            using var output = OutputValue(count);
            _parent.Session.Run(_runOptions, _inputNames, new[] { input }, _outputNames, new[] { output });
        }
        ReportProgress(count);
    }

    // Progress on ML.NET's log channel (mlContext.Log), about once a second.
    private void ReportProgress(int count)
    {
        _featurized += count;
        double seconds = _clock.Elapsed.TotalSeconds;
        if (seconds - _lastReport < 1 || _capacity == 1)
            return;
        _lastReport = seconds;
        _log.Info(Microsoft.ML.Runtime.MessageSensitivity.None, $"{_parent.Backbone.Name}: {_featurized} images featurized ({_featurized / seconds:F1} images/s)");
    }

    public ReadOnlySpan<float> Result(int index) => _output.AsSpan(index * _featureSize, _featureSize);

    public Delegate GetGetter(int output, Func<int> index) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
    {
        int i = index();
        var editor = VBufferEditor.Create(ref value, _featureSize);
        if (_bad[i])
            editor.Values.Fill(float.NaN); // BadImageHandling.MissingFeatures
        else
            Result(i).CopyTo(editor.Values);
        value = editor.Commit();
    });

    private OrtValue InputValue(int count)
    {
        var b = _parent.Backbone;
        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _input.AsMemory(0, count * _inputLength),
            new long[] { count, b.Channels, b.Height, b.Width });
    }

    private OrtValue OutputValue(int count) =>
        OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _output.AsMemory(0, count * _featureSize),
            new long[] { count }.Concat(_parent.Backbone.OutputDimensions).ToArray());

    public void Dispose()
    {
        _fullInput.Dispose();
        _fullOutput.Dispose();
        _runOptions.Dispose();
        _log.Dispose();
    }
}
