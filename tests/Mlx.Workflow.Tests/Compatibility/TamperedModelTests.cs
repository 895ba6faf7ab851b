using Microsoft.ML;
using Mlx.Core.Persistence;
using Mlx.ModelFixtures;
using Mlx.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Mlx.Workflow.Tests.Compatibility;

/// <summary>
/// Saved models damaged on purpose, one per component kind (<see cref="ComponentModels"/>): bytes flipped at several
/// offsets of each Mlx component's state and streams, and every entry truncated. Today's format fails to load with one
/// <see cref="InvalidDataException"/> naming the component; models saved by the 5.0.1 build (no checksum) load or fail,
/// but never hang; nothing ever loads and scores silently from a damaged sealed state.
/// </summary>
public class TamperedModelTests(ITestOutputHelper output)
{
    /// <summary>Loading plus scoring a damaged model must end within this (an undamaged one takes well under a second).</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Components() => new(ComponentModels.All(new MLContext(1)).Select(c => c.Name));

    public static TheoryData<string> OldFixtures() => new(Directory.GetFiles(RepoPaths.Combine("tests", "golden", "models", "mlnet-5.0.1"), "*.zip")
        .Select(f => Path.GetFileNameWithoutExtension(f)).Order());

    [Theory]
    [MemberData(nameof(Components))]
    public void Flipped_bytes_in_a_components_state_or_streams_fail_naming_the_component(string name)
    {
        var (ml, component, zip) = Saved(name);
        int checkedOffsets = 0;
        foreach (var (entry, offset) in MlxOffsets(zip, component.LoaderSignature))
        {
            var damaged = Flip(zip, entry, offset);
            var error = LoadAndScore(ml, damaged, component.Data);
            Assert.True(error is not null, $"{name}: flipping byte {offset} of '{entry}' loaded and scored without an error");
            var damagedModel = Innermost<InvalidDataException>(error);
            Assert.True(damagedModel is not null, $"{name}: flipping byte {offset} of '{entry}' gave {error!.GetType().Name}: {error.Message}, not a damaged-model error");
            Assert.Contains($"component {component.LoaderSignature}", damagedModel!.Message);
            checkedOffsets++;
        }
        Assert.True(checkedOffsets >= 8, $"{name}: only {checkedOffsets} offsets were damaged");
    }

    [Theory]
    [MemberData(nameof(Components))]
    public void Every_truncated_entry_fails_to_load_naming_the_entry_and_component(string name)
    {
        var (ml, component, zip) = Saved(name);
        var mine = MlxOffsets(zip, component.LoaderSignature).Select(o => o.Entry).ToHashSet();
        foreach (var (entry, bytes) in SavedModelBytes.Entries(zip).Where(e => mine.Contains(e.Name)))
        {
            foreach (int length in new[] { bytes.Length - 1, bytes.Length / 2, Math.Min(bytes.Length - 1, 0x100), 10 }.Distinct().Where(l => l >= 0))
            {
                var damaged = SavedModelBytes.WithEntry(zip, entry, bytes[..length]);
                // ML.NET's own loader fails (its framing check runs before any component's loader) ...
                Assert.NotNull(LoadAndScore(ml, damaged, component.Data));
                // ... and SavedModel.Load says which entry of which component, and why.
                var error = Assert.Throws<InvalidDataException>(() => RunWithin(() => SavedModel.Load(ml, damaged, "model.zip", out _)));
                // An entry cut inside its 256-byte header no longer says whose it is; the entry's path still does.
                if (length >= 0x100 || !entry.EndsWith("/Model.key", StringComparison.Ordinal))
                    Assert.Contains(component.LoaderSignature, error.Message);
                Assert.Contains(entry.EndsWith("/Model.key", StringComparison.Ordinal) ? entry : $"'{entry[(entry.LastIndexOf('/') + 1)..]}'", error.Message);
                Assert.StartsWith("model.zip", error.Message);
            }
        }
    }

