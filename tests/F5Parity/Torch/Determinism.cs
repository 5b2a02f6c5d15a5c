using System.Security.Cryptography;
using static TorchSharp.torch;

namespace F5Parity.Torch;

/// <summary>
/// The switches that make sampling repeatable, and a fingerprint of a result to compare runs.
/// <para><b>CPU (measured, see tests/F5Parity.Tests/Hygiene/DeterminismTests):</b> the same configuration, weights,
/// seed and thread count give bit-identical mels in two separate processes. libtorch's CPU kernels used by the DiT
/// (GEMM, softmax, layer norm, conv1d) have a fixed reduction order for a given thread count; a different
/// <c>torch.set_num_threads</c> may change the last bits of GEMM/reduction results, so the thread count is part of
/// the configuration.</para>
/// <para><b>CUDA (documented, not measured on this runner):</b>
/// (1) noise: upstream draws <c>torch.randn(..., device=device)</c>, and the CUDA Philox generator gives other numbers
/// than the CPU generator for the same seed — a GPU sample never equals a CPU sample bit for bit, whatever the switches;
/// (2) TF32: Ampere+ GPUs may run fp32 matmuls/convs in TF32 (10-bit mantissa) — deterministic but ~1e-3 relative off
/// fp32; <see cref="Enable"/> turns it off for cuBLAS and cuDNN; (3) cuBLAS picks split-K reductions whose order
/// depends on the workspace: bit-repeatable only with <c>CUBLAS_WORKSPACE_CONFIG=:4096:8</c> (or <c>:16:8</c>) set before
/// CUDA is initialised (<see cref="CublasWorkspaceConfigured"/>); (4) cuDNN convolution autotuning may pick a different
/// algorithm per run; <c>use_deterministic_algorithms(true)</c> makes libtorch choose deterministic cuDNN algorithms
/// and raise on ops that have none (index_add_, scatter_add_ on CUDA; none of them is on F5-TTS's inference path);
/// (5) fp16 (upstream's default on GPUs of compute capability ≥ 7) is repeatable but far from fp32 — compare only
/// within one dtype; (6) SDPA's flash / memory-efficient kernels are deterministic in the forward pass (only their
/// backward is not), so inference is not affected.</para>
/// </summary>
public static class Determinism
{
    /// <summary>The cuBLAS workspace setting that makes its reductions repeatable (must be set before CUDA starts).</summary>
    public const string CublasWorkspaceVariable = "CUBLAS_WORKSPACE_CONFIG";

    /// <summary>True when <see cref="CublasWorkspaceVariable"/> holds one of the two values cuBLAS documents as deterministic.</summary>
    public static bool CublasWorkspaceConfigured =>
        Environment.GetEnvironmentVariable(CublasWorkspaceVariable) is ":4096:8" or ":16:8";

    /// <summary>
    /// Deterministic algorithms on (raise on ops without one, or only warn with <paramref name="warnOnly"/>), cuDNN
    /// deterministic with autotuning off (libtorch's own switches, reached through <see cref="LibTorchContext"/>), TF32 off
    /// for cuBLAS matmuls and cuDNN convolutions, and optionally a fixed intra-op thread count. Returns the previous
    /// state so a caller can restore it.
    /// </summary>
    public static DeterminismState Enable(bool warnOnly = false, int? threads = null)
    {
        var before = Current();
        LibTorchContext.UseDeterministicAlgorithms(true, warnOnly);
        LibTorchContext.CudnnDeterministic = true;
        LibTorchContext.CudnnBenchmark = false;
        if (cuda.is_available())
        {
            backends.cuda.matmul.allow_tf32 = false;
            backends.cudnn.allow_tf32 = false;
        }
        if (threads is int n) set_num_threads(n);
        return before;
    }

    /// <summary>Puts back a state returned by <see cref="Enable"/> or <see cref="Current"/>.</summary>
    public static void Restore(DeterminismState state)
    {
        LibTorchContext.UseDeterministicAlgorithms(state.DeterministicAlgorithms, state.WarnOnly);
        LibTorchContext.CudnnDeterministic = state.CudnnDeterministic;
        LibTorchContext.CudnnBenchmark = state.CudnnBenchmark;
        if (cuda.is_available())
        {
            backends.cuda.matmul.allow_tf32 = state.CublasTf32;
            backends.cudnn.allow_tf32 = state.CudnnTf32;
        }
        set_num_threads(state.Threads);
    }

    /// <summary>The switches as they are now.</summary>
    public static DeterminismState Current()
    {
        bool gpu = cuda.is_available();
        return new DeterminismState(
            LibTorchContext.AreDeterministicAlgorithmsEnabled, LibTorchContext.IsDeterministicAlgorithmsWarnOnly,
            LibTorchContext.CudnnDeterministic, LibTorchContext.CudnnBenchmark,
            gpu && backends.cuda.matmul.allow_tf32, gpu && backends.cudnn.allow_tf32, get_num_threads(),
            CublasWorkspaceConfigured);
    }

    /// <summary>SHA-256 (hex) of a tensor's dtype, shape and bytes: equal hashes mean bit-identical tensors.</summary>
    public static string Fingerprint(Tensor t)
    {
        using var c = t.detach().cpu().contiguous();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{c.dtype}[{string.Join(",", c.shape)}]"));
        if (c.numel() > 0) sha.AppendData(c.bytes);
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }
}

/// <summary>The determinism switches at one moment.</summary>
public sealed record DeterminismState(bool DeterministicAlgorithms, bool WarnOnly, bool CudnnDeterministic, bool CudnnBenchmark,
    bool CublasTf32, bool CudnnTf32,
    int Threads, bool CublasWorkspaceConfigured);
