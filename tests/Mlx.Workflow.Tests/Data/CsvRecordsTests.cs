using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Mlx.Workflow.Tests.Data;

/// <summary>RFC 4180 records with their raw text: quoted separators, quotes, line breaks and blank lines inside quotes, padded fields, CRLF.</summary>
public sealed class CsvRecordsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlx-csv-records-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Text =
        "id,note,x\r\n" +
        "1,\"two\n\nlines, a comma\",0.5\r\n" +
        "\r\n" +
        "2,  padded  ,  7 \r\n" +
        "3,\"say \"\"hi\"\"\",1e3\n" +
        "4,plain,-2";

    [Fact]
    public void Fields_and_raw_text_are_exactly_the_files()
    {
        var records = CsvRecords.Read(new StringReader(Text), ',', "t.csv").ToArray();
        Assert.Equal(5, records.Length);
        Assert.Equal(["1", "two\n\nlines, a comma", "0.5"], records[1].Fields);
        Assert.Equal("1,\"two\n\nlines, a comma\",0.5", records[1].Raw);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(["2", "  padded  ", "  7 "], records[2].Fields);
        Assert.Equal(6, records[2].Line);
        Assert.Equal(["3", "say \"hi\"", "1e3"], records[3].Fields);
        Assert.Equal("\n", records[3].Ending);
        Assert.Equal("", records[4].Ending);
        Assert.Throws<InvalidDataException>(() => CsvRecords.Read(new StringReader("a,b\n1,\"open"), ',', "t.csv").ToArray());
    }

    [Fact]
    public void Copied_records_are_byte_for_byte_the_sources_and_load_alike()
    {
        var source = Path.Combine(_folder, "source.csv");
        File.WriteAllText(source, Text);
        var copy = Path.Combine(_folder, "copy.csv");
        CsvRecords.CopyRecords(source, copy, ',', [0, 1, 3]);
        Assert.Equal("id,note,x\r\n1,\"two\n\nlines, a comma\",0.5\r\n2,  padded  ,  7 \r\n4,plain,-2\r\n", File.ReadAllText(copy));

        var ml = new MLContext(1);
        var original = CsvDataset.Load(ml, source);
        var copied = CsvDataset.Load(ml, copy);
        Assert.Equal(4, original.Rows);
        Assert.Equal(3, copied.Rows);
        var notes = original.Data.GetColumn<ReadOnlyMemory<char>>("note").Select(n => n.ToString()).ToArray();
        var copiedNotes = copied.Data.GetColumn<ReadOnlyMemory<char>>("note").Select(n => n.ToString()).ToArray();
        Assert.Equal([notes[0], notes[1], notes[3]], copiedNotes);
        Assert.Equal("two\n\nlines, a comma", notes[0]);
        Assert.Equal([0.5f, 7f, 1000f, -2f], original.Data.GetColumn<float>("x").ToArray());
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    public void The_separator_is_sniffed(char separator)
    {
        var path = Path.Combine(_folder, "sniff.csv");
        // Semicolon files often carry decimal commas: the comma splits those rows but not the header, so it is not the separator.
        string one = separator == ';' ? "1,5" : "1.5";
        File.WriteAllText(path, $"a{separator}b{separator}c\n{one}{separator}2{separator}3\n4{separator}5{separator}6\n");
        Assert.Equal(separator, CsvRecords.Sniff(path));
        var csv = CsvDataset.Load(new MLContext(1), path);
        Assert.Equal(separator, csv.Separator);
        Assert.Equal(2, csv.Rows);
        Assert.Equal(["a", "b", "c"], csv.ColumnNames);
    }
}
