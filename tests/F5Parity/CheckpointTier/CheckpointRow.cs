namespace F5Parity.CheckpointTier;

/// <summary>What a row of the checkpoint tier shows: pass (green), fail (red) or skip (cannot be run here, with the reason).</summary>
public enum RowState { Pass, Fail, Skip }

/// <summary>
/// One row of the checkpoint tier: a stable id (<c>path:trainer</c>, <c>hypothesis:ema</c>, <c>static:vocab-size</c>),
/// its state, and the message a test runner shows (the measured numbers, what to do, which bundle files to open).
/// </summary>
public sealed record CheckpointRow(string Id, RowState State, string Message)
{
    public bool Red => State == RowState.Fail;
}
