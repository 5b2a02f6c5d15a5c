using TorchSharp;
using static TorchSharp.torch;

namespace F5Parity.Training;

/// <summary>
/// ema-pytorch's <c>EMA</c> as upstream's Trainer uses it (defaults: beta 0.9999, update_after_step 100,
/// update_every 10, power 2/3, inv_gamma 1, no online model in the state dict). It keeps a shadow copy of every
/// parameter and buffer of the online model by state-dict name, plus the two buffers ema-pytorch saves:
/// <c>initted</c> and <c>step</c>. <see cref="Update"/> follows ema-pytorch's rules: the step counter is read and
/// then incremented; nothing happens unless the read value is a multiple of update_every; up to update_after_step
/// the shadow is a plain copy; afterwards (copying once more if not yet initted) every tensor moves toward the online
/// one by (1 - decay), decay = clamp(1 - (1 + (step - update_after_step - 1))^(-power), max beta) with the
/// incremented step (0 while that exponent base is not above 1).
/// </summary>
public sealed class Ema : IDisposable
{
    readonly Dictionary<string, Tensor> _shadow = new(StringComparer.Ordinal);

    /// <param name="online">The model being trained; its current weights become the initial shadow.</param>
    public Ema(nn.Module online, double beta = 0.9999, long updateAfterStep = 100, long updateEvery = 10, double power = 2.0 / 3.0)
    {
        Online = online;
        Beta = beta;
        UpdateAfterStep = updateAfterStep;
        UpdateEvery = updateEvery;
        Power = power;
        using var guard = no_grad();
        foreach (var (name, t) in online.state_dict()) _shadow[name] = t.detach().clone();
    }

    public nn.Module Online { get; }
    public double Beta { get; }
    public long UpdateAfterStep { get; }
    public long UpdateEvery { get; }
    public double Power { get; }

    /// <summary>The <c>step</c> buffer: how many times <see cref="Update"/> was called (or what was restored).</summary>
    public long Step { get; private set; }

    /// <summary>The <c>initted</c> buffer.</summary>
    public bool Initted { get; private set; }

    /// <summary>The shadow weights by CFM state-dict name (no <c>ema_model.</c> prefix).</summary>
    public IReadOnlyDictionary<string, Tensor> Weights => _shadow;

    /// <summary>The decay the next averaging would use for a given (already incremented) step.</summary>
    public double DecayAt(long step)
    {
        double epoch = Math.Max(step - UpdateAfterStep - 1, 0);
        if (epoch <= 0) return 0.0;
        double value = 1 - Math.Pow(1 + epoch, -Power);
        return Math.Min(value, Beta);
    }

    /// <summary>One call per optimizer update, after the update (upstream trainer.py: <c>self.ema_model.update()</c>).</summary>
    public void Update()
    {
        long step = Step;
        Step++;
        if (step % UpdateEvery != 0) return;
        if (step <= UpdateAfterStep)
        {
            CopyFromOnline();
            return;
        }
        if (!Initted)
        {
            CopyFromOnline();
            Initted = true;
        }
        double decay = DecayAt(Step);
        using var oneMinusDecay = (1.0 - decay).ToScalar();
        using var guard = no_grad();
        foreach (var (name, t) in Online.state_dict())
        {
            var shadow = _shadow[name];
            if (!shadow.is_floating_point()) { shadow.copy_(t); continue; }
            shadow.sub_((shadow - t.detach()).mul_(oneMinusDecay));
        }
    }

    /// <summary>
    /// Loads an EMA state as <c>Trainer.load_checkpoint</c> does when fine-tuning from a pretrained file: shadow
    /// weights, <c>step</c> and <c>initted</c> all restored (ema-pytorch then applies decay <see cref="Beta"/> at once
    /// when the step is large — the fine-tune trap).
    /// </summary>
    public void Restore(long step, bool initted, IReadOnlyDictionary<string, Tensor> weights)
    {
        using var guard = no_grad();
        foreach (var (name, shadow) in _shadow)
        {
            if (!weights.TryGetValue(name, out var w))
                throw new ArgumentException($"EMA restore: weight '{name}' missing");
            shadow.copy_(w);
        }
        Step = step;
        Initted = initted;
    }

    /// <summary>
    /// <c>EMA.state_dict()</c> as upstream saves it: <c>initted</c> (bool), <c>step</c> (int64), then every shadow
    /// tensor under <c>ema_model.</c>. Tensors are fresh clones owned by the caller.
    /// </summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var sd = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["initted"] = tensor(Initted),
            ["step"] = tensor(Step),
        };
        foreach (var (name, t) in _shadow) sd["ema_model." + name] = t.detach().clone();
        return sd;
    }

    void CopyFromOnline()
    {
        using var guard = no_grad();
        foreach (var (name, t) in Online.state_dict()) _shadow[name].copy_(t);
    }

    public void Dispose()
    {
        foreach (var t in _shadow.Values) t.Dispose();
        _shadow.Clear();
    }
}
