using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Streaming;

/// <summary>
/// Transforms are lazy and stream: 10,000,000 generated rows (nothing stored) go through a pipeline of every
/// numeric Mlx transform with no per-row allocation and no retained memory. Retained memory is measured process-wide,
/// so this class runs alone (its collection is not run in parallel with other tests).
/// </summary>
[Collection(nameof(StreamingMemoryTests))]
public class StreamingMemoryTests
{
    [Fact]
    public void Ten_million_rows_stream_through_every_transform_with_flat_memory()
    {
        const int slots = 8;
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.NormalizeBoxCox("BoxCox", "Features", standardize: true)
            .Append(ml.Transforms.NormalizeYeoJohnson("YeoJohnson", "Features"))
            .Append(ml.Transforms.LogTransform("Log", "Features"))
            .Append(ml.Transforms.Discretize("Bins", "Features", 5, BinningStrategy.Quantile, BinEncoding.OneHot))
            .Append(ml.Transforms.ProjectToPrincipalComponentsExact("Pca", "BoxCox", rank: 3))
            .Fit(new GeneratedDataView(20_000, slots));
        string[] outputs = ["BoxCox", "YeoJohnson", "Log", "Bins", "Pca"];

        long Stream(long rows)
        {
            var transformed = model.Transform(new GeneratedDataView(rows, slots));
            var columns = outputs.Select(c => transformed.Schema[c]).ToArray();
            // One cursor from a cursor set of one: read on this thread, without ML.NET's splitter threads.
            using var cursor = transformed.GetRowCursorSet(columns, 1)[0];
            var getters = columns.Select(c => cursor.GetGetter<VBuffer<float>>(c)).ToArray();
            var value = default(VBuffer<float>);
            double checksum = 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            while (cursor.MoveNext())
            {
                foreach (var getter in getters)
                {
                    getter(ref value);
                    checksum += value.GetValues()[0];
                }
            }
            Assert.True(double.IsFinite(checksum));
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long retainedBefore = GC.GetTotalMemory(forceFullCollection: true);
        long small = Stream(100_000);
        long large = Stream(10_000_000);
        long retainedAfter = GC.GetTotalMemory(forceFullCollection: true);

        // 100x the rows, (almost) no more allocation: nothing is allocated per row (a per-row allocation of even
        // 8 bytes would add 80 MB). Retained memory does not grow either.
        Assert.True(large - small < 1_000_000, $"allocated {small:N0} bytes for 100k rows and {large:N0} for 10M rows");
        Assert.True(retainedAfter - retainedBefore < 5_000_000, $"retained memory grew from {retainedBefore:N0} to {retainedAfter:N0} bytes");
    }
}

/// <summary>The collection of <see cref="StreamingMemoryTests"/>: not run in parallel with other test classes.</summary>
[CollectionDefinition(nameof(StreamingMemoryTests), DisableParallelization = true)]
public class StreamingMemoryCollection
{
}
