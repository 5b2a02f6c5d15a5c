using System.Diagnostics;
using F5Parity.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace F5Parity.Training;

/// <summary>One training batch: mel (b, n, d), token ids (b, nt) padded with -1, mel lengths (b).</summary>
public sealed record TrainingBatch(Tensor Mel, Tensor Text, Tensor Lens) : IDisposable
{
    public void Dispose() { Mel.Dispose(); Text.Dispose(); Lens.Dispose(); }
}

/// <summary>
/// Upstream's <c>Trainer.train</c> loop (model/trainer.py) reduced to what shapes the weights: per update the
/// <see cref="CFM.Loss"/> objective (a random 70-100 % span masked, audio condition dropped with p 0.3, audio and
/// text with p 0.2), backward, gradient clipping to <see cref="FlowMatchingTrainerOptions.MaxGradNorm"/>, an AdamW
/// step, a scheduler step (linear warm-up then linear decay), zero_grad, then the <see cref="Ema"/> update. Seeds are
/// fixed; with single-threaded libtorch the run is bit-reproducible.
/// </summary>
public sealed class FlowMatchingTrainer : IDisposable
{
    readonly Func<Random, TrainingBatch> _batches;
    readonly Random _rng;
    readonly IReadOnlyList<Ema> _shadows;

    /// <param name="model">The online model (trained in place, left in train mode while training).</param>
    /// <param name="ema">The EMA to update after every optimizer step (fresh or restored).</param>
    /// <param name="batches">Draws one batch of <see cref="FlowMatchingTrainerOptions.BatchSize"/> items with the given generator.</param>
    /// <param name="shadows">Further EMAs of the same run (e.g. a restored one beside a fresh one), updated alike.</param>
    public FlowMatchingTrainer(CFM model, Ema ema, FlowMatchingTrainerOptions options, Func<Random, TrainingBatch> batches,
        IReadOnlyList<Ema>? shadows = null)
    {
        _shadows = shadows ?? [];
        Model = model;
        Ema = ema;
        Options = options;
        _batches = batches;
        _rng = new Random((int)options.Seed);
        random.manual_seed(options.Seed);
        // torch's (and TorchSharp's) AdamW defaults for the betas and eps, as upstream's Trainer leaves them
        Optimizer = new AdamW(model.parameters(), lr: options.LearningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8,
            weight_decay: options.WeightDecay);
        SetLr(options.LearningRate * options.LrFactor(0));
    }

    public CFM Model { get; }
    public Ema Ema { get; }
    public FlowMatchingTrainerOptions Options { get; }
    public AdamW Optimizer { get; }

    /// <summary>Optimizer updates done so far (upstream's <c>update</c> counter).</summary>
    public long Update { get; private set; }

    /// <summary>A constant learning rate replacing the schedule from the next update on (null = upstream's schedule).</summary>
    public double? LearningRateOverride
    {
        get => _lrOverride;
        set { _lrOverride = value; if (value is double lr) SetLr(lr); }
    }
    double? _lrOverride;

    /// <summary>Learning rate in effect for the next update.</summary>
    public double CurrentLr => Optimizer.ParamGroups.First().LearningRate;

    /// <summary>Wall-clock seconds spent in <see cref="Train"/>.</summary>
    public double Seconds { get; private set; }

    /// <summary>Runs <paramref name="updates"/> updates; returns the mean loss of the last 100.</summary>
    public double Train(int updates, Action<long, double>? log = null, int logEvery = 250)
    {
        var sw = Stopwatch.StartNew();
        Model.train();
        var recent = new Queue<double>();
        for (int i = 0; i < updates; i++)
        {
            using var scope = NewDisposeScope();
            using var batch = _batches(_rng);
            var loss = Model.Loss(batch.Mel, batch.Text, batch.Lens, _rng);
            loss.backward();
            nn.utils.clip_grad_norm_(Model.parameters(), Options.MaxGradNorm);
            Optimizer.step();
            Update++;
            SetLr(LearningRateOverride ?? Options.LearningRate * Options.LrFactor(Update));
            Optimizer.zero_grad();
            Ema.Update();
            foreach (var e in _shadows) e.Update();
            double l = loss.item<float>();
            recent.Enqueue(l);
            Seconds += sw.Elapsed.TotalSeconds;
            sw.Restart();
            if (recent.Count > 100) recent.Dequeue();
            if (log is not null && Update % logEvery == 0) log(Update, recent.Average());
        }
        Model.eval();
        return recent.Count == 0 ? double.NaN : recent.Average();
    }

    void SetLr(double lr)
    {
        foreach (var g in Optimizer.ParamGroups) g.LearningRate = lr;
    }

    /// <summary>
    /// The scheduler's state in the shape of torch's <c>SequentialLR.state_dict()</c> (plain Python values only).
    /// </summary>
    public Dictionary<string, object?> SchedulerStateDict()
    {
        double baseLr = Options.LearningRate;
        int w = Options.WarmupUpdates, decay = Math.Max(Options.TotalUpdates - w, 1);
        Dictionary<string, object?> Linear(double start, double end, int iters, long lastEpoch) => new()
        {
            ["start_factor"] = start, ["end_factor"] = end, ["total_iters"] = (long)iters,
            ["base_lrs"] = new List<object?> { baseLr }, ["last_epoch"] = lastEpoch,
            ["_step_count"] = lastEpoch + 1, ["_get_lr_called_within_step"] = false,
            ["_last_lr"] = new List<object?> { CurrentLr },
        };
        return new Dictionary<string, object?>
        {
            ["_milestones"] = new List<object?> { (long)w },
            ["last_epoch"] = Update,
            ["_last_lr"] = new List<object?> { CurrentLr },
            ["_schedulers"] = new List<object?>
            {
                Linear(1e-8, 1.0, w, Math.Min(Update, w)),
                Linear(1.0, 1e-8, decay, Math.Max(Update - w, 0)),
            },
        };
    }

    public void Dispose() => Optimizer.Dispose();
}
