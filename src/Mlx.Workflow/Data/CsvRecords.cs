using System.Text;

namespace Mlx.Workflow;

/// <summary>
/// RFC 4180 records of a delimited text file, each with its fields and its exact text: quoted fields may hold the
/// separator, doubled quotes and line breaks (blank lines inside quotes included); fields are not trimmed; a line with
/// nothing on it between records is no record. The raw text is what lets a subset of rows be written back byte for
/// byte (<see cref="CopyRecords"/>), so a held-out file reads exactly as the rows did in the original.
/// </summary>
public static class CsvRecords
{
    /// <summary>Separators tried by <see cref="Sniff"/>, in order of preference on a tie.</summary>
    public static readonly char[] Candidates = [',', ';', '\t', '|'];

    /// <summary>One record: its fields, its text without the line ending, its 1-based first line in the file, and the line ending that closed it ("" at the end of the file).</summary>
    public readonly record struct Record(string[] Fields, string Raw, long Line, string Ending);

    /// <summary>The records of the text, in order, with the file's line numbers.</summary>
    /// <exception cref="InvalidDataException">A quote is not closed before the end of the text.</exception>
    public static IEnumerable<Record> Read(TextReader reader, char separator, string source)
    {
        var raw = new StringBuilder();
        var field = new StringBuilder();
        var fields = new List<string>();
        long line = 1, start = 1;
        bool quoted = false, any = false, fieldQuoted = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            char ch = (char)c;
            if (quoted)
            {
                raw.Append(ch);
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        raw.Append((char)reader.Read());
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                        line++;
                    field.Append(ch);
                }
                continue;
            }
            if (ch == '\r' || ch == '\n')
            {
                string ending = ch == '\r' && reader.Peek() == '\n' ? "\r\n" : ch.ToString();
                if (ending.Length == 2)
                    reader.Read();
                if (any)
                {
                    fields.Add(field.ToString());
                    yield return new Record(fields.ToArray(), raw.ToString(), start, ending);
                }
                raw.Clear();
                field.Clear();
                fields.Clear();
                any = fieldQuoted = false;
                line++;
                start = line;
                continue;
            }
            any = true;
            raw.Append(ch);
            if (ch == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
                fieldQuoted = false;
            }
            else if (ch == '"' && field.Length == 0 && !fieldQuoted)
            {
                quoted = fieldQuoted = true;
            }
            else
            {
                field.Append(ch);
            }
        }
        if (quoted)
            throw new InvalidDataException($"'{source}' cannot be parsed as CSV: the record starting on line {start} is malformed (its quote is never closed).");
        if (any)
        {
            fields.Add(field.ToString());
            yield return new Record(fields.ToArray(), raw.ToString(), start, "");
        }
    }

    /// <summary>
    /// The separator of a delimited file: among <see cref="Candidates"/>, the one that splits the header into the most
    /// fields while giving every one of the first records (up to 50) the header's count; comma when none splits.
    /// </summary>
    public static char Sniff(string path)
    {
        char best = ',';
        int bestFields = 1;
        foreach (var candidate in Candidates)
        {
            using var reader = new StreamReader(path);
            Record[] sample;
            try
            {
                sample = Read(reader, candidate, path).Take(51).ToArray();
            }
            catch (InvalidDataException)
            {
                continue;
            }
            if (sample.Length == 0)
                continue;
            int count = sample[0].Fields.Length;
            if (count > bestFields && sample.All(r => r.Fields.Length == count))
            {
                best = candidate;
                bestFields = count;
            }
        }
        return best;
    }

    /// <summary>
    /// Writes the header record and the data records at the given 0-based positions, each exactly as in the source with
    /// its own line ending (the last one gets the header's when the source ends without one).
    /// </summary>
    public static void CopyRecords(string source, string destination, char separator, IReadOnlyCollection<int> rows)
    {
        var keep = rows.ToHashSet();
        using var reader = new StreamReader(source, detectEncodingFromByteOrderMarks: true);
        using var writer = new StreamWriter(destination, false, new UTF8Encoding(false));
        int row = -1;
        string headerEnding = "\n";
        foreach (var record in Read(reader, separator, source))
        {
            if (row < 0)
                headerEnding = record.Ending.Length > 0 ? record.Ending : "\n";
            if (row < 0 || keep.Contains(row))
                writer.Write(record.Raw + (record.Ending.Length > 0 ? record.Ending : headerEnding));
            row++;
        }
    }
}
