namespace F5Parity.Training;

/// <summary>
/// Settings of one <see cref="FlowMatchingTrainer"/> run, upstream Trainer's names in brackets: learning rate
/// [learning_rate], warm-up updates [num_warmup_updates], the total updates the linear decay runs over (upstream:
/// len(train_dataloader) * epochs / grad_accumulation_steps), batch size in items, gradient clipping
/// [max_grad_norm], AdamW's weight decay (torch's default 0.01 — upstream passes only lr) and the seed of torch's
/// global generator (noise, flow times, span masks) and of the coin flips for condition dropout.
/// </summary>
public sealed record FlowMatchingTrainerOptions
{
    public double LearningRate { get; init; } = 1e-3;
    public int WarmupUpdates { get; init; } = 100;
    public int TotalUpdates { get; init; } = 3000;
    public int BatchSize { get; init; } = 8;
    public double MaxGradNorm { get; init; } = 1.0;
    public double WeightDecay { get; init; } = 0.01;
    public long Seed { get; init; } = 1;

    /// <summary>
    /// Learning-rate factor after <paramref name="update"/> scheduler steps: SequentialLR of LinearLR(1e-8 -> 1 over
    /// the warm-up) and LinearLR(1 -> 1e-8 over the rest), as upstream's Trainer builds it.
    /// </summary>
    public double LrFactor(long update)
    {
        const double floor = 1e-8;
        if (update < WarmupUpdates) return floor + (1 - floor) * update / WarmupUpdates;
        long decay = Math.Max(TotalUpdates - WarmupUpdates, 1);
        double f = 1 + (floor - 1) * Math.Min(update - WarmupUpdates, decay) / decay;
        return Math.Max(f, floor);
    }
}
