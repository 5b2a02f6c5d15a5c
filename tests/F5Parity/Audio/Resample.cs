using TorchSharp;
using static TorchSharp.torch;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Audio;

/// <summary>
/// torchaudio's band-limited sinc resampler (<c>torchaudio.transforms.Resample</c> / <c>functional.resample</c> with the
/// default <c>sinc_interp_hann</c>), which upstream applies to every reference clip not at 24 kHz (dataset.py,
/// utils_infer.py). Frequencies are reduced by their gcd (orig → o, new → n); the kernel holds n filters of
/// 2·width + o taps, built in float64 as torchaudio does when no dtype is given and then stored as float32; the signal
/// is zero-padded by (width, width + o) and filtered by a conv1d of stride o, the n output channels interleaved, and cut
/// to ceil(n · nw / o) samples.
/// </summary>
public sealed class Resample : nn.Module<Tensor, Tensor>
{
    readonly Tensor? _kernel;

    public Resample(int orig_freq, int new_freq, int lowpass_filter_width = 6, double rolloff = 0.99) : base(nameof(Resample))
    {
        if (orig_freq <= 0 || new_freq <= 0) throw new ArgumentOutOfRangeException(nameof(orig_freq), $"frequencies must be positive (got {orig_freq} → {new_freq})");
        if (lowpass_filter_width <= 0) throw new ArgumentOutOfRangeException(nameof(lowpass_filter_width), "low pass filter width should be positive");
        OrigFreq = orig_freq;
        NewFreq = new_freq;
        LowpassFilterWidth = lowpass_filter_width;
        Rolloff = rolloff;
        Gcd = GreatestCommonDivisor(orig_freq, new_freq);
        if (orig_freq != new_freq) (_kernel, Width) = SincResampleKernel(orig_freq / Gcd, new_freq / Gcd, lowpass_filter_width, rolloff);
    }

    public int OrigFreq { get; }
    public int NewFreq { get; }
    public int LowpassFilterWidth { get; }
    public double Rolloff { get; }
    public int Gcd { get; }
    /// <summary>Half-width of the filters in input samples (torchaudio's <c>width</c>).</summary>
    public int Width { get; }

    /// <summary>A copy of the (new/gcd, 1, 2·width + orig/gcd) float32 kernel; null when the rates are equal.</summary>
    public Tensor? Kernel => _kernel?.clone();

    /// <summary>One-shot form of <c>torchaudio.functional.resample(waveform, orig_freq, new_freq)</c>.</summary>
    public static Tensor Apply(Tensor waveform, int origFreq, int newFreq)
    {
        using var r = new Resample(origFreq, newFreq);
        return r.Forward(waveform);
    }

    /// <summary>waveform (..., nw) floating point → (..., ceil(nw · new / orig)), same dtype; unchanged when the rates match.</summary>
    public Tensor Forward(Tensor waveform)
    {
        if (!waveform.is_floating_point()) throw new ArgumentException($"Resample expects floating-point audio; got {waveform.dtype}");
        if (_kernel is null) return waveform.alias();
        using var scope = NewDisposeScope();
        int orig = OrigFreq / Gcd, @new = NewFreq / Gcd;
        var shape = waveform.shape;
        long length = shape[^1];
        var x = waveform.reshape(-1, length);                               // (b, nw)
        var kernel = _kernel.to(x.dtype, x.device);
        var padded = nn.functional.pad(x, new long[] { Width, Width + orig }); // zeros
        var y = nn.functional.conv1d(padded.unsqueeze(1), kernel, stride: orig); // (b, new, frames)
        y = y.transpose(1, 2).reshape(x.shape[0], -1);                      // (b, frames · new), interleaved
        long target = (long)Math.Ceiling((double)@new * length / orig);
        y = y[.., ..(int)target];
        var outShape = shape.ToArray();
        outShape[^1] = y.shape[^1];
        return y.reshape(outShape).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor waveform) => Forward(waveform);

    /// <summary>
    /// torchaudio's <c>_get_sinc_resample_kernel</c> with dtype None, for gcd-reduced rates: returns the float32 kernel
    /// (new, 1, 2·width + orig) and width. The index grid is float64; the per-filter offsets −i / new come from an
    /// integer arange divided in the default dtype (float32), as torchaudio's code does, then promoted.
    /// </summary>
    public static (Tensor Kernel, int Width) SincResampleKernel(int orig, int @new, int lowpassFilterWidth, double rolloff)
    {
        using var scope = NewDisposeScope();
        double baseFreq = Math.Min(orig, @new) * rolloff;
        int width = (int)Math.Ceiling(lowpassFilterWidth * orig / baseFreq);
        using var origScalar = orig.ToScalar();
        using var newScalar = @new.ToScalar();
        using var minusNew = (-@new).ToScalar();
        using var minusWidth = (-width).ToScalar();
        using var widthPlusOrig = (width + orig).ToScalar();
        using var baseFreqScalar = baseFreq.ToScalar();
        using var lowpass = lowpassFilterWidth.ToScalar();
        using var minusLowpass = (-lowpassFilterWidth).ToScalar();
        using var pi = Math.PI.ToScalar();
        using var scale = (baseFreq / orig).ToScalar();
        var idx = arange(minusWidth, widthPlusOrig, IntOne, dtype: ScalarType.Float64).view(1, 1, -1) / origScalar; // (1, 1, taps)
        var offsets = (arange(IntZero, minusNew, IntMinusOne, dtype: ScalarType.Int64) / newScalar).view(-1, 1, 1); // (new, 1, 1) float32
        var t = offsets.to(ScalarType.Float64).add(idx, alpha: IntOne);                             // (new, 1, taps) float64
        t = t * baseFreqScalar;
        t = t.clamp(minusLowpass, lowpass);
        var window = cos(t * pi / lowpass / IntTwo).pow(IntTwo);
        t = t * pi;
        var kernels = where(t == IntZero, tensor(1.0, dtype: ScalarType.Float64), t.sin() / t);
        kernels = kernels * (window * scale);
        return (kernels.to(ScalarType.Float32).MoveToOuterDisposeScope(), width);
    }

    static int GreatestCommonDivisor(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _kernel?.Dispose();
        base.Dispose(disposing);
    }
}
