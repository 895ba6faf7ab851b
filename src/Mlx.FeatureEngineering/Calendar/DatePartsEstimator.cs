using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.Core.Errors;

namespace Mlx.FeatureEngineering;

/// <summary>Creates a <see cref="DatePartsTransformer"/> (nothing is learnt: fitting checks the column).</summary>
public sealed class DatePartsEstimator : IEstimator<DatePartsTransformer>
{
    private readonly IHost _host;
    private readonly string _output;
    private readonly string _input;

    internal DatePartsEstimator(IHostEnvironment env, string outputColumnName, string? inputColumnName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        _host = env.Register(nameof(DatePartsEstimator));
        _output = outputColumnName;
        _input = inputColumnName ?? outputColumnName;
    }

    /// <summary>Checks the column and returns the transformer.</summary>
    public DatePartsTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = input.Schema.GetColumnOrNull(_input) ?? throw MlxError.MissingColumn(_input, input.Schema.Select(c => c.Name), "inputColumnName");
        DatePartsTransformer.Check(column);
        return new DatePartsTransformer(_host, _output, _input);
    }

    /// <summary>The output: a vector of <see cref="DatePartsTransformer.PartNames"/> Single slots with slot names.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (!inputSchema.TryFindColumn(_input, out var column))
            throw MlxError.MissingColumn(_input, inputSchema.Select(c => c.Name), "inputColumnName");
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not (TextDataViewType or DateTimeDataViewType or DateTimeOffsetDataViewType))
            throw MlxError.WrongColumnType(_input, "a scalar text, DateTime or DateTimeOffset column", $"{column.ItemType}", "Pass the column holding the dates.");
        var result = inputSchema.ToDictionary(c => c.Name);
        result[_output] = new SchemaShape.Column(_output, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false,
            new SchemaShape([new SchemaShape.Column(AnnotationUtils.Kinds.SlotNames, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false)]));
        return new SchemaShape(result.Values);
    }
}
