using TorchSharp;
using static TorchSharp.torch;

namespace F5Parity.Sampling;

/// <summary>
/// Upstream's <c>get_epss_timesteps</c> (model/utils.py): Empirically Pruned Step Sampling. For the step counts it
/// has a table for (5, 6, 7, 10, 12, 16) the grid is those multiples of 1/32; for any other count it is
/// <c>linspace(0, 1, steps + 1)</c>.
/// </summary>
public static class EpssTimesteps
{
    static readonly Scalar Lattice = (1.0 / 32).ToScalar();

    static readonly Dictionary<int, int[]> Table = new()
    {
        [5] = [0, 2, 4, 8, 16, 32],
        [6] = [0, 2, 4, 6, 8, 16, 32],
        [7] = [0, 2, 4, 6, 8, 16, 24, 32],
        [10] = [0, 2, 4, 6, 8, 12, 16, 20, 24, 28, 32],
        [12] = [0, 2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32],
        [16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32],
    };

    /// <summary>True when upstream has a pruned grid for this step count.</summary>
    public static bool HasTable(int steps) => Table.ContainsKey(steps);

    /// <summary>The grid (steps + 1 points from 0 to 1) in <paramref name="dtype"/>.</summary>
    public static Tensor Get(int steps, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "at least one ODE step is needed");
        if (!Table.TryGetValue(steps, out var lattice)) return linspace(0, 1, steps + 1, dtype: dtype, device: device);
        using var idx = tensor(lattice.Select(i => (float)i).ToArray(), dtype: dtype, device: device);
        return idx * Lattice;
    }
}
