using F5Parity.Checkpoints;
using F5Parity.Tests.TestUtilities;
using F5Parity.Vocoder;
using static TorchSharp.torch;

namespace F5Parity.Tests.Torch;

/// <summary>
/// A model or vocoder loaded while a caller's DisposeScope is active must survive that scope: caches and fixtures
/// keep them (found when test order put the first lazy load inside a test's scope).
/// </summary>
public sealed class ScopeFreeTests
{
    [Fact]
    public void Model_and_vocoder_loaded_inside_a_dispose_scope_outlive_it()
    {
        var c = ReferenceSet.Golden.Cases[0];
        F5Parity.Model.CFM model;
        Vocos vocos;
        using (NewDisposeScope())
        {
            model = ModelLoader.Load(c.Config, c.ReleaseCheckpointPath);
            vocos = Vocos.FromFolder(ReferenceSet.Golden.PathOf("common/vocos_tiny"));
        }
        using (model)
        using (vocos)
        {
            model.transformer.parameters().Should().OnlyContain(p => !p.IsInvalid);
            using var mel = zeros(1, 100, 4);
            using var wave = vocos.Decode(mel);
            wave.shape.Should().Equal(1, 3 * 256);
        }
    }
}