    [Theory]
    [MemberData(nameof(OldFixtures))]
    public void Old_format_models_with_flipped_bytes_load_or_fail_but_never_hang(string name)
    {
        var ml = new MLContext(seed: 0);
        string folder = RepoPaths.Combine("tests", "golden", "models", "mlnet-5.0.1");
        var zip = File.ReadAllBytes(Path.Combine(folder, name + ".zip"));
        var input = ml.Data.LoadFromBinary(Path.Combine(folder, name + ".input.idv"));
        int checkedOffsets = 0;
        foreach (var (entry, offset) in MlxOffsets(zip, loaderSignature: null))
        {
            var error = LoadAndScore(ml, Flip(zip, entry, offset), input);
            if (error is not null)
                output.WriteLine($"{entry} byte {offset}: {Shown(error)}");
            checkedOffsets++;
        }
        Assert.True(checkedOffsets >= 8, $"{name}: only {checkedOffsets} offsets were damaged");
    }

    private static (MLContext Ml, ComponentModel Component, byte[] Zip) Saved(string name)
    {
        var ml = new MLContext(seed: 1);
        var component = ComponentModels.All(ml).Single(c => c.Name == name);
        var model = component.Estimator.Fit(component.Data);
        var zip = SavedModelBytes.Save(ml, model, component.Data.Schema);
        // The undamaged model loads and scores: the failures below come from the damage.
        Assert.Null(LoadAndScore(ml, zip, component.Data));
        return (ml, component, zip);
    }

    /// <summary>
    /// Offsets to damage: 8 spread over the model block of every Mlx entry (of <paramref name="loaderSignature"/>, or
    /// any Mlx component), first and last byte included, and 3 inside each binary stream beside it (weights, ONNX).
    /// </summary>
    private static IEnumerable<(string Entry, long Offset)> MlxOffsets(byte[] zip, string? loaderSignature)
    {
        var entries = SavedModelBytes.Entries(zip);
        foreach (var (entry, bytes) in entries)
        {
            if (SavedModelBytes.ModelBlock(bytes) is not var (offset, length, loader) || length == 0
                || !(loaderSignature is null ? loader.StartsWith("Mlx", StringComparison.Ordinal) : loader == loaderSignature))
                continue;
            for (int k = 0; k < 8; k++)
                yield return (entry, offset + (k == 7 ? length - 1 : k * length / 7));
            string folder = entry[..(entry.LastIndexOf('/') + 1)];
            foreach (var (stream, streamBytes) in entries.Where(e => e.Name != entry && e.Name.StartsWith(folder, StringComparison.Ordinal)
                         && !e.Name[folder.Length..].Contains('/') && SavedModelBytes.ModelBlock(e.Bytes) is null && e.Bytes.Length > 0))
            {
                foreach (var share in new[] { 0.0, 0.5, 0.999 })
                    yield return (stream, (long)(share * (streamBytes.Length - 1)));
            }
        }
    }

    private static byte[] Flip(byte[] zip, string entry, long offset) => SavedModelBytes.Edit(zip, (name, bytes) =>
    {
        if (name != entry)
            return null;
        bytes[offset] ^= 0x5A;
        return bytes;
    });

    /// <summary>Loads and scores every column of every row; the error, or null. Fails the test if it does not end within <see cref="Limit"/>.</summary>
    private static Exception? LoadAndScore(MLContext ml, byte[] zip, IDataView input)
    {
        try
        {
            RunWithin(() =>
            {
                var model = ml.Model.Load(new MemoryStream(zip), out _);
                model.Transform(input).Preview(maxRows: 10_000);
                (model as IDisposable)?.Dispose();
                return 0;
            });
            return null;
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            return e;
        }
    }

    /// <summary>Runs <paramref name="work"/>, rethrowing its exception; fails the test if it does not end within <see cref="Limit"/> (a hang).</summary>
    private static T RunWithin<T>(Func<T> work)
    {
        var task = Task.Run(work);
        try
        {
            Assert.True(task.Wait(Limit), $"loading and scoring the damaged model did not end within {Limit.TotalSeconds} s: it hangs");
        }
        catch (AggregateException e) when (e.InnerException is { } inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(inner).Throw();
        }
        return task.Result;
    }

    /// <summary>The error as a user reads it: the damaged-model message when there is one, else the innermost.</summary>
    private static string Shown(Exception error)
    {
        var shown = (Exception?)Innermost<InvalidDataException>(error) ?? Innermost<Exception>(error)!;
        return $"{shown.GetType().Name}: {shown.Message}";
    }

    private static T? Innermost<T>(Exception? error) where T : Exception
    {
        T? found = null;
        for (var e = error; e != null; e = e.InnerException)
        {
            if (e is T match)
                found = match;
        }
        return found;
    }
}
