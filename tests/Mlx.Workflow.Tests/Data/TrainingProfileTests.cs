using Microsoft.ML;
using Xunit;

namespace Mlx.Workflow.Tests.Data;

/// <summary>
/// The drift reference mlx train writes: numeric and categorical columns, or categorical ones alone (a data set of
/// categories has a profile too); a category share that moves, and a column going missing, are drift.
/// </summary>
public sealed class TrainingProfileTests
{
    private sealed class Row
    {
        public string Colour { get; set; } = "";
        public string Size { get; set; } = "";
    }

    private static IDataView Rows(MLContext ml, Func<int, string> colour, Func<int, string> size) =>
        ml.Data.LoadFromEnumerable(Enumerable.Range(0, 400).Select(i => new Row { Colour = colour(i), Size = size(i) }).ToList());

    [Fact]
    public void Categorical_columns_alone_are_profiled_and_their_shifts_found()
    {
        var ml = new MLContext(1);
        var profile = TrainingProfile.Create(ml, Rows(ml, i => i % 3 == 0 ? "red" : "blue", i => i % 2 == 0 ? "S" : "L"), []);
        Assert.Empty(profile.Slots);
        Assert.Equal(["Colour", "Size"], profile.Categories.Select(c => c.Name).Order());
        Assert.Equal(400, profile.Rows);
        string path = Path.Combine(Path.GetTempPath(), $"mlx-profile-{Guid.NewGuid():N}.json");
        profile.Save(path);
        var reloaded = Mlx.FeatureEngineering.FeatureProfile.Load(path);
        File.Delete(path);

        var same = TrainingProfile.Compare(ml, reloaded, Rows(ml, i => i % 3 == 0 ? "red" : "blue", i => i % 2 == 0 ? "S" : "L"));
        Assert.Empty(same.Drifted);
        // Colours now mostly red; sizes missing in 30 % of the rows, the rest as before.
        var shifted = TrainingProfile.Compare(ml, reloaded, Rows(ml, i => i % 5 == 0 ? "blue" : "red", i => i % 10 < 3 ? "" : i % 2 == 0 ? "S" : "L"));
        Assert.Equal(["Colour", "Size"], shifted.Drifted.Select(s => s.Name).Order());
        Assert.Equal(0.3, shifted.Slots.Single(s => s.Name == "Size").CurrentMissingRate, 12);
    }
}
