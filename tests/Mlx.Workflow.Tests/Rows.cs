using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.Workflow.Tests;

/// <summary>Test helper: some rows of a data view by position.</summary>
internal static class Rows
{
    public static IDataView Subset(IDataView source, IReadOnlyList<int> rows) =>
        new RowSubsetView(source, rows.Order().ToArray(), "__subset", NumberDataViewType.Single, new float[source.GetRowCount() ?? rows.Max() + 1]);
}
