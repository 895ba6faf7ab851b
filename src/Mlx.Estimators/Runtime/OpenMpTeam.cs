using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Mlx.Estimators.Runtime;

/// <summary>Work that <see cref="OpenMpTeam.Run"/> splits over libtorch's threads.</summary>
internal interface IParallelBody
{
    /// <summary>Does this thread's share: thread <paramref name="thread"/> of <paramref name="threads"/> (0 is the caller).</summary>
    void Execute(int thread, int threads);
}

/// <summary>
/// Runs C# kernels on libtorch's own OpenMP thread team (<c>GOMP_parallel</c> of the libgomp libtorch loads), the
/// threads its matrix products use. Between libtorch's parallel operations those threads spin, waiting for the next
/// one, so a .NET thread given half of an optimiser update competes with a spinning thread for the second core
/// (measured slower than one thread); handing the work to the spinning thread itself uses that core instead.
/// </summary>
/// <remarks>
/// The team is the calling thread's (sized by <see cref="TorchRuntime.SetThreads"/>; its workers inherit the caller's
/// denormal flushing, see <see cref="FlushDenormals"/>). Exceptions in a body are caught on its thread and rethrown on
/// the caller. Where libgomp is not found (another libtorch build, not Linux) the body runs on the caller alone.
/// </remarks>
internal static class OpenMpTeam
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void Body(nint data);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void ParallelFunction(nint function, nint data, uint threads, uint flags);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int IntFunction();

    private static readonly Body Callback = Execute; // kept alive: libgomp holds its native entry point
    private static readonly nint CallbackPointer;
    private static readonly ParallelFunction? Parallel;
    private static readonly IntFunction? ThreadNumber, ThreadCount;

    static OpenMpTeam()
    {
        TorchRuntime.EnsureAvailable();
        nint parallel = LibtorchSymbols.Find("GOMP_parallel"), number = LibtorchSymbols.Find("omp_get_thread_num"), count = LibtorchSymbols.Find("omp_get_num_threads");
        if (parallel == 0 || number == 0 || count == 0)
            return;
        Parallel = Marshal.GetDelegateForFunctionPointer<ParallelFunction>(parallel);
        ThreadNumber = Marshal.GetDelegateForFunctionPointer<IntFunction>(number);
        ThreadCount = Marshal.GetDelegateForFunctionPointer<IntFunction>(count);
        CallbackPointer = Marshal.GetFunctionPointerForDelegate(Callback);
    }

    /// <summary>Whether bodies run on libtorch's team (otherwise on the caller alone).</summary>
    public static bool IsAvailable => Parallel != null && !NativeTuning.OptedOut;

    /// <summary>Runs <paramref name="body"/> once on each thread of the calling thread's team and waits for all.</summary>
    public static void Run(IParallelBody body)
    {
        if (!IsAvailable)
        {
            body.Execute(0, 1);
            return;
        }
        var call = new Call(body);
        var handle = GCHandle.Alloc(call);
        try
        {
            Parallel!(CallbackPointer, GCHandle.ToIntPtr(handle), 0, 0); // 0 threads: the team's size
        }
        finally
        {
            handle.Free();
        }
        call.Failure?.Throw();
    }

    private static void Execute(nint data)
    {
        var call = (Call)GCHandle.FromIntPtr(data).Target!;
        try
        {
            call.Body.Execute(ThreadNumber!(), ThreadCount!());
        }
        catch (Exception e)
        {
            // Never let an exception unwind into libgomp: keep the first, rethrow it on the caller.
            Interlocked.CompareExchange(ref call.Failure, ExceptionDispatchInfo.Capture(e), null);
        }
    }

    private sealed class Call(IParallelBody body)
    {
        public readonly IParallelBody Body = body;
        public ExceptionDispatchInfo? Failure;
    }
}
