using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Mlx.Workflow.Tests.Data;

public sealed class CsvDatasetTests : IDisposable
{
    private static readonly MLContext Ml = new(1);
    private readonly string _folder = Directory.CreateTempSubdirectory("mlx-csv-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Numbers_load_as_Single_with_empty_as_NaN_and_the_rest_as_text_with_quotes_handled()
    {
        var csv = CsvDataset.Load(Ml, Write("x,name,note\n1.5,a,\"hello, world\"\n,b,\"say \"\"hi\"\"\"\n-2e3,c,plain\n"));
        Assert.Equal(["x", "name", "note"], csv.ColumnNames);
        Assert.Equal([DataKind.Single, DataKind.String, DataKind.String], csv.Kinds);
        Assert.Equal(3, csv.Rows);
        Assert.Equal([1.5f, float.NaN, -2000f], csv.Data.GetColumn<float>("x").ToArray());
        Assert.Equal(["hello, world", "say \"hi\"", "plain"], csv.Data.GetColumn<ReadOnlyMemory<char>>("note").Select(m => m.ToString()).ToArray());
    }

    [Fact]
    public void A_model_schema_gives_the_types_by_name_whatever_the_column_order()
    {
        var train = CsvDataset.Load(Ml, Write("code,y\n1,2\n3,4\n"));
        var schema = new DataViewSchema.Builder();
        schema.AddColumn("code", TextDataViewType.Instance);
        schema.AddColumn("y", NumberDataViewType.Single);
        var other = CsvDataset.Load(Ml, Write("y,code\n5,7\n"), schema.ToSchema());
        Assert.Equal([DataKind.Single, DataKind.String], other.Kinds);
        Assert.Equal("7", other.Data.GetColumn<ReadOnlyMemory<char>>("code").Single().ToString());
        Assert.Equal(DataKind.Single, train.Kinds[0]);
    }

    [Fact]
    public void Bad_files_fail_with_the_line_and_the_fix()
    {
        Assert.Contains("line 3 has 3 fields where the header has 2", Assert.Throws<InvalidDataException>(() => CsvDataset.Load(Ml, Write("a,b\n1,2\n1,2,3\n"))).Message);
        Assert.Contains("no data rows", Assert.Throws<InvalidDataException>(() => CsvDataset.Load(Ml, Write("a,b\n"))).Message);
        Assert.Contains("is empty", Assert.Throws<InvalidDataException>(() => CsvDataset.Load(Ml, Write(""))).Message);
        Assert.Contains("names column 'a' twice", Assert.Throws<InvalidDataException>(() => CsvDataset.Load(Ml, Write("a,a\n1,2\n"))).Message);
        Assert.Contains("malformed", Assert.Throws<InvalidDataException>(() => CsvDataset.Load(Ml, Write("a,b\n\"1,2\n3,4\n"))).Message);
        Assert.Throws<FileNotFoundException>(() => CsvDataset.Load(Ml, Path.Combine(_folder, "missing.csv")));
    }
}
