using F5Parity.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace F5Parity.Tests.Training;

/// <summary>
/// <see cref="Ema"/> against ema-pytorch's rules as read in its source (ema_pytorch.py, used by upstream's Trainer
/// with defaults): copy phase, every-10 cadence, warm-up decay, the 0.9999 cap, and the fine-tune trap.
/// </summary>
public sealed class EmaTests
{
    static nn.Module Tiny(float value)
    {
        var m = nn.Linear(2, 1);
        using (no_grad()) foreach (var p in m.parameters()) p.fill_(value);
        return m;
    }

    static float Shadow(Ema ema) => ema.Weights["weight"][0, 0].item<float>();

    [Fact]
    public void Decay_follows_the_warmup_formula_and_caps_at_beta()
    {
        using var ema = new Ema(Tiny(0));
        ema.DecayAt(101).Should().Be(0.0, "epoch = step - 101 = 0 gives decay 0");
        ema.DecayAt(102).Should().BeApproximately(1 - Math.Pow(2, -2.0 / 3.0), 1e-12);
        ema.DecayAt(1001).Should().BeApproximately(1 - Math.Pow(1 + 900, -2.0 / 3.0), 1e-12, "epoch = 1001 - 101 = 900");
        ema.DecayAt(1_250_000).Should().Be(0.9999);
    }

    [Fact]
    public void Copies_every_10_steps_up_to_step_100_then_averages()
    {
        var online = Tiny(0);
        using var ema = new Ema(online);
        void SetOnline(float v) { using (no_grad()) foreach (var p in online.parameters()) p.fill_(v); }

        SetOnline(1); ema.Update();                 // step read 0: 0 % 10 == 0 and 0 <= 100 -> copy
        Shadow(ema).Should().Be(1);
        SetOnline(2); for (int i = 0; i < 9; i++) ema.Update(); // reads 1..9: skipped
        Shadow(ema).Should().Be(1);
        ema.Update();                               // reads 10 -> copy
        Shadow(ema).Should().Be(2);
        while (ema.Step <= 100) ema.Update();       // through read 100 (copy)
        ema.Initted.Should().BeFalse("the copy phase never sets initted");
        SetOnline(10);
        while (ema.Step < 110) ema.Update();        // reads 101..109: skipped
        Shadow(ema).Should().Be(2);
        ema.Update();                               // read 110: copy (not initted), then lerp with decay(111) -> stays 10
        ema.Initted.Should().BeTrue();
        Shadow(ema).Should().Be(10);
        SetOnline(0);
        while (ema.Step < 120) ema.Update();
        ema.Update();                               // read 120, step 121: epoch 20, decay 1 - (1 + 20)^(-2/3)
        double d = 1 - Math.Pow(1 + 20, -2.0 / 3.0);
        Shadow(ema).Should().BeApproximately((float)(10 * d), 1e-5f);
    }

    [Fact]
    public void A_restored_high_step_moves_the_shadow_only_0_01_percent_per_10_updates()
    {
        var online = Tiny(1);
        using var ema = new Ema(online);
        using var zero = zeros(1, 2);
        using var zb = zeros(1);
        ema.Restore(1_250_000, true, new Dictionary<string, Tensor> { ["weight"] = zero, ["bias"] = zb });
        for (int i = 0; i < 1000; i++) ema.Update();
        // 100 averaging updates with decay 0.9999 toward 1: 1 - 0.9999^100
        Shadow(ema).Should().BeApproximately((float)(1 - Math.Pow(0.9999, 100)), 1e-5f);
        ema.Step.Should().Be(1_251_000);
    }

    [Fact]
    public void State_dict_has_upstream_keys()
    {
        using var ema = new Ema(Tiny(0));
        var sd = ema.StateDict();
        sd.Keys.Should().BeEquivalentTo(["initted", "step", "ema_model.weight", "ema_model.bias"]);
        sd["initted"].dtype.Should().Be(ScalarType.Bool);
        sd["step"].dtype.Should().Be(ScalarType.Int64);
    }
}
