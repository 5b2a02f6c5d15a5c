using F5Parity.Audio;
using F5Parity.Sampling;
using F5Parity.Torch;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Model;

/// <summary>
/// Upstream's <c>CFM</c> (model/cfm.py): the conditional flow-matching wrapper around the <see cref="DiT"/>. Its state
/// dict is the DiT's under <c>transformer.</c>; the mel spectrogram is a helper with no persistent state, as upstream's.
/// <see cref="Sample"/> is <c>CFM.sample</c> with the Euler solver torchdiffeq runs on a fixed grid;
/// <see cref="Loss"/> is <c>CFM.forward</c>, the training objective.
/// </summary>
public sealed class CFM : Module
{
    public readonly DiT transformer;

    public CFM(DiT transformer, MelSpec? melSpec = null, double sigma = 0.0, double audioDropProb = 0.3,
        double condDropProb = 0.2, (double Min, double Max)? fracLengthsMask = null) : base(nameof(CFM))
    {
        this.transformer = transformer;
        Sigma = sigma;
        AudioDropProb = audioDropProb;
        CondDropProb = condDropProb;
        FracLengthsMask = fracLengthsMask ?? (0.7, 1.0);
        RegisterComponents();
        // Set after registration on purpose: the mel extractor holds no state upstream saves (CFM's state dict is the
        // DiT's under "transformer."), so it must not become a submodule.
        MelSpec = melSpec ?? new MelSpec();
        NumChannels = MelSpec.NMelChannels;
    }

    public MelSpec MelSpec { get; }
    public int NumChannels { get; }
    public double Sigma { get; }
    public double AudioDropProb { get; }
    public double CondDropProb { get; }
    public (double Min, double Max) FracLengthsMask { get; }

    /// <summary>dtype of the weights (what <c>next(self.parameters()).dtype</c> gives upstream).</summary>
    public ScalarType WeightDType => transformer.parameters().First().dtype;

    /// <summary>Device of the weights.</summary>
    public Device WeightDevice => transformer.parameters().First().device;

