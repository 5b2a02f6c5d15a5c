using System.Runtime.ExceptionServices;

namespace F5Parity.Torch;

/// <summary>
/// TorchSharp tracks every tensor created while a <c>DisposeScope</c> is active on the current thread — module
/// parameters, buffers and tensor fields included — and disposes them when that scope ends. A model or vocoder that
/// is loaded once and kept (a cache, a collection fixture) must therefore not be built inside a caller's scope, or
/// its weights vanish later ("Tensor invalid -- empty handle"). <see cref="Create{T}"/> builds it on a fresh thread,
/// where no scope is active (scopes are per thread).
/// </summary>
public static class ScopeFree
{
    public static T Create<T>(Func<T> factory)
    {
        T result = default!;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            try { result = factory(); }
            catch (Exception e) { error = ExceptionDispatchInfo.Capture(e); }
        });
        thread.Start();
        thread.Join();
        error?.Throw();
        return result;
    }
}
