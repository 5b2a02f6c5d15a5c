using F5Parity.Model;

namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// The regenerated full-size model of one case at a time (1.35 GB each), wrapped in a <see cref="CFM"/>: built on
/// first use, replaced when a test asks for another case (each test does all its case's comparisons, so a model is
/// built once per case), disposed with the test class.
/// </summary>
public sealed class SeededModels : IDisposable
{
    readonly object _gate = new();
    string? _case;
    CFM? _model;

    public CFM Get(string caseName)
    {
        lock (_gate)
        {
            if (_case == caseName && _model is not null) return _model;
            _model?.Dispose();
            _model = null;
            _model = new CFM(SeededWeights.Build(Path.Combine(SeededReferenceSet.Folder(caseName), SeededReferenceSet.RecipeFile)));
            _case = caseName;
            return _model;
        }
    }

    public void Dispose()
    {
        lock (_gate) { _model?.Dispose(); _model = null; }
    }
}
