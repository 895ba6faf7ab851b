using System.Collections.Concurrent;

namespace Mlx.Core.Data;

/// <summary>
/// Overlaps reading with computing: the calling thread fills buffers (reading a cursor) while one worker
/// consumes them, strictly in order, through a few rotating buffers. Because a single consumer sees the
/// buffers in the order they were filled, results are the same as a sequential loop. An exception on
/// either side stops both and is rethrown on the calling thread.
/// </summary>
public static class BlockPipeline
{
    /// <summary>Runs <paramref name="fill"/> until it reports no more data, consuming every filled buffer in order.</summary>
    /// <param name="buffers">The rotating buffers (2 or 3 is enough).</param>
    /// <param name="fill">Fills a buffer; returns whether it holds data and whether more may follow.</param>
    /// <param name="consume">Processes a filled buffer (on the worker thread).</param>
    public static void Run<T>(IReadOnlyList<T> buffers, Func<T, (bool HasData, bool More)> fill, Action<T> consume)
    {
        using var free = new BlockingCollection<T>();
        using var full = new BlockingCollection<T>();
        using var stop = new CancellationTokenSource();
        foreach (var b in buffers)
            free.Add(b);
        var worker = Task.Run(() =>
        {
            try
            {
                foreach (var item in full.GetConsumingEnumerable())
                {
                    consume(item);
                    free.Add(item);
                }
            }
            catch
            {
                stop.Cancel(); // unblock the producer
                throw;
            }
        });
        try
        {
            bool more = true;
            while (more)
            {
                T item;
                try
                {
                    item = free.Take(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break; // the consumer failed: its exception is rethrown below
                }
                (bool hasData, more) = fill(item);
                if (hasData)
                    full.Add(item);
            }
        }
        finally
        {
            full.CompleteAdding();
            try
            {
                worker.Wait();
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
            }
        }
    }
}
