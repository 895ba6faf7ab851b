using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Encoding;

/// <summary>
/// DummyEncoding's MinimumFrequency and UnknownCategory.Infrequent against scikit-learn's
/// <c>OneHotEncoder(min_frequency=15, handle_unknown='infrequent_if_exist')</c> on German credit's purpose column
/// (tests/golden/sklearn/onehot_infrequent.json, make_onehot_infrequent.py): the categories kept, the ones grouped,
/// the indicator names, and every transformed row (unseen values included), also after a save and load in a new process.
/// </summary>
public class InfrequentCategoryTests
{
    private sealed class Row
    {
        public string Purpose { get; set; } = "";
    }

    [Fact]
    public void Matches_sklearn_min_frequency_and_infrequent_if_exist()
    {
        var golden = GoldenJson.LoadSklearn("onehot_infrequent");
        var credit = CsvTable.Load(RepoPaths.Combine("examples", "data", "german_credit", "credit_g.csv"));
        int purpose = Array.IndexOf(credit.Header, "purpose");
        var all = credit.Rows.Select(r => new Row { Purpose = r[purpose] }).ToList();
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(all.Take(800).ToList());
        var test = ml.Data.LoadFromEnumerable(GoldenJson.Strings(golden.At("test_values")).Select(v => new Row { Purpose = v }).ToList());
        var model = ml.Transforms.Categorical.DummyEncoding(new DummyEncodingOptions
        {
            OutputColumnName = "Dummies", InputColumnName = "Purpose", Drop = DummyDrop.None, Unknown = UnknownCategory.Infrequent, MinimumFrequency = 15,
        }).Fit(train);

        var categories = GoldenJson.Strings(golden.At("categories"));
        var infrequent = GoldenJson.Strings(golden.At("infrequent"));
        Assert.Equal(infrequent, model.InfrequentCategories[0]);
        Assert.Equal(categories.Except(infrequent).Append("infrequent_sklearn"), model.Categories[0]);
        var transformed = model.Transform(test);
        Assert.Equal(GoldenJson.Strings(golden.At("feature_names_out")).Select(n => "Purpose=" + n["purpose_".Length..]), DataViews.SlotNames(transformed.Schema["Dummies"])!);
        var expected = GoldenJson.Matrix(golden.At("test_encoded"));
        var rows = DataViews.ReadVectors(transformed, "Dummies");
        Assert.Equal(expected.Length, rows.Length);
        for (int i = 0; i < rows.Length; i++)
            Assert.Equal(expected[i].Select(v => (float)v), rows[i]);

        // Saved, loaded and run in another process: the same indicators.
        var again = DataViews.ReadVectors(ModelRoundTrip.TransformInNewProcess(ml, model, test, Path.Combine(Path.GetTempPath(), $"mlx-infrequent-{Guid.NewGuid():N}")), "Dummies");
        for (int i = 0; i < rows.Length; i++)
            Assert.Equal(rows[i], again[i]);
    }

    [Fact]
    public void Unknown_values_code_as_all_zeros_when_no_level_was_grouped_and_keys_cannot_be_grouped()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(new[] { "a", "a", "b", "b" }.Select(v => new Row { Purpose = v }).ToList());
        var model = ml.Transforms.Categorical.DummyEncoding(new DummyEncodingOptions
        {
            OutputColumnName = "D", InputColumnName = "Purpose", Drop = DummyDrop.None, Unknown = UnknownCategory.Infrequent, MinimumFrequency = 2,
        }).Fit(train);
        Assert.Empty(model.InfrequentCategories[0]);
        var rows = DataViews.ReadVectors(model.Transform(ml.Data.LoadFromEnumerable(new[] { new Row { Purpose = "c" } })), "D");
        Assert.Equal([0f, 0f], rows[0]);

        var keys = ml.Transforms.Conversion.MapValueToKey("Key", "Purpose").Fit(train).Transform(train);
        var error = Assert.ThrowsAny<Exception>(() => ml.Transforms.Categorical.DummyEncoding(new DummyEncodingOptions
        {
            OutputColumnName = "D", InputColumnName = "Key", MinimumFrequency = 2,
        }).Fit(keys));
        Assert.Contains("MapKeyToValue", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Categorical.DummyEncoding(new DummyEncodingOptions { OutputColumnName = "D", MinimumFrequency = 0 }));
    }
}
