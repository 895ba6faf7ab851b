using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// Makes the operating system map a freshly allocated tensor's memory on a worker thread, ahead of the thread
/// that fills it row by row from a cursor. A new tensor's pages are mapped on first write, one fault per 4 KB
/// page: for 60,000 × 784 floats that is 69 ms of kernel time in a 130 ms read (measured), which the reading
/// thread otherwise pays itself while the second core idles.
/// </summary>
/// <remarks>
/// Each page is touched with an atomic compare-and-swap of its first value with 0 → 0: the CPU performs the write
/// (so the page is mapped) without ever changing a value, so a page the reader has already filled stays intact.
/// The worker skips ahead when the reader overtakes it, and stops when disposed.
/// </remarks>
internal sealed class PagePrefaulter : IDisposable
{
    /// <summary>Tensors smaller than this are left to the reader (a worker costs more than their faults).</summary>
    public const long MinimumBytes = 8L << 20;

    private static readonly int PageFloats = Environment.SystemPageSize / sizeof(float);

    /// <summary>Whether fresh feature tensors are prefaulted (a second core, native tuning not turned off).</summary>
    public static bool IsEnabled => Environment.ProcessorCount > 1 && !Mlx.Estimators.Runtime.NativeTuning.OptedOut;
    private readonly Tensor _tensor;
    private readonly Task _worker;
    private long _readerPosition; // values the reader has written so far
    private volatile bool _stop;

    private PagePrefaulter(Tensor tensor)
    {
        _tensor = tensor;
        // Its own thread, not the pool's: a busy pool could start it only after the reader is done.
        _worker = Task.Factory.StartNew(TouchPages, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Starts touching <paramref name="tensor"/>'s pages, or returns null when it is small or there is no second core.</summary>
    public static PagePrefaulter? Start(Tensor tensor) =>
        IsEnabled && tensor.NumberOfElements * sizeof(float) >= MinimumBytes && tensor.dtype == ScalarType.Float32 && tensor.is_contiguous()
            ? new PagePrefaulter(tensor) : null;

    /// <summary>Tells the worker that the reader has written the first <paramref name="values"/> values.</summary>
    public void ReaderAt(long values) => Volatile.Write(ref _readerPosition, values);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per data set: tier-0 code would loop slowly
    private void TouchPages()
    {
        var values = TensorMemory.Floats(_tensor);
        ref int first = ref Unsafe.As<float, int>(ref MemoryMarshal.GetReference(values));
        for (long i = 0; i < values.Length && !_stop; i += PageFloats)
        {
            long reader = Volatile.Read(ref _readerPosition);
            if (i < reader)
                i = reader - reader % PageFloats + PageFloats; // the reader has mapped these pages itself
            if (i < values.Length)
                Interlocked.CompareExchange(ref Unsafe.Add(ref first, (nint)i), 0, 0);
        }
    }

    /// <summary>Waits until every page has been touched (for tests); false on time-out.</summary>
    internal bool WaitUntilDone(TimeSpan timeout) => _worker.Wait(timeout);

    /// <summary>Stops the worker and waits for it.</summary>
    public void Dispose()
    {
        _stop = true;
        _worker.Wait();
    }
}