    /// <summary>
    /// <c>CFM.sample</c>. <paramref name="cond"/> is a mel (b, n, d) or a raw wave (b, nw) that is turned into a mel
    /// here; <paramref name="text"/> holds token ids (b, nt) padded with -1; <paramref name="duration"/> (b) frames.
    /// Returns the output mel (b, duration, d) with the reference region replaced by the condition, as upstream does.
    /// With <see cref="SampleOptions.Autocast"/> the whole call runs in that autocast scope, as upstream's trainer wraps
    /// it: the DiT's output (and so the velocity, CFG combination included) has the low dtype, <c>dt·v</c> keeps it, and
    /// <c>y + dt·v</c> promotes back to the float32 state; noise and time grid follow <c>step_cond</c> (float32).
    /// </summary>
    public SampleResult Sample(Tensor cond, Tensor text, Tensor duration, SampleOptions? options = null)
    {
        var o = options ?? new SampleOptions();
        using var guard = no_grad();
        if (o.TrainMode) train(); else eval(); // upstream: self.eval() first thing in sample()
        using var autocast = Autocast.Enable(o.Autocast);
        using var scope = NewDisposeScope();
        var device = WeightDevice;

        if (cond.dim() == 2)
        {
            cond = MelSpec.Forward(cond.to(device)).permute(0, 2, 1); // b d n -> b n d
            if (cond.shape[^1] != NumChannels)
                throw new ArgumentException($"mel has {cond.shape[^1]} channels, the model expects {NumChannels}");
        }
        cond = cond.to(WeightDType).to(device);

        long batch = cond.shape[0], condSeqLen = cond.shape[1];
        using var condSeqLenScalar = condSeqLen.ToScalar();
        var lens = o.Lens?.to(int64).to(device) ?? full(batch, condSeqLenScalar, dtype: int64, device: device);
        text = text.to(int64).to(device);
        if (text.shape[0] != batch) throw new ArgumentException($"text batch {text.shape[0]} != cond batch {batch}");

        var condMask = LensToMask(lens);
        if (o.EditMask is not null) condMask = condMask.logical_and(o.EditMask.to(device));

        duration = duration.to(int64).to(device);
        if (duration.dim() == 0) duration = duration.repeat(batch);
        // at least the text / audio prompt length plus one frame, so something is generated
        var textLens = text.ne(IntMinusOne).sum(-1);
        using var maxDurationScalar = o.MaxDuration.ToScalar();
        duration = maximum(maximum(textLens, lens).add(IntOne, alpha: IntOne), duration).clamp(max: maxDurationScalar);
        long maxDuration = duration.max().item<long>();

        cond = F.pad(cond, [0, 0, 0, maxDuration - condSeqLen], value: 0.0);
        if (o.NoRefAudio) cond = zeros_like(cond);
        condMask = F.pad(condMask, [0, maxDuration - condMask.shape[^1]], value: 0).to(@bool).unsqueeze(-1);
        var stepCond = where(condMask, cond, zeros_like(cond));

        // a single item needs no attention mask (upstream skips it to save memory)
        Tensor? mask = batch > 1 ? LensToMask(duration) : null;

        // noise: one draw per item, re-seeded per item when a seed is given, padded with 0
        var noise = new List<Tensor>();
        foreach (long dur in duration.data<long>().ToArray())
        {
            if (o.Seed is long seed) random.manual_seed(seed);
            noise.Add(randn([dur, NumChannels], dtype: stepCond.dtype, device: device));
        }
        var y0 = PadSequence(noise);

        var t = TimeGrid.Build(o.Steps, o.SwaySamplingCoef, o.UseEpss, stepCond.dtype, device);

        Tensor? firstOutput = null;
        using var cfgStrength = o.CfgStrength.ToScalar();
        Tensor Velocity(Tensor time, Tensor x)
        {
            if (o.CfgStrength < 1e-5)
            {
                var pred = transformer.forward(x, stepCond, text, time, mask, dropAudioCond: false, dropText: false);
                firstOutput ??= pred.detach().clone();
                return pred;
            }
            var packed = transformer.forward(x, stepCond, text, time, mask, cfgInfer: true);
            firstOutput ??= packed.detach().clone();
            var halves = packed.chunk(2, dim: 0);
            return halves[0].add((halves[0] - halves[1]) * cfgStrength, alpha: IntOne); // pred + (pred - null_pred) * cfg
        }

        // torchdiffeq's fixed-grid Euler: y1 = y0 + (t1 - t0) * f(t0, y0), the grid points themselves returned
        var y = y0;
        var trajectory = o.KeepTrajectory ? new List<Tensor> { y0 } : null;
        for (int i = 0; i < o.Steps; i++)
        {
            using var stepScope = NewDisposeScope();
            var t0 = t[i];
            var dt = t[i + 1] - t0;
            var next = y.add(dt * Velocity(t0, y), alpha: IntOne); // y + dt * f(t0, y)
            if (firstOutput is not null) firstOutput.MoveToOuterDisposeScope();
            y = next.MoveToOuterDisposeScope();
            trajectory?.Add(y);
            Progress.SamplingProgress.Step(i + 1, o.Steps); // console progress of long runs (no-op without a listener)
        }

        var output = where(condMask, cond, y);
        return new SampleResult(
            output.MoveToOuterDisposeScope(), y0.MoveToOuterDisposeScope(), t.MoveToOuterDisposeScope(),
            stepCond.MoveToOuterDisposeScope(), firstOutput!.MoveToOuterDisposeScope(), duration.MoveToOuterDisposeScope(),
            trajectory is null ? null : stack(trajectory).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// <c>CFM.forward</c>: the flow-matching loss on a batch of mels (b, n, d) with token ids (b, nt). A random span of
    /// 70-100 % of each item is masked out of the condition and the loss is taken there only; the audio condition is
    /// dropped with <see cref="AudioDropProb"/>, audio and text together with <see cref="CondDropProb"/>. The coin flips
    /// use <paramref name="rng"/> (upstream uses Python's <c>random</c>); noise and times use torch's generator.
    /// </summary>
    public Tensor Loss(Tensor inp, Tensor text, Tensor? lens, Random rng)
    {
        using var scope = NewDisposeScope();
        long batch = inp.shape[0], seqLen = inp.shape[1];
        var device = inp.device;
        using var seqLenScalar = seqLen.ToScalar();
        lens ??= full(batch, seqLenScalar, dtype: int64, device: device);
        var mask = LensToMask(lens, seqLen);

        var fracLengths = zeros(batch, device: device).uniform_(FracLengthsMask.Min, FracLengthsMask.Max);
        var randSpanMask = MaskFromFracLengths(lens, fracLengths, seqLen).logical_and(mask);

        var x1 = inp;
        var x0 = randn_like(x1);
        var time = rand(batch, dtype: inp.dtype, device: device);
        var tt = time.unsqueeze(-1).unsqueeze(-1);
        var oneMinusT = tt.negative().add(IntOne, alpha: IntOne);  // 1 - t, the way TorchSharp's `1 - tt` computes it
        var phi = (oneMinusT * x0).add(tt * x1, alpha: IntOne);      // (1 - t) * x0 + t * x1
        var flow = x1 - x0;
        var cond = where(randSpanMask.unsqueeze(-1), zeros_like(x1), x1);

        bool dropAudioCond = rng.NextDouble() < AudioDropProb, dropText = false;
        if (rng.NextDouble() < CondDropProb) { dropAudioCond = true; dropText = true; }

        var pred = transformer.forward(phi, cond, text, time, mask: null, dropAudioCond: dropAudioCond, dropText: dropText);
        var loss = F.mse_loss(pred, flow, reduction: Reduction.None);
        return loss[randSpanMask].mean().MoveToOuterDisposeScope();
    }

    /// <summary>upstream <c>lens_to_mask</c>: (b) lengths -> (b, n) with n = max length unless given.</summary>
    public static Tensor LensToMask(Tensor lens, long? length = null)
    {
        using var n = (length ?? lens.max().item<long>()).ToScalar();
        var seq = arange(IntZero, n, IntOne, device: lens.device);
        return seq.unsqueeze(0).lt(lens.unsqueeze(1));
    }

    /// <summary>upstream <c>mask_from_frac_lengths</c>: a random span of frac * len frames inside each item.</summary>
    public static Tensor MaskFromFracLengths(Tensor lens, Tensor fracLengths, long maxLen)
    {
        using var scope = NewDisposeScope();
        var lengths = (fracLengths * lens).@long();
        var maxStart = lens - lengths;
        var randv = rand_like(fracLengths);
        var start = (maxStart * randv).@long().clamp(min: IntZero);
        var end = start.add(lengths, alpha: IntOne);
        using var maxLenScalar = maxLen.ToScalar();
        var seq = arange(IntZero, maxLenScalar, IntOne, device: lens.device).@long();
        var m = seq.unsqueeze(0).ge(start.unsqueeze(1)).logical_and(seq.unsqueeze(0).lt(end.unsqueeze(1)));
        return m.MoveToOuterDisposeScope();
    }

    /// <summary><c>pad_sequence(items, batch_first=True, padding_value=0)</c> for (n_i, d) tensors.</summary>
    static Tensor PadSequence(IReadOnlyList<Tensor> items)
    {
        long n = items.Max(x => x.shape[0]);
        return stack(items.Select(x => F.pad(x, [0, 0, 0, n - x.shape[0]], value: 0.0)).ToArray());
    }
}
