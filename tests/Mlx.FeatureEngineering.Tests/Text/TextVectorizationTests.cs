using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Text;

/// <summary>
/// VectorizeText (Keras' TextVectorization) against scikit-learn's CountVectorizer configured to coincide with Keras'
/// defaults (tests/golden/text/make_text_golden.py, 1,000 real reviews, unigrams and 1–2-grams): the vocabulary, every
/// term's count and document frequency, and the first 40 documents' counts; Keras' TF-IDF from those document
/// frequencies; token ids, ordering and the vocabulary cap by hand; hashing; save/load in a new process; bad input.
/// </summary>
public class TextVectorizationTests
{
    private static readonly JsonElement Golden = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("tests", "golden", "text", "text_golden.json"))).RootElement;

    // The reviews as the reference script parsed them (reviews.json), so both sides read the same texts.
    private static IDataView Reviews(MLContext ml) =>
        ml.Data.LoadFromEnumerable(JsonSerializer.Deserialize<string[]>(File.ReadAllText(RepoPaths.Combine("tests", "golden", "text", "reviews.json")))!
            .Select(t => new Review { Text = t }).ToList());

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Counts_equal_scikit_learns_CountVectorizer(int ngrams)
    {
        var ml = new MLContext(seed: 1);
        var data = Reviews(ml);
        var model = ml.Transforms.Text.VectorizeText("Counts", "Text", new TextVectorizationOptions { OutputMode = TextOutputMode.Count, NGrams = ngrams }).Fit(data);
        var golden = Golden.GetProperty("settings").GetProperty(ngrams.ToString());
        var terms = golden.GetProperty("terms").EnumerateObject().ToDictionary(p => p.Name, p => (Count: p.Value[0].GetInt64(), Df: p.Value[1].GetInt64()));

        Assert.Equal(terms.Keys.Order(StringComparer.Ordinal), model.Vocabulary.Order(StringComparer.Ordinal));
        // Keras 3's order: count descending, ties by token descending.
        var expectedOrder = terms.OrderByDescending(t => t.Value.Count).ThenByDescending(t => t.Key, StringComparer.Ordinal).Select(t => t.Key);
        Assert.Equal(expectedOrder, model.Vocabulary);

        // ML.NET's GetColumn reuses one VBuffer's arrays: copy each row out as it comes.
        var rows = model.Transform(data).GetColumn<VBuffer<float>>("Counts").Select(v => v.Items().ToArray()).ToArray();
        Assert.Equal(1000, rows.Length);
        var totals = new double[model.Vocabulary.Count + 1];
        foreach (var row in rows)
            foreach (var (index, value) in row)
                totals[index] += value;
        Assert.Equal(0, totals[0]);                                 // fitted on these texts: nothing is out of vocabulary
        for (int i = 0; i < model.Vocabulary.Count; i++)
            Assert.Equal(terms[model.Vocabulary[i]].Count, totals[i + 1]);
        var first = golden.GetProperty("first_documents");
        for (int d = 0; d < 40; d++)
        {
            var expected = first[d].EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
            var actual = rows[d].ToDictionary(p => model.Vocabulary[p.Key - 1], p => (int)p.Value);
            Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
        }
    }

    [Fact]
    public void TfIdf_is_count_times_Keras_idf_and_the_cap_keeps_the_most_frequent()
    {
        var ml = new MLContext(seed: 1);
        var data = Reviews(ml);
        var terms = Golden.GetProperty("settings").GetProperty("1").GetProperty("terms").EnumerateObject()
            .ToDictionary(p => p.Name, p => (Count: p.Value[0].GetInt64(), Df: p.Value[1].GetInt64()));
        var model = ml.Transforms.Text.VectorizeText("TfIdf", "Text", new TextVectorizationOptions { OutputMode = TextOutputMode.TfIdf, MaxTokens = 201 }).Fit(data);
        var top = terms.OrderByDescending(t => t.Value.Count).ThenByDescending(t => t.Key, StringComparer.Ordinal).Take(200).ToList();
        Assert.Equal(top.Select(t => t.Key), model.Vocabulary);
        var idf = top.Select(t => Math.Log(1 + 1000.0 / (1 + t.Value.Df))).ToArray();
        Assert.All(idf.Zip(model.InverseDocumentFrequencies!), p => Assert.Equal(p.First, p.Second, 12));

        var counts = ml.Transforms.Text.VectorizeText("Counts", "Text", new TextVectorizationOptions { OutputMode = TextOutputMode.Count, MaxTokens = 201 }).Fit(data).Transform(data)
            .GetColumn<VBuffer<float>>("Counts").Take(50).Select(v => v.DenseValues().ToArray()).ToArray();
        var tfidf = model.Transform(data).GetColumn<VBuffer<float>>("TfIdf").Take(50).Select(v => v.DenseValues().ToArray()).ToArray();
        double meanIdf = idf.Average();
        for (int d = 0; d < 50; d++)
        {
            var c = counts[d];
            var t = tfidf[d];
            // float32 output against double: 1e-6 relative. Out-of-vocabulary tokens weigh the mean idf (Keras).
            Assert.True(Math.Abs(c[0] * meanIdf - t[0]) <= 1e-6 * (1 + Math.Abs(t[0])), $"document {d}, slot 0");
            for (int i = 1; i < c.Length; i++)
                Assert.True(Math.Abs(c[i] * idf[i - 1] - t[i]) <= 1e-6 * (1 + Math.Abs(t[i])), $"document {d}, slot {i}: {t[i]} vs {c[i] * idf[i - 1]}");
        }
    }

    [Fact]
    public void Token_ids_follow_Keras_padding_OOV_and_vocabulary_order()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(new[] { new Text { Value = "The cat sat." }, new Text { Value = "the DOG sat" }, new Text { Value = "a cat!" } });
        var model = ml.Transforms.Text.VectorizeText("Ids", "Value", new TextVectorizationOptions { SequenceLength = 6 }).Fit(train);
        // Counts: the 2, sat 2, cat 2, dog 1, a 1 — ties by token descending.
        Assert.Equal(["the", "sat", "cat", "dog", "a"], model.Vocabulary);
        var test = ml.Data.LoadFromEnumerable(new[] { new Text { Value = "A cat and the bird" }, new Text { Value = "" }, new Text { Value = "the the the the the the the dog" } });
        var output = model.Transform(test);
        var type = (VectorDataViewType)output.Schema["Ids"].Type;
        Assert.Equal(6, type.Size);
        Assert.Equal(6UL, ((KeyDataViewType)type.ItemType).Count);      // [UNK] + 5 terms; raw key value = token id
        VBuffer<ReadOnlyMemory<char>> keyNames = default;
        output.Schema["Ids"].GetKeyValues(ref keyNames);
        Assert.Equal(["[UNK]", "the", "sat", "cat", "dog", "a"], keyNames.DenseValues().Select(v => v.ToString()));
        var ids = output.GetColumn<VBuffer<uint>>("Ids").Select(v => v.DenseValues().ToArray()).ToArray();
        Assert.Equal([6u, 4, 1, 2, 1, 0], ids[0]);
        Assert.Equal([0u, 0, 0, 0, 0, 0], ids[1]);
        Assert.Equal([2u, 2, 2, 2, 2, 2], ids[2]);                        // truncated to the first 6 tokens

        var variable = ml.Transforms.Text.VectorizeText("Ids", "Value", new TextVectorizationOptions { MaxTokens = 4 }).Fit(train).Transform(test);
        Assert.Equal(0, ((VectorDataViewType)variable.Schema["Ids"].Type).Size);
        var rows = variable.GetColumn<VBuffer<uint>>("Ids").Select(v => v.DenseValues().ToArray()).ToArray();
        Assert.Equal([1u, 1, 1, 2, 1], rows[0]);                          // MaxTokens 4 = padding, OOV, "the", "sat"
        Assert.Empty(rows[1]);
    }

    [Fact]
    public void Hashing_needs_no_vocabulary_and_marks_each_tokens_bucket()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Text { Value = "Hashing, the trick!" } });
        var output = ml.Transforms.Text.VectorizeText("Hashed", "Value", new TextVectorizationOptions { OutputMode = TextOutputMode.Hashed, HashBuckets = 64 }).Fit(data).Transform(data);
        var row = output.GetColumn<VBuffer<float>>("Hashed").Single();
        var expected = new[] { "hashing", "the", "trick" }.Select(t => (int)(System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(t)) % 64)).Distinct().Order();
        Assert.Equal(64, row.Length);
        Assert.Equal(expected, row.Items().Select(p => p.Key));
        Assert.All(row.Items(), p => Assert.Equal(1f, p.Value));
    }

    [Fact]
    public void Saved_model_scores_identically_in_a_new_process()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.TakeRows(Reviews(ml), 200);
        var model = ml.Transforms.Text.VectorizeText("Ids", "Text", new TextVectorizationOptions { MaxTokens = 500, SequenceLength = 40, NGrams = 2 })
            .Append(ml.Transforms.Text.VectorizeText("TfIdf", "Text", new TextVectorizationOptions { OutputMode = TextOutputMode.TfIdf, MaxTokens = 300 })).Fit(data);
        var here = model.Transform(data);
        var there = ModelRoundTrip.TransformInNewProcess(ml, model, data, Path.Combine(Path.GetTempPath(), "mlx-tests", Guid.NewGuid().ToString("N")));
        Assert.Equal(here.GetColumn<VBuffer<uint>>("Ids").Select(v => v.DenseValues().ToArray()), there.GetColumn<VBuffer<uint>>("Ids").Select(v => v.DenseValues().ToArray()));
        Assert.Equal(here.GetColumn<VBuffer<float>>("TfIdf").Select(v => v.DenseValues().ToArray()), there.GetColumn<VBuffer<float>>("TfIdf").Select(v => v.DenseValues().ToArray()));
    }

    [Fact]
    public void PredictionEngine_gives_the_rows_Transform_gives()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.TakeRows(Reviews(ml), 100);
        var model = ml.Transforms.Text.VectorizeText("Counts", "Text", new TextVectorizationOptions { OutputMode = TextOutputMode.Count, MaxTokens = 200 }).Fit(data);
        var engine = ml.Model.CreatePredictionEngine<Review, CountsRow>(model);
        var expected = model.Transform(data).GetColumn<VBuffer<float>>("Counts").Select(v => v.DenseValues().ToArray()).ToArray();
        var texts = data.GetColumn<string>("Text").ToArray();
        for (int i = 0; i < texts.Length; i++)
            Assert.Equal(expected[i], engine.Predict(new Review { Text = texts[i] }).Counts);
    }

    [Fact]
    public void Batched_transform_over_several_batches_and_both_cores_equals_the_row_mapper()
    {
        // 2,600 rows: three batches of up to 1,024 texts, each split over the cores; the row mapper (ML.NET's row-to-row
        // path, as a loaded pipeline's IDataTransform uses) encodes one text at a time.
        var ml = new MLContext(seed: 1);
        var texts = Reviews(ml).GetColumn<string>("Text").ToArray();
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 2600).Select(i => new Review { Text = texts[(i * 7) % texts.Length] }).ToArray());
        foreach (var options in new[]
        {
            new TextVectorizationOptions { OutputMode = TextOutputMode.TfIdf, MaxTokens = 500, NGrams = 2 },
            new TextVectorizationOptions { OutputMode = TextOutputMode.Hashed, HashBuckets = 64 },
        })
        {
            var model = ml.Transforms.Text.VectorizeText("Out", "Text", options).Fit(data);
            var batched = model.Transform(data).GetColumn<VBuffer<float>>("Out").Select(v => v.Items().ToArray()).ToArray(); // GetColumn reuses one buffer
            var rowByRow = ((ITransformer)model).GetRowToRowMapper(data.Schema);
            var column = rowByRow.OutputSchema["Out"];
            using var cursor = data.GetRowCursor(data.Schema);
            using var row = rowByRow.GetRow(cursor, [column]);
            var getter = row.GetGetter<VBuffer<float>>(column);
            var value = default(VBuffer<float>);
            int i = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                Assert.Equal(value.Items().ToArray(), batched[i++]);
            }
            Assert.Equal(2600, i);
        }
        var ids = ml.Transforms.Text.VectorizeText("Ids", "Text", new TextVectorizationOptions { MaxTokens = 300 }).Fit(data);
        var batchedIds = ids.Transform(data).GetColumn<VBuffer<uint>>("Ids").Select(v => v.DenseValues().ToArray()).ToArray();
        var engine = ml.Model.CreatePredictionEngine<Review, IdsRow>(ids);
        for (int i = 0; i < 2600; i += 97)
            Assert.Equal(batchedIds[i], engine.Predict(new Review { Text = texts[(i * 7) % texts.Length] }).Ids);
    }

    private sealed class IdsRow
    {
        [KeyType(301)]
        public uint[] Ids { get; set; } = [];
    }

    [Fact]
    public void Bad_input_gets_clear_errors()
    {
        var ml = new MLContext(seed: 1);
        var empty = ml.Data.LoadFromEnumerable(new[] { new Text { Value = "" }, new Text { Value = " ... " } });
        var e = Assert.Throws<InvalidOperationException>(() => ml.Transforms.Text.VectorizeText("Ids", "Value").Fit(empty));
        Assert.Contains("Value", e.Message);
        Assert.Contains("hold no token", e.Message);
        var numbers = ml.Data.LoadFromEnumerable(new[] { new Number { Value = 1 } });
        var wrong = Assert.Throws<ArgumentException>(() => ml.Transforms.Text.VectorizeText("Ids", "Value").Fit(numbers));
        Assert.Contains("text", wrong.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Text.VectorizeText("Ids", "Value", new TextVectorizationOptions { MaxTokens = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Text.VectorizeText("Ids", "Value", new TextVectorizationOptions { SequenceLength = 0 }));
    }

    private sealed class Review
    {
        public string Text { get; set; } = "";
    }

    private sealed class CountsRow
    {
        public float[] Counts { get; set; } = [];
    }

    private sealed class Text
    {
        public string Value { get; set; } = "";
    }

    private sealed class Number
    {
        public float Value { get; set; }
    }
}
