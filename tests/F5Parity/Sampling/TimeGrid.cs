using TorchSharp;
using static TorchSharp.torch;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Sampling;

/// <summary>
/// The ODE time grid <c>CFM.sample</c> hands to <c>odeint</c> (model/cfm.py): EPSS or uniform steps, then sway
/// sampling <c>t + s * (cos(pi/2 * t) - 1 + t)</c> when a coefficient is given (for s = -1 this is
/// <c>1 - cos(pi t / 2)</c>, which crowds the steps near t = 0). Computed in the dtype of the noise, as upstream does.
/// </summary>
public static class TimeGrid
{
    static readonly Scalar HalfPi = (Math.PI / 2).ToScalar();

    /// <summary>(steps + 1) time points from 0 to 1.</summary>
    public static Tensor Build(int steps, double? swaySamplingCoef, bool useEpss = true,
        ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var t = useEpss ? EpssTimesteps.Get(steps, dtype, device) : linspace(0, 1, steps + 1, dtype: dtype, device: device);
        if (swaySamplingCoef is double s)
        {
            using var coef = s.ToScalar();
            var sway = (cos(t * HalfPi) - IntOne).add(t, alpha: IntOne);  // cos(pi/2 * t) - 1 + t
            t = t.add(coef * sway, alpha: IntOne);                          // t + s * (...)
        }
        return t.MoveToOuterDisposeScope();
    }
}
